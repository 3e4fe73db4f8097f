"""Build, feed and trace a layer, kept in the server's budgeted cache (rnnviz.server.budget) per
configuration, so view-only changes cost nothing."""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from rnnviz.inputs import InputSource, input_extent, make_input
from rnnviz.layerfile import LayerFile, rebuild
from rnnviz.memory import reuse_freed_memory
from rnnviz.server.budget import RUNS, cores_for
from rnnviz.shapes import CallShapes, describe_call, trace_nbytes
from rnnviz.spec import LayerSpec
from rnnviz.trace import Trace, trace

TRACE_BUDGET_MB = float(os.environ.get("RNNVIZ_TRACE_BUDGET_MB", "300"))
# Keep freed buffers for the next trace instead of page-faulting them in again (see
# rnnviz/memory.py and README "Configuration"); 0 leaves glibc's defaults.
if os.environ.get("RNNVIZ_REUSE_FREED_MEMORY", "1") != "0":
    reuse_freed_memory()
_run_keys = itertools.count(1)
CODE_SOURCES = ("random", "sine", "step", "impulse", "text")  # inputs the snippet makes as the page does
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
    key: int  # unique per run in this process (what-if results are cached under it)
    x: object  # the call's input: a tensor in the layer's layout, or a PackedSequence
    hx: object  # the call's initial state (None: zeros)


def traced_run(spec: LayerSpec, source: InputSource, weights: str = "", found: LayerFile | None = None,
               on_wait: Callable[[], None] | None = None) -> Run:
    """Build `spec` (with the parameters of `found`, a learner's own layer whose digest is `weights`),
    make its input from `source`, trace the call. Kept in the server's budgeted cache per
    (spec, source, weights); `on_wait` is called if the run has to queue for memory or cores."""
    estimate = trace_nbytes(spec, *input_extent(source))
    return RUNS.get_or_build((spec, source, weights), estimate,
                             lambda: _build(spec, source, found, estimate, on_wait), on_wait)


def _build(spec: LayerSpec, source: InputSource, found: LayerFile | None, estimate: int, on_wait) -> Run:
    model_runs["count"] += 1
    with cores_for(estimate, on_wait):
        start = time.perf_counter()
        module = spec.build() if found is None else rebuild(found, spec)
        inputs = make_input(spec, source)
        x, hx = inputs.call_args()
        result = trace(module, x, hx)
        seconds = time.perf_counter() - start
    shapes = describe_call(module, x, hx, result)  # a Trace: its call was checked already
    steps = inputs.x.shape[1] if (spec.batch_first and inputs.x.dim() == 3) else inputs.x.shape[0]
    batch = 1 if inputs.x.dim() == 2 else inputs.x.shape[0 if spec.batch_first else 1]
    code = spec.code(seq_len=steps, batch_size=batch, with_h0=hx is not None, batched=inputs.x.dim() == 3,
                     source=source if source.kind in CODE_SOURCES else None, layer_file=found)
    return Run(trace=result, module=module, shapes=shapes, code=code, seconds=seconds,
               device=str(module.weight_ih_l0.device),
               # text and CSV name their sequences; a signal's are numbered by the page, in its language
               sequence_names=inputs.sequence_names if source.kind in ("text", "csv") else [],
               key=next(_run_keys), x=x, hx=hx)
