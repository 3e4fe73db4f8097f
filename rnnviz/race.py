"""Who won a race: each run's final validation loss against the task's constant answer, whether it
learned, its steps and seconds, computed from the runs themselves (never written in advance)."""

from __future__ import annotations

from dataclasses import dataclass

from rnnviz.train import History, TrainConfig

LEARNED_SHARE = 0.1  # a run learned when its validation loss is below this share of the constant answer's


@dataclass(frozen=True)
class RaceRow:
    name: str
    kind: str
    parameters: int
    final: float | None  # the last validation loss (None: no validation yet)
    baseline: float  # the constant answer's loss (MSE) or guessing's accuracy (classes)
    accuracy: float | None  # classes only: the last validation accuracy
    learned: bool
    steps: int
    seconds: float | None
    stopped: str


def _parameters(config: TrainConfig) -> int:
    module = config.spec.replace(device="cpu").build()
    return sum(p.numel() for p in module.parameters())


def learned(config: TrainConfig, history: History) -> bool:
    """Below LEARNED_SHARE of the constant answer's MSE; for classes, accuracy at least halfway from
    guessing to perfect."""
    task = config.task
    if task.classes:
        return bool(history.val_accuracy) and history.val_accuracy[-1] >= task.chance + (1 - task.chance) / 2
    return bool(history.val_loss) and history.val_loss[-1] < LEARNED_SHARE * task.chance


def race_rows(configs: dict[str, TrainConfig], histories: dict[str, History],
              seconds: dict[str, float]) -> list[RaceRow]:
    """One row per run, in the race's order."""
    rows = []
    for name, config in configs.items():
        history = histories[name]
        rows.append(RaceRow(
            name=name, kind=config.spec.kind, parameters=_parameters(config),
            final=history.val_loss[-1] if history.val_loss else None, baseline=config.task.chance,
            accuracy=history.val_accuracy[-1] if config.task.classes and history.val_accuracy else None,
            learned=learned(config, history), steps=len(history.step), seconds=seconds.get(name),
            stopped=history.stopped))
    return rows


def winner(rows: list[RaceRow]) -> RaceRow | None:
    """The run with the lowest final validation loss, if any has one."""
    scored = [row for row in rows if row.final is not None]
    return min(scored, key=lambda row: row.final) if scored else None
