"""rnnviz.trace against torch: outputs, rebuilt states, textbook gates, layer by layer."""

from __future__ import annotations

import copy
import dataclasses
import itertools
import os

import pytest
import torch
from torch import nn
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence

import rnnviz
import rnnviz.gates
import rnnviz.onednn
from tests.reference import run_sequence

KINDS = [("RNN", {}), ("RNN", {"nonlinearity": "relu"}), ("LSTM", {}),
         ("LSTM", {"proj_size": 3}), ("GRU", {})]
INPUTS = ["batched", "batch_first", "unbatched", "packed_sorted", "packed_unsorted"]
# The sweep runs where RNNVIZ_TEST_DEVICE says (cpu by default; bench/gpu_check.sh: cuda), its
# textbook and layer-by-layer checks on CPU copies. On CUDA, float32 must not round through TF32.
DEVICE = torch.device(os.environ.get("RNNVIZ_TEST_DEVICE", "cpu"))
if DEVICE.type == "cuda":
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
TOL = {torch.float32: 1e-5, torch.float64: 1e-10}
# same-kernel results are bit-identical; oneDNN vs per-layer runs may differ in the last bit
SAME = {torch.float32: 1e-6, torch.float64: 1e-12}


def _cases():
    """Every kind × layers 1–3 × bidirectional × dtype (12 cases per kind); within each kind
    the other arguments cycle through their values, so every input layout (batched,
    batch_first, unbatched, packed sorted and unsorted), bias on and off, hx given or not,
    and eval and train mode each appear with every kind."""
    for kind, extra in KINDS:
        shapes = itertools.product([1, 2, 3], [False, True], [torch.float32, torch.float64])
        for i, (layers, bidi, dtype) in enumerate(shapes):
            inputs = INPUTS[i % len(INPUTS)]
            # each of these takes both values with both dtypes, both bidi settings and L >= 2
            bias = (i + i // 2) % 2 == 0
            with_hx = (i // 2 + i // 4) % 2 == 1
            mode = ["eval", "train"][(i + i // 4) % 2]
            yield _case(kind, extra, layers, bidi, dtype, inputs, bias, with_hx, mode)


def _case(kind, extra, layers, bidi, dtype, inputs, bias, with_hx, mode):
    return pytest.param(kind, extra, layers, bidi, dtype, inputs, bias, with_hx, mode,
                        id=f"{kind}{extra}-L{layers}-{'bi' if bidi else 'uni'}-{str(dtype)[6:]}"
                           f"-{inputs}-bias{int(bias)}-hx{int(with_hx)}-{mode}")


def _setup(kind, extra, layers, bidi, dtype, inputs, bias, with_hx, mode, seed=0):
    torch.manual_seed(seed)
    steps, batch, features, hidden = 6, 3, 4, 5
    module = getattr(nn, kind)(features, hidden, layers, bias=bias, bidirectional=bidi,
                               batch_first=inputs == "batch_first",
                               dropout=0.4 if layers > 1 else 0.0, **extra).to(dtype)
    module.train(mode == "train")
    d = 2 if bidi else 1
    out_size = extra.get("proj_size") or hidden
    if inputs == "unbatched":
        x = torch.randn(steps, features, dtype=dtype)
        lead = (d * layers,)
    else:
        x = torch.randn(steps, batch, features, dtype=dtype)
        lead = (d * layers, batch)
    if inputs == "batch_first":
        x = x.transpose(0, 1).contiguous()
    lengths = None
    if inputs == "packed_sorted":
        lengths = [6, 4, 2]
        x = pack_padded_sequence(x, torch.tensor(lengths), enforce_sorted=True)
    if inputs == "packed_unsorted":
        lengths = [3, 6, 5]
        x = pack_padded_sequence(x, torch.tensor(lengths), enforce_sorted=False)
    hx = None
    if with_hx:
        hx = torch.randn(lead + (out_size,), dtype=dtype)
        if kind == "LSTM":
            hx = (hx, torch.randn(lead + (hidden,), dtype=dtype))
    return module, x, hx, lengths


def _as_tensor(out):
    return out.data if isinstance(out, PackedSequence) else out


@pytest.mark.parametrize(
    "kind,extra,layers,bidi,dtype,inputs,bias,with_hx,mode", list(_cases())
)
def test_trace_matches_torch(kind, extra, layers, bidi, dtype, inputs, bias, with_hx, mode):
    cpu_module, cpu_x, cpu_hx, lengths = _setup(kind, extra, layers, bidi, dtype, inputs, bias, with_hx, mode)
    module, x, hx = _moved(DEVICE, cpu_module, cpu_x, cpu_hx)
    x_before = _as_tensor(x).clone()
    params_before = [p.clone() for p in module.parameters()]
    torch.manual_seed(123)
    expected = module(x, hx)
    torch.manual_seed(123)  # train-mode dropout draws the same masks
    tr = rnnviz.trace(module, x, hx)

    # 1. what the module returns; on CUDA, cuDNN draws its dropout masks inside its kernel,
    # so with dropout active only the trace's own consistency (2, 4, 5) can be checked
    out, state = expected
    h_n, c_n = state if kind == "LSTM" else (state, None)
    assert tr.h_n.shape == h_n.shape and (tr.c_n is None) == (kind != "LSTM")
    if not (DEVICE.type == "cuda" and module.training and module.dropout > 0 and layers > 1):
        assert (_as_tensor(tr.output) - _as_tensor(out)).abs().max() <= SAME[dtype]
        assert (tr.h_n - h_n).abs().max() <= SAME[dtype]
        if kind == "LSTM":
            assert (tr.c_n - c_n).abs().max() <= SAME[dtype]
    # 2. states rebuilt from the gates agree with torch's
    assert 0 <= tr.max_abs_error <= TOL[dtype]
    # 3. nothing given was modified
    assert torch.equal(_as_tensor(x), x_before)
    assert all(torch.equal(a, b) for a, b in zip(module.parameters(), params_before))
    # 4. the textbook equations, one sequence at a time, give the same states and gates
    tr = _on_cpu(tr)
    _check_against_textbook(tr, cpu_module, kind, cpu_x, cpu_hx, lengths, inputs, dtype)
    # 5. each layer equals a separate one-layer module fed the layer below's output
    _check_layers_separately(tr, cpu_module, kind, cpu_hx, cpu_x, lengths, dtype)


def _moved(device, module, x, hx):
    """A copy of the module, the input and the state on `device` (the originals stay)."""
    if hx is not None:
        hx = tuple(t.to(device) for t in hx) if isinstance(hx, tuple) else hx.to(device)
    return copy.deepcopy(module).to(device), x.to(device), hx


def _on_cpu(tr):
    """The trace with every tensor on the CPU."""
    cpu = lambda t: None if t is None else t.cpu()  # noqa: E731
    return dataclasses.replace(
        tr, output=tr.output.to("cpu"), h_n=cpu(tr.h_n), c_n=cpu(tr.c_n), lengths=cpu(tr.lengths),
        dropout_masks=[cpu(m) for m in tr.dropout_masks], initial_h=cpu(tr.initial_h),
        initial_c=cpu(tr.initial_c), _inputs=[cpu(t) for t in tr._inputs],
        _h={k: cpu(t) for k, t in tr._h.items()}, _c={k: cpu(t) for k, t in tr._c.items()},
        _gates={k: {name: cpu(t) for name, t in g.items()} for k, g in tr._gates.items()},
    )


def _padded_time_major(x, inputs):
    if isinstance(x, PackedSequence):
        return torch.nn.utils.rnn.pad_packed_sequence(x)[0]
    if inputs == "unbatched":
        return x[:, None]
    return x.transpose(0, 1) if inputs == "batch_first" else x


def _states(module, kind, hx, batch):
    d = 2 if module.bidirectional else 1
    out_size = getattr(module, "proj_size", 0) or module.hidden_size
    dtype = module.weight_ih_l0.dtype
    if hx is None:
        h0 = torch.zeros(d * module.num_layers, batch, out_size, dtype=dtype)
        c0 = torch.zeros(d * module.num_layers, batch, module.hidden_size, dtype=dtype)
        return h0, (c0 if kind == "LSTM" else None)
    h0, c0 = hx if kind == "LSTM" else (hx, None)
    if h0.dim() == 2:
        h0, c0 = h0[:, None], (c0[:, None] if c0 is not None else None)
    return h0, c0


def _check_against_textbook(tr, module, kind, x, hx, lengths, inputs, dtype):
    xs = _padded_time_major(x, inputs)
    batch = xs.shape[1]
    h0, c0 = _states(module, kind, hx, batch)
    assert tr.batch_size == batch and tr.seq_len == xs.shape[0]
    for b in range(batch):
        steps = lengths[b] if lengths else xs.shape[0]
        masks = [m[:steps, b] for m in tr.dropout_masks]
        ref = run_sequence(module, kind, xs[:steps, b], h0[:, b], c0[:, b] if c0 is not None else None, masks)
        for (layer, direction), found in ref.items():
            assert (tr.h(layer, direction)[:steps, b] - found["h"]).abs().max() <= TOL[dtype]
            if kind == "LSTM":
                assert (tr.c(layer, direction)[:steps, b] - found["c"]).abs().max() <= TOL[dtype]
            gates = tr.gates(layer, direction)
            assert set(gates) == set(rnnviz.GATE_NAMES[kind])
            for name in gates:
                assert (gates[name][:steps, b] - found[name]).abs().max() <= TOL[dtype]
                assert torch.isnan(gates[name][steps:, b]).all()  # past the end: NaN
            assert torch.isnan(tr.h(layer, direction)[steps:, b]).all()


def _check_layers_separately(tr, module, kind, hx, x, lengths, dtype):
    d = 2 if module.bidirectional else 1
    batch = tr.batch_size
    h0, c0 = _states(module, kind, hx, batch)
    for layer in range(1, module.num_layers):
        below = torch.cat([tr.h(layer - 1, k) for k in range(d)], -1)
        if tr.dropout_masks:
            below = below * tr.dropout_masks[layer - 1]
        single = getattr(nn, kind)(below.shape[-1], module.hidden_size, 1, bias=module.bias,
                                   bidirectional=module.bidirectional,
                                   **({"proj_size": module.proj_size} if kind == "LSTM" else {}),
                                   **({"nonlinearity": module.nonlinearity} if kind == "RNN" else {}))
        single = single.to(dtype).eval()
        with torch.no_grad():
            for name, _ in single.named_parameters():
                getattr(single, name).copy_(getattr(module, name.replace("_l0", f"_l{layer}")))
            rows = slice(layer * d, (layer + 1) * d)
            state = (h0[rows], c0[rows]) if kind == "LSTM" else h0[rows]
            fed = torch.nan_to_num(below, nan=0.0)
            if lengths:
                fed = pack_padded_sequence(fed, torch.tensor(lengths), enforce_sorted=False)
            out = single(fed, state)[0]
            if lengths:
                out = torch.nn.utils.rnn.pad_packed_sequence(out, total_length=tr.seq_len)[0]
        for direction in range(d):
            mine = tr.h(layer, direction)
            theirs = out[..., direction * mine.shape[-1]:(direction + 1) * mine.shape[-1]]
            valid = ~torch.isnan(mine)
            assert (mine[valid] - theirs[valid]).abs().max() <= TOL[dtype]


def test_bidirectional_h_n_reverse_is_step_zero():
    torch.manual_seed(0)
    module = nn.GRU(3, 4, 2, bidirectional=True).eval()
    tr = rnnviz.trace(module, torch.randn(7, 2, 3))
    assert torch.equal(tr.h_n[-1], tr.h(1, 1)[0])  # backward direction finishes at t = 0
    assert torch.equal(tr.h_n[-2], tr.h(1, 0)[-1])
    assert torch.equal(tr.output[..., 4:], tr.h(1, 1))


def test_packed_h_n_is_each_sequences_own_last_step():
    torch.manual_seed(0)
    module = nn.LSTM(3, 4).eval()
    x = torch.randn(6, 3, 3)
    tr = rnnviz.trace(module, pack_padded_sequence(x, torch.tensor([2, 6, 4]), enforce_sorted=False))
    assert tr.lengths.tolist() == [2, 6, 4]
    for b, steps in enumerate([2, 6, 4]):
        assert torch.equal(tr.h_n[0, b], tr.h(0)[steps - 1, b])
        assert torch.allclose(tr.c_n[0, b], tr.c(0)[steps - 1, b], atol=1e-6)


def test_long_sequence_cell_state_stays_exact():
    """The cell-state scan over 1000 steps agrees with torch's final c_n."""
    torch.manual_seed(0)
    module = nn.LSTM(2, 8).double().eval()
    tr = rnnviz.trace(module, torch.randn(1000, 2, 2, dtype=torch.float64))
    assert tr.max_abs_error <= 1e-10
    assert (tr.c(0)[-1] - tr.c_n[0]).abs().max() <= 1e-10


def test_saturated_forget_gate_is_safe():
    torch.manual_seed(0)
    module = nn.LSTM(2, 3).eval()
    with torch.no_grad():
        module.bias_ih_l0[3:6] = -200.0  # forget gate = 0 exactly
    tr = rnnviz.trace(module, torch.randn(30, 1, 2))
    assert tr.gates(0)["f"].max() == 0 and torch.isfinite(tr.c(0)).all()
    assert tr.max_abs_error <= 1e-5


def _lstm_case(hidden=5, **kwargs):
    torch.manual_seed(0)
    module = nn.LSTM(4, hidden, 2, bidirectional=True, **kwargs).eval()
    return module, torch.randn(9, 3, 4)


@pytest.mark.skipif(not torch.backends.mkldnn.is_available(), reason="needs oneDNN (mkldnn)")
@pytest.mark.parametrize("hidden", [5, 64])  # 4H = 256 is a width oneDNN pads by one line
def test_float32_lstm_gates_are_the_kernels_own(hidden):
    """float32 LSTM on CPU: the gates are read from oneDNN's workspace, and they equal the
    gates recomputed from the weights; other layers and dtypes are recomputed."""
    module, x = _lstm_case(hidden)
    tr = rnnviz.trace(module, x)
    assert tr.gate_source == "kernel"
    out, (h_n, c_n) = module(x)  # grad mode, as in a notebook: the same primitive, bit for bit
    assert torch.equal(tr.output, out) and torch.equal(tr.h_n, h_n) and torch.equal(tr.c_n, c_n)
    with torch.backends.mkldnn.flags(enabled=False):  # torch's own non-oneDNN path
        recomputed = rnnviz.trace(module, x)
        expected = module(x)
    assert recomputed.gate_source == "recomputed"
    for key in [(0, 0), (0, 1), (1, 0), (1, 1)]:
        for name in "ifgo":
            assert (tr.gates(*key)[name] - recomputed.gates(*key)[name]).abs().max() <= 1e-5
        assert (tr.c(*key) - recomputed.c(*key)).abs().max() <= 1e-5
    assert (tr.output - expected[0]).abs().max() <= 1e-5
    # grad mode is switched on for oneDNN's training primitive, yet no graph is recorded
    leaf = x.clone().requires_grad_()
    assert not rnnviz.trace(module, leaf).output.requires_grad
    assert rnnviz.trace(module.double(), x.double()).gate_source == "recomputed"
    assert rnnviz.trace(nn.GRU(4, 5), x).gate_source == "recomputed"


def test_misread_kernel_workspace_falls_back_to_recomputing(monkeypatch):
    """If oneDNN's workspace layout ever differs from what rnnviz reads, the states rebuilt
    from the misread gates disagree with the kernel's, and the gates are recomputed."""
    module, x = _lstm_case()
    good = rnnviz.trace(module, x)
    monkeypatch.setattr(rnnviz.onednn, "_gate_width", lambda columns: columns + 1)
    tr = rnnviz.trace(module, x)
    assert tr.gate_source == "recomputed" and tr.max_abs_error <= 1e-5
    assert (tr.gates(1, 1)["o"] - good.gates(1, 1)["o"]).abs().max() <= 1e-5


@pytest.mark.parametrize("kind,extra,dtype", [("GRU", {}, torch.float32),
                                             ("RNN", {"nonlinearity": "relu"}, torch.float32),
                                             ("LSTM", {}, torch.float64)])
def test_recomputation_in_small_chunks_agrees(monkeypatch, kind, extra, dtype):
    """The recomputation runs over chunks of (step, sequence) rows; chunks of 4 rows (several
    steps split across chunks, packed input, both directions) give the same gates."""
    torch.manual_seed(0)
    module = getattr(nn, kind)(3, 5, 2, bidirectional=True, **extra).to(dtype)
    x = pack_padded_sequence(torch.randn(7, 3, 3, dtype=dtype), torch.tensor([7, 4, 6]), enforce_sorted=False)
    whole = rnnviz.trace(module, x)
    monkeypatch.setattr(rnnviz.gates, "_CHUNK_ROWS", 4)
    chunked = rnnviz.trace(module, x)
    assert chunked.max_abs_error <= TOL[dtype]
    for key in [(0, 0), (0, 1), (1, 0), (1, 1)]:
        for name, gate in whole.gates(*key).items():
            assert torch.allclose(chunked.gates(*key)[name], gate, atol=TOL[dtype], equal_nan=True)


def test_trace_rejects_other_modules():
    with pytest.raises(TypeError, match="nn.RNN, nn.LSTM and nn.GRU"):
        rnnviz.trace(nn.LSTMCell(3, 4), torch.randn(2, 3))


def test_trace_index_errors_name_the_range():
    tr = rnnviz.trace(nn.RNN(2, 3), torch.randn(4, 2))
    with pytest.raises(IndexError, match="0..0"):
        tr.h(1)
    with pytest.raises(ValueError, match="only LSTM"):
        tr.c(0)
