"""The Shapes view's code reproduces the view: run in a fresh Python with torch alone, it prints the
page's shapes and the page's numbers (the last layer's final state, within 1e-6), for each input
source the page draws, and, after an upload, loads the learner's own file instead of a seeded layer."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from streamlit.testing.v1 import AppTest
from torch import nn

from rnnviz.inputs import InputSource
from rnnviz.layerfile import infer, read_state_dict
from rnnviz.spec import LayerSpec
from rnnviz.ui.run import traced_run

APP = str(Path(__file__).parents[1] / "app.py")
PAGE = dict(input_size=3, hidden_size=8, seed=0)  # the layer pages' defaults

CASES = {
    "lstm sine (the page's default)": (LayerSpec(kind="LSTM", **PAGE),
                                       InputSource(kind="sine", seq_len=20, batch_size=2)),
    "gru random, 2 layers, bidirectional, random h_0": (
        LayerSpec(kind="GRU", input_size=4, hidden_size=5, num_layers=2, bidirectional=True, seed=3),
        InputSource(kind="random", seq_len=7, batch_size=3, initial_state="random", seed=3)),
    "rnn impulse, relu, batch_first": (
        LayerSpec(kind="RNN", nonlinearity="relu", batch_first=True, **PAGE),
        InputSource(kind="impulse", seq_len=12, batch_size=2)),
    "lstm step, packed lengths, proj_size, float64, random h_0 and c_0": (
        LayerSpec(kind="LSTM", input_size=2, hidden_size=6, proj_size=3, dtype="float64", seed=5),
        InputSource(kind="step", seq_len=10, batch_size=3, lengths=(10, 4, 7), initial_state="random",
                    seed=5)),
    "gru sine, batch_first, packed": (
        LayerSpec(kind="GRU", batch_first=True, **PAGE),
        InputSource(kind="sine", seq_len=9, batch_size=2, lengths=(5, 9))),
    "lstm text of lines of different lengths (packed), random h_0 and c_0": (
        LayerSpec(kind="LSTM", input_size=len(set("hello world\nhi\n'quoted' (x)")) - 1, hidden_size=6),
        InputSource(kind="text", text="hello world\nhi\n'quoted' (x)", initial_state="random", seed=4)),
    "gru text of equal lines, batch_first, 中文": (
        LayerSpec(kind="GRU", input_size=len(set("你好世界\n世界你好")) - 1, hidden_size=5, batch_first=True),
        InputSource(kind="text", text="你好世界\n世界你好")),
}


def _printed(code: str, cwd: Path) -> tuple[str, list[float]]:
    """What the snippet prints in a fresh interpreter: its sizes line and its values line."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=cwd,
                         timeout=120)
    sizes, values = out.stdout.strip().splitlines()
    return sizes, ast.literal_eval(values)


def _expected(run) -> tuple[str, list[float]]:
    """The page's own shapes and numbers, from the run the page draws."""
    tr = run.trace
    output = tr.output.data if isinstance(tr.output, nn.utils.rnn.PackedSequence) else tr.output
    states = [tr.h_n] + ([tr.c_n] if tr.c_n is not None else [])
    sizes = " ".join(str(t.size()) for t in [output, *states])
    return sizes, tr.h_n[-1, 0, :3].tolist()


def _check(run, cwd: Path) -> None:
    sizes, values = _printed(run.code, cwd)
    want_sizes, want_values = _expected(run)
    assert sizes == want_sizes
    assert values == pytest.approx(want_values, abs=1e-6)


@pytest.mark.parametrize("name", CASES)
def test_the_snippet_prints_the_pages_shapes_and_numbers(name, tmp_path):
    spec, source = CASES[name]
    run = traced_run(spec, source)
    assert "torch.randn" not in run.code or source.kind == "random" or source.initial_state == "random"
    assert f"manual_seed({source.seed})" in run.code or source.kind == "text"
    assert source.kind != "text" or repr(source.text) in run.code  # the page's own text
    _check(run, tmp_path)


def test_the_page_shows_the_snippet_of_its_own_input():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"source": "impulse", "seq_len": "12", "view": "Shapes"})
    at.switch_page("pages/gru.py").run()
    assert not at.exception
    spec = LayerSpec(kind="GRU", **PAGE)
    run = traced_run(spec, InputSource(kind="impulse", seq_len=12, batch_size=2))
    shown = [c.value for c in at.code if c.value.startswith("import")]
    assert shown == [run.code.strip()]
    assert "input[3] = 1" in run.code and "torch.randn" not in run.code  # the impulse, not random numbers


