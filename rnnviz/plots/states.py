"""Hidden states and gates over time: lines, heatmaps, a PCA phase portrait, saturation."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from rnnviz.plots.base import colorscale as named_scale
from rnnviz.plots.base import figure
from rnnviz.plots.words import merged

MAX_POINTS = 20_000  # per figure; above this, time is subsampled so a page stays under 1 MB


def _stride(steps: int, units: int) -> int:
    return max(1, int(np.ceil(steps * units / MAX_POINTS)))


def _marker(t: int | None) -> list:
    """A vertical line at time step t (the step-through marker)."""
    if t is None:
        return []
    return [dict(type="line", x0=t, x1=t, xref="x", y0=0, y1=1, yref="paper",
                 line=dict(color="black", width=2, dash="dot"))]


def state_lines(values: np.ndarray, title: str, max_units: int = 32, marker_t: int | None = None,
                words: dict | None = None) -> go.Figure:
    """One line per unit over time. values: (T, units)."""
    w = merged(words)
    steps, units = values.shape
    stride = _stride(steps, min(units, max_units))
    t = np.arange(steps)[::stride]
    lines = [dict(type="scatter", x=t, y=values[::stride, unit], mode="lines", name=f"unit {unit}",
                  hovertemplate=f"t=%{{x}}<br>value=%{{y:.4f}}<extra>unit {unit}</extra>")
             for unit in range(min(units, max_units))]
    return figure(data=lines, layout=dict(
        title=dict(text=title), xaxis=dict(title=dict(text=w["time"])),
        yaxis=dict(title=dict(text=w["value"])), height=340, shapes=_marker(marker_t),
        margin=dict(l=50, r=10, t=40, b=40), showlegend=units <= 12))


def state_heatmap(values: np.ndarray, title: str, colorscale: str = "RdBu", zmid: float | None = 0.0,
                  marker_t: int | None = None, words: dict | None = None) -> go.Figure:
    """A unit × time heatmap. values: (T, units)."""
    w = merged(words)
    steps, units = values.shape
    stride = _stride(steps, units)
    heatmap = dict(
        type="heatmap", z=values[::stride].T, x=np.arange(steps)[::stride], y=np.arange(units),
        colorscale=named_scale(colorscale), zmid=zmid,
        hovertemplate="t=%{x}<br>unit=%{y}<br>value=%{z:.4f}<extra></extra>",
    )
    return figure(data=[heatmap], layout=dict(
        title=dict(text=title), xaxis=dict(title=dict(text=w["time"])),
        yaxis=dict(title=dict(text=w["unit"])), height=320, shapes=_marker(marker_t),
        margin=dict(l=50, r=10, t=40, b=40)))


def trajectory(values: np.ndarray, title: str, dims: int = 2, words: dict | None = None) -> go.Figure:
    """The state's path through its first principal components, coloured by time. values: (T, units)."""
    w = merged(words)
    steps = values.shape[0]
    centred = values - values.mean(0, keepdims=True)
    if steps > 1 and np.abs(centred).max() > 0:
        _, _, components = np.linalg.svd(centred, full_matrices=False)
        coords = centred @ components[:dims].T
    else:
        coords = np.zeros((steps, dims))
    if coords.shape[1] < dims:  # fewer units than dimensions asked
        coords = np.pad(coords, ((0, 0), (0, dims - coords.shape[1])))
    t = np.arange(steps)
    marker = dict(color=t, colorscale=named_scale("Viridis"), size=5, colorbar=dict(title=dict(text="t")))
    hover = "t=%{marker.color}<extra></extra>"
    if dims == 3:
        trace = dict(type="scatter3d", x=coords[:, 0], y=coords[:, 1], z=coords[:, 2], mode="lines+markers",
                     marker=marker, line=dict(color="lightgray"), hovertemplate=hover)
    else:
        trace = dict(type="scatter", x=coords[:, 0], y=coords[:, 1], mode="lines+markers", marker=marker,
                     line=dict(color="lightgray"), hovertemplate=hover)
    return figure(data=[trace], layout=dict(
        title=dict(text=title), height=360, margin=dict(l=50, r=10, t=40, b=40),
        xaxis=dict(title=dict(text=w["pc1"])), yaxis=dict(title=dict(text=w["pc2"]))))


