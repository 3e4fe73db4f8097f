"""trace(module, x, hx): every hidden state, cell state and gate of a real torch RNN/LSTM/GRU call.

A pipeline of four steps, each a function below:
1. `_normalise`: input and initial state in the kernel's layout: time-major, a packed batch
   in its length-sorted order, zeros where no state was given.
2. `_run_layers`: all layers, bottom to top, each through torch's own kernel given only that
   layer's parameters, so every layer's hidden states are torch's own numbers. The kernel is
   the op `nn.RNN/LSTM/GRU.forward` calls (torch.lstm, torch.gru, torch.rnn_tanh/relu), both
   directions in one call; for a float32 LSTM on the CPU it is oneDNN, called as torch's
   oneDNN path calls it, once per layer and direction, keeping the gates oneDNN wrote
   (rnnviz.onednn). Between layers, train-mode dropout is drawn exactly as torch draws it
   (same RNG calls, same order), so under the same seed the trace equals `module(x, hx)`.
3. `_layer_gates`: then, layer by layer and direction by direction, the gates: oneDNN's own
   if the states rebuilt from them are the kernel's, else recomputed from the weights and
   torch's h (rnnviz.gates). `max_abs_error`: the largest |rebuilt state - kernel's state|.
4. `_assemble`: the `Trace`, in the caller's layout and batch order.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import torch
from torch import Tensor, nn
from torch.nn.utils.rnn import PackedSequence, pad_packed_sequence

from rnnviz import onednn
from rnnviz.checks import check_call, expected_state_shapes, layer_kind
from rnnviz.gates import Found, Steps, Weights, gru_gates, lstm_gates, rnn_gates

_KERNELS = {"LSTM": torch.lstm, "GRU": torch.gru, "RNN_TANH": torch.rnn_tanh, "RNN_RELU": torch.rnn_relu}


@dataclass
class Trace:
    """What happened inside one call `module(x, hx)`.

    `output`, `h_n`, `c_n` are what the module returns. Per-step tensors are time-major
    (T, N, features) in the caller's batch order, whatever batch_first is (N = 1 for
    unbatched input); steps past a packed sequence's length are NaN."""

    kind: str  # "RNN", "LSTM" or "GRU"
    output: Tensor | PackedSequence  # as module(x, hx) returns it
    h_n: Tensor  # (D·num_layers, N, H_out), or (D·num_layers, H_out) unbatched
    c_n: Tensor | None  # LSTM: (D·num_layers, N, hidden_size); else None
    max_abs_error: float  # max |state rebuilt from the gates - state torch returned|
    num_layers: int
    num_directions: int
    lengths: Tensor | None  # (N,) true length of each sequence when the input was packed
    dropout_masks: list[Tensor] = field(default_factory=list)  # per layer boundary, scaled
    # where the gates came from: "kernel" (float32 LSTM on CPU: oneDNN's own workspace),
    # "recomputed" (from the module's weights and torch's h), or "mixed"
    gate_source: str = "recomputed"
    initial_h: Tensor | None = None  # h_0 used: (D·num_layers, N, H_out), zeros if none was given
    initial_c: Tensor | None = None  # LSTM c_0 used: (D·num_layers, N, hidden_size)
    _inputs: list = field(default_factory=list, repr=False)
    _h: dict = field(default_factory=dict, repr=False)
    _c: dict = field(default_factory=dict, repr=False)
    _gates: dict = field(default_factory=dict, repr=False)

    def _key(self, layer: int, direction: int) -> tuple[int, int]:
        if not 0 <= layer < self.num_layers:
            raise IndexError(f"layer must be in 0..{self.num_layers - 1}; got {layer}.")
        if not 0 <= direction < self.num_directions:
            raise IndexError(f"direction must be in 0..{self.num_directions - 1}; got {direction}.")
        return layer, direction

    def h(self, layer: int, direction: int = 0) -> Tensor:
        """Hidden state h_t of one layer and direction: (T, N, H_out)."""
        return self._h[self._key(layer, direction)]

    def c(self, layer: int, direction: int = 0) -> Tensor:
        """LSTM cell state c_t of one layer and direction: (T, N, hidden_size)."""
        if self.kind != "LSTM":
            raise ValueError(f"{self.kind} has no cell state; only LSTM does.")
        return self._c[self._key(layer, direction)]

    def gates(self, layer: int, direction: int = 0) -> dict[str, Tensor]:
        """Gate activations, each (T, N, hidden_size): LSTM i, f, g, o; GRU r, z, n;
        RNN 'pre' (the pre-activation W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)."""
        return self._gates[self._key(layer, direction)]

    def layer_input(self, layer: int) -> Tensor:
        """What layer `layer` read at each step: x for layer 0, else the layer below's output
        (both directions, after dropout): (T, N, features)."""
        return self._inputs[self._key(layer, 0)[0]]

    @property
    def seq_len(self) -> int:
        return next(iter(self._h.values())).shape[0]

    @property
    def batch_size(self) -> int:
        return next(iter(self._h.values())).shape[1]


