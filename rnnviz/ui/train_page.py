"""The Train page: a real layer learns a small task live; checkpoints show its states and gates."""

from __future__ import annotations

import secrets
from dataclasses import replace

import streamlit as st
import torch

from rnnviz import plots
from rnnviz.compare import matched_hidden_size
from rnnviz.inputs import InputError, InputSource
from rnnviz.race import race_rows, winner
from rnnviz.readers import csv_sequences
from rnnviz.server import jobs as train_jobs
from rnnviz.server.budget import RUNS, ServerBusy
from rnnviz.shapes import trace_nbytes
from rnnviz.spec import LayerSpec, SpecError
from rnnviz.tasks import TaskError, make_task
from rnnviz.trace import trace
from rnnviz.train import TrainConfig, config_problems, load_checkpoint, probe
from rnnviz.ui.controls import draw, keep_or_default
from rnnviz.ui.fragments import timed_fragment
from rnnviz.ui.router import ensure_router
from rnnviz.ui.sidebar import sidebar
from rnnviz.ui.table import LONG_MEMORY, TRAIN, defaults, url_controls
from rnnviz.ui.text_view import corpus_text, read_trained
from rnnviz.ui.texts import plot_words, t, translate
from rnnviz.ui.url_state import bind_url, write_url
from rnnviz.ui.views import chart, shared_chart

JOB = "train_job"  # the job this session watches (rnnviz.server.jobs.Job: maybe shared with others)
SHOWN = "train_shown"  # the job whose end the page has already redrawn for
WATCHER = "train_watcher"  # this session's token among a job's watchers
LAUNCH = "train_launch_race"  # set by the long-memory button: race what the controls now hold
POLL_SECONDS = 0.5
KINDS = ("RNN", "LSTM", "GRU")


def _controls(settings: dict) -> tuple[TrainConfig | None, str]:
    """The page's widgets -> a TrainConfig for the chosen kind, or None and a message."""
    task_name = draw(TRAIN["task"])
    symbols, text, series = 4, "", None
    if task_name == "recall":
        symbols = draw(TRAIN["symbols"])
    if task_name == "text":
        text = corpus_text(TRAIN, draw(TRAIN["text"]))
    if task_name == "series":
        upload = draw(TRAIN["csv"])
        try:
            series = _series(upload.getvalue()) if upload is not None else None
        except InputError as error:
            return None, translate(error)
    c1, c2 = st.columns(2)
    kind = draw(TRAIN["kind"], c1)
    arguments = {
        name: draw(TRAIN[name], column)
        for name, column in (("hidden_size", c2), ("num_layers", c1), ("dropout", c2))
    }
    if kind == "RNN":
        arguments["nonlinearity"] = draw(TRAIN["nonlinearity"], c1)
    if kind == "LSTM":
        arguments["proj_size"] = int(draw(TRAIN["proj_size"], c2))
    for name in ("bias", "batch_first", "bidirectional"):  # one a row: a label never cut
        arguments[name] = draw(TRAIN[name])
    o1, o2 = st.columns(2)
    seq_len, lr = draw(TRAIN["seq_len"], o1), draw(TRAIN["lr"], o2)
    batch_size, steps = draw(TRAIN["batch_size"], o1), draw(TRAIN["steps"], o2)
    clip = draw(TRAIN["clip"], o1)
    forget_bias = 1.0 if draw(TRAIN["forget_bias"]) else None  # a row of its own
    if series is None and task_name == "series":
        return None, t("train_need_csv")
    try:
        task = make_task(task_name, symbols=symbols, text=text, series=series)
        spec = LayerSpec(kind=kind, input_size=task.features, train=True, **arguments, **settings)
        spec.validate()
        config = TrainConfig(spec=spec, task=task, seq_len=seq_len, batch_size=batch_size, steps=steps, lr=lr,
                             clip=clip, seed=settings["seed"], max_seconds=train_jobs.TRAIN_SECONDS,
                             forget_bias=forget_bias)
        config_problems(config)
    except (TaskError, SpecError, InputError) as error:
        return None, translate(error)
    return config, ""


def _series(raw: bytes) -> torch.Tensor:
    """The uploaded series, read and checked as the layer pages read a CSV (UTF-8, caps, finite values)."""
    series, _, _ = csv_sequences(InputSource(kind="csv", csv=raw))
    return series[0]


