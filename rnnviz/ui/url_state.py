"""Shareable links: a page's configuration in the URL, under the names of the table of controls
(rnnviz.ui.table: torch's own argument names).

`bind_url(controls)` runs before a page draws its widgets: values found in the URL become the
widgets' values (an invalid one falls back to the default, and a notice says why). A link
describes its whole view, so what it leaves out takes its default. `write_url(controls)` runs
after: the URL then always holds the configuration on screen, so copying it shares it."""

from __future__ import annotations

import streamlit as st

from rnnviz.devices import available_devices
from rnnviz.ui.table import SIDEBAR, Control
from rnnviz.ui.texts import language, t

VISIT = "_url_visit"  # which page's link was applied last, so it is applied once per visit


def _number(control: Control, text: str):
    cast = float if isinstance(control.default, float) else int
    try:
        value = cast(text)
    except ValueError:
        raise ValueError(t("url_number")) from None
    if not control.low <= value <= control.high:
        raise ValueError(t("url_range", low=control.low, high=control.high))
    return value


def parse(control: Control, text: str):
    """The value `text` stands for in `control`; ValueError (worded for the reader) if none."""
    if control.widget == "toggle":
        lowered = text.lower()
        if lowered in ("true", "1", "yes", "false", "0", "no"):
            return lowered in ("true", "1", "yes")
        raise ValueError(t("url_boolean"))
    if control.widget == "text":  # comma-separated lengths
        parts = text.replace(" ", "").split(",")
        if not all(p.isascii() and p.isdigit() and control.low <= int(p) <= control.high for p in parts):
            raise ValueError(t("url_lengths"))
        return ",".join(parts)
    options = control.options
    if control.name == "device":
        options = tuple(d.name for d in available_devices())
    if options:
        match = [option for option in options if str(option) == text]
        if not match:
            raise ValueError(t("url_choice", options=", ".join(map(str, options))))
        return match[0]
    return _number(control, text)


def url_value(value) -> str:
    """A value as the URL spells it: booleans as true/false."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def bind_url(controls: list[Control]) -> list[str]:
    """Apply the URL's values to the widgets once per page visit; returns notices about invalid ones."""
    visit = tuple(c.key for c in controls)
    if st.session_state.get(VISIT) == visit:
        return []
    st.session_state[VISIT] = visit
    shared = set(SIDEBAR.values())
    if any(c.name in st.query_params for c in controls if c not in shared):
        for control in controls:  # a link describes its whole view: what it leaves out takes its default
            if control not in shared and control.name not in st.query_params:
                st.session_state.pop(control.key, None)
    notices = []
    for control in controls:
        if control.name in st.query_params:
            text = st.query_params[control.name]
            try:
                st.session_state[control.key] = parse(control, text)
            except ValueError as error:
                notices.append(t("url_notice", name=control.name, text=text, error=error))
    return notices


def write_url(controls: list[Control]) -> None:
    """Put the current values in the URL."""
    values = {c.name: url_value(st.session_state[c.key]) for c in controls if c.key in st.session_state}
    if dict(st.query_params) != values:
        st.query_params.from_dict(values)


def link_query(values: dict) -> dict:
    """URL parameters for st.page_link: `values` spelled for the URL, in this rerun's language."""
    query = {name: url_value(value) for name, value in values.items()}
    if language() != "en":
        query["lang"] = language()
    return query
