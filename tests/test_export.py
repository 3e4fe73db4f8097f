"""The tidy CSV export and the trace memory estimate."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

import rnnviz
from rnnviz.export import export_values, trace_csv, trace_frame
from rnnviz.shapes import trace_nbytes


def test_trace_frame_is_tidy_and_holds_torch_values():
    torch.manual_seed(0)
    module = nn.LSTM(2, 3, 2, bidirectional=True).eval()
    x = pack_padded_sequence(torch.randn(4, 2, 2), torch.tensor([4, 2]))
    tr = rnnviz.trace(module, x)
    frame = trace_frame(tr)
    assert list(frame.columns) == ["layer", "direction", "sequence", "t", "unit", "variable", "value"]
    assert set(frame["variable"]) == {"h", "c", "i", "f", "g", "o"}
    # sequence 1 has length 2: no rows past its end
    assert frame[(frame.sequence == 1)]["t"].max() == 1
    row = frame[(frame.layer == 1) & (frame.direction == 1) & (frame.sequence == 0) & (frame.t == 2)
                & (frame.unit == 1) & (frame.variable == "f")]
    assert row["value"].item() == tr.gates(1, 1)["f"][2, 0, 1].item()
    # 2 layers × 2 directions × (6 steps alive) × 3 units × 6 variables
    assert len(frame) == 2 * 2 * 6 * 3 * 6


def _kept_bytes(tr) -> int:
    """What a trace's per-step tensors keep alive, views of one storage counted once."""
    storages = {}
    for layer in range(tr.num_layers):
        for direction in range(tr.num_directions):
            tensors = [tr.h(layer, direction), *tr.gates(layer, direction).values()]
            tensors += [tr.c(layer, direction)] if tr.kind == "LSTM" else []
            for t in tensors:
                storage = t.untyped_storage()
                storages[storage.data_ptr()] = storage.nbytes()
    return sum(storages.values())


@pytest.mark.parametrize("spec", [
    rnnviz.LayerSpec(kind="LSTM", input_size=3, hidden_size=16, num_layers=2, bidirectional=True),
    rnnviz.LayerSpec(kind="GRU", input_size=3, hidden_size=16, dtype="float64"),
], ids=["LSTM", "GRU"])
def test_trace_nbytes_covers_what_a_trace_keeps(spec):
    kept = {}
    for steps in (30, 60):
        tr = rnnviz.trace(spec.build(), torch.zeros(steps, 4, 3, dtype=getattr(torch, spec.dtype)))
        kept[steps] = _kept_bytes(tr)
        # kept tensors, plus one layer-direction's working set (how much: measured below)
        assert kept[steps] < trace_nbytes(spec, steps, 4)
    # a longer sequence: the estimate grows at least as much as what the trace really keeps
    assert trace_nbytes(spec, 60, 4) - trace_nbytes(spec, 30, 4) >= kept[60] - kept[30] > 0


@pytest.mark.parametrize("kind", ["LSTM", "GRU", "RNN"])
def test_trace_nbytes_covers_the_measured_peak(kind):
    """The estimate the app's memory budget uses covers what a trace really takes: the growth
    of a fresh process's peak resident size (VmHWM, restarted just before) over one trace at
    the page's largest layer."""
    code = (
        "import sys, torch, rnnviz\n"
        "from rnnviz.shapes import trace_nbytes\n"
        "def kib(field):\n"
        "    lines = open('/proc/self/status')\n"
        "    return next(int(line.split()[1]) for line in lines if line.startswith(field))\n"
        f"spec = rnnviz.LayerSpec(kind='{kind}', input_size=64, hidden_size=512, num_layers=4,\n"
        "                        bidirectional=True)\n"
        "module = spec.build().eval(); x = torch.randn(57, 32, 64)\n"
        "rnnviz.trace(module, x[:2, :2])  # warm up on a tiny input: no large freed blocks to reuse\n"
        "try:\n"
        "    open('/proc/self/clear_refs', 'w').write('5')  # restart the peak (VmHWM) from now\n"
        "except OSError:\n"
        "    sys.exit(3)\n"
        "before = kib('VmRSS:')\n"
        "rnnviz.trace(module, x)\n"
        "print((kib('VmHWM:') - before) * 1024, trace_nbytes(spec, 57, 32))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                            cwd=Path(__file__).resolve().parents[1])
    if result.returncode == 3:
        pytest.skip("this kernel does not let a process restart its peak resident size")
    assert result.returncode == 0, result.stderr
    grown, estimate = map(int, result.stdout.split())
    assert grown <= estimate <= 2 * grown  # covers the peak, without refusing twice too much


def _csv(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data))


