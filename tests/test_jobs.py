"""Trainings a class shares: identical presses join one job, distinct ones queue (nobody refused),
one watcher's Stop lets only that watcher go, a race ends with a table computed from its runs."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
import torch

from rnnviz.race import LEARNED_SHARE, learned, race_rows, winner
from rnnviz.server import jobs
from rnnviz.spec import LayerSpec
from rnnviz.tasks import make_task
from rnnviz.train import History, TrainConfig


def _config(steps: int = 40, seed: int = 0, **changes) -> TrainConfig:
    task = make_task("adding")
    spec = LayerSpec(kind="LSTM", input_size=task.features, hidden_size=8, seed=seed)
    return replace(TrainConfig(spec=spec, task=task, seq_len=10, batch_size=16, steps=steps, seed=seed,
                               max_seconds=30), **changes)


@pytest.fixture(autouse=True)
def fresh(monkeypatch):
    jobs.clear()
    yield
    jobs.clear()


def _wait(job: jobs.Job, watcher: str, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while job.running and time.monotonic() < end:
        job.touch(watcher)
        jobs.poll()
        time.sleep(0.05)
    assert not job.running


def test_thirty_identical_presses_train_once_and_all_watch_it():
    before = jobs.started["count"]
    first = jobs.submit({"LSTM": _config()}, "student 0")
    pressed = [jobs.submit({"LSTM": _config()}, f"student {n}") for n in range(1, 30)]
    assert all(job is first for job in pressed) and len(first.watchers) == 30
    _wait(first, "student 0")
    assert jobs.started["count"] == before + 1 and first.histories["LSTM"].stopped == "done"
    again = jobs.submit({"LSTM": _config()}, "student 30")  # a late press: the finished curves at once
    assert again is first and jobs.started["count"] == before + 1


def test_the_same_settings_are_one_job_and_any_difference_another():
    config = _config()
    assert jobs.job_key({"LSTM": config}) == jobs.job_key({"LSTM": _config()})
    for other in (_config(seed=1), _config(steps=41), replace(config, lr=0.003),
                  replace(config, task=make_task("series", series=torch.arange(30.0).reshape(30, 1))),
                  replace(config, task=make_task("series", series=torch.arange(30.0).reshape(30, 1) + 1))):
        assert jobs.job_key({"LSTM": other}) != jobs.job_key({"LSTM": config})


def test_distinct_presses_beyond_the_slots_queue_in_order_and_all_finish(monkeypatch):
    monkeypatch.setattr(jobs, "TRAIN_SLOTS", 1)
    submitted = [jobs.submit({"LSTM": _config(seed=n)}, f"s{n}") for n in range(4)]
    assert not submitted[0].queued and all(job.queued for job in submitted[1:])
    places = [job.place() for job in submitted]
    assert [place for place, _ in places] == [0, 1, 2, 3]
    waits = [wait for _, wait in places[1:]]
    assert waits == sorted(waits) and waits[0] <= jobs.TRAIN_SECONDS  # each waits longer than the one ahead
    for n, job in enumerate(submitted):
        _wait(job, f"s{n}")
        for later in submitted[n + 1:]:
            later.touch(f"s{submitted.index(later)}")
    starts = [job.started for job in submitted]
    assert starts == sorted(starts)  # first come, first served
    assert all(job.histories["LSTM"].stopped == "done" for job in submitted)


def test_one_watchers_stop_leaves_the_job_running_for_the_others():
    job = jobs.submit({"LSTM": _config(steps=10**6)}, "a")
    jobs.submit({"LSTM": _config(steps=10**6)}, "b")
    job.leave("a")
    time.sleep(0.3)
    assert job.running and not job._stop.is_set()
    job.leave("b")  # the last one: it stops
    job.thread.join(10)
    assert job.histories["LSTM"].stopped == "stopped"


def test_a_queued_job_nobody_watches_leaves_the_queue(monkeypatch):
    monkeypatch.setattr(jobs, "TRAIN_SLOTS", 1)
    busy = jobs.submit({"LSTM": _config(steps=10**6)}, "a")
    waiting = jobs.submit({"LSTM": _config(seed=5)}, "b")
    waiting.leave("b")
    assert not waiting.running and not waiting.queued and waiting.place() == (0, 0.0)
    busy.leave("a")
    busy.thread.join(10)
    assert waiting.started is None  # never trained


def _history(val_loss: float, accuracy: float = float("nan")) -> History:
    return History(step=[1, 2, 3], loss=[1, 1, 1], grad_norm=[1, 1, 1], val_step=[3], val_loss=[val_loss],
                   val_accuracy=[accuracy], stopped="done")


def test_the_race_table_is_computed_from_the_runs_and_its_verdict_flips_with_them():
    configs = {kind: replace(_config(), spec=_config().spec.replace(kind=kind))
               for kind in ("RNN", "LSTM", "GRU")}
    chance = configs["RNN"].task.chance
    lstm_wins = {"RNN": _history(chance * 0.98), "LSTM": _history(chance * 0.02),
                 "GRU": _history(chance * 0.2)}
    rows = race_rows(configs, lstm_wins, {"RNN": 1.0, "LSTM": 2.0, "GRU": 3.0})
    assert [row.learned for row in rows] == [False, True, False] and winner(rows).kind == "LSTM"
    assert [row.stopped for row in rows] == ["done", "done", "done"]
    assert [row.parameters for row in rows] == [sum(p.numel() for p in c.spec.build().parameters())
                                                for c in configs.values()]
    gru_wins = {"RNN": _history(chance * 0.98), "LSTM": _history(chance * 0.5),
                "GRU": _history(chance * LEARNED_SHARE * 0.5)}
    rows = race_rows(configs, gru_wins, {})
    assert [row.learned for row in rows] == [False, False, True] and winner(rows).kind == "GRU"
    recall = make_task("recall", symbols=4)
    config = replace(_config(), task=recall)
    assert learned(config, _history(0.1, accuracy=0.9)) and not learned(config, _history(1.0, accuracy=0.5))


def test_each_race_row_reads_its_own_run():
    configs = {name: replace(_config(), spec=_config().spec.replace(kind=kind))
               for name, kind in (("fast", "GRU"), ("slow", "RNN"), ("fresh", "LSTM"))}
    chance = configs["fast"].task.chance
    fresh = History(step=[], loss=[], grad_norm=[], val_step=[], val_loss=[], val_accuracy=[], stopped="")
    histories = {"fast": _history(chance * 0.3), "slow": _history(chance * 0.9), "fresh": fresh}
    rows = race_rows(configs, histories, {"fast": 1.5, "slow": 2.5})
    assert [(row.name, row.kind, row.steps, row.seconds) for row in rows] == [
        ("fast", "GRU", 3, 1.5), ("slow", "RNN", 3, 2.5), ("fresh", "LSTM", 0, None)]
    assert [row.final for row in rows] == [chance * 0.3, chance * 0.9, None]  # no validation yet: None
    assert {row.baseline for row in rows} == {chance} and {row.accuracy for row in rows} == {None}
    assert winner(rows).name == "fast" and winner([rows[2]]) is None
    # a class task: its accuracy, halfway from guessing to perfect is learned, just below it is not
    recall = replace(_config(), task=make_task("recall", symbols=4))
    halfway = recall.task.chance + (1 - recall.task.chance) / 2
    (row,) = race_rows({"r": recall}, {"r": _history(0.5, accuracy=0.8)}, {})
    assert row.accuracy == 0.8 and row.baseline == recall.task.chance
    assert learned(recall, _history(0.5, accuracy=halfway))
    assert not learned(recall, _history(0.5, accuracy=halfway - 1e-9))
    assert not learned(configs["fast"], _history(LEARNED_SHARE * chance))  # below the share, not at it
