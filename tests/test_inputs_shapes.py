"""Inputs, call checks, devices and shapes: layouts, bad data, named dimensions."""

from __future__ import annotations

import pytest
import torch
from torch import nn
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence

import rnnviz
from rnnviz import InputError, InputSource, LayerSpec, make_input

SPEC = LayerSpec(kind="LSTM", input_size=3, hidden_size=5, num_layers=2, bidirectional=True)


@pytest.mark.parametrize("kind", ["random", "sine", "step", "impulse"])
@pytest.mark.parametrize("batch_first", [False, True])
def test_signals_follow_the_layout_and_seed(kind, batch_first):
    spec = SPEC.replace(batch_first=batch_first)
    source = InputSource(kind=kind, seq_len=7, batch_size=2, seed=3)
    x = make_input(spec, source).x
    assert x.shape == ((2, 7, 3) if batch_first else (7, 2, 3))
    assert torch.equal(x, make_input(spec, source).x)
    assert x.dtype == torch.float32
    rnnviz.trace(spec.build(), x)  # the layer accepts it


def test_step_and_impulse_start_a_quarter_in():
    step = make_input(SPEC, InputSource(kind="step", seq_len=8, batch_size=1)).x[:, 0, 0]
    impulse = make_input(SPEC, InputSource(kind="impulse", seq_len=8, batch_size=1)).x[:, 0, 0]
    assert step.tolist() == [0, 0, 1, 1, 1, 1, 1, 1]
    assert impulse.tolist() == [0, 0, 1, 0, 0, 0, 0, 0]


def test_unbatched_input_is_2d_with_2d_state():
    inputs = make_input(SPEC, InputSource(seq_len=4, batch_size=1, batched=False, initial_state="random"))
    assert inputs.x.shape == (4, 3)
    assert inputs.hx[0].shape == (4, 5) and inputs.hx[1].shape == (4, 5)
    tr = rnnviz.trace(SPEC.build(), *inputs.call_args())
    assert tr.output.shape == (4, 10) and tr.h(1, 1).shape == (4, 1, 5)


def test_lengths_give_a_packed_sequence():
    inputs = make_input(SPEC, InputSource(seq_len=5, batch_size=3, lengths=(2, 5, 3)))
    x, _ = inputs.call_args()
    assert isinstance(x, PackedSequence)
    assert x.batch_sizes.tolist() == [3, 3, 2, 1, 1]


def test_text_vocabulary_size_and_one_hot():
    source = InputSource(kind="text", text="hello\nhi")
    assert rnnviz.input_features(source) == 5  # e, h, i, l, o
    inputs = make_input(SPEC.replace(input_size=5), source)
    assert inputs.x.shape == (5, 2, 5) and inputs.lengths == [5, 2]
    assert inputs.x.sum(-1)[:5, 0].tolist() == [1] * 5  # one-hot rows
    assert inputs.feature_names == ["'e'", "'h'", "'i'", "'l'", "'o'"]
    with pytest.raises(InputError, match="set input_size to 5"):
        make_input(SPEC, source)


def test_input_extent_follows_the_data():
    assert rnnviz.input_extent(InputSource(seq_len=7, batch_size=3)) == (7, 3)
    assert rnnviz.input_extent(InputSource(seq_len=7, batch_size=3, batched=False)) == (7, 1)
    assert rnnviz.input_extent(InputSource(kind="text", text="hello\nhi")) == (5, 2)
    csv = "seq,a\ns1,1\ns1,2\ns2,3\n"
    assert rnnviz.input_extent(InputSource(kind="csv", csv=csv, sequence_column="seq")) == (2, 2)
    assert rnnviz.input_extent(InputSource(kind="csv", csv=csv)) == (3, 1)


def test_csv_with_sequence_column():
    csv = "seq,a,b,c\ns1,1,2,3\ns1,4,5,6\ns2,7,8,9\n"
    source = InputSource(kind="csv", csv=csv, sequence_column="seq")
    inputs = make_input(SPEC, source)
    assert inputs.x.shape == (2, 2, 3) and inputs.lengths == [2, 1]
    assert inputs.x[:, 0].tolist() == [[1, 2, 3], [4, 5, 6]]
    assert inputs.sequence_names == ["s1", "s2"]
    rnnviz.trace(SPEC.build(), *inputs.call_args())


@pytest.mark.parametrize("csv,phrase", [
    ("", "empty"),
    ("a,b,c\n", "no rows"),
    ("a,b,c\n1,2,3\n4,,6\n", "missing value (NaN) at row 2, column 'b'"),
    ("a,b,c\n1,2,3\n4,five,6\n", "text where a number belongs: row 2, column 'b' = 'five'"),
    ("a,b,c\n1,2,3\n4,5,6,7,8\n", "different numbers of fields"),
])
def test_bad_csv_says_what_is_wrong(csv, phrase):
    with pytest.raises(InputError, match=phrase.replace("(", r"\(").replace(")", r"\)")):
        make_input(SPEC, InputSource(kind="csv", csv=csv))


