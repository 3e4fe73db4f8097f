"""A trace as a tidy table: one row per (layer, direction, sequence, t, unit, variable).

`trace_frame` builds the whole table (for notebooks); `trace_csv` writes it as CSV one
(layer, direction, variable) block at a time, optionally only one layer, direction and
sequence, so its memory is the text it returns plus one block; `export_values` counts the
values an export holds, so a caller can choose the slice before writing anything."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from rnnviz.trace import Trace

CSV_BYTES_PER_VALUE = 40  # a row "layer,direction,sequence,t,unit,variable,value" is about this long


def _blocks(trace: Trace, layer: int | None = None, direction: int | None = None,
            sequence: int | None = None, steps: int | None = None):
    """(layer, direction, variable name, (T, N', units) array) for every block of the table."""
    layers = range(trace.num_layers) if layer is None else [layer]
    directions = range(trace.num_directions) if direction is None else [direction]
    for lay in layers:
        for d in directions:
            variables = {"h": trace.h(lay, d)}
            if trace.kind == "LSTM":
                variables["c"] = trace.c(lay, d)
            variables.update(trace.gates(lay, d))
            for name, tensor in variables.items():
                values = tensor[:steps] if sequence is None else tensor[:steps, sequence:sequence + 1]
                yield lay, d, name, values.detach().cpu().double().numpy()


def _frame(lay: int, d: int, name: str, values: np.ndarray, sequence: int | None) -> pd.DataFrame:
    t, n, u = np.indices(values.shape)
    frame = pd.DataFrame({"layer": lay, "direction": d, "sequence": n.ravel() + (sequence or 0),
                          "t": t.ravel(), "unit": u.ravel(), "variable": name, "value": values.ravel()})
    return frame[np.isfinite(frame["value"])]  # NaN rows (past a packed sequence's end) are left out


def trace_frame(trace: Trace) -> pd.DataFrame:
    """Columns layer, direction, sequence, t, unit, variable, value; NaN rows (past a packed
    sequence's end) are left out."""
    return pd.concat([_frame(*block, None) for block in _blocks(trace)], ignore_index=True)


def export_values(trace: Trace, layer: int | None = None, direction: int | None = None,
                  sequence: int | None = None, steps: int | None = None) -> int:
    """How many values (rows) an export of this slice holds, NaN padding included."""
    per_direction = trace.h(0).shape[-1] + (trace.c(0).shape[-1] if trace.kind == "LSTM" else 0)
    per_direction += sum(g.shape[-1] for g in trace.gates(0).values())  # every layer and direction alike
    layers = trace.num_layers if layer is None else 1
    directions = trace.num_directions if direction is None else 1
    batch = trace.batch_size if sequence is None else 1
    return min(steps or trace.seq_len, trace.seq_len) * batch * layers * directions * per_direction


def trace_csv(trace: Trace, layer: int | None = None, direction: int | None = None,
              sequence: int | None = None, steps: int | None = None) -> bytes:
    """The table (or the slice of one layer, direction, sequence and the first `steps` steps) as
    UTF-8 CSV bytes."""
    out = io.BytesIO()
    for index, block in enumerate(_blocks(trace, layer, direction, sequence, steps)):
        out.write(_frame(*block, sequence).to_csv(index=False, header=index == 0).encode())
    return out.getvalue()
