"""LayerSpec: validation agrees with what torch rejects, builds are seeded, code() runs."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
import warnings

import pytest
import torch
from torch import nn

import rnnviz
from rnnviz import LayerSpec, SpecError

# (spec changes, a phrase our message must contain, the torch constructor call that fails)
INVALID = [
    (dict(kind="LSTM", proj_size=8, hidden_size=8), "smaller than hidden_size",
     lambda: nn.LSTM(10, 8, proj_size=8)),
    (dict(kind="LSTM", proj_size=25, hidden_size=20), "at most 19", lambda: nn.LSTM(10, 20, proj_size=25)),
    (dict(kind="LSTM", proj_size=-1), "0 (no projection) or positive", lambda: nn.LSTM(10, 20, proj_size=-1)),
    (dict(kind="RNN", proj_size=5), "LSTM only", lambda: nn.RNN(10, 20, proj_size=5)),
    (dict(kind="GRU", proj_size=5), "LSTM only", lambda: nn.GRU(10, 20, proj_size=5)),
    (dict(kind="RNN", nonlinearity="sigmoid"), "'tanh' or 'relu'",
     lambda: nn.RNN(10, 20, nonlinearity="sigmoid")),
    (dict(kind="RNN", nonlinearity="Tanh"), "lower case", lambda: nn.RNN(10, 20, nonlinearity="Tanh")),
    (dict(kind="LSTM", nonlinearity="relu"), "RNN only", lambda: nn.LSTM(10, 20, nonlinearity="relu")),
    (dict(dropout=1.5), "[0, 1]", lambda: nn.LSTM(10, 20, 2, dropout=1.5)),
    (dict(dropout=-0.1), "[0, 1]", lambda: nn.GRU(10, 20, 2, dropout=-0.1)),
    (dict(dropout=True), "[0, 1]", lambda: nn.RNN(10, 20, 2, dropout=True)),
    (dict(dropout="0.5"), "[0, 1]", lambda: nn.RNN(10, 20, 2, dropout="0.5")),
    (dict(hidden_size=0), "hidden_size must be at least 1", lambda: nn.RNN(10, 0)),
    (dict(hidden_size=-5), "hidden_size must be at least 1", lambda: nn.GRU(10, -5)),
    (dict(input_size=0), "input_size must be at least 1", lambda: nn.RNN(0, 20)),
    (dict(num_layers=0), "num_layers must be at least 1", lambda: nn.GRU(10, 20, num_layers=0)),
    (dict(hidden_size=20.0), "whole number", lambda: nn.RNN(10, 20.0)),
    (dict(input_size=10.0), "whole number", lambda: nn.RNN(10.0, 20)),
    (dict(bias=1), "True or False", lambda: nn.LSTM(10, 20, bias=1)),
    (dict(batch_first=1), "True or False", lambda: nn.GRU(10, 20, batch_first=1)),
]


@pytest.mark.parametrize("changes,phrase,torch_call", INVALID, ids=[str(c[0]) for c in INVALID])
def test_invalid_spec_gets_a_clear_message_where_torch_raises(changes, phrase, torch_call):
    with pytest.raises((ValueError, TypeError)):
        torch_call()  # torch is the oracle: this combination is really invalid
    spec = LayerSpec(**{"input_size": 10, "hidden_size": 20, **changes})
    problems = spec.errors()
    assert len(problems) == 1 and phrase in problems[0]
    assert "\n" not in problems[0]
    with pytest.raises(SpecError, match=phrase.replace("[", r"\[").replace("(", r"\(").replace(")", r"\)")):
        spec.build()


def test_errors_are_found_once_per_spec(monkeypatch):
    """validate(), advice(), build() and make_input() each ask for errors(): one spec finds
    them once, and a caller's list is its own copy."""
    spec = LayerSpec(hidden_size=0, dropout=2.0)
    found = spec.errors()
    said = []
    monkeypatch.setattr("rnnviz.spec.say", lambda *args, **values: said.append(args) or "new")
    found.append("a caller's own line")
    assert spec.errors() == found[:-1] and len(found[:-1]) == 2
    assert spec.advice() == [] and said == []
    with pytest.raises(SpecError):
        spec.validate()
    assert said == []
    assert LayerSpec(hidden_size=0, dropout=2.0).errors() == ["new", "new"]  # another spec: found anew


def test_huge_layer_is_refused_with_a_size():
    spec = LayerSpec(input_size=4096, hidden_size=4096, num_layers=4, bidirectional=True)
    (message,) = spec.errors()
    assert "parameters" in message and "lower hidden_size" in message


