"""A fragment's rerun asked from a page the session has since left is skipped (rnnviz.ui.fragments):
run, it would announce the old page and the browser would clear the page it had just drawn."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from streamlit.runtime.scriptrunner.script_runner import ScriptRunner
from streamlit.runtime.scriptrunner_utils.script_requests import RerunData

from rnnviz.ui.fragments import of_a_left_page, skip_fragment_runs_of_a_left_page, skipping_left_pages

HOME, LSTM = "a05c0a", "eadfa6"
STALE = RerunData(page_script_hash=HOME, fragment_id_queue=["bar"])  # asked on home, run after a move


@pytest.mark.parametrize(("current", "data", "left"), [
    (LSTM, STALE, True),
    (LSTM, RerunData(page_script_hash=LSTM, fragment_id_queue=["bar"]), False),  # this page's fragment
    (LSTM, RerunData(page_script_hash=HOME), False),  # a full run to another page: a move
    ("", STALE, False),  # before any run
    (LSTM, RerunData(page_script_hash="", fragment_id_queue=["bar"]), False),  # no page named
])
def test_only_a_fragment_run_asked_from_another_page_is_of_a_left_page(current, data, left):
    assert of_a_left_page(current, data) is left


def test_the_runner_skips_a_left_page_fragment_run_and_runs_every_other():
    ran = []
    run_script = skipping_left_pages(lambda runner, data: ran.append(data))
    runner = SimpleNamespace(_pages_manager=SimpleNamespace(current_page_script_hash=LSTM))
    run_script(runner, STALE)
    assert ran == []
    others = [RerunData(page_script_hash=LSTM, fragment_id_queue=["bar"]), RerunData(page_script_hash=HOME)]
    for data in others:
        run_script(runner, data)
    assert ran == others


def test_streamlit_runs_scripts_through_the_guard_once():
    skip_fragment_runs_of_a_left_page()
    skip_fragment_runs_of_a_left_page()  # the app calls it on every run
    guarded = ScriptRunner._run_script
    assert guarded.rnnviz_guard and not getattr(guarded.__wrapped__, "rnnviz_guard", False)
