"""What if: change one input value, or one gate's bias, and see what follows, on the real module.

- `perturb(module, x, hx, sequence, t, feature, delta)` runs the module twice (through
  rnnviz.trace, so every state is still checked against torch): on x and on x with
  x[t, sequence, feature] += delta. Δh (and Δc) is the difference of the two calls, for every
  layer, direction and step. The first layer's forward direction cannot change before t; reverse
  directions can, and so can every direction above a bidirectional layer. The
  linear prediction of the output's change is the Jacobian-vector product J·(δ e), by autograd.
- `shift_gate_bias(module, amount)` adds `amount` to the forget gate's bias (LSTM) or the update
  gate's (GRU), in every layer and direction: the "forget bias 1" trick (Jozefowicz et al. 2015).
  `impulse_response(module, steps, onset)` measures how long an impulse stays in the layer.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from rnnviz.checks import layer_kind
from rnnviz.trace import Trace, trace

KEPT = 0.1  # an impulse is "kept" while its trace is above this share of its peak
BIAS_BLOCK = {"LSTM": 1, "GRU": 1}  # f in (i, f, g, o); z in (r, z, n)


@dataclass
class Perturbation:
    """What changed when x[t, sequence, feature] moved by delta (time-major, rows layer·D + direction)."""

    t: int
    feature: int
    delta: float
    sequence: int
    dh: Tensor  # (num_layers·D, T, H_out): h of the perturbed call − h of the first
    dc: Tensor | None  # LSTM: (num_layers·D, T, hidden_size)
    change: Tensor  # (T,) ‖Δ output_s‖: the last layer, both directions
    linear: Tensor  # (T,) ‖J_s (δ e)‖: the change a linearisation at x predicts
    max_abs_error: float  # of the two traces: each checked against its module call


def _time_major(module: nn.Module, x: Tensor) -> Tensor:
    if x.dim() == 2:
        return x[:, None]
    return x.transpose(0, 1) if module.batch_first else x


def _layout(module: nn.Module, x_tm: Tensor, like: Tensor) -> Tensor:
    if like.dim() == 2:
        return x_tm[:, 0]
    return x_tm.transpose(0, 1) if module.batch_first else x_tm


def _seeded_trace(module: nn.Module, x: Tensor, hx) -> Trace:
    with torch.random.fork_rng(devices=[]):  # train-mode dropout draws the same masks for both calls
        torch.manual_seed(0)
        return trace(module, x, hx)


def perturb(module: nn.Module, x: Tensor, hx, sequence: int, t: int, feature: int,
            delta: float) -> Perturbation:
    """See the module docstring. x is a tensor in the module's layout (not a PackedSequence)."""
    kind = layer_kind(module)
    if not isinstance(x, Tensor):
        raise TypeError("perturb takes a padded tensor, not a PackedSequence")
    x_tm = _time_major(module, x)
    moved = x_tm.clone()
    moved[t, sequence, feature] += delta
    x2 = _layout(module, moved, x)
    base, pert = _seeded_trace(module, x, hx), _seeded_trace(module, x2, hx)
    rows = [(layer, d) for layer in range(base.num_layers) for d in range(base.num_directions)]
    dh = torch.stack([(pert.h(*r) - base.h(*r))[:, sequence] for r in rows])
    dc = torch.stack([(pert.c(*r) - base.c(*r))[:, sequence] for r in rows]) if kind == "LSTM" else None
    top = rows[-base.num_directions:]  # the last layer's directions make up output
    change = torch.cat([dh[rows.index(r)] for r in top], -1).norm(dim=-1)
    direction = torch.zeros_like(x_tm)
    direction[t, sequence, feature] = delta
    linear = _jvp_norm(module, x, hx, _layout(module, direction, x), sequence)
    return Perturbation(t, feature, delta, sequence, dh.detach(), None if dc is None else dc.detach(),
                        change.detach(), linear, max(base.max_abs_error, pert.max_abs_error))


def _jvp_norm(module: nn.Module, x: Tensor, hx, direction: Tensor, sequence: int) -> Tensor:
    """‖J_s v‖ for every step s of `sequence`: output's derivative along `direction`, by autograd."""
    def output(inp: Tensor) -> Tensor:
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(0)
            return module(inp, hx)[0]

    # double backward through the kernel; cuDNN refuses an RNN's backward in eval mode, so not cuDNN
    with torch.enable_grad(), torch.backends.cudnn.flags(enabled=False):
        _, tangent = torch.autograd.functional.jvp(output, x.detach(), direction)
    tangent = _time_major(module, tangent)
    return tangent[:, sequence].norm(dim=-1).detach()


def shift_gate_bias(module: nn.Module, amount: float) -> nn.Module:
    """A copy of an LSTM (GRU) whose forget (update) gate bias is `amount` higher everywhere."""
    kind = layer_kind(module)
    if kind not in BIAS_BLOCK:
        raise ValueError("only LSTM (forget gate) and GRU (update gate) have a gate bias to shift")
    if not module.bias:
        raise ValueError("this layer has no biases (bias=False): there is nothing to shift")
    shifted = copy.deepcopy(module)
    hidden, block = module.hidden_size, BIAS_BLOCK[kind]
    with torch.no_grad():
        for name, parameter in shifted.named_parameters():
            if name.startswith("bias_ih_"):
                parameter[block * hidden:(block + 1) * hidden] += amount
    return shifted


def impulse_response(module: nn.Module, steps: int, onset: int) -> Tensor:
    """(steps,) how far an impulse at `onset` (1 on every feature) moves the layer-0 forward state:
    ‖Δc_t‖ for an LSTM, ‖Δh_t‖ otherwise, against the same layer on an all-zero input."""
    weight = module.weight_ih_l0
    quiet = torch.zeros(steps, 1, module.input_size, dtype=weight.dtype, device=weight.device)
    if module.batch_first:
        quiet = quiet.transpose(0, 1)
    kick = quiet.clone()
    kick.select(1 if module.batch_first else 0, onset).fill_(1.0)
    base, moved = _seeded_trace(module, quiet, None), _seeded_trace(module, kick, None)
    state = "c" if layer_kind(module) == "LSTM" else "h"
    return (getattr(moved, state)(0, 0) - getattr(base, state)(0, 0))[:, 0].norm(dim=-1).detach()


def kept_steps(response: Tensor, onset: int) -> int:
    """Steps after `onset` during which the response stays at or above KEPT × its peak."""
    after = response[onset:]
    peak = float(after.max()) if len(after) else 0.0
    if peak <= 0:
        return 0
    below = torch.nonzero(after < KEPT * peak)
    return int(below[0]) if len(below) else len(after)