def _own(tmp_path: Path, kind: str, state: dict, prefix: str = "") -> tuple:
    """A learner's file saved as my_layer.pt, read as the page reads it."""
    torch.save(state, tmp_path / "my_layer.pt")
    path = tmp_path / "my_layer.pt"
    found = infer(read_state_dict(path.read_bytes(), path.name), prefix)  # as the page reads an upload
    spec = found.spec.replace(seed=0)
    assert spec.kind == kind
    return spec, found


def _layer(kind: str, *args, seed: int = 11, **kwargs) -> nn.Module:
    torch.manual_seed(seed)  # not the page's seed: the file's weights must be the ones that run
    return getattr(nn, kind)(*args, **kwargs)


UPLOADS = {
    "a layer's state dict": lambda: ("LSTM", _layer("LSTM", 3, 6, 2).state_dict(), ""),
    "a checkpoint holding a bidirectional GRU": lambda: (
        "GRU", {"epoch": 3, "state_dict": {f"encoder.rnn.{k}": v for k, v in
                                           _layer("GRU", 3, 4, bidirectional=True).state_dict().items()}},
        "state_dict.encoder.rnn."),
    "an LSTMCell": lambda: ("LSTM", _layer("LSTMCell", 3, 5).state_dict(), ""),
}


@pytest.mark.parametrize("name", UPLOADS)
def test_after_an_upload_the_snippet_loads_the_file(name, tmp_path):
    kind, state, prefix = UPLOADS[name]()
    spec, found = _own(tmp_path, kind, state, prefix)
    source = InputSource(kind="sine", seq_len=6, batch_size=2)
    run = traced_run(spec, source, f"test-{name}", found)
    assert 'torch.load("my_layer.pt", weights_only=True)' in run.code
    assert "rnn.load_state_dict(state)" in run.code and "torch.manual_seed" not in run.code
    _check(run, tmp_path)
    seeded = traced_run(spec, source)  # the same arguments, seeded weights: other numbers
    assert _expected(seeded)[1] != pytest.approx(_expected(run)[1], abs=1e-6)


@pytest.mark.parametrize("with_h0", [True, False])
def test_a_layers_own_snippet_draws_its_input_and_state_from_the_layers_seed(with_h0, tmp_path):
    """LayerSpec.code() without a source (snippet.layer_code's default input: mutants that leave out
    the seed or the kind of initial state): its numbers are those of a random input and initial state
    drawn with the layer's seed 7."""
    spec = LayerSpec(kind="GRU", input_size=3, hidden_size=4, seed=7)
    source = InputSource(kind="random", seq_len=5, batch_size=3, seed=7,
                         initial_state="random" if with_h0 else "zeros")
    run = traced_run(spec, source)
    code = spec.code(seq_len=5, batch_size=3, with_h0=with_h0)
    assert code == run.code and "import math" not in code  # math only for a sine
    _check(run, tmp_path)


def test_the_snippets_comments_name_each_tensors_dimensions():
    """snippet.layer_code (mutants in the text a learner reads: train or eval, the state's last
    dimension, the unbatched input's batch of one and its comments)."""
    projected = LayerSpec(kind="LSTM", input_size=3, hidden_size=4, proj_size=2, train=True).code(5, 3)
    assert "\nrnn.train()\n" in projected
    lead = "generator=g)  # (num_layers * num_directions, batch, "
    assert f"h0 = torch.randn(1, 3, 2, {lead}proj_size)" in projected
    assert f"c0 = torch.randn(1, 3, 4, {lead}hidden_size)" in projected
    assert "# the last layer's final state: first sequence, first units" in projected
    alone = LayerSpec(kind="GRU", input_size=3, hidden_size=4).code(5, 3, batched=False)
    assert "\nrnn.eval()\n" in alone and "input = torch.randn(5, 1, 3, generator=g" in alone
    assert "h0 = torch.randn(1, 4, generator=g)  # (num_layers * num_directions, hidden_size)" in alone
    assert alone.rstrip().endswith("print(hn[-1, :3].tolist())  # the last layer's final state: first units")


def test_an_unbatched_snippet_prints_the_pages_numbers(tmp_path):
    spec = LayerSpec(kind="GRU", input_size=3, hidden_size=4, seed=2)
    run = traced_run(spec, InputSource(kind="impulse", seq_len=9, batch_size=3, batched=False,
                                       initial_state="random", seed=2))
    sizes, values = _printed(run.code, tmp_path)  # _expected reads a batch's first sequence: not here
    assert sizes == f"{run.trace.output.size()} {run.trace.h_n.size()}"
    assert values == pytest.approx(run.trace.h_n[-1, :3].tolist(), abs=1e-6)
