"""Float32 LSTM on CPU: the gates as oneDNN computed them, read from its own workspace.

torch runs a float32 LSTM on CPU through oneDNN (aten/src/ATen/native/mkldnn/RNN.cpp): for
each layer, bottom to top, and each direction, one `mkldnn_rnn_layer` call; the directions'
outputs are concatenated. `run_layer` makes the same calls with grad mode on, so that
oneDNN runs its training primitive, which writes the gate activations i, f, g, o of every
step to a workspace. A `GateStack` keeps what the workspaces held: every layer-direction's
gates, and its forget gates and i ⊙ g stacked in rows layer·D + direction (the order of h_0
and h_n) so that `read_cells` steps the cell recurrence once for all of them. `checked`
keeps one layer-direction's gates only if the states rebuilt from them are the kernel's.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor, nn

from rnnviz.gates import Found, Weights, largest_difference
from rnnviz.scan import cell_recurrence, scan_shape

_LSTM_MODE = 2  # mkldnn_rnn_layer's `mode` for an LSTM
_TOLERANCE = 1e-4  # float32; a misread workspace is off by O(1)


def applies(module: nn.Module) -> bool:
    """Whether torch runs `module` through oneDNN: a float32 LSTM without projections on the
    CPU, oneDNN built in and enabled (packed input aside: the caller checks that)."""
    weight = module.weight_ih_l0
    return (
        module.mode == "LSTM" and not module.proj_size and weight.device.type == "cpu"
        and weight.dtype == torch.float32 and torch.backends.mkldnn.is_available()
        and torch.backends.mkldnn.enabled
    )


@dataclass(frozen=True)
class GateStack:
    """What the workspaces held, kept once each is freed. Time runs in each direction's
    processing order in the stacks (backwards for the reverse direction)."""

    steps: int  # T
    num_directions: int  # D
    width: int  # the cell scan's chunk width: the stacks are padded to whole chunks
    forget: Tensor  # (T padded, num_layers·D, N, hidden_size), rows layer·D + direction
    update: Tensor  # i ⊙ g, the same shape
    gates: dict  # (layer, direction) -> (T, N, 4·hidden_size) i, f, g, o in the caller's time order

    @classmethod
    def empty(cls, module: nn.Module, steps: int, batch: int, like: Tensor) -> GateStack:
        width, chunks = scan_shape(steps)
        directions = 2 if module.bidirectional else 1
        shape = (width * chunks, directions * module.num_layers, batch, module.hidden_size)
        forget, update = like.new_empty(shape), like.new_empty(shape)
        # padding: (f, u) = (1, 0) leaves c unchanged; a row never added is scanned but unused
        forget[steps:], update[steps:] = 1, 0
        return cls(steps, directions, width, forget, update, {})


def run_layer(module: nn.Module, layer: int, weights: tuple[Weights, ...], seq: Tensor, h0: Tensor,
              c0: Tensor, stack: GateStack) -> tuple[Tensor, Tensor, Tensor]:
    """One LSTM layer as torch's oneDNN path runs it. weights: the layer's, per direction;
    seq: (T, N, features in); h0, c0: this layer's (D, N, ·). Each direction's gates go to
    `stack` before the next call, so only one workspace (~4× the gates) is alive at a time.
    Returns the kernel's (output, h_n, c_n)."""
    h0, c0 = h0.detach(), c0.detach()  # grad mode is on below: record no graph
    steps, batch = seq.shape[:2]
    seq = seq.detach().contiguous()
    hidden = module.hidden_size
    width = _gate_width(4 * hidden)
    outputs, h_n, c_n = [], [], []
    for direction, own in enumerate(weights):
        w_ih, w_hh = own.w_ih.detach(), own.w_hh.detach()
        if module.bias:
            b_ih, b_hh = own.b_ih.detach(), own.b_hh.detach()
        else:  # torch passes zeros shaped like the weights when bias=False
            b_ih, b_hh = torch.zeros_like(w_ih), torch.zeros_like(w_hh)
        with torch.enable_grad():
            out, h_last, c_last, workspace = torch.ops.aten.mkldnn_rnn_layer(
                input=seq, weight0=w_ih, weight1=w_hh, weight2=b_ih, weight3=b_hh,
                hx_=h0[direction:direction + 1].contiguous(), cx_=c0[direction:direction + 1].contiguous(),
                reverse=bool(direction), batch_sizes=[], mode=_LSTM_MODE, hidden_size=hidden,
                has_biases=module.bias, train=module.training,
                num_layers=1, bidirectional=False, batch_first=False,  # this call: one of each, time-major
            )
        outputs.append(out)
        h_n.append(h_last)
        c_n.append(c_last)
        if workspace is not None and workspace.numel() >= steps * batch * width * 4:
            found = workspace.view(torch.float32)[: steps * batch * width]
            _add(stack, layer, direction, found.view(steps, batch, width)[..., : 4 * hidden])
            del found
        del workspace
    output = outputs[0] if len(outputs) == 1 else torch.cat(outputs, -1)
    return output, torch.cat(h_n), torch.cat(c_n)