def _race(config: TrainConfig, matched: bool) -> dict[str, TrainConfig]:
    """RNN, LSTM and GRU on the same task and seed: the same hidden_size, or the LSTM's parameter count."""
    lstm = config.spec.replace(kind="LSTM", nonlinearity="tanh")
    configs = {}
    for kind in KINDS:
        spec = lstm.replace(kind=kind, proj_size=lstm.proj_size if kind == "LSTM" else 0)
        if matched:
            spec = spec.replace(hidden_size=matched_hidden_size(lstm, kind))
        configs[f"{kind} ({spec.hidden_size})"] = replace(config, spec=spec)
    return configs


def _watcher() -> str:
    return st.session_state.setdefault(WATCHER, secrets.token_hex(8))


def _live(job: train_jobs.Job) -> None:
    """Progress, loss and gradient norm; polled while the job waits or runs."""
    job.touch(_watcher())
    if job.queued:
        train_jobs.poll()
        place, seconds = job.place()
        if place:
            st.info(t("train_queued", place=place, seconds=seconds, slots=train_jobs.TRAIN_SLOTS))
            return
    others = sum(1 for name in job.watchers if name != _watcher())
    if others:
        st.caption(t("train_shared", others=others))
    done, total = job.done_steps(), job.total_steps()
    state = "train_running" if job.running else "train_finished"
    st.progress(min(done / max(total, 1), 1.0), text=t(state, done=done, total=total))
    words = plot_words()
    first = next(iter(job.configs.values()))
    runs = {name: h.snapshot() for name, h in job.histories.items()}
    chance = None if first.task.classes else first.task.chance
    named = None if chance is None else t("train_baseline_line", value=chance)
    chart(plots.curves_figure(runs, t("loss_title"), t("loss"), log_y=True, chance=chance, words=words,
                              chance_name=named), "chart_train_loss")
    if first.task.classes:
        accuracy = {name: {"val_step": run["val_step"], "val": run["accuracy"]} for name, run in runs.items()}
        title = t("accuracy_title", chance=first.task.chance)
        chart(plots.curves_figure(accuracy, title, t("accuracy"), chance=first.task.chance, words=words,
                                  chance_name=t("train_chance_line", value=first.task.chance)),
              "chart_train_accuracy")
    if len(runs) == 1:
        run = next(iter(runs.values()))
        chart(plots.grad_norm_figure(run["step"], run["grad_norm"], first.clip, t("grad_title"), words=words),
              "chart_train_grad")
    if job.error is not None:
        st.error(t("train_error", error=job.error))
    if not job.running and st.session_state.get(SHOWN) != job.id:
        st.session_state[SHOWN] = job.id
        st.rerun()  # the whole page: the checkpoints can now be scrubbed


def _checkpoints(job: train_jobs.Job) -> None:
    """A training-step slider over the kept checkpoints, and the layer inside at that step."""
    names = list(job.histories)
    name = draw(TRAIN["run"], options=names, format_func=str) if len(names) > 1 else names[0]
    config, history = job.configs[name], job.histories[name]
    steps = [step for step, _ in history.checkpoints]
    if not steps:
        return
    if st.session_state.get(TRAIN["checkpoint"].key) not in steps:
        st.session_state[TRAIN["checkpoint"].key] = steps[-1]
    step = st.select_slider(
        t("training_checkpoint"), steps, key=TRAIN["checkpoint"].key, help=t("help_checkpoint")
    )
    what = ("checkpoint", job.id, name, step)
    estimate = trace_nbytes(config.spec, config.seq_len, 1) + 2 * _model_bytes(config)
    state = dict(history.checkpoints)[step]
    try:
        model, tr = RUNS.get_or_build(what, estimate, lambda: _look_inside(config, state))
    except ServerBusy:
        st.error(t("server_busy"))
        return
    words = plot_words()
    where = t("probe_where", step=step)
    title = t("title_h_heatmap", where=where)
    shared_chart((*what, "h"), lambda: plots.state_heatmap(tr.h(0, 0)[:, 0].double().cpu().numpy(), title,
                                                           words=words), "chart_train_h")
    if config.spec.kind != "RNN":
        title = t("title_gates", where=where)
        shared_chart((*what, "gates"), lambda: plots.gate_heatmaps(
            {g: v[:, 0].double().cpu().numpy() for g, v in tr.gates(0, 0).items()}, title, words=words),
            "chart_train_gates")
    st.caption(t("probe_caption", error=tr.max_abs_error, task=t(config.task.name)))
    read_trained(TRAIN, model, config, (job.id, name, step))


def _model_bytes(config: TrainConfig) -> int:
    element = 8 if config.spec.dtype == "float64" else 4
    return element * config.spec.num_parameters()


