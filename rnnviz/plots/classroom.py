"""The projector's tally of a question to the class: one bar per answer given, the right one
marked once the teacher reveals it."""

from __future__ import annotations

import plotly.graph_objects as go

from rnnviz.plots.base import figure

RIGHT, OTHER, HIDDEN = "#2e7d32", "#b0bec5", "#5c6bc0"


def tally_figure(counts: list[tuple[str, int]], answer: str | None, words: dict) -> go.Figure:
    """Horizontal bars of `counts` (label, how many), most given first; `answer` (a label) is
    coloured when given (revealed), and every bar alike before."""
    labels = [label for label, _ in counts][::-1]
    numbers = [number for _, number in counts][::-1]
    colours = [HIDDEN if answer is None else (RIGHT if label == answer else OTHER) for label in labels]
    bars = dict(type="bar", x=numbers, y=labels, orientation="h", marker=dict(color=colours),
                text=[str(n) for n in numbers],
                textposition="auto", hovertemplate="%{y}: %{x}<extra></extra>")
    return figure([bars], dict(height=120 + 44 * max(len(labels), 1), margin=dict(l=10, r=10, t=30, b=30),
                               xaxis=dict(title=dict(text=words["answers"]), dtick=1, rangemode="tozero",
                                          tickfont=dict(size=20)),
                               yaxis=dict(automargin=True, type="category", tickfont=dict(size=24)),
                               font=dict(size=20)))
