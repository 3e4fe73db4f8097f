"""Benchmark: a class on one server, over Streamlit's websocket, no browser.

Scenario "class N" (N = each of --sessions, each on a fresh server): N students open the LSTM
page (/lstm) and keep moving a control (hidden_size, then seq_len, alternately, each time to a
value they had not asked for) with --think seconds between moves, for --seconds. Meanwhile one
"heavy student" moves a configuration near the per-trace budget (rnnviz.ui.run.TRACE_BUDGET_MB:
seq_len one step shorter each move, so every move is a new trace) and one "exporter" asks for
the CSV download (the deferred st.download_button, as the browser does: a
backend_operation_request over the websocket, then GET of the URL it answers) every
--export-every seconds.
Scenario "distinct K" (--distinct K): K sessions open the page, then each, all at once, asks
for a different configuration whose estimate (rnnviz.shapes.trace_nbytes) is 70-100% of the
per-trace budget; then all close.

Per move it times the server: rerun BackMsg sent -> script_finished (status 2, "finished early
for a rerun", is waited through). Errors: an exception element, page_not_found, the websocket
closing, no script_finished within 30 s (the move is still waited for, up to 180 s, and its
real time counted). `st.error` counts the page's own error boxes (e.g. "the server is busy").
The server (started with RNNVIZ_CACHE_TTL_S=--ttl, so expiry happens within the run) has its
VmRSS / VmHWM sampled every 0.2 s; its output goes to a log that is searched for tracebacks.

    python bench/classroom.py [--sessions 1,10,30] [--seconds 30] [--think 1.0] [--distinct 20]
                              [--ttl 20] [--export-every 3] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.proto.Alert_pb2 import Alert  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402  (a Streamlit dependency)
from websockets.exceptions import ConnectionClosed  # noqa: E402

from rnnviz.shapes import trace_nbytes  # noqa: E402
from rnnviz.spec import LayerSpec  # noqa: E402
from tests.serve import free_port, wait_healthy  # noqa: E402

TRACE_BUDGET_MB = float(os.environ.get("RNNVIZ_TRACE_BUDGET_MB", "300"))  # as rnnviz.ui.run reads it
EXPORT_VALUES = int(os.environ.get("RNNVIZ_EXPORT_VALUES", "1000000"))  # as rnnviz.ui.views reads it
TIMEOUT_S = 30.0  # a move slower than this is an error
HARD_TIMEOUT_S = 180.0  # ... and is given up after this
PAGE = "lstm"
MB = 2**20


# ---------------------------------------------------------------------------------------------
# configurations


def estimate(hidden_size: int, num_layers: int, bidirectional: bool, seq_len: int, batch_size: int,
             input_size: int = 3) -> int:
    spec = LayerSpec(kind="LSTM", input_size=input_size, hidden_size=hidden_size, num_layers=num_layers,
                     bidirectional=bidirectional)
    return trace_nbytes(spec, seq_len, batch_size)


def longest(hidden_size: int, num_layers: int, bidirectional: bool, batch_size: int, limit_mb: float) -> int:
    """The longest seq_len (slider: 1..1000) whose estimate stays within limit_mb."""
    fits = [t for t in range(1, 1001)
            if estimate(hidden_size, num_layers, bidirectional, t, batch_size) <= limit_mb * MB]
    return max(fits) if fits else 0


def heavy_config() -> dict:
    base = dict(hidden_size=512, num_layers=2, bidirectional=True, batch_size=4)
    return {**base, "seq_len": longest(**base, limit_mb=TRACE_BUDGET_MB)}


def exporter_config() -> dict:
    """A light run whose whole trace is just under the export limit (the CSV is not sliced)."""
    hidden, directions = 64, 2
    per_step = directions * (hidden + hidden + 4 * hidden)  # h, c and four gates per direction
    batch = 13
    return dict(hidden_size=hidden, num_layers=1, bidirectional=True, batch_size=batch,
                seq_len=EXPORT_VALUES // (per_step * batch))


DISTINCT_BASE = dict(num_layers=2, bidirectional=True, batch_size=8)


def distinct_configs(count: int) -> list[dict]:
    """`count` configurations, different hidden sizes, each estimated at 70-100% of the budget."""
    configs = []
    for i in range(count):
        hidden = 512 - i * (192 // max(count - 1, 1))
        share = 0.72 + 0.27 * i / max(count - 1, 1)
        seq_len = longest(hidden, **DISTINCT_BASE, limit_mb=share * TRACE_BUDGET_MB)
        configs.append(dict(hidden_size=hidden, seq_len=seq_len))
    return configs


def describe(config: dict) -> str:
    full = {**dict(num_layers=1, bidirectional=False, batch_size=2), **config}
    mb = estimate(full["hidden_size"], full["num_layers"], full["bidirectional"], full["seq_len"],
                  full["batch_size"]) / MB
    text = " ".join(f"{k}={v}" for k, v in full.items())
    return f"{text}: estimate {mb:.0f} MB = {100 * mb / TRACE_BUDGET_MB:.0f}% of {TRACE_BUDGET_MB:.0f} MB"


def query(config: dict) -> str:
    return "&".join(f"{k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in config.items())


# ---------------------------------------------------------------------------------------------
# the server


class Server:
    """`streamlit run app.py` on a free port, its memory sampled every 0.2 s, output to `log`."""

    def __init__(self, ttl: float, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "RNNVIZ_CACHE_TTL_S": str(ttl)}
        env.pop("RNNVIZ_DEFAULTS", None)
        log.parent.mkdir(parents=True, exist_ok=True)
        self.log_path = log
        self._log = open(log, "wb")
        command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless=true",
                   f"--server.port={self.port}", "--server.address=127.0.0.1",
                   "--browser.gatherUsageStats=false", "--server.fileWatcherType=none"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self._log,
                                        stderr=subprocess.STDOUT)
        self.samples: list[tuple[float, int, int]] = []  # (monotonic time, VmRSS, VmHWM) in bytes
        self._stop = threading.Event()
        wait_healthy(self.url, self.process)
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()

    def status(self) -> tuple[int, int]:
        values = {}
        with open(f"/proc/{self.process.pid}/status") as f:
            for line in f:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    values[line.split(":")[0]] = int(line.split()[1]) * 1024
        return values["VmRSS"], values["VmHWM"]

    def _sample(self) -> None:
        while not self._stop.is_set() and self.process.poll() is None:
            try:
                self.samples.append((time.monotonic(), *self.status()))
            except (OSError, KeyError):
                break
            self._stop.wait(0.2)

    def peak_rss(self, since: float) -> int:
        return max((rss for t, rss, _ in self.samples if t >= since), default=0)

    def stop(self) -> None:
        self._stop.set()
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


# ---------------------------------------------------------------------------------------------
# one browser tab, over the websocket


class Session:
    """A websocket session on one page: sends reruns, collects what the server answers."""

    def __init__(self, server: Server, query_string: str = ""):
        self.server = server
        self.query = query_string
        self.session_id = ""
        self.ids: dict[str, str] = {}  # widget user key -> widget id
        self.deferred: dict[str, str] = {}  # download button key -> deferred file id
        self.urls: dict[str, str] = {}  # download button key -> its ready file's URL
        self.errors: list[str] = []  # of the rerun in flight
        self.alerts: list[str] = []
        self._finished: asyncio.Future | None = None
        self._operations: dict[str, asyncio.Future] = {}
        self.stray = 0
        self.ws = None
        self._reader: asyncio.Task | None = None

    async def open(self) -> Move:
        self.ws = await connect(f"ws://127.0.0.1:{self.server.port}/_stcore/stream",
                                subprotocols=["streamlit"], ping_interval=None, max_size=None,
                                open_timeout=60, close_timeout=5)
        self._reader = asyncio.create_task(self._read())
        return await self.rerun({})

    async def close(self) -> None:
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
            pass
        finally:
            for future in [self._finished, *self._operations.values()]:
                if future is not None and not future.done():
                    future.set_exception(ConnectionError("websocket closed"))

    def _handle(self, message: ForwardMsg) -> None:
        kind = message.WhichOneof("type")
        if kind == "new_session":
            self.session_id = message.new_session.initialize.session_id
        elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            element = message.delta.new_element
            what = element.WhichOneof("type")
            if what == "exception":
                self.errors.append(f"exception {element.exception.type}: {element.exception.message[:120]}")
            elif what == "alert" and element.alert.format == Alert.ERROR:
                self.alerts.append(element.alert.body[:80])
            elif what is not None:
                widget_id = getattr(getattr(element, what), "id", "")
                if widget_id.startswith("$$ID-"):
                    key = widget_id.split("-", 2)[2]
                    self.ids[key] = widget_id
                    if what == "download_button" and element.download_button.deferred_file_id:
                        self.deferred[key] = element.download_button.deferred_file_id
                    elif what == "download_button" and element.download_button.url:
                        self.urls[key] = element.download_button.url
        elif kind == "page_not_found":
            self.errors.append("page_not_found")
        elif kind == "page_info_changed":
            self.query = message.page_info_changed.query_string
        elif kind == "script_finished":
            if message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                if self._finished is not None and not self._finished.done():
                    self._finished.set_result(message.script_finished)
                else:
                    self.stray += 1  # a run nobody asked for finished (would spoil the timing)
        elif kind == "backend_operation_response":
            future = self._operations.pop(message.backend_operation_response.request_id, None)
            if future is not None and not future.done():
                future.set_result(message.backend_operation_response)

    async def rerun(self, widgets: dict) -> Move:
        """Set `widgets` (user key -> value; only the changed ones) and time the rerun."""
        message = BackMsg()
        rerun = message.rerun_script
        rerun.page_name = PAGE
        rerun.query_string = self.query
        for key, value in widgets.items():
            state = rerun.widget_states.widgets.add()
            state.id = self.ids[key]
            if isinstance(value, bool):
                state.bool_value = value
            else:  # a slider
                state.double_array_value.data.append(float(value))
        self.errors, self.alerts = [], []
        self._finished = asyncio.get_running_loop().create_future()
        start = time.perf_counter()
        try:
            await self.ws.send(message.SerializeToString())
            await asyncio.wait_for(asyncio.shield(self._finished), TIMEOUT_S)
        except asyncio.TimeoutError:
            self.errors.append(f"timeout > {TIMEOUT_S:.0f} s")
            try:
                await asyncio.wait_for(self._finished, HARD_TIMEOUT_S - TIMEOUT_S)
            except (asyncio.TimeoutError, ConnectionError, ConnectionClosed):
                pass
        except (ConnectionError, ConnectionClosed):
            self.errors.append("websocket closed")
        seconds = time.perf_counter() - start
        shown = dict(part.split("=", 1) for part in self.query.split("&") if "=" in part)
        for key, value in widgets.items():  # the page writes what it shows into its URL
            wanted = str(value).lower() if isinstance(value, bool) else str(value)
            if shown.get(key) != wanted:
                self.errors.append(f"move not applied: {key}={wanted}, the page's URL has {shown.get(key)}")
        return Move(seconds, list(self.errors), list(self.alerts))

    async def download(self, key: str = "download_csv") -> Move:
        """Click the download button: a ready file (rnnviz.ui.downloads) is fetched over HTTP at once;
        a deferred one is asked for over the websocket first."""
        if key in self.urls and key not in self.deferred:
            start = time.perf_counter()
            try:
                size = await asyncio.to_thread(fetch, self.server.url + self.urls[key])
                return Move(time.perf_counter() - start, [], [], size)
            except OSError as error:  # urllib: HTTP errors included
                return Move(time.perf_counter() - start, [f"download GET: {error}"], [])
        message = BackMsg()
        request = message.backend_operation_request
        request.request_id = uuid.uuid4().hex
        request.session_id = self.session_id
        request.deferred_file.file_id = self.deferred.get(key, "")
        future = asyncio.get_running_loop().create_future()
        self._operations[request.request_id] = future
        start = time.perf_counter()
        errors, size = [], 0
        try:
            await self.ws.send(message.SerializeToString())
            response = await asyncio.wait_for(future, HARD_TIMEOUT_S)
            if response.error_msg:
                errors.append(f"download: {response.error_msg}")
            else:
                size = await asyncio.to_thread(fetch, self.server.url + response.deferred_file.url)
        except asyncio.TimeoutError:
            errors.append("download: no answer")
        except (ConnectionError, ConnectionClosed):
            errors.append("websocket closed")
        except OSError as error:  # urllib: HTTP errors included
            errors.append(f"download GET: {error}")
        return Move(time.perf_counter() - start, errors, [], size)


def fetch(url: str) -> int:
    with urllib.request.urlopen(url, timeout=HARD_TIMEOUT_S) as reply:
        return len(reply.read())


@dataclass
class Move:
    seconds: float
    errors: list[str]
    alerts: list[str]
    nbytes: int = 0


@dataclass
class Group:
    """Moves of one kind of session in one scenario."""

    name: str
    sessions: int
    loads: list[Move] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)
    opened: list[Session] = field(default_factory=list)


@dataclass
class Scenario:
    name: str
    groups: list[Group]
    idle: int = 0
    peak: int = 0
    hwm: int = 0
    closed: int = 0
    expired: int = 0
    log: Path | None = None
    wall: float = 0.0


# ---------------------------------------------------------------------------------------------
# scenarios


async def open_all(server: Server, group: Group, queries: list[str]) -> list[Session]:
    sessions = [Session(server, q) for q in queries]
    group.opened.extend(sessions)
    group.loads.extend(await asyncio.gather(*(s.open() for s in sessions)))
    return sessions


async def student(session: Session, index: int, stop_at: float, think: float, group: Group) -> None:
    rng = random.Random(index)
    await asyncio.sleep(rng.uniform(0, think))  # students do not move in step
    step = 0
    while time.monotonic() < stop_at:
        if step % 2 == 0:
            change = {"hidden_size": 9 + (index * 37 + step * 11) % 500}
        else:
            change = {"seq_len": 21 + (index * 13 + step * 7) % 180}
        group.moves.append(await session.rerun(change))
        step += 1
        await asyncio.sleep(think)


async def heavy_student(session: Session, seq_len: int, stop_at: float, think: float, group: Group) -> None:
    while time.monotonic() < stop_at:
        await asyncio.sleep(think)
        seq_len -= 1  # a new configuration each move, still near the budget
        group.moves.append(await session.rerun({"seq_len": seq_len}))


async def exporter(session: Session, stop_at: float, every: float, group: Group) -> None:
    while time.monotonic() < stop_at:
        await asyncio.sleep(every)
        group.moves.append(await session.download())


async def warm_up(server: Server) -> int:
    """One page load on the fresh server; returns the idle RSS after it."""
    session = Session(server)
    move = await session.open()
    await session.close()
    if move.errors:
        print(f"  warm-up page load: {move.errors}", file=sys.stderr)
    await asyncio.sleep(1.0)
    return server.status()[0]


async def settle(server: Server, scenario: Scenario, closed_at: float, ttl: float) -> None:
    await asyncio.sleep(1.0)
    scenario.closed = server.status()[0]
    janitor = max(min(ttl / 4, 15.0), 0.5)  # rnnviz.server.budget._janitor's period
    await asyncio.sleep(max(0.0, closed_at + ttl + janitor + 2.0 - time.monotonic()))
    scenario.expired, scenario.hwm = server.status()


async def run_class(n: int, args, log: Path) -> Scenario:
    heavy, export = heavy_config(), exporter_config()
    students, heavies, exporters = Group("students", n), Group("heavy student", 1), Group("exporter", 1)
    scenario = Scenario(f"class N={n}", [students, heavies, exporters], log=log)
    began = time.monotonic()
    server = Server(args.ttl, log)
    try:
        scenario.idle = await warm_up(server)
        since = time.monotonic()
        opened = await asyncio.gather(
            open_all(server, students, [""] * n),
            open_all(server, heavies, [query(heavy)]),
            open_all(server, exporters, [query(export)]),
        )
        stop_at = time.monotonic() + args.seconds
        await asyncio.gather(
            *(student(s, i, stop_at, args.think, students) for i, s in enumerate(opened[0])),
            heavy_student(opened[1][0], heavy["seq_len"], stop_at, args.think, heavies),
            exporter(opened[2][0], stop_at, args.export_every, exporters),
        )
        await close_and_settle(server, scenario, [s for group in opened for s in group], since, args.ttl)
    finally:
        server.stop()
    scenario.wall = time.monotonic() - began
    return scenario


async def close_and_settle(server, scenario: Scenario, sessions: list, since: float, ttl: float) -> None:
    """Close every session, note the peak RSS since `since`, then wait out the cache's TTL."""
    await asyncio.gather(*(s.close() for s in sessions))
    closed_at = time.monotonic()
    scenario.peak = server.peak_rss(since)
    await settle(server, scenario, closed_at, ttl)


