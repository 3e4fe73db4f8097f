"""Figure builders on known data: axes, trace counts, values."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

import rnnviz
from rnnviz import plots


def test_state_lines_one_trace_per_unit_with_the_values():
    values = np.arange(12, dtype=float).reshape(4, 3)  # (T=4, units=3)
    fig = plots.state_lines(values, "h")
    assert len(fig.data) == 3
    assert list(fig.data[1].y) == [1, 4, 7, 10]
    assert fig.layout.xaxis.title.text == "time step t"


def test_state_heatmap_is_unit_by_time():
    values = np.arange(12, dtype=float).reshape(4, 3)
    fig = plots.state_heatmap(values, "h")
    z = np.asarray(fig.data[0].z)
    assert z.shape == (3, 4) and z[2, 1] == values[1, 2]
    assert fig.layout.yaxis.title.text == "unit"


def test_long_sequences_are_subsampled_below_the_point_budget():
    values = np.random.default_rng(0).normal(size=(1000, 512))
    fig = plots.state_heatmap(values, "h")
    assert np.asarray(fig.data[0].z).size <= plots.states.MAX_POINTS
    assert len(fig.to_json()) < 1_000_000


def test_trajectory_follows_the_first_principal_component():
    t = np.linspace(0, 1, 20)
    values = np.stack([t, 2 * t, np.zeros_like(t)], 1)  # a straight line: all variance on PC 1
    fig = plots.trajectory(values, "pca", dims=2)
    assert np.allclose(np.asarray(fig.data[0].y), 0, atol=1e-9)
    assert np.ptp(np.asarray(fig.data[0].x)) > 0
    assert plots.trajectory(values, "pca", dims=3).data[0].type == "scatter3d"


def test_gate_heatmaps_share_one_colour_scale():
    gates = {
        "i": np.full((5, 2), 0.2),
        "f": np.full((5, 2), 0.9),
        "g": np.full((5, 2), -0.5),
        "o": np.ones((5, 2)),
    }
    fig = plots.gate_heatmaps(gates, "gates")
    assert [d.name for d in fig.data] == ["i", "f", "g", "o"]
    assert {d.coloraxis for d in fig.data} == {"coloraxis"}
    assert fig.layout.coloraxis.cmin == -1.0 and fig.layout.coloraxis.cmax == 1.0


def test_saturation_counts_values_near_the_limits():
    gates = {"f": np.array([[0.0], [0.01], [0.5], [0.99]]), "g": np.array([[-1.0], [0.0], [0.0], [1.0]])}
    fig = plots.saturation_histogram(gates)
    low, high = fig.data
    assert list(low.x) == ["f", "g"]
    assert list(low.y) == [0.5, 0.25] and list(high.y) == [0.25, 0.25]


def test_shapes_diagram_labels_every_call_tensor():
    module = nn.GRU(2, 4, 2, bidirectional=True)
    shapes = rnnviz.describe_call(module, torch.randn(2, 2, 2), torch.randn(4, 2, 4))
    fig = plots.shapes_diagram(shapes.tensors, 2, 2, "GRU")
    text = " ".join(t for d in fig.data for t in (d.text or ()))
    for label in (
        "input</b><br>(2, 2, 2)",
        "output</b><br>(2, 2, 8)",
        "h_0</b><br>(4, 2, 4)",
        "h_n</b><br>(4, 2, 4)",
    ):
        assert label in text
    assert text.count("GRU layer") == 4  # 2 layers × 2 directions
    assert "(L, N, D·H_out)" in text and "row = layer·D + direction" in text



def _diagram_boxes(fig):
    """(x0, y0, x1, y1, text) of each box of the shapes diagram, in the figure's pixels."""
    label = fig.data[0]
    boxes = [(s.x0, s.y0, s.x1, s.y1) for s in fig.layout.shapes]
    return [(*box, text) for box, text in zip(boxes, label.text)]


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("scale", [1.0, 1.5])
def test_shapes_diagram_text_fits_its_boxes_and_boxes_do_not_overlap(kind, lang, scale):
    """Every line fits its box (estimated width, at the narrowest chart the pages draw) and the box's
    height; no two boxes overlap; the figure is as tall as its rows (y is the figure's own pixels)."""
    from rnnviz.plots import diagram
    from rnnviz.ui.texts import WORDS

    words = {key[5:]: text for key, text in WORDS[lang].items() if key.startswith("plot_")}
    for layers, bidirectional in ((1, False), (2, True), (4, True), (3, False)):
        module = getattr(nn, kind)(3, 6, layers, bidirectional=bidirectional,
                                   **({"proj_size": 2} if kind == "LSTM" else {}))
        shapes = rnnviz.describe_call(module, torch.zeros(20, 32, 3))
        fig = plots.shapes_diagram(shapes.tensors, layers, 1 + bidirectional, kind, words=words, scale=scale)
        boxes = _diagram_boxes(fig)
        states = 4 if kind == "LSTM" else 2  # h_0, h_n (c_0, c_n)
        assert len(boxes) == len(fig.layout.shapes) == 2 + layers * (1 + bidirectional) + states
        for x0, y0, x1, y1, text in boxes:
            lines = text.split("<br>")
            assert len(lines) * diagram.LINE * scale <= y1 - y0, text
            for line in lines:
                room = x1 - x0 - 2 * diagram.PAD * scale
                assert diagram.text_width(line, diagram.FONT * scale) <= room + 0.01, (line, x1 - x0)
            assert 0 <= x0 < x1 <= diagram.WIDTH * scale
        assert fig.data[0].textfont.size == diagram.FONT * scale
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a[4], b[4])
        bottom = max(box[3] for box in boxes)
        assert fig.layout.height == round(bottom) + fig.layout.margin.t + fig.layout.margin.b
        assert list(fig.layout.yaxis.range) == [bottom, 0]


