"""Trainings, shared by the whole server: identical requests share one job, distinct ones queue.

A training is a pure function of its configurations and seed (the same seed gives the same curves
exactly), so when thirty students press Train on the same settings, one `Job` runs and all of them
watch its History fill. Requests for other settings wait in one first-come, first-served queue
that tells each its place and how long it may wait, instead of being refused: at most
`TRAIN_SLOTS` jobs run at once (default: the number of cores), each in a daemon thread.

A job stops when its last watcher asks it to (another watcher's Stop only lets that watcher go),
when it has run `TRAIN_SECONDS` a run, or when no watcher has looked at it for `ORPHAN_SECONDS`
(their sessions ended); a queued job nobody watches any more leaves the queue. A job that finished
all its steps stays joinable for `KEEP_SECONDS` (at most `KEEP_JOBS` of them): pressing Train again
on the same settings shows its curves at once instead of training again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import threading
import time
from collections import OrderedDict

import torch

from rnnviz.server.settings import TRAIN_SECONDS, TRAIN_SLOTS
from rnnviz.train import History, TrainConfig, train

ORPHAN_SECONDS = 15.0  # no watcher has polled for this long: their sessions are gone
KEEP_SECONDS = 120.0  # a finished job stays joinable this long
KEEP_JOBS = 8  # and at most this many finished jobs are kept (a race's checkpoints: a few MB)
_ids = itertools.count(1)
started = {"count": 0}  # jobs started in this process (tests read it)
_lock = threading.Lock()
_watch_lock = threading.Lock()  # one writer of a job's watchers at a time (readers take no lock)
_running: dict[str, Job] = {}  # by key
_queue: OrderedDict[str, Job] = OrderedDict()  # by key, first come first served
_finished: OrderedDict[str, tuple[Job, float]] = OrderedDict()


def _digest(value, hasher) -> None:
    if isinstance(value, torch.Tensor):
        tensor = value.detach().cpu().contiguous()
        hasher.update(f"tensor{tuple(tensor.shape)}{tensor.dtype}".encode())
        hasher.update((tensor.float() if tensor.dtype == torch.bfloat16 else tensor).numpy().tobytes())
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        hasher.update(type(value).__name__.encode())
        for field in dataclasses.fields(value):
            hasher.update(field.name.encode())
            _digest(getattr(value, field.name), hasher)
    elif isinstance(value, (tuple, list)):
        hasher.update(b"(")
        for item in value:
            _digest(item, hasher)
        hasher.update(b")")
    else:
        hasher.update(repr(value).encode())
        hasher.update(b";")


def job_key(configs: dict[str, TrainConfig]) -> str:
    """One key per distinct request: every field of every configuration, the data's bytes included."""
    hasher = hashlib.sha256()
    for name, config in configs.items():
        hasher.update(name.encode())
        _digest(config, hasher)
    return hasher.hexdigest()


