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
    names = [w["unit_n"].format(unit=unit) for unit in range(min(units, max_units))]
    lines = [dict(type="scatter", x=t, y=values[::stride, unit], mode="lines", name=name,
                  hovertemplate=f"t=%{{x}}<br>{w['value']}=%{{y:.4f}}<extra>{name}</extra>")
             for unit, name in enumerate(names)]
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


def trajectory(values: np.ndarray, title: str, dims: int = 2, words: dict | None = None,
               marker_t: int | None = None) -> go.Figure:
    """The state's path through its first principal components, coloured by time, with step
    `marker_t` (the step-through's t) marked by a large red point. values: (T, units)."""
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
    names = [w["pc1"], w["pc2"], w["pc3"]][:dims]
    axes = {letter: coords[:, i] for i, letter in enumerate("xyz"[:dims])}
    kind = "scatter3d" if dims == 3 else "scatter"
    traces = [dict(type=kind, mode="lines+markers", marker=marker, line=dict(color="lightgray"),
                   hovertemplate=hover, showlegend=False, **axes)]
    if marker_t is not None and 0 <= marker_t < steps:
        here = {letter: [float(a[marker_t])] for letter, a in axes.items()}
        label = w["at_t"].format(t=marker_t)
        traces.append(dict(type=kind, mode="markers+text", name=label, text=[label],
                           textposition="top center",
                           marker=dict(color="#d62728", size=9 if dims == 3 else 15, symbol="circle",
                                       line=dict(color="black", width=2)),
                           hovertemplate=label + "<extra></extra>", showlegend=False, **here))
    layout = dict(title=dict(text=title), height=360, margin=dict(l=50, r=10, t=40, b=40))
    if dims == 3:
        layout.update(height=520, margin=dict(l=0, r=0, t=40, b=0),
                      scene=dict(xaxis=dict(title=dict(text=names[0])), yaxis=dict(title=dict(text=names[1])),
                                 zaxis=dict(title=dict(text=names[2])), aspectmode="cube",
                                 camera=dict(eye=dict(x=1.5, y=1.5, z=1.0))))
    else:
        layout.update(xaxis=dict(title=dict(text=names[0])), yaxis=dict(title=dict(text=names[1])))
    return figure(data=traces, layout=layout)


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
    """Share of each gate's values near its lower and upper limits (sigmoid 0/1, tanh -1/1), and a
    line saying what was counted: "0 % of the N gate values saturated …" when no bar has a height."""
    w = merged(words)
    names, low_share, high_share = [], [], []
    count = saturated = 0
    for name, v in gates.items():
        v = v[np.isfinite(v)]
        if name in ("g", "n"):
            low_limit = -1.0
        elif name == "pre":
            continue  # an RNN pre-activation has no limits
        else:
            low_limit = 0.0
        names.append(name)
        low, high = int(np.sum(v <= low_limit + near)), int(np.sum(v >= 1.0 - near))
        low_share.append(low / v.size if v.size else 0.0)
        high_share.append(high / v.size if v.size else 0.0)
        count, saturated = count + v.size, saturated + low + high
    bars = [dict(type="bar", name=w["sat_low"], x=names, y=low_share),
            dict(type="bar", name=w["sat_high"], x=names, y=high_share)]
    share = saturated / count if count else 0.0
    if saturated:
        note = w["sat_some"].format(share=share, count=count, near=near)
        where = dict(x=1, y=1.02, xanchor="right", yanchor="bottom", font=dict(size=12))
    else:
        note = w["sat_none"].format(count=count, near=near, high=round(1.0 - near, 6))
        where = dict(x=0.5, y=0.5, xanchor="center", yanchor="middle", font=dict(size=14))
    return figure(data=bars, layout=dict(
        barmode="group", title=dict(text=w["sat_title"].format(near=near)),
        annotations=[dict(xref="paper", yref="paper", text=note, showarrow=False, **where)],
        legend=dict(orientation="h", y=-0.2),
        yaxis=dict(title=dict(text=w["share"]), range=[0, 1], tickformat=".0%"), height=340,
        margin=dict(l=50, r=10, t=60, b=40)))
