"""Bring your own layer: read a state dict from a file, find the recurrent layer in it, judge its
tensors, infer the constructor arguments from parameter names and shapes, and rebuild the module.

Nothing in a file is ever executed: `.pt` / `.pth` / `.ckpt` / `.bin` files are read with
`torch.load(..., weights_only=True)` (a pickle that needs code is refused; numpy scalars and arrays,
which real checkpoints carry as metadata, are on the loader's allowlist), `.safetensors` files with
the safetensors library. What a file is, is told from its first bytes, not its name.

A file is judged before it can cost memory: a stored zip member never unpacks to more than its
size, and every tensor of a recurrent layer is checked from its metadata (element count × element
size, a view larger than its storage, sparse, quantized, meta, complex or integer values) before a
byte of it is copied; only then are its values checked for NaN and infinities. A checkpoint of a
larger model is fine: `prefixes()` lists where recurrent layers sit (e.g. "encoder.rnn."), and
`infer()` reads the one chosen. A cell's state dict (nn.LSTMCell, nn.GRUCell, nn.RNNCell) reads as
a one-layer layer: its weights are exactly layer 0's.
"""

from __future__ import annotations

import io
import pickle
import pickletools
import re
import struct
import zipfile
from dataclasses import dataclass

import torch
from torch import Tensor

from rnnviz.messages import say
from rnnviz.spec import LayerSpec

KIND_OF_BLOCKS = {1: "RNN", 3: "GRU", 4: "LSTM"}  # gate blocks stacked in weight_ih -> kind
MAX_FILE_BYTES = 64 * 2**20  # what a file may unpack to, and its layer's tensors may hold once copied
MAX_OBJECTS = 20_000  # objects a pickle may build (a tensor is about two: ~10,000 tensors)
OBJECT_BYTES = 1_200  # what one costs, measured by bench/layerfile_memory.py (15,000 tiny tensors: 31 MB)
MAX_LAYERS = 16  # stacked layers rnnviz reads from a file (a made-up key could otherwise ask for 100,000)
_PARAMETER = re.compile(r"^(?P<prefix>.*?)(?P<name>(weight|bias)_(ih|hh|hr)_l(?P<layer>\d+)(_reverse)?)$")
_CELL = re.compile(r"^(?P<prefix>.*?)(?P<name>(weight|bias)_(ih|hh))$")  # nn.LSTMCell, nn.GRUCell, nn.RNNCell
_MODULE_CLASS = re.compile(r"^(__main__|torch\.nn\.modules|torch\.jit)\.")  # torch.save(model) names these
REAL_FLOATS = (torch.float16, torch.bfloat16, torch.float32, torch.float64)


class LayerFileError(ValueError):
    """A file rnnviz cannot read a recurrent layer from; the message says why and what to do."""


@dataclass(frozen=True)
class LayerFile:
    """A recurrent layer found in a file: its arguments and its parameters (prefix removed, as
    dense copies), the dtype the file stored them in, and whether they came from a cell."""

    spec: LayerSpec
    state: dict[str, Tensor]
    prefix: str
    file_dtype: str = "float32"
    cell: bool = False


def _allow_numpy_metadata() -> None:
    """Numpy scalars and arrays (a checkpoint's `loss`, `best_score`) on the weights-only loader's
    allowlist: they rebuild plain numbers and arrays and run nothing else; an object array's items
    still go through the same allowlist. Process-wide, as torch's own context manager is too."""
    import numpy as np

    multiarray = getattr(np, "_core", None) or np.core
    allowed = [np.ndarray, np.dtype, multiarray.multiarray.scalar, multiarray.multiarray._reconstruct]
    allowed += [getattr(np.dtypes, name) for name in dir(np.dtypes) if name.endswith("DType")]
    torch.serialization.add_safe_globals(allowed)


