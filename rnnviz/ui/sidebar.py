"""The sidebar every page shares: language, device, dtype, seed."""

from __future__ import annotations

import os
import platform

import streamlit as st

from rnnviz.devices import available_devices, resolve_device
from rnnviz.ui.controls import draw, keep_or_default
from rnnviz.ui.table import SIDEBAR, defaults
from rnnviz.ui.texts import LANGUAGES, language, t, translate


def _language_chosen() -> None:
    st.query_params["lang"] = st.session_state[SIDEBAR["lang"].key]  # this rerun's words follow the choice


def language_selector() -> None:
    """The language menu, at the top of the sidebar."""
    keep_or_default({SIDEBAR["lang"].key: language()})
    draw(SIDEBAR["lang"], st.sidebar, format_func=LANGUAGES.get, on_change=_language_chosen)


def sidebar() -> dict:
    """Draw the shared settings; returns LayerSpec keyword arguments (device, dtype, seed)."""
    labels = {d.name: d.label for d in available_devices()}
    labels["cpu"] = t("device_cpu", machine=platform.machine(), cores=os.cpu_count())
    language_selector()
    keep_or_default({key: value for key, value in defaults(SIDEBAR).items() if key != "lang"})
    if st.session_state[SIDEBAR["device"].key] not in labels:
        st.session_state[SIDEBAR["device"].key] = "cpu"
    name = draw(SIDEBAR["device"], st.sidebar, options=list(labels), format_func=labels.get)
    dtype = draw(SIDEBAR["dtype"], st.sidebar)
    seed = draw(SIDEBAR["seed"], st.sidebar)
    device, notice = resolve_device(name)
    if notice:
        st.sidebar.warning(translate(notice))
    return dict(device=str(device), dtype=dtype, seed=int(seed))
