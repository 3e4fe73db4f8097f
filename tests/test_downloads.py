"""Downloads that always arrive (rnnviz.ui.downloads). In Chromium: more than 50 clicks on "states and
gates (CSV)" on /lstm, /gru and /rnn, in the patterns that lost files with Streamlit's deferred
download (clicks ~1.5 s apart, double clicks, a click right after a view switch, after ▶, during and
right after play), alone and while a class of websocket sessions reruns the app; every click must
bring a non-empty CSV with the trace's header. And the pin, against Streamlit's own media file manager."""

from __future__ import annotations

import asyncio
import gc
import threading
import time
import types
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.serve import streamlit_server, wait_idle

HEADER = b"layer,direction,sequence,t,unit,variable,value\n"
CLICK_TIMEOUT_MS = 15_000  # a click that brings no file within this counts as lost
MAX_LOST = 6  # the test stops after this many lost files (each costs a timeout), with the count so far
BUTTON = ".st-key-download_csv button:visible >> nth=0"


@pytest.fixture(scope="module")
def server():
    with streamlit_server() as url:
        yield url


class Clicks:
    """Clicks on the CSV download button of one page; each must bring a file."""

    def __init__(self, page, name: str):
        self.page, self.name = page, name
        self.clicks = 0
        self.lost: list[str] = []

    def _check(self, download, what: str) -> None:
        failure = download.failure()
        if failure is not None:
            self.lost.append(f"{what}: {failure}")
            return
        data = Path(download.path()).read_bytes()
        if not data.startswith(HEADER) or data.count(b"\n") < 2:
            self.lost.append(f"{what}: not the trace's CSV ({data[:60]!r})")

    def _stop_if_hopeless(self) -> None:
        if len(self.lost) >= MAX_LOST:
            pytest.fail(f"{self.name}: {len(self.lost)} of {self.clicks} clicks brought no CSV: {self.lost}")

    def click(self, what: str) -> None:
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        self.clicks += 1
        try:
            with self.page.expect_download(timeout=CLICK_TIMEOUT_MS) as info:
                self.page.locator(BUTTON).click()
            self._check(info.value, what)
        except PlaywrightTimeout:
            self.lost.append(f"{what}: no download")
        self._stop_if_hopeless()

    def double(self, what: str) -> None:
        """A double click: two files."""
        got = []

        def collect(download) -> None:
            got.append(download)

        self.page.on("download", collect)
        self.page.locator(BUTTON).dblclick()
        deadline = time.monotonic() + CLICK_TIMEOUT_MS / 1000
        while len(got) < 2 and time.monotonic() < deadline:
            self.page.wait_for_timeout(100)
        self.page.remove_listener("download", collect)
        self.clicks += 2
        for download in got[:2]:
            self._check(download, what)
        self.lost += [f"{what}: no download"] * (2 - min(len(got), 2))
        self._stop_if_hopeless()


def _open(browser, url: str):
    page = browser.new_page(viewport={"width": 1500, "height": 1100}, accept_downloads=True)
    page.goto(url)
    wait_idle(page)
    page.locator(BUTTON).wait_for(timeout=120_000)
    return page


def _view(page, name: str) -> None:
    page.locator(".st-key-view label").filter(has_text=name).click()  # no wait: the next click races it


def _playing(page) -> bool:
    return page.locator(".st-key-step_play input").is_checked()


def _mixed(clicks: Clicks, spaced: int = 4, doubles: int = 2, rapid: int = 3) -> None:
    page = clicks.page
    for i in range(spaced):  # the measured failure: a second click about 1.5 s after the first
        clicks.click(f"spaced click {i}")
        page.wait_for_timeout(1500)
    for i in range(doubles):
        clicks.double(f"double click {i}")
        page.wait_for_timeout(300)
    for i in range(rapid):
        clicks.click(f"rapid click {i}")