@pytest.mark.parametrize("source,phrase", [
    (InputSource(seq_len=0), "seq_len must be"),
    (InputSource(seq_len=10**6), "more than rnnviz runs"),
    (InputSource(batch_size=2, lengths=(3,)), "one length per sequence"),
    (InputSource(seq_len=4, batch_size=2, lengths=(5, 2)), "1..4"),
    (InputSource(batch_size=2, lengths=(2, 5), enforce_sorted=True), "decreasing order"),
    (InputSource(kind="text", text="abc\ncba", batched=False), "one sequence"),
])
def test_bad_sizes_say_what_to_change(source, phrase):
    with pytest.raises(InputError, match=phrase):
        make_input(SPEC, source)


MODULE = nn.LSTM(10, 20, 2)
X = torch.randn(5, 3, 10)


@pytest.mark.parametrize("x,hx,phrase", [
    (torch.randn(5, 3, 7), None, "7 features .* input_size is 10"),
    (torch.randn(5, 3, 2, 10), None, "got a 4-D tensor"),
    (torch.randn(0, 3, 10), None, "sequence length is 0"),
    (X, (torch.randn(2, 4, 20), torch.randn(2, 3, 20)),
     r"h_0 has shape \(2, 4, 20\) but this call needs \(2, 3, 20\)"),
    (X, (torch.randn(2, 3, 20), torch.randn(2, 3, 21)), r"c_0 has shape \(2, 3, 21\)"),
    (X, torch.randn(2, 3, 20), r"pair \(h_0, c_0\)"),
    (X.double(), None, "dtype is torch.float64"),
    (torch.randn(5, 10), (torch.randn(2, 1, 20), torch.randn(2, 1, 20)), r"needs \(2, 20\)"),
])
def test_bad_calls_are_named(x, hx, phrase):
    with pytest.raises((RuntimeError, ValueError)):
        MODULE(x, hx)  # torch rejects it too
    x_before = x.clone()
    with pytest.raises(rnnviz.CallError, match=phrase):
        rnnviz.trace(MODULE, x, hx)
    assert torch.equal(x, x_before)


def test_batch_first_h0_mistake_mentions_batch_first():
    module = nn.RNN(10, 20, 2, batch_first=True)
    with pytest.raises(rnnviz.CallError, match="never follows batch_first"):
        rnnviz.trace(module, torch.randn(3, 5, 10), torch.randn(3, 2, 20))


def test_devices_always_offer_cpu_and_fall_back():
    names = [d.name for d in rnnviz.available_devices()]
    assert names[0] == "cpu"
    device, notice = rnnviz.resolve_device("cpu")
    assert device == torch.device("cpu") and notice is None
    if "cuda:7" not in names:
        device, notice = rnnviz.resolve_device("cuda:7")
        assert device == torch.device("cpu") and "not available" in notice
    device, notice = rnnviz.resolve_device("tpu-of-dreams")
    assert device == torch.device("cpu") and "not a device name" in notice


# parameters by hand, per layer and direction: G·H·(in + H_out) + 2·G·H (biases) + H_out·H (W_hr)
@pytest.mark.parametrize("module,x,expected,parameters", [
    (nn.RNN(10, 20, 2), torch.randn(5, 3, 10), {"output": (5, 3, 20), "h_0": (2, 3, 20), "h_n": (2, 3, 20)},
     20 * (10 + 20) + 40 + 20 * (20 + 20) + 40),
    (nn.GRU(2, 4, 2, bidirectional=True), torch.randn(2, 2, 2),
     {"output": (2, 2, 8), "h_0": (4, 2, 4), "h_n": (4, 2, 4)}, 2 * (12 * (2 + 4) + 24 + 12 * (8 + 4) + 24)),
    (nn.LSTM(10, 20, 2, batch_first=True, proj_size=5), torch.randn(3, 5, 10),
     {"input": (3, 5, 10), "output": (3, 5, 5), "h_0": (2, 3, 5), "h_n": (2, 3, 5), "c_0": (2, 3, 20),
      "c_n": (2, 3, 20), "weight_hh_l1": (80, 5), "weight_hr_l0": (5, 20), "weight_ih_l1": (80, 5)},
     80 * (10 + 5) + 160 + 100 + 80 * (5 + 5) + 160 + 100),
])
def test_describe_call_names_every_tensor(module, x, expected, parameters):
    shapes = rnnviz.describe_call(module, x)
    for name, shape in expected.items():
        assert shapes.get(name).shape == shape
    assert sum(p.numel() for p in module.parameters()) == parameters  # the count by hand is torch's
    assert shapes.num_parameters == parameters
    assert sum(t.numel for t in shapes.parameters()) == parameters
    for t in shapes.parameters():  # each named shape is the real tensor's, in torch's order
        assert t.shape == tuple(getattr(module, t.name).shape)
    names = [t.name for t in shapes.parameters()]
    assert names == [n for n, _ in module.named_parameters()]
    output, state = module(x)
    h_n, c_n = state if isinstance(module, nn.LSTM) else (state, None)
    assert shapes.get("output").shape == tuple(output.shape) and shapes.get("h_n").shape == tuple(h_n.shape)
    if c_n is not None:
        assert shapes.get("c_n").shape == tuple(c_n.shape)


