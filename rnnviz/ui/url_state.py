"""Shareable links: a page's configuration in the URL, keyed by torch's own argument names.

`bind_url(fields)` runs before a page draws its widgets: values found in the URL become the
widgets' values (an invalid one falls back to the default with a notice). `write_url(fields)`
runs after: the URL then always holds the configuration on screen, so copying it shares it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from rnnviz.devices import available_devices
from rnnviz.inputs import SOURCES
from rnnviz.spec import KINDS
from rnnviz.ui.texts import label, language


def _ranged(cast: type, low, high) -> Callable[[str], object]:
    def parse(text: str):
        try:
            value = cast(text)
        except ValueError:
            raise ValueError(label("url_number")) from None
        if not low <= value <= high:
            raise ValueError(label("url_range", low=low, high=high))
        return value
    return parse


def integer(low: int, high: int) -> Callable[[str], int]:
    """A whole number in [low, high]."""
    return _ranged(int, low, high)


def _boolean(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no"):
        return False
    raise ValueError(label("url_boolean"))


def _choice(*options: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if text not in options:
            raise ValueError(label("url_choice", options=", ".join(options)))
        return text
    return parse


def _device(text: str) -> str:
    names = [d.name for d in available_devices()]
    if text not in names:
        raise ValueError(label("url_device", names=", ".join(names)))
    return text


def _lengths(text: str) -> str:
    parts = text.replace(" ", "").split(",")
    if not all(part.isdigit() and 1 <= int(part) <= 50 for part in parts):
        raise ValueError(label("url_lengths"))
    return ",".join(parts)


@dataclass(frozen=True)
class Field:
    """One URL parameter: its name in the URL, the widget key it sets, and how to read it."""

    name: str
    key: str
    parse: Callable[[str], object]


PARSERS = {
    "input_size": integer(1, 64), "hidden_size": integer(1, 512), "num_layers": integer(1, 4),
    "nonlinearity": _choice("tanh", "relu"), "bias": _boolean, "batch_first": _boolean,
    "dropout": _ranged(float, 0.0, 1.0), "bidirectional": _boolean, "proj_size": integer(0, 511),
    "seq_len": integer(1, 1000), "batch_size": integer(1, 32), "seed": integer(0, 2**31 - 1),
    "device": _device, "dtype": _choice("float32", "float64"), "train": _boolean, "lang": _choice("en", "zh"),
    # what is being looked at, so that a link reproduces the exact view
    "view": _choice("Shapes", "Hidden states", "Gates"), "layer": integer(0, 3), "direction": integer(0, 1),
    "sequence": integer(0, 31), "t": integer(0, 999), "unit": integer(0, 511),
    # the input and the topic pages' own choices
    "source": _choice(*SOURCES), "matched": _boolean, "kind": _choice(*KINDS), "lengths": _lengths,
}
SHARED = ("seed", "device", "dtype", "lang")  # the sidebar's settings, on every page


VIEW_KEYS = {"layer": "view_layer", "direction": "view_direction", "sequence": "view_sequence",
             "t": "step_t", "unit": "step_unit"}  # URL name -> widget key of the view controls


def fields(names: list[str], prefix: str = "", limits: dict | None = None) -> list[Field]:
    """Fields for `names`; widget keys are `prefix + name` except the shared sidebar's and the view's."""
    limits = limits or {}
    return [Field(name, VIEW_KEYS.get(name, name if name in SHARED else prefix + name),
                  limits.get(name, PARSERS[name]))
            for name in names + list(SHARED)]


def bind_url(page_fields: list[Field]) -> None:
    """Apply the URL's values to the widgets once per page visit; warn about invalid ones."""
    page = st.session_state.get("_url_page")
    visit = tuple(f.key for f in page_fields)
    if page == visit:
        return
    st.session_state["_url_page"] = visit
    if any(f.name in st.query_params for f in page_fields if f.name not in SHARED):
        # a link describes its whole view: what it leaves out takes its default, in any session
        for field in page_fields:
            if field.name not in SHARED and field.name not in st.query_params:
                st.session_state.pop(field.key, None)
    notices = []
    for field in page_fields:
        if field.name not in st.query_params:
            continue
        text = st.query_params[field.name]
        try:
            st.session_state[field.key] = field.parse(text)
        except ValueError as error:
            notices.append(label("url_notice", name=field.name, text=text, error=error))
    st.session_state["_url_notices"] = notices


def show_url_notices() -> None:
    for notice in st.session_state.pop("_url_notices", []):
        st.warning(notice)


def write_url(page_fields: list[Field]) -> None:
    """Put the current values in the URL (torch's argument names)."""
    values = {}
    for field in page_fields:
        if field.key in st.session_state:
            value = st.session_state[field.key]
            values[field.name] = url_value(value)
    if dict(st.query_params) != values:
        st.query_params.from_dict(values)


def url_value(value) -> str:
    """A value as the URL spells it: booleans as true/false."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def link_query(values: dict) -> dict:
    """URL parameters for st.page_link: `values` spelled for the URL, in this rerun's language."""
    query = {name: url_value(value) for name, value in values.items()}
    if language() != "en":
        query["lang"] = language()
    return query
