"""Checks of a call `module(x, hx)` before it runs, with messages that say what to change.

torch's own messages ("Expected hidden size (2, 3, 20), got [2, 4, 20]") are correct but
do not say which argument is off; these do, and they name the tensor and the dimension.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn.utils.rnn import PackedSequence

from rnnviz.messages import say
from rnnviz.spec import state_shapes


class CallError(ValueError):
    """A module call torch would reject (or that would silently mislead)."""


def layer_kind(module: nn.Module) -> str:
    """'RNN', 'LSTM' or 'GRU' for torch's recurrent layers; TypeError for anything else."""
    for kind in ("LSTM", "GRU", "RNN"):
        if isinstance(module, getattr(nn, kind)):
            return kind
    raise TypeError(
        f"rnnviz traces nn.RNN, nn.LSTM and nn.GRU; got {type(module).__name__}. "
        "Cells (nn.LSTMCell ...) and custom modules are not supported."
    )


def expected_state_shapes(module: nn.Module, batch: int | None) -> tuple[tuple, tuple | None]:
    """Shapes torch expects for h_0 and (LSTM) c_0 (else None); `batch` None: unbatched."""
    h_shape, c_shape = state_shapes(module.num_layers, 2 if module.bidirectional else 1, batch,
                                    module.hidden_size, getattr(module, "proj_size", 0))
    return h_shape, c_shape if layer_kind(module) == "LSTM" else None


def check_call(module: nn.Module, x, hx=None) -> None:
    """Raise CallError (or TypeError) if `module(x, hx)` would fail or mislead."""
    kind = layer_kind(module)
    weight = module.weight_ih_l0
    if isinstance(x, PackedSequence):
        data, batch = x.data, int(x.batch_sizes[0])
        if data.dim() != 2:
            raise CallError(say("packed_2d", shape=tuple(data.shape)))
        features = data.shape[-1]
        batched = True
    elif isinstance(x, torch.Tensor):
        data = x
        if x.dim() not in (2, 3):
            layout = "(batch, seq_len, input_size)" if module.batch_first else "(seq_len, batch, input_size)"
            raise CallError(say("input_dims", layout=layout, dims=x.dim(), shape=tuple(x.shape)))
        batched = x.dim() == 3
        time_dim = 1 if (batched and module.batch_first) else 0
        if x.shape[time_dim] == 0:
            raise CallError(say("no_steps"))
        batch = x.shape[1 - time_dim] if batched else None
        if batched and batch == 0:
            raise CallError(say("empty_batch"))
        features = x.shape[-1]
    else:
        raise TypeError(f"input must be a tensor or a PackedSequence; got {type(x).__name__}.")
    if features != module.input_size:
        raise CallError(say("input_features", features=features, input_size=module.input_size))
    if not data.is_floating_point() or data.dtype != weight.dtype:
        raise CallError(say("input_dtype", dtype=data.dtype, weights=weight.dtype))
    if data.device != weight.device:
        raise CallError(say("input_device", device=data.device, layer=weight.device))
    if hx is None:
        return
    h_shape, c_shape = expected_state_shapes(module, batch if batched else None)
    dims = "(num_layers * num_directions, batch, H)" if batched else "(num_layers * num_directions, H)"
    if kind == "LSTM":
        if not isinstance(hx, (tuple, list)) or len(hx) != 2:
            raise CallError(say("lstm_pair"))
        states = (("h_0", hx[0], h_shape), ("c_0", hx[1], c_shape))
    else:
        if not isinstance(hx, torch.Tensor):
            raise CallError(say("state_tensor", kind=kind))
        states = (("h_0", hx, h_shape),)
    for name, state, shape in states:
        if not isinstance(state, torch.Tensor):
            raise CallError(say("state_type", name=name, type=type(state).__name__))
        if tuple(state.shape) != shape:
            key = "state_shape_batch_first" if module.batch_first else "state_shape"
            raise CallError(say(key, name=name, shape=tuple(state.shape), expected=shape, dims=dims))
        if state.dtype != weight.dtype or state.device != weight.device:
            raise CallError(say("state_dtype", name=name, dtype=state.dtype, device=state.device,
                                    weights=weight.dtype, layer=weight.device))
