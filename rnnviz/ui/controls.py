"""Widgets that produce a LayerSpec and an InputSource; every widget has a key and help."""

from __future__ import annotations

import json
import os

import streamlit as st

from rnnviz.examples import SEED_EXAMPLES
from rnnviz.inputs import SOURCES, InputSource
from rnnviz.spec import LayerSpec
from rnnviz.ui.texts import HELP, label

DEFAULTS = dict(input_size=3, hidden_size=8, num_layers=1, nonlinearity="tanh", bias=True,
                batch_first=False, dropout=0.0, bidirectional=False, proj_size=0, train=False,
                source="sine", seq_len=20, batch_size=2, lengths="", initial_state="zeros",
                text="hello world", sequence_column="", view="Shapes",
                step_t=0, step_unit=0, step_play=False)
# A teacher can start a server on another configuration: RNNVIZ_DEFAULTS='{"hidden_size": 16}'
DEFAULTS.update(json.loads(os.environ.get("RNNVIZ_DEFAULTS", "{}")))


def keep_or_default(defaults: dict) -> None:
    """Give controls their value before they are drawn. Re-assigning keeps a value when the
    learner switches pages (Streamlit drops widget state of widgets a page no longer draws)."""
    for key, value in defaults.items():
        st.session_state[key] = st.session_state.get(key, value)


def init_state() -> None:
    keep_or_default(DEFAULTS)


def load_example(index: int) -> None:
    """Button callback: put a seed-note example into the controls."""
    example = SEED_EXAMPLES[index]
    spec = example.spec
    st.session_state.update(
        input_size=spec.input_size, hidden_size=spec.hidden_size, num_layers=spec.num_layers,
        bidirectional=spec.bidirectional, batch_first=False, proj_size=0, dropout=0.0, bias=True,
        seq_len=example.seq_len, batch_size=example.batch_size, initial_state="random",
        source="random", lengths="",
    )


def layer_controls(kind: str, sidebar: dict) -> LayerSpec:
    """Constructor arguments of `kind` as widgets -> LayerSpec (not yet validated)."""
    init_state()
    c1, c2 = st.columns(2)
    input_size = c1.slider("input_size", 1, 64, key="input_size", help=HELP["input_size"])
    hidden_size = c2.slider("hidden_size", 1, 512, key="hidden_size", help=HELP["hidden_size"])
    num_layers = c1.slider("num_layers", 1, 4, key="num_layers", help=HELP["num_layers"])
    dropout = c2.slider("dropout", 0.0, 1.0, step=0.05, key="dropout", help=HELP["dropout"])
    nonlinearity = "tanh"
    if kind == "RNN":
        nonlinearity = c1.radio("nonlinearity", ["tanh", "relu"], key="nonlinearity",
                                help=HELP["nonlinearity"], horizontal=True)
    proj_size = 0
    if kind == "LSTM":
        proj_size = c2.number_input("proj_size", 0, 512, key="proj_size", help=HELP["proj_size"])
    t1, t2 = st.columns(2)
    bias = t1.toggle("bias", key="bias", help=HELP["bias"])
    batch_first = t2.toggle("batch_first", key="batch_first", help=HELP["batch_first"])
    bidirectional = t1.toggle("bidirectional", key="bidirectional", help=HELP["bidirectional"])
    train = t2.toggle(label("train"), key="train", help=HELP["train"])
    return LayerSpec(kind=kind, input_size=input_size, hidden_size=hidden_size, num_layers=num_layers,
                     nonlinearity=nonlinearity, bias=bias, batch_first=batch_first, dropout=dropout,
                     bidirectional=bidirectional, proj_size=int(proj_size), train=train, **sidebar)


def input_controls(seed: int) -> InputSource | str:
    """The input's widgets -> InputSource, or a message if what was typed cannot be read."""
    c1, c2, c3 = st.columns(3)
    source = c1.selectbox(label("input"), SOURCES, key="source", help=HELP["source"], format_func=label)
    seq_len = c2.slider(label("seq_len"), 1, 1000, key="seq_len", help=HELP["seq_len"])
    batch_size = c3.slider(label("batch_size"), 1, 32, key="batch_size", help=HELP["batch_size"])
    d1, d2 = st.columns(2)
    lengths_text = d1.text_input(label("lengths_packed"), key="lengths", help=HELP["lengths"],
                                 placeholder="e.g. 20,12,7")
    initial_state = d2.radio(label("initial_state"), ["zeros", "random"], key="initial_state",
                             help=HELP["initial_state"], horizontal=True, format_func=label)
    text, csv, column = "", "", None
    if source == "text":
        text = st.text_area(label("text"), key="text", help=HELP["text"])
    if source == "csv":
        upload = st.file_uploader(label("csv_file"), type=["csv"], key="csv", help=HELP["csv"])
        column = st.text_input(label("sequence_column"), key="sequence_column", help=HELP["sequence_column"]) or None
        csv = upload.getvalue() if upload is not None else ""
    lengths = None
    if lengths_text.strip() and source not in ("text", "csv"):
        try:
            lengths = tuple(int(part) for part in lengths_text.replace(" ", "").split(",") if part)
        except ValueError:
            return label("bad_lengths", text=lengths_text)
    return InputSource(kind=source, seq_len=seq_len, batch_size=batch_size, lengths=lengths,
                       initial_state=initial_state, seed=seed, text=text, csv=csv,
                       sequence_column=column)
