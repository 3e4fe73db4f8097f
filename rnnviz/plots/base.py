"""The one way figures are made here: trace dicts and a layout dict, assembled unvalidated."""

from __future__ import annotations

import functools

import plotly.graph_objects as go
from plotly.colors import get_colorscale


def figure(data: list[dict], layout: dict) -> go.Figure:
    """A plotly Figure from trace dicts (each with its "type") and a layout dict.

    Built with plotly's per-property validation off: it made the shapes diagram 5× slower
    to build (3.6 ms against 0.7 ms) and ran on every slider move. tests/test_plots.py
    rebuilds every builder's output with validation on, so a wrong property still fails."""
    return go.Figure(data=data, layout=layout, _validate=False)


def colorscale(name: str) -> list:
    """A named colour scale as the explicit list plotly.py's validation would send. The name
    alone would reach plotly.js, whose own "RdBu" runs the other way round (blue for low)."""
    return [list(stop) for stop in _colorscale(name)]


@functools.cache
def _colorscale(name: str) -> tuple:
    return tuple(tuple(stop) for stop in get_colorscale(name))  # ~0.9 ms a call uncached
