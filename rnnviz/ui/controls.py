"""Widgets drawn from the table of controls (rnnviz.ui.table): `draw(control)` makes any of them
with its key, range, label and help; `layer_controls` and `input_controls` turn a layer page's
widgets into a LayerSpec and an InputSource."""

from __future__ import annotations

import streamlit as st

from rnnviz.examples import SEED_EXAMPLES
from rnnviz.inputs import InputSource
from rnnviz.spec import LayerSpec
from rnnviz.ui.table import LAYER, Control, defaults
from rnnviz.ui.texts import t


def keep_or_default(values: dict) -> None:
    """Give controls their value before they are drawn. Re-assigning keeps a value when the
    learner switches pages (Streamlit drops widget state of widgets a page no longer draws)."""
    for key, value in values.items():
        st.session_state[key] = st.session_state.get(key, value)


def _words(option) -> str:
    """An option as the menu shows it: its word where the tables have one (sine, zeros), else itself."""
    try:
        return t(str(option))
    except KeyError:
        return str(option)


def draw(control: Control, where=st, options=None, high=None, **extra):
    """The widget of `control` in `where` (st, st.sidebar or a column). `options` and `high` replace
    the table's when they depend on the run (which layers exist); `extra` goes to the widget."""
    label = t(control.label) if control.label else control.name
    common = dict(key=control.key, help=t(control.help_key), **extra)
    kind = control.widget
    if kind in ("slider", "number"):
        make = where.slider if kind == "slider" else where.number_input
        top = control.high if high is None else high
        if st.session_state.get(control.key, control.low) > top:  # a link's value beyond this run's top
            st.session_state[control.key] = top
        step = {"step": control.step} if control.step else {}
        return make(label, control.low, top, **step, **common)
    if kind == "toggle":
        return where.toggle(label, **common)
    if kind in ("radio", "select"):
        choices = options if options is not None else control.options
        common.setdefault("format_func", _words)
        if kind == "radio":
            return where.radio(label, choices, horizontal=True, **common)
        return where.selectbox(label, choices, **common)
    if kind == "text":
        return where.text_input(label, **common)
    if kind == "area":
        return where.text_area(label, **common)
    return where.file_uploader(label, **{"type": ["csv"], **common})  # extra may name other types


def load_example(index: int) -> None:
    """Button callback: put a seed-note example into the controls."""
    example = SEED_EXAMPLES[index]
    spec = example.spec
    st.session_state.update({**defaults(LAYER), **{LAYER[name].key: getattr(spec, name) for name in (
        "input_size", "hidden_size", "num_layers", "bidirectional")},
        LAYER["seq_len"].key: example.seq_len, LAYER["batch_size"].key: example.batch_size,
        LAYER["initial_state"].key: "random", LAYER["source"].key: "random"})


FROM_FILE = ("input_size", "hidden_size", "num_layers", "bias", "bidirectional", "proj_size")


def layer_controls(kind: str, sidebar: dict, fixed: LayerSpec | None = None) -> LayerSpec:
    """Constructor arguments of `kind` as widgets -> LayerSpec (not yet validated). `fixed`: a layer
    from the learner's own file, whose arguments the widgets show and do not let change."""
    keep_or_default(defaults(LAYER))
    if fixed is not None:
        st.session_state.update({LAYER[name].key: getattr(fixed, name) for name in FROM_FILE})

    def widget(name: str, column):
        return draw(LAYER[name], column, disabled=fixed is not None and name in FROM_FILE)

    c1, c2 = st.columns(2)
    values = {name: widget(name, column) for name, column in (
        ("input_size", c1), ("hidden_size", c2), ("num_layers", c1), ("dropout", c2))}
    if kind == "RNN":
        values["nonlinearity"] = widget("nonlinearity", c1)
    if kind == "LSTM":
        values["proj_size"] = int(widget("proj_size", c2))
    for name in ("bias", "batch_first", "bidirectional", "train"):  # one a row: a label never cut
        values[name] = widget(name, st)
    return LayerSpec(kind=kind, **values, **sidebar)


def input_controls(seed: int) -> InputSource | str:
    """The input's widgets -> InputSource, or a message if what was typed cannot be read."""
    source = draw(LAYER["source"])  # a row of its own: the longest source's name fits
    c2, c3 = st.columns(2)
    seq_len = draw(LAYER["seq_len"], c2)
    batch_size = draw(LAYER["batch_size"], c3)
    d1, d2 = st.columns(2)
    lengths_text = draw(LAYER["lengths"], d1, placeholder=t("placeholder_lengths"))
    initial_state = draw(LAYER["initial_state"], d2)
    text, csv, column = "", "", None
    if source == "text":
        text = draw(LAYER["text"])
    if source == "csv":
        upload = draw(LAYER["csv"])
        column = draw(LAYER["sequence_column"]) or None
        csv = upload.getvalue() if upload is not None else None  # None: no file chosen (yet)
    lengths = None
    if lengths_text.strip() and source not in ("text", "csv"):
        try:
            lengths = tuple(int(part) for part in lengths_text.replace(" ", "").split(",") if part)
        except ValueError:
            return t("bad_lengths", text=lengths_text)
    return InputSource(kind=source, seq_len=seq_len, batch_size=batch_size, lengths=lengths,
                       initial_state=initial_state, seed=seed, text=text, csv=csv, sequence_column=column)