def test_diagram_wraps_a_long_line_at_spaces_and_keeps_its_tag():
    from rnnviz.plots.diagram import text_width, wrap

    assert wrap("<i>(D·num_layers, N, H_cell)</i>", 90) == ["<i>(D·num_layers,</i>", "<i>N, H_cell)</i>"]
    assert wrap("last layer only", 500) == ["last layer only"]
    assert all(text_width(line) <= 80 for line in wrap("最后一层，两个方向并排", 80))
    assert text_width("(D·num_layers, N, H_cell)", 13) >= 133  # measured in Chromium: 133 px at 13 px

def _every_figure():
    """One figure from every builder, on small data (3-D trajectory and marker included)."""
    rng = np.random.default_rng(0)
    values = rng.standard_normal((12, 4))
    gates = {name: rng.random((12, 4)) for name in "ifgo"}
    shapes = rnnviz.describe_call(nn.GRU(2, 4, 2, bidirectional=True), torch.zeros(3, 2, 2))
    return {
        "state_lines": plots.state_lines(values, "h", marker_t=3),
        "state_heatmap": plots.state_heatmap(values, "h", marker_t=3),
        "trajectory_2d": plots.trajectory(values, "pca", dims=2),
        "trajectory_3d": plots.trajectory(values, "pca", dims=3),
        "gate_heatmaps": plots.gate_heatmaps(gates, "gates", marker_t=3),
        "saturation": plots.saturation_histogram(gates),
        "shapes_diagram": plots.shapes_diagram(shapes.tensors, 2, 2, "GRU"),
        "gradient_reach": plots.gradient_reach_figure({"RNN": np.array([1.0, 0.1, 0.0])}, "g"),
        "gate_parameters": plots.gate_parameters_figure({"GRU": {"r": 10, "z": 10, "n": 12}}),
        "packed_rows": plots.packed_rows_figure([(0, 0), (0, 1), (1, 0)], 2, 2),
        "training_curves": plots.curves_figure(
            {"LSTM": {"step": [1, 2, 3], "train": [0.3, 0.2, 0.1], "val_step": [2], "val": [0.15]}},
            "loss", "loss", log_y=True, chance=1 / 6),
        "grad_norm": plots.grad_norm_figure([1, 2, 3], [2.0, 0.5, 1.5], 1.0, "norm"),
    }


def test_training_curves_are_running_means_with_the_chance_and_clip_lines():
    values = [4.0, 2.0, 0.0, 6.0]
    fig = plots.curves_figure({"a": {"step": [1, 2, 3, 4], "train": values, "val_step": [4], "val": [1.0]}},
                              "t", "loss", chance=0.5)
    assert list(fig.data[0].y) == [4.0, 3.0, 2.0, 3.0]  # the mean of all values so far (fewer than 25)
    assert list(fig.data[1].x) == [4] and list(fig.data[1].y) == [1.0]
    assert fig.layout.shapes[0].y0 == 0.5
    norm = plots.grad_norm_figure([1, 2], [3.0, 0.2], 1.0, "n")
    assert norm.layout.yaxis.type == "log" and norm.layout.shapes[0].y0 == 1.0
    assert not plots.grad_norm_figure([1], [1.0], 0.0, "n").layout.shapes  # no clip, no line


def test_every_figure_is_what_plotly_validation_would_make():
    """Figures are assembled without plotly's validation (rnnviz.plots.base.figure); rebuilt
    with validation on, each must come out identical: no unknown property, no shorthand
    (such as a plain-string title) that only validation would expand."""
    import json

    import plotly.graph_objects as go
    import plotly.io as pio

    for name, fig in _every_figure().items():
        validated = go.Figure(fig.to_dict())
        assert json.loads(pio.to_json(validated)) == json.loads(pio.to_json(fig)), name
