"""A lesson path for a 45-minute class: seven configured views, each with one question a
student answers by looking, and the answer's numbers computed here with the same functions
the pages call (never typed by hand).

Each step's `query` is the link's URL parameters, under torch's argument names; every
parameter that decides the answer is in it, so the link opens the same view in any session.
`answer_values(step)` runs the real modules for that configuration. tests/test_home.py checks
every answer against torch (a textbook cell for the gates, torch's own counts and packing) and,
where the linked view shows the number, against that view's figure or table.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from rnnviz.compare import gate_parameter_counts
from rnnviz.examples import SEED_EXAMPLES, example_query
from rnnviz.gradients import reach_of
from rnnviz.inputs import InputSource, make_input
from rnnviz.packing import packing_example
from rnnviz.shapes import describe_call
from rnnviz.spec import LayerSpec
from rnnviz.trace import trace

VANISHED = 1e-6  # the gradient step asks where ‖∂h_T/∂x_t‖ falls below this


@dataclass(frozen=True)
class Step:
    """One step of the lesson: the words' key, the page it opens and the link's parameters."""

    key: str
    page: str  # url path of the page: "lstm", "gru", "rnn", "compare", "gradients", "packing"
    query: dict


_SETTINGS = {"seed": 0, "device": "cpu", "dtype": "float32"}
_LAYER = {"input_size": 3, "hidden_size": 8, "num_layers": 1, "bidirectional": False, "batch_first": False,
          "seq_len": 20, "batch_size": 2, "source": "sine"}

LESSON = (
    Step("h_n", "lstm", {**example_query(SEED_EXAMPLES[1]), "view": "Shapes", **_SETTINGS}),
    Step("bidirectional", "gru", {**example_query(SEED_EXAMPLES[2]), "view": "Shapes", **_SETTINGS}),
    Step("batch_first", "lstm", {**_LAYER, "batch_first": True, "view": "Shapes", **_SETTINGS}),
    Step("impulse", "lstm", {**_LAYER, "source": "impulse", "seq_len": 24, "view": "Gates", **_SETTINGS}),
    Step("vanishing", "gradients", {"seq_len": 50, "hidden_size": 16, "input_size": 4, **_SETTINGS}),
    Step("packing", "packing", {"lengths": "6,3,4", "kind": "GRU", "bidirectional": True, **_SETTINGS}),
    Step("parameters", "compare", {"input_size": 3, "hidden_size": 8, "seq_len": 40, "matched": False,
                                   **_SETTINGS}),
)


def _layer(kind: str, query: dict) -> tuple[LayerSpec, InputSource]:
    names = ("input_size", "hidden_size", "num_layers", "bidirectional", "batch_first", "seed", "dtype")
    spec = LayerSpec(kind=kind, **{name: query[name] for name in names if name in query})
    source = InputSource(kind=query.get("source", "sine"), seq_len=query["seq_len"],
                         batch_size=query["batch_size"], seed=query["seed"])
    return spec, source


def _shapes(kind: str, query: dict) -> dict:
    spec, source = _layer(kind, query)
    inputs = make_input(spec, source)
    shapes = describe_call(spec.build(), *inputs.call_args())
    return {name: shapes.get(name).shape for name in ("input", "output", "h_n")}


def answer_values(step: Step) -> dict:
    """The numbers the step's answer states, computed for its configuration."""
    query = step.query
    if step.key in ("h_n", "bidirectional", "batch_first"):
        values = _shapes(step.page.upper(), query)
        values.update(rows=values["h_n"][0], h_out=values["h_n"][-1], steps=query["seq_len"])
        return values
    if step.key == "impulse":
        spec, source = _layer("LSTM", query)
        inputs = make_input(spec, source)
        gates = trace(spec.build(), *inputs.call_args()).gates(0, 0)
        onset = query["seq_len"] // 4  # where make_input puts the impulse
        after = slice(onset + 1, None)
        return {"onset": onset, "f_mean": gates["f"][after, 0].mean().item(),
                "i_mean": gates["i"][after, 0].mean().item()}
    if step.key == "vanishing":
        reach = {kind: reach_of(kind, "tanh", query["input_size"], query["hidden_size"], query["seq_len"],
                                query["seed"], query["dtype"]).wrt_input for kind in ("RNN", "LSTM", "GRU")}
        below = torch.nonzero(reach["RNN"] < VANISHED)
        t = int(below.max()) if len(below) else None
        steps = query["seq_len"]
        return {"t": t, "back": None if t is None else steps - 1 - t,
                "lstm": float(reach["LSTM"][t]) if t is not None else None,
                "gru": float(reach["GRU"][t]) if t is not None else None}
    if step.key == "packing":
        lengths = [int(n) for n in query["lengths"].split(",")]
        anatomy = packing_example(query["kind"], lengths, query["bidirectional"], query["seed"],
                                  query["dtype"])
        return {"lengths": ", ".join(map(str, lengths)), "steps": max(lengths),
                "padded": max(lengths) * len(lengths), "rows": anatomy.data.shape[0],
                "sizes": anatomy.batch_sizes, "difference": anatomy.h_n_difference.max().item()}
    if step.key == "parameters":
        counts = {kind: sum(gate_parameter_counts(LayerSpec(kind=kind, input_size=query["input_size"],
                                                            hidden_size=query["hidden_size"])).values())
                  for kind in ("RNN", "GRU", "LSTM")}
        ratio = " : ".join(f"{counts[kind] / counts['RNN']:g}" for kind in counts)
        return {"hidden": query["hidden_size"], "rnn": counts["RNN"], "gru": counts["GRU"],
                "lstm": counts["LSTM"], "ratio": ratio}
    raise KeyError(step.key)
