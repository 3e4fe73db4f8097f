"""The Text view: a layer read under the text it read (rnnviz.textcells, rnnviz.plots.text).

One figure at a time: the units a learner picks, the units that best follow a feature of the text,
or the units of a pattern and where it recurs. Everything here reads the cached trace: changing a
unit, a feature or a span never runs the model again."""

from __future__ import annotations

import re

import numpy as np
import streamlit as st

from rnnviz.plots.text import fit_width, text_figure, text_pages
from rnnviz.server.budget import RUNS, cores_for
from rnnviz.textcells import FEATURES, Unit, feature, layout, match_pattern, rank_units, unit_values
from rnnviz.ui.controls import _words
from rnnviz.ui.texts import plot_words, t

MODES = ("Units", "Find cells", "Match pattern")
LINES = 12  # drawn lines a page
RANKED = "_text_ranked"  # session state: the last ranking, with what it was computed from


def views_for(source_kind: str, views: tuple, key: str) -> tuple:
    """The layer page's views: "Text" only for text input (a chosen "Text" falls back to the first)."""
    if source_kind == "text":
        return views
    if st.session_state.get(key) == "Text":
        st.session_state[key] = views[0]
    return tuple(v for v in views if v != "Text")


def _help(name: str) -> str:
    return t(f"help_text_{name}")


def _block(tr, prefix: str) -> tuple[str, int, int]:
    """The state, layer and direction whose units the Units and Match modes use."""
    states = ["h"] + (["c"] if tr.kind == "LSTM" else []) + list(tr.gates(0, 0))
    c1, c2, c3 = st.columns(3)
    state = c1.selectbox(t("text_state"), states, key=f"{prefix}state", help=_help("state"))
    layer = c2.selectbox(t("layer"), range(tr.num_layers), key=f"{prefix}layer", help=t("help_view_layer"))
    direction = c3.selectbox(t("direction"), range(tr.num_directions), key=f"{prefix}direction",
                             format_func=lambda d: t(["forward", "reverse"][d]),
                             help=t("help_view_direction"))
    return state, layer, direction


def _width(tr, state: str, layer: int, direction: int) -> int:
    if state == "h":
        return tr.h(layer, direction).shape[-1]
    if state == "c":
        return tr.c(layer, direction).shape[-1]
    return tr.gates(layer, direction)[state].shape[-1]


def _page(chars: str, width: int, prefix: str) -> tuple[int, int]:
    pages = text_pages(chars, width, LINES)
    if len(pages) == 1:
        return pages[0]
    number = st.slider(t("text_page"), 1, len(pages), key=f"{prefix}page", help=_help("page"))
    return pages[min(number, len(pages)) - 1]


def show_text_view(tr, texts, token, prefix: str = "text_") -> None:
    """`tr` read `texts` (one string per sequence); `token` names the trace for the cached ranking."""
    chars = layout(texts)[0]
    width = fit_width(chars)
    mode = st.radio(t("text_mode"), MODES, key=f"{prefix}mode", horizontal=True, format_func=_words,
                    help=_help("mode"))
    words = plot_words()
    if mode == "Find cells":
        _find_cells(tr, texts, chars, width, token, prefix, words)
    else:
        state, layer, direction = _block(tr, prefix)
        size = _width(tr, state, layer, direction)
        if mode == "Units":
            picked = st.multiselect(t("text_units"), list(range(size)), key=f"{prefix}units",
                                    default=[0], max_selections=8, help=_help("units"))
            units = [Unit(state, layer, direction, i) for i in picked if i < size]
            units = units or [Unit(state, layer, direction)]
            start, stop = _page(chars, width, prefix)
            values = unit_values(tr, texts, units)
            figure = text_figure(chars, values, [u.label for u in units], start, stop, width, words=words)
            st.plotly_chart(figure, key=f"{prefix}chart_units", width="stretch")
        else:
            block = [Unit(state, layer, direction, i) for i in range(size)]
            _match(tr, texts, chars, width, block, prefix, words)
    st.caption(t("text_caption"))


def _work_bytes(chars: str, units: int) -> int:
    """What a characters × units block costs while it is read and compared: the float64 values and
    three temporaries of the same size, reserved in the server's budget for as long."""
    return 4 * 8 * len(chars) * max(units, 1)


