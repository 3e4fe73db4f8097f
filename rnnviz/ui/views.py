"""The three views of a traced call, one at a time; figures come from rnnviz.plots."""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import asdict

import streamlit as st

from rnnviz import plots
from rnnviz.export import CSV_BYTES_PER_VALUE, export_values, trace_csv
from rnnviz.server.budget import RUNS, ServerBusy, cores_for
from rnnviz.spec import LayerSpec
from rnnviz.stepthrough import step_equations, worked_text
from rnnviz.ui import downloads
from rnnviz.ui.controls import draw
from rnnviz.ui.presenter import KEY as PRESENTING
from rnnviz.ui.run import Run
from rnnviz.ui.table import LAYER
from rnnviz.ui.texts import language, plot_words, t

PLAY_SECONDS = 0.6  # between two steps while playing
EXPORT_VALUES = int(os.environ.get("RNNVIZ_EXPORT_VALUES", "250000"))  # ~10 MB of CSV, written in ~0.5 s




def chart(figure, key: str) -> None:
    """A figure across its column, under a key (so a rerun updates it in place)."""
    st.plotly_chart(figure, key=key, width="stretch")


def figure_bytes(figure) -> int:
    """What a kept plotly figure holds: about its JSON's length in Python objects (measured 0.7-1.9×
    for this app's heatmaps, lines and gate panels), counted twice, plus the objects around it."""
    return 2 * len(figure.to_json()) + 16 * 2**10


def shared_chart(what: tuple, build: Callable[[], object], key: str) -> None:
    """`chart(build(), key)`, with the figure built once for the whole server: `what` names everything
    it shows (the run's key, the view's choices; the language and projector scale are added here), so
    a class following one view costs one figure, kept in the server's budget (rnnviz.server.budget)."""
    scale = 1.5 if st.session_state.get(PRESENTING) else 1.0
    try:  # nothing reserved while it is built (a figure is small): drawing never waits for the budget
        figure = RUNS.get_or_build(("figure", *what, language(), scale), 0, build, size=figure_bytes)
    except ServerBusy:  # the budget is overcommitted by other builds: draw it without keeping it
        figure = build()
    chart(figure, key)


def _numpy(tensor, sequence: int):
    return tensor[:, sequence].detach().cpu().double().numpy()


def show_views(run: Run, view: str) -> None:
    """Shapes, Hidden states or Gates (What if is rnnviz.ui.whatif_view's)."""
    if view == "Shapes":
        show_shapes(run)
    else:
        show_states_or_gates(run, view)


def show_shapes(run: Run) -> None:
    tr = run.trace
    scale = 1.5 if st.session_state.get(PRESENTING) else 1.0  # a projector's larger text, a wider chart
    shared_chart(("shapes", run.key), lambda: plots.shapes_diagram(
        run.shapes.tensors, tr.num_layers, tr.num_directions, tr.kind, words=plot_words(), scale=scale),
        "chart_shapes")
    # a markdown table: st.table of a DataFrame cost ~9 ms of every rerun (py-spy, bench/latency.py)
    rows = [f"| `{t.name}` | {tuple(t.shape)} | {', '.join(t.dims)} | {t.numel:,} |"
            for t in run.shapes.parameters()]
    header = " | ".join(t(key) for key in ("col_name", "col_shape", "col_dims", "col_count"))
    st.markdown("\n".join([f"| {header} |", "|---|---|---|--:|", *rows]))
    st.markdown(t("total_parameters", count=run.shapes.num_parameters))
    st.code(run.code, language="python")


