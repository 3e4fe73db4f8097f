"""Shareable links: configuration -> URL -> the same configuration, on every page."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from rnnviz.ui.table import COMPARE, GRADIENTS, LAYER, PACKING, url_controls

APP = str(Path(__file__).parents[1] / "app.py")

LAYER_CONFIG = {
    "input_size": 10,
    "hidden_size": 20,
    "num_layers": 2,
    "bias": False,
    "batch_first": True,
    "dropout": 0.25,
    "bidirectional": True,
    "seq_len": 5,
    "batch_size": 3,
    "train": True,
    "seed": 7,
    "device": "cpu",
    "dtype": "float64",
    "view": "Gates",
    "layer": 1,
    "direction": 1,
    "sequence": 2,
    "t": 3,
    "unit": 2,
    "source": "impulse",
    "initial_state": "random",
}
CASES = [
    ("pages/lstm.py", url_controls(LAYER, "LSTM"), {**LAYER_CONFIG, "proj_size": 4}),
    ("pages/gru.py", url_controls(LAYER, "GRU"), LAYER_CONFIG),
    ("pages/rnn.py", url_controls(LAYER, "RNN"), {**LAYER_CONFIG, "nonlinearity": "relu"}),
    (
        "pages/compare.py",
        url_controls(COMPARE),
        {
            "input_size": 5,
            "hidden_size": 12,
            "seq_len": 33,
            "seed": 3,
            "source": "step",
            "matched": True,
            "device": "cpu",
            "dtype": "float32",
        },
    ),
    (
        "pages/gradients.py",
        url_controls(GRADIENTS),
        {"seq_len": 17, "hidden_size": 6, "input_size": 2, "seed": 1, "device": "cpu", "dtype": "float64"},
    ),
    (
        "pages/packing.py",
        url_controls(PACKING),
        {
            "bidirectional": False,
            "lengths": "5,2",
            "kind": "LSTM",
            "seed": 4,
            "device": "cpu",
            "dtype": "float32",
        },
    ),
]


def _open(page: str, query: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for name, value in query.items():
        at.query_params[name] = str(value).lower() if isinstance(value, bool) else str(value)
    at.switch_page(page)
    return at.run()


def _widget_value(at: AppTest, key: str):
    for element in [
        *at.sidebar.get("selectbox"),
        *at.sidebar.get("radio"),
        *at.sidebar.get("number_input"),
        *at.get("slider"),
        *at.get("toggle"),
        *at.get("radio"),
        *at.get("number_input"),
        *at.get("selectbox"),
        *at.get("text_input"),
    ]:
        if getattr(element, "key", None) == key:
            return element.value
    raise KeyError(key)


@pytest.mark.parametrize("page,link,config", CASES, ids=[c[0] for c in CASES])
def test_configuration_survives_a_url_round_trip(page, link, config):
    at = _open(page, config)
    assert not at.exception
    assert not [w.value for w in at.warning if "in the link" in w.value]
    keys = {field.name: field.key for field in link}
    assert set(config) <= set(keys), "every configured name is a URL parameter of the page"
    for name, value in config.items():  # URL -> configuration
        assert _widget_value(at, keys[name]) == value, name
    written = dict(at.query_params)  # configuration -> URL, written back by the page
    for name, value in config.items():
        assert written[name] == (str(value).lower() if isinstance(value, bool) else str(value)), name


def test_invalid_link_values_fall_back_with_a_notice():
    at = _open("pages/gru.py", {"hidden_size": 9999, "num_layers": "two", "bias": "maybe", "input_size": 6})
    assert not at.exception
    notices = " ".join(w.value for w in at.warning)
    for name in ("hidden_size", "num_layers", "bias"):
        assert f"{name}=" in notices and "using the default" in notices
    assert _widget_value(at, "hidden_size") == 8 and _widget_value(at, "num_layers") == 1
    assert _widget_value(at, "input_size") == 6  # the valid one is kept


def test_widget_ranges_are_the_tables():
    """The sliders a learner moves and the URL parser share one range per control."""
    at = _open("pages/lstm.py", {})
    for control in LAYER.values():
        column = ("input_size", "hidden_size", "num_layers", "dropout", "seq_len", "batch_size")
        if control.widget == "slider" and control.name in column:  # the controls column's sliders
            slider = at.slider(key=control.key)
            assert (slider.min, slider.max) == (control.low, control.high), control.name
    assert at.number_input(key=LAYER["proj_size"].key).max == LAYER["proj_size"].high
