"""A class looking at one view costs one figure: figures are kept server-wide by run and view (in the
server's budget), so a second session on the same view builds none, and any choice that changes
what a chart shows gives another figure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from rnnviz import plots
from rnnviz.server import budget
from rnnviz.ui import train_page

APP = str(Path(__file__).parents[1] / "app.py")


@pytest.fixture
def built(monkeypatch):
    """How many figures of each kind were built (the plotting functions the views call)."""
    counts = {}
    for name in ("state_heatmap", "gate_heatmaps", "shapes_diagram", "state_lines", "trajectory"):
        real = getattr(plots, name)

        def counting(*args, _real=real, _name=name, **kwargs):
            counts[_name] = counts.get(_name, 0) + 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(plots, name, counting)
    budget.RUNS.clear()
    yield counts
    budget.RUNS.clear()


def _lstm(query: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(query)
    at.switch_page("pages/lstm.py").run()
    assert not at.exception
    return at


def _spec(at: AppTest) -> str:
    return at.get("plotly_chart")[0].proto.spec


def test_a_second_session_on_the_same_view_builds_no_figure(built):
    view = {"view": "Hidden states", "hidden_size": "7", "seq_len": "12"}
    teacher = _lstm(view)
    assert built["state_heatmap"] == 1
    students = [_lstm(view) for _ in range(3)]
    assert built["state_heatmap"] == 1  # one figure for the class
    assert {_spec(at) for at in students} == {_spec(teacher)}
    kept = [key for key in list(budget.RUNS._entries) if key[0] == "figure"]
    assert len(kept) == 1
    entry = budget.RUNS._entries[kept[0]]
    assert entry.nbytes >= len(_spec(teacher))  # counted in the server's budget, at least its JSON


def test_every_choice_that_changes_a_chart_is_another_figure(built):
    view = {"view": "Hidden states", "hidden_size": "6", "seq_len": "10", "num_layers": "2",
            "bidirectional": "true"}
    first = _lstm(view)
    spec = _spec(first)
    other = _lstm(view)
    seen = {spec}
    for key, value in (("view_layer", 1), ("view_direction", 1), ("view_sequence", 1)):
        other.selectbox(key=key).set_value(value).run()
        assert not other.exception
        seen.add(_spec(other))
    other.slider(key="step_t").set_value(4).run()
    seen.add(_spec(other))
    for chart in ("lines", "cell", "trajectory"):
        other.radio(key="states_chart").set_value(chart).run()
        seen.add(_spec(other))
    other.radio(key="pca_dims").set_value(3).run()
    seen.add(_spec(other))
    assert len(seen) == 9  # each choice drew a chart of its own, none taken from another view
    first.run()
    assert _spec(first) == spec  # the first session's view is untouched


def test_the_language_and_the_projector_get_their_own_figure(built):
    view = {"view": "Gates", "hidden_size": "5", "seq_len": "8"}
    english = _lstm(view)
    chinese = _lstm({**view, "lang": "zh"})
    assert built["gate_heatmaps"] == 2
    chinese_text = json.dumps(json.loads(_spec(chinese)), ensure_ascii=False)  # plotly escapes non-ASCII
    assert _spec(english) != _spec(chinese) and "门" in chinese_text
    shapes = _lstm({**view, "view": "Shapes"})
    projected = _lstm({**view, "view": "Shapes", "present": "1"})
    assert built["shapes_diagram"] == 2 and _spec(shapes) != _spec(projected)


def test_a_class_that_trained_together_traces_each_checkpoint_once(built, monkeypatch):
    looked = {"count": 0}
    real = train_page._look_inside

    def counting(*args):
        looked["count"] += 1
        return real(*args)

    monkeypatch.setattr(train_page, "_look_inside", counting)
    query = {"steps": "60", "seq_len": "8", "hidden_size": "6"}
    sessions = []
    for _ in range(3):
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params.update(query)
        at.switch_page("pages/train.py").run()
        at.button(key="train_start").click().run()
        sessions.append(at)
    job = sessions[0].session_state["train_job"]
    assert all(at.session_state["train_job"] is job for at in sessions)  # one shared job
    job.thread.join(60)
    assert not job.running
    for at in sessions:
        at.run()
        assert not at.exception
    assert looked["count"] == 1  # the last checkpoint, traced once for the three
    assert {at.get("plotly_chart")[-1].proto.spec for at in sessions} == {
        sessions[0].get("plotly_chart")[-1].proto.spec}
    sessions[1].select_slider(key="train_checkpoint").set_value(0).run()
    sessions[2].select_slider(key="train_checkpoint").set_value(0).run()
    assert looked["count"] == 2
    assert sessions[1].get("plotly_chart")[-1].proto.spec != sessions[0].get("plotly_chart")[-1].proto.spec
