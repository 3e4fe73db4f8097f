"""Downloads that always arrive: ready bytes, counted in the server's budget, pinned where Streamlit
serves them.

Why not Streamlit's deferred download (`st.download_button` with a callable), as measured with
Streamlit 1.67 (streamlit/runtime/media_file_manager.py):

- A click asks the server, over the websocket, to run the callable (`execute_deferred`). The file it
  stores is tied to no session, and every script run that ends anywhere on the server calls
  `remove_orphaned_files()`, which marks an unreferenced downloadable file on its first pass and
  deletes it on its second. With a class rerunning every second the file is often gone before the
  browser's GET arrives: 404 (12 of 25 small and 15 of 18 large exports, 30 sessions).
- The callable gets a new id on every run of the session and the old id is dropped when that run
  ends: a click on a button drawn by the run before (the click itself reruns the page; play reruns it
  every 0.6 s) finds no callable, and the button spins with no file.

A ready download (the data as bytes) is stored once and named by a hash of its content, so a rerun
that shows the same bytes keeps the same URL. Streamlit keeps it while a session references it at
the button's place, but each full rerun of that session first drops all the session's references
(`clear_session_refs`) and adds them back only when the run reaches the button; in between (a view
switch, play), two runs ending elsewhere delete the file, and a click then answers 404.

So, here, by construction:

1. The bytes are made once per run (and slice) and kept in `RUNS`, the server's memory budget,
   counted as their length (issue 11: everything the server keeps is counted); Streamlit's store
   holds the same bytes object, not a copy. Every rerun offers the same bytes: the URL is stable.
2. While that entry lives, the file is also referenced under a session of our own, `PIN_SESSION`,
   that Streamlit never clears ("pinned"): no session's rerun, end or sweep can delete it. When the
   budget drops the entry (least recently used, or idle for RNNVIZ_CACHE_TTL_S) the pin goes with
   it (a finalizer), and Streamlit collects the file once no session references it. A rerun then
   makes the bytes again, which have the same URL.
3. A small export (at most `READY_VALUES` values, a few hundred kB) is ready with every run; a larger
   one (up to rnnviz.ui.views.EXPORT_VALUES, ~10 MB) is written when the learner asks ("prepare"),
   within a reservation of three times its size, and then offered the same way.
4. The buttons do not rerun the page when clicked (`on_click="ignore"`).

The pin uses two private attributes of Streamlit's `MediaFileManager` (its lock and its references
by session); where they are missing (another Streamlit) a download has the session's reference
alone. tests/test_downloads.py checks the pin against Streamlit's own manager.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Callable
from dataclasses import dataclass

from streamlit import runtime

from rnnviz.server.budget import RUNS

READY_VALUES = 10_000  # a CSV up to this many values (~0.4 MB, ~20 ms to write) is ready with its run
PIN_SESSION = "rnnviz-pinned-downloads"  # never a real session id (those are UUIDs)
_PLACE = "rnnviz-download"  # where the pinning add() puts the file in the drawing session (cleared next run)
_pins = itertools.count()


@dataclass(eq=False)
class Ready:
    """A download's bytes, kept in RUNS; Streamlit's file stays pinned while this object lives."""

    data: bytes


def _pin(data: bytes, mime: str, file_name: str) -> Callable[[], None] | None:
    """Store `data` as a download button would and reference it under PIN_SESSION; returns what
    drops that reference, or None without a Streamlit runtime (or with one whose manager differs)."""
    if not runtime.exists():
        return None
    manager = runtime.get_instance().media_file_mgr
    refs, lock = getattr(manager, "_files_by_session_and_coord", None), getattr(manager, "_lock", None)
    if not isinstance(refs, dict) or lock is None:
        return None
    url = manager.add(data, mime, _PLACE, file_name=file_name, is_for_static_download=True)
    file_id = url.rsplit("/", 1)[-1].split(".", 1)[0]  # ".../media/<file id>.csv"
    place = f"pin-{next(_pins)}"
    with lock:
        refs.setdefault(PIN_SESSION, {})[place] = file_id

    def unpin() -> None:
        with lock:
            pinned = refs.get(PIN_SESSION)
            if pinned is not None:
                pinned.pop(place, None)
                if not pinned:
                    del refs[PIN_SESSION]

    return unpin


def ready(key, estimate: int, write: Callable[[], bytes], mime: str, file_name: str) -> Ready:
    """The bytes of download `key`, from RUNS or written now (`write()` within `estimate` bytes of
    the budget), pinned in Streamlit's media store for as long as RUNS keeps them. Raises
    rnnviz.server.budget.ServerBusy when the budget has no room."""

    def make() -> Ready:
        result = Ready(write())
        unpin = _pin(result.data, mime, file_name)
        if unpin is not None:
            weakref.finalize(result, unpin)
        return result

    return RUNS.get_or_build(("download", key), estimate, make)


def is_ready(key) -> bool:
    return ("download", key) in RUNS
