"""The questions a teacher asks the class: each poll's answer is what torch computes for the
lesson step's configuration (the vanishing step's through the lesson's computed answer, which
tests/test_home.py checks against torch's autograd), and every option a student reads exists in both
languages."""

from __future__ import annotations

import pytest
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

from rnnviz.lesson import LESSON, answer_values
from rnnviz.polls import POLLS, poll_answer
from rnnviz.words import en, zh

STEPS = {step.key: step for step in LESSON}


def test_every_lesson_step_has_a_poll_and_every_poll_a_step():
    assert set(POLLS) == set(STEPS)


@pytest.mark.parametrize("key", sorted(POLLS))
def test_a_choice_polls_answer_is_one_of_its_options_in_both_languages(key):
    poll = POLLS[key]
    assert poll.kind in ("choice", "number")
    if poll.kind == "number":
        assert poll.options == ()
        return
    assert len(poll.options) >= 3 and len(set(poll.options)) == len(poll.options)
    assert poll.answer_of in poll.options
    for words in (en.WORDS, zh.WORDS):
        for option in poll.options:
            assert words[option].strip()
    assert poll_answer(key, {}) == poll.answer_of


def test_h_n_first_dimension_is_layers_times_directions_by_torch():
    query = STEPS["h_n"].query
    layer = nn.LSTM(query["input_size"], query["hidden_size"], query["num_layers"],
                    bidirectional=query["bidirectional"])
    _, (h_n, _) = layer(torch.zeros(query["seq_len"], query["batch_size"], query["input_size"]))
    directions = 2 if query["bidirectional"] else 1
    assert h_n.shape[0] == query["num_layers"] * directions
    assert h_n.shape[0] not in (query["seq_len"], query["batch_size"], query["hidden_size"])
    assert poll_answer("h_n", answer_values(STEPS["h_n"])) == "poll_h_n_layers"


def test_bidirectional_answer_is_torchs_output_width():
    query = STEPS["bidirectional"].query
    layer = nn.GRU(query["input_size"], query["hidden_size"], query["num_layers"], bidirectional=True)
    output, _ = layer(torch.zeros(query["seq_len"], query["batch_size"], query["input_size"]))
    assert poll_answer("bidirectional", answer_values(STEPS["bidirectional"])) == str(output.shape[-1])
    assert output.shape[-1] == 2 * query["hidden_size"]


def test_packing_answer_is_the_rows_torch_packs():
    query = STEPS["packing"].query
    lengths = [int(n) for n in query["lengths"].split(",")]
    padded = torch.zeros(max(lengths), len(lengths), 1)
    packed = pack_padded_sequence(padded, torch.tensor(lengths), enforce_sorted=False)
    assert poll_answer("packing", answer_values(STEPS["packing"])) == str(packed.data.shape[0])


def test_parameters_answer_is_torchs_lstm_parameter_count():
    query = STEPS["parameters"].query
    layer = nn.LSTM(query["input_size"], query["hidden_size"])
    count = sum(p.numel() for p in layer.parameters())
    assert poll_answer("parameters", answer_values(STEPS["parameters"])) == str(count)


def test_vanishing_answer_is_the_computed_step_and_empty_when_it_never_vanishes():
    values = answer_values(STEPS["vanishing"])
    assert values["t"] is not None
    assert poll_answer("vanishing", values) == str(values["t"])
    assert poll_answer("vanishing", {**values, "t": None}) == ""
    # a number is written as a student types it: no trailing ".0"
    assert poll_answer("vanishing", {"t": 24.0}) == "24"
    assert poll_answer("vanishing", {"t": 0}) == "0"