def show_states_or_gates(run: Run, view: str) -> None:
    tr = run.trace
    c1, c2, c3 = st.columns(3)
    layer = draw(LAYER["layer"], c1, options=range(tr.num_layers), format_func=str)
    direction = draw(LAYER["direction"], c2, options=range(tr.num_directions),
                     format_func=lambda d: t(["forward", "reverse"][d]))
    names = run.sequence_names
    sequence = draw(LAYER["sequence"], c3, options=range(tr.batch_size),
                    format_func=lambda b: names[b] if b < len(names) else str(b))
    steps = int(tr.lengths[sequence]) if tr.lengths is not None else tr.seq_len
    where = t("where", layer=layer, direction=direction, sequence=sequence)
    step = step_controls(steps)
    words = plot_words()
    # one chart at a time: each plotly chart costs the browser ~50–100 ms to draw (bench/latency.py)
    if view == "Hidden states":
        kinds = LAYER["chart"].options if tr.kind == "LSTM" else LAYER["chart"].options[:-1]
        shown = draw(LAYER["chart"], options=kinds)
        dims = draw(LAYER["pca_dims"], format_func=lambda d: f"{d}-D") if shown == "trajectory" else None

        def states(which):
            return _numpy(which(layer, direction), sequence)[:steps]

        figures = {  # the chart: its title's words, its key, its figure
            "heatmap": ("title_h_heatmap", "chart_h_heatmap",
                        lambda title: plots.state_heatmap(states(tr.h), title, marker_t=step, words=words)),
            "lines": ("title_h", "chart_h_lines",
                      lambda title: plots.state_lines(states(tr.h), title, marker_t=step, words=words)),
            "trajectory": ("title_pca", "chart_h_pca",
                           lambda title: plots.trajectory(states(tr.h), title, dims, words=words,
                                                          marker_t=step)),
            "cell": ("title_c", "chart_c_heatmap",
                     lambda title: plots.state_heatmap(states(tr.c), title, marker_t=step, words=words)),
        }
        title_key, key, figure = figures[shown]
        title = t(title_key, where=where)
        shared_chart((run.key, layer, direction, sequence, step, shown, dims), lambda: figure(title), key)
    else:
        def gates():
            return {name: _numpy(t, sequence)[:steps] for name, t in tr.gates(layer, direction).items()}

        what = (run.key, layer, direction, sequence)
        title = t("title_gates", where=where)
        shared_chart((*what, step, "gates"),
                     lambda: plots.gate_heatmaps(gates(), title, marker_t=step, words=words), "chart_gates")
        if tr.kind != "RNN" and draw(LAYER["saturation"]):
            shared_chart((*what, "saturation"), lambda: plots.saturation_histogram(gates(), words=words),
                         "chart_saturation")
    show_equations(run, layer, direction, sequence, step)


STEP, PLAY = LAYER["t"].key, LAYER["play"].key
PENDING = "_step_pending"  # set by keep_playing() before its rerun: move the marker one step on


def _move_step(delta: int, steps: int) -> None:
    st.session_state[STEP] = min(max(st.session_state.get(STEP, 0) + delta, 0), steps - 1)


def step_controls(steps: int) -> int:
    """The step-through time step: a slider, previous/next buttons and play."""
    state = st.session_state
    if state.get(STEP, 0) >= steps:
        state[STEP] = steps - 1
    if state.pop(PENDING, False) and state.get(PLAY):
        if state[STEP] >= steps - 1:
            state[PLAY] = False  # the marker reached the end: stop
        else:
            state[STEP] += 1
    c1, c2, c3, c4 = st.columns([5, 1, 1, 2])
    step = draw(LAYER["t"], c1, high=max(steps - 1, 1), disabled=steps < 2)
    c2.button("◀", key="step_back", help=t("help_step_back"), on_click=_move_step, args=(-1, steps))
    c3.button("▶", key="step_next", help=t("help_step_next"), on_click=_move_step, args=(1, steps))
    draw(LAYER["play"], c4)
    return min(step, steps - 1)


def keep_playing() -> None:
    """While play is on: wait a moment, then rerun one step further (the model stays cached)."""
    if st.session_state.get(PLAY) and st.session_state.get(LAYER["view"].key) != "Shapes":
        st.session_state[PENDING] = True
        time.sleep(PLAY_SECONDS)
        st.rerun()