def trace(module: nn.Module, x: Tensor | PackedSequence, hx=None) -> Trace:
    """Run `module` on `x` (and `hx`) and record every state and gate; see Trace.

    Raises TypeError for a module that is not nn.RNN/LSTM/GRU and rnnviz.CallError (a
    ValueError) for an input or state torch would reject. Nothing passed in is modified."""
    kind = layer_kind(module)
    check_call(module, x, hx)
    with torch.no_grad(), warnings.catch_warnings():
        # oneDNN's "LSTM with projections is not supported" and cuDNN's "not part of single
        # contiguous chunk" (each layer's weights are a slice of the module's buffer).
        warnings.filterwarnings("ignore", message=".*(oneDNN|contiguous chunk).*")
        call = _normalise(module, kind, x, hx)
        runs, output, from_kernel = _run_layers(module, call)
        found = _layer_gates(module, kind, call, runs, from_kernel)
        return _assemble(module, kind, call, runs, output, found)


# ---- 1. the call in the kernel's layout -------------------------------------------------
@dataclass(frozen=True)
class _Call:
    """One call as the kernel takes it: time-major, a packed batch in length-sorted order."""

    seq: Tensor  # (T, N, H_in), or a packed sequence's data (sum of lengths, H_in)
    batched: bool  # False: x was one (L, H_in) sequence, run as N = 1
    batch_sizes: Tensor | None  # packed input only, as are the next three
    sorted_indices: Tensor | None
    unsorted_indices: Tensor | None
    lengths: Tensor | None  # (N,) each sequence's length, in sorted order
    h0: Tensor  # (D·num_layers, N, H_out); zeros when no hx was given
    c0: Tensor | None  # LSTM: (D·num_layers, N, hidden_size)
    steps: Steps  # which steps of (T, N) hold data

    def padded(self, t: Tensor) -> Tensor:
        """Packed data as (T, N, ·), zeros past each end; an unpacked (T, N, ·) as it is."""
        if self.batch_sizes is None:
            return t
        return pad_packed_sequence(PackedSequence(t, self.batch_sizes))[0]

    def to_caller(self, t: Tensor) -> Tensor:
        """(T, N, ·) time-major in the caller's batch order, NaN past each sequence's end."""
        if self.steps.valid is not None:
            t = t.masked_fill(~self.steps.valid[..., None], math.nan)
        if self.unsorted_indices is not None:
            t = t.index_select(1, self.unsorted_indices)
        return t


def _normalise(module: nn.Module, kind: str, x: Tensor | PackedSequence, hx) -> _Call:
    batched = isinstance(x, PackedSequence) or x.dim() == 3
    if isinstance(x, PackedSequence):
        seq, batch_sizes, sorted_indices, unsorted_indices = x
        n, steps = int(batch_sizes[0]), len(batch_sizes)
        lengths = (batch_sizes[None, :] > torch.arange(n)[:, None]).sum(1)  # sorted order
    else:
        seq = x if batched else x.unsqueeze(1)
        if batched and module.batch_first:
            seq = seq.transpose(0, 1)  # (L, N, H_in): the kernel runs time-major
        steps, n = seq.shape[:2]
        batch_sizes = sorted_indices = unsorted_indices = lengths = None
    h0, c0 = _initial_state(module, kind, hx, n, batched, sorted_indices)
    return _Call(seq, batched, batch_sizes, sorted_indices, unsorted_indices, lengths, h0, c0,
                 Steps.of(lengths, steps, seq.device))


