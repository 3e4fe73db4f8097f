"""Small sequence tasks a recurrent layer can learn in seconds, generated from a seed.

Each task draws batches `(x, y)` with x time-major `(T, N, features)`:
- **adding** (Hochreiter & Schmidhuber 1997): channel 0 holds random values in [0, 1), channel 1
  marks two steps (one in each half); the target is the sum of the two marked values. Always
  answering 1.0 scores MSE = 2 · Var(U(0, 1)) = 1/6 ≈ 0.167.
- **recall**: one of K symbols (one-hot) at step 0, nothing in between, a cue on the last step;
  the answer is the symbol shown first. Chance is 1/K.
- **sine**: a noisy sine of random frequency and phase; the target at every step is the next value.
- **series**: windows of a user's own series (rows = steps, columns = features, standardised);
  the target at every step is the next row.
- **text**: windows of a typed text, one-hot characters; the target at every step is the next
  character.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import Tensor

from rnnviz.messages import say

TASKS = ("adding", "recall", "sine", "series", "text")
MAX_VOCABULARY = 128  # distinct characters a text task one-hot encodes


class TaskError(ValueError):
    """A task that cannot be built from what was given; the message says what to change."""


@dataclass(frozen=True)
class Task:
    """A task's shape: what goes in, what comes out, and how it is scored."""

    name: str
    features: int  # input_size the layer needs
    outputs: int  # the readout's size
    every_step: bool  # a target at every step (prediction) or only at the last one
    classes: bool  # cross-entropy and accuracy (True) or mean squared error (False)
    chance: float  # the loss of the best constant answer (MSE), or the accuracy of guessing (classes)
    data: Tensor | None = None  # series / text: the whole sequence to cut windows from
    symbols: tuple = ()  # text: the vocabulary


def make_task(name: str, symbols: int = 4, text: str = "", series: Tensor | None = None) -> Task:
    """The task `name`; `symbols` is recall's K, `text` and `series` the data of text and series."""
    if name == "adding":
        return Task(name, 2, 1, False, False, 1 / 6)
    if name == "recall":
        if not 2 <= symbols <= 32:
            raise TaskError(say("task_symbols", value=symbols))
        return Task(name, symbols + 1, symbols, False, True, 1 / symbols)
    if name == "sine":
        return Task(name, 1, 1, True, False, float("nan"))
    if name == "series":
        if series is None or series.dim() != 2 or series.shape[0] < 3:
            raise TaskError(say("task_series"))
        data = series.double()
        data = (data - data.mean(0)) / data.std(0).clamp_min(1e-12)  # standardised per column
        return Task(name, data.shape[1], data.shape[1], True, False, float("nan"), data=data)
    if name == "text":
        vocabulary = tuple(sorted(set(text)))
        if len(text) < 3:
            raise TaskError(say("task_text_short"))
        if len(vocabulary) > MAX_VOCABULARY:
            raise TaskError(say("task_vocabulary", count=len(vocabulary), top=MAX_VOCABULARY))
        index = {ch: j for j, ch in enumerate(vocabulary)}
        data = torch.tensor([index[ch] for ch in text])
        return Task(
            name,
            len(vocabulary),
            len(vocabulary),
            True,
            True,
            1 / len(vocabulary),
            data=data,
            symbols=vocabulary,
        )
    raise TaskError(say("task_name", options=", ".join(TASKS), value=name))


def batch(task: Task, steps: int, size: int, generator: torch.Generator) -> tuple[Tensor, Tensor]:
    """One batch of `size` sequences of `steps` steps: x (T, N, features) float64 and the target:
    (N, outputs) or (T, N, outputs) for regression, (N,) or (T, N) class indices for classes."""
    if task.name == "adding":
        values = torch.rand(steps, size, generator=generator, dtype=torch.float64)
        half = max(steps // 2, 1)
        first = torch.randint(0, half, (size,), generator=generator)
        second = torch.randint(half, steps, (size,), generator=generator) if steps > 1 else first
        markers = torch.zeros(steps, size, dtype=torch.float64)
        rows = torch.arange(size)
        markers[first, rows] = 1.0
        markers[second, rows] = 1.0
        target = (values * markers).sum(0, keepdim=False)[:, None]
        return torch.stack([values, markers], -1), target
    if task.name == "recall":
        k = task.outputs
        symbol = torch.randint(0, k, (size,), generator=generator)
        x = torch.zeros(steps, size, k + 1, dtype=torch.float64)
        x[0, torch.arange(size), symbol] = 1.0
        x[-1, :, k] = 1.0  # the cue: answer now
        return x, symbol
    if task.name == "sine":
        omega = 0.1 + 0.2 * torch.rand(size, generator=generator, dtype=torch.float64)
        phase = 2 * math.pi * torch.rand(size, generator=generator, dtype=torch.float64)
        t = torch.arange(steps + 1, dtype=torch.float64)[:, None]
        noise = 0.05 * torch.randn(steps + 1, size, generator=generator, dtype=torch.float64)
        wave = torch.sin(omega * t + phase) + noise
        return wave[:-1, :, None], wave[1:, :, None]
    windows = _windows(task.data, steps + 1, size, generator)  # (T+1, N) or (T+1, N, F)
    if task.name == "text":
        x = torch.nn.functional.one_hot(windows[:-1], task.features).double()
        return x, windows[1:]
    return windows[:-1], windows[1:]


def _windows(data: Tensor, length: int, size: int, generator: torch.Generator) -> Tensor:
    """`size` windows of `length` consecutive rows of `data`, time-major (shorter data repeats)."""
    if data.shape[0] < length:
        data = data.repeat((math.ceil(length / data.shape[0]) + 1,) + (1,) * (data.dim() - 1))
    starts = torch.randint(0, data.shape[0] - length + 1, (size,), generator=generator)
    offsets = starts[None, :] + torch.arange(length)[:, None]
    return data[offsets]
