"""Every chart readable: log axes labelled at powers of ten only (1e-6 among them where a lesson asks),
the trajectory marks step t and names its axes PC 1/2/3, an empty saturation histogram says what it
counted, the by-hand equations come in narrow rows."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch import nn

from rnnviz import plots
from rnnviz.stepthrough import step_equations, worked_text
from rnnviz.trace import trace


def _powers_only(axis) -> list[int]:
    assert axis.type == "log" and axis.tickmode == "array"
    exponents = [math.log10(v) for v in axis.tickvals]
    assert all(abs(k - round(k)) < 1e-9 for k in exponents), axis.tickvals
    for text in axis.ticktext:
        assert text in ("1", "10") or text.startswith("10"), text  # never "1µ", "2", "5" or "0.001"
    return [round(k) for k in exponents]


def test_the_gradient_chart_labels_powers_of_ten_and_marks_1e_6():
    norms = {"RNN": 10.0 ** -np.linspace(0, 18, 50), "LSTM": 10.0 ** -np.linspace(0, 12, 50)}
    fig = plots.gradient_reach_figure(norms, "g", threshold=1e-6)
    ks = _powers_only(fig.layout.yaxis)
    assert -6 in ks and len(ks) <= 10 and min(ks) <= -18 and max(ks) >= 0
    assert dict(zip(ks, fig.layout.yaxis.ticktext))[-6] == "10⁻⁶"
    assert [s.y0 for s in fig.layout.shapes] == [1e-6]  # the level the lesson asks about, dashed
    assert fig.layout.yaxis.range[0] <= -18 and fig.layout.yaxis.range[1] >= 0


@pytest.mark.parametrize("values", [[0.3, 0.8], [2.0, 5.0, 0.1], [1e-3, 4e-2, 0.2, 0.17]])
def test_a_narrow_log_axis_still_shows_two_powers_of_ten(values):
    fig = plots.gradient_reach_figure({"a": np.array(values)}, "g")
    ks = _powers_only(fig.layout.yaxis)
    low, high = fig.layout.yaxis.range
    assert len([k for k in ks if low <= k <= high]) >= 2


def test_training_log_axes_label_powers_of_ten_only():
    runs = {"LSTM": {"step": np.arange(100), "train": np.geomspace(0.2, 1e-4, 100), "val_step": [0, 50, 99],
                     "val": [0.2, 0.01, 2e-4]}}
    ks = _powers_only(plots.curves_figure(runs, "loss", "MSE", log_y=True, chance=0.167).layout.yaxis)
    assert min(ks) <= -4 and max(ks) >= 0
    _powers_only(plots.grad_norm_figure(np.arange(5), [3.0, 0.2, 0.05, 0.5, 1.0], 1.0, "g").layout.yaxis)
    assert plots.curves_figure(runs, "acc", "accuracy").layout.yaxis.type == "linear"


def _marker(fig):
    marked = [d for d in fig.data if d.mode == "markers+text"]
    assert len(marked) == 1
    return marked[0]


@pytest.mark.parametrize("dims", [2, 3])
def test_the_trajectory_marks_step_t_and_moves_with_it(dims):
    values = np.cumsum(np.random.default_rng(0).normal(size=(12, 5)), 0)
    path = plots.trajectory(values, "pca", dims=dims, marker_t=None).data[0]
    points = np.stack([np.asarray(getattr(path, a)) for a in "xyz"[:dims]], 1)
    seen = []
    for t in (0, 4, 11):
        here = _marker(plots.trajectory(values, "pca", dims=dims, marker_t=t))
        at = np.array([getattr(here, a)[0] for a in "xyz"[:dims]])
        assert np.allclose(at, points[t]) and here.text[0] == f"t = {t}"
        seen.append(tuple(at))
    assert len(set(seen)) == 3  # a different point at each step
    assert len(plots.trajectory(values, "pca", dims=dims).data) == 1  # no t, no marker


def test_the_trajectory_names_its_axes_pc_1_2_3_and_is_tall_enough_in_3d():
    values = np.random.default_rng(1).normal(size=(10, 4))
    flat = plots.trajectory(values, "pca", dims=2, marker_t=3).layout
    assert (flat.xaxis.title.text, flat.yaxis.title.text) == ("PC 1", "PC 2")
    deep = plots.trajectory(values, "pca", dims=3, marker_t=3, words={"pc1": "主成分 1"}).layout
    titles = [getattr(deep.scene, axis).title.text for axis in ("xaxis", "yaxis", "zaxis")]
    assert titles == ["主成分 1", "PC 2", "PC 3"]
    assert deep.height >= 480 and deep.margin.b == 0


def test_an_empty_saturation_histogram_says_what_it_counted():
    gates = {"i": np.full((6, 4), 0.5), "f": np.full((6, 4), 0.4), "g": np.zeros((6, 4))}
    fig = plots.saturation_histogram(gates)
    assert all(max(bar.y) == 0 for bar in fig.data)
    note = fig.layout.annotations[0].text
    assert note.startswith("0 % of the 72 gate values saturated")
    assert "below 0.05 or above 0.95" in note and "±0.95" in note
    gates["f"][0, 0] = 0.99
    note = plots.saturation_histogram(gates).layout.annotations[0].text
    assert note.startswith("1.4% of the 72 gate values") and "0 %" not in note


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_the_equations_come_one_step_per_row_ending_in_the_value(kind):
    torch.manual_seed(0)
    module = getattr(nn, kind)(6, 8).double().requires_grad_(False)
    tr = trace(module, torch.randn(5, 2, 6, dtype=torch.float64))
    lines = step_equations(module, tr, 0, 0, 1, 3, 2)
    text = worked_text(lines)
    rows = text.splitlines()
    assert max(len(row) for row in rows) <= 72, max(rows, key=len)  # fits a column at 1440 px, unwrapped
    blocks = text.split("\n\n")
    assert len(blocks) == len(lines)
    for block, line in zip(blocks, lines):
        last = block.splitlines()[-1]
        assert last.strip().startswith(f"= {line.value:.4f}") and f"[{line.traced:.4f}]" in last
        assert block.startswith(f"{line.symbol} = ")
