"""What one server keeps, held to one memory budget, and a fair share of its cores.

`RUNS` caches traced runs by key, counted in bytes (the tensors each keeps alive), evicted
least-recently-used by bytes, and dropped after `CACHE_TTL_S` seconds without a visitor. A run
being built counts too: it reserves its estimate before it starts, and waits (the page says it
is queued) while the cache and the other builds leave no room. After an eviction the freed heap
goes back to the OS (rnnviz.memory.return_freed_memory), so the process shrinks when a class
has gone. Heavy builds (estimate above `HEAVY_MB`) take one of `HEAVY_SLOTS` slots, so light
reruns keep a core; a heavy build alone on the server uses every core.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import torch

from rnnviz.memory import return_freed_memory, tensor_bytes
from rnnviz.server.settings import CACHE_TTL_S, CORES, HEAVY_MB, HEAVY_SLOTS, LIGHT_THREADS, SERVER_BUDGET_MB

WAIT_S = 60.0  # longest a build waits for room before the page says the server is full


class ServerBusy(RuntimeError):
    """No room in the server's memory budget for this run now; the message says to retry."""


@dataclass
class _Entry:
    value: object
    nbytes: int
    used: float


class RunCache:
    """Values by key within `budget` bytes: LRU by bytes, expiring after `ttl` idle seconds."""

    def __init__(self, budget: int, ttl: float, clock: Callable[[], float] = time.monotonic):
        self.budget, self.ttl, self.clock = budget, ttl, clock
        self._entries: OrderedDict[object, _Entry] = OrderedDict()
        self._reserved = 0
        self._cached = 0  # the entries' bytes, kept as they come and go: a sum over them was O(n) per
        # check under the lock, O(n²) per eviction (py-spy of 30 students, bench/lead_class.py)
        self._building: dict[object, threading.Event] = {}
        self._changed = threading.Condition()
        self.evictions = 0

    @property
    def cached_bytes(self) -> int:
        return self._cached

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key) -> bool:
        return key in self._entries

    def get(self, key):
        with self._changed:
            entry = self._entries.get(key)
            if entry is None:
                return None
            entry.used = self.clock()
            self._entries.move_to_end(key)
            return entry.value

    def _evict(self, need: int, keep=None) -> bool:
        """Drop least-recently-used entries until `need` more bytes fit. Caller holds the lock."""
        dropped = False
        for key in list(self._entries):
            if self.cached_bytes + self._reserved + need <= self.budget:
                break
            if key != keep:
                self._cached -= self._entries.pop(key).nbytes
                self.evictions += 1
                dropped = True
        return dropped

    def _admit(self, nbytes: int, on_wait: Callable[[], None] | None) -> bool:
        """Make room for `nbytes` and reserve it; waits while other builds hold the rest. Returns
        whether entries were dropped. Calls `on_wait` once, outside the lock, if it has to wait."""
        deadline = self.clock() + WAIT_S
        with self._changed:
            dropped = self._evict(nbytes)
            # other builds hold the rest of the budget: wait for one to finish (alone, a run always starts)
            while self._reserved and self.cached_bytes + self._reserved + nbytes > self.budget:
                if on_wait is not None:
                    self._changed.release()
                    try:
                        on_wait()
                    finally:
                        self._changed.acquire()
                    on_wait = None
                    continue
                remaining = deadline - self.clock()
                if remaining <= 0:
                    raise ServerBusy("the server's memory budget is taken by other runs")
                self._changed.wait(timeout=min(remaining, 1.0))
                dropped |= self._evict(nbytes)
            self._reserved += nbytes
        return dropped

    def _release(self, nbytes: int) -> None:
        with self._changed:
            self._reserved -= nbytes
            self._changed.notify_all()

    @contextlib.contextmanager
    def reserve(self, nbytes: int, on_wait: Callable[[], None] | None = None):
        """Hold `nbytes` of the budget while a block runs (an export, a what-if); waits for room."""
        if self._admit(nbytes, on_wait):
            return_freed_memory()
        try:
            yield
        finally:
            self._release(nbytes)

    def get_or_build(self, key, estimate: int, build: Callable[[], object],
                     on_wait: Callable[[], None] | None = None, size: Callable[[object], int] = tensor_bytes):
        """The cached value of `key`, or `build()` run within `estimate` bytes of the budget and kept,
        counted as `size(value)` bytes (the tensors it keeps alive, unless told otherwise)."""
        while True:
            value = self.get(key)
            if value is not None:
                return value
            with self._changed:
                pending = self._building.get(key)
                if pending is None:
                    self._building[key] = threading.Event()
                    break
            pending.wait(WAIT_S)  # the same run is being built for another session: share it
        try:
            dropped = self._admit(estimate, on_wait)
            try:
                value = build()
                nbytes = size(value)
            except BaseException:
                self._release(estimate)
                raise
            with self._changed:  # the reservation becomes the entry, under one lock
                self._reserved -= estimate
                dropped |= self._evict(nbytes, keep=key)
                old = self._entries.pop(key, None)
                self._cached += nbytes - (old.nbytes if old is not None else 0)
                self._entries[key] = _Entry(value, nbytes, self.clock())
                self._changed.notify_all()
            if dropped:
                return_freed_memory()
            return value
        finally:
            with self._changed:
                self._building.pop(key).set()

    def discard(self, key) -> None:
        """Drop `key`'s entry, if any (e.g. a file that turned out to be refused)."""
        with self._changed:
            entry = self._entries.pop(key, None)
            if entry is not None:
                self._cached -= entry.nbytes
                self._changed.notify_all()

    def expire(self) -> int:
        """Drop entries idle for longer than the TTL; returns how many went."""
        now = self.clock()
        with self._changed:
            old = [key for key, entry in self._entries.items() if now - entry.used > self.ttl]
            for key in old:
                self._cached -= self._entries.pop(key).nbytes
            self.evictions += len(old)
            self._changed.notify_all()
        if old:
            return_freed_memory()
        return len(old)

    def clear(self) -> None:
        with self._changed:
            self._entries.clear()
            self._cached = 0
        return_freed_memory()