def _initial_state(module: nn.Module, kind: str, hx, n: int, batched: bool,
                   sorted_indices: Tensor | None) -> tuple[Tensor, Tensor | None]:
    """h_0 and (LSTM) c_0 as the kernel takes them: (D·num_layers, N, ·), batch sorted."""
    if hx is None:
        like = dict(dtype=module.weight_ih_l0.dtype, device=module.weight_ih_l0.device)
        h_shape, c_shape = expected_state_shapes(module, n)
        return torch.zeros(h_shape, **like), None if c_shape is None else torch.zeros(c_shape, **like)
    states = hx if kind == "LSTM" else (hx,)
    if not batched:
        states = [state.unsqueeze(1) for state in states]
    if sorted_indices is not None:  # the kernel works in length-sorted batch order
        states = [state.index_select(1, sorted_indices) for state in states]
    return states[0], states[1] if kind == "LSTM" else None


# ---- 2. every layer through the kernel --------------------------------------------------
@dataclass(frozen=True)
class _LayerRun:
    """One layer as the kernel ran it; per-step tensors padded, time-major, sorted batch."""

    weights: tuple[Weights, ...]  # per direction
    input: Tensor  # what the layer read: (T, N, features in)
    h: tuple[Tensor, ...]  # per direction, h_t: (T, N, H_out), views of the layer's output
    h_n: Tensor  # (D, N, H_out)
    c_n: Tensor | None  # LSTM: (D, N, hidden_size)
    dropout: Tensor | None  # train mode: the scaled mask its output was multiplied by


def _run_layers(module: nn.Module, call: _Call) -> tuple[list[_LayerRun], Tensor, dict]:
    """The layers bottom to top. Returns each layer's run, the last output as the kernel
    gives it (packed data if packed), and the gates oneDNN wrote (onednn.read_cells)."""
    d = 2 if module.bidirectional else 1
    on_onednn = call.batch_sizes is None and onednn.applies(module)
    stack = onednn.GateStack.empty(module, *call.seq.shape[:2], call.seq) if on_onednn else None
    seq, runs = call.seq, []
    for layer in range(module.num_layers):
        rows = slice(layer * d, (layer + 1) * d)
        h0, c0 = call.h0[rows], None if call.c0 is None else call.c0[rows]
        weights = tuple(Weights.of(module, layer, direction) for direction in range(d))
        if stack is not None:
            out, h_n, c_n = onednn.run_layer(module, layer, weights, seq, h0, c0, stack)
        else:
            result = _kernel_layer(module, weights, seq, call.batch_sizes, h0, c0)
            out, h_n, c_n = result[0], result[1], result[2] if c0 is not None else None
        noise = None
        if module.training and module.dropout > 0 and layer < module.num_layers - 1:
            # Same call, shape and order as torch's own dropout between layers, so the
            # same RNG state draws the same mask; ones * noise == noise exactly.
            noise = torch.dropout(torch.ones_like(out), module.dropout, True)
        h = call.padded(out).split(h_n.shape[-1], -1)  # per direction: (T, N, H_out)
        mask = None if noise is None else call.padded(noise)
        runs.append(_LayerRun(weights, call.padded(seq), h, h_n, c_n, mask))
        seq = out if noise is None else out * noise
    return runs, seq, {} if stack is None else onednn.read_cells(stack, call.c0)


def _kernel_layer(module: nn.Module, weights: tuple[Weights, ...], seq: Tensor, batch_sizes, h0: Tensor,
                  c0: Tensor | None) -> tuple:
    """One layer, both directions, through the op module.forward calls, given only this
    layer's parameters: (output, h_n), and c_n for an LSTM."""
    flat = [w for direction in weights for w in direction.flat()]
    state = h0 if c0 is None else (h0, c0)
    # has_biases, num_layers, dropout (drawn between layers by _run_layers), train, bidirectional
    options = (module.bias, 1, 0.0, module.training, module.bidirectional)
    if batch_sizes is not None:
        return _KERNELS[module.mode](seq, batch_sizes, state, flat, *options)
    return _KERNELS[module.mode](seq, state, flat, *options, False)  # batch_first: no


