"""The sidebar every page shares: device, dtype, seed."""

from __future__ import annotations

import streamlit as st

from rnnviz.devices import available_devices, resolve_device
from rnnviz.ui.controls import keep_or_default
from rnnviz.ui.texts import HELP, LANGUAGES, label


def sidebar() -> dict:
    """Draw the shared settings; returns LayerSpec keyword arguments (device, dtype, seed)."""
    devices = available_devices()
    labels = {d.name: d.label for d in devices}
    keep_or_default({"device": "cpu", "dtype": "float32", "seed": 0, "lang": "en"})
    if st.session_state["device"] not in labels:
        st.session_state["device"] = "cpu"
    with st.sidebar:
        st.selectbox(label("language"), list(LANGUAGES), format_func=LANGUAGES.get, key="lang", help=HELP["language"])
        name = st.selectbox("device", list(labels), format_func=labels.get, key="device", help=HELP["device"])
        dtype = st.radio("dtype", ["float32", "float64"], key="dtype", help=HELP["dtype"], horizontal=True)
        seed = st.number_input("seed", 0, 2**31 - 1, key="seed", help=HELP["seed"])
    device, notice = resolve_device(name)
    if notice:
        st.sidebar.warning(notice)
    return dict(device=str(device), dtype=dtype, seed=int(seed))
