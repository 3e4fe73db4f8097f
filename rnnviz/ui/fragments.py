"""A fragment that reruns on a timer, with a new identity in every full run; and a guard that skips a
fragment run asked from a page the session has left (`skip_fragment_runs_of_a_left_page`).

Streamlit (1.67) drops the rest of a full run's messages when a timed fragment request reaches the
server just after that run ended and before its messages went out: the request starts a new script
runner, and the old runner's events are ignored. The browser, which cleared its fragment timers when
the full run began, then waits for a timer that never comes: the page froze on its previous state
(measured with 30 sessions: 100 of 600 followed moves, and 2 of 30 trainings' ends, never shown;
bench/lead_class.py scenarios a and b). A fragment whose id is new in every full run closes that
window: a request for the previous run's fragment is dropped by Streamlit (the fragment no longer
exists), so it cannot start a new runner."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import streamlit as st

_IDS = itertools.count(1)


def timed_fragment(func: Callable[..., None], every: float | None, *args) -> None:
    """Run `func(*args)` as a fragment rerun every `every` seconds (None: no timer), under an id new
    to this full run. Streamlit's fragment id hashes the function's qualified name."""

    def fragment(*values) -> None:
        func(*values)

    fragment.__qualname__ = f"{func.__qualname__}.run{next(_IDS)}"
    fragment.__module__ = func.__module__
    st.fragment(fragment, run_every=every)(*args)


def skip_fragment_runs_of_a_left_page() -> None:
    """Skip a fragment's rerun that a browser asked for from a page this session has since left.

    Streamlit (1.67) queues a fragment request that reaches the server while a run is going on, and
    runs it afterwards with the page and URL the browser had when it asked. When the run in between
    moved the browser to another page (a follower moved by the teacher: st.switch_page), the queued
    run announces the old page: the browser clears the page it has just drawn, no fragment of the
    old page is left to draw anything, and the follower sat on an empty page under the new URL, its
    live bar polling on (tests/test_class_browser.py on a busy machine: the browser's fragment timer
    had fired three requests at once; each one's messages traced). A fragment's run belongs to the
    page that registered it, so a run asked from another page has nothing to do: skipped, it sends
    nothing. Installed once per process (rnnviz.ui.router.run_app)."""
    from streamlit.runtime.scriptrunner.script_runner import ScriptRunner

    if not getattr(ScriptRunner._run_script, "rnnviz_guard", False):
        ScriptRunner._run_script = skipping_left_pages(ScriptRunner._run_script)


def skipping_left_pages(run_script):
    """`run_script` (ScriptRunner._run_script) that skips a fragment run of a left page."""

    def _run_script(runner, rerun_data) -> None:
        pages = getattr(runner, "_pages_manager", None)
        if of_a_left_page(getattr(pages, "current_page_script_hash", ""), rerun_data):
            return
        run_script(runner, rerun_data)

    _run_script.rnnviz_guard = True
    _run_script.__wrapped__ = run_script
    return _run_script


def of_a_left_page(current_page: str, rerun_data) -> bool:
    """Whether `rerun_data` reruns only fragments, asked from a page other than `current_page` (the
    page of the session's latest run; "" before any)."""
    if not rerun_data.fragment_id_queue:
        return False  # a full run
    asked = rerun_data.page_script_hash
    return bool(current_page and asked and asked != current_page)
