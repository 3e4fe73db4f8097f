"""Build, feed and trace a layer, cached per configuration so view-only changes cost nothing."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

import streamlit as st
import torch

from rnnviz.inputs import InputSource, make_input
from rnnviz.memory import reuse_freed_memory
from rnnviz.shapes import CallShapes, describe_call
from rnnviz.spec import LayerSpec
from rnnviz.trace import Trace, trace

TRACE_BUDGET_MB = float(os.environ.get("RNNVIZ_TRACE_BUDGET_MB", "300"))
# One torch thread per run: many sessions share a server, and on a small layer a second
# thread only spins (measured with bench/latency.py; see README "Configuration").
TORCH_THREADS = int(os.environ.get("RNNVIZ_TORCH_THREADS", "1"))
CACHE_ENTRIES = int(os.environ.get("RNNVIZ_CACHE_ENTRIES", "16"))
# Keep freed buffers for the next trace instead of page-faulting them in again (see
# rnnviz/memory.py and README "Configuration"); 0 leaves glibc's defaults.
if os.environ.get("RNNVIZ_REUSE_FREED_MEMORY", "1") != "0":
    reuse_freed_memory()
model_runs = {"count": 0}  # how often the model really ran (tests read it)


@dataclass
class Run:
    """One traced call and what the page shows about it."""

    trace: Trace
    module: object  # the torch module that ran
    shapes: CallShapes
    code: str
    seconds: float
    device: str
    sequence_names: list[str]


@st.cache_resource(max_entries=CACHE_ENTRIES, show_spinner=False)  # callers show a translated spinner
def traced_run(spec: LayerSpec, source: InputSource) -> Run:
    """Build `spec`, make its input from `source`, trace the call. Cached per (spec, source)."""
    model_runs["count"] += 1
    torch.set_num_threads(TORCH_THREADS)
    start = time.perf_counter()
    module = spec.build()
    inputs = make_input(spec, source)
    x, hx = inputs.call_args()
    result = trace(module, x, hx)
    seconds = time.perf_counter() - start
    shapes = describe_call(module, x, hx, result)  # a Trace: its call was checked already
    steps = inputs.x.shape[1] if (spec.batch_first and inputs.x.dim() == 3) else inputs.x.shape[0]
    batch = 1 if inputs.x.dim() == 2 else inputs.x.shape[0 if spec.batch_first else 1]
    code = spec.code(seq_len=steps, batch_size=batch, with_h0=hx is not None, batched=inputs.x.dim() == 3)
    return Run(
        trace=result,
        module=module,
        shapes=shapes,
        code=code,
        seconds=seconds,
        device=str(module.weight_ih_l0.device),
        sequence_names=inputs.sequence_names,
    )