def _add(stack: GateStack, layer: int, direction: int, found: Tensor) -> None:
    """Keep one layer-direction's gates, `found`: a (T, N, 4H) view of oneDNN's workspace in
    processing order. A layer-direction never added (no workspace) gets its gates recomputed."""
    h, row = found.shape[-1] // 4, layer * stack.num_directions + direction
    stack.forget[: stack.steps, row].copy_(found[..., h:2 * h])
    torch.mul(found[..., :h], found[..., 2 * h:3 * h], out=stack.update[: stack.steps, row])
    # the caller's time order, in memory of its own (the workspace is freed)
    stack.gates[layer, direction] = found.flip(0) if direction else found.clone()


def read_cells(stack: GateStack, c0: Tensor) -> dict:
    """(layer, direction) -> (gates, c in the caller's time order, c at the last processed
    step), for every layer-direction added. c0: (num_layers·D, N, hidden_size)."""
    cells = cell_recurrence(stack.forget, stack.update, c0, stack.width)[: stack.steps]
    ends = cells[-1]  # (num_layers·D, N, hidden_size), the order of c_n
    d = stack.num_directions
    # the reverse directions (rows 1, 3, ...) in the caller's time order: (T, num_layers, N, H)
    backwards = cells[:, 1::2].flip(0) if d == 2 else None
    return {
        (layer, direction): (gates, backwards[:, layer] if direction else cells[:, layer * d],
                             ends[layer * d + direction])
        for (layer, direction), gates in stack.gates.items()
    }


def checked(read: tuple, h_seq: Tensor, c_last: Tensor) -> Found | None:
    """One layer-direction's gates from `read_cells`, if h_t = o_t ⊙ tanh(c_t) rebuilt from
    them is the kernel's h (`h_seq`) and their last c its c_n (`c_last`); else None."""
    gates, c, c_end = read
    i, f, g, o = gates.chunk(4, -1)
    rebuilt = torch.tanh(c)
    torch.addcmul(h_seq, o, rebuilt, value=-1, out=rebuilt)  # h - o ⊙ tanh(c), one pass
    error = max(largest_difference(rebuilt, 0), largest_difference(c_end - c_last, 0))
    if error > _TOLERANCE:
        return None
    return Found(dict(i=i, f=f, g=g, o=o), error, cell=c, source="kernel")


def _gate_width(columns: int) -> int:
    """Row length of oneDNN's float32 gate workspace (its rnn_utils get_good_ld): `columns`
    rounded up to 64 bytes, plus 64 more when that is a multiple of 1024 bytes."""
    width = -(-columns // 16) * 16
    return width + 16 if width % 256 == 0 else width
