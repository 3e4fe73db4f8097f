"""The call as a diagram: input, h_0/c_0, the grid of layers × directions, output, h_n/c_n."""

from __future__ import annotations

import plotly.graph_objects as go

COLOURS = {"input": "#dbeafe", "state": "#fef3c7", "output": "#dcfce7", "layer": "#f3f4f6"}


def _box(fig: go.Figure, x0, y0, x1, y1, colour, text, name) -> None:
    fig.add_shape(type="rect", x0=x0, y0=y0, x1=x1, y1=y1, fillcolor=colour,
                  line=dict(color="#374151", width=1.5), layer="below")
    fig.add_trace(go.Scatter(x=[(x0 + x1) / 2], y=[(y0 + y1) / 2], mode="text", text=[text],
                             textfont=dict(size=13), hoverinfo="text", hovertext=[text.replace("<br>", " ")],
                             name=name, showlegend=False))


def _label(tensor) -> str:
    numbers = "(" + ", ".join(map(str, tensor.shape)) + ")"
    return f"<b>{tensor.name}</b><br>{numbers}<br><i>({', '.join(tensor.dims)})</i>"


def shapes_diagram(tensors: list, num_layers: int, num_directions: int, kind: str) -> go.Figure:
    """A diagram of one call. tensors: rnnviz.TensorShape-like items with name, role, shape, dims."""
    by_name = {t.name: t for t in tensors}
    fig = go.Figure()
    grid_x0, cell_w, cell_h, gap = 3.2, 2.2, 0.9, 0.25
    height = num_layers * (cell_h + gap)
    for layer in range(num_layers):
        for direction in range(num_directions):
            x0 = grid_x0 + direction * (cell_w + gap)
            y0 = layer * (cell_h + gap)
            arrow = "→ forward" if direction == 0 else "← reverse"
            row = layer * num_directions + direction
            _box(fig, x0, y0, x0 + cell_w, y0 + cell_h, COLOURS["layer"],
                 f"{kind} layer {layer}<br>{arrow}<br>h_0[{row}] → h_n[{row}]", f"layer {layer}.{direction}")
    grid_x1 = grid_x0 + num_directions * (cell_w + gap) - gap
    in_name = "input" if "input" in by_name else "input.data"
    out_name = "output" if "output" in by_name else "output.data"
    _box(fig, 0, 0, 2.6, min(height, 1.6), COLOURS["input"], _label(by_name[in_name]), in_name)
    _box(fig, grid_x1 + 0.6, max(height - 1.6, 0), grid_x1 + 3.4, height, COLOURS["output"],
         _label(by_name[out_name]) + ("<br>last layer, directions side by side" if num_directions == 2 else "<br>last layer only"),
         out_name)
    states = [n for n in ("h_0", "c_0") if n in by_name]
    finals = [n for n in ("h_n", "c_n") if n in by_name]
    top = height + 0.5
    for i, name in enumerate(states):
        _box(fig, grid_x0 + i * 2.4, top, grid_x0 + i * 2.4 + 2.2, top + 1.3, COLOURS["state"], _label(by_name[name]), name)
    for i, name in enumerate(finals):
        _box(fig, grid_x0 + i * 2.4, -1.8, grid_x0 + i * 2.4 + 2.2, -0.5, COLOURS["output"],
             _label(by_name[name]) + "<br>row = layer·D + direction", name)
    fig.add_annotation(x=grid_x0, y=min(height, 1.6) / 2, ax=2.6, ay=min(height, 1.6) / 2, xref="x", yref="y",
                       axref="x", ayref="y", showarrow=True, arrowhead=2, text="")
    fig.add_annotation(x=grid_x1 + 0.6, y=height - 0.5, ax=grid_x1, ay=height - 0.5, xref="x", yref="y",
                       axref="x", ayref="y", showarrow=True, arrowhead=2, text="")
    fig.update_xaxes(visible=False, range=[-0.2, max(grid_x1 + 3.6, grid_x0 + 5)])
    fig.update_yaxes(visible=False, range=[-2.0, top + 1.5], scaleanchor=None)
    fig.update_layout(height=260 + 70 * num_layers, margin=dict(l=5, r=5, t=10, b=5), plot_bgcolor="white")
    return fig
