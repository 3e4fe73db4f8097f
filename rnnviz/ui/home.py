"""The home page at `/`: what rnnviz is, then at once the lesson path (its first step visible without
scrolling; each answer shown only when the teacher clicks), three examples named for what they
show, and a card per page. The answers are computed by running the layers (rnnviz.lesson)."""

from __future__ import annotations

import streamlit as st

from rnnviz.examples import SEED_EXAMPLES, example_query
from rnnviz.lesson import LESSON, answer_values
from rnnviz.ui.router import PAGES, ensure_router, page, page_title
from rnnviz.ui.sidebar import language_selector
from rnnviz.ui.table import url_controls
from rnnviz.ui.texts import t
from rnnviz.ui.url_state import bind_url, link_query, write_url

OPEN = ":material/arrow_forward:"
LINK = url_controls({})  # the home page's URL holds the shared settings only (lang among them)


@st.cache_data(show_spinner=False)
def _answers() -> dict:
    """Each lesson step's answer values: one run of each configuration per server."""
    return {step.key: answer_values(step) for step in LESSON}


def answer_key(step) -> str:
    """The key of a lesson step's "show the answer" toggle."""
    return f"lesson_answer_{step.key}"


def home_page() -> None:
    ensure_router()
    bind_url(LINK)  # nothing to warn about: the home page has no settings of its own
    language_selector()
    write_url(LINK)
    st.title(t("home_title"))
    st.markdown(t("home_intro"))

    st.subheader(t("home_lesson"), anchor="lesson")
    st.markdown(t("home_lesson_intro"))
    answers = _answers()
    for number, step in enumerate(LESSON, start=1):
        values = answers[step.key]
        with st.container(border=True, key=f"lesson_{step.key}"):
            title, question = t(f"lesson_{step.key}_title"), t(f"lesson_{step.key}_q", **values)
            st.markdown(f"**{number}. {title}** · {question}")
            link, reveal = st.columns([1, 1])
            link.page_link(page(step.page), label=t("open_view"), icon=OPEN,
                           query_params=link_query(step.query))
            if reveal.toggle(t("show_answer"), key=answer_key(step), help=t("help_show_answer")):
                st.markdown(t(f"lesson_{step.key}_a", **values))

    st.subheader(t("home_examples"))
    for column, example in zip(st.columns(3), SEED_EXAMPLES):
        with column.container(border=True, height="stretch"):
            st.markdown(f"**{t(f'example_{example.key}')}**")
            st.caption(t("example_call", call=example.call, shape=example.input_shape))
            st.caption(t("example_prints", printed=example.printed))
            st.page_link(page(example.spec.kind.lower()), label=t("open_view"), icon=OPEN,
                         query_params=link_query(example_query(example)))

    st.subheader(t("home_pages"))
    entries = [entry for entry in PAGES if entry.url_path]
    for index, entry in enumerate(entries):
        if index % 3 == 0:
            columns = st.columns(3)
        with columns[index % 3].container(border=True, height="stretch"):
            st.page_link(page(entry.url_path), label=f"**{page_title(entry)}**", icon=entry.icon)
            st.caption(t(f"teach_{entry.url_path}"))
