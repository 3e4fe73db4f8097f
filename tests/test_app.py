"""The app through Streamlit's AppTest: every page renders, every control reruns cleanly,
bad combinations show st.error, presets give the seed note's shapes, views reuse the cache."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import rnnviz
from rnnviz.ui import run as ui_run

APP = str(Path(__file__).parents[1] / "app.py")
PAGES = {"RNN": "pages/rnn.py", "LSTM": "pages/lstm.py", "GRU": "pages/gru.py"}


def _page(kind: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page(PAGES[kind]).run()
    assert not at.exception
    return at


def _charts(at: AppTest) -> list:
    return at.get("plotly_chart")


@pytest.mark.parametrize("kind", PAGES)
def test_page_renders_three_views(kind):
    at = _page(kind)
    assert not at.error
    assert len(_charts(at)) == 1  # Shapes: the diagram
    assert any("Total parameters" in m.value for m in at.markdown)
    table = next(m.value for m in at.markdown if m.value.startswith("| name | shape |"))
    assert "| `weight_ih_l0` | (" in table and "| `bias_hh_l0` |" in table
    counts = [int(row.split("|")[-2].replace(",", "")) for row in table.splitlines()[2:]]
    total = next(m.value for m in at.markdown if "Total parameters" in m.value)
    assert f"{sum(counts):,}" in total  # every weight and bias listed, adding up to the total
    assert any("max |trace − torch|" in c.value for c in at.caption)
    at.radio(key="view").set_value("Hidden states").run()
    assert not at.exception and len(_charts(at)) == 1  # one chart at a time: the heatmap first
    shown = []
    options = ["heatmap", "lines", "trajectory"] + (["cell"] if kind == "LSTM" else [])
    assert len(at.radio(key="states_chart").options) == len(options)  # no cell state but an LSTM's
    for option in options:
        at.radio(key="states_chart").set_value(option).run()
        assert not at.exception and len(_charts(at)) == 1
        shown.append(_charts(at)[0].proto.id.split("-")[-1])
    expected = ["chart_h_heatmap", "chart_h_lines", "chart_h_pca", "chart_c_heatmap"]
    assert shown == expected[:len(options)]
    at.radio(key="view").set_value("Gates").run()
    assert not at.exception and len(_charts(at)) == 1  # the gates
    if kind != "RNN":
        at.toggle(key="show_saturation").set_value(True).run()
        assert not at.exception and len(_charts(at)) == 2  # gates + saturation


CHANGES = [
    ("radio", "view", "Hidden states"),
    ("slider", "input_size", 5),
    ("slider", "hidden_size", 12),
    ("slider", "num_layers", 3),
    ("slider", "dropout", 0.3),
    ("toggle", "bias", False),
    ("toggle", "batch_first", True),
    ("toggle", "bidirectional", True),
    ("toggle", "train", True),
    ("slider", "seq_len", 40),
    ("slider", "batch_size", 4),
    ("text_input", "lengths", "40,20,7,3"),
    ("selectbox", "view_layer", 2),
    ("selectbox", "view_direction", 1),
    ("selectbox", "view_sequence", 1),
    ("radio", "initial_state", "random"),
    ("selectbox", "source", "step"),
    ("selectbox", "source", "impulse"),
    ("selectbox", "source", "random"),
    ("selectbox", "source", "text"),
    ("radio", "dtype", "float64"),
    ("number_input", "seed", 3),
    ("radio", "view", "Gates"),
    ("slider", "num_layers", 1),
    ("toggle", "bidirectional", False),
    ("radio", "view", "Shapes"),
]


@pytest.mark.parametrize("kind", PAGES)
def test_every_control_reruns_without_exception(kind):
    at = _page(kind)
    changes = list(CHANGES)
    if kind == "RNN":
        changes.append(("radio", "nonlinearity", "relu"))
    if kind == "LSTM":
        changes.append(("number_input", "proj_size", 4))
    for widget, key, value in changes:
        where = at.sidebar if key in ("dtype", "seed") else at
        getattr(where, widget)(key=key).set_value(value).run()
        assert not at.exception, (key, value)
        assert not at.error, (key, value, [e.value for e in at.error])
    assert len(_charts(at)) >= 1


def test_invalid_proj_size_shows_an_error_not_a_traceback():
    at = _page("LSTM")
    at.slider(key="hidden_size").set_value(8).run()
    at.number_input(key="proj_size").set_value(8).run()
    assert not at.exception
    assert any("smaller than hidden_size" in e.value for e in at.error)


def test_bad_lengths_show_an_error():
    at = _page("GRU")
    at.text_input(key="lengths").set_value("3,x").run()
    assert not at.exception and any("whole numbers" in e.value for e in at.error)
    at.text_input(key="lengths").set_value("99,2").run()
    assert not at.exception and any("every length must lie in" in e.value for e in at.error)


def test_over_budget_configuration_is_refused_with_advice(monkeypatch):
    monkeypatch.setattr("rnnviz.ui.layer_page.TRACE_BUDGET_MB", 1.0)
    at = _page("LSTM")
    at.slider(key="hidden_size").set_value(512).run()
    at.slider(key="seq_len").set_value(1000).run()
    assert not at.exception
    assert any("budget" in e.value and "Lower seq_len" in e.value for e in at.error)


@pytest.mark.parametrize("index", range(3))
def test_presets_show_the_seed_note_shapes(index):
    example = rnnviz.SEED_EXAMPLES[index]
    at = _page(example.spec.kind)
    at.button(key=f"preset_{index}").click().run()
    assert not at.exception and not at.error
    diagram = next(c for c in _charts(at) if "input" in str(c.proto.spec))
    text = str(diagram.proto.spec)
    printed = example.printed.replace("torch.Size([", "(").replace("])", ")")
    for shape in printed.split(") "):
        assert shape.strip(")") + ")" in text
    assert any(
        example.spec.code(example.seq_len, example.batch_size).strip() == c.value.strip() for c in at.code
    )


def test_view_only_change_does_not_rerun_the_model():
    at = _page("GRU")
    at.radio(key="view").set_value("Hidden states").run()
    at.toggle(key="bidirectional").set_value(True).run()
    at.slider(key="num_layers").set_value(2).run()
    before = ui_run.model_runs["count"]
    at.selectbox(key="view_layer").set_value(1).run()
    at.selectbox(key="view_direction").set_value(1).run()
    at.selectbox(key="view_sequence").set_value(1).run()
    at.radio(key="states_chart").set_value("trajectory").run()
    at.radio(key="pca_dims").set_value(3).run()
    at.radio(key="view").set_value("Gates").run()
    at.toggle(key="show_saturation").set_value(True).run()
    at.radio(key="view").set_value("What if").run()
    at.radio(key="view").set_value("Shapes").run()
    assert not at.exception
    assert ui_run.model_runs["count"] == before
    at.slider(key="hidden_size").set_value(9).run()  # a model change does run it
    assert ui_run.model_runs["count"] == before + 1


def test_every_widget_has_help():
    at = _page("LSTM")
    for kind in ("slider", "toggle", "selectbox", "radio", "number_input", "text_input"):
        for widget in list(at.get(kind)) + list(at.sidebar.get(kind)):
            assert widget.proto.help, (kind, widget.proto.label)


def test_step_through_works_out_one_unit_by_hand():
    at = _page("LSTM")
    at.radio(key="view").set_value("Gates").run()
    before = ui_run.model_runs["count"]
    at.slider(key="step_t").set_value(5).run()
    at.button(key="step_next").click().run()
    at.number_input(key="step_unit").set_value(3).run()
    assert not at.exception and at.slider(key="step_t").value == 6
    assert any("Step t = 6, unit 3, by hand" in m.value for m in at.markdown)
    worked = next(c.value for c in at.code if c.value.startswith("i = σ("))
    finals = [line for line in worked.splitlines() if "   [" in line]  # each equation's last row
    assert len(finals) >= 6  # i, f, g, o, c_t, h_t
    for line in finals:  # the worked value and torch's agree to the digits shown
        value, traced = line.rsplit(" = ", 1)[1].split("   [")
        assert float(value) == pytest.approx(float(traced.rstrip("]")), abs=1e-4)
    charts = [c for c in _charts(at) if "shapes" in str(c.proto.spec)]
    assert charts and '"x0":6' in str(charts[0].proto.spec).replace(" ", "")  # the marker moved to t = 6
    assert ui_run.model_runs["count"] == before  # stepping never reruns the model


def test_play_walks_the_marker_to_the_end_and_stops():
    at = _page("GRU")
    at.slider(key="seq_len").set_value(4).run()
    at.radio(key="view").set_value("Hidden states").run()
    before = ui_run.model_runs["count"]
    at.toggle(key="step_play").set_value(True).run()  # reruns itself once per step
    assert not at.exception
    assert at.slider(key="step_t").value == 3 and at.toggle(key="step_play").value is False
    assert ui_run.model_runs["count"] == before
