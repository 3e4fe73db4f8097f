"""Gates of one layer and direction, recomputed from its input and torch's own hidden states.

Once a layer's output sequence is known, h_{t-1} is known for every t, so the gate
pre-activations W_ih x_t + b_ih + W_hh h_{t-1} + b_hh are two large matrix products over the
whole sequence instead of T small ones. One function per kind rebuilds the state from its
gates and says how far that is from torch's:
- `rnn_gates`: pre, and h_t = tanh(pre) (or relu);
- `lstm_gates`: i, f, g, o, the cell states c (rnnviz.scan), and h_t = o_t ⊙ tanh(c_t);
- `gru_gates`: r, z, n, and h_t = (1 - z) ⊙ n + z ⊙ h_{t-1}.
Everything is time-major (T, N, ·) in the caller's time order; the reverse direction's
previous step is t + 1. The same equations, one step at a time: tests/reference.py.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from rnnviz.scan import cell_recurrence

# The products and elementwise passes run over chunks of _CHUNK_ROWS (step, sequence) rows,
# so the GRU's two (T, N, 3H) products never exist whole: the working memory stays bounded
# whatever T (bench/capture.py: no slower than one chunk). Products carry no bias; biases
# join the elementwise passes: a fused bias costs a broadcast copy plus a read of the output
# (measured +27% per product).
_CHUNK_ROWS = 4096


@dataclass(frozen=True)
class Weights:
    """One layer-direction's parameters, as the module holds them."""

    w_ih: Tensor  # (G·hidden_size, features in)
    w_hh: Tensor  # (G·hidden_size, H_out)
    b_ih: Tensor | None  # (G·hidden_size,); None when bias=False
    b_hh: Tensor | None
    w_hr: Tensor | None  # LSTM with proj_size: (H_out, hidden_size); else None

    @classmethod
    def of(cls, module: nn.Module, layer: int, direction: int) -> Weights:
        suffix = f"_l{layer}" + ("_reverse" if direction else "")

        def get(name: str, present: bool = True) -> Tensor | None:  # asks only for those present
            return getattr(module, name + suffix) if present else None

        bias, projection = module.bias, module.proj_size > 0
        return cls(get("weight_ih"), get("weight_hh"), get("bias_ih", bias), get("bias_hh", bias),
                   get("weight_hr", projection))

    def flat(self) -> list[Tensor]:
        """Those present, in torch's order: weight_ih, weight_hh, bias_ih, bias_hh, weight_hr."""
        return [w for w in (self.w_ih, self.w_hh, self.b_ih, self.b_hh, self.w_hr) if w is not None]


@dataclass(frozen=True)
class Steps:
    """Which steps of a time-major (T, N) batch hold data; both None when every sequence has
    all T steps (any unpacked input, or packed sequences of equal length)."""

    valid: Tensor | None = None  # (T, N) bool: t < the sequence's length
    reverse_index: Tensor | None = None  # (T, N): where t goes when its sequence is reversed

    @classmethod
    def of(cls, lengths: Tensor | None, steps: int, device) -> Steps:
        """From each sequence's length (N,), or None when unpacked."""
        if lengths is None or bool((lengths == steps).all()):
            return cls()
        t = torch.arange(steps)[:, None]
        valid = t < lengths[None, :]
        reverse_index = torch.where(valid, lengths[None, :] - 1 - t, t)
        return cls(valid.to(device), reverse_index.to(device))

    def previous(self, h_seq: Tensor, h0: Tensor, direction: int) -> Tensor:
        """The state each step starts from: h_{t-1} forwards, h_{t+1} backwards, h0 first."""
        if not direction:
            return torch.cat([h0[None], h_seq[:-1]])
        shifted = torch.cat([h_seq[1:], h0[None]])
        if self.valid is None:
            return shifted
        first = self.valid & ~torch.cat([self.valid[1:], self.valid[:1] & False])  # t = len-1
        return torch.where(first[..., None], h0[None], shifted)

    def reverse(self, t: Tensor) -> Tensor:
        """Reverse time within each sequence's own length (its own inverse)."""
        if self.reverse_index is None:
            return t.flip(0)
        return t.gather(0, self.reverse_index[..., None].expand(-1, -1, t.shape[-1]))

    def last(self, t: Tensor, direction: int) -> Tensor:
        """t at the step where a direction ends: (N, features)."""
        if direction:
            return t[0]
        if self.valid is None:
            return t[-1]
        last = self.valid.sum(0) - 1  # (N,)
        return t.gather(0, last[None, :, None].expand(1, -1, t.shape[-1]))[0]

    def difference(self, rebuilt: Tensor, h_seq: Tensor, part: slice) -> tuple:
        """(min, max) of rebuilt - h over valid steps of a chunk; overwrites `rebuilt`."""
        diff = rebuilt.sub_(h_seq[part])
        if self.valid is not None:
            diff.masked_fill_(~self.valid[part][..., None], 0)
        return torch.aminmax(diff) if diff.numel() else (diff.new_zeros(()), diff.new_zeros(()))


