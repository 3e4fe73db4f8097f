"""Make a deep link on a fresh server go through app.py's st.navigation.

Streamlit treats an app with a `pages/` folder as a version-1 multipage app until some session
has run `st.navigation`: the very first visit to /lstm would run pages/lstm.py on its own,
without app.py's page config and with an auto-generated menu. Each page calls this first; in
that case it switches Streamlit to st.navigation routing and reruns through app.py."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def ensure_router() -> None:
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False  # what st.navigation itself sets
        st.rerun()
