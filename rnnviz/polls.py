"""The lesson path's questions as questions to a class: a choice among worded options (word keys,
so each student reads them in their own language) or a number, and the answer taken from the
step's computed values (rnnviz.lesson.answer_values), never typed by hand."""

from __future__ import annotations

from dataclasses import dataclass

GATES = ("poll_gate_f", "poll_gate_i", "poll_gate_g", "poll_gate_o")


@dataclass(frozen=True)
class Poll:
    kind: str  # "choice" or "number"
    options: tuple[str, ...]  # word keys of the options (choice)
    answer_of: str  # the key of the answer: an option's word key, or a name in the step's values


POLLS = {
    "h_n": Poll("choice", ("poll_h_n_steps", "poll_h_n_layers", "poll_h_n_batch", "poll_h_n_units"),
                "poll_h_n_layers"),
    "bidirectional": Poll("number", (), "output_last"),
    "batch_first": Poll("choice", ("poll_bf_in_out", "poll_bf_all", "poll_bf_in"), "poll_bf_in_out"),
    "impulse": Poll("choice", GATES, "poll_gate_f"),
    "vanishing": Poll("number", (), "t"),
    "packing": Poll("number", (), "rows"),
    "parameters": Poll("number", (), "lstm"),
}


def poll_answer(step: str, values: dict) -> str:
    """The answer of step `step`'s poll, from the step's computed `values` ("" if there is none, e.g.
    a gradient that never falls below the threshold)."""
    poll = POLLS[step]
    if poll.kind == "choice":
        return poll.answer_of
    if poll.answer_of == "output_last":
        return str(values["output"][-1])
    value = values.get(poll.answer_of)
    return "" if value is None else f"{value:g}"
