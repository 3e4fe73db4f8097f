"""trace(module, x, hx): every hidden state, cell state and gate of a real torch RNN/LSTM/GRU call.

How: each layer runs through torch's own kernel (the op `nn.LSTM.forward` calls, restricted to
that layer's parameters), so the hidden states are torch's own numbers, for every layer, not
just the last.

Gates, two ways:
- float32 LSTM on CPU goes, as in torch, through oneDNN, called per layer and direction as
  torch's mkldnn path does. With grad mode on, oneDNN runs its training primitive, which
  writes the gate activations of every step to a workspace; they are read from there.
- Otherwise, once a layer's output sequence is known, h_{t-1} is known for every t, so the
  gate pre-activations W_ih x_t + b_ih + W_hh h_{t-1} + b_hh are two large matrix products
  over the whole sequence instead of T small ones.
Only the LSTM cell recurrence c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t is stepped: a two-level scan
over all layers and directions at once. Each step's state is then rebuilt from the gates
(h_t = o_t ⊙ tanh(c_t), ...) and compared with the kernel's: the largest difference is
`max_abs_error`, and gates read from a workspace that fail this check are recomputed.

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
        weight = module.weight_ih_l0
        # float32 LSTM on CPU runs through oneDNN, which keeps its gates in a workspace
        self.onednn = (
            kind == "LSTM" and not self.proj_size and weight.device.type == "cpu"
            and weight.dtype == torch.float32 and torch.backends.mkldnn.is_available()
            and torch.backends.mkldnn.enabled
        )
        self.gates_read = 0  # layer-directions whose gates came from the kernel's workspace

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
        states, cells, gates, layers = {}, {}, {}, []
        from_kernel = _KernelGates(steps, n, self, seq) if self.onednn and not packed else None
        for layer in range(self.num_layers):
            rows = slice(layer * d_count, (layer + 1) * d_count)
            state = (h0[rows], c0[rows]) if kind == "LSTM" else h0[rows]
            if from_kernel is not None:
                result = self._onednn_layer(layer, seq, state, from_kernel)
            else:
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
            layers.append((layer_in, layer_out))
            if module.training and module.dropout > 0 and layer < self.num_layers - 1:
                # Same call, shape and order as torch's own dropout between layers, so the
                # same RNG state draws the same mask; ones * noise == noise exactly.
                noise = torch.dropout(torch.ones_like(out), module.dropout, True)
                out = out * noise
                masks.append(self._to_caller(self._padded(noise, batch_sizes), unsorted_indices))
            seq = out

        kernel_found = from_kernel.finish(c0) if from_kernel is not None else {}
        for layer, (layer_in, layer_out) in enumerate(layers):
            rows = slice(layer * d_count, (layer + 1) * d_count)
            for direction in range(d_count):
                key = (layer, direction)
                h_seq = layer_out[..., direction * self.output_size:(direction + 1) * self.output_size]
                found = self._analyse(layer, direction, layer_in, h_seq, h0[rows][direction],
                                      c0[rows][direction] if kind == "LSTM" else None,
                                      c_n[layer][direction] if kind == "LSTM" else None,
                                      kernel_found.get(key))
                errors.append(found.pop("error"))
                cell = found.pop("c", None)
                states[key] = self._to_caller(h_seq, unsorted_indices)
                gates[key] = {name: self._to_caller(t, unsorted_indices) for name, t in found.items()}
                if cell is not None:
                    cells[key] = self._to_caller(cell, unsorted_indices)

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
            gate_source=self._gate_source(len(errors)),
            num_layers=self.num_layers, num_directions=d_count, lengths=lengths,
            dropout_masks=masks, initial_h=in_caller_order(h0),
            initial_c=in_caller_order(c0 if kind == "LSTM" else None),
            _inputs=inputs, _h=states, _c=cells, _gates=gates,
        )

    def _gate_source(self, layer_directions: int) -> str:
        if self.gates_read == 0:
            return "recomputed"
        return "kernel" if self.gates_read == layer_directions else "mixed"

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

    def _onednn_layer(self, layer, seq, state, from_kernel: _KernelGates):
        """One LSTM layer exactly as torch's oneDNN path runs it (aten/src/ATen/native/mkldnn/
        RNN.cpp: one `mkldnn_rnn_layer` call per direction, outputs concatenated), with grad
        mode on so that oneDNN runs its training primitive, which writes every step's gate
        activations i, f, g, o to a workspace. Hands each direction's gates, (T, N, 4H) in
        processing order, to `from_kernel` before the next call, so only one workspace
        (~4× the gates) is alive at a time. Returns the kernel's (output, h_n, c_n)."""
        h0, c0 = (s.detach() for s in state)  # grad mode is on below: record no graph
        steps, batch = seq.shape[:2]
        seq = seq.detach().contiguous()
        width = _onednn_gate_width(4 * self.hidden_size)
        outputs, h_n, c_n = [], [], []
        for direction in range(self.num_directions):
            w_ih, w_hh, b_ih, b_hh = (
                None if p is None else p.detach() for p in self._direction_weights(layer, direction)
            )
            if b_ih is None:  # torch passes zeros shaped like the weights when bias=False
                b_ih, b_hh = torch.zeros_like(w_ih), torch.zeros_like(w_hh)
            with torch.enable_grad():
                out, h_last, c_last, workspace = torch.ops.aten.mkldnn_rnn_layer(
                    seq, w_ih, w_hh, b_ih, b_hh, h0[direction:direction + 1].contiguous(),
                    c0[direction:direction + 1].contiguous(), bool(direction), [], 2,
                    self.hidden_size, 1, self.module.bias, False, False, self.module.training,
                )
            outputs.append(out)
            h_n.append(h_last)
            c_n.append(c_last)
            if workspace is not None and workspace.numel() >= steps * batch * width * 4:
                found = workspace.view(torch.float32)[: steps * batch * width]
                from_kernel.add(layer, direction, found.view(steps, batch, width)[..., : 4 * self.hidden_size])
                del found
            del workspace
        output = outputs[0] if len(outputs) == 1 else torch.cat(outputs, -1)
        return output, torch.cat(h_n), torch.cat(c_n)

    def _direction_weights(self, layer: int, direction: int,
                           *names: str) -> list[Tensor | None]:
        """The module's parameters of one layer and direction (None where bias=False)."""
        suffix = f"_l{layer}" + ("_reverse" if direction else "")
        names = names or ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
        return [getattr(self.module, name + suffix, None) for name in names]

    # ---- one layer, one direction ---------------------------------------------------
    def _analyse(self, layer, direction, layer_in, h_seq, h0, c0, c_last, kernel_gates=None) -> dict:
        """Gates (and LSTM c) of one direction from its input and torch's h sequence.

        All in the caller's time order; the reverse direction's previous step is t + 1.
        `kernel_gates` are the LSTM gates oneDNN wrote, in its processing order: used when
        the states rebuilt from them agree with the kernel's, else recomputed."""
        if kernel_gates is not None:
            found = self._check_kernel_gates(*kernel_gates, h_seq, c_last)
            if found["error"] <= _KERNEL_GATES_TOLERANCE:
                self.gates_read += 1
                return found
        weights = self._direction_weights(layer, direction)
        h_prev = self._previous(h_seq, h0, direction)  # (T, N, H_out)
        if self.kind == "GRU":
            r, z, n, error = self._gru_gates(layer_in, h_prev, h_seq, *weights)
            return dict(r=r, z=z, n=n, error=error)
        pre, error = self._pre_activations(layer_in, h_prev, h_seq, *weights)
        if self.kind == "RNN":
            return dict(pre=pre, error=error)
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
            rebuilt = F.linear(rebuilt, self._direction_weights(layer, direction, "weight_hr")[0])
        error = _largest([self._difference(rebuilt, h_seq, slice(None))])
        cell_error = _largest_difference(self._last_step(c, direction) - c_last, 0)
        return dict(i=i, f=f, g=g, o=o, c=c, error=max(error, cell_error))

    @staticmethod
    def _check_kernel_gates(gates, c, c_end, h_seq, c_last) -> dict:
        """Rebuild h_t = o_t ⊙ tanh(c_t) from oneDNN's gates and compare with its h and c_n."""
        i, f, g, o = gates.chunk(4, -1)
        rebuilt = torch.tanh(c)
        torch.addcmul(h_seq, o, rebuilt, value=-1, out=rebuilt)  # h - o ⊙ tanh(c), one pass
        error = max(_largest_difference(rebuilt, 0), _largest_difference(c_end - c_last, 0))
        return dict(i=i, f=f, g=g, o=o, c=c, error=error)

    def _previous(self, h_seq: Tensor, h0: Tensor, direction: int) -> Tensor:
        """The state each step starts from: h_{t-1} forwards, h_{t+1} backwards, h0 first."""
        if not direction:
            return torch.cat([h0[None], h_seq[:-1]])
        shifted = torch.cat([h_seq[1:], h0[None]])
        if self.valid is None:
            return shifted
        first = self.valid & ~torch.cat([self.valid[1:], self.valid[:1] & False])  # t = len-1
        return torch.where(first[..., None], h0[None], shifted)

    # The products and elementwise passes below run over chunks of _CHUNK_ROWS (step,
    # sequence) rows, so the GRU's two (T, N, 3H) products never exist whole: the working
    # memory stays bounded whatever T (bench/capture.py: no slower than one chunk).
    # Products carry no bias; biases join the elementwise passes: a fused bias costs a
    # broadcast copy plus a read of the output (measured +27% per product).

    def _chunks(self, steps: int, batch: int):
        width = max(1, _CHUNK_ROWS // max(batch, 1))
        return [slice(start, start + width) for start in range(0, steps, width)]

    def _gru_gates(self, layer_in, h_prev, h_seq, w_ih, w_hh, b_ih, b_hh):
        """r, z, n for every step, and max |h rebuilt from them - torch's h|.

        r and z need only W_i x + W_h h, so their products accumulate into one buffer; n needs
        W_hn h + b_hn on its own (r scales it), so its two products stay apart. Every buffer
        is contiguous: passes over strided slices of one 3H-wide product cost ~10% more."""
        steps, batch, hidden = *h_seq.shape[:2], self.hidden_size
        rz, n = h_seq.new_empty(steps, batch, 2 * hidden), h_seq.new_empty(steps, batch, hidden)
        gates_rz, gate_n = slice(0, 2 * hidden), slice(2 * hidden, 3 * hidden)
        differences = []
        for part in self._chunks(steps, batch):
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
            differences.append(self._difference(rebuilt, h_seq, part))
        r, z = rz.chunk(2, -1)
        return r, z, n, _largest(differences)

    def _pre_activations(self, layer_in, h_prev, h_seq, w_ih, w_hh, b_ih, b_hh):
        """W_ih x_t + b_ih + W_hh h_{t-1} + b_hh for every step, and for RNN max |h rebuilt
        from it - torch's h| (LSTM checks its h after the cell recurrence)."""
        steps, batch = h_seq.shape[:2]
        pre = h_seq.new_empty(steps, batch, w_ih.shape[0])
        bias = None if b_ih is None else b_ih + b_hh
        activation = torch.relu if getattr(self.module, "nonlinearity", "") == "relu" else torch.tanh
        differences = []
        for part in self._chunks(steps, batch):
            rows = pre[part].view(-1, pre.shape[-1])
            torch.mm(layer_in[part].reshape(-1, layer_in.shape[-1]), w_ih.t(), out=rows)
            rows.addmm_(h_prev[part].reshape(-1, h_prev.shape[-1]), w_hh.t())
            if bias is not None:
                rows.add_(bias)
            if self.kind == "RNN":
                differences.append(self._difference(activation(pre[part]), h_seq, part))
        return pre, _largest(differences) if differences else 0.0

    def _difference(self, rebuilt: Tensor, h_seq: Tensor, part: slice) -> tuple:
        """(min, max) of rebuilt - h over valid steps of a chunk; overwrites `rebuilt`."""
        diff = rebuilt.sub_(h_seq[part])
        if self.valid is not None:
            diff.masked_fill_(~self.valid[part][..., None], 0)
        return torch.aminmax(diff) if diff.numel() else (diff.new_zeros(()), diff.new_zeros(()))

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


def _largest(differences: list[tuple]) -> float:
    """The largest |difference| over chunks' (min, max) pairs, read back once; inf if not finite."""
    low = torch.stack([pair[0] for pair in differences]).min().item()
    high = torch.stack([pair[1] for pair in differences]).max().item()
    error = max(high, -low)
    return error if math.isfinite(error) else math.inf


def _largest_difference(rebuilt: Tensor, reference: Tensor) -> float:
    """max |rebuilt - reference|, overwriting `rebuilt` (a temporary); inf if not finite."""
    if not rebuilt.numel():
        return 0.0
    return _largest([torch.aminmax(rebuilt.sub_(reference))])  # one pass, not abs then max


class _KernelGates:
    """LSTM gates read from oneDNN's workspace, and the cell states they imply.

    Gates arrive per layer and direction in the kernel's processing order (reversed in time
    for the reverse direction). The forget gates and i ⊙ g of every layer and direction are
    stacked, so the cell recurrence runs once for all of them, each in its processing order."""

    def __init__(self, steps: int, batch: int, tracer: _Tracer, like: Tensor):
        self.hidden, self.steps, self.num_layers = tracer.hidden_size, steps, tracer.num_layers
        self.width, chunks = _scan_shape(steps)
        # padded to whole chunks with (f, u) = (1, 0), which leaves c unchanged
        shape = (self.width * chunks, tracer.num_directions * self.num_layers, batch, self.hidden)
        self.forget, self.update = like.new_empty(shape), like.new_empty(shape)
        self.forget[steps:], self.update[steps:] = 1, 0  # padding; a row never added is scanned but unused
        self.gates = {}

    def add(self, layer: int, direction: int, found: Tensor) -> None:
        """Take one layer-direction's gates (a view of oneDNN's workspace); a layer-direction
        never added (no workspace) gets its gates recomputed."""
        h, row = self.hidden, direction * self.num_layers + layer
        self.forget[: self.steps, row].copy_(found[..., h:2 * h])
        torch.mul(found[..., :h], found[..., 2 * h:3 * h], out=self.update[: self.steps, row])
        # the caller's time order, in memory of its own (the workspace is freed)
        self.gates[layer, direction] = found.flip(0) if direction else found.clone()

    def finish(self, c0: Tensor) -> dict:
        """(layer, direction) -> (gates, c in the caller's order, c at the last processed step)."""
        layers = self.num_layers
        start = c0.unflatten(0, (layers, -1)).transpose(0, 1).flatten(0, 1)  # rows d·layers + l
        cells = _cell_recurrence(self.forget, self.update, start, self.width)[: self.steps]
        self.forget = self.update = None
        ends = cells[-1]
        backwards = cells[:, layers:].flip(0)  # the reverse direction in the caller's order
        return {
            (layer, d): (gates, backwards[:, layer] if d else cells[:, layer], ends[d * layers + layer])
            for (layer, d), gates in self.gates.items()
        }


_CHUNK_ROWS = 4096  # (step, sequence) rows per chunk of the recomputation
_KERNEL_GATES_TOLERANCE = 1e-4  # float32; a misread workspace is off by O(1)


def _onednn_gate_width(columns: int) -> int:
    """Row length of oneDNN's float32 gate workspace (its rnn_utils get_good_ld): `columns`
    rounded up to 64 bytes, plus 64 more when that is a multiple of 1024 bytes."""
    width = -(-columns // 16) * 16
    return width + 16 if width % 256 == 0 else width


def _time_masks(lengths: Tensor | None, steps: int, n: int, device) -> tuple:
    """(valid (T, N) bool, reverse index (T, N)) for packed input of unequal lengths."""
    if lengths is None or bool((lengths == steps).all()):
        return None, None
    t = torch.arange(steps)[:, None]
    valid = t < lengths[None, :]
    reverse_index = torch.where(valid, lengths[None, :] - 1 - t, t)
    return valid.to(device), reverse_index.to(device)


def _scan_shape(steps: int) -> tuple[int, int]:
    """(chunk width, chunk count) of the two-level scan over `steps` steps: ~3√T ops."""
    width = max(1, math.isqrt(steps // 2))
    return width, -(-steps // width)


def _cell_recurrence(forget: Tensor, update: Tensor, c0: Tensor, width: int | None = None) -> Tensor:
    """c_t = forget_t ⊙ c_{t-1} + update_t for all t, from c_{-1} = c0: (T, ...).

    A two-level scan: time is cut into chunks of `width` (about √(T/2)) steps; one loop runs
    along the chunks' positions for all chunks at once (c = scale·c_in + shift within a
    chunk), a second carries the state from chunk to chunk. About 3√T whole-tensor ops
    instead of T small ones; no division, so f = 0 is safe."""
    steps = update.shape[0]
    if width is None:
        width = _scan_shape(steps)[0]
    chunks = -(-steps // width)
    padding = chunks * width - steps
    if padding:  # (f, u) = (1, 0) leaves c unchanged
        forget = torch.cat([forget, forget.new_ones((padding,) + forget.shape[1:])])
        update = torch.cat([update, update.new_zeros((padding,) + update.shape[1:])])
    forget = forget.unflatten(0, (chunks, width))
    update = update.unflatten(0, (chunks, width))
    scale, shift = torch.empty_like(update), torch.empty_like(update)
    # views made once: indexing inside the loops costs more than the small ops themselves
    f, u, a, b = forget.unbind(1), update.unbind(1), scale.unbind(1), shift.unbind(1)
    a[0].copy_(f[0])
    b[0].copy_(u[0])
    for k in range(1, width):
        torch.mul(f[k], a[k - 1], out=a[k])
        torch.addcmul(u[k], f[k], b[k - 1], out=b[k])
    carry = torch.empty_like(update[:, 0])  # the state each chunk starts from
    starts, last_scale, last_shift = carry.unbind(0), a[-1].unbind(0), b[-1].unbind(0)
    starts[0].copy_(c0)
    for chunk in range(1, chunks):
        torch.addcmul(last_shift[chunk - 1], last_scale[chunk - 1], starts[chunk - 1],
                      out=starts[chunk])
    cells = torch.addcmul(shift, scale, carry[:, None])
    return cells.flatten(0, 1)[:steps]
