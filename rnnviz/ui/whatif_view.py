"""The What if view of a layer page: move one input value and see every later state change, shift a
gate bias and see how long an impulse lasts; and a learner's own layer, loaded from a file."""

from __future__ import annotations

import hashlib

import numpy as np
import streamlit as st
import torch

from rnnviz import plots
from rnnviz.claims import impulse_lasts
from rnnviz.layerfile import (
    LayerFile,
    LayerFileError,
    infer,
    judge,
    layer_nbytes,
    prefixes,
    read_cost,
    read_state_dict,
)
from rnnviz.memory import tensor_bytes
from rnnviz.server.budget import LIGHT_THREADS, RUNS, ServerBusy, cores_for
from rnnviz.ui.claims import impulse_sentence
from rnnviz.ui.controls import FROM_FILE, draw
from rnnviz.ui.run import Run
from rnnviz.ui.table import LAYER
from rnnviz.ui.texts import plot_words, t, translate
from rnnviz.ui.views import chart
from rnnviz.whatif import impulse_response, perturb, shift_gate_bias


def _perturbed(run: Run, sequence: int, step: int, feature: int, delta: float):
    """The perturbation of one run, kept in the server's budget per (run, sequence, t, feature, δ);
    while it is computed it holds two traces' worth of memory."""
    key, estimate = ("perturb", run.key, sequence, step, feature, delta), 3 * tensor_bytes(run.trace)

    def compute():
        with cores_for(estimate):
            return perturb(run.module, run.x, run.hx, sequence, step, feature, delta)

    return RUNS.get_or_build(key, estimate, compute)


def _rows(tr) -> list[str]:
    arrows = ("→", "←")
    return [t("whatif_row", layer=layer, arrow=arrows[d]) for layer in range(tr.num_layers)
            for d in range(tr.num_directions)]


def show_whatif(run: Run) -> None:
    tr = run.trace
    names = run.sequence_names
    sequence = draw(LAYER["sequence"], options=range(tr.batch_size),
                    format_func=lambda b: names[b] if b < len(names) else str(b))
    st.subheader(t("whatif_perturb_title"))
    if not isinstance(run.x, torch.Tensor):
        st.info(t("whatif_needs_padded"))
    else:
        c1, c2, c3 = st.columns(3)
        steps = tr.seq_len
        step = min(draw(LAYER["perturb_t"], c1, high=max(steps - 1, 1), disabled=steps < 2), steps - 1)
        top = run.module.input_size - 1
        feature = min(int(draw(LAYER["feature"], c2, high=top)), top)
        delta = draw(LAYER["delta"], c3)
        change = _perturbed(run, sequence, step, feature, float(delta))
        words = plot_words()
        rows = _rows(tr)
        maps = {name: change.dh[row].double().cpu().numpy() for row, name in enumerate(rows)}
        title = t("whatif_dh_title", t=step, feature=feature, delta=delta)
        chart(plots.gate_heatmaps(maps, title, marker_t=step, words=words, symmetric=True), "chart_whatif_dh")
        if change.dc is not None:
            cells = {name: change.dc[row].double().cpu().numpy() for row, name in enumerate(rows)}
            title = t("whatif_dc_title")
            chart(plots.gate_heatmaps(cells, title, marker_t=step, words=words, symmetric=True),
                  "chart_whatif_dc")
        after = np.arange(steps) >= step if tr.num_directions == 1 else np.ones(steps, dtype=bool)
        curves = {t("whatif_measured"): np.where(after, change.change.double().cpu().numpy(), 0.0),
                  t("whatif_linear"): np.where(after, change.linear.double().cpu().numpy(), 0.0)}
        title, axis = t("whatif_curve_title"), t("whatif_norm")
        chart(plots.gradient_reach_figure(curves, title, words=words, y_title=axis), "chart_whatif_curve")
        st.caption(_before_t(change.dh[:, :step], tr.num_directions))
    if tr.kind in ("LSTM", "GRU"):
        show_bias_shift(run)


def _before_t(before: torch.Tensor, directions: int) -> str:
    """What changed before t: nothing in a forward direction of a one-way stack; both ways, the
    reverse directions and every forward direction above layer 0 (it reads the reverse one below)."""
    if before.shape[1] == 0:
        return t("whatif_at_start")
    if directions == 1:
        return t("whatif_before", forward=before.abs().max().item())
    return t("whatif_before_both", forward=before[0].abs().max().item(),
             reverse=before[1::2].abs().max().item(), upper=before[2::2].abs().max().item() if len(before) > 2
             else 0.0)