@dataclass(frozen=True)
class Found:
    """One layer-direction's gates and how well they rebuild torch's states."""

    gates: dict[str, Tensor]  # (T, N, hidden_size) each: LSTM i, f, g, o; GRU r, z, n; RNN pre
    error: float  # max |state rebuilt from the gates - torch's state| over valid steps
    cell: Tensor | None = None  # LSTM c: (T, N, hidden_size)
    source: str = "recomputed"  # or "kernel": read from oneDNN's workspace (rnnviz.onednn)


def rnn_gates(layer_in: Tensor, h_prev: Tensor, h_seq: Tensor, weights: Weights, steps: Steps,
              activation: Callable[[Tensor], Tensor]) -> Found:
    """RNN: the pre-activation W_ih x_t + b_ih + W_hh h_{t-1} + b_hh, checked against
    torch's h_t = activation(pre)."""
    pre, error = _pre_activations(layer_in, h_prev, weights, steps, activation, h_seq)
    return Found({"pre": pre}, error)


def lstm_gates(layer_in: Tensor, h_prev: Tensor, h_seq: Tensor, weights: Weights, steps: Steps,
               direction: int, c0: Tensor, c_last: Tensor) -> Found:
    """LSTM: i, f, g, o and c, checked against torch's h (every step) and c_n (`c_last`).
    `c0`, `c_last`: (N, hidden_size), the direction's first and last cell state."""
    pre, _ = _pre_activations(layer_in, h_prev, weights, steps)
    hidden = c0.shape[-1]
    pre[..., : 2 * hidden].sigmoid_()  # in place: pre becomes the gates i, f, g, o
    pre[..., 2 * hidden : 3 * hidden].tanh_()
    pre[..., 3 * hidden :].sigmoid_()
    i, f, g, o = pre.chunk(4, -1)
    update = i * g
    if direction:  # the cell recurrence runs backwards in time for this direction
        c = steps.reverse(cell_recurrence(steps.reverse(f), steps.reverse(update), c0))
    else:
        c = cell_recurrence(f, update, c0)
    rebuilt = o * c.tanh()
    if weights.w_hr is not None:
        rebuilt = F.linear(rebuilt, weights.w_hr)
    error = _largest([steps.difference(rebuilt, h_seq, slice(None))])
    cell_error = largest_difference(steps.last(c, direction) - c_last, 0)
    return Found(dict(i=i, f=f, g=g, o=o), max(error, cell_error), cell=c)


