"""How far back a gradient reaches: ‖∂h_T/∂x_t‖ and ‖∂h_T/∂h_t‖ for every t, by autograd on the
real module.

The layer is called one time step at a time, passing its state along (this reproduces the
full-sequence call exactly: tests/test_topics.py checks it), so every h_t is a node of the autograd graph.
h_T is the last layer's hidden state at the last step (the first sequence of the batch); a
norm is the Frobenius norm of the Jacobian, one backward pass per unit of h_T."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor, nn

from rnnviz.checks import check_call, layer_kind
from rnnviz.inputs import InputSource, make_input
from rnnviz.spec import LayerSpec


@dataclass
class GradientReach:
    """Per time step t = 0..T-1: (T,) tensors of Jacobian norms."""

    wrt_input: Tensor  # ‖∂h_T/∂x_t‖_F
    wrt_state: Tensor  # ‖∂h_T/∂h_t‖_F, h_t = every layer's state after step t (and c_t for LSTM)


def gradient_reach(module: nn.Module, x: Tensor, hx=None) -> GradientReach:
    """Jacobian norms of the final hidden state with respect to every input step and state.

    x: (T, H_in) or (T, N, H_in) time-major (batch element 0 is used). Unidirectional only."""
    kind = layer_kind(module)
    if module.bidirectional:
        raise ValueError("gradient reach needs a unidirectional layer: the reverse direction sees "
                         "every step at once. Turn bidirectional off.")
    if module.batch_first:
        raise ValueError("give gradient_reach a time-major module (batch_first=False).")
    check_call(module, x, hx)
    x = x if x.dim() == 3 else x[:, None]
    x = x[:, :1].detach().clone().requires_grad_(True)  # (T, 1, H_in): one sequence
    steps = x.shape[0]
    state = hx
    if state is not None:
        state = tuple(s[:, :1] for s in state) if kind == "LSTM" else state[:, :1]
    with torch.enable_grad():
        states = []
        for t in range(steps):
            out, state = module(x[t:t + 1], state)
            parts = state if kind == "LSTM" else (state,)
            for part in parts:
                part.retain_grad()
            states.append(parts)
        final = out[-1, 0]  # h_T of the last layer: (H_out,)
        input_sq = torch.zeros(steps, dtype=x.dtype, device=x.device)
        state_sq = torch.zeros(steps, dtype=x.dtype, device=x.device)
        leaves = [x] + [p for parts in states for p in parts]
        for unit in range(final.shape[0]):
            grads = torch.autograd.grad(final[unit], leaves, retain_graph=True, allow_unused=True)
            input_sq += grads[0][:, 0].pow(2).sum(-1)
            per_step = len(states[0])
            for t in range(steps):
                for g in grads[1 + t * per_step:1 + (t + 1) * per_step]:
                    if g is not None:
                        state_sq[t] += g.pow(2).sum()
    state_norm = state_sq.sqrt().detach()
    # the last state is h_T itself: ∂h_T/∂h_T is the identity, whose norm is sqrt(H_out)
    state_norm[-1] = float(final.shape[0]) ** 0.5
    return GradientReach(wrt_input=input_sq.sqrt().detach(), wrt_state=state_norm)


def reach_of(kind: str, nonlinearity: str, input_size: int, hidden_size: int, seq_len: int, seed: int = 0,
             dtype: str = "float32") -> GradientReach:
    """The gradients page's measurement: a seeded one-layer `kind` on one random sequence."""
    spec = LayerSpec(kind=kind, nonlinearity=nonlinearity, input_size=input_size, hidden_size=hidden_size,
                     seed=seed, dtype=dtype)
    x = make_input(spec, InputSource(kind="random", seq_len=seq_len, batch_size=1, seed=seed)).x
    return gradient_reach(spec.build(), x)
