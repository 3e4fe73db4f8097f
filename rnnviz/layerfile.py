"""Bring your own layer: read a state dict from a file, find the recurrent layer in it, infer the
constructor arguments from parameter names and shapes, and rebuild the module.

Nothing in a file is ever executed: `.pt` / `.pth` files are read with
`torch.load(..., weights_only=True)` (a pickle that needs code is refused), `.safetensors`
files with the safetensors library. A checkpoint of a larger model is fine: `prefixes()` lists
where recurrent layers sit (e.g. "encoder.rnn."), and `infer()` reads the one chosen.
"""

from __future__ import annotations

import io
import pickle
import re
import zipfile
from dataclasses import dataclass

import torch
from torch import Tensor

from rnnviz.messages import say
from rnnviz.spec import LayerSpec

KIND_OF_BLOCKS = {1: "RNN", 3: "GRU", 4: "LSTM"}  # gate blocks stacked in weight_ih -> kind
MAX_FILE_BYTES = 64 * 2**20  # what a file may unpack to (uploads are at most 5 MB; torch.save stores)
MAX_LAYERS = 16  # stacked layers rnnviz reads from a file (a made-up key could otherwise ask for 100,000)
_PARAMETER = re.compile(r"^(?P<prefix>.*?)(?P<name>(weight|bias)_(ih|hh|hr)_l(?P<layer>\d+)(_reverse)?)$")


class LayerFileError(ValueError):
    """A file rnnviz cannot read a recurrent layer from; the message says why and what to do."""


@dataclass(frozen=True)
class LayerFile:
    """A recurrent layer found in a file: its arguments and its parameters (prefix removed)."""

    spec: LayerSpec
    state: dict[str, Tensor]
    prefix: str


def _line(text: str, which: int = 0) -> str:
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return (lines[which] if lines else "no detail")[:200]


