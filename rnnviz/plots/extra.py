"""Figures for the comparison, gradient and packing pages."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from rnnviz.plots.base import colorscale, figure, log_axis, power_label
from rnnviz.plots.words import merged


def gradient_reach_figure(norms: dict[str, np.ndarray], title: str, words: dict | None = None,
                          y_title: str | None = None, threshold: float | None = None) -> go.Figure:
    """One line per label over t on a log scale (zeros left out), labelled at powers of ten only.
    norms: label -> (T,) values. `threshold`: a dashed level line (1e-6, where the lesson asks)."""
    w = merged(words)
    lines, shown_values = [], []
    for label, values in norms.items():
        values = np.asarray(values, dtype=float)
        shown = np.where(values > 0, values, np.nan)  # log scale: a zero has no place
        shown_values.append(shown)
        lines.append(dict(type="scatter", x=np.arange(len(values)), y=shown, mode="lines+markers", name=label,
                          hovertemplate="t=%{x}<br>norm=%{y:.3e}<extra>" + label + "</extra>"))
    shapes, notes = [], []
    if threshold is not None:
        shown_values.append(np.array([threshold]))
        shapes.append(dict(type="line", xref="paper", x0=0, x1=1, y0=threshold, y1=threshold,
                           line=dict(color="black", width=1, dash="dash")))
        label = power_label(round(np.log10(threshold)))  # 10⁻⁶, as the axis writes it
        notes.append(dict(xref="paper", x=0, y=np.log10(threshold), yref="y", text=label, showarrow=False,
                          xanchor="left", yanchor="bottom", font=dict(size=11)))
    layout = dict(title=dict(text=title), xaxis=dict(title=dict(text=w["time"])),
                  yaxis=log_axis(shown_values, y_title or w["norm"]), height=380,
                  margin=dict(l=60, r=10, t=40, b=40))
    if shapes:
        layout.update(shapes=shapes, annotations=notes)
    return figure(data=lines, layout=layout)


def gate_parameters_figure(counts: dict[str, dict[str, int]], words: dict | None = None) -> go.Figure:
    """Stacked bars: for each kind, its parameters split by gate block. counts: kind -> gate -> n."""
    w = merged(words)
    kinds = list(counts)
    gates = []
    for per_kind in counts.values():
        gates += [g for g in per_kind if g not in gates]
    bars = [dict(type="bar", name=gate, x=kinds, y=[counts[k].get(gate, 0) for k in kinds],
                   hovertemplate=f"{gate}: %{{y:,}}<extra>%{{x}}</extra>") for gate in gates]
    return figure(data=bars, layout=dict(
        barmode="stack", title=dict(text=w["params_title"]), yaxis=dict(title=dict(text=w["parameters"])),
        height=360, margin=dict(l=60, r=10, t=40, b=40)))


def packed_rows_figure(row_source: list[tuple[int, int]], steps: int, batch: int,
                       words: dict | None = None) -> go.Figure:
    """Where each row of PackedSequence.data comes from: a (sequence × t) grid of row numbers."""
    w = merged(words)
    grid = np.full((batch, steps), np.nan)
    for row, (t, sequence) in enumerate(row_source):
        grid[sequence, t] = row
    text = [["" if np.isnan(v) else str(int(v)) for v in line] for line in grid]
    heatmap = dict(type="heatmap", z=grid, x=np.arange(steps),
                   y=[w["seq"].format(sequence=b) for b in range(batch)],
                   text=text,
                   texttemplate="%{text}", colorscale=colorscale("Blues"), showscale=False,
                   hovertemplate="t=%{x}<br>%{y}<br>row of .data: %{z}<extra></extra>")
    return figure(data=[heatmap], layout=dict(
        title=dict(text=w["rows_title"]),
        xaxis=dict(title=dict(text=w["time"])), height=140 + 40 * batch, margin=dict(l=60, r=10, t=40, b=40)))
