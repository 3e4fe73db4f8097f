"""The table of controls: every control of every page declared once.

A row names the control in the URL (torch's argument name where there is one), its widget key,
its widget kind, range or options, default, and the word keys of its label and help text
(rnnviz/words). The widgets (rnnviz.ui.controls.draw), the URL parser and writer
(rnnviz.ui.url_state) and the defaults of the LayerSpec / InputSource a page builds all come
from here. A teacher can start a server on other defaults: RNNVIZ_DEFAULTS='{"hidden_size": 16}'
(widget keys)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace

from rnnviz.inputs import SOURCES
from rnnviz.spec import KINDS


@dataclass(frozen=True)
class Control:
    name: str  # in the URL
    key: str  # the widget's key in session state
    widget: str  # slider, number, toggle, radio, select, text, area or upload
    default: object
    low: float | None = None  # sliders, numbers, and index selects: the range; text: each length's range
    high: float | None = None
    step: float | None = None
    options: tuple = ()  # radios and selects (also the values a link may carry)
    label: str | None = None  # word key of the label; None shows the name itself, as code
    help: str | None = None  # word key of the help text; None: "help_" + name
    in_url: bool = True
    kinds: tuple = KINDS  # the layer kinds that have this control

    @property
    def help_key(self) -> str:
        return self.help or f"help_{self.name}"


def _rows(*controls: Control, prefix: str = "") -> dict[str, Control]:
    return {c.name: replace(c, key=prefix + c.key) if prefix else c for c in controls}


def _c(name: str, widget: str, default, **extra) -> Control:
    return Control(name, extra.pop("key", name), widget, default, **extra)


VIEWS = ("Shapes", "Hidden states", "Gates", "What if", "Text")  # Text: only for text input

SIDEBAR = _rows(
    _c("lang", "select", "en", options=("en", "zh"), label="language", help="help_language"),
    _c("device", "select", "cpu", label="sidebar_device"),  # options: this machine's devices (rnnviz.devices)
    _c("dtype", "radio", "float32", options=("float32", "float64"), label="sidebar_dtype"),
    _c("seed", "number", 0, low=0, high=2**31 - 1, label="sidebar_seed"),
)

LAYER = _rows(
    _c("input_size", "slider", 3, low=1, high=64),
    _c("hidden_size", "slider", 8, low=1, high=512),
    _c("num_layers", "slider", 1, low=1, high=4),
    _c("dropout", "slider", 0.0, low=0.0, high=1.0, step=0.05),
    _c("nonlinearity", "radio", "tanh", options=("tanh", "relu"), kinds=("RNN",)),
    _c("proj_size", "number", 0, low=0, high=511, kinds=("LSTM",)),  # below hidden_size's top
    _c("bias", "toggle", True),
    _c("batch_first", "toggle", False),
    _c("bidirectional", "toggle", False),
    _c("train", "toggle", False, label="train"),
    _c("source", "select", "sine", options=SOURCES, label="input"),
    _c("seq_len", "slider", 20, low=1, high=1000, label="seq_len"),
    _c("batch_size", "slider", 2, low=1, high=32, label="batch_size"),
    _c("lengths", "text", "", low=1, high=1000, label="lengths_packed", in_url=False),
    _c("initial_state", "radio", "zeros", options=("zeros", "random"), label="initial_state"),
    _c("text", "area", "hello world", label="text", in_url=False),
    _c("csv", "upload", None, label="csv_file", in_url=False),
    _c("sequence_column", "text", "", label="sequence_column", in_url=False),
    # what is being looked at, so that a link reproduces the exact view
    _c("view", "radio", "Shapes", options=VIEWS, label="view"),
    _c("layer", "select", 0, key="view_layer", low=0, high=3, label="layer", help="help_view_layer"),
    _c("direction", "select", 0, key="view_direction", low=0, high=1, label="direction",
       help="help_view_direction"),
    _c("sequence", "select", 0, key="view_sequence", low=0, high=31, label="sequence",
       help="help_view_sequence"),
    _c("t", "slider", 0, key="step_t", low=0, high=999, label="step_t", help="help_step_t"),
    _c("unit", "number", 0, key="step_unit", low=0, high=511, label="unit", help="help_step_unit"),
    _c("play", "toggle", False, key="step_play", label="play", help="help_step_play", in_url=False),
    _c("chart", "radio", "heatmap", key="states_chart", options=("heatmap", "lines", "trajectory", "cell"),
       label="states_chart"),
    _c("pca_dims", "radio", 2, options=(2, 3), label="phase_portrait", in_url=False),
    _c("saturation", "toggle", False, key="show_saturation", label="saturation"),
    # what if: one input value moved, a gate bias shifted, a layer from the learner's own file
    _c("perturb_t", "slider", 5, key="whatif_t", low=0, high=999, label="perturb_t"),
    _c("feature", "number", 0, key="whatif_feature", low=0, high=63, label="perturb_feature"),
    _c("delta", "slider", 1.0, key="whatif_delta", low=-3.0, high=3.0, step=0.1, label="perturb_delta"),
    _c("bias_shift", "slider", 1.0, key="whatif_bias", low=-3.0, high=5.0, step=0.5, label="bias_shift",
       kinds=("LSTM", "GRU")),
    _c("own_layer", "upload", None, label="own_layer", in_url=False),
    _c("own_prefix", "select", None, label="own_prefix", in_url=False),
)

COMPARE = _rows(
    _c("input_size", "slider", 3, low=1, high=16),
    _c("hidden_size", "slider", 8, low=1, high=128),
    _c("seq_len", "slider", 40, low=2, high=300, label="seq_len"),
    _c("source", "select", "sine", options=("sine", "random", "step", "impulse"), label="input"),
    _c("matched", "toggle", False, label="cmp_matched", help="help_cmp_matched"),
    prefix="cmp_",
)

GRADIENTS = _rows(
    _c("seq_len", "slider", 50, low=2, high=200, label="seq_len"),
    _c("hidden_size", "slider", 16, low=1, high=64),
    _c("input_size", "slider", 4, low=1, high=16),
    prefix="grad_",
)

PACKING = _rows(
    _c("lengths", "text", "6,3,4", low=1, high=50, label="lengths"),
    _c("kind", "select", "GRU", options=KINDS, label="layer", help="help_pack_kind"),
    _c("bidirectional", "toggle", True),
    prefix="pack_",
)

# The Train page's one-click experiment, also its defaults (its button sets these controls, then races
# RNN, LSTM and GRU): chosen by measurement (bench/long_memory.py), the tanh RNN stays at the constant
# answer while the LSTM and GRU learn, on seeds 0, 1 and 2, and the race fits in 45 s on 2 cores.
LONG_MEMORY = {"task": "adding", "kind": "LSTM", "hidden_size": 16, "num_layers": 1, "bias": True,
               "batch_first": False, "bidirectional": False, "dropout": 0.0, "seq_len": 50, "lr": 0.01,
               "batch_size": 64, "steps": 1500, "clip": 0.0, "forget_bias": True, "matched": False}

TRAIN = _rows(
    _c("task", "select", "adding", options=("adding", "recall", "sine", "series", "text"), label="task"),
    _c("kind", "select", "LSTM", options=KINDS, label="layer", help="help_train_kind"),
    _c("hidden_size", "slider", 16, low=1, high=128),
    _c("num_layers", "slider", 1, low=1, high=3),
    _c("nonlinearity", "radio", "tanh", options=("tanh", "relu")),
    _c("proj_size", "number", 0, low=0, high=127),
    _c("bias", "toggle", True),
    _c("batch_first", "toggle", False),
    _c("bidirectional", "toggle", False),
    _c("dropout", "slider", 0.0, low=0.0, high=1.0, step=0.05),
    _c("seq_len", "slider", LONG_MEMORY["seq_len"], low=2, high=200, label="seq_len",
       help="help_train_seq_len"),
    _c("symbols", "slider", 4, low=2, high=16, label="symbols"),
    _c("lr", "select", 0.01, options=(0.001, 0.003, 0.01, 0.03), label="learning_rate"),
    _c("batch_size", "slider", 64, low=8, high=256, step=8, label="batch_size", help="help_train_batch_size"),
    _c("steps", "slider", LONG_MEMORY["steps"], low=50, high=5000, step=50, label="train_steps"),
    _c("clip", "number", 0.0, low=0.0, high=100.0, step=0.5, label="clip"),
    _c("forget_bias", "toggle", LONG_MEMORY["forget_bias"], label="train_forget_bias",
       help="help_train_forget_bias"),
    _c("matched", "toggle", False, label="cmp_matched", help="help_cmp_matched"),
    _c("text", "area", "hello world, hello rnnviz. " * 4, label="text", help="help_train_text", in_url=False),
    _c("corpus", "radio", "typed", options=("typed", "generated"), label="text_corpus",
       help="help_text_corpus"),
    _c("read_text", "toggle", False, label="text_read", help="help_text_read", in_url=False),
    _c("csv", "upload", None, label="csv_file", help="help_train_csv", in_url=False),
    _c("run", "radio", None, label="race_run", in_url=False),  # which run of a race to look inside
    _c("checkpoint", "select", None, label="training_checkpoint", in_url=False),
    prefix="train_",
)

_OVERRIDES = json.loads(os.environ.get("RNNVIZ_DEFAULTS", "{}"))
for _table in (SIDEBAR, LAYER, COMPARE, GRADIENTS, PACKING, TRAIN):
    for _name, _control in _table.items():
        if _control.key in _OVERRIDES:
            _table[_name] = replace(_control, default=_OVERRIDES[_control.key])


def defaults(table: dict[str, Control]) -> dict:
    """Widget key -> default value, for the controls of `table`."""
    return {c.key: c.default for c in table.values() if c.default is not None}


def url_controls(table: dict[str, Control], kind: str | None = None) -> list[Control]:
    """The controls a page keeps in its URL: its own (for `kind`, on a layer page), then the sidebar's."""
    own = [c for c in table.values() if c.in_url and (kind is None or kind in c.kinds)]
    return own + list(SIDEBAR.values())