def _what_file(data: bytes) -> str:
    """'zip' (torch.save), 'pickle' (torch.save's legacy format), 'safetensors' or 'other', from the
    first bytes."""
    if data[:4] == b"PK\x03\x04":
        return "zip"
    if data[:1] == b"\x80" and data[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05"):
        return "pickle"
    if len(data) >= 10 and data[8:10] == b'{"' and struct.unpack("<Q", data[:8])[0] < 2**27:  # header size
        return "safetensors"
    return "other"


def _judge_archive(data: bytes) -> None:
    """A torch.save zip archive: whole, not TorchScript, stored (not compressed), within MAX_FILE_BYTES."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise LayerFileError(say("layer_damaged")) from None
    names = [member.filename for member in members]
    if any(name.endswith("/constants.pkl") or "/code/" in name for name in names):
        raise LayerFileError(say("layer_torchscript"))
    if any(member.compress_type != zipfile.ZIP_STORED for member in members):
        raise LayerFileError(say("layer_compressed"))
    if sum(member.file_size for member in members) > MAX_FILE_BYTES:
        raise LayerFileError(say("layer_too_big", top=MAX_FILE_BYTES // 2**20))


def _refused_pickle(data: bytes, error: Exception) -> LayerFileError:
    """Why the weights-only loader refused the file: a whole pickled model, code, or damage."""
    try:
        names = torch.serialization.get_unsafe_globals_in_checkpoint(io.BytesIO(data))
    except Exception:  # a bare pickle (not torch.save's), or a damaged one
        names = re.findall(r"GLOBAL ([\w.]+) was not an allowed global", str(error)) or _globals_named(data)
    # torch's own rebuild functions and storages are allowed: they are not why a file was refused
    names = [name for name in names
             if _MODULE_CLASS.match(name) or not name.startswith(("torch.", "collections."))]
    if not names:
        return LayerFileError(say("layer_damaged"))
    shown = _listed([f"`{name}`" for name in sorted(set(names))], 3)
    if any(_MODULE_CLASS.match(name) for name in names):
        return LayerFileError(say("layer_whole_module", names=shown))
    return LayerFileError(say("layer_needs_code", names=shown))


def _globals_named(data: bytes) -> list[str]:
    """The classes and functions a pickle names, read from its opcodes (nothing is unpickled)."""
    names, strings = [], []
    try:
        for opcode, arg, _ in pickletools.genops(data):
            if opcode.name == "GLOBAL":
                names.append(str(arg).replace(" ", "."))
            elif opcode.name == "STACK_GLOBAL" and len(strings) >= 2:
                names.append(".".join(strings[-2:]))
            elif isinstance(arg, str) and "UNICODE" in opcode.name:
                strings.append(arg)
    except Exception:  # damaged: what was named before the damage is still named
        pass
    return names


def _pickle_of(data: bytes, kind: str) -> bytes | None:
    """The pickle that builds the file's objects: a zip's data.pkl, or a legacy file's fourth pickle
    (after its magic number, protocol and system info)."""
    if kind == "zip":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = [name for name in archive.namelist() if name.endswith("data.pkl")]
            return archive.read(names[0]) if names else None
    stream = io.BytesIO(data)
    try:
        for _ in range(3):
            for _ in pickletools.genops(stream):
                pass
    except Exception:
        return None
    return data[stream.tell():]


def _objects(data: bytes, kind: str) -> int:
    """How many objects loading the file builds (its pickle's REDUCE and BUILD steps), from its
    opcodes: nothing is unpickled."""
    found = _pickle_of(data, kind)
    count = 0
    try:
        for opcode, _, _ in pickletools.genops(found or b""):
            count += opcode.name in ("REDUCE", "BUILD", "NEWOBJ")
    except Exception:  # damaged: torch.load will say so
        pass
    return count


def read_cost(data: bytes) -> int:
    """Bytes reading the file may take: its storages and their copies (3 × the file: a stored zip
    member never unpacks beyond its size) and the objects its pickle builds. Told from the bytes
    alone, so a server can reserve it first."""
    kind = _what_file(data)
    objects = _objects(data, kind) if kind in ("zip", "pickle") and _archive_whole(data, kind) else 0
    return 3 * len(data) + OBJECT_BYTES * min(objects, MAX_OBJECTS)


def _archive_whole(data: bytes, kind: str) -> bool:
    return kind == "pickle" or zipfile.is_zipfile(io.BytesIO(data))


def read_state_dict(data: bytes, filename: str = "") -> dict[str, Tensor]:
    """Every tensor in the file, by dotted name (nested dicts such as {"model": {...}} are flattened).
    Never runs code from the file, never unpacks more than MAX_FILE_BYTES, and copies nothing a
    tensor's metadata has not been judged for (see `infer`). `filename` is not trusted: the bytes tell."""
    kind = _what_file(data)
    if kind == "other":
        raise LayerFileError(say("layer_not_torch"))
    if kind == "safetensors":
        from safetensors.torch import load

        try:
            return load(data)  # a flat header and raw bytes: nothing to unpack beyond the file
        except Exception:  # any damage: the library's own error types vary
            raise LayerFileError(say("layer_damaged")) from None
    if kind == "zip":
        _judge_archive(data)
    if _objects(data, kind) > MAX_OBJECTS:
        raise LayerFileError(say("layer_objects", top=MAX_OBJECTS))
    _allow_numpy_metadata()
    try:
        loaded = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as error:
        raise _refused_pickle(data, error) from None
    except Exception:  # a damaged file fails in many ways; weights_only keeps it safe
        raise LayerFileError(say("layer_damaged")) from None
    tensors = _flatten(loaded) if isinstance(loaded, dict) else {}
    if not tensors:
        found = "tensor" if isinstance(loaded, Tensor) else type(loaded).__name__
        raise LayerFileError(say("layer_not_state_dict", found=found))
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
        if not places:
            raise LayerFileError(say("layer_none_at_all", names=_listed([f"`{k}`" for k in state], 4)))
        raise LayerFileError(say("layer_none_found", prefix=f"`{prefix!r}`",
                                 found=", ".join(f"`{p!r}`" for p in places)))
    for name, value in own.items():
        _judge_tensor(name, value)
    if any(value.dim() not in (1, 2) for value in own.values()) or own["weight_ih_l0"].dim() != 2 \
            or own["weight_hh_l0"].dim() != 2 or ("weight_hr_l0" in own and own["weight_hr_l0"].dim() != 2):
        raise LayerFileError(say("layer_inconsistent", detail="weights must be 2-D and biases 1-D"))
    indices = {int(_PARAMETER.match(key)["layer"]) for key in own}
    if indices != set(range(len(indices))) or len(indices) > MAX_LAYERS:
        raise LayerFileError(say("layer_layers", found=_listed(sorted(indices)), top=MAX_LAYERS))
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
        raise LayerFileError(say("layer_keys", missing=_listed(missing), unexpected=_listed(unexpected)))
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


def _listed(names: list, most: int = 6) -> str:
    if not names:
        return "none"
    shown = ", ".join(map(str, names[:most]))
    return shown + (f" … ({len(names)} in all)" if len(names) > most else "")