def _look_inside(config: TrainConfig, state: dict) -> tuple:
    """A checkpoint's model and its trace on the task's probe: built once for every session watching
    the job (a class that trained together scrubs the same checkpoints)."""
    model = load_checkpoint(config, state)
    with torch.no_grad():
        return model, trace(model.rnn, probe(config))


def _launch(configs: dict[str, TrainConfig]) -> None:
    """Button callback: leave the job this session watched, and watch the one for `configs` (the
    same settings as another session's share its job; other settings wait their turn)."""
    job = st.session_state.get(JOB)
    if isinstance(job, train_jobs.Job):
        job.leave(_watcher())
    st.session_state[JOB] = train_jobs.submit(configs, _watcher())


def _long_memory() -> None:
    """Button callback: the long-memory experiment's controls; the rerun races them (see LAUNCH)."""
    st.session_state.update({TRAIN[name].key: value for name, value in LONG_MEMORY.items()})
    st.session_state[LAUNCH] = True


def _stop() -> None:
    job = st.session_state.get(JOB)
    if isinstance(job, train_jobs.Job):
        job.leave(_watcher())


def _race_table(job: train_jobs.Job) -> None:
    """A race's result: each run against the constant answer, and who won."""
    rows = race_rows(job.configs, job.histories, job.seconds)
    first = next(iter(job.configs.values()))
    classes = first.task.classes
    head = [t(key) for key in ("race_run", "race_parameters", "race_final", "race_learned", "race_steps",
                               "race_seconds")]
    lines = [f"| {' | '.join(head)} |", "|---|--:|--:|---|--:|--:|"]
    for row in rows:
        final = "–" if row.final is None else (f"{row.accuracy:.1%}" if classes and row.accuracy is not None
                                                else f"{row.final:.4f}")
        seconds = "–" if row.seconds is None else f"{row.seconds:.1f}"
        lines.append(f"| {row.name} | {row.parameters:,} | {final} | {t('yes' if row.learned else 'no')} | "
                     f"{row.steps:,} | {seconds} |")
    st.markdown("\n".join(lines))
    best = winner(rows)
    learned = [row.kind for row in rows if row.learned]
    baseline = t("race_baseline_classes" if classes else "race_baseline_mse", value=first.task.chance)
    if best is not None:
        names = ", ".join(learned) if learned else t("race_none")
        st.markdown(t("race_verdict", best=best.name, learned=names, baseline=baseline))


def train_page() -> None:
    ensure_router()
    link = url_controls(TRAIN)
    notices = bind_url(link)
    keep_or_default(defaults(TRAIN))
    st.header(t("train_title"))
    for notice in notices:
        st.warning(notice)
    settings = sidebar()
    st.markdown(t("train_intro"))
    st.button(t("train_long_memory"), key="train_long_memory", on_click=_long_memory,
              help=t("help_train_long_memory", **LONG_MEMORY))
    st.caption(t("train_long_memory_what", seq_len=LONG_MEMORY["seq_len"]))
    left, right = st.columns([1, 2], gap="large")
    with left:
        actions = st.container()  # the buttons first, beside "press Train": filled once the controls are read
        config, problem = _controls(settings)
        matched = draw(TRAIN["matched"])
        if st.session_state.pop(LAUNCH, False) and config is not None:
            _launch(_race(config, matched))
    with actions:
        b1, b3 = st.columns(2)  # Train and Stop side by side, the race below: each as wide as it can be
        single = {config.spec.kind: config} if config is not None else {}
        b1.button(t("train_start"), key="train_start", help=t("help_train_start"), type="primary",
                  disabled=config is None, on_click=_launch, args=(single,), width="stretch")
        b3.button(t("train_stop"), key="train_stop", help=t("help_train_stop"), on_click=_stop,
                  width="stretch")
        st.button(t("train_race"), key="train_race", help=t("help_train_race"), disabled=config is None,
                  on_click=_launch, args=(_race(config, matched) if config is not None else {},),
                  width="stretch")
    write_url(link)
    job = st.session_state.get(JOB)
    with right:
        if problem:
            st.error(problem)
        if job is None:
            if not problem:  # "press Train" only when Train can be pressed: one message per outcome
                st.info(t("train_hint"))
            return
        timed_fragment(_live, POLL_SECONDS if job.running else None, job)
        if not job.running:
            if len(job.configs) > 1:
                _race_table(job)
            for name, history in job.histories.items():  # each run of a race has its own limit
                end = t(f"train_end_{history.stopped or 'stopped'}", seconds=train_jobs.TRAIN_SECONDS)
                st.caption(f"{name}: {end}")
            _checkpoints(job)
