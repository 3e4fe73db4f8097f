"""A fragment that reruns on a timer, with a new identity in every full run.

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
