"""Every tensor of one call, with its shape in numbers and in torch's named dimensions.

Names follow torch's documentation: L sequence length, N batch, H_in input_size,
H_cell hidden_size, H_out proj_size or hidden_size, D 2 if bidirectional else 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn
from torch.nn.utils.rnn import PackedSequence

from rnnviz.checks import check_call, expected_state_shapes, layer_kind
from rnnviz.spec import GATE_BLOCKS
from rnnviz.trace import Trace


@dataclass(frozen=True)
class TensorShape:
    """One tensor of the call."""

    name: str  # "input", "h_0", "output", "weight_ih_l0_reverse", ...
    role: str  # "input", "state", "output" or "parameter"
    shape: tuple[int, ...]
    dims: tuple[str, ...]  # named dimensions, e.g. ("L", "N", "H_in")

    @property
    def numel(self) -> int:
        count = 1
        for size in self.shape:
            count *= size
        return count


@dataclass(frozen=True)
class CallShapes:
    """All tensors of `module(x, hx)` and the parameter total."""

    tensors: list[TensorShape]
    num_parameters: int  # == sum(p.numel() for p in module.parameters())
    symbols: dict[str, int]  # L, N, H_in, H_cell, H_out, D, num_layers -> value

    def get(self, name: str) -> TensorShape:
        return next(t for t in self.tensors if t.name == name)

    def parameters(self) -> list[TensorShape]:
        return [t for t in self.tensors if t.role == "parameter"]


def describe_call(module: nn.Module, x, hx=None, result=None) -> CallShapes:
    """Shapes of input, h_0 (c_0), output, h_n (c_n) and every parameter of `module(x, hx)`.

    Each named shape is checked against the real tensor. `result` is what the call returned,
    `(output, h_n)` or `(output, (h_n, c_n))`, or the rnnviz.trace of this same call, which
    has checked the call already (rnnviz.check_call); without it the call is checked and the
    module run once under no_grad."""
    kind = layer_kind(module)
    if isinstance(result, Trace):
        output, h_n, c_n = result.output, result.h_n, result.c_n
    else:
        check_call(module, x, hx)
        if result is None:
            with torch.no_grad():
                result = module(x, hx)
        output, state = result[0], result[1]
        h_n, c_n = state if kind == "LSTM" else (state, None)
    packed = isinstance(x, PackedSequence)
    batched = packed or x.dim() == 3
    d = 2 if module.bidirectional else 1
    proj = getattr(module, "proj_size", 0)
    symbols = {"H_in": module.input_size, "H_cell": module.hidden_size,
               "H_out": proj or module.hidden_size, "D": d, "num_layers": module.num_layers}
    tensors = []
    if packed:
        symbols["N"] = int(x.batch_sizes[0])
        symbols["L"] = len(x.batch_sizes)
        tensors.append(TensorShape("input.data", "input", tuple(x.data.shape), ("sum(lengths)", "H_in")))
        tensors.append(TensorShape("output.data", "output", tuple(output.data.shape),
                                   ("sum(lengths)", "D·H_out")))
    else:
        seq_dims = ("N", "L") if (batched and module.batch_first) else ("L", "N")
        seq_dims = seq_dims if batched else ("L",)
        symbols.update(zip(seq_dims, x.shape))
        tensors.append(TensorShape("input", "input", tuple(x.shape), seq_dims + ("H_in",)))
        tensors.append(TensorShape("output", "output", tuple(output.shape), seq_dims + ("D·H_out",)))
    lead = ("D·num_layers", "N") if batched else ("D·num_layers",)
    h_shape, c_shape = expected_state_shapes(module, symbols["N"] if batched else None)
    given = (hx if kind == "LSTM" else (hx,)) if hx is not None else (None, None)
    state_names = [("h", h_shape, h_n, "H_out")] + ([("c", c_shape, c_n, "H_cell")] if kind == "LSTM" else [])
    for (prefix, shape, final, feature), initial in zip(state_names, given):
        if initial is not None and tuple(initial.shape) != shape:
            raise AssertionError(f"{prefix}_0 {tuple(initial.shape)} is not the expected {shape}")
        tensors.append(TensorShape(f"{prefix}_0", "state", shape, lead + (feature,)))
        tensors.append(TensorShape(f"{prefix}_n", "output", tuple(final.shape), lead + (feature,)))
    gates = GATE_BLOCKS[kind]
    for name, param in module.named_parameters():
        dims = _parameter_dims(name, gates, d)
        tensors.append(TensorShape(name, "parameter", tuple(param.shape), dims))
    for t in tensors:  # every named shape agrees with the real tensor
        expected = tuple(_size(dim, symbols) for dim in t.dims if dim != "sum(lengths)")
        actual = t.shape if "sum(lengths)" not in t.dims else t.shape[1:]
        if expected != actual:
            raise AssertionError(f"{t.name}: named {t.dims} = {expected}, real {actual}")
    total = sum(p.numel() for p in module.parameters())
    return CallShapes(tensors=tensors, num_parameters=total, symbols=symbols)


def _parameter_dims(name: str, gates: int, d: int) -> tuple[str, ...]:
    rows = f"{gates}·H_cell" if gates > 1 else "H_cell"
    if name.startswith("weight_ih_l0"):
        return (rows, "H_in")
    if name.startswith("weight_ih"):
        return (rows, "D·H_out" if d == 2 else "H_out")
    if name.startswith("weight_hh"):
        return (rows, "H_out")
    if name.startswith("weight_hr"):
        return ("H_out", "H_cell")
    return (rows,)  # bias_ih / bias_hh


def _size(dim: str, symbols: dict[str, int]) -> int:
    value = 1
    for factor in dim.split("·"):
        value *= int(factor) if factor.isdigit() else symbols[factor]
    return value


def trace_nbytes(spec, seq_len: int, batch_size: int) -> int:
    """Estimated peak memory of a full trace of `spec` on (seq_len, batch_size): every
    state and gate of every step, layer and direction, plus the working copies."""
    element = 8 if spec.dtype == "float64" else 4
    steps = seq_len * batch_size
    layer_directions = spec.num_directions * spec.num_layers
    per_step = spec.output_size + spec.gate_blocks * spec.hidden_size
    # one layer-direction at a time: oneDNN's workspace (~4× its gates, rows padded), its
    # scratchpad and the copy taken from them, or the products and temporaries
    # (tests/test_export.py measures a process's peak against this estimate)
    working = 7 * steps * spec.gate_blocks * spec.hidden_size
    # the kernel's own per-layer buffers (each direction's input product, each step's output,
    # their stack, the directions' concatenation) and allocator slack
    working += 8 * steps * spec.num_directions * spec.output_size
    if spec.kind == "LSTM":
        per_step += 1.5 * spec.hidden_size  # c, and the reverse direction's copy in time order
        working += 2 * steps * layer_directions * spec.hidden_size  # f and i ⊙ g, stacked
    return int(element * (steps * layer_directions * per_step + working))
