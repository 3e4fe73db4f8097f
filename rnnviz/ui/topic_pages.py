"""Pages that teach across layer kinds: compare, gradients through time, packed sequences."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from rnnviz import plots
from rnnviz.claims import VANISHED, vanishing
from rnnviz.compare import ONE_BLOCK, gate_parameter_counts, matched_hidden_size
from rnnviz.gradients import reach_of
from rnnviz.inputs import InputError, InputSource
from rnnviz.packing import packing_example
from rnnviz.spec import KINDS, LayerSpec, SpecError
from rnnviz.ui.claims import gradient_sentence
from rnnviz.ui.controls import draw, keep_or_default
from rnnviz.ui.router import ensure_router
from rnnviz.ui.run import traced_run
from rnnviz.ui.sidebar import sidebar
from rnnviz.ui.table import COMPARE, GRADIENTS, PACKING, defaults, url_controls
from rnnviz.ui.texts import plot_words, t, translate
from rnnviz.ui.url_state import bind_url, write_url
from rnnviz.ui.views import chart


def _start(title: str, table: dict) -> dict:
    """Route, read the link, set defaults, draw the header and the sidebar."""
    ensure_router()
    notices = bind_url(url_controls(table))
    keep_or_default(defaults(table))
    st.header(title)
    for notice in notices:
        st.warning(notice)
    return sidebar()


def compare_page() -> None:
    settings = _start(t("compare_title"), COMPARE)
    input_size, hidden_size, seq_len, source = (draw(COMPARE[name], column) for name, column in zip(
        ("input_size", "hidden_size", "seq_len", "source"), st.columns(4)))
    matched = draw(COMPARE["matched"])
    write_url(url_controls(COMPARE))
    lstm = LayerSpec(kind="LSTM", input_size=input_size, hidden_size=hidden_size, **settings)
    specs = {kind: lstm.replace(kind=kind,
                                hidden_size=matched_hidden_size(lstm, kind) if matched else hidden_size)
             for kind in KINDS}
    inputs = InputSource(kind=source, seq_len=seq_len, batch_size=1, seed=settings["seed"])
    counts = {k: {t("plot_one_block") if gate == ONE_BLOCK else gate: n
                  for gate, n in gate_parameter_counts(s).items()} for k, s in specs.items()}
    chart(plots.gate_parameters_figure(counts, words=plot_words()), "chart_cmp_params")
    columns = st.columns(3)
    for column, (kind, spec) in zip(columns, specs.items()):
        with st.spinner(t("running")):
            run = traced_run(spec, inputs)
        h = run.trace.h(0)[:, 0].detach().cpu().double().numpy()
        with column:
            st.subheader(f"nn.{kind}")
            st.caption(t("cmp_caption", hidden=spec.hidden_size, count=spec.num_parameters(),
                             error=run.trace.max_abs_error))
            chart(plots.state_heatmap(h, t("cmp_h", kind=kind), words=plot_words()), f"chart_cmp_h_{kind}")
            chart(plots.trajectory(h, t("cmp_pca", kind=kind), words=plot_words()), f"chart_cmp_pca_{kind}")
            final = h[-1]
            st.caption(t("cmp_final", norm=np.linalg.norm(final), low=final.min(), high=final.max()))


@st.cache_data(max_entries=32, show_spinner=False)
def _reach(kind: str, nonlinearity: str, input_size: int, hidden_size: int, seq_len: int, seed: int,
           dtype: str) -> tuple[np.ndarray, np.ndarray]:
    reach = reach_of(kind, nonlinearity, input_size, hidden_size, seq_len, seed, dtype)
    return reach.wrt_input.double().numpy(), reach.wrt_state.double().numpy()


def gradients_page() -> None:
    settings = _start(t("gradients_title"), GRADIENTS)
    seq_len, hidden_size, input_size = (draw(GRADIENTS[name], column) for name, column in zip(
        ("seq_len", "hidden_size", "input_size"), st.columns(3)))
    write_url(url_controls(GRADIENTS))
    st.markdown(t("gradients_explained"))
    variants = {"RNN tanh": ("RNN", "tanh"), "RNN relu": ("RNN", "relu"), "LSTM": ("LSTM", "tanh"),
                "GRU": ("GRU", "tanh")}
    to_input, to_state = {}, {}
    with st.spinner(t("taking_gradients")):
        for name, (kind, nonlinearity) in variants.items():
            to_input[name], to_state[name] = _reach(kind, nonlinearity, input_size, hidden_size, seq_len,
                                                      settings["seed"], settings["dtype"])
    for norms, name in ((to_input, "input"), (to_state, "state")):
        figure = plots.gradient_reach_figure(norms, t(f"grad_{name}_title"), words=plot_words(),
                                             threshold=VANISHED)
        chart(figure, f"chart_grad_{name}")
        if name == "input":  # what this chart shows, worded from its numbers
            st.markdown(gradient_sentence(vanishing(norms, VANISHED)))
    st.caption(t("grad_caption"))


def packing_page() -> None:
    settings = _start(t("packing_title"), PACKING)
    lengths_text, kind, bidirectional = (draw(PACKING[name], column) for name, column in zip(
        ("lengths", "kind", "bidirectional"), st.columns(3)))
    write_url(url_controls(PACKING))
    try:
        lengths = [int(part) for part in lengths_text.replace(" ", "").split(",") if part]
        if not lengths or min(lengths) < 1 or max(lengths) > 50:
            raise ValueError
    except ValueError:
        st.error(t("pack_bad_lengths", text=lengths_text))
        return
    try:
        anatomy = packing_example(kind, lengths, bidirectional, settings["seed"], settings["dtype"],
                                  settings["device"])
    except (SpecError, InputError) as error:
        st.error(translate(error))
        return
    st.markdown(t("pack_indices", sizes=anatomy.batch_sizes, sorted=anatomy.sorted_indices,
                      unsorted=anatomy.unsorted_indices))
    figure = plots.packed_rows_figure(anatomy.row_source, max(lengths), len(lengths), words=plot_words())
    chart(figure, "chart_pack_rows")
    left, right = st.columns(2)
    with left:
        st.subheader(t("padded_input"))
        st.dataframe(_long(anatomy.padded.numpy(), ["t", t("col_sequence")]), hide_index=True,
                     key="table_padded")
    with right:
        st.subheader(t("packed_data", shape=tuple(anatomy.data.shape)))
        row, sequence = t("col_row"), t("col_sequence")
        rows = [{row: i, "t": step, sequence: b,
                 **{f"x{j}": float(v) for j, v in enumerate(anatomy.data[i])}}
                for i, (step, b) in enumerate(anatomy.row_source)]
        st.dataframe(pd.DataFrame(rows), hide_index=True, key="table_packed")
    st.subheader(t("h_n_compare"))
    diff = anatomy.h_n_difference.numpy()
    labels = [t("pack_row", direction=t("reverse_word" if r else "forward_word"))
              for r in range(diff.shape[0])]
    columns = [t("pack_col", sequence=b, length=n) for b, n in enumerate(lengths)]
    st.dataframe(pd.DataFrame(diff, index=labels, columns=columns),
                 key="table_pack_diff")
    st.markdown(t("packing_explained", starts=anatomy.reverse_starts))
    st.subheader(t("unpacked"))
    st.dataframe(_long(anatomy.unpacked.numpy(), ["t", t("col_sequence")]), hide_index=True,
                 key="table_unpacked")


def _long(values: np.ndarray, names: list[str]) -> pd.DataFrame:
    steps, batch, features = values.shape
    t, b = np.meshgrid(np.arange(steps), np.arange(batch), indexing="ij")
    frame = pd.DataFrame({names[0]: t.ravel(), names[1]: b.ravel()})
    for j in range(features):
        frame[f"x{j}"] = values[:, :, j].ravel()  # the input's feature names, as in packed .data
    return frame
