"""Read a layer under its text: each character's step, the units' values there, features of the
text, units ranked by their correlation with a feature, and LSTMVis-style pattern matching.

Torch and numpy only. A text is laid out as its sequences joined by line breaks: `texts[b]` is
what sequence b of the trace read (one character per step); a separator between two sequences is
no step of the layer, and its values are NaN. Within a sequence, a "\\n" is a character like any
other (the trained layers read long texts as one sequence).

    import rnnviz
    from rnnviz.textcells import Unit, feature, rank_units
    tr = rnnviz.trace(lstm, one_hot_x)                       # x read `text`, one char a step
    best = rank_units(tr, text, feature(text, "quotes"))[:5]  # [(Unit, r), ...], by |r|
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

FEATURES = ("quotes", "brackets", "column", "word_start", "digit", "regex")
OPEN, CLOSE = "([{", ")]}"


@dataclass(frozen=True)
class Unit:
    """One number per step: unit `index` of `state` ("h", "c" or a gate name) of a layer and direction."""

    state: str = "h"
    layer: int = 0
    direction: int = 0
    index: int = 0

    @property
    def label(self) -> str:
        """Short, language-free: "c0·3" (layer 0, unit 3); "c0r·3" for the reverse direction."""
        return f"{self.state}{self.layer}{'r' if self.direction else ''}·{self.index}"


def _texts(texts: str | Sequence[str]) -> list[str]:
    return [texts] if isinstance(texts, str) else list(texts)


def layout(texts: str | Sequence[str]) -> tuple[str, np.ndarray, np.ndarray]:
    """(chars, step, sequence): the texts joined by "\\n", and for each character its step and
    sequence in the trace (-1 for the separators between sequences, which are no step)."""
    chars, steps, seqs = [], [], []
    for b, text in enumerate(_texts(texts)):
        if b:
            chars.append("\n")
            steps.append(-1)
            seqs.append(-1)
        chars.extend(text)
        steps.extend(range(len(text)))
        seqs.extend([b] * len(text))
    return "".join(chars), np.array(steps, dtype=np.int64), np.array(seqs, dtype=np.int64)


def _states(tr, state: str, layer: int, direction: int):
    if state == "h":
        return tr.h(layer, direction)
    if state == "c":
        return tr.c(layer, direction)
    return tr.gates(layer, direction)[state]


def all_units(tr, states: Sequence[str] = ("h", "c")) -> list[Unit]:
    """Every unit of `states` (c only for an LSTM) in every layer and direction."""
    units = []
    for state in states:
        if state == "c" and tr.kind != "LSTM":
            continue
        for layer in range(tr.num_layers):
            for direction in range(tr.num_directions):
                width = _states(tr, state, layer, direction).shape[-1]
                units.extend(Unit(state, layer, direction, i) for i in range(width))
    return units


def unit_values(tr, texts: str | Sequence[str], units: Sequence[Unit]) -> np.ndarray:
    """(characters, units) float64: each unit's value at each character's step, taken from the
    trace itself; NaN at the separators between sequences (and past a packed sequence's end)."""
    _, steps, seqs = layout(texts)
    out = np.full((len(steps), len(units)), np.nan)
    alive = steps >= 0
    if steps[alive].size and steps[alive].max() >= tr.seq_len:
        raise ValueError(f"a text is longer than the trace's {tr.seq_len} steps")
    cache: dict = {}
    for j, unit in enumerate(units):
        key = (unit.state, unit.layer, unit.direction)
        if key not in cache:
            cache[key] = _states(tr, *key).detach().cpu().double().numpy()  # (T, N, width)
        out[alive, j] = cache[key][steps[alive], seqs[alive], unit.index]
    return out


def feature(chars: str | Sequence[str], name: str, pattern: str = "") -> np.ndarray:
    """One number per character of `chars` (joined by "\\n" if several texts), as read up to and
    including it: "quotes" 1 inside double quotes (the opening quote in, the closing one out; a line
    break closes them), "brackets" the depth of ( [ { nesting, "column" the position in the line,
    "word_start" 1 where a word begins, "digit" 1 on digits, "regex" 1 on what `pattern` matches."""
    text = chars if isinstance(chars, str) else "\n".join(chars)
    out = np.zeros(len(text))
    if name == "regex":
        for match in re.finditer(pattern, text):
            out[match.start():match.end()] = 1.0
        return out
    if name not in FEATURES:
        raise ValueError(f"feature must be one of {', '.join(FEATURES)}, not {name!r}")
    inside, depth, column, previous = False, 0, 0, "\n"
    for i, ch in enumerate(text):
        if name == "quotes":
            inside = (not inside if ch == '"' else inside) and ch != "\n"
            out[i] = inside
        elif name == "brackets":
            depth = depth + 1 if ch in OPEN else max(depth - 1, 0) if ch in CLOSE else depth
            out[i] = depth
        elif name == "column":
            out[i] = column
            column = 0 if ch == "\n" else column + 1
        elif name == "word_start":
            out[i] = (ch.isalnum() or ch == "_") and not (previous.isalnum() or previous == "_")
        else:
            out[i] = ch.isdigit()
        previous = ch
    return out


def correlations(values: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Pearson's r of each column of `values` (characters, units) with `target`, over the
    characters where both are numbers; 0 where either is constant there."""
    values = np.asarray(values, dtype=np.float64)
    target = np.asarray(target, dtype=np.float64)
    keep = np.isfinite(target) & np.isfinite(values).all(axis=1)
    v, y = values[keep], target[keep]
    if len(y) < 2:
        return np.zeros(values.shape[1])
    v = v - v.mean(axis=0)
    y = y - y.mean()
    scale = np.sqrt((v * v).sum(axis=0) * (y * y).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (v * y[:, None]).sum(axis=0) / scale
    return np.where(scale > 1e-12 * max(len(y), 1), r, 0.0)


def rank_units(tr, texts: str | Sequence[str], target: np.ndarray, states: Sequence[str] = ("h", "c"),
               top: int | None = None) -> list[tuple[Unit, float]]:
    """Every unit of `states` in every layer and direction with its correlation with `target` (one
    number per character of layout(texts)), the largest |r| first; the first `top` if given."""
    units = all_units(tr, states)
    blocks: dict = {}  # one (state, layer, direction) at a time: at most characters × width values at once
    for j, unit in enumerate(units):
        blocks.setdefault((unit.state, unit.layer, unit.direction), []).append(j)
    r = np.zeros(len(units))
    for columns in blocks.values():
        r[columns] = correlations(unit_values(tr, texts, [units[j] for j in columns]), target)
    order = np.argsort(-np.abs(r), kind="stable")
    ranked = [(units[j], float(r[j])) for j in order]
    return ranked if top is None else ranked[:top]


@dataclass(frozen=True)
class Pattern:
    """The units on across a selected span, and every other place where they are all on."""

    units: tuple[int, ...]  # columns of the values that are >= threshold at every selected step
    on: np.ndarray  # bool per character: all those units on there
    matches: tuple[tuple[int, int], ...]  # (start, stop) runs of `on`, outside the span, long enough


def match_pattern(values: np.ndarray, start: int, stop: int, threshold: float = 0.5,
                  min_length: int | None = None) -> Pattern:
    """LSTMVis's match: the units (columns of `values`, characters × units) at or above `threshold`
    at every character in [start, stop) define a pattern; a match is a run of at least
    `min_length` characters (default: half the span, at least 1) where all of them are on again,
    not overlapping the span itself."""
    values = np.asarray(values, dtype=np.float64)
    span = values[start:stop]
    if stop <= start or not len(span):
        return Pattern((), np.zeros(len(values), dtype=bool), ())
    units = tuple(int(j) for j in np.flatnonzero((np.nan_to_num(span, nan=-np.inf) >= threshold).all(axis=0)))
    if not units:
        return Pattern((), np.zeros(len(values), dtype=bool), ())
    on = (np.nan_to_num(values[:, units], nan=-np.inf) >= threshold).all(axis=1)
    length = min_length if min_length is not None else max((stop - start) // 2, 1)
    edges = np.diff(np.concatenate([[0], on.astype(np.int8), [0]]))
    runs = zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1))
    matches = tuple((int(a), int(b)) for a, b in runs if b - a >= length and (b <= start or a >= stop))
    return Pattern(units, on, matches)


def one_hot(text: str, symbols: Sequence[str]):
    """`text` as one sequence (T, 1, len(symbols)) float64 for a layer trained on `symbols`; a
    character outside them reads as all zeros."""
    import torch

    index = {ch: j for j, ch in enumerate(symbols)}
    x = torch.zeros(len(text), 1, len(symbols), dtype=torch.float64)
    known = [(t, index[ch]) for t, ch in enumerate(text) if ch in index]
    if known:
        steps, columns = zip(*known)
        x[list(steps), 0, list(columns)] = 1.0
    return x