# ---- 3. the gates of each layer-direction -----------------------------------------------
def _layer_gates(module: nn.Module, kind: str, call: _Call, runs: list[_LayerRun],
                 from_kernel: dict) -> dict[tuple[int, int], Found]:
    """(layer, direction) -> its gates (and LSTM c), each put in the caller's batch order with
    NaN past each sequence's end as soon as it is found (the kernel's order is a temporary)."""
    found = {}
    for layer, run in enumerate(runs):
        for direction in range(2 if module.bidirectional else 1):
            h_seq = run.h[direction]
            c_last = None if run.c_n is None else run.c_n[direction]
            read = from_kernel.get((layer, direction))  # gates oneDNN wrote, if any
            result = None if read is None else onednn.checked(read, h_seq, c_last)
            if result is None:
                result = _recomputed(module, kind, call, run, layer, direction, h_seq, c_last)
            gates = {name: call.to_caller(t) for name, t in result.gates.items()}
            cell = None if result.cell is None else call.to_caller(result.cell)
            found[layer, direction] = Found(gates, result.error, cell, result.source)
    return found


def _recomputed(module: nn.Module, kind: str, call: _Call, run: _LayerRun, layer: int, direction: int,
                h_seq: Tensor, c_last: Tensor | None) -> Found:
    """Gates from the module's weights and torch's h (rnnviz.gates), one kind's function."""
    row = layer * (2 if module.bidirectional else 1) + direction  # in h_0 and c_0
    weights = run.weights[direction]
    h_prev = call.steps.previous(h_seq, call.h0[row], direction)  # (T, N, H_out)
    if kind == "GRU":
        return gru_gates(run.input, h_prev, h_seq, weights, call.steps)
    if kind == "RNN":
        activation = torch.relu if module.nonlinearity == "relu" else torch.tanh
        return rnn_gates(run.input, h_prev, h_seq, weights, call.steps, activation)
    return lstm_gates(run.input, h_prev, h_seq, weights, call.steps, direction, call.c0[row], c_last)


# ---- 4. the Trace -----------------------------------------------------------------------
def _assemble(module: nn.Module, kind: str, call: _Call, runs: list[_LayerRun], output: Tensor,
              found: dict[tuple[int, int], Found]) -> Trace:
    def states(t: Tensor | None) -> Tensor | None:  # (rows, N, ·): batch back in the caller's order
        if t is None or call.unsorted_indices is None:
            return t
        return t.index_select(1, call.unsorted_indices)

    h_n = states(torch.cat([run.h_n for run in runs]))
    c_n = states(torch.cat([run.c_n for run in runs]) if kind == "LSTM" else None)
    lengths = call.lengths
    if call.batch_sizes is not None:
        output = PackedSequence(output, call.batch_sizes, call.sorted_indices, call.unsorted_indices)
        lengths = lengths if call.unsorted_indices is None else lengths[call.unsorted_indices.cpu()]
    else:
        output = output.transpose(0, 1) if (call.batched and module.batch_first) else output
        if not call.batched:
            output, h_n = output.squeeze(1), h_n.squeeze(1)
            c_n = c_n.squeeze(1) if c_n is not None else None
    from_kernel = sum(result.source == "kernel" for result in found.values())
    return Trace(
        kind=kind, output=output, h_n=h_n, c_n=c_n,
        max_abs_error=max(result.error for result in found.values()),
        gate_source="kernel" if from_kernel == len(found) else "mixed" if from_kernel else "recomputed",
        num_layers=module.num_layers, num_directions=2 if module.bidirectional else 1, lengths=lengths,
        dropout_masks=[call.to_caller(run.dropout) for run in runs if run.dropout is not None],
        initial_h=states(call.h0), initial_c=states(call.c0),
        _inputs=[call.to_caller(run.input) for run in runs],
        _h={(layer, d): call.to_caller(runs[layer].h[d]) for layer, d in found},
        _c={key: result.cell for key, result in found.items() if result.cell is not None},
        _gates={key: result.gates for key, result in found.items()},
    )

