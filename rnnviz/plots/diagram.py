"""The call as a diagram, read from top to bottom: what goes in (input, h_0, c_0), the stack of
layers × directions, what comes out (output, h_n, c_n).

Text in plotly keeps its size in pixels while the boxes stretch with the chart's width, so the
boxes are laid out in pixels of the narrowest chart the pages draw (WIDTH: the views column at
1280×720 with the sidebar open); a wider chart only widens them. Heights are the figure's own
pixels. Every line is measured (estimated) and wrapped to its box's width. `scale` enlarges all of it
(the presenter view's wider chart and larger text)."""

from __future__ import annotations

import re
import unicodedata

import plotly.graph_objects as go

from rnnviz.plots.base import figure
from rnnviz.plots.words import merged

COLOURS = {"input": "#dbeafe", "state": "#fef3c7", "output": "#dcfce7", "layer": "#f3f4f6"}
FONT = 12  # px
LINE = 16  # px a line takes
PAD = 6  # px of room kept on each side of a box's text
WIDTH = 480  # px: the narrowest plot area the diagram must fit
GAP = 12  # px between two boxes side by side
ROW_GAP = 28  # px between rows: room for the arrows
LAYER_GAP = 8  # px between two layers' rows
MARGIN = 6  # px around the plot area

_NARROW = set("il.,:;'|!()[]·IjtfrJ ")
_WIDE = set("mwMWODGHNQU@%")


def text_width(line: str, size: float = FONT) -> float:
    """An upper estimate of the pixels `line` (HTML tags ignored) takes in the figure's font."""
    plain = re.sub(r"<[^>]+>", "", line)
    em = 0.0
    for char in plain:
        if unicodedata.east_asian_width(char) in ("W", "F"):
            em += 1.0
        elif char in _NARROW:
            em += 0.32
        elif char in _WIDE or char.isupper():
            em += 0.66
        else:
            em += 0.53
    return em * size * (1.08 if "<b>" in line else 1.0)


def wrap(line: str, width: float, size: float = FONT) -> list[str]:
    """`line` broken at spaces (or between CJK characters) into lines no wider than `width` px.
    A tag that opens and closes around the whole line (<b>, <i>) is kept on every piece."""
    tag = re.fullmatch(r"<(b|i)>(.*)</\1>", line)
    opening, body, closing = (f"<{tag[1]}>", tag[2], f"</{tag[1]}>") if tag else ("", line, "")
    pieces = re.findall(r"[\u3000-\u9fff\uff00-\uffef][，。、；：]?|\S+\s*", body)
    lines, current = [], ""
    for piece in pieces:
        if current and text_width(opening + (current + piece).rstrip() + closing, size) > width:
            lines.append(current.rstrip())
            current = piece
        else:
            current += piece
    lines.append(current.rstrip())
    return [opening + text + closing for text in lines]


def _label(tensor, *extra: str) -> list[str]:
    numbers = "(" + ", ".join(map(str, tensor.shape)) + ")"
    return [f"<b>{tensor.name}</b>", numbers, f"<i>({', '.join(tensor.dims)})</i>", *extra]


def shapes_diagram(tensors: list, num_layers: int, num_directions: int, kind: str,
                   words: dict | None = None, scale: float = 1.0) -> go.Figure:
    """A diagram of one call. tensors: rnnviz.TensorShape-like items with name, role, shape, dims.

    Boxes are layout shapes; their labels are one text trace (hover shows the same text).
    x and y are pixels (x of a WIDTH·scale-wide plot area), y growing downwards from 0 at the top."""
    w = merged(words)
    font, line_px, pad, gap, width = FONT * scale, LINE * scale, PAD * scale, GAP * scale, WIDTH * scale
    row_gap, layer_gap, margin = ROW_GAP * scale, LAYER_GAP * scale, round(MARGIN * scale)
    by_name = {t.name: t for t in tensors}
    in_name = "input" if "input" in by_name else "input.data"
    out_name = "output" if "output" in by_name else "output.data"
    split = w["side_by_side"] if num_directions == 2 else w["last_layer"]
    states = [n for n in ("h_0", "c_0") if n in by_name]
    finals = [n for n in ("h_n", "c_n") if n in by_name]
    top = [(COLOURS["input"], _label(by_name[in_name]))] + [
        (COLOURS["state"], _label(by_name[n])) for n in states]
    bottom = [(COLOURS["output"], _label(by_name[out_name], split))] + [
        (COLOURS["output"], _label(by_name[n], w["row"])) for n in finals]
    slots = max(len(top), len(bottom))  # input, h_0 (and c_0) side by side
    slot = (width - (slots - 1) * gap) / slots

    boxes = []  # (x0, y0, x1, y1, colour, lines)
    y = 0.0

    def row(items: list, box: float, y: float) -> float:
        wrapped = [(colour, [piece for line in lines for piece in wrap(line, box - 2 * pad, font)])
                   for colour, lines in items]
        height = max(len(lines) for _, lines in wrapped) * line_px + 2 * pad
        for i, (colour, lines) in enumerate(wrapped):
            x0 = i * (box + gap)
            boxes.append((x0, y, x0 + box, y + height, colour, lines))
        return y + height

    y = row(top, slot, y) + row_gap
    first_layer = y
    cell = (width - (num_directions - 1) * gap) / num_directions
    for layer in range(num_layers):
        cells = []
        for direction in range(num_directions):
            arrow = w["forward"] if direction == 0 else w["reverse"]
            index = layer * num_directions + direction
            cells.append((COLOURS["layer"], [w["layer"].format(kind=kind, layer=layer), arrow,
                                             f"h_0[{index}] → h_n[{index}]"]))
        y = row(cells, cell, y) + (layer_gap if layer < num_layers - 1 else 0)
    last_layer = y
    y = row(bottom, slot, y + row_gap)

    shapes = [dict(type="rect", x0=x0, y0=y0, x1=x1, y1=y1, fillcolor=colour, layer="below",
                   line=dict(color="#374151", width=1.5)) for x0, y0, x1, y1, colour, _ in boxes]
    middle = slot / 2  # input above and output below the first slot
    arrows = [dict(x=middle, y=first_layer, ax=middle, ay=first_layer - row_gap),  # input -> first layer
              dict(x=middle, y=last_layer + row_gap, ax=middle, ay=last_layer)]  # last layer -> output
    arrows = [dict(a, xref="x", yref="y", axref="x", ayref="y", showarrow=True, arrowhead=2, text="")
              for a in arrows]
    texts = ["<br>".join(b[5]) for b in boxes]
    labels = dict(
        type="scatter",
        x=[(b[0] + b[2]) / 2 for b in boxes], y=[(b[1] + b[3]) / 2 for b in boxes], mode="text",
        text=texts, textfont=dict(size=font, color="#111827"), hoverinfo="text",
        hovertext=[text.replace("<br>", " ") for text in texts], showlegend=False,
    )
    layout = dict(
        shapes=shapes, annotations=arrows, height=round(y) + 2 * margin, plot_bgcolor="white",
        margin=dict(l=margin, r=margin, t=margin, b=margin),
        xaxis=dict(visible=False, range=[0, width], fixedrange=True),
        yaxis=dict(visible=False, range=[y, 0], fixedrange=True),
    )
    return figure(data=[labels], layout=layout)
