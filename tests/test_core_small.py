"""The core's small helpers, each against what it promises: devices and their fallback, messages in
both languages, the allocator settings the app asks glibc for, and the bytes a cache entry holds."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

import pytest
import torch
from torch import nn

from rnnviz import devices, memory
from rnnviz.devices import Device, resolve_device
from rnnviz.messages import Message, say, words

TWO = (Device("cpu", "CPU"), Device("cuda:0", "cuda:0 — a GPU"), Device("cuda:1", "cuda:1 — another"))


@pytest.fixture
def two_gpus(monkeypatch):
    """A machine that offers cpu, cuda:0 and cuda:1 (whatever this one has)."""
    monkeypatch.setattr(devices, "available_devices", lambda: TWO)


@pytest.mark.parametrize("requested", [None, "", "cpu", "cpu:0", torch.device("cpu")])
def test_no_device_or_cpu_is_the_cpu_without_a_word(requested, two_gpus):
    assert resolve_device(requested) == (torch.device("cpu"), None)


@pytest.mark.parametrize(("requested", "device"), [
    ("cuda", torch.device("cuda", 0)),  # no index: the first
    ("cuda:1", torch.device("cuda", 1)),
    (torch.device("cuda", 1), torch.device("cuda", 1)),
])
def test_an_offered_device_is_used_as_asked(requested, device, two_gpus):
    assert resolve_device(requested) == (device, None)


def test_a_device_not_offered_falls_back_to_cpu_and_names_what_is(two_gpus):
    device, notice = resolve_device("cuda:2")
    assert device == torch.device("cpu")
    assert notice.key == "device_missing"
    assert notice == "cuda:2 is not available on this machine (cpu, cuda:0, cuda:1); using cpu."
    device, notice = resolve_device("mps")
    assert device == torch.device("cpu") and notice.values["device"] == torch.device("mps")


def test_a_name_that_is_no_device_falls_back_to_cpu_and_says_so(two_gpus):
    device, notice = resolve_device("gpu0")
    assert device == torch.device("cpu")
    assert notice.key == "device_name" and notice.startswith("'gpu0' is not a device name (")
    with pytest.raises(RuntimeError) as raised:
        torch.device("gpu0")
    detail = str(notice.values["detail"])  # torch's own reason, inside the brackets
    assert detail == str(raised.value) and f"({detail})" in notice
    assert notice.text("zh") != str(notice) and "gpu0" in notice.text("zh")


def test_this_machine_offers_the_cpu_first_and_only_real_devices():
    offered = devices.available_devices()
    assert offered[0].name == "cpu"
    cuda = [d.name for d in offered if d.name.startswith("cuda")]
    count = torch.cuda.device_count() if torch.cuda.is_available() else 0
    assert cuda == [f"cuda:{i}" for i in range(count)]


def test_a_message_is_its_english_sentence_and_words_it_in_either_language():
    message = say("device_missing", device="cuda:3", offered="cpu")
    assert isinstance(message, str) and message.key == "device_missing"
    assert message == "cuda:3 is not available on this machine (cpu); using cpu."
    assert message.values == {"device": "cuda:3", "offered": "cpu"}
    zh = message.text("zh")
    assert "cuda:3" in zh and zh != message
    assert message.text("fr") == message.text("en") == message  # a language rnnviz lacks: English
    assert words(message, "zh") == zh and words(message) == message
    assert isinstance(Message("device_missing", device="x", offered="y"), Message)


def test_words_reads_a_raised_message_and_leaves_other_text_as_it_is():
    message = say("device_missing", device="cuda:3", offered="cpu")
    assert words(ValueError(message), "zh") == message.text("zh")
    assert words(ValueError("plain", 2), "zh") == str(ValueError("plain", 2))  # two arguments: as raised
    assert words(ValueError("torch's own words"), "zh") == "torch's own words"
    assert words("a sentence", "zh") == "a sentence"
    assert words(42, "zh") == "42"


class _Libc:
    """A C library that records what it is asked: mallopt answers `answer` (glibc: 1 is success)."""

    def __init__(self, answer=1):
        self.calls, self.answer = [], answer

    def mallopt(self, parameter, value):
        self.calls.append(("mallopt", parameter, value))
        return self.answer

    def malloc_trim(self, pad):
        self.calls.append(("malloc_trim", pad))
        return 1


def test_reuse_freed_memory_raises_both_glibc_thresholds(monkeypatch):
    libc = _Libc()
    monkeypatch.setattr(ctypes, "CDLL", lambda name: libc)
    assert memory.reuse_freed_memory(123 << 20) is True
    # M_MMAP_THRESHOLD is -3 and M_TRIM_THRESHOLD -1 in glibc's malloc.h
    assert libc.calls == [("mallopt", -3, 123 << 20), ("mallopt", -1, 123 << 20)]
    assert memory.reuse_freed_memory() is True and libc.calls[-1] == ("mallopt", -1, 1 << 30)
    assert memory.return_freed_memory() is True and libc.calls[-1] == ("malloc_trim", 0)


def test_reuse_freed_memory_says_false_when_the_library_refuses_or_is_not_glibc(monkeypatch):
    monkeypatch.setattr(ctypes, "CDLL", lambda name: _Libc(answer=0))
    assert memory.reuse_freed_memory() is False

    def missing(name):
        raise OSError("no libc here")

    monkeypatch.setattr(ctypes, "CDLL", missing)
    assert memory.reuse_freed_memory() is False and memory.return_freed_memory() is False
    monkeypatch.setattr(ctypes, "CDLL", lambda name: object())  # a C library without mallopt (musl)
    assert memory.reuse_freed_memory() is False and memory.return_freed_memory() is False

    def windows(name):  # Windows' ctypes cannot open "no library" (None): a TypeError
        raise TypeError("argument of type 'NoneType' is not iterable")

    monkeypatch.setattr(ctypes, "CDLL", windows)
    assert memory.reuse_freed_memory() is False and memory.return_freed_memory() is False


@dataclass
class _Run:
    output: torch.Tensor
    parts: dict


def test_tensor_bytes_counts_each_storage_once_wherever_it_is_reached():
    big = torch.zeros(100, 10)  # 4,000 bytes
    view = big[:10]  # the same storage
    module = nn.Linear(3, 2)  # 6 + 2 float32 parameters: 32 bytes
    run = _Run(output=big, parts={"view": view, "list": [view, b"12345"], "tuple": (module,)})
    assert memory.tensor_bytes(big) == 4_000
    assert memory.tensor_bytes(big, view, big) == 4_000
    assert memory.tensor_bytes(module, big, big) == 4_000 + 32  # one object twice: the rest still counted
    assert memory.tensor_bytes(module) == 32
    assert memory.tensor_bytes(run) == 4_000 + 5 + 32
    assert memory.tensor_bytes(run, run, [run]) == 4_000 + 5 + 32
    assert memory.tensor_bytes(bytearray(7), "text", 3, None) == 7
    assert memory.tensor_bytes(_Run) == 0  # a dataclass type holds nothing