def _after_view_switches(clicks: Clicks, views=("Gates", "Shapes", "Hidden states")) -> None:
    for name in views:
        _view(clicks.page, name)
        clicks.click(f"click right after switching to {name}")
    wait_idle(clicks.page)


def _after_next(clicks: Clicks, times: int = 2) -> None:
    for i in range(times):
        clicks.page.locator(".st-key-step_next button:visible >> nth=0").click()
        clicks.click(f"click right after ▶ {i}")
    wait_idle(clicks.page)


def _during_and_after_play(clicks: Clicks, during: int = 3) -> None:
    page = clicks.page
    page.locator(".st-key-step_play label").click()
    clicks.click("click right after pressing play")
    for i in range(during):
        clicks.click(f"click while playing {i}")
    page.wait_for_function("() => !document.querySelector('.st-key-step_play input').checked",
                           timeout=120_000)
    clicks.click("click right after play ended")
    wait_idle(page)


def test_every_click_brings_the_csv(server, browser):
    """52 clicks over the three layer pages; a short seq_len so that play ends within seconds."""
    query = "?view=Hidden%20states&seq_len=6"
    results = []
    page = _open(browser, f"{server}/lstm{query}")
    lstm = Clicks(page, "/lstm")
    _mixed(lstm, spaced=6, doubles=3, rapid=4)  # 16
    _after_view_switches(lstm, ("Gates", "Shapes", "Hidden states", "Gates"))  # 4
    _during_and_after_play(lstm, during=3)  # 5
    _after_next(lstm, times=3)  # 3
    results.append(lstm)
    page.close()
    for kind in ("gru", "rnn"):
        page = _open(browser, f"{server}/{kind}{query}")
        clicks = Clicks(page, f"/{kind}")
        _mixed(clicks, spaced=2, doubles=1, rapid=2)  # 6
        _after_view_switches(clicks, ("Gates", "Hidden states"))  # 2
        _during_and_after_play(clicks, during=1)  # 3
        _after_next(clicks, times=1)  # 1
        results.append(clicks)
        page.close()
    total = sum(c.clicks for c in results)
    lost = [f"{c.name} {what}" for c in results for what in c.lost]
    assert total >= 50
    assert not lost, f"{len(lost)} of {total} clicks brought no CSV: {lost}"


# ---------------------------------------------------------------------------------------------
# a class rerunning the app meanwhile (websocket sessions, as bench/classroom.py drives them)

STUDENTS = 15


def _class(url: str, stop: threading.Event, opened: threading.Event, moves: list) -> None:
    """STUDENTS sessions on /lstm, each moving hidden_size or seq_len every 0.3 s until `stop`."""
    from bench.classroom import Session

    server = types.SimpleNamespace(url=url, port=urlparse(url).port)

    async def student(session, index: int) -> None:
        step = 0
        while not stop.is_set():
            change = ({"hidden_size": 4 + (index * 7 + step * 5) % 40} if step % 2 == 0
                      else {"seq_len": 8 + (index * 3 + step * 7) % 50})
            moves.append(await session.rerun(change))
            step += 1
            await asyncio.sleep(0.3)

    async def main() -> None:
        sessions = [Session(server) for _ in range(STUDENTS)]
        try:
            await asyncio.gather(*(s.open() for s in sessions))
            opened.set()
            await asyncio.gather(*(student(s, i) for i, s in enumerate(sessions)))
        finally:
            opened.set()
            await asyncio.gather(*(s.close() for s in sessions), return_exceptions=True)

    asyncio.run(main())


