"""Training curves: loss (train and validation) per run, and the gradient norm with its clip."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from rnnviz.plots.base import figure, log_axis
from rnnviz.plots.words import merged

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")


def _smooth(values: np.ndarray, width: int = 25) -> np.ndarray:
    """A running mean over the last `width` values (the first ones over fewer)."""
    sums = np.cumsum(np.insert(values, 0, 0.0))
    ends = np.arange(1, len(values) + 1)
    starts = np.maximum(ends - width, 0)
    return (sums[ends] - sums[starts]) / (ends - starts)


def _layout(title: str, height: int, y_title: str, log_y: bool, level: float | None, colour: str,
            words: dict, values: list | None = None) -> dict:
    """Axes over training steps, and a dashed horizontal line at `level` (chance, or the clip)."""
    shapes = []
    if level is not None and np.isfinite(level) and level > 0:
        shapes.append(dict(type="line", xref="paper", x0=0, x1=1, y0=level, y1=level,
                           line=dict(color=colour, dash="dash", width=1)))
    return dict(title=dict(text=title), height=height, margin=dict(l=60, r=20, t=50, b=40), shapes=shapes,
                xaxis=dict(title=dict(text=words["training_step"])),
                yaxis=log_axis([*(values or []), [level] if level else []], y_title, must=())
                if log_y else dict(title=dict(text=y_title), type="linear"))


def curves_figure(runs: dict[str, dict], title: str, y_title: str, log_y: bool = False,
                  chance: float | None = None, words: dict | None = None,
                  chance_name: str | None = None) -> go.Figure:
    """One colour per run; for each, its training curve (a running mean, solid) and, where given,
    its validation curve (dotted, with markers). runs: name -> {"step", "train", "val_step", "val"}.
    `chance_name` names the dashed line at `chance` in the legend."""
    w = merged(words)
    traces = []
    for colour, (name, run) in zip(PALETTE, runs.items()):
        train = np.asarray(run.get("train", []), dtype=float)
        if len(train):
            traces.append(dict(type="scatter", mode="lines", name=f"{name} · {w['train_curve']}",
                               x=np.asarray(run["step"]), y=_smooth(train), line=dict(color=colour, width=2)))
        if len(run.get("val", [])):
            traces.append(dict(type="scatter", mode="lines+markers", name=f"{name} · {w['val_curve']}",
                               x=np.asarray(run["val_step"]), y=np.asarray(run["val"], dtype=float),
                               line=dict(color=colour, dash="dot", width=1), marker=dict(size=4)))
    layout = _layout(title, 320, y_title, log_y, chance, "grey", w, [tr["y"] for tr in traces])
    if chance_name and layout["shapes"]:
        layout["shapes"][0].update(name=chance_name, showlegend=True)
    layout["legend"] = dict(orientation="h", y=-0.25)
    return figure(traces, layout)


def grad_norm_figure(steps, norms, clip: float, title: str, words: dict | None = None) -> go.Figure:
    """‖∇‖ before clipping, per step, on a log scale; the clipping threshold (if any) dashed."""
    w = merged(words)
    trace = dict(type="scatter", mode="lines", name=w["grad_norm"], x=np.asarray(steps),
                 y=np.asarray(norms, dtype=float), line=dict(color="#7f7f7f", width=1))
    layout = _layout(title, 240, w["grad_norm"], True, clip, "#d62728", w, [trace["y"]])
    layout["showlegend"] = False
    return figure([trace], layout)