def _find_cells(tr, texts, chars: str, width: int, token, prefix: str, words: dict) -> None:
    c1, c2 = st.columns([2, 1])
    name = c1.selectbox(t("text_feature"), FEATURES, key=f"{prefix}feature", format_func=_words,
                        help=_help("feature"))
    top = c2.slider(t("text_top"), 1, 8, 3, key=f"{prefix}top", help=_help("top"))
    pattern = ""
    if name == "regex":
        pattern = st.text_input(t("text_regex"), r"\d+", key=f"{prefix}regex", help=_help("regex"))
        try:
            re.compile(pattern)
        except re.error as error:
            st.error(t("text_bad_regex", error=error))
            return
    target = feature(chars, name, pattern)
    alive = layout(texts)[1] >= 0
    if np.ptp(target[alive]) == 0:
        st.info(t("text_constant"))
        return
    wanted = (token, name, pattern)
    cached = st.session_state.get(RANKED)
    if cached is None or cached[0] != wanted:  # a new feature or trace: rank once, keep it
        with RUNS.reserve(_work_bytes(chars, tr.h(0, 0).shape[-1])), cores_for(0):  # one block at a time
            cached = (wanted, rank_units(tr, texts, target, top=8))
        st.session_state[RANKED] = cached
    best = cached[1][:top]
    st.markdown(t("text_ranked", feature=_words(name), count=int(alive.sum())))
    st.markdown("\n".join([t("text_rank_head"), *(t("text_rank_row", rank=i + 1, unit=u.label, r=r)
                                                  for i, (u, r) in enumerate(best))]))
    start, stop = _page(chars, width, prefix)
    values = unit_values(tr, texts, [u for u, _ in best])
    labels = [f"{u.label} r={r:+.2f}" for u, r in best]
    st.plotly_chart(text_figure(chars, values, labels, start, stop, width, words=words),
                    key=f"{prefix}chart_cells", width="stretch")


def _match(tr, texts, chars: str, width: int, units: list[Unit], prefix: str, words: dict) -> None:
    start, stop = _page(chars, width, prefix)
    c1, c2 = st.columns([2, 1])
    last = max(stop - 1, start + 1)
    span = c1.slider(t("text_span"), start, last, (start, min(start + 5, last)), key=f"{prefix}span",
                     help=_help("span"))
    threshold = c2.slider(t("text_threshold"), 0.0, 1.0, 0.5, 0.05, key=f"{prefix}threshold",
                          help=_help("threshold"))
    lo, hi = max(span[0], start), min(max(span[1], span[0] + 1), stop)
    with RUNS.reserve(_work_bytes(chars, len(units))), cores_for(0):
        values = unit_values(tr, texts, units)
        found = match_pattern(values, lo, hi, threshold)
    if not found.units:
        st.info(t("text_pattern_none", threshold=threshold))
        shown = [0]
    else:
        shown = list(found.units[:8])
        st.markdown(t("text_pattern_units", count=len(found.units),
                      units=", ".join(f"`{units[j].label}`" for j in found.units[:24])))
    marks = np.zeros(len(chars), dtype=bool)
    for a, b in found.matches:
        marks[a:b] = True
    figure = text_figure(chars, values[:, shown], [units[j].label for j in shown], start, stop, width,
                         marks=marks, span=(lo, hi), words=words)
    st.plotly_chart(figure, key=f"{prefix}chart_match", width="stretch")
    if found.matches:
        rows = [t("text_match_row", start=a, stop=b - 1,
                  snippet=chars[a:b].replace("\n", "↵").replace("`", "'")) for a, b in found.matches[:20]]
        st.markdown(t("text_matches", count=len(found.matches)) + "\n" + "\n".join(rows))



HELD_OUT_SEED = 1_000_003  # the generated text a trained layer is read under: never trained on
HELD_OUT_CHARS = 2_000
PRESET = {"task": "text", "corpus": "generated", "kind": "LSTM", "hidden_size": 64, "num_layers": 1,
          "seq_len": 64, "batch_size": 32, "lr": 0.01, "steps": 1500, "bidirectional": False}


def corpus_text(table: dict, typed: str) -> str:
    """The Train page's next-character text: the typed one, or the generated corpus."""
    from rnnviz.corpus import generated_corpus

    choice = st.radio(t("text_corpus"), table["corpus"].options, key=table["corpus"].key, horizontal=True,
                      format_func=_words, help=t("help_text_corpus"))
    st.button(t("text_preset"), key="text_preset", help=_help("preset"), on_click=_preset, args=(table,))
    return generated_corpus(20_000, seed=0) if choice == "generated" else typed


def _preset(table: dict) -> None:
    st.session_state.update({table[name].key: value for name, value in PRESET.items()})


def read_trained(table: dict, model, config, token) -> None:
    """"Read this layer under its text": the checkpoint's layer traced on held-out text, in the Text view."""
    import torch

    from rnnviz.corpus import generated_corpus
    from rnnviz.textcells import one_hot
    from rnnviz.trace import trace

    if config.task.name != "text" or not st.toggle(t("text_read"), key=table["read_text"].key,
                                                   help=t("help_text_read")):
        return
    if st.session_state.get(table["corpus"].key) == "generated":
        text = generated_corpus(HELD_OUT_CHARS, seed=HELD_OUT_SEED)
    else:  # the typed text itself: there is no other
        text = "".join(config.task.symbols[i] for i in config.task.data[:HELD_OUT_CHARS].tolist())
    x = one_hot(text, config.task.symbols).to(device=config.spec.device, dtype=model.head.weight.dtype)
    with torch.no_grad():
        tr = trace(model.rnn, x.transpose(0, 1) if config.spec.batch_first else x)
    st.markdown(t("text_held_out", count=len(text), step=token[-1]))
    show_text_view(tr, text, token, prefix="train_text_")