def show_equations(run: Run, layer: int, direction: int, sequence: int, step: int) -> None:
    """One unit's equations at the chosen step, with the layer's numbers plugged in."""
    hidden = run.module.hidden_size
    unit = draw(LAYER["unit"], high=hidden - 1)
    lines = step_equations(run.module, run.trace, layer, direction, sequence, step, min(unit, hidden - 1))
    st.markdown(t("by_hand", step=step, unit=unit))
    st.code(worked_text(lines), language=None, wrap_lines=True)  # one step of the working per row: narrow


def _slice(tr) -> tuple:
    """The whole trace; above EXPORT_VALUES values, the layer, direction and sequence on screen;
    and if that is still too much, its first steps."""
    if export_values(tr) <= EXPORT_VALUES:
        return None, None, None, None
    state = st.session_state
    part = (min(state.get(LAYER["layer"].key) or 0, tr.num_layers - 1),
            min(state.get(LAYER["direction"].key) or 0, tr.num_directions - 1),
            min(state.get(LAYER["sequence"].key) or 0, tr.batch_size - 1))
    per_step = export_values(tr, *part, steps=1)
    return (*part, min(tr.seq_len, max(EXPORT_VALUES // per_step, 1)))


PREPARE = "_csv_prepare"  # session state: the large export this learner asked for (its key)


def _ask_for(key) -> None:
    st.session_state[PREPARE] = key


def show_proof_and_downloads(run: Run, spec: LayerSpec, again: Callable[[], Run] | None = None) -> None:
    """The proof line, and downloads that always arrive (rnnviz.ui.downloads says how): ready bytes,
    kept in the server's budget and pinned in Streamlit's media store, at the same place and under
    the same key on every rerun. A small CSV is ready with its run; a large one (the slice on screen,
    at most EXPORT_VALUES values) is written when asked for, from this run. (`again` is not needed:
    the run is at hand while the page draws.)"""
    tr = run.trace
    st.caption(t("proof", error=tr.max_abs_error, device=run.device, ms=run.seconds * 1e3,
                     gates=t(f"gates_{tr.gate_source}")))
    part = _slice(tr)
    values = export_values(tr, *part)
    size = values * CSV_BYTES_PER_VALUE
    key = ("csv", run.key, *part)

    def write() -> bytes:
        with cores_for(0):
            return trace_csv(tr, *part)

    d1, d2 = st.columns(2)
    small = values <= downloads.READY_VALUES
    if not small and st.session_state.get(PREPARE) != key:
        d1.button(t("prepare_csv", mb=size / 1e6), key="prepare_csv", on_click=_ask_for, args=(key,),
                  help=t("help_prepare_csv", mb=size / 1e6))
    else:
        writing = not small and not downloads.is_ready(key)
        try:
            with d1, st.spinner(t("preparing_csv")) if writing else contextlib.nullcontext():
                csv = downloads.ready(key, 3 * size, write, "text/csv", "rnnviz_trace.csv")
        except ServerBusy:
            d1.error(t("server_busy"))
        else:
            d1.download_button(t("download_csv"), csv.data, file_name="rnnviz_trace.csv", mime="text/csv",
                               key="download_csv", on_click="ignore",
                               help=t("help_download_csv", mb=len(csv.data) / 1e6))
    if part[0] is not None:
        d1.caption(t("export_slice", layer=part[0], direction=part[1], sequence=part[2], steps=part[3],
                     limit=EXPORT_VALUES))
    config = json.dumps(asdict(spec), indent=2).encode()
    try:
        ready = downloads.ready(("json", config), len(config), lambda: config, "application/json",
                                "rnnviz_config.json")
    except ServerBusy:
        return
    d2.download_button(t("download_json"), ready.data, file_name="rnnviz_config.json",
                       mime="application/json", key="download_json", on_click="ignore",
                       help=t("help_download_json"))
