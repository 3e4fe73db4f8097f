"""The presenter view (?present=1, or the sidebar's toggle), for a projector: the chart takes the
screen, the controls fold away above it, the text is larger and the sidebar starts closed."""

from __future__ import annotations

import streamlit as st

from rnnviz.ui.texts import t

KEY = "present"
STYLE = """<style>
html { font-size: 19px; }
[data-testid="stMainBlockContainer"] { padding: 1.5rem 2rem 2rem 2rem; max-width: 100%; }
[data-testid="stMarkdownContainer"] p, [data-testid="stCaptionContainer"] { font-size: 1.05rem; }
</style>"""


def presenting() -> bool:
    """Whether this browser presents: the link's ?present= decides, else the session's toggle."""
    asked = st.query_params.get(KEY)
    if asked is not None:
        st.session_state[KEY] = asked.lower() in ("1", "true", "yes")
    return bool(st.session_state.get(KEY))


def _toggled() -> None:
    if st.session_state.get(KEY):
        st.query_params[KEY] = "1"
    else:
        st.query_params.pop(KEY, None)


def presenter_toggle() -> None:
    """The sidebar's switch, and the larger text while it is on."""
    st.sidebar.toggle(t("present"), key=KEY, on_change=_toggled, help=t("help_present"))
    if st.session_state.get(KEY):
        st.markdown(STYLE, unsafe_allow_html=True)


def keep_in_url() -> None:
    """After a page wrote its own parameters: ?present=1 stays in the link while presenting."""
    if st.session_state.get(KEY) and st.query_params.get(KEY) != "1":
        st.query_params[KEY] = "1"


def page_columns():
    """(controls, views): side by side, or, while presenting, the controls folded above the views.
    Reads the session's value only: run_app already took the link's ?present= before the sidebar's
    toggle (keyed "present") was drawn, and setting a drawn widget's key raises."""
    if st.session_state.get(KEY):
        return st.expander(t("present_controls"), expanded=False), st.container()
    return st.columns([1, 2], gap="large")
