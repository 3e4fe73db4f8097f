"""The worked equations of one step reproduce the traced (torch's) gate and state values."""

from __future__ import annotations

import re

import pytest
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

import rnnviz
from rnnviz.stepthrough import step_equations


@pytest.mark.parametrize(
    "kind,extra",
    [("RNN", {}), ("RNN", {"nonlinearity": "relu"}), ("LSTM", {}), ("LSTM", {"bias": False}), ("GRU", {})],
)
@pytest.mark.parametrize("packed", [False, True])
def test_step_equations_match_the_trace(kind, extra, packed):
    torch.manual_seed(0)
    module = getattr(nn, kind)(3, 4, 2, bidirectional=True, **extra).double().eval()
    x = torch.randn(5, 2, 3, dtype=torch.float64)
    hx = torch.randn(4, 2, 4, dtype=torch.float64)
    hx = (hx, torch.randn(4, 2, 4, dtype=torch.float64)) if kind == "LSTM" else hx
    lengths = [5, 3]
    tr = rnnviz.trace(module, pack_padded_sequence(x, torch.tensor(lengths)) if packed else x, hx)
    checked = 0
    for layer in range(2):
        for direction in range(2):
            for sequence in range(2):
                for t in range(lengths[sequence] if packed else 5):  # every step of every sequence
                    for line in step_equations(module, tr, layer, direction, sequence, t, unit=2):
                        assert line.value == pytest.approx(line.traced, abs=1e-12), (line.symbol, line.worked)
                        checked += 1
    per_step = {"RNN": 2, "LSTM": 6, "GRU": 4}[kind]  # pre, h_t | i, f, g, o, c_t, h_t | r, z, n, h_t
    assert checked == 2 * 2 * (sum(lengths) if packed else 10) * per_step


def test_step_equations_with_a_projection_give_h_through_w_hr():
    """With proj_size, a unit's last line is o ⊙ tanh(c_t) (no traced value of its own); W_hr times
    those values over every unit is torch's h_t."""
    torch.manual_seed(0)
    module = nn.LSTM(3, 4, 2, proj_size=2, bidirectional=True).double().eval()
    tr = rnnviz.trace(module, torch.randn(5, 2, 3, dtype=torch.float64))
    for layer, direction, sequence, t in ((0, 0, 0, 0), (1, 1, 1, 3), (1, 0, 0, 4)):
        core = []
        for unit in range(4):
            lines = step_equations(module, tr, layer, direction, sequence, t, unit)
            assert [line.symbol for line in lines] == ["i", "f", "g", "o", "c_t", "o ⊙ tanh(c_t)"]
            for line in lines[:-1]:
                assert line.value == pytest.approx(line.traced, abs=1e-12), line.symbol
            assert lines[-1].traced != lines[-1].traced  # NaN: h_t is the projection, not this value
            core.append(lines[-1].value)
        w_hr = getattr(module, f"weight_hr_l{layer}{'_reverse' if direction else ''}")
        h = tr.h(layer, direction)[t, sequence]
        assert torch.allclose(w_hr @ torch.tensor(core, dtype=torch.float64), h, atol=1e-12)


def test_step_equations_read_like_the_textbook():
    torch.manual_seed(0)
    module = nn.LSTM(2, 3).eval()
    tr = rnnviz.trace(module, torch.randn(4, 1, 2))
    lines = step_equations(module, tr, 0, 0, 0, 2, 1)
    assert [line.symbol for line in lines] == ["i", "f", "g", "o", "c_t", "h_t"]
    assert lines[1].worked.startswith("σ(W_if x_t + b_if + W_hf h_{t-1} + b_hf) = σ(")
    assert "f ⊙ c_{t-1} + i ⊙ g" in lines[4].worked


@pytest.mark.parametrize("kind,extra,symbols,first", [
    ("RNN", {}, ["pre", "h_t"], "W_ih x_t + b_ih + W_hh h_{t+1} + b_hh = "),
    ("RNN", {"nonlinearity": "relu"}, ["pre", "h_t"], "W_ih x_t + b_ih + W_hh h_{t+1} + b_hh = "),
    ("LSTM", {}, ["i", "f", "g", "o", "c_t", "h_t"], "σ(W_ii x_t + b_ii + W_hi h_{t+1} + b_hi) = σ("),
    ("GRU", {}, ["r", "z", "n", "h_t"], "σ(W_ir x_t + b_ir + W_hr h_{t+1} + b_hr) = σ("),
])
def test_the_reverse_direction_reads_its_previous_state_as_the_next_step(kind, extra, symbols, first):
    """Each kind's lines by name; the reverse direction's previous state is h_{t+1} (c_{t+1})."""
    from rnnviz.stepthrough import worked_text

    torch.manual_seed(0)
    module = getattr(nn, kind)(2, 3, bidirectional=True, **extra).double().eval()
    tr = rnnviz.trace(module, torch.randn(4, 2, 2, dtype=torch.float64))
    lines = step_equations(module, tr, 0, 1, 1, 1, 2)
    assert [line.symbol for line in lines] == symbols and lines[0].worked.startswith(first)
    act = extra.get("nonlinearity", "tanh")
    if kind == "RNN":
        assert lines[1].worked.startswith(f"{act}(pre) = {act}(")
    if kind == "LSTM":
        assert lines[2].worked.startswith("tanh(W_ig x_t") and "f ⊙ c_{t+1} + i ⊙ g" in lines[4].worked
    if kind == "GRU":
        assert lines[1].worked.startswith("σ(W_iz x_t + b_iz + W_hz h_{t+1} + b_hz) = ")
        assert lines[2].worked.startswith("tanh(W_in x_t + b_in + r ⊙ (W_hn h_{t+1} + b_hn)) = ")
        assert lines[3].worked.startswith("(1 − z) ⊙ n + z ⊙ h_{t+1} = ")
    forward = step_equations(module, tr, 0, 0, 1, 1, 2)
    assert "h_{t-1}" in forward[0].worked and "h_{t+1}" not in forward[0].worked
    text = worked_text(lines)
    terms = text.split("\n")[1]  # the second row: every term signed, "+ 0.1200 − 0.0300"
    assert re.fullmatch(r" +=  ?(σ|tanh)?\(?([+−] \d+\.\d{4} ?)+\)?", terms), terms


def test_step_equations_say_which_index_is_out_of_range():
    torch.manual_seed(0)
    module = nn.GRU(2, 3).double()
    tr = rnnviz.trace(module, torch.randn(4, 2, 2, dtype=torch.float64))
    assert step_equations(module, tr, 0, 0, 1, 3, 2)  # the last of each is fine
    for t, sequence, unit in ((4, 1, 2), (3, 2, 2), (3, 1, 3), (-1, 0, 0)):
        with pytest.raises(IndexError, match="^t, sequence or unit out of range$"):
            step_equations(module, tr, 0, 0, sequence, t, unit)
