"""One message per outcome: a page never shows a note that something worked (info, success) beside
an error about the same thing."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).parents[1] / "app.py")

CASES = [
    # the text decides input_size, but the layer cannot be built: only the refusal
    ("text input, invalid layer", "pages/lstm.py",
     {"source": "text", "hidden_size": "4", "proj_size": "4"}, {}),
    ("train: an invalid configuration", "pages/train.py", {"proj_size": "20", "kind": "LSTM"}, {}),
]


@pytest.mark.parametrize("name,page,query,state", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_success_or_info_beside_an_error(name, page, query, state, lang):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({**query, "lang": lang})
    for key, value in state.items():
        at.session_state[key] = value
    at.switch_page(page).run()
    assert not at.exception
    assert at.error, name  # the case does refuse
    assert not at.info and not at.success, [m.value for m in [*at.info, *at.success]]


def test_the_text_note_shows_once_the_layer_runs():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"source": "text"})
    at.switch_page("pages/lstm.py").run()
    assert not at.error and [m.value for m in at.info] == ["input_size follows the text: 8."]
