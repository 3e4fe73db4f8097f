"""Bring your own layer: read a state dict from a file, find the recurrent layer in it, judge its
tensors, infer the constructor arguments from parameter names and shapes, and rebuild the module.

Nothing in a file is ever executed: rnnviz.torchfile reads it (`torch.load(..., weights_only=True)`
or the safetensors library) and says what a file that is not a state dict is.

A file is judged before it can cost memory: a stored zip member never unpacks to more than its
size, and every tensor of a recurrent layer is checked from its metadata (element count × element
size, a view larger than its storage, sparse, quantized, meta, complex or integer values) before a
byte of it is copied; only then are its values checked for NaN and infinities. A checkpoint of a
larger model is fine: `prefixes()` lists where recurrent layers sit (e.g. "encoder.rnn."), and
`infer()` reads the one chosen. A cell's state dict (nn.LSTMCell, nn.GRUCell, nn.RNNCell) reads as
a one-layer layer: its weights are exactly layer 0's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import torch
from torch import Tensor

from rnnviz.messages import say
from rnnviz.spec import LayerSpec
from rnnviz.torchfile import (  # noqa: F401 (read_cost, read_state_dict: this module's API too)
    MAX_FILE_BYTES,
    OBJECT_BYTES,
    LayerFileError,
    listed,
    read_cost,
    read_state_dict,
)

KIND_OF_BLOCKS = {1: "RNN", 3: "GRU", 4: "LSTM"}  # gate blocks stacked in weight_ih -> kind
MAX_LAYERS = 16  # stacked layers rnnviz reads from a file (a made-up key could otherwise ask for 100,000)
_PARAMETER = re.compile(r"^(?P<prefix>.*?)(?P<name>(weight|bias)_(ih|hh|hr)_l(?P<layer>\d+)(_reverse)?)$")
_CELL = re.compile(r"^(?P<prefix>.*?)(?P<name>(weight|bias)_(ih|hh))$")  # nn.LSTMCell, nn.GRUCell, nn.RNNCell
REAL_FLOATS = (torch.float16, torch.bfloat16, torch.float32, torch.float64)


@dataclass(frozen=True)
class LayerFile:
    """A recurrent layer found in a file: its arguments and its parameters (prefix removed, as
    dense copies), the dtype the file stored them in, and whether they came from a cell."""

    spec: LayerSpec
    state: dict[str, Tensor]
    prefix: str
    file_dtype: str = "float32"
    cell: bool = False


def prefixes(state: dict[str, Tensor]) -> list[str]:
    """Where recurrent layers (or cells) sit: every prefix of a `weight_ih_l0` key (or of a cell's
    `weight_ih`), e.g. "" or "encoder.rnn."."""
    found = set()
    for key in state:
        match = _PARAMETER.match(key) or _CELL.match(key)
        if match and match["name"] in ("weight_ih_l0", "weight_ih"):
            found.add(match["prefix"])
    return sorted(found)


def _own(state: dict[str, Tensor], prefix: str) -> tuple[dict[str, Tensor], bool]:
    """The parameters directly under `prefix`, by their names in a layer (a cell's named as layer 0's)."""
    under = {key[len(prefix):]: value for key, value in state.items() if key.startswith(prefix)}
    own = {key: value for key, value in under.items() if (m := _PARAMETER.match(key)) and m["prefix"] == ""}
    if own:
        return own, False
    cell = {f"{key}_l0": value for key, value in under.items()
            if (m := _CELL.match(key)) and m["prefix"] == ""}
    return cell, bool(cell)


def _judge_tensor(name: str, value: Tensor) -> None:
    """From metadata alone: a dense, real floating tensor whose values the file really stores."""
    if value.layout != torch.strided or value.is_quantized:
        raise LayerFileError(say("layer_quantized" if value.is_quantized else "layer_sparse", name=name))
    if value.device.type == "meta":
        raise LayerFileError(say("layer_meta", name=name))
    if value.dtype not in REAL_FLOATS:
        raise LayerFileError(say("layer_dtype", name=name, dtype=str(value.dtype).removeprefix("torch.")))
    needed = value.numel() * value.element_size()
    stored = value.untyped_storage().nbytes() - value.storage_offset() * value.element_size()
    overlapping = value.numel() > 1 and any(s == 0 for s, n in zip(value.stride(), value.shape) if n > 1)
    if needed > stored or overlapping:
        raise LayerFileError(say("layer_expanded", name=name, count=value.numel(), stored=max(stored, 0)))


def layer_nbytes(state: dict[str, Tensor], prefix: str = "") -> int:
    """Bytes the layer under `prefix` holds once its tensors are copied (element count × size),
    from metadata alone: what `infer` may allocate."""
    own, _ = _own(state, prefix)
    return sum(value.numel() * value.element_size() for value in own.values())


def judge(state: dict[str, Tensor], prefix: str = "", limits: dict[str, int] | None = None) -> LayerSpec:
    """The layer under `prefix` judged before anything is copied: its tensors by their metadata,
    its arguments (the LayerSpec its names and shapes show) against `limits` (e.g.
    {"hidden_size": 512}: a page's controls) and MAX_FILE_BYTES, its names and shapes against the
    module the spec builds (on the meta device: no memory), and only then its values, for NaN and
    infinities (a bool per value, at most MAX_FILE_BYTES / 2 of them, freed at once)."""
    own, _ = _own(state, prefix)
    if "weight_ih_l0" not in own or "weight_hh_l0" not in own:
        places = prefixes(state)
        if prefix in places:  # a layer is here, one of its first weights is not
            missing = [name for name in ("weight_ih_l0", "weight_hh_l0") if name not in own]
            raise LayerFileError(say("layer_keys", missing=listed(missing), unexpected=listed([])))
        if not places:
            raise LayerFileError(say("layer_none_at_all", names=listed([f"`{k}`" for k in state], 4)))
        raise LayerFileError(say("layer_none_found", prefix=f"`{prefix!r}`",
                                 found=", ".join(f"`{p!r}`" for p in places)))
    for name, value in own.items():
        _judge_tensor(name, value)
    if any(value.dim() not in (1, 2) for value in own.values()) or own["weight_ih_l0"].dim() != 2 \
            or own["weight_hh_l0"].dim() != 2 or ("weight_hr_l0" in own and own["weight_hr_l0"].dim() != 2):
        raise LayerFileError(say("layer_inconsistent", detail="weights must be 2-D and biases 1-D"))
    indices = {int(_PARAMETER.match(key)["layer"]) for key in own}
    if indices != set(range(len(indices))) or len(indices) > MAX_LAYERS:
        raise LayerFileError(say("layer_layers", found=listed(sorted(indices)), top=MAX_LAYERS))
    spec = _spec(own, len(indices))
    over = [f"{name} = {getattr(spec, name)} > {top}" for name, top in (limits or {}).items()
            if getattr(spec, name) > top]
    if over:
        raise LayerFileError(say("layer_over", detail="; ".join(over)))
    if spec.errors():
        raise LayerFileError(spec.errors()[0])
    if layer_nbytes(own) > MAX_FILE_BYTES:
        raise LayerFileError(say("layer_too_big", top=MAX_FILE_BYTES // 2**20))
    # names and shapes from the module the spec builds, on the meta device: no memory
    expected = getattr(torch.nn, spec.kind)(**spec.constructor_kwargs(), device="meta").state_dict()
    missing = sorted(set(expected) - set(own))
    unexpected = sorted(set(own) - set(expected))
    if missing or unexpected:
        raise LayerFileError(say("layer_keys", missing=listed(missing), unexpected=listed(unexpected)))
    wrong = [f"{key} {tuple(own[key].shape)} ≠ {tuple(value.shape)}" for key, value in expected.items()
             if own[key].shape != value.shape]
    if wrong:
        raise LayerFileError(say("layer_inconsistent", detail="; ".join(wrong[:3])))
    for name, value in own.items():
        bad = value.numel() - int(torch.isfinite(value).sum())
        if bad:
            raise LayerFileError(say("layer_not_finite", name=name, count=bad))
    return spec


def infer(state: dict[str, Tensor], prefix: str = "", limits: dict[str, int] | None = None) -> LayerFile:
    """The layer under `prefix`, judged (see `judge`), then copied: its LayerSpec (kind and every
    constructor argument that shapes show) and dense copies of its parameters (layer_nbytes)."""
    spec = judge(state, prefix, limits)
    own, cell = _own(state, prefix)
    copies = {key: value.detach().clone(memory_format=torch.contiguous_format) for key, value in own.items()}
    file_dtype = str(own["weight_ih_l0"].dtype).removeprefix("torch.")
    return LayerFile(spec=spec, state=copies, prefix=prefix, file_dtype=file_dtype, cell=cell)


def _spec(own: dict[str, Tensor], layers: int) -> LayerSpec:
    """The constructor arguments the parameters' names and shapes show."""
    w_ih, w_hh = own["weight_ih_l0"], own["weight_hh_l0"]
    proj = own.get("weight_hr_l0")
    hidden = proj.shape[1] if proj is not None else w_hh.shape[1]
    blocks, remainder = divmod(w_ih.shape[0], hidden) if hidden else (0, 1)
    if remainder or blocks not in KIND_OF_BLOCKS or (proj is not None and blocks != 4):
        raise LayerFileError(say("layer_shapes", shape=tuple(w_ih.shape), hidden=hidden))
    return LayerSpec(kind=KIND_OF_BLOCKS[blocks], input_size=int(w_ih.shape[1]), hidden_size=int(hidden),
                     num_layers=layers, bias="bias_ih_l0" in own, bidirectional="weight_ih_l0_reverse" in own,
                     proj_size=int(proj.shape[0]) if proj is not None else 0,
                     dtype="float64" if w_ih.dtype == torch.float64 else "float32")


def rebuild(found: LayerFile, spec: LayerSpec) -> torch.nn.Module:
    """The file's layer built from `spec` (its arguments, with the page's device, dtype and mode)."""
    module = spec.build()
    try:
        dtype = module.weight_ih_l0.dtype
        module.load_state_dict({key: value.to(dtype) for key, value in found.state.items()}, strict=True)
    except RuntimeError as error:  # spec's arguments are not the file's
        raise LayerFileError(say("layer_inconsistent", detail=_line(error))) from None
    return module


def _line(text: str) -> str:
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return (lines[0] if lines else "no detail")[:200]