def gru_gates(layer_in: Tensor, h_prev: Tensor, h_seq: Tensor, weights: Weights, steps: Steps) -> Found:
    """GRU: r, z, n, checked against torch's h.

    r and z need only W_i x + W_h h, so their products accumulate into one buffer; n needs
    W_hn h + b_hn on its own (r scales it), so its two products stay apart. Every buffer is
    contiguous: passes over strided slices of one 3H-wide product cost ~10% more."""
    (count, batch), hidden = h_seq.shape[:2], weights.w_hh.shape[1]
    w_ih, w_hh, b_ih, b_hh = weights.w_ih, weights.w_hh, weights.b_ih, weights.b_hh
    rz, n = h_seq.new_empty(count, batch, 2 * hidden), h_seq.new_empty(count, batch, hidden)
    gates_rz, gate_n = slice(0, 2 * hidden), slice(2 * hidden, 3 * hidden)
    differences = []
    for part in _chunks(count, batch):
        x, h = layer_in[part].reshape(-1, layer_in.shape[-1]), h_prev[part].reshape(-1, hidden)
        rz_part = torch.mm(x, w_ih[gates_rz].t(), out=rz[part].view(-1, 2 * hidden))
        rz_part.addmm_(h, w_hh[gates_rz].t())
        n_part = torch.mm(x, w_ih[gate_n].t(), out=n[part].view(-1, hidden))
        hidden_n = h @ w_hh[gate_n].t()
        if b_ih is not None:
            rz_part.add_(b_ih[gates_rz] + b_hh[gates_rz])
            n_part.add_(b_ih[gate_n])
            hidden_n.add_(b_hh[gate_n])
        r, z = rz[part].sigmoid_().chunk(2, -1)
        n_part = n[part].addcmul_(hidden_n.view_as(r), r).tanh_()  # r ⊙ (W_hn h + b_hn)
        rebuilt = torch.lerp(n_part, h_prev[part], z)  # (1 - z) ⊙ n + z ⊙ h_{t-1}
        differences.append(steps.difference(rebuilt, h_seq, part))
    r, z = rz.chunk(2, -1)
    return Found(dict(r=r, z=z, n=n), _largest(differences))


def _pre_activations(layer_in, h_prev, weights: Weights, steps: Steps, activation=None, h_seq=None):
    """W_ih x_t + b_ih + W_hh h_{t-1} + b_hh for every step, (T, N, G·hidden_size), and,
    given an `activation`, max |activation(it) - h_seq| (else 0.0)."""
    count, batch = h_prev.shape[:2]
    pre = h_prev.new_empty(count, batch, weights.w_ih.shape[0])
    bias = None if weights.b_ih is None else weights.b_ih + weights.b_hh
    differences = []
    for part in _chunks(count, batch):
        rows = pre[part].view(-1, pre.shape[-1])
        torch.mm(layer_in[part].reshape(-1, layer_in.shape[-1]), weights.w_ih.t(), out=rows)
        rows.addmm_(h_prev[part].reshape(-1, h_prev.shape[-1]), weights.w_hh.t())
        if bias is not None:
            rows.add_(bias)
        if activation is not None:
            differences.append(steps.difference(activation(pre[part]), h_seq, part))
    return pre, _largest(differences) if differences else 0.0


def _chunks(count: int, batch: int) -> list[slice]:
    """Slices of the time axis, each about _CHUNK_ROWS (step, sequence) rows."""
    width = max(1, _CHUNK_ROWS // max(batch, 1))
    return [slice(start, start + width) for start in range(0, count, width)]


def _largest(differences: list[tuple]) -> float:
    """The largest |difference| over chunks' (min, max) pairs, read back once; inf if not finite."""
    low = torch.stack([pair[0] for pair in differences]).min().item()
    high = torch.stack([pair[1] for pair in differences]).max().item()
    error = max(high, -low)
    return error if math.isfinite(error) else math.inf


def largest_difference(rebuilt: Tensor, reference: Tensor | float) -> float:
    """max |rebuilt - reference|, overwriting `rebuilt` (a temporary); inf if not finite."""
    if not rebuilt.numel():
        return 0.0
    return _largest([torch.aminmax(rebuilt.sub_(reference))])  # one pass, not abs then max
