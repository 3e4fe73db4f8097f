"""The projector's tally: one bar per answer, the counts as given, the right one marked only once
revealed, and a figure plotly's validation would make as it is."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import plotly.io as pio

from rnnviz.plots.classroom import HIDDEN, OTHER, RIGHT, tally_figure


def test_the_tally_shows_the_counts_and_marks_the_answer_only_when_revealed():
    counts = [("f (forget)", 12), ("i (input)", 3), ("o (output)", 0)]
    hidden = tally_figure(counts, None, {"answers": "answers"})
    bars = hidden.data[0]
    assert list(bars.y) == ["o (output)", "i (input)", "f (forget)"] and list(bars.x) == [0, 3, 12]
    assert set(bars.marker.color) == {HIDDEN}  # before the reveal nothing tells the answer
    shown = tally_figure(counts, "f (forget)", {"answers": "answers"}).data[0]
    assert list(shown.marker.color) == [OTHER, OTHER, RIGHT]
    for figure in (hidden, tally_figure([], None, {"answers": "回答数"})):
        assert json.loads(pio.to_json(go.Figure(figure.to_dict()))) == json.loads(pio.to_json(figure))