def test_downloads_arrive_while_a_class_moves_controls(server, browser):
    stop, opened, moves = threading.Event(), threading.Event(), []
    thread = threading.Thread(target=_class, args=(server, stop, opened, moves), daemon=True)
    thread.start()
    try:
        assert opened.wait(180)
        page = _open(browser, f"{server}/lstm?view=Gates&seq_len=6")
        clicks = Clicks(page, "/lstm under load")
        _mixed(clicks, spaced=3, doubles=2, rapid=3)  # 10
        _after_view_switches(clicks, ("Hidden states", "Gates"))  # 2
        _during_and_after_play(clicks, during=1)  # 3
        _after_next(clicks, times=1)  # 1
        page.close()
    finally:
        stop.set()
        thread.join(60)
    assert len(moves) >= STUDENTS  # the class did move meanwhile
    assert clicks.clicks >= 16 and not clicks.lost, (
        f"{len(clicks.lost)} of {clicks.clicks} clicks brought no CSV: {clicks.lost}")


# ---------------------------------------------------------------------------------------------
# the pin, against Streamlit's own media file manager


def test_a_ready_download_outlives_the_sessions_reruns_and_goes_with_its_entry(monkeypatch):
    """A session's rerun drops its references and every run that ends sweeps unreferenced files:
    the pinned file stays while RUNS keeps its bytes, and goes once the entry is dropped."""
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    from rnnviz.server import budget
    from rnnviz.ui import downloads

    manager = MediaFileManager(MemoryMediaFileStorage("/media"))
    fake = types.SimpleNamespace(exists=lambda: True,
                                 get_instance=lambda: types.SimpleNamespace(media_file_mgr=manager))
    monkeypatch.setattr(downloads, "runtime", fake)
    data = HEADER + b"0,0,0,0,0,h,0.5\n"
    ready = downloads.ready(("test", "pin"), 3 * len(data), lambda: data, "text/csv", "rnnviz_trace.csv")
    assert ready.data == data
    url = manager.add(data, "text/csv", "the button", file_name="rnnviz_trace.csv",
                      is_for_static_download=True)  # as the session's download button does
    name = url.rsplit("/", 1)[-1]
    manager.clear_session_refs("dontcare")  # the session reruns (the session of a thread without one)
    for _ in range(4):  # runs end elsewhere
        manager.remove_orphaned_files()
    assert manager.read_file(name) is not None and manager.read_file(name).content == data
    del ready
    budget.RUNS.clear()  # the budget drops the entry: the pin goes with it
    gc.collect()
    for _ in range(2):
        manager.remove_orphaned_files()
    assert manager.read_file(name) is None


def test_a_large_csv_is_prepared_on_request_and_counted_in_the_budget(monkeypatch):
    """Above READY_VALUES the page offers "prepare"; once asked, a ready download button (a URL, no
    deferred callable) with the run's CSV, whose bytes RUNS counts."""
    from streamlit.testing.v1 import AppTest

    from rnnviz.server import budget
    from rnnviz.ui import downloads

    app = str(Path(__file__).resolve().parents[1] / "app.py")
    monkeypatch.setattr(downloads, "READY_VALUES", 100)
    at = AppTest.from_file(app, default_timeout=120)
    at.query_params.update({"view": "Gates"})
    at.switch_page("pages/lstm.py").run()
    assert not at.exception
    buttons = {b.proto.id.rsplit("-", 1)[-1]: b for b in at.get("download_button")}
    assert "download_csv" not in buttons and "download_json" in buttons
    at.button(key="prepare_csv").click().run()
    assert not at.exception
    csv = [b.proto for b in at.get("download_button") if b.proto.id.endswith("download_csv")]
    assert len(csv) == 1 and csv[0].url and not csv[0].deferred_file_id
    kept = [(entry.value.data, entry.nbytes) for key, entry in budget.RUNS._entries.items()
            if key[0] == "download" and key[1][0] == "csv"]
    assert kept and all(data.startswith(HEADER) and nbytes == len(data) for data, nbytes in kept)
    at.run()  # a rerun keeps the download button, with the same file
    again = [b.proto for b in at.get("download_button") if b.proto.id.endswith("download_csv")]
    assert len(again) == 1 and again[0].url == csv[0].url
