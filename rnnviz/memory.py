"""Process-wide allocator setting for long-running rnnviz processes (the app, benchmarks).

Each trace allocates and frees large buffers: float32 LSTM runs oneDNN's training primitive,
whose workspace is about four times the gates it keeps, and every state and gate is a fresh
tensor. With glibc's defaults, blocks over 32 MB are mmap'ed and freed heap over 128 KB is
handed back to the OS, so the next trace page-faults the same memory in again (measured:
~6,000 faults and +50% time on a 100-step, 2-layer bidirectional LSTM). Raising both
thresholds keeps freed memory in the process for reuse; the price is that the resident size
stays at its peak instead of shrinking between traces.
"""

from __future__ import annotations

import ctypes

_M_TRIM_THRESHOLD = -1  # mallopt parameters, from glibc's malloc.h
_M_MMAP_THRESHOLD = -3


def reuse_freed_memory(threshold_bytes: int = 1 << 30) -> bool:
    """Ask glibc to keep freed blocks up to `threshold_bytes` for reuse. Process-wide, so
    the core (`import rnnviz`, `rnnviz.trace`) never calls it: the app's UI calls it once,
    when rnnviz.ui.run is imported, and bench/capture.py before it measures. Returns False
    where the C library is not glibc (macOS, musl), which is then left as it is."""
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library the interpreter runs on
    except (OSError, AttributeError, TypeError):  # not glibc; Windows: CDLL(None) is a TypeError
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, threshold_bytes)) and bool(
        mallopt(_M_TRIM_THRESHOLD, threshold_bytes)
    )


def return_freed_memory() -> bool:
    """Hand the heap's free memory back to the OS now (glibc's malloc_trim). After
    `reuse_freed_memory()` freed blocks stay in the process until this is called; the app calls
    it when it evicts cached runs, so a server shrinks again once a class has gone. Returns
    False where the C library is not glibc."""
    try:
        return bool(ctypes.CDLL(None).malloc_trim(0))
    except (OSError, AttributeError, TypeError):  # not glibc; Windows: CDLL(None) is a TypeError
        return False


def tensor_bytes(*objects) -> int:
    """Bytes of the tensor storages (and bytes objects) reachable from `objects` (tensors, dataclasses,
    dicts, lists, tuples, modules), each storage counted once however many views share it."""
    import dataclasses

    import torch

    seen: set[int] = set()
    total = 0
    stack = list(objects)
    visited: set[int] = set()
    while stack:
        item = stack.pop()
        if id(item) in visited:
            continue
        visited.add(id(item))
        if isinstance(item, torch.Tensor):
            storage = item.untyped_storage()
            if storage.data_ptr() not in seen:
                seen.add(storage.data_ptr())
                total += storage.nbytes()
        elif isinstance(item, (bytes, bytearray)):  # a ready download's text (rnnviz.ui.downloads)
            total += len(item)
        elif isinstance(item, torch.nn.Module):
            stack.extend(item.state_dict(keep_vars=True).values())
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            stack.extend(getattr(item, field.name) for field in dataclasses.fields(item))
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):  # a PackedSequence is a tuple too
            stack.extend(item)
    return total
