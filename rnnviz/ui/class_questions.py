"""Questions to a class: the teacher's menu (a lesson step, whose answer is computed by running the
layers, or a typed question), a student's answer form, and the projector's live tally with the
teacher's reveal. The class itself (rnnviz.server.classes) keeps the questions and answers;
rnnviz.ui.classroom places these on the page."""

from __future__ import annotations

import html

import streamlit as st

from rnnviz.lesson import LESSON, answer_values
from rnnviz.plots.classroom import tally_figure
from rnnviz.polls import POLLS, poll_answer
from rnnviz.server.classes import MAX_OPTION, MAX_TEXT, ClassError, ClassView, Question, classroom
from rnnviz.ui.texts import plot_words, t, translate

# this session's class, its teacher secret, a message to show (kept by rnnviz.ui.classroom)
CODE, SECRET, ERROR = "class_code", "class_secret", "_class_error"
OWN = "own"  # the ask menu's entry for a question the teacher types


@st.cache_data(show_spinner=False)
def _lesson_answers() -> dict:
    """Each lesson step's poll answer, computed once per server by running the layers."""
    return {step.key: poll_answer(step.key, answer_values(step)) for step in LESSON}


def ask_panel() -> None:
    """The teacher's menu of questions: a lesson step (its answer computed) or one typed."""
    steps = [OWN, *(step.key for step in LESSON)]
    titles = {step.key: f"{number}. {t(f'lesson_{step.key}_title')}" for number, step in enumerate(LESSON, 1)}
    what = st.selectbox(t("class_ask_what"), steps, key="class_ask_what", help=t("help_class_ask_what"),
                        format_func=lambda key: t("class_own_question") if key == OWN else titles[key])
    if what == OWN:
        st.text_area(t("class_q_text"), key="class_q_text", max_chars=MAX_TEXT, help=t("help_class_q_text"))
        st.text_input(t("class_q_options"), key="class_q_options", max_chars=6 * (MAX_OPTION + 2),
                      help=t("help_class_q_options"))
        st.text_input(t("class_q_answer"), key="class_q_answer", max_chars=MAX_OPTION,
                      help=t("help_class_q_answer"))
    st.button(t("class_ask"), key="class_ask", on_click=_ask, args=(what,), help=t("help_class_ask"))


def _ask(what: str) -> None:
    state = st.session_state
    try:
        if what == OWN:
            options = tuple(o.strip() for o in state.get("class_q_options", "").split(",") if o.strip())
            classroom().ask(state[CODE], state[SECRET], "choice" if options else "number",
                            text=state.get("class_q_text", ""), options=options,
                            answer=state.get("class_q_answer", "").strip())
        else:
            poll = POLLS[what]
            classroom().ask(state[CODE], state[SECRET], poll.kind, step=what, options=poll.options,
                            answer=_lesson_answers()[what])
        state["class_reveal"] = False
    except ClassError as error:
        state[ERROR] = translate(error)


def _words_of(question: Question):
    """How an answer of `question` reads: a lesson poll's options are word keys."""
    return (lambda value: t(value)) if question.step and question.kind == "choice" else str


def _question_text(question: Question) -> str:
    return t(f"poll_{question.step}") if question.step else html.escape(question.text)


def answer_form(view: ClassView, member: str) -> None:
    """A student's answer to the question on screen (`member`: this browser's random token)."""
    question, state = view.question, st.session_state
    with st.container(border=True, key="class_question_box"):
        st.markdown(f"**{t('class_question')}** {_question_text(question)}")
        words = _words_of(question)
        if question.kind == "choice":
            value = st.radio(t("class_your_answer"), question.options, format_func=words, index=None,
                             horizontal=True, key=f"class_choice_{question.id}", help=t("help_class_answer"))
        else:
            value = st.text_input(t("class_your_number"), key=f"class_number_{question.id}", max_chars=30,
                                  help=t("help_class_answer"))
        if st.button(t("class_send"), key=f"class_send_{question.id}", help=t("help_class_send"),
                     disabled=not value):
            try:
                sent = classroom().answer(view.code, member, question.id, value)
                state[f"class_sent_{question.id}"] = sent
            except ClassError as error:
                st.error(translate(error))
        sent = state.get(f"class_sent_{question.id}")
        if sent is not None:
            st.caption(t("class_sent", value=words(sent)))
        if view.revealed:
            st.success(t("class_answer_is", answer=words(question.answer)) if question.answer
                       else t("class_no_answer"))


def tally_box(view: ClassView, secret: str) -> None:
    """The projector's live tally of the question on screen, and the teacher's reveal."""
    question = view.question
    tally = classroom().tally(view.code, question.id)
    words = _words_of(question)
    counts = dict(tally.counts)
    labels = list(question.options) if question.kind == "choice" else list(counts)
    with st.container(border=True, key="class_tally_box"):
        st.markdown(f"**{t('class_question')}** {_question_text(question)}")
        st.markdown(t("class_answered_count", answered=tally.answered))
        if labels:
            bars = [(words(label), counts.get(label, 0)) for label in labels]
            right = words(question.answer) if view.revealed and question.answer else None
            st.plotly_chart(tally_figure(bars, right, plot_words()), key="class_tally", width="stretch")
        shown = st.toggle(t("class_reveal"), key="class_reveal", help=t("help_class_reveal"))
        if shown != view.revealed:
            classroom().reveal(view.code, secret, shown)
        if shown:
            st.success(t("class_answer_is", answer=words(question.answer)) if question.answer
                       else t("class_no_answer"))
