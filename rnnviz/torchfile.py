"""Reading a torch file safely: every tensor in a `.pt` / `.pth` / `.ckpt` / `.bin` or
`.safetensors` file, by dotted name, without running anything in it and without unpacking more than
MAX_FILE_BYTES. What a file is, is told from its first bytes, not its name.

Torch files are read with `torch.load(..., weights_only=True)` (a pickle that needs code is refused,
and the refusal says whether it is a whole pickled model or other code); numpy scalars and arrays,
which real checkpoints carry as metadata, are on the loader's allowlist. `read_cost` tells from the
bytes alone what reading may cost, so a server can reserve it first. rnnviz.layerfile finds and
judges a recurrent layer among the tensors.
"""

from __future__ import annotations

import io
import pickle
import pickletools
import re
import struct
import zipfile

import torch
from torch import Tensor

from rnnviz.messages import say

MAX_FILE_BYTES = 64 * 2**20  # what a file may unpack to, and its layer's tensors may hold once copied
MAX_OBJECTS = 20_000  # objects a pickle may build (a tensor is about two: ~10,000 tensors)
OBJECT_BYTES = 1_200  # what one costs, measured by bench/layerfile_memory.py (15,000 tiny tensors: 31 MB)
_MODULE_CLASS = re.compile(r"^(__main__|torch\.nn\.modules|torch\.jit)\.")  # torch.save(model) names these


class LayerFileError(ValueError):
    """A file rnnviz cannot read a recurrent layer from; the message says why and what to do."""


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
    shown = listed([f"`{name}`" for name in sorted(set(names))], 3)
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


def listed(names: list, most: int = 6) -> str:
    if not names:
        return "none"
    shown = ", ".join(map(str, names[:most]))
    return shown + (f" … ({len(names)} in all)" if len(names) > most else "")