RUNS = RunCache(int(SERVER_BUDGET_MB * 2**20), CACHE_TTL_S)
_heavy = threading.BoundedSemaphore(HEAVY_SLOTS)
_lock = threading.Lock()
_running = {"pages": 0, "heavy": 0}


@contextlib.contextmanager
def page_run():
    """Around every page run (rnnviz.ui.router): how many sessions are rerunning right now."""
    with _lock:
        _running["pages"] += 1
    try:
        yield
    finally:
        with _lock:
            _running["pages"] -= 1


@contextlib.contextmanager
def cores_for(estimate: int, on_wait: Callable[[], None] | None = None):
    """Threads for torch work in this thread. A light run (and what-ifs, exports) gets LIGHT_THREADS;
    a heavy one takes a slot, and every core when it is the only page running on the server, else one,
    so a class's light reruns keep a core. (torch's thread count holds per thread once it has run.)"""
    if estimate < HEAVY_MB * 2**20:
        torch.set_num_threads(LIGHT_THREADS)
        yield
        return
    if not _heavy.acquire(blocking=False):
        if on_wait is not None:
            on_wait()
        _heavy.acquire()
    with _lock:
        _running["heavy"] += 1
        alone = _running["pages"] <= 1 and _running["heavy"] == 1
    torch.set_num_threads(CORES if alone else LIGHT_THREADS)
    try:
        yield
    finally:
        with _lock:
            _running["heavy"] -= 1
        _heavy.release()
        torch.set_num_threads(LIGHT_THREADS)


def _janitor() -> None:
    while True:
        time.sleep(max(min(CACHE_TTL_S / 4, 15.0), 0.5))
        try:
            RUNS.expire()
        except Exception:  # the janitor must outlive any one bad entry
            pass


threading.Thread(target=_janitor, name="rnnviz-expiry", daemon=True).start()