class Job:
    """Training runs of one request, watched by one or more sessions: `histories` fill while it runs."""

    def __init__(self, configs: dict[str, TrainConfig], key: str = ""):
        self.id = next(_ids)
        self.key = key or job_key(configs)
        self.configs = configs
        self.histories = {name: History() for name in configs}
        self.error: BaseException | None = None
        self.queued_at = time.monotonic()
        self.started: float | None = None
        self.finished: float | None = None
        self.watchers: dict[str, float] = {}
        self.seconds: dict[str, float] = {}  # each run's training time, once it ended
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"rnnviz-train-{self.id}", daemon=True)

    def _run(self) -> None:
        try:
            torch.set_num_threads(1)
            for name, config in self.configs.items():  # a race: each run gets the whole time limit
                if self._should_stop():
                    break
                begun = time.monotonic()
                train(config, self.histories[name], should_stop=self._should_stop)
                self.seconds[name] = time.monotonic() - begun
        except Exception as error:  # shown by the page, never raised into the server
            self.error = error
        finally:
            self.finished = time.monotonic()
            _done(self)

    def _should_stop(self) -> bool:
        """Asked, or every watcher is gone; train() itself stops a run at its max_seconds ("time")."""
        return self._stop.is_set() or not self.watched()

    def watched(self) -> bool:
        now = time.monotonic()
        return any(now - seen < ORPHAN_SECONDS for seen in self.watchers.values())

    def touch(self, watcher: str = "") -> None:
        """A page looked at the job: its session is still there. `watchers` is replaced, never changed
        in place: other sessions' threads iterate it (30 watchers raised "dictionary changed size
        during iteration", bench/lead_class.py scenario b)."""
        with _watch_lock:
            self.watchers = {**self.watchers, watcher: time.monotonic()}

    def leave(self, watcher: str = "") -> None:
        """`watcher` stops watching (its Stop); the job stops when nobody else watches."""
        with _watch_lock:
            self.watchers = {name: seen for name, seen in self.watchers.items() if name != watcher}
        if not self.watched():
            self._stop.set()
            with _lock:
                if _queue.get(self.key) is self:
                    del _queue[self.key]
                    self.finished = time.monotonic()

    stop = leave

    @property
    def queued(self) -> bool:
        return self.started is None and self.finished is None

    @property
    def running(self) -> bool:
        """Waiting in the queue or training: the page keeps polling."""
        return self.finished is None

    def done_steps(self) -> int:
        return sum(len(h.step) for h in self.histories.values())

    def total_steps(self) -> int:
        return sum(c.steps for c in self.configs.values())

    def place(self) -> tuple[int, float]:
        """(place in the queue, 1 = next; seconds it may wait at most), or (0, 0) once it runs."""
        with _lock:
            if not self.queued or self.key not in _queue:
                return 0, 0.0
            ahead = list(_queue).index(self.key)
            now = time.monotonic()
            running = sorted(max(len(job.configs) * TRAIN_SECONDS - (now - (job.started or now)), 0.0)
                             for job in _running.values())
            waits = list(running) + [0.0] * max(TRAIN_SLOTS - len(running), 0)
            for job in list(_queue.values())[:ahead]:  # each queued job ahead takes the slot freed first
                waits.sort()
                waits[0] += len(job.configs) * TRAIN_SECONDS
            return ahead + 1, min(waits) if waits else 0.0


def _start(job: Job) -> None:
    """Under _lock: run `job` now."""
    job.started = time.monotonic()
    _running[job.key] = job
    started["count"] += 1
    job.thread.start()


def _dispatch() -> None:
    """Under _lock: start queued jobs while slots are free, first come first served; drop the
    queued jobs nobody watches any more."""
    for key, job in list(_queue.items()):
        if not job.watched():
            del _queue[key]
            job.finished = time.monotonic()
    while _queue and len(_running) < TRAIN_SLOTS:
        _, job = _queue.popitem(last=False)
        _start(job)


def _done(job: Job) -> None:
    with _lock:
        _running.pop(job.key, None)
        if job.error is None and all(h.stopped == "done" for h in job.histories.values()):
            _finished[job.key] = (job, time.monotonic())
            while len(_finished) > KEEP_JOBS:
                _finished.popitem(last=False)
        _dispatch()


def submit(configs: dict[str, TrainConfig], watcher: str = "") -> Job:
    """The job for `configs`, watched by `watcher`: the one running, queued or just finished for
    the same configurations, or a new one, started now or queued. Nobody is refused."""
    key = job_key(configs)
    with _lock:
        now = time.monotonic()
        for old, (_, at) in list(_finished.items()):
            if now - at > KEEP_SECONDS:
                del _finished[old]
        job = _running.get(key) or _queue.get(key) or (_finished[key][0] if key in _finished else None)
        if job is None:
            job = Job(configs, key)
            job.touch(watcher)
            _queue[key] = job
            _dispatch()
        else:
            job.touch(watcher)
    return job


def poll() -> None:
    """Start what waits for a slot (a page polling a queued job calls it; so does every job's end)."""
    with _lock:
        _dispatch()


def clear() -> None:
    """Forget every job (tests): running ones are asked to stop."""
    with _lock:
        for job in [*_running.values(), *_queue.values()]:
            job._stop.set()
        _queue.clear()
        _finished.clear()
