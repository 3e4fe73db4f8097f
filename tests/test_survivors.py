"""Mutants that survived the tests (issue 18): each test here fails when its one-line change is made.

Torch is the oracle: the numbers are compared with what torch's own modules, optimizer, clipping
and packing give.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import pandas as pd
import pytest
import torch
from streamlit.testing.v1 import AppTest
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

import rnnviz
from rnnviz import InputError, InputSource, LayerSpec
from rnnviz.examples import SEED_EXAMPLES, example_query
from rnnviz.inputs import make_input
from rnnviz.layerfile import infer, read_state_dict, rebuild
from rnnviz.packing import packing_anatomy, packing_example
from rnnviz.readers import MAX_FEATURES
from rnnviz.tasks import batch, make_task
from rnnviz.train import History, TrainConfig, build_model, train
from rnnviz.whatif import impulse_response, kept_steps, shift_gate_bias

APP = str(Path(__file__).parents[1] / "app.py")


# the training readout's width follows proj_size (mutant: `width = directions * rnn.hidden_size`)
@pytest.mark.parametrize("bidirectional", [False, True])
def test_the_readout_reads_a_projected_lstms_output(bidirectional):
    task = make_task("adding")
    spec = LayerSpec(kind="LSTM", input_size=task.features, hidden_size=6, proj_size=2,
                     bidirectional=bidirectional)
    config = TrainConfig(spec=spec, task=task, seq_len=7, batch_size=4, steps=2)
    model = build_model(config)
    assert model.head.in_features == (2 if bidirectional else 1) * 2
    x, _ = batch(task, 7, 4, torch.Generator().manual_seed(0))
    x = x.float()
    out, _ = model.rnn(x)
    assert torch.equal(model(x), model.head(out[-1]))  # the readout reads the layer's own output
    history = train(config)
    assert history.stopped == "done" and len(history.loss) == 2


# clipping is applied (mutant: the clip_grads_with_norm_ line removed); Adam is scale invariant on
# one step, so the oracle is several of torch's own steps with and without clip_grad_norm_
def _replica(config: TrainConfig, clip: bool) -> dict:
    model = build_model(config)
    optimizer = torch.optim.Adam(model.parameters(), lr=config.lr)
    generator = torch.Generator().manual_seed(config.seed)
    norms = []
    for _ in range(config.steps):
        x, y = batch(config.task, config.seq_len, config.batch_size, generator)
        loss = nn.functional.mse_loss(model(x.float()), y.float())
        optimizer.zero_grad()
        loss.backward()
        if clip:
            norms.append(float(nn.utils.clip_grad_norm_(model.parameters(), config.clip)))
        else:
            norms.append(float(torch.linalg.vector_norm(
                torch.stack([p.grad.norm() for p in model.parameters()]))))
        optimizer.step()
    return {"state": model.state_dict(), "norms": norms}


def test_gradient_clipping_is_torchs_clip_grad_norm():
    task = make_task("adding")
    spec = LayerSpec(kind="RNN", input_size=task.features, hidden_size=5)
    config = TrainConfig(spec=spec, task=task, seq_len=6, batch_size=8, steps=6, lr=0.05, clip=0.05)
    model = build_model(config)
    history = train(config, model=model)
    clipped, unclipped = _replica(config, clip=True), _replica(config, clip=False)
    assert min(clipped["norms"]) > 2 * config.clip  # every step is clipped
    assert history.grad_norm == pytest.approx(clipped["norms"], rel=1e-5)  # the norm before clipping
    for name, value in model.state_dict().items():
        assert torch.allclose(value, clipped["state"][name], atol=1e-6, rtol=1e-5), name
    moved = max((model.state_dict()[n] - v).abs().max().item() for n, v in unclipped["state"].items())
    assert moved > 1e-4  # unclipped training ends elsewhere: the comparison above can fail


# the GRU's update gate z is the second block of (r, z, n) (mutant: BIAS_BLOCK["GRU"] = 0, the reset gate)
@pytest.mark.parametrize("kind,block", [("GRU", 1), ("LSTM", 1)])
def test_the_shifted_bias_is_the_update_or_forget_gates(kind, block):
    torch.manual_seed(0)
    module = getattr(nn, kind)(3, 4, num_layers=2, bidirectional=True)
    before = {name: value.clone() for name, value in module.state_dict().items()}
    shifted = shift_gate_bias(module, 2.5)
    gates = 3 if kind == "GRU" else 4
    for name, value in module.named_parameters():
        moved = shifted.get_parameter(name) - value
        expected = torch.zeros_like(value)
        if name.startswith("bias_ih_"):
            expected.view(gates, 4)[block] = 2.5
        assert torch.allclose(moved, expected, atol=1e-6), name
    assert all(torch.equal(value, before[name]) for name, value in module.state_dict().items())  # a copy


def test_a_larger_update_bias_keeps_a_gru_impulse_longer():
    torch.manual_seed(1)
    gru = nn.GRU(2, 6).double()
    kept = [kept_steps(impulse_response(shift_gate_bias(gru, b), 40, 5), 5) for b in (0.0, 3.0)]
    assert kept[1] > kept[0] + 5


# a rebuilt layer holds the file's parameters (mutant: rebuild loads zeros, or the page builds spec alone)
def _saved(state: dict) -> bytes:
    buffer = io.BytesIO()
    torch.save(state, buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("kind,extra", [("LSTM", {"proj_size": 2, "num_layers": 2}), ("GRU", {}),
                                        ("RNN", {"bidirectional": True})])
def test_the_rebuilt_layer_is_the_files_own_without_reloading_it(kind, extra):
    torch.manual_seed(4)
    original = getattr(nn, kind)(3, 5, **extra).double().eval()
    found = infer(read_state_dict(_saved(original.state_dict()), "layer.pt"))
    rebuilt = rebuild(found, found.spec.replace(dtype="float64"))
    for name, value in original.state_dict().items():
        assert torch.equal(rebuilt.state_dict()[name], value), name
    x = torch.randn(6, 2, 3, dtype=torch.float64)
    assert torch.equal(rebuilt(x)[0], original(x)[0])


def test_the_page_runs_the_files_layer():
    from rnnviz.ui.run import traced_run

    torch.manual_seed(5)
    original = nn.GRU(3, 4).double().eval()
    found = infer(read_state_dict(_saved(original.state_dict()), "layer.pt"))
    spec = found.spec.replace(dtype="float64")
    run = traced_run(spec, InputSource(kind="sine", seq_len=7, batch_size=2), "survivor-digest", found)
    assert torch.equal(run.trace.output, original(run.x, run.hx)[0])


# a link resets what it leaves out in a session that had other values (mutant: no pop of those keys)
def test_a_link_resets_what_it_leaves_out_in_an_old_session():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["hidden_size"] = "20"
    at.query_params["num_layers"] = "2"
    at.switch_page("pages/gru.py")
    at.run()
    assert at.slider(key="hidden_size").value == 20 and at.slider(key="num_layers").value == 2
    for name in list(at.query_params):
        del at.query_params[name]
    at.query_params["input_size"] = "3"  # a link to the LSTM page that names input_size alone
    at.switch_page("pages/lstm.py")
    at.run()
    assert not at.exception
    assert at.slider(key="input_size").value == 3
    assert at.slider(key="hidden_size").value == 8 and at.slider(key="num_layers").value == 1


# a CSV header wider than the caps is refused before pandas reads the file (mutant: guard 100x looser)
@pytest.mark.parametrize("columns,refused", [(MAX_FEATURES + 1, False), (MAX_FEATURES + 2, True)])
def test_a_wide_header_is_refused_before_pandas_reads_the_file(monkeypatch, columns, refused):
    read = []
    real = pd.read_csv
    monkeypatch.setattr(pd, "read_csv", lambda *a, **k: read.append(1) or real(*a, **k))
    header = ",".join(["id", *(f"f{i}" for i in range(columns - 1))])
    row = ",".join(["a", *("1" for _ in range(columns - 1))])
    source = InputSource(kind="csv", csv=f"{header}\n{row}\n".encode(), sequence_column="id")
    if refused:
        with pytest.raises(InputError, match=f"{columns} columns"):
            rnnviz.readers.csv_table(source)
        assert not read  # pandas never saw the file
    else:
        assert rnnviz.readers.csv_table(source).values.shape[1] == MAX_FEATURES
        assert read


# sorted_indices and unsorted_indices are torch's, with a sort that is not its own inverse
def test_packing_indices_are_torchs_for_a_permutation_that_is_not_its_own_inverse():
    lengths = [2, 5, 3]  # sorted by length: (1, 2, 0); its inverse is (2, 0, 1)
    torch.manual_seed(0)
    padded = torch.randn(5, 3, 2)
    for sequence, n in enumerate(lengths):
        padded[n:, sequence] = 0
    anatomy = packing_anatomy(nn.GRU(2, 3).eval(), padded, lengths)
    packed = pack_padded_sequence(padded, torch.tensor(lengths), enforce_sorted=False)
    assert anatomy.sorted_indices == packed.sorted_indices.tolist() == [1, 2, 0]
    assert anatomy.unsorted_indices == packed.unsorted_indices.tolist() == [2, 0, 1]
    assert anatomy.row_source[:3] == [(0, 1), (0, 2), (0, 0)]
    for row, (t, sequence) in enumerate(anatomy.row_source):
        assert torch.equal(anatomy.data[row], padded[t, sequence])


# surviving mutants of bench/mutation.sh: the packing page's example and the seed examples' links
@pytest.mark.parametrize("kind,bidirectional", [("LSTM", True), ("GRU", False)])
def test_the_packing_pages_example_is_a_seeded_zero_padded_batch(kind, bidirectional):
    lengths = [2, 5, 3]
    anatomy = packing_example(kind, lengths, bidirectional, seed=3, dtype="float64")
    assert anatomy.padded.shape == (5, 3, 2) and anatomy.padded.dtype == torch.float64
    assert anatomy.lengths == lengths and anatomy.reverse_starts == [1, 4, 2]
    for sequence, n in enumerate(lengths):
        assert anatomy.padded[n:, sequence].abs().sum() == 0 and anatomy.padded[:n, sequence].abs().min() > 0
    assert anatomy.h_n_packed.shape == ((2 if bidirectional else 1), 3, 3)  # hidden_size 3
    module = LayerSpec(kind=kind, input_size=2, hidden_size=3, bidirectional=bidirectional, seed=3,
                       dtype="float64").build()
    packed = pack_padded_sequence(anatomy.padded, torch.tensor(lengths), enforce_sorted=False)
    state = module(packed)[1]
    assert torch.equal(anatomy.h_n_packed, state[0] if kind == "LSTM" else state)
    again = packing_example(kind, lengths, bidirectional, seed=3, dtype="float64")
    assert torch.equal(anatomy.padded, again.padded)
    other = packing_example(kind, lengths, bidirectional, seed=4)
    assert not torch.equal(anatomy.padded, other.padded.double())
    with pytest.raises(ValueError, match="batch_first=False"):
        packing_anatomy(nn.GRU(2, 3, batch_first=True), anatomy.padded.float(), lengths)


@pytest.mark.parametrize("example", SEED_EXAMPLES, ids=lambda e: e.spec.kind)
def test_a_seed_examples_link_names_its_layer_and_input(example):
    spec = example.spec
    assert example_query(example) == {
        "input_size": spec.input_size, "hidden_size": spec.hidden_size, "num_layers": spec.num_layers,
        "bidirectional": spec.bidirectional, "seq_len": example.seq_len, "batch_size": example.batch_size}
    query = example_query(example)
    assert (query["seq_len"], query["batch_size"]) == example.input_shape[:2]


# --- survivors of the full run (issue 18): each test names the one-line change it catches ----------

def test_a_lessons_layer_is_of_the_kind_and_seed_it_is_asked_for():
    """rnnviz.lesson._layer (mutants: the kind or the seed left out, so the defaults stand in)."""
    from rnnviz.lesson import _layer

    query = {"input_size": 2, "hidden_size": 3, "seq_len": 4, "batch_size": 2, "seed": 7}
    for kind in ("RNN", "LSTM", "GRU"):
        spec, source = _layer(kind, query)
        assert spec.kind == kind and spec.seed == 7 and source.seed == 7
        assert (source.seq_len, source.batch_size) == (4, 2)


def test_the_packing_pages_default_seed_is_0():
    """packing_example's default seed (mutant: 1): the page's example is the one seed=0 gives."""
    default = packing_example("GRU", [3, 2], False)
    assert torch.equal(default.padded, packing_example("GRU", [3, 2], False, seed=0).padded)
    assert not torch.equal(default.padded, packing_example("GRU", [3, 2], False, seed=1).padded)


def test_the_first_record_starts_on_line_1():
    """readers._record_line (mutant: `start = None`): the header, record 0, is on line 1."""
    from rnnviz.readers import _record_line

    assert _record_line("a,b\n1,2\n", 0) == 1
    assert _record_line('a,b\n"1\n2",3\n4,5\n', 2) == 4  # after a field spanning two lines


def test_worked_text_starts_with_the_formula_and_brackets_only_what_torch_holds():
    """stepthrough.worked_text (mutants: the first row from the second part; "[nan]" or a filler where
    torch keeps no value)."""
    from rnnviz.stepthrough import Line, worked_text

    text = worked_text([Line("i", "σ(a + b) = σ(+ 0.1000 + 0.2000) = σ(0.3000)", 0.5744, float("nan")),
                        Line("h_t", "tanh(pre) = tanh(0.5000)", 0.4621, 0.4621)])
    assert text.split("\n") == ["i = σ(a + b)", "  = σ(+ 0.1000 + 0.2000)", "  = σ(0.3000)", "  = 0.5744",
                                "", "h_t = tanh(pre)", "    = tanh(0.5000)", "    = 0.4621   [0.4621]"]


def test_a_one_unit_layers_step_reads_its_previous_state():
    """stepthrough.step_equations (mutant: the previous step's NaN check on unit 1, which a one-unit
    layer does not have)."""
    from rnnviz.stepthrough import step_equations

    torch.manual_seed(0)
    module = nn.GRU(2, 1).double().requires_grad_(False)
    tr = rnnviz.trace(module, torch.randn(3, 1, 2, dtype=torch.float64))
    lines = step_equations(module, tr, 0, 0, 0, 2, 0)
    assert lines[-1].value == pytest.approx(lines[-1].traced, abs=1e-12)


def test_correlations_are_computed_in_float64_whatever_the_values_dtype():
    """textcells.correlations (mutants: the values or the target kept in float32)."""
    from rnnviz.textcells import correlations

    generator = torch.Generator().manual_seed(0)
    values = torch.randn(200, 3, generator=generator)
    target = values[:, 0] + torch.randn(200, generator=generator)
    expected = [float(torch.corrcoef(torch.stack([values[:, j].double(), target.double()]))[0, 1])
                for j in range(3)]
    assert correlations(values.numpy(), target.double().numpy()) == pytest.approx(expected, abs=1e-13)
    assert correlations(values.double().numpy(), target.numpy()) == pytest.approx(expected, abs=1e-13)


def test_a_unit_whose_squares_underflow_reads_as_constant_without_a_warning():
    """textcells.correlations (mutant: numpy's divide-by-zero warning let through): a unit varying by
    1e-200 has a sum of squares of 0 but a covariance that is not."""
    import warnings

    import numpy as np

    from rnnviz.textcells import correlations

    values = np.array([[0.0, 0.0], [1e-200, 1.0], [2e-200, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = correlations(values, np.array([0.0, 1.0, 2.0]))
    assert r.tolist() == [0.0, 0.0]


def _windows_of(data, length, size, seed=0):
    from rnnviz.tasks import _windows

    return _windows(data, length, size, torch.Generator().manual_seed(seed))


def test_windows_of_data_exactly_as_long_are_the_data():
    """tasks._windows (mutant: data as long as a window repeated, so windows wrap around)."""
    data = torch.arange(6.0)
    assert torch.equal(_windows_of(data, 6, 5), data[:, None].expand(6, 5))


def test_windows_of_short_data_with_many_features_are_consecutive_rows_of_the_repeated_data():
    """tasks._windows (mutant: the repeat count from the feature count): 3 rows of 10 features,
    windows of 7."""
    data = torch.arange(30.0).reshape(3, 10)
    windows = _windows_of(data, 7, 8)  # (7, 8, 10)
    assert windows.shape == (7, 8, 10)
    rows = windows[..., 0] / 10  # which row of data each step is
    assert torch.equal((rows[1:] - rows[:-1]) % 3, torch.ones(6, 8))


def test_windows_are_drawn_from_the_generator_given():
    """tasks._windows (mutants: the generator dropped, so the global seed decides)."""
    data = torch.arange(100.0)
    torch.manual_seed(1)
    first = _windows_of(data, 5, 16, seed=3)
    torch.manual_seed(2)
    assert torch.equal(first, _windows_of(data, 5, 16, seed=3))
    assert not torch.equal(first, _windows_of(data, 5, 16, seed=4))


def test_a_string_pushed_and_dropped_before_stack_global_does_not_hide_the_name():
    """torchfile._globals_named (mutant: any string argument, not only unicode ones, taken as a name):
    STACK_GLOBAL takes the last two unicode strings; a BINSTRING popped in between is no name."""
    from rnnviz.torchfile import _globals_named

    data = b"\x80\x04\x8c\x02os\x8c\x06systemU\x01x0\x93."  # "os", "system", b"x" popped, STACK_GLOBAL
    assert _globals_named(data) == ["os.system"]


@pytest.mark.parametrize("raw,line", [('"' + "x" * 200_000 + "\n", 1), ('a,b\n1,"' + "x" * 200_000 + "\n", 2),
                                      ('a,b\n1,2\n\n3,"' + "x" * 200_000 + "\n", 4)])
def test_an_unclosed_quote_past_the_csv_modules_field_limit_still_names_its_line(raw, line):
    """readers._parse_csv (mutants: the line when the csv module cannot count it, row - 1 or row + 2):
    a field over 128 KB stops the csv module, and pandas' record number (blank lines counted) gives
    the line."""
    with pytest.raises(InputError) as raised:
        rnnviz.readers.csv_table(InputSource(kind="csv", csv=raw))
    assert raised.value.args[0].key == "csv_open_quote" and raised.value.args[0].values == {"line": line}


def test_a_header_past_the_csv_modules_field_limit_with_a_ragged_row_is_a_message():
    """readers._parse_csv (mutant: the row-length check asked of a header the csv module could not read)."""
    with pytest.raises(InputError) as raised:
        rnnviz.readers.csv_table(InputSource(kind="csv", csv="a" * 200_000 + "\n1\n2,3,4\n"))
    assert raised.value.args[0].key == "csv_ragged" and "line 3" in str(raised.value.args[0].values["detail"])


def test_a_csv_given_as_some_other_object_is_read_as_its_text():
    """readers.csv_table (mutants: bytes() of it, or the text of None)."""

    class Text:
        def __str__(self):
            return "a,b\n1,2\n"

    table = rnnviz.readers.csv_table(InputSource(kind="csv", csv=Text()))
    assert table.frame.columns.tolist() == ["a", "b"] and table.frame.to_numpy().tolist() == [[1, 2]]


def test_a_projected_lstms_step_works_out_o_tanh_c_before_the_projection():
    """stepthrough.step_equations (mutant: the line's working left out): with proj_size, o ⊙ tanh(c_t)
    is shown worked, with no torch value (torch keeps only the projected h_t)."""
    from rnnviz.stepthrough import step_equations, worked_text

    torch.manual_seed(0)
    module = nn.LSTM(2, 3, proj_size=2).double().requires_grad_(False)
    tr = rnnviz.trace(module, torch.randn(3, 1, 2, dtype=torch.float64))
    lines = step_equations(module, tr, 0, 0, 0, 1, 2)
    core = next(line for line in lines if line.symbol == "o ⊙ tanh(c_t)")
    o, c_t = (next(line.value for line in lines if line.symbol == s) for s in ("o", "c_t"))
    assert core.worked == f"{o:.4f} × tanh({c_t:.4f})" and core.value == pytest.approx(o * math.tanh(c_t))
    assert f"o ⊙ tanh(c_t) = {o:.4f} × tanh({c_t:.4f})\n" in worked_text(lines)


def test_norms_given_as_a_list_of_floats_are_compared_in_float64():
    """claims._values (mutants: the list read in torch's default float32, where a norm just under the
    threshold rounds onto it and no longer counts as fallen)."""
    from rnnviz.claims import VANISHED, vanishing

    just_under = VANISHED * (1 - 1e-9)
    assert vanishing({"list": [1.0, just_under, 1.0]}).below_at == {"list": 1}


# --- training's pieces that only the app's (AppTest) and the slow training tests reached ------------

def test_a_classification_is_scored_by_torchs_cross_entropy_and_the_share_of_argmax_hits():
    """train._score (mutants: the logits, labels, argmax axis or comparison changed)."""
    from torch.nn import functional

    from rnnviz.train import _score

    generator = torch.Generator().manual_seed(0)
    recall, text = make_task("recall", symbols=5), make_task("text", text="abcab cab")
    for task, shape in ((recall, (7,)), (text, (4, 3))):
        prediction = torch.randn(*shape, task.outputs, generator=generator, dtype=torch.float64)
        target = torch.randint(0, task.outputs, shape, generator=generator)
        loss, accuracy = _score(task, prediction, target)
        flat, labels = prediction.reshape(-1, task.outputs), target.reshape(-1)
        assert loss.item() == pytest.approx(functional.cross_entropy(flat, labels).item(), abs=1e-12)
        hits = [max(range(task.outputs), key=lambda j: row[j]) == label for row, label in zip(flat, labels)]
        assert accuracy == pytest.approx(sum(hits) / len(hits)) and 0 < sum(hits) < len(hits)
    adding = make_task("adding")
    prediction, target = torch.randn(6, 1, dtype=torch.float64), torch.randn(6, 1, dtype=torch.float64)
    loss, accuracy = _score(adding, prediction, target)
    assert loss.item() == pytest.approx(((prediction - target) ** 2).mean().item()) and accuracy is None
    loss, _ = _score(adding, prediction.float(), target)  # float64 targets, scored in the model's dtype
    assert loss.dtype == torch.float32
    assert loss.item() == pytest.approx(((prediction - target) ** 2).mean().item())


@pytest.mark.parametrize("kind", ["RNN", "GRU", "LSTM"])
@pytest.mark.parametrize("task_name", ["adding", "sine"])  # the last step's answer, or one at every step
def test_the_readout_is_its_head_on_the_layers_output_in_either_layout(kind, task_name):
    """train.Readout (mutants: batch_first's transposes, the width of a layer without proj_size, the
    task's every_step): a batch_first model gives what the time-major one does, and both are the head
    applied to torch's output at the last step (or every step)."""
    task = make_task(task_name)
    x, _ = batch(task, 5, 3, torch.Generator().manual_seed(0))
    outputs = []
    for batch_first in (False, True):
        spec = LayerSpec(kind=kind, input_size=task.features, hidden_size=4, batch_first=batch_first,
                         bidirectional=task_name == "adding", dtype="float64")
        model = build_model(TrainConfig(spec=spec, task=task, seq_len=5, batch_size=3))
        assert model.head.in_features == (2 if spec.bidirectional else 1) * 4
        assert all(p.dtype == torch.float64 for p in model.parameters())
        outputs.append(model(x).detach())
        out, _ = model.rnn(x.transpose(0, 1) if batch_first else x)
        out = out.transpose(0, 1) if batch_first else out
        expected = model.head(out if task_name == "sine" else out[-1]).detach()
        assert torch.equal(outputs[-1], expected)
    assert outputs[0].shape == ((5, 3, 1) if task_name == "sine" else (3, 1))
    assert torch.allclose(outputs[0], outputs[1], atol=1e-12)


def _tiny(task_name="recall", **changes) -> TrainConfig:
    task = make_task(task_name, symbols=3)
    spec = LayerSpec(kind="GRU", input_size=task.features, hidden_size=4)
    return TrainConfig(**{**TrainConfig(spec=spec, task=task, seq_len=4, batch_size=8, steps=7, eval_every=3,
                                        checkpoints=4).__dict__, **changes})


def test_validation_is_scored_every_few_steps_and_at_the_last():
    """train.train (mutants: the validation schedule, what it records, the checkpoints' count, the
    validation batch's seed)."""
    from rnnviz.train import VALIDATION, _score, checkpoint_steps, load_checkpoint

    config = _tiny()
    history = train(config)
    assert history.val_step == [3, 6, 7] and history.stopped == "done"
    assert [step for step, _ in history.checkpoints] == checkpoint_steps(7, 4) == [0, 1, 3, 7]
    val_x, val_y = batch(config.task, 4, VALIDATION, torch.Generator().manual_seed(config.seed + 1))
    with torch.no_grad():
        model = load_checkpoint(config, history.checkpoints[-1][1])
        loss, accuracy = _score(config.task, model(val_x.float()), val_y)
    assert history.val_loss[-1] == pytest.approx(loss.item(), rel=1e-5)
    assert history.val_accuracy[-1] == accuracy
    assert all(isinstance(v, float) for v in history.val_loss + history.val_accuracy)


def test_without_clipping_the_parameters_move():
    """train.train (mutant: clipping also at clip = 0, which scales every gradient to 0)."""
    history = train(_tiny(clip=0.0, steps=2, checkpoints=3))
    (_, start), *_, (_, end) = history.checkpoints
    assert any(not torch.equal(start[name], end[name]) for name in start)


def test_a_run_out_of_time_returns_its_history():
    """train.train (mutant: `return` for `break` when the time is up, so the caller gets None)."""
    history = History()
    assert train(_tiny(max_seconds=0.0), history) is history
    assert history.stopped == "time" and history.step == [1]


@pytest.mark.parametrize("steps,count,expected", [(0, 12, [0]), (-2, 12, [0]), (1, 12, [0, 1]),
                                                  (10, 2, [0, 10]), (10, 1, [0, 10]), (10, 3, [0, 1, 10])])
def test_checkpoint_steps_start_untrained_and_end_at_the_last_step(steps, count, expected):
    """train.checkpoint_steps (mutants: one step, or two, read as none; the untrained step as 1; the
    number of log-spaced marks). Two or fewer are the start and the end."""
    from rnnviz.train import checkpoint_steps

    assert checkpoint_steps(steps, count) == expected


def test_the_adding_problems_two_markers_in_two_steps_and_one_in_one():
    """tasks.batch (mutants: the second marker taken from the first half when there are two steps;
    the values drawn in float32)."""
    generator = torch.Generator().manual_seed(0)
    x, target = batch(make_task("adding"), 2, 5, generator)
    assert x[..., 1].tolist() == [[1.0] * 5, [1.0] * 5]
    assert torch.equal(target[:, 0], x[0, :, 0] + x[1, :, 0])
    x, target = batch(make_task("adding"), 1, 5, generator)
    assert x[..., 1].tolist() == [[1.0] * 5] and torch.equal(target[:, 0], x[0, :, 0])
    x, _ = batch(make_task("adding"), 50, 20, generator)
    assert x.dtype == torch.float64 and not torch.equal(x[..., 0].float().double(), x[..., 0])



def test_a_sliding_window_view_that_reads_its_storage_twice_is_refused():
    """layerfile._judge_tensor (mutants: the bytes a tensor needs divided by its element size; its
    storage offset added, or divided): 10 values from 8 stored past the offset, each read twice."""
    from rnnviz.layerfile import LayerFileError, _judge_tensor

    storage = torch.arange(12.0)
    window = storage.as_strided((2, 5), (1, 1), 4)  # values 4..9, rows overlapping
    with pytest.raises(LayerFileError) as raised:
        _judge_tensor("weight_hh_l0", window)
    assert raised.value.args[0].key == "layer_expanded"
    assert raised.value.args[0].values == {"name": "weight_hh_l0", "count": 10, "stored": 32}
    _judge_tensor("weight_hh_l0", storage[4:])  # the same bytes past the offset, each read once


def test_a_layer_of_zero_units_is_a_message_not_a_division_by_zero():
    """layerfile._spec (mutant: divmod by a hidden size of 0)."""
    from rnnviz.layerfile import LayerFileError, judge

    with pytest.raises(LayerFileError) as raised:
        judge({"weight_ih_l0": torch.zeros(0, 3), "weight_hh_l0": torch.zeros(0, 0)})
    assert raised.value.args[0].key == "layer_shapes" and raised.value.args[0].values["hidden"] == 0


def test_a_bias_that_is_not_1_d_is_refused_as_such():
    """layerfile.judge (mutant: the dimension check asking for every condition at once)."""
    from rnnviz.layerfile import LayerFileError, judge

    gru = nn.GRU(3, 2).state_dict()
    with pytest.raises(LayerFileError) as raised:
        judge({**gru, "bias_ih_l0": gru["bias_ih_l0"][:, None, None]})
    assert raised.value.args[0].key == "layer_inconsistent"
    assert raised.value.args[0].values == {"detail": "weights must be 2-D and biases 1-D"}


def test_a_prefix_not_in_the_file_lists_the_layers_there_are():
    """layerfile.judge (mutant: the prefixes joined by another separator)."""
    from rnnviz.layerfile import LayerFileError, judge

    state = {**{f"enc.{k}": v for k, v in nn.GRU(3, 2).state_dict().items()},
             **{f"dec.{k}": v for k, v in nn.GRU(2, 2).state_dict().items()}}
    with pytest.raises(LayerFileError) as raised:
        judge(state, prefix="rnn.")
    assert raised.value.args[0].key == "layer_none_found"
    assert raised.value.args[0].values == {"prefix": "`'rnn.'`", "found": "`'dec.'`, `'enc.'`"}


@pytest.mark.parametrize("name", ["adding", "recall", "sine", "text", "series"])
def test_a_tasks_batches_come_from_the_generator_given(name):
    """tasks.batch (mutants: recall's symbols, the sine's frequency, phase or noise, or the windows of
    text and series, drawn from torch's global generator)."""
    series = torch.randn(40, 2, dtype=torch.float64)
    task = make_task(name, text="the cat sat on the mat. " * 4, series=series)
    torch.manual_seed(1)
    first = batch(task, 6, 16, torch.Generator().manual_seed(5))
    torch.manual_seed(2)
    again = batch(task, 6, 16, torch.Generator().manual_seed(5))
    assert all(torch.equal(a, b) for a, b in zip(first, again))


def test_the_sines_phase_goes_round_the_whole_circle():
    """tasks.batch (mutant: a phase drawn from [0, 2/π) instead of [0, 2π)): the first values reach
    both ends of the wave."""
    x, _ = batch(make_task("sine"), 2, 400, torch.Generator().manual_seed(0))
    assert float(x[0].min()) < -0.9 and float(x[0].max()) > 0.9


def test_a_text_batch_is_one_hot_over_the_whole_vocabulary_whichever_symbols_it_holds():
    """tasks.batch (mutant: one_hot without the vocabulary's size, so as wide as the largest symbol
    drawn): "z" sorts last and is rare."""
    task = make_task("text", text="abc" * 20 + "z")
    for seed in range(8):
        x, y = batch(task, 3, 2, torch.Generator().manual_seed(seed))
        assert x.shape == (3, 2, 4) and torch.equal(x.argmax(-1)[1:], y[:-1])


def test_a_series_task_is_named_standardised_per_column_and_has_no_chance_level():
    """tasks.make_task (mutants: the standard deviation clamped to at least 1; the name or the chance
    left out)."""
    series = torch.stack([torch.linspace(0, 0.5, 30), torch.linspace(0, 50, 30)], 1)
    task = make_task("series", series=series)
    assert task.name == "series" and math.isnan(task.chance)
    assert torch.allclose(task.data.mean(0), torch.zeros(2, dtype=torch.float64), atol=1e-12)
    assert torch.allclose(task.data.std(0), torch.ones(2, dtype=torch.float64))


def test_a_text_task_without_text_is_refused():
    """tasks.make_task (mutant: a default text that is not empty)."""
    from rnnviz.tasks import TaskError

    with pytest.raises(TaskError) as raised:
        make_task("text")
    assert raised.value.args[0].key == "task_text_short"


def test_a_direction_a_layer_does_not_have_is_an_index_error_that_says_the_range():
    """trace.Trace._key (mutants: the last direction plus one allowed; the message's range)."""
    tr = rnnviz.trace(nn.GRU(2, 3).double(), torch.randn(4, 1, 2, dtype=torch.float64))
    with pytest.raises(IndexError, match=r"^direction must be in 0\.\.0; got 1\.$"):
        tr.h(0, 1)
    tr2 = rnnviz.trace(nn.GRU(2, 3, bidirectional=True).double(), torch.randn(4, 1, 2, dtype=torch.float64))
    with pytest.raises(IndexError, match=r"^direction must be in 0\.\.1; got 2\.$"):
        tr2.h(0, 2)


def test_a_layer_exactly_as_large_as_the_limit_is_allowed(monkeypatch):
    """layerfile.judge (mutant: the size limit exclusive)."""
    from rnnviz import layerfile

    state = nn.GRU(3, 2).state_dict()
    monkeypatch.setattr(layerfile, "MAX_FILE_BYTES", layerfile.layer_nbytes(state))
    assert layerfile.judge(state).kind == "GRU"
    monkeypatch.setattr(layerfile, "MAX_FILE_BYTES", layerfile.layer_nbytes(state) - 1)
    with pytest.raises(layerfile.LayerFileError) as raised:
        layerfile.judge(state)
    assert raised.value.args[0].key == "layer_too_big"


def test_a_parameter_the_layer_does_not_have_is_named():
    """layerfile.judge (mutants: the unexpected names dropped from the check or from the message): an
    LSTM without bias_ih_l0 is read as bias=False, so its bias_hh_l0 is one it cannot have."""
    from rnnviz.layerfile import LayerFileError, judge

    state = {k: v for k, v in nn.LSTM(3, 2).state_dict().items() if k != "bias_ih_l0"}
    with pytest.raises(LayerFileError) as raised:
        judge(state)
    message = raised.value.args[0]
    assert message.key == "layer_keys" and "bias_hh_l0" in str(message.values["unexpected"])


@pytest.mark.parametrize("kind", ["RNN", "GRU", "LSTM"])
def test_the_gates_error_is_the_largest_difference_from_torchs_states(kind):
    """gates.rnn_gates / gru_gates / lstm_gates (mutants: the RNN's check made without its activation;
    a chunk's difference read as zeros): states that differ from the rebuilt ones by 0.25 at one
    place give an error of 0.25."""
    from rnnviz.gates import Steps, Weights, gru_gates, lstm_gates, rnn_gates

    torch.manual_seed(0)
    module = getattr(nn, kind)(2, 3).double().requires_grad_(False)
    x = torch.randn(5, 2, 2, dtype=torch.float64)
    out, state = module(x)
    h0 = torch.zeros(2, 3, dtype=torch.float64)
    h_prev = torch.cat([h0[None], out[:-1]])
    weights = Weights.of(module, 0, 0)

    def error(h_seq):
        if kind == "RNN":
            return rnn_gates(x, h_prev, h_seq, weights, Steps(), torch.tanh).error
        if kind == "GRU":
            return gru_gates(x, h_prev, h_seq, weights, Steps()).error
        return lstm_gates(x, h_prev, h_seq, weights, Steps(), 0, torch.zeros(2, 3, dtype=torch.float64),
                          state[1][0]).error

    assert error(out.clone()) < 1e-12
    moved = out.clone()
    moved[3, 1, 2] += 0.25
    assert error(moved) == pytest.approx(0.25, abs=1e-12)


@pytest.mark.parametrize("count,batch", [(1, 1), (5000, 1), (9, 4096), (10, 5000), (100, 300), (0, 3)])
def test_gate_chunks_tile_the_steps_in_order_within_the_row_budget(count, batch):
    """gates._chunks (mutants: chunks that overlap, run to the end or start at 0; a width of 2 steps
    or half the budget for one sequence): consecutive, disjoint slices covering every step, each of
    _CHUNK_ROWS // batch steps (at least one), the last what is left."""
    from rnnviz.gates import _CHUNK_ROWS, _chunks

    width = max(1, _CHUNK_ROWS // batch)
    covered = [t for part in _chunks(count, batch) for t in range(count)[part]]
    assert covered == list(range(count))
    sizes = [len(range(count)[part]) for part in _chunks(count, batch)]
    assert sizes[:-1] == [width] * (-(-count // width) - 1)


def test_a_state_dict_saved_on_a_gpu_loads_on_the_cpu():
    """torchfile.read_state_dict (mutants: torch.load without map_location="cpu"): a checkpoint saved
    from CUDA tensors (Colab's, say) names its storages' device "cuda:0"; here it loads to the CPU."""
    import zipfile

    from rnnviz.torchfile import read_state_dict

    state = nn.GRU(3, 2).state_dict()
    buffer = io.BytesIO()
    torch.save(state, buffer)
    source, moved = zipfile.ZipFile(io.BytesIO(buffer.getvalue())), io.BytesIO()
    with zipfile.ZipFile(moved, "w", zipfile.ZIP_STORED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.endswith("data.pkl"):  # the location string, a BINUNICODE of 3 then 6 bytes
                assert data.count(b"X\x03\x00\x00\x00cpu") == 1
                data = data.replace(b"X\x03\x00\x00\x00cpu", b"X\x06\x00\x00\x00cuda:0")
            archive.writestr(info.filename, data)
    loaded = read_state_dict(moved.getvalue(), "gpu.pt")
    assert loaded.keys() == state.keys()
    assert all(v.device.type == "cpu" and torch.equal(v, state[k]) for k, v in loaded.items())


@pytest.mark.parametrize("nonlinearity,mode", [("tanh", "RNN_TANH"), ("relu", "RNN_RELU")])
def test_an_rnns_trace_reports_a_state_torch_did_not_give(monkeypatch, nonlinearity, mode):
    """trace._recomputed (mutants: the RNN's states checked without its nonlinearity, so never):
    a kernel whose last output is off by 0.25 gives a max_abs_error of 0.25."""
    import importlib

    trace_module = importlib.import_module("rnnviz.trace")
    real = trace_module._KERNELS[mode]

    def off_by_a_quarter(*args):
        out, h_n = real(*args)
        out = out.clone()
        out[-1, 0, 1] += 0.25
        return out, h_n

    torch.manual_seed(0)
    module = nn.RNN(2, 3, nonlinearity=nonlinearity).double()
    x = torch.randn(4, 2, 2, dtype=torch.float64)
    assert rnnviz.trace(module, x).max_abs_error < 1e-12
    monkeypatch.setitem(trace_module._KERNELS, mode, off_by_a_quarter)
    assert rnnviz.trace(module, x).max_abs_error == pytest.approx(0.25, abs=1e-12)


@pytest.mark.parametrize("kind,extra", [
    ("RNN", {}), ("GRU", {"num_layers": 3}), ("LSTM", {"bidirectional": True}),
    ("LSTM", {"proj_size": 3, "num_layers": 2})])
def test_a_traces_estimate_covers_what_it_keeps_and_grows_with_every_size(kind, extra):
    """shapes.trace_nbytes (mutants: the element size, the layers and directions, the states and gates
    kept per step, the LSTM's cell): at least the bytes of every tensor the trace keeps, twice as much
    in float64, and proportional to the steps and the sequences. (Its working-memory constants are
    checked by tests/test_export.py's peak measurement, which the mutation run leaves out.)"""
    from rnnviz.memory import tensor_bytes
    from rnnviz.shapes import trace_nbytes

    for dtype in ("float32", "float64"):
        spec = LayerSpec(kind=kind, input_size=3, hidden_size=8, dtype=dtype, **extra)
        x = make_input(spec, InputSource(seq_len=12, batch_size=5)).x
        kept = tensor_bytes(rnnviz.trace(spec.build(), x))
        assert kept <= trace_nbytes(spec, 12, 5) <= 20 * kept
    spec = LayerSpec(kind=kind, input_size=3, hidden_size=8, **extra)
    one = trace_nbytes(spec, 12, 5)
    assert trace_nbytes(spec.replace(dtype="float64"), 12, 5) == 2 * one
    assert abs(trace_nbytes(spec, 24, 5) - 2 * one) <= 1 and abs(trace_nbytes(spec, 12, 10) - 2 * one) <= 1


def test_a_packed_traces_output_keeps_torchs_sorting():
    """trace._assemble (mutant: the packed output without its sorted_indices): lengths out of order
    give torch's own PackedSequence, which unpacks to torch's padded output."""
    from torch.nn.utils.rnn import pad_packed_sequence

    torch.manual_seed(0)
    module = nn.GRU(2, 3).double()
    packed = pack_padded_sequence(torch.randn(5, 3, 2, dtype=torch.float64), torch.tensor([3, 5, 2]),
                                  enforce_sorted=False)
    expected, _ = module(packed)
    output = rnnviz.trace(module, packed).output
    assert torch.equal(output.sorted_indices, expected.sorted_indices)
    assert torch.equal(output.unsorted_indices, expected.unsorted_indices)
    assert torch.allclose(pad_packed_sequence(output)[0], pad_packed_sequence(expected)[0], atol=1e-12)