def test_describe_call_checks_a_call_once(monkeypatch):
    """Given the call's trace, describe_call does not check the call again (trace did);
    given a plain result, or none, it checks it."""
    module, x = nn.GRU(4, 6), torch.randn(5, 3, 4)
    tr = rnnviz.trace(module, x)
    checked = []
    monkeypatch.setattr(rnnviz.shapes, "check_call", lambda *call: checked.append(call))
    traced = rnnviz.describe_call(module, x, None, tr)
    assert checked == []
    assert rnnviz.describe_call(module, x, None, (tr.output, tr.h_n)) == traced
    assert rnnviz.describe_call(module, x) == traced
    assert len(checked) == 2
    monkeypatch.undo()
    with pytest.raises(rnnviz.CallError, match="h_0 has shape"):
        rnnviz.describe_call(module, x, torch.zeros(1, 4, 6), (tr.output, tr.h_n))


def test_describe_call_batch_first_changes_input_not_h_n():
    a = rnnviz.describe_call(nn.GRU(4, 6), torch.randn(5, 3, 4))
    b = rnnviz.describe_call(nn.GRU(4, 6, batch_first=True), torch.randn(3, 5, 4))
    assert a.get("input").dims == ("L", "N", "H_in") and b.get("input").dims == ("N", "L", "H_in")
    assert a.get("h_n").shape == b.get("h_n").shape == (1, 3, 6)


def test_describe_call_packed():
    x = pack_padded_sequence(torch.randn(5, 3, 4), torch.tensor([5, 3, 2]))
    shapes = rnnviz.describe_call(nn.GRU(4, 6, bidirectional=True), x)
    assert shapes.get("input.data").shape == (10, 4) and shapes.get("output.data").shape == (10, 12)
    assert shapes.symbols["N"] == 3 and shapes.symbols["L"] == 5


def _call_refused(module, x, hx=None):
    with pytest.raises(rnnviz.CallError) as caught:
        rnnviz.trace(module, x, hx)
    return caught.value.args[0]


def test_each_bad_call_gets_its_own_message_with_its_values():
    from torch.nn.utils.rnn import PackedSequence

    gru, lstm = nn.GRU(4, 6, 2), nn.LSTM(4, 6)
    x = torch.randn(5, 3, 4)
    cases = [
        (nn.GRU(4, 6, batch_first=True), torch.randn(2, 2, 5, 4), None, "input_dims",
         {"layout": "(batch, seq_len, input_size)", "dims": 4, "shape": (2, 2, 5, 4)}),
        (gru, torch.randn(5, 0, 4), None, "empty_batch", {}),
        (nn.GRU(4, 6, batch_first=True), torch.randn(3, 0, 4), None, "no_steps", {}),
        (gru, torch.ones(5, 3, 4, dtype=torch.int64), None, "input_dtype",
         {"dtype": torch.int64, "weights": torch.float32}),
        (gru, PackedSequence(torch.randn(6, 2, 4), torch.tensor([3, 2, 1])), None, "packed_2d",
         {"shape": (6, 2, 4)}),
        (gru, x, [torch.zeros(2, 3, 6)], "state_tensor", {"kind": "GRU"}),
        (lstm, x, (torch.zeros(1, 3, 6), [0.0]), "state_type", {"name": "c_0", "type": "list"}),
        (lstm, x, (torch.zeros(1, 3, 6), torch.zeros(1, 3, 6), torch.zeros(1)), "lstm_pair", {}),
        (gru, x, torch.zeros(2, 3, 6, dtype=torch.float64), "state_dtype",
         {"name": "h_0", "dtype": torch.float64, "device": torch.device("cpu"), "weights": torch.float32,
          "layer": torch.device("cpu")}),
        (gru, torch.randn(5, 4), torch.zeros(2, 1, 6), "state_shape",
         {"name": "h_0", "shape": (2, 1, 6), "expected": (2, 6), "dims": "(num_layers * num_directions, H)"}),
    ]
    for module, bad_x, hx, key, values in cases:
        message = _call_refused(module, bad_x, hx)
        assert (message.key, message.values) == (key, values), key


def test_only_torchs_recurrent_layers_and_tensors_are_traced():
    with pytest.raises(TypeError, match=r"^rnnviz traces nn.RNN, nn.LSTM and nn.GRU; got LSTMCell\. Cells"):
        rnnviz.trace(nn.LSTMCell(4, 6), torch.randn(5, 3, 4))
    with pytest.raises(TypeError, match=r"^input must be a tensor or a PackedSequence; got list\.$"):
        rnnviz.trace(nn.GRU(4, 6), [[0.0] * 4])
    from rnnviz.checks import expected_state_shapes, layer_kind

    assert [layer_kind(m) for m in (nn.RNN(1, 1), nn.LSTM(1, 1), nn.GRU(1, 1))] == ["RNN", "LSTM", "GRU"]
    assert expected_state_shapes(nn.GRU(4, 6, 2, bidirectional=True), 3) == ((4, 3, 6), None)
    assert expected_state_shapes(nn.LSTM(4, 6, proj_size=2), None) == ((1, 2), (1, 6))
