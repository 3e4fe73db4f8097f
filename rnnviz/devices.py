"""Which devices this machine offers, and a safe way to ask for one."""

from __future__ import annotations

import functools
import os
import platform
from dataclasses import dataclass

import torch

from rnnviz.messages import say


@dataclass(frozen=True)
class Device:
    """One place a layer can run: `name` as torch spells it, `label` for people."""

    name: str  # "cpu", "cuda:0", "mps"
    label: str  # "CPU (x86_64, 2 threads)", "cuda:0 — NVIDIA H200"


@functools.cache  # the devices of a process do not change; asking CUDA costs a driver call
def available_devices() -> tuple[Device, ...]:
    """cpu always, then every cuda:N with its name, then mps when present."""
    devices = [Device("cpu", f"CPU ({platform.machine()}, {os.cpu_count()} cores)")]
    if torch.cuda.is_available():
        for index in range(torch.cuda.device_count()):
            name = f"cuda:{index}"
            devices.append(Device(name, f"{name} — {torch.cuda.get_device_name(index)}"))
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        devices.append(Device("mps", "mps — Apple GPU"))
    return tuple(devices)


def resolve_device(requested: str | torch.device | None) -> tuple[torch.device, str | None]:
    """The device to use for `requested`, and a notice when it fell back to cpu.

    Never raises: an unknown or absent device gives cpu and a sentence saying why."""
    if requested is None or str(requested) == "":
        return torch.device("cpu"), None
    try:
        device = torch.device(requested)
    except (RuntimeError, TypeError) as error:
        return torch.device("cpu"), say("device_name", requested=requested, detail=error)
    if device.type == "cuda" and device.index is None:
        device = torch.device("cuda", 0)
    names = {d.name for d in available_devices()}
    if device.type == "cpu":
        return torch.device("cpu"), None
    if str(device) in names:
        return device, None
    offered = ", ".join(sorted(names))
    return torch.device("cpu"), say("device_missing", device=device, offered=offered)
