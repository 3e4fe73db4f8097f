"""A layer read under its text: the characters laid out as lines, each on the colour of a unit's value.

`text_figure(chars, values, labels)` is the pure builder (characters, a (characters, units) array);
`text_cells(trace, texts, units)` reads the values out of an `rnnviz.trace` first, for a notebook:

    from rnnviz.plots import text_cells
    from rnnviz.textcells import Unit
    text_cells(tr, text, [Unit("c", 0, 0, 3), Unit("h", 0, 0, 7)]).show()

Long texts are drawn a page at a time (`text_pages`): a page is whole lines, at most `lines` of them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from rnnviz.plots.base import colorscale, figure
from rnnviz.plots.words import merged
from rnnviz.textcells import Unit, layout, unit_values

ROW_PX = 22  # height of one row of characters
SHOWN = {"\n": "↵", "\t": "→", "\r": "␍"}


def wide(chars: str) -> bool:
    """Whether `chars` holds characters drawn twice as wide (Chinese, Japanese, Korean, full-width)."""
    return any(unicodedata.east_asian_width(ch) in ("W", "F") for ch in chars)


def visual_lines(chars: str, width: int = 80) -> list[tuple[int, int]]:
    """(start, stop) of each line as drawn: a "\\n" ends its line (and is its last cell), and a line
    longer than `width` wraps."""
    lines, start = [], 0
    for i, ch in enumerate(chars):
        if ch == "\n" or i + 1 - start == width:
            lines.append((start, i + 1))
            start = i + 1
    if start < len(chars):
        lines.append((start, len(chars)))
    return lines


def fit_width(chars: str, top: int | None = None) -> int:
    """Cells a drawn line has: the longest line (at most `top`: 80, or 40 for wide characters)."""
    top = top or (40 if wide(chars) else 80)
    return max(1, min(top, max((len(line) + 1 for line in chars.split("\n")), default=1)))


def text_pages(chars: str, width: int = 80, lines: int = 12) -> list[tuple[int, int]]:
    """(start, stop) of each page: `lines` drawn lines at a time."""
    drawn = visual_lines(chars, width) or [(0, 0)]
    return [(drawn[i][0], drawn[min(i + lines, len(drawn)) - 1][1]) for i in range(0, len(drawn), lines)]


def text_figure(
    chars: str,
    values: np.ndarray,
    labels: Sequence[str],
    start: int = 0,
    stop: int | None = None,
    width: int = 80,
    title: str = "",
    marks: np.ndarray | None = None,
    span: tuple | None = None,
    words: dict | None = None,
) -> go.Figure:
    """Characters chars[start:stop] as text, one row per unit (labels[j], values[:, j]) under each
    line; a cell's colour is the unit's value there (blue high, red low, white 0; each unit on its own
    symmetric scale, at least ±1), hover gives it. NaN cells (no step: between sequences) are blank.
    `marks`: bool per character, outlined (pattern matches); `span`: (start, stop) outlined in black."""
    w = merged(words)
    values = np.asarray(values, dtype=np.float64)
    stop = len(chars) if stop is None else stop
    units = values.shape[1]
    lines = visual_lines(chars[start:stop], width)
    pitch = units + (units > 1)  # rows per drawn line: one per unit, and a blank one between lines
    rows = max(len(lines) * pitch - (units > 1), 1)
    cells = [(start + a + i, n, i) for n, (a, b) in enumerate(lines) for i in range(b - a)]
    index = np.array([c[0] for c in cells], dtype=np.int64)
    line_of = np.array([c[1] for c in cells], dtype=np.int64)
    col = np.array([c[2] for c in cells], dtype=np.int64)
    data = []
    for j in range(units):
        z = np.full((rows, width), np.nan)
        text = np.full((rows, width), "", dtype=object)
        where = np.full((rows, width), "", dtype=object)
        row = line_of * pitch + j
        z[row, col] = values[index, j]
        text[row, col] = [SHOWN.get(chars[k], chars[k]) if np.isfinite(values[k, j]) else "" for k in index]
        where[row, col] = [str(k) for k in index]
        finite = values[:, j][np.isfinite(values[:, j])]
        top = max(1.0, float(np.abs(finite).max())) if finite.size else 1.0
        data.append(
            dict(
                type="heatmap",
                z=z,
                text=text,
                customdata=where,
                texttemplate="%{text}",
                name=labels[j],
                textfont=dict(family="monospace", size=13),
                colorscale=colorscale("RdBu"),
                zmin=-top,
                zmax=top,
                showscale=False,
                xgap=1,
                ygap=1,
                hoverongaps=False,
                hovertemplate=f"'%{{text}}' #%{{customdata}}<br>{labels[j]} = %{{z:.4f}}<extra></extra>",
            )
        )
    shapes = []
    if marks is not None or span is not None:
        marked = np.zeros(len(chars), dtype=bool) if marks is None else np.asarray(marks, dtype=bool)
        chosen = np.zeros(len(chars), dtype=bool)
        if span is not None:
            chosen[span[0] : span[1]] = True
        for k, n, i in cells:
            if marked[k] or chosen[k]:
                shapes.append(
                    dict(
                        type="rect",
                        x0=i - 0.5,
                        x1=i + 0.5,
                        y0=n * pitch - 0.5,
                        y1=n * pitch + units - 0.5,
                        line=dict(color="black" if chosen[k] else "#e8a400", width=2 if chosen[k] else 3),
                    )
                )
    ticks = [n * pitch + j for n in range(len(lines)) for j in range(units)]
    return figure(
        data=data,
        layout=dict(
            title=dict(text=title or w["text_title"]),
            height=rows * ROW_PX + 70,
            shapes=shapes[:2000],
            xaxis=dict(visible=False, range=[-0.5, width - 0.5]),
            yaxis=dict(
                autorange="reversed",
                tickvals=ticks,
                ticktext=[labels[j] for _ in lines for j in range(units)],
                tickfont=dict(size=10),
                showgrid=False,
                zeroline=False,
            ),
            plot_bgcolor="white",
            margin=dict(l=60, r=10, t=40, b=10),
        ),
    )


def text_cells(
    tr,
    texts: str | Sequence[str],
    units: Sequence[Unit | int],
    width: int | None = None,
    page: int = 0,
    lines: int = 12,
    title: str = "",
    words: dict | None = None,
) -> go.Figure:
    """The units of a trace under the text it read: `texts[b]` is what sequence b read, one
    character a step (or one text, for one sequence). `units`: Units, or h indices of layer 0.
    One page of `lines` drawn lines (`page` counts from 0)."""
    units = [u if isinstance(u, Unit) else Unit("h", 0, 0, int(u)) for u in units]
    chars = layout(texts)[0]
    width = width or fit_width(chars)
    start, stop = text_pages(chars, width, lines)[page]
    values = unit_values(tr, texts, units)
    return text_figure(chars, values, [u.label for u in units], start, stop, width, title, words=words)
