"""trace(module, x, hx): every hidden state, cell state and gate of a real torch RNN/LSTM/GRU call.

How: each layer runs through torch's own kernel (the op `nn.LSTM.forward` calls, restricted to
that layer's parameters), so the hidden states are torch's own numbers, for every layer, not
just the last. Once a layer's output sequence is known, h_{t-1} is known for every t, so the
gate pre-activations W_ih x_t + b_ih + W_hh h_{t-1} + b_hh are two large matrix products over
the whole sequence instead of T small ones. Only the LSTM cell recurrence
c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t is stepped, one elementwise op per step. Each step's state is
then rebuilt from the gates (h_t = o_t ⊙ tanh(c_t), ...) and compared with the kernel's: the
largest difference is `max_abs_error`.

Between layers, train-mode dropout is drawn exactly as torch draws it (same RNG calls, same
order), so under the same seed the trace equals `module(x, hx)`; the masks are kept.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torch.nn.utils.rnn import PackedSequence, pad_packed_sequence

from rnnviz.checks import check_call, layer_kind

_KERNELS = {
    "LSTM": torch.lstm,
    "GRU": torch.gru,
    "RNN_TANH": torch.rnn_tanh,
    "RNN_RELU": torch.rnn_relu,
}


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
        return _Tracer(module, kind).run(x, hx)


class _Tracer:
    """Runs a module layer by layer through torch's kernel, then analyses each layer."""

    def __init__(self, module: nn.Module, kind: str):
        self.module = module
        self.kind = kind
        self.kernel = _KERNELS[module.mode]
        self.num_layers = module.num_layers
        self.num_directions = 2 if module.bidirectional else 1
        self.hidden_size = module.hidden_size
        self.proj_size = getattr(module, "proj_size", 0)
        self.output_size = self.proj_size or self.hidden_size

    # ---- the whole call ---------------------------------------------------------------
    def run(self, x, hx) -> Trace:
        module, kind = self.module, self.kind
        packed = isinstance(x, PackedSequence)
        batched = packed or x.dim() == 3
        if packed:
            seq, batch_sizes, sorted_indices, unsorted_indices = x
            n, steps = int(batch_sizes[0]), len(batch_sizes)
            lengths = (batch_sizes[None, :] > torch.arange(n)[:, None]).sum(1)  # sorted order
        else:
            seq = x if batched else x.unsqueeze(1)
            if batched and module.batch_first:
                seq = seq.transpose(0, 1)  # (L, N, H_in): the kernel runs time-major
            steps, n = seq.shape[:2]
            batch_sizes = sorted_indices = unsorted_indices = lengths = None
        h0, c0 = self._initial_state(hx, seq, n, batched, sorted_indices)
        self.valid, self.reverse_index = _time_masks(lengths, steps, n, seq.device)

        d_count = self.num_directions
        h_n, c_n, masks, errors, inputs = [], [], [], [], []
        states, cells, gates = {}, {}, {}
        for layer in range(self.num_layers):
            rows = slice(layer * d_count, (layer + 1) * d_count)
            state = (h0[rows], c0[rows]) if kind == "LSTM" else h0[rows]
            args = (seq, batch_sizes) if packed else (seq,)
            result = self.kernel(
                *args, state, self._layer_weights(layer), module.bias, 1, 0.0,
                module.training, module.bidirectional, *(() if packed else (False,)),
            )
            out = result[0]
            h_n.append(result[1])
            if kind == "LSTM":
                c_n.append(result[2])
            layer_in = self._padded(seq, batch_sizes)  # (T, N, in)
            layer_out = self._padded(out, batch_sizes)  # (T, N, D·H_out)
            inputs.append(self._to_caller(layer_in, unsorted_indices))
            for direction in range(d_count):
                key = (layer, direction)
                h_seq = layer_out[..., direction * self.output_size:(direction + 1) * self.output_size]
                found = self._analyse(layer, direction, layer_in, h_seq, h0[rows][direction],
                                      c0[rows][direction] if kind == "LSTM" else None,
                                      c_n[-1][direction] if kind == "LSTM" else None)
                errors.append(found.pop("error"))
                cell = found.pop("c", None)
                states[key] = self._to_caller(h_seq, unsorted_indices)
                gates[key] = {name: self._to_caller(t, unsorted_indices) for name, t in found.items()}
                if cell is not None:
                    cells[key] = self._to_caller(cell, unsorted_indices)
            if module.training and module.dropout > 0 and layer < self.num_layers - 1:
                # Same call, shape and order as torch's own dropout between layers, so the
                # same RNG state draws the same mask; ones * noise == noise exactly.
                noise = torch.dropout(torch.ones_like(out), module.dropout, True)
                out = out * noise
                masks.append(self._to_caller(self._padded(noise, batch_sizes), unsorted_indices))
            seq = out

        def in_caller_order(states: Tensor | None) -> Tensor | None:  # (rows, N, ·), batch on dim 1
            if states is None or unsorted_indices is None:
                return states
            return states.index_select(1, unsorted_indices)

        h_n = in_caller_order(torch.cat(h_n, 0))
        c_n = in_caller_order(torch.cat(c_n, 0) if kind == "LSTM" else None)
        if packed:
            output = PackedSequence(seq, batch_sizes, sorted_indices, unsorted_indices)
            lengths = lengths if unsorted_indices is None else lengths[unsorted_indices.cpu()]
        else:
            output = seq.transpose(0, 1) if (batched and module.batch_first) else seq
            if not batched:
                output, h_n = output.squeeze(1), h_n.squeeze(1)
                c_n = c_n.squeeze(1) if c_n is not None else None
        return Trace(
            kind=kind, output=output, h_n=h_n, c_n=c_n, max_abs_error=max(errors),
            num_layers=self.num_layers, num_directions=d_count, lengths=lengths,
            dropout_masks=masks, initial_h=in_caller_order(h0),
            initial_c=in_caller_order(c0 if kind == "LSTM" else None),
            _inputs=inputs, _h=states, _c=cells, _gates=gates,
        )

    def _initial_state(self, hx, seq, n, batched, sorted_indices):
        rows = self.num_directions * self.num_layers
        like = dict(dtype=self.module.weight_ih_l0.dtype, device=self.module.weight_ih_l0.device)
        if hx is None:
            h0 = torch.zeros(rows, n, self.output_size, **like)
            c0 = torch.zeros(rows, n, self.hidden_size, **like)
            return h0, c0
        h0, c0 = hx if self.kind == "LSTM" else (hx, None)
        if not batched:
            h0 = h0.unsqueeze(1)
            c0 = c0.unsqueeze(1) if c0 is not None else None
        if sorted_indices is not None:  # the kernel works in length-sorted batch order
            h0 = h0.index_select(1, sorted_indices)
            c0 = c0.index_select(1, sorted_indices) if c0 is not None else None
        return h0, c0

    def _layer_weights(self, layer: int) -> list[Tensor]:
        suffixes = [""] + (["_reverse"] if self.num_directions == 2 else [])
        names = ["weight_ih", "weight_hh"] + (["bias_ih", "bias_hh"] if self.module.bias else [])
        names += ["weight_hr"] if self.proj_size else []
        return [getattr(self.module, f"{name}_l{layer}{s}") for s in suffixes for name in names]

    # ---- one layer, one direction ---------------------------------------------------
    def _analyse(self, layer, direction, layer_in, h_seq, h0, c0, c_last) -> dict:
        """Gates (and LSTM c) of one direction from its input and torch's h sequence.

        All in the caller's time order; the reverse direction's previous step is t + 1."""
        suffix = f"_l{layer}" + ("_reverse" if direction else "")
        get = lambda name: getattr(self.module, name + suffix, None)  # noqa: E731
        w_ih, w_hh, b_ih, b_hh = get("weight_ih"), get("weight_hh"), get("bias_ih"), get("bias_hh")
        h_prev = self._previous(h_seq, h0, direction)  # (T, N, H_out)
        found = {}
        if self.kind == "GRU":  # n needs W_hn h + b_hn on its own
            gi = F.linear(layer_in, w_ih, b_ih)  # (T, N, 3H)
            gh = F.linear(h_prev, w_hh, b_hh)
            gi_r, gi_z, gi_n = gi.chunk(3, -1)
            gh_r, gh_z, gh_n = gh.chunk(3, -1)
            r, z = (gh_r + gi_r).sigmoid(), (gh_z + gi_z).sigmoid()
            n = (gi_n + gh_n * r).tanh()  # r scales W_hn h + b_hn, as torch does
            rebuilt = (h_prev - n) * z + n
            found.update(r=r, z=z, n=n)
            return self._finish(found, rebuilt, h_seq, None)
        # RNN, LSTM: pre = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh, both products in one buffer
        pre = F.linear(layer_in, w_ih, b_ih)  # (T, N, G·H)
        steps, batch = pre.shape[:2]
        flat = pre.view(steps * batch, -1)
        flat.addmm_(h_prev.reshape(steps * batch, -1), w_hh.t())
        if b_hh is not None:
            flat.add_(b_hh)
        if self.kind == "RNN":
            rebuilt = torch.relu(pre) if self.module.nonlinearity == "relu" else torch.tanh(pre)
            found["pre"] = pre
            return self._finish(found, rebuilt, h_seq, None)
        hidden = self.hidden_size
        pre[..., : 2 * hidden].sigmoid_()  # in place: pre becomes the gates i, f, g, o
        pre[..., 2 * hidden : 3 * hidden].tanh_()
        pre[..., 3 * hidden :].sigmoid_()
        i, f, g, o = pre.chunk(4, -1)
        update = i * g
        if direction:  # the cell recurrence runs backwards in time for this direction
            c = self._reverse(_cell_recurrence(self._reverse(f), self._reverse(update), c0))
        else:
            c = _cell_recurrence(f, update, c0)
        rebuilt = o * c.tanh()
        if self.proj_size:
            rebuilt = F.linear(rebuilt, get("weight_hr"))
        found.update(i=i, f=f, g=g, o=o, c=c)
        c_end = self._last_step(c, direction)
        return self._finish(found, rebuilt, h_seq, (c_end - c_last).abs().max().item())

    def _previous(self, h_seq: Tensor, h0: Tensor, direction: int) -> Tensor:
        """The state each step starts from: h_{t-1} forwards, h_{t+1} backwards, h0 first."""
        if not direction:
            return torch.cat([h0[None], h_seq[:-1]])
        shifted = torch.cat([h_seq[1:], h0[None]])
        if self.valid is None:
            return shifted
        first = self.valid & ~torch.cat([self.valid[1:], self.valid[:1] & False])  # t = len-1
        return torch.where(first[..., None], h0[None], shifted)

    def _finish(self, found: dict, rebuilt: Tensor, h_seq: Tensor, cell_error) -> dict:
        """Measure the states rebuilt from the gates against torch's."""
        found["error"] = max(self._max_error(rebuilt, h_seq), cell_error or 0.0)
        return found

    def _max_error(self, rebuilt: Tensor, reference: Tensor) -> float:
        diff = (rebuilt - reference).abs()
        if self.valid is not None:
            diff = diff.masked_fill(~self.valid[..., None], 0)
        return diff.max().item() if diff.numel() else 0.0

    def _last_step(self, t: Tensor, direction: int) -> Tensor:
        """t at the step where a direction ends: (N, features)."""
        if direction:
            return t[0]
        if self.valid is None:
            return t[-1]
        last = self.valid.sum(0) - 1  # (N,)
        return t.gather(0, last[None, :, None].expand(1, -1, t.shape[-1]))[0]

    def _reverse(self, t: Tensor) -> Tensor:
        """Reverse time within each sequence's own length (its own inverse)."""
        if self.reverse_index is None:
            return t.flip(0)
        return t.gather(0, self.reverse_index[..., None].expand(-1, -1, t.shape[-1]))

    # ---- layout helpers -------------------------------------------------------------
    @staticmethod
    def _padded(t: Tensor, batch_sizes: Tensor | None) -> Tensor:
        if batch_sizes is None:
            return t
        return pad_packed_sequence(PackedSequence(t, batch_sizes))[0]

    def _to_caller(self, t: Tensor, unsorted_indices: Tensor | None) -> Tensor:
        """Time-major, caller's batch order, NaN past each sequence's end."""
        if self.valid is not None:
            t = t.masked_fill(~self.valid[..., None], math.nan)
        if unsorted_indices is not None:
            t = t.index_select(1, unsorted_indices)
        return t


