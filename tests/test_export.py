"""The tidy CSV export and the trace memory estimate."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

import rnnviz
from rnnviz.export import trace_frame
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
