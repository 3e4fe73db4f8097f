"""The app's pages, routed by st.navigation, and one way in for every visitor.

`PAGES` is the one list of pages: the file in pages/, its URL, its title and what it teaches
(the menu and the home page's cards both come from it). The home page is the default page,
served at `/`; every other page has its own URL, so `/lstm?hidden_size=20` opens nn.LSTM for
any visitor.

Streamlit reads an app with a `pages/` folder as a version-1 multipage app until some session
has called `st.navigation`: on a fresh server the very first request for /lstm runs
pages/lstm.py alone, without app.py's page config and menu. `ensure_router()` (first thing on
every page) notices that the page runs outside `run_app()` and calls `st.navigation` itself,
which is Streamlit's public way to leave version-1 mode, then reruns through app.py. The
browser test of a fresh server's first visitor (tests/test_first_visit.py) fails if that
ever stops working.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass

import streamlit as st

from rnnviz.server.budget import page_run
from rnnviz.ui.texts import t

_ROUTED = contextvars.ContextVar("rnnviz_routed", default=False)


@dataclass(frozen=True)
class PageEntry:
    file: str  # relative to app.py
    url_path: str  # "" for the home page at /
    title: str  # a label key, or the title itself when no label has that key
    icon: str


PAGES = (
    PageEntry("pages/home.py", "", "page_home", ":material/home:"),
    PageEntry("pages/lstm.py", "lstm", "nn.LSTM", ":material/repeat:"),
    PageEntry("pages/gru.py", "gru", "nn.GRU", ":material/repeat:"),
    PageEntry("pages/rnn.py", "rnn", "nn.RNN", ":material/repeat:"),
    PageEntry("pages/compare.py", "compare", "page_compare", ":material/compare_arrows:"),
    PageEntry("pages/gradients.py", "gradients", "page_gradients", ":material/trending_down:"),
    PageEntry("pages/packing.py", "packing", "page_packing", ":material/inventory_2:"),
    PageEntry("pages/train.py", "train", "page_train", ":material/model_training:"),
)


def page_title(entry: PageEntry) -> str:
    return entry.title if entry.title.startswith("nn.") else t(entry.title)


def _pages() -> list:
    return [
        st.Page(e.file, title=page_title(e), icon=e.icon, url_path=e.url_path or None, default=not e.url_path)
        for e in PAGES
    ]


def page(url_path: str):
    """The st.Page of `url_path`, for st.page_link."""
    return next(p for p, e in zip(_pages(), PAGES) if e.url_path == url_path)


def run_app() -> None:
    """app.py: page config, the menu, the class (rnnviz.ui.classroom) and the chosen page."""
    from rnnviz.ui.classroom import class_bar, class_sidebar, live_bar, publish_view, rendered
    from rnnviz.ui.fragments import skip_fragment_runs_of_a_left_page
    from rnnviz.ui.presenter import keep_in_url, presenter_toggle, presenting

    skip_fragment_runs_of_a_left_page()

    st.set_page_config(page_title="rnnviz", page_icon="🔁", layout="wide",
                       initial_sidebar_state="collapsed" if presenting() else "auto")
    navigation = st.navigation(_pages())
    token = _ROUTED.set(True)
    try:
        with page_run():
            class_sidebar()
            presenter_toggle()
            bar = class_bar(navigation.url_path)
            try:
                navigation.run()
                rendered(navigation.url_path)  # a follower's page now shows this view
            finally:  # also when the page reruns itself (play): the teacher's view goes to the class
                keep_in_url()
                publish_view(navigation.url_path)
                live_bar(bar, navigation.url_path)
    finally:
        _ROUTED.reset(token)


def ensure_router() -> None:
    """First thing on every page: if Streamlit ran this page without app.py, route through it."""
    if not _ROUTED.get():
        st.navigation(_pages(), position="hidden")  # tells Streamlit this app routes with st.navigation
        st.rerun()