def test_advice_for_dropout_that_does_nothing():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        nn.LSTM(10, 20, 1, dropout=0.5)
    assert caught  # torch warns too
    assert "does nothing" in LayerSpec(dropout=0.5, num_layers=1).advice()[0]
    assert "train mode" in LayerSpec(dropout=0.5, num_layers=2, train=False).advice()[0]
    assert LayerSpec(dropout=0.5, num_layers=2, train=True).advice() == []


@pytest.mark.parametrize(("changes", "keys"), [
    ({}, []),  # no dropout: nothing to say, in eval mode and on one layer alike
    ({"num_layers": 2}, []),
    ({"dropout": 0.5, "num_layers": 2, "train": True}, []),
    ({"dropout": 1.0, "num_layers": 2, "train": True}, ["dropout_one"]),  # every activation zeroed
    ({"dropout": 1.0, "num_layers": 2, "train": False}, ["dropout_eval"]),
    ({"dropout": 1.0, "num_layers": 1, "train": True}, ["dropout_one_layer"]),
    ({"kind": "RNN", "nonlinearity": "relu"}, ["relu_unbounded"]),
    ({"kind": "RNN", "nonlinearity": "relu", "dropout": 0.5}, ["dropout_one_layer", "relu_unbounded"]),
    ({"kind": "RNN"}, []),
    ({"kind": "LSTM", "nonlinearity": "relu"}, []),  # an error, not advice
])
def test_advice_is_given_exactly_where_a_combination_misleads(changes, keys):
    assert [note.key for note in LayerSpec(**changes).advice()] == keys


@pytest.mark.parametrize("spec", [
    LayerSpec(kind="RNN", input_size=10, hidden_size=20, num_layers=2),
    LayerSpec(kind="LSTM", input_size=10, hidden_size=20, num_layers=2, bidirectional=True, proj_size=5),
    LayerSpec(kind="LSTM", input_size=10, hidden_size=20, bias=False),
    LayerSpec(kind="GRU", input_size=2, hidden_size=4, num_layers=2, bidirectional=True),
    LayerSpec(kind="RNN", input_size=1, hidden_size=1, nonlinearity="relu", dtype="float64"),
])
def test_build_is_the_real_seeded_module(spec):
    module = spec.build()
    assert type(module) is getattr(nn, spec.kind)
    assert module.training is spec.train
    assert sum(p.numel() for p in module.parameters()) == spec.num_parameters()
    again = spec.build()
    assert all(torch.equal(a, b) for a, b in zip(module.parameters(), again.parameters()))
    other = spec.replace(seed=spec.seed + 1).build()
    assert not torch.equal(module.weight_ih_l0, other.weight_ih_l0)
    torch.manual_seed(spec.seed)  # the same draws as the constructor under that seed
    plain = getattr(nn, spec.kind)(**spec.constructor_kwargs())
    assert torch.equal(plain.weight_hh_l0.to(module.weight_hh_l0.dtype), module.weight_hh_l0)


def test_build_does_not_disturb_the_global_rng():
    torch.manual_seed(7)
    expected = torch.rand(3)
    torch.manual_seed(7)
    LayerSpec().build()
    assert torch.equal(torch.rand(3), expected)


@pytest.mark.parametrize("spec,kwargs", [
    (LayerSpec(kind="LSTM", input_size=3, hidden_size=6, num_layers=2, batch_first=True,
               bidirectional=True, proj_size=2, dropout=0.2, train=True), dict(seq_len=4, batch_size=2)),
    (LayerSpec(kind="RNN", input_size=3, hidden_size=6, nonlinearity="relu", bias=False,
               dtype="float64"), dict(seq_len=4, with_h0=False, batched=False)),
])
def test_code_runs_and_prints_the_real_sizes(spec, kwargs):
    printed, values = _run(spec.code(**kwargs)).splitlines()  # sizes, then the final state's first values
    module = spec.build()
    batch = kwargs.get("batch_size", 3)
    x = torch.randn(*((batch, 4, 3) if spec.batch_first else (4, batch, 3)))
    if not kwargs.get("batched", True):
        x = torch.randn(4, 3)
    result = module(x.to(module.weight_ih_l0.dtype))
    states = result[1] if spec.kind == "LSTM" else [result[1]]
    sizes = [result[0].size()] + [s.size() for s in states]
    assert printed == " ".join(str(s) for s in sizes)


def _run(code: str) -> str:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        exec(compile(code, "<spec.code>", "exec"), {})
    return buffer.getvalue().strip()


@pytest.mark.parametrize("example", rnnviz.SEED_EXAMPLES, ids=lambda e: e.spec.kind)
def test_seed_examples_print_what_the_note_prints(example):
    code = example.spec.code(example.seq_len, example.batch_size)
    assert _run(code).splitlines()[0] == example.printed


