"""The home page and its lesson path: every link opens its view with no notice, and every answer
a step states is what torch computes and what the linked view shows."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import numpy as np
import pytest
import torch
from streamlit.testing.v1 import AppTest
from torch import nn

from rnnviz.examples import SEED_EXAMPLES, example_query
from rnnviz.lesson import LESSON, VANISHED, answer_values
from rnnviz.ui import texts
from rnnviz.ui.router import PAGES
from rnnviz.ui.url_state import url_value
from tests.reference import cell_step

APP = str(Path(__file__).parents[1] / "app.py")
CJK = re.compile(r"[\u4e00-\u9fff]")
STEPS = {step.key: step for step in LESSON}


def _open(page: str, query: dict, lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for name, value in query.items():
        at.query_params[name] = url_value(value)
    at.query_params["lang"] = lang
    return at.switch_page(f"pages/{page}.py").run()


def _seeded(cls, *args, **kwargs) -> nn.Module:
    torch.manual_seed(0)  # LayerSpec.build's seed 0, as torch would be used in a notebook
    return cls(*args, **kwargs).eval()


def _array(data) -> np.ndarray:
    if isinstance(data, dict):
        return np.frombuffer(base64.b64decode(data["bdata"]), np.dtype(data["dtype"]))
    return np.asarray(data, dtype=float)


def test_the_lesson_has_six_to_eight_steps_each_with_words_in_both_languages():
    assert 6 <= len(LESSON) <= 8
    for step in LESSON:
        for part in ("title", "q", "a"):
            assert f"lesson_{step.key}_{part}" in texts.WORDS["en"]
            assert f"lesson_{step.key}_{part}" in texts.WORDS["zh"]


@pytest.mark.parametrize("step", LESSON, ids=lambda s: s.key)
def test_each_lesson_link_opens_its_view_with_no_notice(step):
    at = _open(step.page, step.query)
    assert not at.exception
    assert not at.error and not at.warning and not at.info, [
        m.value for m in [*at.error, *at.warning, *at.info]
    ]
    if "view" in step.query:
        assert at.radio(key="view").value == step.query["view"]


@pytest.mark.parametrize("key", ["h_n", "bidirectional", "batch_first"])
def test_shape_answers_are_torchs_and_the_diagrams(key):
    step = STEPS[key]
    q = step.query
    cls = {"lstm": nn.LSTM, "gru": nn.GRU}[step.page]
    module = _seeded(
        cls,
        q["input_size"],
        q["hidden_size"],
        q["num_layers"],
        batch_first=q["batch_first"] if "batch_first" in q else False,
        bidirectional=q["bidirectional"],
    )
    shape = (q["batch_size"], q["seq_len"]) if module.batch_first else (q["seq_len"], q["batch_size"])
    x = torch.randn(*shape, q["input_size"])
    output, state = module(x)
    h_n = state[0] if cls is nn.LSTM else state
    values = answer_values(step)
    assert values["input"] == tuple(x.shape)
    assert values["output"] == tuple(output.shape) and values["h_n"] == tuple(h_n.shape)
    assert values["rows"] == h_n.shape[0] and values["h_out"] == h_n.shape[-1]
    diagram = _open(step.page, q).get("plotly_chart")[0].proto.spec
    for name in ("input", "output", "h_n"):
        assert str(values[name]) in diagram


def test_impulse_answer_is_the_textbook_forget_gate():
    step = STEPS["impulse"]
    q = step.query
    lstm = _seeded(nn.LSTM, q["input_size"], q["hidden_size"])
    onset = q["seq_len"] // 4
    h = c = torch.zeros(q["hidden_size"])
    forget, enter = [], []
    with torch.no_grad():
        for t in range(q["seq_len"]):
            x_t = torch.full((q["input_size"],), float(t == onset))  # the impulse, on every feature
            h, c, gates = cell_step(lstm, "LSTM", 0, 0, x_t, h, c)
            if t > onset:
                forget.append(gates["f"])
                enter.append(gates["i"])
    values = answer_values(step)
    assert values["onset"] == onset
    assert values["f_mean"] == pytest.approx(torch.stack(forget).mean().item(), abs=1e-5)
    assert values["i_mean"] == pytest.approx(torch.stack(enter).mean().item(), abs=1e-5)


def test_vanishing_answer_is_where_the_gradients_page_curve_falls_below_1e6():
    step = STEPS["vanishing"]
    values = answer_values(step)
    at = _open(step.page, step.query)
    figure = json.loads(
        next(c for c in at.get("plotly_chart") if "chart_grad_input" in c.proto.id).proto.spec
    )
    curves = {trace["name"]: _array(trace["y"]) for trace in figure["data"]}
    rnn = curves["RNN tanh"]
    assert values["t"] == int(np.nonzero(rnn < VANISHED)[0].max())
    assert values["back"] == step.query["seq_len"] - 1 - values["t"]
    assert values["lstm"] == pytest.approx(curves["LSTM"][values["t"]], rel=1e-5)
    assert values["gru"] == pytest.approx(curves["GRU"][values["t"]], rel=1e-5)


def test_packing_answer_is_torchs_pack_padded_sequence():
    step = STEPS["packing"]
    lengths = [int(n) for n in step.query["lengths"].split(",")]
    packed = nn.utils.rnn.pack_padded_sequence(
        torch.zeros(max(lengths), len(lengths), 2), torch.tensor(lengths), enforce_sorted=False
    )
    values = answer_values(step)
    assert values["rows"] == packed.data.shape[0] == sum(lengths)
    assert values["padded"] == max(lengths) * len(lengths)
    assert values["sizes"] == packed.batch_sizes.tolist()
    # the page's tables: padded input, packed .data, the h_n difference, the unpacked output
    shown = _open(step.page, step.query).dataframe[2].value.to_numpy()
    assert shown.shape == (2, len(lengths))  # (forward, reverse) × sequences
    assert values["difference"] == pytest.approx(shown.max(), rel=1e-6)


def test_parameter_answer_is_torchs_count():
    q = STEPS["parameters"].query
    counts = {
        name: sum(p.numel() for p in cls(q["input_size"], q["hidden_size"]).parameters())
        for name, cls in (("rnn", nn.RNN), ("gru", nn.GRU), ("lstm", nn.LSTM))
    }
    values = answer_values(STEPS["parameters"])
    assert {k: values[k] for k in counts} == counts
    assert values["ratio"] == f"1 : {counts['gru'] // counts['rnn']} : {counts['lstm'] // counts['rnn']}"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_home_page_states_every_answer_and_links_every_page(lang):
    at = _open("home", {}, lang)
    assert not at.exception and not at.error
    for step in LESSON:  # each answer shows when the teacher switches it on (tests/test_home_first_step.py)
        at.toggle(key=f"lesson_answer_{step.key}").set_value(True)
    at.run()
    shown = "\n".join(m.value for m in at.markdown)
    for step in LESSON:
        values = answer_values(step)
        assert texts.WORDS[lang][f"lesson_{step.key}_a"].format(**values) in shown
        assert texts.WORDS[lang][f"lesson_{step.key}_q"].format(**values) in shown
    if lang == "zh":
        assert CJK.search(at.title[0].value)
    links = [json.loads(json.dumps(el.proto.page)) for el in at.get("page_link")]
    assert len(links) == len(SEED_EXAMPLES) + len(PAGES) - 1 + len(LESSON)  # every page but home


@pytest.mark.parametrize("example", SEED_EXAMPLES, ids=lambda e: e.spec.kind)
def test_seed_example_links_give_the_notes_shapes(example):
    at = _open(example.spec.kind.lower(), example_query(example))
    assert not at.exception and not at.warning
    diagram = at.get("plotly_chart")[0].proto.spec
    printed = re.findall(r"\[([\d, ]+)\]", example.printed)  # torch.Size([5, 3, 20]) ...
    for size in printed:
        assert f"({size})" in diagram


def _moved(key: str, **changes):
    """The lesson step `key` with its query changed (a teacher's own numbers)."""
    import dataclasses

    return dataclasses.replace(STEPS[key], query={**STEPS[key].query, **changes})


def test_the_impulse_answer_follows_the_steps_seed_and_dtype():
    step = _moved("impulse", seed=3, dtype="float64", hidden_size=5, input_size=2, seq_len=12, batch_size=3)
    q = step.query
    torch.manual_seed(3)
    lstm = nn.LSTM(2, 5).double().eval()
    onset = 12 // 4
    h = c = torch.zeros(5, dtype=torch.float64)
    forget, enter = [], []
    with torch.no_grad():
        for t in range(q["seq_len"]):
            x_t = torch.full((2,), float(t == onset), dtype=torch.float64)
            h, c, gates = cell_step(lstm, "LSTM", 0, 0, x_t, h, c)
            if t > onset:
                forget.append(gates["f"])
                enter.append(gates["i"])
    values = answer_values(step)
    assert values["onset"] == onset
    assert values["f_mean"] == pytest.approx(torch.stack(forget).mean().item(), rel=1e-12)
    assert values["i_mean"] == pytest.approx(torch.stack(enter).mean().item(), rel=1e-12)


def test_the_shape_answers_count_rows_width_and_steps():
    step = _moved("h_n", seq_len=7, num_layers=3, bidirectional=True, hidden_size=6, seed=2)
    values = answer_values(step)
    assert values["steps"] == 7 and values["rows"] == 6 and values["h_out"] == 6
    assert values["h_n"] == (6, step.query["batch_size"], 6) and values["output"][0] == 7


def test_the_vanishing_answer_follows_the_steps_numbers_and_says_none_when_nothing_vanishes():
    from rnnviz.gradients import reach_of

    step = _moved("vanishing", seed=2, dtype="float64", seq_len=60, hidden_size=6, input_size=3)
    values = answer_values(step)
    rnn, lstm, gru = (reach_of(kind, "tanh", 3, 6, 60, 2, "float64").wrt_input
                      for kind in ("RNN", "LSTM", "GRU"))
    t = int(torch.nonzero(rnn < VANISHED).max())
    assert values == {"t": t, "back": 60 - 1 - t, "lstm": float(lstm[t]), "gru": float(gru[t])}
    short = answer_values(_moved("vanishing", seq_len=4))
    assert short == {"t": None, "back": None, "lstm": None, "gru": None}


def test_the_packing_and_parameter_answers_name_what_their_sentences_use():
    from rnnviz.packing import packing_example

    values = answer_values(_moved("packing", lengths="2,5", kind="LSTM", seed=4, dtype="float64"))
    anatomy = packing_example("LSTM", [2, 5], True, 4, "float64")
    assert values["lengths"] == "2, 5" and values["steps"] == 5 and values["padded"] == 10
    assert values["difference"] == anatomy.h_n_difference.max().item() and values["rows"] == 7
    counts = answer_values(_moved("parameters", hidden_size=5, input_size=2))
    assert counts["hidden"] == 5
    assert counts["rnn"] == sum(p.numel() for p in nn.RNN(2, 5).parameters())


def test_an_unknown_step_has_no_answer():
    import dataclasses

    with pytest.raises(KeyError, match="no_such_step"):
        answer_values(dataclasses.replace(STEPS["h_n"], key="no_such_step"))