def _time_masks(lengths: Tensor | None, steps: int, n: int, device) -> tuple:
    """(valid (T, N) bool, reverse index (T, N)) for packed input of unequal lengths."""
    if lengths is None or bool((lengths == steps).all()):
        return None, None
    t = torch.arange(steps)[:, None]
    valid = t < lengths[None, :]
    reverse_index = torch.where(valid, lengths[None, :] - 1 - t, t)
    return valid.to(device), reverse_index.to(device)


def _cell_recurrence(forget: Tensor, update: Tensor, c0: Tensor) -> Tensor:
    """c_t = forget_t ⊙ c_{t-1} + update_t for all t, from c_{-1} = c0: (T, N, H).

    A two-level scan: time is cut into about √T chunks; one loop runs along the chunks'
    positions for all chunks at once, a second carries the state from chunk to chunk.
    About 3√T whole-tensor ops instead of T small ones; no division, so f = 0 is safe."""
    steps = update.shape[0]
    width = max(1, math.isqrt(steps))
    chunks = -(-steps // width)
    padding = chunks * width - steps
    if padding:  # (f, u) = (1, 0) leaves c unchanged
        forget = torch.cat([forget, forget.new_ones((padding,) + forget.shape[1:])])
        update = torch.cat([update, update.new_zeros((padding,) + update.shape[1:])])
    forget = forget.reshape(chunks, width, *forget.shape[1:])
    update = update.reshape(chunks, width, *update.shape[1:])
    scale, shift = torch.empty_like(forget), torch.empty_like(update)  # c = scale·c_in + shift
    scale[:, 0], shift[:, 0] = forget[:, 0], update[:, 0]
    for k in range(1, width):
        torch.mul(forget[:, k], scale[:, k - 1], out=scale[:, k])
        torch.addcmul(update[:, k], forget[:, k], shift[:, k - 1], out=shift[:, k])
    carry = torch.empty_like(forget[:, 0])  # the state each chunk starts from
    previous = c0
    for chunk in range(chunks):
        carry[chunk] = previous
        previous = torch.addcmul(shift[chunk, -1], scale[chunk, -1], previous)
    cells = torch.addcmul(shift, scale, carry[:, None])
    return cells.reshape(chunks * width, *cells.shape[2:])[:steps]