def test_trace_csv_is_the_frame_and_its_slices_are_the_frames_rows():
    """The CSV download is the tidy table, written a block at a time: the whole of it equals
    trace_frame row for row, and each slice (a layer, a direction, a sequence, the first steps) is
    exactly the frame's rows of that slice, with one header, in the same order."""
    torch.manual_seed(1)
    module = nn.GRU(2, 3, 2, bidirectional=True).eval()
    x = torch.randn(5, 3, 2)
    tr = rnnviz.trace(module, x)
    frame = trace_frame(tr)
    whole = _csv(trace_csv(tr))
    assert whole.columns.tolist() == frame.columns.tolist()
    assert (whole.drop(columns="value") == frame.drop(columns="value")).all().all()
    assert np.allclose(whole["value"], frame["value"], rtol=1e-9, atol=0)
    # the numbers are torch's: the last layer's h at the last step is the module's h_n
    with torch.no_grad():
        _, h_n = module(x)
    last = whole[(whole.layer == 1) & (whole.direction == 1) & (whole.t == 0) & (whole.variable == "h")]
    assert np.allclose(last.sort_values(["sequence", "unit"])["value"], h_n[3].flatten().double(), atol=1e-6)
    for layer, direction, sequence, steps in [(1, None, None, None), (None, 1, None, None),
                                              (None, None, 2, None), (None, None, None, 2), (0, 1, 1, 3)]:
        part = _csv(trace_csv(tr, layer, direction, sequence, steps))
        rows = frame
        if layer is not None:
            rows = rows[rows.layer == layer]
        if direction is not None:
            rows = rows[rows.direction == direction]
        if sequence is not None:
            rows = rows[rows.sequence == sequence]
        if steps is not None:
            rows = rows[rows.t < steps]
        rows = rows.reset_index(drop=True)
        assert len(part) == len(rows) > 0, (layer, direction, sequence, steps)
        assert (part.drop(columns="value") == rows.drop(columns="value")).all().all()
        assert np.allclose(part["value"], rows["value"], rtol=1e-9, atol=0)
        assert export_values(tr, layer, direction, sequence, steps) == len(rows)


def test_the_csv_holds_every_layer_and_direction_of_an_lstms_cell_state():
    torch.manual_seed(3)
    module = nn.LSTM(2, 3, 2, bidirectional=True).eval()
    x = torch.randn(4, 2, 2)
    with torch.no_grad():
        _, (h_n, c_n) = module(x)
    table = _csv(trace_csv(rnnviz.trace(module, x)))
    for row, (layer, direction) in enumerate([(0, 0), (0, 1), (1, 0), (1, 1)]):
        final = 3 if direction == 0 else 0  # the reverse direction ends at t = 0
        for name, state in (("h", h_n), ("c", c_n)):
            got = table[(table.layer == layer) & (table.direction == direction) & (table.t == final)
                        & (table.variable == name)].sort_values(["sequence", "unit"])["value"]
            assert np.allclose(got, state[row].flatten().double(), atol=1e-6), (name, layer, direction)


@pytest.mark.parametrize(("kind", "per_unit"), [("LSTM", 6), ("GRU", 4), ("RNN", 2)])
def test_export_values_counts_every_row_before_anything_is_written(kind, per_unit):
    """h (and c), and every gate: 6 values a unit for an LSTM (h, c, i, f, g, o), 4 for a GRU
    (h, r, z, n), 2 for an RNN (h, its pre-activation); padding past a packed sequence's end counted."""
    torch.manual_seed(2)
    module = getattr(nn, kind)(2, 4, 3, bidirectional=True).eval()
    x = pack_padded_sequence(torch.randn(6, 3, 2), torch.tensor([6, 4, 1]))
    tr = rnnviz.trace(module, x)
    assert export_values(tr) == 6 * 3 * 3 * 2 * 4 * per_unit
    assert export_values(tr, layer=2) == 6 * 3 * 2 * 4 * per_unit
    assert export_values(tr, direction=0) == 6 * 3 * 3 * 4 * per_unit
    assert export_values(tr, sequence=1) == 6 * 3 * 2 * 4 * per_unit
    assert export_values(tr, steps=4) == 4 * 3 * 3 * 2 * 4 * per_unit
    assert export_values(tr, steps=60) == export_values(tr)  # no more steps than the run has
    # the CSV leaves out the padding: the 6 + 4 + 1 steps alive, of 3 × 6
    written = _csv(trace_csv(tr))
    assert len(written) == export_values(tr) * (6 + 4 + 1) // (3 * 6)
    assert set(written["variable"]) == {"h", *tr.gates(0, 0)} | ({"c"} if kind == "LSTM" else set())


@pytest.mark.parametrize("kind,per_unit", [("RNN", 2), ("LSTM", 6), ("GRU", 4)])
def test_export_values_of_a_one_layer_layer_count_its_rows(kind, per_unit):
    """h (c), and each gate (an RNN's pre-activation), per unit, of a one-layer, one-direction layer."""
    torch.manual_seed(0)
    tr = rnnviz.trace(getattr(nn, kind)(2, 3), torch.randn(4, 2, 2))
    rows = trace_frame(tr)
    assert export_values(tr) == 4 * 2 * 3 * per_unit == len(rows)