def _unpacked_size(data: bytes) -> int:
    """Bytes a .pt file unpacks to: the sum of its zip members (torch.save stores them uncompressed;
    a compressed member could unpack to far more than the upload), or the data itself for legacy files."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return len(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
        raise LayerFileError(say("layer_unreadable", detail=_line(error))) from None
    if any(member.compress_type != zipfile.ZIP_STORED for member in members):
        raise LayerFileError(say("layer_compressed"))
    return sum(member.file_size for member in members)


def read_state_dict(data: bytes, filename: str) -> dict[str, Tensor]:
    """Every tensor in the file, by dotted name (nested dicts such as {"model": {...}} are flattened).
    Never runs code from the file, and never unpacks more than MAX_FILE_BYTES."""
    if filename.lower().endswith(".safetensors"):
        from safetensors.torch import load

        try:
            return load(data)  # a flat header and raw bytes: nothing to unpack beyond the file
        except Exception as error:  # any damage: the library's own error types vary
            raise LayerFileError(say("layer_unreadable", detail=_line(error))) from None
    if _unpacked_size(data) > MAX_FILE_BYTES:
        raise LayerFileError(say("layer_too_big", top=MAX_FILE_BYTES // 2**20))
    try:
        loaded = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as error:
        detail = str(error)
        if "global" in detail.lower():  # weights_only refused a class or function the pickle names
            found = next((line for line in detail.splitlines() if "global" in line.lower()), detail)
            raise LayerFileError(say("layer_needs_code", detail=found.strip()[:200])) from None
        raise LayerFileError(say("layer_unreadable", detail=_line(detail, -1))) from None
    except Exception as error:  # a damaged file fails in many ways; weights_only keeps it safe
        raise LayerFileError(say("layer_unreadable", detail=_line(error) or type(error).__name__)) from None
    tensors = _flatten(loaded) if isinstance(loaded, dict) else {}
    if not tensors:
        raise LayerFileError(say("layer_not_state_dict", found=type(loaded).__name__))
    return tensors


def _flatten(tree: dict, prefix: str = "") -> dict[str, Tensor]:
    flat = {}
    for key, value in tree.items():
        if isinstance(value, Tensor):
            flat[f"{prefix}{key}"] = value
        elif isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
    return flat


def prefixes(state: dict[str, Tensor]) -> list[str]:
    """Where recurrent layers sit: every prefix of a `weight_ih_l0` key, e.g. "" or "encoder.rnn."."""
    found = []
    for key in state:
        match = _PARAMETER.match(key)
        if match and match["name"] == "weight_ih_l0":
            found.append(match["prefix"])
    return sorted(found)


def infer(state: dict[str, Tensor], prefix: str = "") -> LayerFile:
    """The layer under `prefix`: its LayerSpec (kind and every constructor argument that shapes
    show) and its parameters; checked by loading them into the rebuilt module with strict=True."""
    own = {key[len(prefix):]: value for key, value in state.items() if key.startswith(prefix)}
    own = {key: value for key, value in own.items() if (m := _PARAMETER.match(key)) and m["prefix"] == ""}
    if "weight_ih_l0" not in own or "weight_hh_l0" not in own:
        found = ", ".join(repr(p) for p in prefixes(state)) or "none"
        raise LayerFileError(say("layer_none_found", prefix=prefix or "(none)", found=found))
    if any(value.dim() not in (1, 2) for value in own.values()) or own["weight_ih_l0"].dim() != 2 \
            or own["weight_hh_l0"].dim() != 2 or ("weight_hr_l0" in own and own["weight_hr_l0"].dim() != 2):
        raise LayerFileError(say("layer_inconsistent", detail="weights must be 2-D and biases 1-D"))
    indices = {int(_PARAMETER.match(key)["layer"]) for key in own}
    if indices != set(range(len(indices))) or len(indices) > MAX_LAYERS:
        raise LayerFileError(say("layer_layers", found=_listed(sorted(indices)), top=MAX_LAYERS))
    w_ih, w_hh = own["weight_ih_l0"], own["weight_hh_l0"]
    proj = own.get("weight_hr_l0")
    hidden = proj.shape[1] if proj is not None else w_hh.shape[1]
    blocks, remainder = divmod(w_ih.shape[0], hidden) if w_ih.dim() == 2 and hidden else (0, 1)
    if remainder or blocks not in KIND_OF_BLOCKS or (proj is not None and blocks != 4):
        raise LayerFileError(say("layer_shapes", shape=tuple(w_ih.shape), hidden=hidden))
    layers = len(indices)
    spec = LayerSpec(kind=KIND_OF_BLOCKS[blocks], input_size=int(w_ih.shape[1]), hidden_size=int(hidden),
                     num_layers=layers, bias="bias_ih_l0" in own, bidirectional="weight_ih_l0_reverse" in own,
                     proj_size=int(proj.shape[0]) if proj is not None else 0,
                     dtype="float64" if w_ih.dtype == torch.float64 else "float32")
    if spec.errors():
        raise LayerFileError(spec.errors()[0])
    module = spec.build()
    expected = module.state_dict()
    missing = sorted(set(expected) - set(own))
    unexpected = sorted(set(own) - set(expected))
    if missing or unexpected:
        raise LayerFileError(say("layer_keys", missing=_listed(missing), unexpected=_listed(unexpected)))
    wrong = [f"{key} {tuple(own[key].shape)} ≠ {tuple(value.shape)}" for key, value in expected.items()
             if own[key].shape != value.shape]
    if wrong:
        raise LayerFileError(say("layer_inconsistent", detail="; ".join(wrong[:3])))
    module.load_state_dict(own, strict=True)
    state = {key: value.detach().clone() for key, value in own.items()}
    return LayerFile(spec=spec, state=state, prefix=prefix)


def rebuild(found: LayerFile, spec: LayerSpec) -> torch.nn.Module:
    """The file's layer built from `spec` (its arguments, with the page's device, dtype and mode)."""
    module = spec.build()
    try:
        dtype = module.weight_ih_l0.dtype
        module.load_state_dict({key: value.to(dtype) for key, value in found.state.items()}, strict=True)
    except RuntimeError as error:  # spec's arguments are not the file's
        raise LayerFileError(say("layer_inconsistent", detail=_line(error))) from None
    return module


def _listed(names: list, most: int = 6) -> str:
    if not names:
        return "none"
    shown = ", ".join(map(str, names[:most]))
    return shown + (f" … ({len(names)} in all)" if len(names) > most else "")
