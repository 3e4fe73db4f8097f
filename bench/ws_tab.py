"""Streamlit sessions over the websocket that behave as browser tabs, and servers to point them at
(for bench/lead_class.py; bench/classroom.py's Session times single reruns).

A `Tab` keeps what a browser keeps: the page and its URL parameters, widget ids by key, and the
timers of fragments with run_every. The server sends AutoRerun(fragment_id, interval) when such a
fragment runs; the browser then asks for a rerun of that fragment every `interval` seconds, and
drops its timers when a full run starts (that run sends them again). So a page that polls (the
class bar, the Train page's progress) polls here too, and what it then does (st.rerun,
st.switch_page) reaches the tab as a full run it did not ask for. Every run that finishes is kept
as a `Finish`, with the texts it drew, for the scenarios to wait on.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402  (a Streamlit dependency)
from websockets.exceptions import ConnectionClosed  # noqa: E402

from bench.classroom import Server  # noqa: E402
from tests.serve import free_port, wait_healthy  # noqa: E402

# ---------------------------------------------------------------------------------------------
# servers


class Replica(Server):
    """bench/probe_serve.py serving `root`'s app.py on a free port, with `env` on top of this process's
    environment."""

    def __init__(self, log: Path, env: dict | None = None, root: Path = ROOT):  # Server's, another command
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environment = {**os.environ, **(env or {})}
        environment.pop("RNNVIZ_DEFAULTS", None)
        log.parent.mkdir(parents=True, exist_ok=True)
        self.log_path = log
        self._log = open(log, "wb")
        command = [sys.executable, str(ROOT / "bench" / "probe_serve.py"), "app.py", "--server.headless=true",
                   f"--server.port={self.port}", "--server.address=127.0.0.1",
                   "--browser.gatherUsageStats=false", "--server.fileWatcherType=none"]
        self.process = subprocess.Popen(command, cwd=root, env=environment, stdout=self._log,
                                        stderr=subprocess.STDOUT)
        self.samples = []
        self._stop = threading.Event()
        wait_healthy(self.url, self.process)
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def jobs(self) -> tuple[list[float], list[tuple[float, float, str]]]:
        """From the log: the wall times jobs started; (end wall time, seconds trained, stopped) per end."""
        text = self.log_path.read_text(errors="replace")  # lines of two threads may run together
        starts = [float(t) for t in re.findall(r"rnnviz-bench job \d+ start (\d+\.\d{3})", text)]
        ends = [(float(t), float(s), stopped) for t, s, stopped in
                re.findall(r"rnnviz-bench job \d+ end (\d+\.\d{3}) seconds (\d+\.\d{3}) stopped ([\w,]+?)"
                           r"(?=rnnviz-bench|\s|$)", text)]
        return starts, ends


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"


# ---------------------------------------------------------------------------------------------
# a browser tab over the websocket


@dataclass
class Finish:
    """One script run that ended (not one that was cut short for a rerun)."""

    at: float  # time.time() when the client read script_finished
    full: bool  # a run of the whole page, not of a fragment
    page: str  # the page's URL path ("" = home)
    query: dict
    texts: tuple[str, ...]  # markdown, headings, alerts and progress texts of the run
    unfinished: bool = False  # a full run whose script_finished never came: the next run began

    def says(self, words: str) -> bool:
        return any(words in text for text in self.texts)


class Tab:
    """A browser tab on one session: explicit reruns, the fragments' timers, every finished run."""

    def __init__(self, port: int, headers: dict | None = None):
        self.port, self.headers = port, headers or {}
        self.query = ""
        self.page = ""
        self.page_hash = ""
        self.paths: dict[str, str] = {}  # page script hash -> URL path
        self.ids: dict[str, str] = {}  # widget user key -> widget id
        self.finishes: list[Finish] = []
        self.errors: list[str] = []
        self._texts: list[str] = []
        self._full = True
        self._ended = True
        self._timers: dict[str, tuple[float, asyncio.Task]] = {}
        self._bump = asyncio.Event()
        self.events: deque[str] = deque(maxlen=400)  # the last messages, for a report of what went wrong
        self.ws = None
        self._reader = None

    async def open(self, page: str = "", query: str = "", timeout: float = 120) -> Finish | None:
        self.ws = await connect(f"ws://127.0.0.1:{self.port}/_stcore/stream", subprotocols=["streamlit"],
                                ping_interval=None, max_size=None, open_timeout=60, close_timeout=5,
                                additional_headers=self.headers)
        self._reader = asyncio.create_task(self._read())
        self.query = query
        return await self.rerun({}, page=page, timeout=timeout)

    async def close(self) -> None:
        for _, task in self._timers.values():
            task.cancel()
        self._timers.clear()
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                message = ForwardMsg()
                message.ParseFromString(raw)
                self._handle(message)
        except ConnectionClosed:
            self.errors.append("websocket closed")

    def _handle(self, message: ForwardMsg) -> None:
        kind = message.WhichOneof("type")
        if kind not in ("delta", "navigation", "page_config_changed", "session_status_changed"):
            self.events.append(f"{time.time():.2f} {kind} {self._event(message, kind)}")
        if kind == "new_session":
            if self._full and not self._ended and self._texts:
                # the server sent no script_finished for the full run before this one (seen under load:
                # a follower's run after st.rerun); what it drew stands, so it counts as ended here
                self._finish(unfinished=True)
            self._ended = False
            self._full = not message.metadata.run.fragment_ids
            self._texts = []
            if self._full:  # the browser's cleanupAutoReruns: this run's fragments start their timers
                for _, task in self._timers.values():
                    task.cancel()
                self._timers.clear()
        elif kind == "navigation":
            self.paths = {p.page_script_hash: p.url_pathname for p in message.navigation.app_pages}
            self.page_hash = message.navigation.page_script_hash
            self.page = self.paths.get(self.page_hash, self.page)
        elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            element = message.delta.new_element
            what = element.WhichOneof("type")
            if what == "exception":
                self.errors.append(f"exception {element.exception.type}: {element.exception.message[:120]}")
            elif what in ("markdown", "heading", "alert"):
                self._texts.append(getattr(element, what).body)
            elif what == "progress":
                self._texts.append(element.progress.text)
            elif what is not None:
                widget_id = getattr(getattr(element, what), "id", "")
                if widget_id.startswith("$$ID-"):
                    self.ids[widget_id.split("-", 2)[2]] = widget_id
        elif kind == "page_info_changed":
            self.query = message.page_info_changed.query_string
        elif kind == "page_not_found":
            self.errors.append("page_not_found")
        elif kind == "auto_rerun":
            fragment, interval = message.auto_rerun.fragment_id, message.auto_rerun.interval
            if fragment and self._timers.get(fragment, (None,))[0] != interval:
                if fragment in self._timers:
                    self._timers[fragment][1].cancel()
                self._timers[fragment] = (interval, asyncio.create_task(self._tick(fragment, interval)))
        elif kind == "stop_auto_rerun":
            for fragment in message.stop_auto_rerun.fragment_ids:
                if fragment in self._timers:
                    self._timers.pop(fragment)[1].cancel()
        elif kind == "script_finished":
            self._ended = True
            if message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                self._finish()

    def _finish(self, unfinished: bool = False) -> None:
        self.finishes.append(Finish(time.time(), self._full, self.page, dict(parse_qsl(self.query)),
                                    tuple(self._texts), unfinished))
        self._bump.set()
        self._bump = asyncio.Event()

    def _event(self, message: ForwardMsg, kind: str) -> str:
        if kind == "new_session":
            return f"fragments={list(message.metadata.run.fragment_ids)}"
        if kind == "script_finished":
            return str(message.script_finished)
        if kind == "page_info_changed":
            return message.page_info_changed.query_string[:60]
        return ""

    async def _tick(self, fragment: str, interval: float) -> None:
        """The browser's setInterval: ask for the fragment's rerun every `interval` seconds."""
        try:
            while True:
                await asyncio.sleep(interval)
                message = BackMsg()
                rerun = message.rerun_script
                rerun.query_string = self.query
                rerun.page_script_hash = self.page_hash
                rerun.fragment_id = fragment
                rerun.is_auto_rerun = True
                self.events.append(f"{time.time():.2f} sent fragment {fragment[:8]}")
                await self.ws.send(message.SerializeToString())
        except (asyncio.CancelledError, ConnectionClosed):
            pass

    async def send(self, widgets: dict, triggers: tuple = (), page: str | None = None) -> None:
        message = BackMsg()
        rerun = message.rerun_script
        rerun.page_name = self.page if page is None else page
        rerun.query_string = self.query
        for key, value in widgets.items():
            state = rerun.widget_states.widgets.add()
            state.id = self.ids[key]
            if isinstance(value, bool):
                state.bool_value = value
            else:  # a slider
                state.double_array_value.data.append(float(value))
        for key in triggers:
            state = rerun.widget_states.widgets.add()
            state.id = self.ids[key]
            state.trigger_value = True
        await self.ws.send(message.SerializeToString())

    async def rerun(self, widgets: dict, triggers: tuple = (), page: str | None = None,
                    timeout: float = 60) -> Finish | None:
        """Send a rerun; the next full run that finishes (None after `timeout`)."""
        start = len(self.finishes)
        await self.send(widgets, triggers, page)
        return await self.until(lambda f: f.full, start, timeout)

    async def until(self, wanted, start: int = 0, timeout: float = 60) -> Finish | None:
        """The first finished run from index `start` on that is `wanted`, or None after `timeout` s."""
        deadline = time.monotonic() + timeout
        while True:
            while start < len(self.finishes):
                if wanted(self.finishes[start]):
                    return self.finishes[start]
                start += 1
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                await asyncio.wait_for(self._bump.wait(), left)
            except asyncio.TimeoutError:
                return None
