"""A trace as a tidy table: one row per (layer, direction, sequence, t, unit, variable)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rnnviz.trace import Trace


def trace_frame(trace: Trace) -> pd.DataFrame:
    """Columns layer, direction, sequence, t, unit, variable, value; NaN rows (past a packed
    sequence's end) are left out."""
    frames = []
    for layer in range(trace.num_layers):
        for direction in range(trace.num_directions):
            variables = {"h": trace.h(layer, direction)}
            if trace.kind == "LSTM":
                variables["c"] = trace.c(layer, direction)
            variables.update(trace.gates(layer, direction))
            for name, tensor in variables.items():
                values = tensor.detach().cpu().double().numpy()  # (T, N, units)
                t, n, u = np.indices(values.shape)
                frame = pd.DataFrame({
                    "layer": layer, "direction": direction, "sequence": n.ravel(), "t": t.ravel(),
                    "unit": u.ravel(), "variable": name, "value": values.ravel(),
                })
                frames.append(frame[np.isfinite(frame["value"])])
    return pd.concat(frames, ignore_index=True)
