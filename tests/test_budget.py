"""One server, one memory budget: cached runs counted in bytes, evicted by bytes and by idle time,
builds waiting for room, and nothing a session keeps holding a trace alive."""

from __future__ import annotations

import gc
import threading
import time
import weakref
from pathlib import Path

import pytest
import torch
from streamlit.testing.v1 import AppTest

from rnnviz.server import budget
from rnnviz.server.budget import RunCache, ServerBusy

APP = str(Path(__file__).parents[1] / "app.py")


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _block(nbytes: int) -> torch.Tensor:
    return torch.zeros(nbytes // 4)  # float32


def test_entries_are_counted_in_bytes_and_evicted_least_recently_used():
    cache = RunCache(budget=1000, ttl=60, clock=Clock())
    for key in "abc":
        cache.get_or_build(key, 0, lambda: _block(400))
    assert "a" not in cache and {"b", "c"} <= set(cache._entries) and cache.cached_bytes == 800
    assert cache.get("b") is not None  # b is now the most recently used
    cache.get_or_build("d", 0, lambda: _block(400))
    assert list(cache._entries) == ["b", "d"] and cache.evictions == 2
    cache.get_or_build("big", 0, lambda: _block(900))  # one large entry pushes out both
    assert list(cache._entries) == ["big"] and cache.cached_bytes == 900


def test_a_build_reserves_its_estimate_first():
    cache = RunCache(budget=1000, ttl=60, clock=Clock())
    cache.get_or_build("a", 0, lambda: _block(400))
    cache.get_or_build("b", 0, lambda: _block(400))
    seen = []
    cache.get_or_build("c", 700, lambda: seen.append(cache.cached_bytes) or _block(100))
    assert seen == [0]  # both entries went before the 700-byte build started
    assert cache.cached_bytes == 100


def test_entries_expire_after_their_idle_time():
    clock = Clock()
    cache = RunCache(budget=10_000, ttl=300, clock=clock)
    cache.get_or_build("old", 0, lambda: _block(100))
    clock.now = 200
    cache.get_or_build("new", 0, lambda: _block(100))
    clock.now = 350
    assert cache.expire() == 1 and list(cache._entries) == ["new"]
    cache.get("new")  # a visitor keeps it fresh
    clock.now = 640
    assert cache.expire() == 0
    clock.now = 1000
    assert cache.expire() == 1 and len(cache) == 0


def test_concurrent_builds_wait_for_room_and_share_the_same_run(monkeypatch):
    cache = RunCache(budget=1000, ttl=60)
    started, release, builds, waited = threading.Event(), threading.Event(), [], []

    def slow():
        builds.append("slow")
        started.set()
        release.wait(5)
        return _block(100)

    first = threading.Thread(target=lambda: cache.get_or_build("a", 800, slow))
    first.start()
    started.wait(5)
    twin = threading.Thread(target=lambda: cache.get_or_build("a", 800, slow))  # the same run: shared
    def small():
        builds.append("b")
        return _block(8)

    queued = lambda: waited.append(True)  # noqa: E731
    other = threading.Thread(target=lambda: cache.get_or_build("b", 400, small, on_wait=queued))
    twin.start()
    other.start()
    time.sleep(0.3)
    assert builds == ["slow"] and waited == [True]  # b is queued: 800 + 400 > 1000
    release.set()
    for thread in (first, twin, other):
        thread.join(5)
    assert builds == ["slow", "b"] and {"a", "b"} <= set(cache._entries)
    monkeypatch.setattr(budget, "WAIT_S", 0.2)
    with cache.reserve(900):
        with pytest.raises(ServerBusy):
            with cache.reserve(900):
                pass


def _reachable(root, depth: int = 6) -> list:
    """What a callable keeps alive through its closure and defaults (not its module's globals)."""
    seen, found, frontier = set(), [], [root]
    for _ in range(depth):
        following = []
        for item in frontier:
            if id(item) in seen or isinstance(item, (type, type(gc))):
                continue
            seen.add(id(item))
            found.append(item)
            if callable(item) and hasattr(item, "__code__"):
                following += [cell.cell_contents for cell in item.__closure__ or ()]
                following += list(item.__defaults__ or ()) + list((item.__kwdefaults__ or {}).values())
            elif isinstance(item, (list, tuple, set)):
                following += list(item)
            elif isinstance(item, dict):
                following += list(item.values())
            elif hasattr(item, "__dataclass_fields__"):
                following += [getattr(item, name) for name in item.__dataclass_fields__]
        frontier = following
    return found


def test_the_download_button_keeps_no_trace_alive(monkeypatch):
    """Streamlit keeps what a download button was given for as long as the session (and 120 s after
    it closes): ready bytes (rnnviz.ui.downloads), never a callable that could hold the traced run."""
    from streamlit.delta_generator import DeltaGenerator

    from rnnviz.trace import Trace

    kept = []
    original = DeltaGenerator.download_button

    def recording(self, label, data, *args, **kwargs):
        kept.append(data)
        return original(self, label, data, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", recording)
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("pages/lstm.py").run()
    assert not at.exception and kept and all(isinstance(data, bytes) for data in kept)
    assert not [item for item in _reachable(kept) if isinstance(item, Trace)]
    assert _is_trace_csv(kept[0])  # the run's CSV, ready


def _is_trace_csv(data: bytes) -> bool:
    return data.startswith(b"layer,direction,sequence,t,unit,variable,value")


def test_a_closed_page_keeps_no_trace_alive():
    budget.RUNS.clear()
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"hidden_size": "33", "seq_len": "41", "view": "Hidden states"})
    at.switch_page("pages/lstm.py").run()
    assert not at.exception
    runs = [entry.value for entry in budget.RUNS._entries.values() if hasattr(entry.value, "trace")]
    assert len(runs) == 1 and runs[0].trace.h(0, 0).shape == (41, 2, 33)
    alive = weakref.ref(runs[0].trace)
    del runs
    budget.RUNS.clear()
    gc.collect()
    assert alive() is None  # the download button and the views hold no reference to it
    at.run()  # the page still works: the run is built again
    assert not at.exception and len(budget.RUNS) >= 1


def test_exports_above_the_limit_hold_the_slice_on_screen(monkeypatch):
    from rnnviz.ui import views

    monkeypatch.setattr(views, "EXPORT_VALUES", 1000)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"view": "Gates", "num_layers": "2", "layer": "1", "bidirectional": "true",
                            "direction": "1", "sequence": "1"})
    at.switch_page("pages/gru.py").run()
    assert not at.exception
    assert any("layer 1, direction 1 and sequence 1" in c.value for c in at.caption)