def gate_heatmaps(gates: dict[str, np.ndarray], title: str, marker_t: int | None = None,
                  words: dict | None = None, symmetric: bool = False) -> go.Figure:
    """One unit × time heatmap per gate, stacked, on a shared colour scale. gates: name -> (T, units).
    `symmetric`: a scale centred on 0 that fits the values (for differences), not the gates' ranges."""
    w = merged(words)
    names = list(gates)
    values = [gates[n] for n in names]
    finite = np.concatenate([v[np.isfinite(v)].ravel() for v in values]) if values else np.zeros(1)
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    if symmetric or names == ["pre"]:
        bound = max(abs(low), abs(high), 1e-12)
        low, high = -bound, bound
    else:  # sigmoid gates live in [0, 1], tanh in [-1, 1]
        low, high = min(low, -1.0 if "g" in names or "n" in names else 0.0), max(high, 1.0)
    # one pair of axes, the gates stacked as blocks of rows: a browser draws one subplot far faster
    # than four (bench/latency.py); the hover names the gate and its own unit
    traces, ticks, shapes, offset = [], [], [], 0
    for name, v in zip(names, values):
        steps, units = v.shape
        stride = _stride(steps, units * len(names))
        rows = offset + np.arange(units)
        traces.append(dict(
            type="heatmap", z=v[::stride].T, x=np.arange(steps)[::stride], y=rows, coloraxis="coloraxis",
            name=name, text=np.broadcast_to(np.arange(units)[:, None], (units, len(range(0, steps, stride)))),
            hovertemplate=f"{name}<br>t=%{{x}}<br>{w['unit']}=%{{text}}<br>value=%{{z:.4f}}<extra></extra>",
        ))
        ticks.append((offset + (units - 1) / 2, name))
        if offset:
            shapes.append(dict(type="line", xref="paper", x0=0, x1=1, y0=offset - 1, y1=offset - 1,
                               line=dict(color="white", width=3)))
        offset += units + 1  # one empty row between two gates
    markers = [dict(m, xref="x", yref="paper") for m in _marker(marker_t)]
    layout = dict(title=dict(text=title), shapes=shapes + markers,
                  coloraxis=dict(colorscale=named_scale("RdBu"), cmin=low, cmax=high, cmid=0),
                  xaxis=dict(title=dict(text=w["time"])),
                  yaxis=dict(tickvals=[tick for tick, _ in ticks], ticktext=[name for _, name in ticks],
                             autorange="reversed", title=dict(text=w["unit"])),
                  height=min(160 + 12 * offset + 40 * len(names), 900), margin=dict(l=60, r=10, t=60, b=40))
    return figure(data=traces, layout=layout)


def saturation_histogram(gates: dict[str, np.ndarray], near: float = 0.05,
                         words: dict | None = None) -> go.Figure:
    """Share of each gate's values near its lower and upper limits (sigmoid 0/1, tanh -1/1)."""
    w = merged(words)
    names, low_share, high_share = [], [], []
    for name, v in gates.items():
        v = v[np.isfinite(v)]
        if name in ("g", "n"):
            low_limit = -1.0
        elif name == "pre":
            continue  # an RNN pre-activation has no limits
        else:
            low_limit = 0.0
        names.append(name)
        low_share.append(float(np.mean(v <= low_limit + near)) if v.size else 0.0)
        high_share.append(float(np.mean(v >= 1.0 - near)) if v.size else 0.0)
    bars = [dict(type="bar", name=w["sat_low"], x=names, y=low_share),
            dict(type="bar", name=w["sat_high"], x=names, y=high_share)]
    return figure(data=bars, layout=dict(
        barmode="group", title=dict(text=w["sat_title"].format(near=near)),
        yaxis=dict(title=dict(text=w["share"]), range=[0, 1]), height=300,
        margin=dict(l=50, r=10, t=40, b=40)))