def _responses(run: Run, amount: float, steps: int):
    """Impulse responses as built and with the shifted bias (one sequence: small), kept per run."""
    def measure():
        torch.set_num_threads(LIGHT_THREADS)  # one small sequence: a light run
        onset = steps // 4
        return onset, impulse_response(run.module, steps, onset), impulse_response(
            shift_gate_bias(run.module, amount), steps, onset)

    return RUNS.get_or_build(("impulse", run.key, amount, steps), 4 * tensor_bytes(run.module), measure)


def show_bias_shift(run: Run) -> None:
    """Forget (update) gate bias + b: how long an impulse stays, before and after."""
    gate = "f" if run.trace.kind == "LSTM" else "z"
    st.subheader(t("whatif_bias_title", gate=gate))
    if not run.module.bias:
        st.info(t("whatif_no_bias"))
        return
    amount = draw(LAYER["bias_shift"])
    steps = max(run.trace.seq_len, 40)
    onset, before, after = _responses(run, float(amount), steps)
    state = "c" if run.trace.kind == "LSTM" else "h"
    curves = {t("whatif_bias_before"): before.double().cpu().numpy(),
              t("whatif_bias_after", amount=amount): after.double().cpu().numpy()}
    chart(plots.gradient_reach_figure(curves, t("whatif_impulse_title", state=state, onset=onset),
                                      words=plot_words(), y_title=f"‖Δ{state}_t‖"), "chart_whatif_bias")
    lasts = impulse_lasts(before, onset), impulse_lasts(after, onset)
    st.caption(impulse_sentence(*lasts, state, float(amount)))


def _read(digest: str, data: bytes, filename: str) -> dict:
    """The file's tensors, kept in the server's budget by the file's digest. What reading may cost
    (its storages, their copies, the objects its pickle builds) is told from the bytes and reserved
    first; a tensor's views are not copied."""
    return RUNS.get_or_build(("file", digest), read_cost(data), lambda: read_state_dict(data, filename))


FILE_TYPES = ["pt", "pth", "ckpt", "bin", "safetensors"]  # read_state_dict tells what a file is by its bytes


def own_layer(kind: str, dtype: str = "float32") -> tuple[LayerFile | None, str]:
    """The learner's own layer, if a file was given and holds a `kind` the page can show: (found,
    digest). One message says what came of the file: the layer found, or why it cannot run here.
    A refused file keeps nothing in the server's cache."""
    with st.expander(t("own_layer_title"), expanded=bool(st.session_state.get(LAYER["own_layer"].key))):
        upload = draw(LAYER["own_layer"], type=FILE_TYPES)
        if upload is None:
            return None, ""
        data = upload.getvalue()
        digest = hashlib.sha256(data).hexdigest()
        limits = {name: LAYER[name].high for name in FROM_FILE if LAYER[name].high is not None}
        try:
            state = _read(digest, data, upload.name)
            places = prefixes(state)
            prefix = places[0] if places else ""
            if len(places) > 1:
                prefix = draw(LAYER["own_prefix"], options=places, format_func=_prefix_words)
            judge(state, prefix, limits)  # from metadata, before a byte is copied or the budget reserved
            found = RUNS.get_or_build(("infer", digest, prefix), layer_nbytes(state, prefix),
                                      lambda: infer(state, prefix, limits))
        except LayerFileError as error:
            RUNS.discard(("file", digest))
            st.error(translate(error))
            return None, ""
        except ServerBusy:
            st.error(t("server_busy"))
            return None, ""
        spec = found.spec
        if spec.kind != kind:
            st.error(t("own_layer_other_kind", kind=spec.kind, page=kind))
            return None, ""
        notes = [t("own_layer_found", kind=spec.kind, args=_arguments(spec))]
        if found.cell:
            notes.append(t("own_layer_cell", kind=spec.kind))
        if found.file_dtype != dtype:
            notes.append(t("own_layer_dtype", stored=found.file_dtype, runs=dtype,
                           exact=t("own_layer_exact") if _widens(found.file_dtype, dtype)
                           else t("own_layer_rounded", stored=found.file_dtype)))
        if kind == "RNN":
            notes.append(t("own_layer_nonlinearity"))
        st.success(" ".join(notes))
        return found, f"{digest}:{prefix}"


def _widens(stored: str, runs: str) -> bool:
    """Whether every value of `stored` is exactly a value of `runs` (float16 and bfloat16 in float32)."""
    return getattr(torch, runs).itemsize > getattr(torch, stored).itemsize or stored == runs


def _prefix_words(prefix: str) -> str:
    return prefix or t("own_prefix_none")


def _arguments(spec) -> str:
    text = f"{spec.input_size}, {spec.hidden_size}, num_layers={spec.num_layers}, bias={spec.bias}, " \
           f"bidirectional={spec.bidirectional}"
    return text + (f", proj_size={spec.proj_size}" if spec.proj_size else "")
