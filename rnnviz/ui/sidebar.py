"""The sidebar every page shares: device, dtype, seed."""

from __future__ import annotations

import streamlit as st

from rnnviz.devices import available_devices, resolve_device
from rnnviz.ui.controls import keep_or_default
from rnnviz.ui.texts import HELP, LANGUAGES, label, language, translate


def _language_chosen() -> None:
    st.query_params["lang"] = st.session_state["lang"]  # so that this rerun's words follow the choice


def language_selector() -> None:
    """The language menu, at the top of the sidebar."""
    keep_or_default({"lang": language()})
    st.sidebar.selectbox(label("language"), list(LANGUAGES), format_func=LANGUAGES.get, key="lang",
                         help=HELP["language"], on_change=_language_chosen)


def sidebar() -> dict:
    """Draw the shared settings; returns LayerSpec keyword arguments (device, dtype, seed)."""
    devices = available_devices()
    labels = {d.name: d.label for d in devices}
    language_selector()
    keep_or_default({"device": "cpu", "dtype": "float32", "seed": 0})
    if st.session_state["device"] not in labels:
        st.session_state["device"] = "cpu"
    with st.sidebar:
        name = st.selectbox("device", list(labels), format_func=labels.get, key="device", help=HELP["device"])
        dtype = st.radio("dtype", ["float32", "float64"], key="dtype", help=HELP["dtype"], horizontal=True)
        seed = st.number_input("seed", 0, 2**31 - 1, key="seed", help=HELP["seed"])
    device, notice = resolve_device(name)
    if notice:
        st.sidebar.warning(translate(notice))
    return dict(device=str(device), dtype=dtype, seed=int(seed))
