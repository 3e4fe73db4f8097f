"""The one way figures are made here: trace dicts and a layout dict, assembled unvalidated."""

from __future__ import annotations

import functools

import numpy as np
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


LOG_STEPS = (1, 2, 3, 6, 12, 24, 48, 96)  # decades between two ticks; the first four keep 1e-6 a tick
MAX_LOG_TICKS = 9


def log_axis(values, title: str, must: tuple[int, ...] = (-6,), **extra) -> dict:
    """A log axis labelled at powers of ten only (10⁻⁶, not "1µ" or minor "2, 5"): ticks at 10^k
    for every `step`-th k over the finite positive values' range, at most MAX_LOG_TICKS of them;
    the exponents in `must` stay ticks when they lie in the range (1e-6, where a lesson asks)."""
    axis = dict(type="log", title=dict(text=title), exponentformat="power", showexponent="all",
                minor=dict(showgrid=False, ticks=""), **extra)
    arrays = [np.asarray(v, dtype=float).ravel() for v in values]
    flat = np.concatenate(arrays) if arrays else np.zeros(0)
    flat = flat[np.isfinite(flat) & (flat > 0)]
    if not flat.size:
        axis["dtick"] = 1
        return axis
    low, high = int(np.floor(np.log10(flat.min()))), int(np.ceil(np.log10(flat.max())))
    high = max(high, low + 1)
    step = next((s for s in LOG_STEPS if (high - low) / s < MAX_LOG_TICKS), LOG_STEPS[-1])
    powers = {k for k in range(low, high + 1) if k % step == 0}
    powers |= {k for k in must if low <= k <= high}
    axis["range"] = [low - 0.1, high + 0.1]  # log10 units: the end decades are ticks, always on screen
    axis.update(tickmode="array", tickvals=[10.0 ** k for k in sorted(powers)],
                ticktext=[power_label(k) for k in sorted(powers)])
    return axis


SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def power_label(k: int) -> str:
    """10^k as text: "1" for k = 0, "10" for 1, else "10⁻⁶"-style."""
    return {0: "1", 1: "10"}.get(k, "10" + str(k).translate(SUPERSCRIPT))
