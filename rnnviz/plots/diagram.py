"""The call as a diagram: input, h_0/c_0, the grid of layers × directions, output, h_n/c_n."""

from __future__ import annotations

import plotly.graph_objects as go

from rnnviz.plots.base import figure
from rnnviz.plots.words import merged

COLOURS = {"input": "#dbeafe", "state": "#fef3c7", "output": "#dcfce7", "layer": "#f3f4f6"}


def _label(tensor) -> str:
    numbers = "(" + ", ".join(map(str, tensor.shape)) + ")"
    return f"<b>{tensor.name}</b><br>{numbers}<br><i>({', '.join(tensor.dims)})</i>"


def shapes_diagram(tensors: list, num_layers: int, num_directions: int, kind: str,
                   words: dict | None = None) -> go.Figure:
    """A diagram of one call. tensors: rnnviz.TensorShape-like items with name, role, shape, dims.

    Boxes are layout shapes; their labels are one text trace (hover shows the same text)."""
    w = merged(words)
    by_name = {t.name: t for t in tensors}
    boxes = []  # (x0, y0, x1, y1, colour, label)
    grid_x0, cell_w, cell_h, gap = 3.2, 2.2, 0.9, 0.25
    height = num_layers * (cell_h + gap)
    for layer in range(num_layers):
        for direction in range(num_directions):
            x0, y0 = grid_x0 + direction * (cell_w + gap), layer * (cell_h + gap)
            arrow = w["forward"] if direction == 0 else w["reverse"]
            row = layer * num_directions + direction
            boxes.append((x0, y0, x0 + cell_w, y0 + cell_h, COLOURS["layer"],
                          f"{w['layer'].format(kind=kind, layer=layer)}<br>{arrow}<br>"
                          f"h_0[{row}] → h_n[{row}]"))
    grid_x1 = grid_x0 + num_directions * (cell_w + gap) - gap
    in_name = "input" if "input" in by_name else "input.data"
    out_name = "output" if "output" in by_name else "output.data"
    in_top = min(height, 1.6)
    boxes.append((0, 0, 2.6, in_top, COLOURS["input"], _label(by_name[in_name])))
    split = w["side_by_side"] if num_directions == 2 else w["last_layer"]
    boxes.append((grid_x1 + 0.6, max(height - 1.6, 0), grid_x1 + 3.4, height, COLOURS["output"],
                  _label(by_name[out_name]) + f"<br>{split}"))
    top = height + 0.5
    for i, name in enumerate(n for n in ("h_0", "c_0") if n in by_name):
        x0 = grid_x0 + i * 2.4
        boxes.append((x0, top, x0 + 2.2, top + 1.3, COLOURS["state"], _label(by_name[name])))
    for i, name in enumerate(n for n in ("h_n", "c_n") if n in by_name):
        x0 = grid_x0 + i * 2.4
        boxes.append((x0, -1.8, x0 + 2.2, -0.5, COLOURS["output"],
                      _label(by_name[name]) + f"<br>{w['row']}"))
    shapes = [dict(type="rect", x0=x0, y0=y0, x1=x1, y1=y1, fillcolor=colour, layer="below",
                   line=dict(color="#374151", width=1.5)) for x0, y0, x1, y1, colour, _ in boxes]
    arrows = [dict(x=grid_x0, y=in_top / 2, ax=2.6, ay=in_top / 2),  # input -> first layer
              dict(x=grid_x1 + 0.6, y=height - 0.5, ax=grid_x1, ay=height - 0.5)]  # last layer -> output
    arrows = [dict(a, xref="x", yref="y", axref="x", ayref="y", showarrow=True, arrowhead=2, text="")
              for a in arrows]
    labels = dict(
        type="scatter",
        x=[(b[0] + b[2]) / 2 for b in boxes], y=[(b[1] + b[3]) / 2 for b in boxes], mode="text",
        text=[b[5] for b in boxes], textfont=dict(size=13), hoverinfo="text",
        hovertext=[b[5].replace("<br>", " ") for b in boxes], showlegend=False,
    )
    layout = dict(
        shapes=shapes, annotations=arrows, height=260 + 70 * num_layers, plot_bgcolor="white",
        margin=dict(l=5, r=5, t=10, b=5),
        xaxis=dict(visible=False, range=[-0.2, max(grid_x1 + 3.6, grid_x0 + 5)]),
        yaxis=dict(visible=False, range=[-2.0, top + 1.5]),
    )
    return figure(data=[labels], layout=layout)
