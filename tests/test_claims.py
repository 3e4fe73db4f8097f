"""Sentences that describe a chart are worded from the numbers of the run on screen: change the
configuration so the truth flips, and the sentence flips with it (rnnviz.claims, rnnviz.ui.claims)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from streamlit.testing.v1 import AppTest
from torch import nn

from rnnviz.claims import VANISHED, impulse_lasts, vanishing
from rnnviz.gradients import reach_of
from rnnviz.whatif import KEPT, impulse_response, shift_gate_bias

APP = str(Path(__file__).parents[1] / "app.py")
VARIANTS = {"RNN tanh": ("RNN", "tanh"), "RNN relu": ("RNN", "relu"), "LSTM": ("LSTM", "tanh"),
            "GRU": ("GRU", "tanh")}


def _reach(seq_len: int, hidden_size: int, input_size: int) -> dict:
    return {name: reach_of(kind, nl, input_size, hidden_size, seq_len, 0).wrt_input
            for name, (kind, nl) in VARIANTS.items()}


# ---- the facts, against the curves themselves ------------------------------------------------------

def test_vanishing_reads_each_curve_back_from_the_last_step():
    norms = {"a": [1e-9, 1e-7, 1e-5, 1e-3, 1.0], "b": [1e-3, 1e-2, 1e-7, 1e-1, 1.0], "c": [1e-2] * 5}
    v = vanishing(norms)
    assert v.below_at == {"a": 1, "b": 2, "c": None}  # b dips at t = 2: first, reading back
    assert (v.back("a"), v.back("b"), v.back("c")) == (3, 2, None)
    assert v.never == ["c"] and v.longest == ["c"] and v.shortest == ["b"] and v.spread is None
    assert vanishing({"a": norms["a"], "b": norms["b"]}).longest == ["a"]


@pytest.mark.parametrize("config", [(50, 16, 4), (50, 4, 4), (50, 1, 1), (30, 16, 4)])
def test_vanishing_agrees_with_a_plain_scan_of_torchs_gradients(config):
    norms = _reach(*config)
    v = vanishing(norms)
    for name, values in norms.items():
        below = [t for t in range(len(values)) if values[t] < VANISHED]
        assert v.below_at[name] == (max(below) if below else None)
        if below:  # from there on, reading forward, the curve is at or above 1e-6 again
            assert all(values[t] >= VANISHED for t in range(max(below) + 1, len(values)))


def test_the_impulse_lasts_to_the_end_of_the_window_or_not():
    torch.manual_seed(0)
    lstm = nn.LSTM(3, 8)
    fades = impulse_lasts(impulse_response(lstm, 40, 10), 10)
    stays = impulse_lasts(impulse_response(shift_gate_bias(lstm, 8.0), 40, 10), 10)
    assert not fades.to_end and 0 < fades.kept < 30
    assert stays.to_end and stays.kept is None and stays.steps == 40
    assert (fades.onset, fades.share) == (10, KEPT)


def test_an_impulse_at_the_windows_end_or_with_no_response_lasts_no_step():
    """Nothing after the onset (an impulse on the last step), or a response that stays 0: kept 0
    steps, not "to the end of the window"."""
    for response, onset in [(torch.ones(5), 5), (torch.zeros(6), 2)]:
        lasts = impulse_lasts(response, onset)
        assert lasts.kept == 0 and not lasts.to_end, (response, onset)
    assert impulse_lasts(torch.tensor([0.0, 1.0, 0.5, 0.05]), 1).kept == 2  # below 10 % of 1.0 at step 3


# ---- the sentences on the pages: they flip with the truth ------------------------------------------

def _gradients(seq_len: int, hidden_size: int, input_size: int, lang: str = "en") -> str:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"seq_len": str(seq_len), "hidden_size": str(hidden_size),
                            "input_size": str(input_size), "lang": lang})
    at.switch_page("pages/gradients.py").run()
    assert not at.exception
    texts = [m.value for m in at.markdown if "∂h_T/∂x_t" in m.value and "1e-6" in m.value]
    assert len(texts) == 1, [m.value for m in at.markdown]
    return texts[0]


def test_the_gradients_sentence_says_what_the_curves_do_and_flips_with_them():
    # hidden_size 1: the LSTM and the GRU keep their gradient far longer than the tanh RNN
    gated_longer = _gradients(50, 1, 1)
    v = vanishing(_reach(50, 1, 1))
    assert v.back("LSTM") > v.back("RNN tanh") + 5 and v.back("GRU") > v.back("RNN tanh") + 5
    assert "Kept longest: **GRU**" in gated_longer
    assert f"LSTM {v.back('LSTM') - v.back('RNN tanh')} steps longer" in gated_longer
    assert "clearly longer than the tanh RNN" in gated_longer and "about the same rate" not in gated_longer
    # hidden_size 4: the tanh RNN keeps it longest; the LSTM loses it sooner
    tanh_longer = _gradients(50, 4, 4)
    v = vanishing(_reach(50, 4, 4))
    assert v.longest == ["RNN tanh"] and v.back("LSTM") < v.back("RNN tanh")
    assert "Kept longest: **RNN tanh**" in tanh_longer
    assert f"LSTM {v.back('RNN tanh') - v.back('LSTM')} steps shorter" in tanh_longer
    assert "about the same rate" in tanh_longer and "clearly longer" not in tanh_longer
    for name in VARIANTS:  # every curve's step is named, as the chart shows it
        assert f"t = {v.below_at[name]} for {name}" in tanh_longer


def test_the_lessons_gradients_view_does_not_claim_the_gated_curves_stay_flat():
    text = _gradients(50, 16, 4)
    v = vanishing(_reach(50, 16, 4))
    assert abs(v.back("LSTM") - v.back("RNN tanh")) <= 5 and abs(v.back("GRU") - v.back("RNN tanh")) <= 5
    assert "about the same rate" in text and "stay flat" not in text
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("pages/gradients.py").run()
    assert not any("stay flat for longer" in m.value for m in at.markdown)


def test_no_curve_falls_in_a_short_window_and_it_is_said_in_chinese_too():
    assert "No curve of ‖∂h_T/∂x_t‖ falls below 1e-6 within these 8 steps" in _gradients(8, 16, 4)
    zh = _gradients(50, 1, 1, "zh")
    assert "保持最久：**GRU**" in zh and "明显比 tanh RNN 长" in zh
    assert "降到 1e-6 以下" in _gradients(50, 4, 4, "zh") and "少保持" in _gradients(50, 4, 4, "zh")


def _bias_caption(amount: float, lang: str = "en") -> str:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"view": "What if", "lang": lang, "bias_shift": str(amount)})
    at.switch_page("pages/lstm.py").run()
    assert at.slider(key="whatif_bias").value == amount
    assert not at.exception
    words = "impulse" if lang == "en" else "脉冲"
    captions = [c.value for c in at.caption if words in c.value]
    assert len(captions) == 1, [c.value for c in at.caption]
    return captions[0]


def test_the_bias_caption_says_until_the_end_of_the_window_only_when_it_is_so():
    lasting = _bias_caption(5.0)
    assert "with the bias + 5: the shift keeps it longer" in lasting
    assert "until the end of the window (t = 39) with the bias" in lasting
    assert "30 steps" not in lasting
    fading = _bias_caption(-3.0)
    assert "until the end of the window" not in fading.split("as built")[1]
    assert "the shift makes it fade sooner" in fading
    assert "一直到窗口结束（t = 39）" in _bias_caption(5.0, "zh")


def test_vanishing_counts_steps_from_the_curves_and_keeps_its_threshold():
    from rnnviz.claims import vanishing

    none = vanishing({})
    assert none.steps == 0 and none.below_at == {}
    at_the_line = vanishing({"a": [1.0, 1e-3, 1e-3]}, threshold=1e-3)  # equal is not below
    assert at_the_line.below_at == {"a": None} and at_the_line.threshold == 1e-3 and at_the_line.steps == 3
    below = vanishing({"a": np.array([1e-9, 1.0], dtype=np.float32), "b": [1.0, 1.0, 1.0]})
    assert below.below_at == {"a": 0, "b": None} and below.steps == 3
