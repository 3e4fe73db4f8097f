"""Pages that teach across layer kinds: compare, gradients through time, packed sequences."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from rnnviz import plots
from rnnviz.compare import gate_parameter_counts, matched_hidden_size
from rnnviz.gradients import gradient_reach
from rnnviz.inputs import InputError, InputSource, make_input
from rnnviz.packing import packing_anatomy
from rnnviz.spec import LayerSpec, SpecError
from rnnviz.ui.controls import keep_or_default
from rnnviz.ui.router import ensure_router
from rnnviz.ui.run import traced_run
from rnnviz.ui.sidebar import sidebar
from rnnviz.ui.texts import HELP, label, plot_words, translate
from rnnviz.ui.url_state import bind_url, fields, integer, show_url_notices, write_url

COMPARE = fields(["input_size", "hidden_size", "seq_len", "matched"], "cmp_",
                 {"input_size": integer(1, 16), "hidden_size": integer(1, 128), "seq_len": integer(2, 300)})
GRADIENTS = fields(["seq_len", "hidden_size", "input_size"], "grad_",
                   {"seq_len": integer(2, 200), "hidden_size": integer(1, 64), "input_size": integer(1, 16)})
PACKING = fields(["lengths", "kind", "bidirectional"], "pack_")
KINDS = ("RNN", "LSTM", "GRU")
DEFAULTS = {"cmp_input_size": 3, "cmp_hidden_size": 8, "cmp_seq_len": 40, "cmp_source": "sine",
            "cmp_matched": False, "grad_seq_len": 50, "grad_hidden_size": 16, "grad_input_size": 4,
            "pack_lengths": "6,3,4", "pack_kind": "GRU", "pack_bidirectional": True}


def _start(title: str, link: list) -> dict:
    """Route, read the link, set defaults, draw the header and the sidebar."""
    ensure_router()
    bind_url(link)
    keep_or_default(DEFAULTS)
    st.header(title)
    show_url_notices()
    return sidebar()


def compare_page() -> None:
    settings = _start(label("compare_title"), COMPARE)
    c1, c2, c3, c4 = st.columns(4)
    input_size = c1.slider("input_size", 1, 16, key="cmp_input_size", help=HELP["input_size"])
    hidden_size = c2.slider("hidden_size", 1, 128, key="cmp_hidden_size", help=HELP["hidden_size"])
    seq_len = c3.slider(label("seq_len"), 2, 300, key="cmp_seq_len", help=HELP["seq_len"])
    source = c4.selectbox(label("input"), ("sine", "random", "step", "impulse"), key="cmp_source", help=HELP["source"],
                          format_func=label)
    matched = st.toggle(label("cmp_matched"), key="cmp_matched", help=HELP["cmp_matched"])
    write_url(COMPARE)
    lstm = LayerSpec(kind="LSTM", input_size=input_size, hidden_size=hidden_size, **settings)
    specs = {kind: lstm.replace(kind=kind, hidden_size=matched_hidden_size(lstm, kind) if matched else hidden_size)
             for kind in KINDS}
    inputs = InputSource(kind=source, seq_len=seq_len, batch_size=1, seed=settings["seed"])
    st.plotly_chart(plots.gate_parameters_figure({k: gate_parameter_counts(s) for k, s in specs.items()},
                                                words=plot_words()),
                    key="chart_cmp_params", width="stretch")
    columns = st.columns(3)
    for column, (kind, spec) in zip(columns, specs.items()):
        with st.spinner(label("running")):
            run = traced_run(spec, inputs)
        h = run.trace.h(0)[:, 0].detach().cpu().double().numpy()
        with column:
            st.subheader(f"nn.{kind}")
            st.caption(label("cmp_caption", hidden=spec.hidden_size, count=spec.num_parameters(),
                             error=run.trace.max_abs_error))
            st.plotly_chart(plots.state_heatmap(h, label("cmp_h", kind=kind), words=plot_words()), key=f"chart_cmp_h_{kind}", width="stretch")
            st.plotly_chart(plots.trajectory(h, label("cmp_pca", kind=kind), words=plot_words()), key=f"chart_cmp_pca_{kind}",
                            width="stretch")
            final = h[-1]
            st.caption(label("cmp_final", norm=np.linalg.norm(final), low=final.min(), high=final.max()))


@st.cache_data(max_entries=32, show_spinner=False)
def _reach(kind: str, nonlinearity: str, input_size: int, hidden_size: int, seq_len: int, seed: int,
           dtype: str) -> tuple[np.ndarray, np.ndarray]:
    spec = LayerSpec(kind=kind, nonlinearity=nonlinearity, input_size=input_size, hidden_size=hidden_size,
                     seed=seed, dtype=dtype)
    module = spec.build()
    x = make_input(spec, InputSource(kind="random", seq_len=seq_len, batch_size=1, seed=seed)).x
    reach = gradient_reach(module, x)
    return reach.wrt_input.double().numpy(), reach.wrt_state.double().numpy()


def gradients_page() -> None:
    settings = _start(label("gradients_title"), GRADIENTS)
    c1, c2, c3 = st.columns(3)
    seq_len = c1.slider(label("seq_len"), 2, 200, key="grad_seq_len", help=HELP["seq_len"])
    hidden_size = c2.slider("hidden_size", 1, 64, key="grad_hidden_size", help=HELP["hidden_size"])
    input_size = c3.slider("input_size", 1, 16, key="grad_input_size", help=HELP["input_size"])
    write_url(GRADIENTS)
    st.markdown(HELP["gradients_explained"])
    variants = {"RNN tanh": ("RNN", "tanh"), "RNN relu": ("RNN", "relu"), "LSTM": ("LSTM", "tanh"),
                "GRU": ("GRU", "tanh")}
    to_input, to_state = {}, {}
    with st.spinner(label("taking_gradients")):
        for name, (kind, nonlinearity) in variants.items():
            to_input[name], to_state[name] = _reach(kind, nonlinearity, input_size, hidden_size, seq_len,
                                                      settings["seed"], settings["dtype"])
    st.plotly_chart(plots.gradient_reach_figure(to_input, label("grad_input_title"), words=plot_words()),
                    key="chart_grad_input", width="stretch")
    st.plotly_chart(plots.gradient_reach_figure(to_state, label("grad_state_title"), words=plot_words()),
                    key="chart_grad_state", width="stretch")
    st.caption(label("grad_caption"))


def packing_page() -> None:
    settings = _start(label("packing_title"), PACKING)
    c1, c2, c3 = st.columns(3)
    lengths_text = c1.text_input(label("lengths"), key="pack_lengths", help=HELP["lengths"])
    kind = c2.selectbox(label("layer"), KINDS, key="pack_kind", help=HELP["pack_kind"])
    bidirectional = c3.toggle("bidirectional", key="pack_bidirectional", help=HELP["bidirectional"])
    write_url(PACKING)
    try:
        lengths = [int(part) for part in lengths_text.replace(" ", "").split(",") if part]
        if not lengths or min(lengths) < 1 or max(lengths) > 50:
            raise ValueError
    except ValueError:
        st.error(label("pack_bad_lengths", text=lengths_text))
        return
    try:
        spec = LayerSpec(kind=kind, input_size=2, hidden_size=3, bidirectional=bidirectional, **settings)
        source = InputSource(kind="random", seq_len=max(lengths), batch_size=len(lengths),
                             lengths=tuple(lengths), seed=settings["seed"])
        padded = make_input(spec, source).x  # zeros past each sequence's end
        anatomy = packing_anatomy(spec.build(), padded, lengths)
    except (SpecError, InputError) as error:
        st.error(translate(error))
        return
    st.markdown(label("pack_indices", sizes=anatomy.batch_sizes, sorted=anatomy.sorted_indices,
                      unsorted=anatomy.unsorted_indices))
    st.plotly_chart(plots.packed_rows_figure(anatomy.row_source, padded.shape[0], len(lengths), words=plot_words()),
                    key="chart_pack_rows", width="stretch")
    left, right = st.columns(2)
    with left:
        st.subheader(label("padded_input"))
        st.dataframe(_long(anatomy.padded.numpy(), ["t", "sequence"]), hide_index=True, key="table_padded")
    with right:
        st.subheader(label("packed_data", shape=tuple(anatomy.data.shape)))
        rows = [{"row": i, "t": t, "sequence": b, **{f"x{j}": float(v) for j, v in enumerate(anatomy.data[i])}}
                for i, (t, b) in enumerate(anatomy.row_source)]
        st.dataframe(pd.DataFrame(rows), hide_index=True, key="table_packed")
    st.subheader(label("h_n_compare"))
    diff = anatomy.h_n_difference.numpy()
    labels = [label("pack_row", direction=label("reverse_word" if r else "forward_word")) for r in range(diff.shape[0])]
    columns = [label("pack_col", sequence=b, length=n) for b, n in enumerate(lengths)]
    st.dataframe(pd.DataFrame(diff, index=labels, columns=columns),
                 key="table_pack_diff")
    st.markdown(HELP["packing_explained"].format(starts=anatomy.reverse_starts))
    st.subheader(label("unpacked"))
    st.dataframe(_long(anatomy.unpacked.numpy(), ["t", "sequence"]), hide_index=True, key="table_unpacked")


def _long(values: np.ndarray, names: list[str]) -> pd.DataFrame:
    steps, batch, features = values.shape
    t, b = np.meshgrid(np.arange(steps), np.arange(batch), indexing="ij")
    frame = pd.DataFrame({names[0]: t.ravel(), names[1]: b.ravel()})
    for j in range(features):
        frame[f"f{j}"] = values[:, :, j].ravel()
    return frame
