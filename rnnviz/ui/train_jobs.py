"""Training runs in the background, one per session, bounded server-wide.

A `Job` trains one or more configurations (a race trains three) in a daemon thread, while the page
keeps answering: a fragment polls the job's History a few times a second. The server runs at most
`TRAIN_SLOTS` jobs at once (default: the number of cores); a job stops when asked, when it has run
`TRAIN_SECONDS`, or when no page has looked at it for `ORPHAN_SECONDS` (its session has ended)."""

from __future__ import annotations

import itertools
import os
import threading
import time

import torch

from rnnviz.train import History, TrainConfig, train

TRAIN_SLOTS = int(os.environ.get("RNNVIZ_TRAIN_SLOTS", str(os.cpu_count() or 1)))
TRAIN_SECONDS = float(os.environ.get("RNNVIZ_TRAIN_SECONDS", "60"))
ORPHAN_SECONDS = 15.0  # no poll for this long: the session is gone
_slots = threading.BoundedSemaphore(TRAIN_SLOTS)
_ids = itertools.count(1)
started = {"count": 0}  # jobs started in this process (tests read it)


class Job:
    """Training runs of one session: `histories` fill while `thread` runs."""

    def __init__(self, configs: dict[str, TrainConfig]):
        self.id = next(_ids)
        self.configs = configs
        self.histories = {name: History() for name in configs}
        self.error: BaseException | None = None
        self.started = self.seen = time.monotonic()
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"rnnviz-train-{self.id}", daemon=True)

    def _run(self) -> None:
        try:
            torch.set_num_threads(1)
            for name, config in self.configs.items():  # a race: each run gets the whole time limit
                if self._should_stop():
                    break
                train(config, self.histories[name], should_stop=self._should_stop)
        except Exception as error:  # shown by the page, never raised into the server
            self.error = error
        finally:
            _slots.release()

    def _should_stop(self) -> bool:
        """Asked, or the page is gone; train() itself stops a run at its max_seconds ("time")."""
        return self._stop.is_set() or time.monotonic() - self.seen > ORPHAN_SECONDS

    def stop(self) -> None:
        self._stop.set()

    def touch(self) -> None:
        """A page looked at the job: its session is still there."""
        self.seen = time.monotonic()

    @property
    def running(self) -> bool:
        return self.thread.is_alive()

    def done_steps(self) -> int:
        return sum(len(h.step) for h in self.histories.values())

    def total_steps(self) -> int:
        return sum(c.steps for c in self.configs.values())


def start(configs: dict[str, TrainConfig]) -> Job | None:
    """A started Job, or None when the server already runs TRAIN_SLOTS of them."""
    if not _slots.acquire(blocking=False):
        return None
    try:
        job = Job(configs)
        job.thread.start()
    except BaseException:
        _slots.release()
        raise
    started["count"] += 1
    return job