@pytest.mark.parametrize("example", rnnviz.SEED_EXAMPLES, ids=lambda e: e.spec.kind)
def test_seed_examples_shapes_through_trace(example):
    spec = example.spec
    module = spec.build()
    source = rnnviz.InputSource(seq_len=example.seq_len, batch_size=example.batch_size,
                                initial_state="random")
    inputs = rnnviz.make_input(spec, source)
    x, hx = inputs.call_args()
    tr = rnnviz.trace(module, x, hx)
    sizes = [tr.output.size(), tr.h_n.size()] + ([tr.c_n.size()] if spec.kind == "LSTM" else [])
    assert " ".join(map(str, sizes)) == example.printed
    # h_0 built from the numbers, not taken from h_n: (D·num_layers, N, H_out), as the note's
    # title states it, and torch accepts a state of that shape
    h0_shape = (spec.num_directions * spec.num_layers, example.batch_size, spec.hidden_size)
    assert str(h0_shape) in example.title
    h0 = torch.zeros(h0_shape)
    module(x, (h0, torch.zeros(h0_shape)) if spec.kind == "LSTM" else h0)
    shapes = rnnviz.describe_call(module, x, hx, tr)
    given_h0 = inputs.hx[0] if spec.kind == "LSTM" else inputs.hx  # make_input's, from the rule
    assert shapes.get("h_0").shape == h0_shape == tuple(given_h0.shape)
    state = (tr.h_n, tr.c_n) if spec.kind == "LSTM" else tr.h_n
    assert rnnviz.describe_call(module, x, hx, (tr.output, state)) == shapes  # a plain result: the same


def test_core_needs_torch_alone():
    """`import rnnviz`, a trace, its shapes and an input load neither pandas (read only for
    CSV input) nor the app's streamlit and plotly."""
    code = "; ".join([
        "import sys, torch, rnnviz",
        "lstm, x = torch.nn.LSTM(3, 4, 2), torch.randn(5, 2, 3)",
        "rnnviz.describe_call(lstm, x, None, rnnviz.trace(lstm, x))",
        "rnnviz.make_input(rnnviz.LayerSpec(), rnnviz.InputSource())",
        "print(sorted({name.split('.')[0] for name in sys.modules} & {'pandas', 'streamlit', 'plotly'}))",
    ])
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_reuse_freed_memory_applies_where_the_c_library_is_glibc():
    import platform

    applied = rnnviz.reuse_freed_memory(64 << 20)
    assert applied is (platform.libc_ver()[0] == "glibc")


def test_a_spec_error_names_every_problem_in_one_line():
    error = SpecError(["hidden_size must be at least 1", "dropout must be below 1"])
    assert str(error) == "hidden_size must be at least 1; dropout must be below 1"
    assert error.messages == ["hidden_size must be at least 1", "dropout must be below 1"]


def test_state_shapes_without_a_projection_use_hidden_size():
    from rnnviz.spec import state_shapes

    assert state_shapes(2, 2, 3, 5) == ((4, 3, 5), (4, 3, 5))
    assert state_shapes(2, 1, None, 5, proj_size=2) == ((2, 2), (2, 5))


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_constructor_kwargs_are_what_torchs_constructor_takes(kind):
    spec = LayerSpec(kind=kind, input_size=3, hidden_size=4, num_layers=2, dropout=0.25, nonlinearity="relu"
                     if kind == "RNN" else "tanh", proj_size=2 if kind == "LSTM" else 0)
    kwargs = spec.constructor_kwargs()
    assert kwargs["dropout"] == 0.25 and ("nonlinearity" in kwargs) == (kind == "RNN")
    assert ("proj_size" in kwargs) == (kind == "LSTM")
    module = getattr(nn, kind)(**kwargs)  # torch takes exactly these
    assert module.dropout == 0.25
    if kind == "RNN":
        assert module.nonlinearity == "relu"


def test_build_puts_the_layer_on_the_device_asked():
    spec = LayerSpec(kind="GRU", input_size=2, hidden_size=3, dtype="float64")
    on_meta = spec.build(device=torch.device("meta"))
    assert {p.device.type for p in on_meta.parameters()} == {"meta"}
    assert {p.dtype for p in on_meta.parameters()} == {torch.float64}


def test_code_by_default_calls_a_batch_of_3_sequences_of_5_steps_from_a_random_h0():
    spec = LayerSpec(kind="GRU", input_size=2, hidden_size=3)
    code = spec.code()
    assert "torch.randn(5, 3, 2, generator=g" in code and "h0 = torch.randn(1, 3, 3" in code
    assert code == spec.code(5, 3, True, True)
    assert "h0" not in spec.code(with_h0=False)