async def run_distinct(count: int, args, log: Path) -> Scenario:
    configs = distinct_configs(count)
    group = Group("distinct", count)
    scenario = Scenario(f"distinct {count}", [group], log=log)
    began = time.monotonic()
    server = Server(args.ttl, log)
    try:
        scenario.idle = await warm_up(server)
        since = time.monotonic()
        base = query({**DISTINCT_BASE, "seq_len": 10})  # a light start; the move makes it heavy
        sessions = await open_all(server, group, [base] * count)
        group.moves.extend(await asyncio.gather(*(s.rerun(c) for s, c in zip(sessions, configs))))
        await close_and_settle(server, scenario, sessions, since, args.ttl)
    finally:
        server.stop()
    scenario.wall = time.monotonic() - began
    return scenario


# ---------------------------------------------------------------------------------------------
# report


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(-(-q * len(ordered) // 100)) - 1))]


def server_errors(log: Path) -> list[str]:
    """Tracebacks and error lines in the server's output, each with its last line."""
    text = log.read_text(errors="replace") if log.exists() else ""
    found = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("Traceback"):
            j = i + 1
            while j < len(lines) and (lines[j].startswith((" ", "\t")) or not lines[j].strip()):
                j += 1
            found.append(lines[j] if j < len(lines) else line)
        elif re.search(r"\b(ERROR|CRITICAL)\b", line) or "Exception in" in line:
            found.append(line.strip())
    return found


def report(scenarios: list[Scenario], args) -> None:
    mb = lambda b: f"{b / MB:7.0f}"  # noqa: E731
    print(f"\nserver time per move (ms): rerun sent -> script_finished; think {args.think} s; "
          f"RNNVIZ_CACHE_TTL_S={args.ttl:g}; memory in MB (VmRSS sampled every 0.2 s)")
    head = (f"{'scenario':<14}{'group':<15}{'sess':>5}{'moves':>6}{'p50':>7}{'p95':>7}{'max':>7}"
            f"{'load p50/max':>14}{'errors':>7}{'st.error':>9}"
            f"{'idle':>7}{'peak':>7}{'HWM':>7}{'closed':>7}{'expired':>8}")
    print(head)
    print("-" * len(head))
    details = Counter()
    for sc in scenarios:
        for index, g in enumerate(sc.groups):
            ms = [m.seconds * 1e3 for m in g.moves]
            loads = [m.seconds for m in g.loads]
            errors = sum(len(m.errors) for m in g.moves + g.loads)
            alerts = sum(len(m.alerts) for m in g.moves + g.loads)
            stray = sum(s.stray for s in g.opened)
            if stray:
                details[f"{sc.name} / {g.name}: script_finished with no rerun asked for"] += stray
            for m in g.moves + g.loads:
                details.update(f"{sc.name} / {g.name}: {e}" for e in m.errors)
                details.update(f"{sc.name} / {g.name}: st.error {a!r}" for a in m.alerts)
            memory = (f"{mb(sc.idle)}{mb(sc.peak)}{mb(sc.hwm)}{mb(sc.closed)} {mb(sc.expired)}"
                      if index == 0 else "")
            load = f"{percentile(loads, 50):.1f}/{max(loads, default=float('nan')):.1f} s"
            print(f"{sc.name if index == 0 else '':<14}{g.name:<15}{g.sessions:>5}{len(ms):>6}"
                  f"{percentile(ms, 50):>7.0f}{percentile(ms, 95):>7.0f}{max(ms, default=float('nan')):>7.0f}"
                  f"{load:>14}{errors:>7}{alerts:>9}{memory}")
            if g.sessions == 1 and g.moves:
                print(f"{'':<16}each move (s): {' '.join(f'{m.seconds:.1f}' for m in g.moves)}")
            if g.name == "exporter" and g.moves:
                sizes = sorted({f"{m.nbytes / 1e6:.1f} MB" for m in g.moves if m.nbytes})
                print(f"{'':<16}(exporter: time = ask for the CSV -> file fully fetched; "
                      f"CSV {', '.join(sizes) or 'none'})")
    print("\nidle: after startup and one page load; peak: highest sample from the sessions opening to "
          "their closing;\nHWM: the kernel's VmHWM at the end; closed: 1 s after every session closed; "
          "expired: TTL + the janitor's period + 2 s after that.")
    print(f"per-trace budget {TRACE_BUDGET_MB:.0f} MB; heavy student starts at {describe(heavy_config())}, "
          "seq_len -1 per move")
    print(f"exporter: {describe(exporter_config())}")
    for sc in scenarios:
        if sc.name.startswith("distinct"):
            print(f"{sc.name}: from {query({**DISTINCT_BASE, 'seq_len': 10})}, one move each to:")
            for config in distinct_configs(sc.groups[0].sessions):
                print(f"    {describe({**DISTINCT_BASE, **config})}")
    if details:
        print("errors and st.error boxes:")
        for text, count in sorted(details.items()):
            print(f"    {count:4d} x {text}")
    for sc in scenarios:
        found = server_errors(sc.log)
        summary = Counter(found)
        print(f"server output {sc.log} ({sc.name}, {sc.wall:.0f} s): "
              f"{len(found)} error line(s)" + (":" if found else ""))
        for line, count in summary.most_common(8):
            print(f"    {count:4d} x {line[:160]}")


async def main_async(args) -> list[Scenario]:
    scenarios = []
    log_dir = Path(args.log_dir)
    for n in args.sessions:
        print(f"class N={n} ...", file=sys.stderr, flush=True)
        scenarios.append(await run_class(n, args, log_dir / f"class_{n}.log"))
    if args.distinct:
        print(f"distinct {args.distinct} ...", file=sys.stderr, flush=True)
        scenarios.append(await run_distinct(args.distinct, args, log_dir / f"distinct_{args.distinct}.log"))
    return scenarios


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", default="1,10,30",
                        help="class sizes, comma-separated, each on a fresh server")
    parser.add_argument("--seconds", type=float, default=30.0, help="moving time per class size")
    parser.add_argument("--think", type=float, default=1.0, help="seconds between a session's moves")
    parser.add_argument("--export-every", type=float, default=3.0,
                        help="seconds between the exporter's downloads")
    parser.add_argument("--distinct", type=int, default=20,
                        help="sessions of the distinct scenario (0: skip it)")
    parser.add_argument("--ttl", type=float, default=20.0, help="the server's RNNVIZ_CACHE_TTL_S")
    parser.add_argument("--log-dir", default=str(ROOT / "test-output" / "classroom"), help="servers' output")
    parser.add_argument("--quick", action="store_true", help="a ~1 minute smoke run")
    args = parser.parse_args()
    if args.quick:
        args.sessions, args.seconds, args.distinct, args.ttl = "3", 8.0, 3, 6.0
    args.sessions = [int(n) for n in str(args.sessions).split(",") if n.strip()]
    began = time.monotonic()
    scenarios = asyncio.run(main_async(args))
    report(scenarios, args)
    print(f"total {time.monotonic() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
