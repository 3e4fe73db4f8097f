"""Benchmark: a class led by a teacher (issue 16), over Streamlit's websocket, no browser; each
scenario on fresh servers (bench/probe_serve.py: `streamlit run app.py` that logs each training job).

Every session behaves as a browser tab does: a fragment with run_every (the class bar's `_live`, the
Train page's progress) makes the server send an AutoRerun message, and the tab then asks for a rerun
of that fragment every `interval` seconds (until the next full run, which starts the timers again),
so a follower notices the teacher's move itself and reruns its page as the browser would.

  a  --follow N:  a teacher on /lstm starts a class (sidebar button `class_start`); N students open
     /?class=CODE and follow. The teacher moves hidden_size --moves times, --gap s apart. Latency per
     follower and move: the teacher's rerun finished -> that follower's full rerun finished with the
     new hidden_size in its page's URL (what the page shows: rnnviz.ui.url_state writes it).
  b  --same N:    N sessions on /train press Train (defaults) within --within s. The server log counts
     the jobs that started; each session times press -> a full rerun that says the run finished.
  c  --distinct N: the same with N different configurations (hidden_size 8..), while a light student
     on /lstm moves a slider every 1 s; nobody may be refused; the light student's move times.
  d  --alone N --replicas 1,2: N students, each moving hidden_size / seq_len on /lstm with 1 s think
     time, spread round-robin over R replicas (R servers, each budgeted 1/R of the machine); --root
     serves another checkout's app (an A/B against the code before a change).
  p  (d) on one replica under py-spy: test-output/profile.svg (every thread) and what holds the GIL
     (test-output/lead_class/profile_gil.txt, collapsed stacks), summarised.
  e  --span N:    redis-server, two replicas sharing classes through it (RNNVIZ_REDIS_URL), Caddy with
     deploy/Caddyfile in front (static upstreams); a teacher pinned to replica A (cookie), N
     followers on A and N on B; latency as in (a).

    python bench/lead_class.py --scenarios a,b,c,d,p,e [--follow 30 --moves 20 --gap 3] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.classroom import percentile, server_errors  # noqa: E402
from bench.ws_tab import Finish, Replica, Tab, load  # noqa: E402
from tests.serve import free_port, wait_healthy  # noqa: E402

OUT = ROOT / "test-output" / "lead_class"
RATE = 100  # py-spy samples a second
FINISHED = "The run finished all its steps."  # rnnviz.words en_pages train_end_done
REFUSED = ("already runs", "try again")  # the old refusal's words
CODE_RE = re.compile(r"You lead class \*\*(\w+)\*\*")


async def close_all(tabs: list[Tab]) -> None:
    await asyncio.gather(*(tab.close() for tab in tabs))


def stats(values: list[float]) -> str:
    if not values:
        return "none"
    return (f"n={len(values)} p50 {percentile(values, 50):.2f} s, p95 {percentile(values, 95):.2f} s, "
            f"max {max(values):.2f} s")


def tab_errors(tabs: list[Tab]) -> list[str]:
    return sorted({e for tab in tabs for e in tab.errors if e != "websocket closed"})


# ---------------------------------------------------------------------------------------------
# (a) and (e): a teacher and followers


async def start_class(teacher: Tab) -> str:
    await teacher.open("lstm")
    finish = await teacher.rerun({}, triggers=("class_start",))
    found = CODE_RE.search(" ".join(finish.texts)) if finish else None
    if not found:
        raise RuntimeError(f"no class code on the teacher's page: {finish}")
    return found.group(1)


async def join(follower: Tab, code: str) -> bool:
    await follower.open("", f"class={code}")
    return await follower.until(lambda f: f.full and f.page == "lstm", 0, 60) is not None


async def lead(teacher: Tab, followers: list[Tab], moves: int, gap: float) -> tuple[list, list, list]:
    """The teacher moves hidden_size `moves` times, `gap` s apart: (follower's index, seconds from the
    teacher's rerun finished, from the teacher's press) per follower and move; for each miss what that
    follower showed last; the teacher's own move times."""
    latencies, missed, teacher_moves = [], [], []
    for move in range(moves):
        value = 24 + move  # a value nobody had: every move is a new configuration
        began = time.monotonic()
        marks = [len(f.finishes) for f in followers]
        sent = time.time()
        finish = await teacher.rerun({"hidden_size": value})
        if finish is None or finish.query.get("hidden_size") != str(value):
            raise RuntimeError(f"the teacher's move {value} did not apply: {finish}")
        teacher_moves.append(finish.at - sent)

        def shows(f: Finish, value=value) -> bool:
            return f.full and f.page == "lstm" and f.query.get("hidden_size") == str(value)

        seen = await asyncio.gather(*(f.until(shows, mark, 15) for f, mark in zip(followers, marks)))
        for index, (follower, found) in enumerate(zip(followers, seen)):
            if found is None:
                last = follower.finishes[-1] if follower.finishes else None
                missed.append(f"move to {value}: last run " + (
                    f"{'full' if last.full else 'fragment'} on /{last.page} hidden_size="
                    f"{last.query.get('hidden_size')}" if last else "none") + f"; {follower.errors[-1:]}")
                if len(missed) <= 2:
                    window = [e for e in follower.events if sent - 0.5 < float(e.split()[0]) < sent + 4]
                    print(f"missed move to {value} sent at {sent:.2f}, done {finish.at:.2f}:", *window[:45],
                          sep="\n  ", file=sys.stderr)
            else:
                latencies.append((index, found.at - finish.at, found.at - sent, found.unfinished))
        await asyncio.sleep(max(0.0, began + gap - time.monotonic()))
    return latencies, missed, teacher_moves


async def scenario_follow(args) -> dict:
    server = Replica(OUT / "a_follow.log")
    result = {"name": f"(a) {args.follow} followers, {args.moves} moves {args.gap:g} s apart", "load": load()}
    try:
        teacher = Tab(server.port)
        code = await start_class(teacher)
        followers = [Tab(server.port) for _ in range(args.follow)]
        joined = await asyncio.gather(*(join(f, code) for f in followers))
        await asyncio.sleep(2)
        cpu, mine = server.cpu_seconds(), time.process_time()
        began = time.monotonic()
        latencies, missed, teacher_moves = await lead(teacher, followers, args.moves, args.gap)
        elapsed = time.monotonic() - began
        result.update(cores=(server.cpu_seconds() - cpu) / elapsed,
                      client=(time.process_time() - mine) / elapsed)
        result.update(joined=sum(joined), latencies=[s for _, s, _, _ in latencies], missed=missed,
                      pressed=[s for _, _, s, _ in latencies], teacher=teacher_moves,
                      unfinished=sum(u for *_, u in latencies),
                      errors=tab_errors([teacher, *followers]))
        await close_all([teacher, *followers])
    finally:
        server.stop()
    result["server_errors"] = server_errors(server.log_path)
    return result


# ---------------------------------------------------------------------------------------------
# (b) and (c): a class presses Train


async def press_train(tab: Tab, delay: float, timeout: float) -> tuple[float, Finish | None, bool]:
    """Wait `delay`, press Train; (press time, the full run that shows the end, refused?)."""
    await asyncio.sleep(delay)
    pressed = time.time()
    mark = len(tab.finishes)
    await tab.send({}, triggers=("train_start",))
    finish = await tab.until(lambda f: f.full and f.says(FINISHED), mark, timeout)
    refused = any(f.says(words) for f in tab.finishes[mark:] for words in REFUSED)
    return pressed, finish, refused


async def light_student(tab: Tab, stop: asyncio.Event, times: list[float]) -> None:
    step = 0
    while not stop.is_set():
        await asyncio.sleep(1.0)
        change = {"hidden_size": 9 + step % 40} if step % 2 == 0 else {"seq_len": 21 + step % 60}
        began = time.perf_counter()
        finish = await tab.rerun(change, timeout=60)
        times.append(time.perf_counter() - began if finish else float("inf"))
        step += 1


async def scenario_train(args, distinct: bool) -> dict:
    n = args.distinct if distinct else args.same
    name = f"(c) {n} distinct Train presses" if distinct else f"(b) {n} identical Train presses"
    server = Replica(OUT / ("c_distinct.log" if distinct else "b_same.log"))
    result = {"name": f"{name} within {args.within:g} s", "load": load()}
    try:
        tabs = [Tab(server.port) for _ in range(n)]
        queries = [f"hidden_size={8 + i}" if distinct else "" for i in range(n)]
        await asyncio.gather(*(tab.open("train", q) for tab, q in zip(tabs, queries)))
        light, light_times, stop = None, [], asyncio.Event()
        if distinct:
            light = Tab(server.port)
            await light.open("lstm")
            mover = asyncio.create_task(light_student(light, stop, light_times))
        rng = random.Random(0)
        cpu, mine, began = server.cpu_seconds(), time.process_time(), time.time()
        outcomes = await asyncio.gather(*(press_train(tab, rng.uniform(0, args.within), args.train_timeout)
                                          for tab in tabs))
        ended = time.time()
        result.update(cores=(server.cpu_seconds() - cpu) / (ended - began),
                      client=(time.process_time() - mine) / (ended - began))
        if light is not None:
            stop.set()
            await mover
        starts, ends = server.jobs()
        seen = [f.at for _, f, _ in outcomes if f is not None]
        first_press = min(p for p, _, _ in outcomes)
        result.update(finished=len(seen), refused=sum(r for _, _, r in outcomes), jobs=len(starts),
                      job_seconds=[s for _, s, _ in ends], stopped=sorted({s for _, _, s in ends}),
                      wall=max(seen, default=ended) - first_press,
                      press_to_seen=[f.at - p for p, f, _ in outcomes if f is not None],
                      light=light_times, errors=tab_errors(tabs + ([light] if light else [])))
        if not distinct and starts and ends:
            run = max(e for e, _, _ in ends) - min(starts)  # the job's wall time, first start to its end
            result.update(run=run, after_end=[s - max(e for e, _, _ in ends) for s in seen],
                          from_first=max(seen, default=0) - first_press)
        await close_all(tabs + ([light] if light else []))
    finally:
        server.stop()
    result["server_errors"] = server_errors(server.log_path)
    return result


# ---------------------------------------------------------------------------------------------
# (d): students on their own, over R replicas


async def alone_student(tab: Tab, index: int, stop_at: float, think: float, times: list[float]) -> None:
    rng = random.Random(index)
    await asyncio.sleep(rng.uniform(0, think))
    step = 0
    while time.monotonic() < stop_at:
        change = ({"hidden_size": 9 + (index * 37 + step * 11) % 500} if step % 2 == 0
                  else {"seq_len": 21 + (index * 13 + step * 7) % 180})
        began = time.perf_counter()
        finish = await tab.rerun(change, timeout=60)
        times.append(time.perf_counter() - began if finish else float("inf"))
        step += 1
        await asyncio.sleep(think)


def profile(pid: int, seconds: float, out: Path, *options: str) -> subprocess.Popen | None:
    """py-spy record of `pid` for `seconds` into `out` (--nonblocking: the server is not paused)."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(spy).exists():
        print("py-spy is missing (.venv/bin/pip install py-spy): no profile", file=sys.stderr)
        return None
    out.parent.mkdir(parents=True, exist_ok=True)
    command = [spy, "record", "--pid", str(pid), "--duration", str(int(seconds)), "--rate", str(RATE),
               "--nonblocking", *options, "-o", str(out)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)


def profile_summary(path: Path, seconds: float, top: int = 14) -> list[str]:
    """Collapsed stacks of the GIL's holder (py-spy --gil) -> how much of the time some thread held
    the GIL, the share of those samples under a few named costs, and the top frames."""
    total, under, own = 0, {}, {}
    groups = {"protobuf serialisation": ("SerializeToString", "_pb2", "protobuf"),
              "plotly figure / JSON": ("plotly", "to_json", "_plotly_utils"),
              "torch": ("torch/",), "tornado/websocket": ("tornado",),
              "rnnviz pages": ("rnnviz/ui", "pages/"), "streamlit script runner": ("scriptrunner",)}
    for line in path.read_text(errors="replace").splitlines() if path.exists() else []:
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        total += n
        for name, marks in groups.items():
            if any(mark in stack for mark in marks):
                under[name] = under.get(name, 0) + n
        frame = stack.split(";")[-1]
        own[frame] = own.get(frame, 0) + n
    if not total:
        return ["no samples"]
    lines = [f"{total} samples with the GIL held in {seconds:.0f} s at {RATE} Hz: the GIL was held "
             f"{100 * total / (seconds * RATE):.0f} % of the time; of those, the stack passes through:"]
    for name, n in sorted(under.items(), key=lambda kv: -kv[1]):
        lines.append(f"  {name:<26}{100 * n / total:5.1f} %")
    lines.append("top frames by own samples:")
    lines += [f"  {100 * n / total:5.1f} %  {frame[:140]}" for frame, n in
              sorted(own.items(), key=lambda kv: -kv[1])[:top]]
    return lines


async def scenario_alone(args, replicas: int, profiled: bool = False) -> dict:
    env = {}
    if replicas > 1:  # README: divide the machine's budget among the replicas
        env = {"RNNVIZ_SERVER_BUDGET_MB": str(1200 // replicas), "RNNVIZ_HEAVY_SLOTS": "1",
               "RNNVIZ_TRAIN_SLOTS": "1"}
    servers = [Replica(OUT / f"d_alone_{replicas}_{i}.log", env, args.root) for i in range(replicas)]
    result = {"name": f"(d) {args.alone} students alone, 1 s think, {replicas} replica(s)"
                      + (", under py-spy" if profiled else "")
                      + (f", the app of {args.root}" if args.root != ROOT else ""), "load": load()}
    try:
        tabs = [Tab(servers[i % replicas].port) for i in range(args.alone)]
        await asyncio.gather(*(tab.open("lstm") for tab in tabs))
        times: list[float] = []
        cpu, mine = [s.cpu_seconds() for s in servers], time.process_time()
        began = time.monotonic()
        spies = []
        if profiled:  # what holds the GIL (collapsed stacks), and a flame graph of every thread
            spies = [profile(servers[0].process.pid, args.seconds - 2, OUT / "profile_gil.txt", "--gil",
                             "--format", "raw"),
                     profile(servers[0].process.pid, args.seconds - 2, ROOT / "test-output" / "profile.svg")]
        stop_at = began + args.seconds
        await asyncio.gather(*(alone_student(tab, i, stop_at, args.think, times)
                               for i, tab in enumerate(tabs)))
        elapsed = time.monotonic() - began
        result.update(cores=sum(s.cpu_seconds() - c for s, c in zip(servers, cpu)) / elapsed,
                      client=(time.process_time() - mine) / elapsed)
        for spy in spies:
            if spy is not None:
                spy.wait(timeout=60)
        if spies:
            result["profile"] = profile_summary(OUT / "profile_gil.txt", args.seconds - 2)
        result.update(moves=times, rate=len(times) / elapsed, errors=tab_errors(tabs))
        await close_all(tabs)
    finally:
        for server in servers:
            server.stop()
    result["server_errors"] = [e for s in servers for e in server_errors(s.log_path)]
    return result


# ---------------------------------------------------------------------------------------------
# (e): two replicas behind Caddy, classes in Redis


def caddyfile(upstreams: list[str], port: int) -> str:
    """deploy/Caddyfile with static upstreams (no compose DNS here), a free port and a header naming
    the replica (as tests/test_deploy.py does)."""
    text = (ROOT / "deploy" / "Caddyfile").read_text()
    static = f"to {' '.join(upstreams)}\n\t\theader_down X-Replica {{upstream_hostport}}"
    text = re.sub(r"dynamic a \S+ \d+ {[^}]*}", lambda _: static, text)
    return text.replace(":80 {", f":{port} {{", 1)


def replica_cookies(url: str, count: int) -> dict[str, str]:
    """Replica host:port -> the Caddy cookie that pins a browser to it."""
    found = {}
    for _ in range(60):
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as reply:
            cookie = reply.headers["Set-Cookie"].split(";", 1)[0]
            found.setdefault(reply.headers["X-Replica"], cookie)
        if len(found) == count:
            break
    return found


async def scenario_span(args) -> dict:
    redis_port, proxy_port = free_port(), free_port()
    redis = subprocess.Popen(["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = {"RNNVIZ_REDIS_URL": f"redis://127.0.0.1:{redis_port}/0", "RNNVIZ_SERVER_BUDGET_MB": "600",
           "RNNVIZ_HEAVY_SLOTS": "1", "RNNVIZ_TRAIN_SLOTS": "1"}
    servers, proxy = [], None
    result = {"name": f"(e) 2 replicas + Caddy + Redis: teacher on A, {args.span} followers on each",
              "load": load()}
    try:
        servers = [Replica(OUT / f"e_span_{i}.log", env) for i in range(2)]
        config = OUT / "Caddyfile"
        config.write_text(caddyfile([s.url.removeprefix("http://") for s in servers], proxy_port))
        home = {name: str(OUT) for name in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME")}
        caddy = shutil.which("caddy") or str(Path(sys.executable).parent / "caddy")
        proxy = subprocess.Popen([caddy, "run", "--adapter", "caddyfile", "--config", str(config)],
                                 env={**os.environ, **home}, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.STDOUT)
        wait_healthy(f"http://127.0.0.1:{proxy_port}", proxy, timeout=60)
        cookies = replica_cookies(f"http://127.0.0.1:{proxy_port}", 2)
        a, b = (cookies[s.url.removeprefix("http://")] for s in servers)
        teacher = Tab(proxy_port, {"Cookie": a})
        code = await start_class(teacher)
        on_a = [Tab(proxy_port, {"Cookie": a}) for _ in range(args.span)]
        on_b = [Tab(proxy_port, {"Cookie": b}) for _ in range(args.span)]
        joined = await asyncio.gather(*(join(f, code) for f in on_a + on_b))
        await asyncio.sleep(2)
        latencies, missed, teacher_moves = await lead(teacher, on_a + on_b, args.span_moves, args.gap)
        by_a = [s for i, s, _, _ in latencies if i < args.span]
        by_b = [s for i, s, _, _ in latencies if i >= args.span]
        result.update(joined=sum(joined), latencies=[s for _, s, _, _ in latencies], missed=missed,
                      pressed=[s for _, _, s, _ in latencies], unfinished=sum(u for *_, u in latencies),
                      teacher=teacher_moves,
                      on_a=by_a, on_b=by_b, errors=tab_errors([teacher, *on_a, *on_b]))
        await close_all([teacher, *on_a, *on_b])
    finally:
        if proxy is not None:
            proxy.terminate()
            proxy.wait(timeout=10)
        for server in servers:
            server.stop()
        redis.terminate()
        redis.wait(timeout=10)
    result["server_errors"] = [e for s in servers for e in server_errors(s.log_path)]
    return result


# ---------------------------------------------------------------------------------------------
# report


def show(result: dict) -> None:
    cores = (f"; CPU: server(s) {result['cores']:.2f} cores, this client {result['client']:.2f}"
             if "cores" in result else "")
    print(f"\n{result['name']}  [{result['load']} at the start{cores}]")
    if "latencies" in result:
        print(f"  joined {result['joined']}; teacher's move -> follower's rerun finished: "
              f"{stats(result['latencies'])}; missed (none within 15 s): {len(result['missed'])}")
        for text, count in Counter(result["missed"]).most_common(6):
            print(f"    {count} x {text}")
        print(f"  of those, runs the server sent no script_finished for (ended by the next run's start): "
              f"{result['unfinished']}")
        print(f"  the teacher's press -> follower's rerun finished: {stats(result['pressed'])}")
        print(f"  teacher's own move: {stats(result['teacher'])}")
        if result.get("on_b"):
            print(f"  followers on replica A (the teacher's): {stats(result['on_a'])}")
            print(f"  followers on replica B: {stats(result['on_b'])}")
    if "finished" in result:
        print(f"  jobs started: {result['jobs']} (stopped: {', '.join(result['stopped'])}); training seconds "
              f"{stats(result['job_seconds'])}")
        print(f"  saw the end: {result['finished']}; refused: {result['refused']}; first press -> last one "
              f"saw its end: {result['wall']:.1f} s; press -> end seen: {stats(result['press_to_seen'])}")
        if "run" in result:
            print(f"  the job ran {result['run']:.2f} s (first start -> end, log); first press -> last "
                  f"session saw the end {result['from_first']:.2f} s (target <= run + 2 = "
                  f"{result['run'] + 2:.2f} s); "
                  f"job's end -> each saw it: {stats(result['after_end'])}")
        if result["light"]:
            print(f"  light student's moves (/lstm, 1 s think): {stats(result['light'])}")
    if "moves" in result:
        print(f"  moves: {stats(result['moves'])}; {result['rate']:.1f} moves/s")
    for line in result.get("profile", []):
        print(f"  {line}")
    for error in result.get("errors", [])[:8]:
        print(f"  client saw: {error}")
    for error in sorted(set(result.get("server_errors", [])))[:8]:
        print(f"  server log: {error[:160]}")


async def main_async(args) -> None:
    for scenario in args.scenarios:
        print(f"{scenario} ... {load()}", file=sys.stderr, flush=True)
        if scenario == "a":
            show(await scenario_follow(args))
        elif scenario == "b":
            show(await scenario_train(args, distinct=False))
        elif scenario == "c":
            show(await scenario_train(args, distinct=True))
        elif scenario == "d":
            for replicas in args.replicas:
                show(await scenario_alone(args, replicas))
        elif scenario == "p":
            show(await scenario_alone(args, 1, profiled=True))
        elif scenario == "e":
            show(await scenario_span(args))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", default="a,b,c,d,p,e",
                        help="which of a,b,c,d,p (d's one replica under py-spy),e, in this order")
    parser.add_argument("--follow", type=int, default=30, help="(a) followers")
    parser.add_argument("--moves", type=int, default=20, help="(a) the teacher's moves")
    parser.add_argument("--gap", type=float, default=3.0, help="(a, e) seconds between the teacher's moves")
    parser.add_argument("--same", type=int, default=30, help="(b) identical Train presses")
    parser.add_argument("--distinct", type=int, default=30, help="(c) distinct Train presses")
    parser.add_argument("--within", type=float, default=5.0, help="(b, c) presses spread over this many s")
    parser.add_argument("--train-timeout", type=float, default=300.0, help="(b, c) a press's longest wait")
    parser.add_argument("--alone", type=int, default=30, help="(d) students")
    parser.add_argument("--replicas", default="1,2", help="(d) replica counts, each on fresh servers")
    parser.add_argument("--seconds", type=float, default=30.0, help="(d) moving time")
    parser.add_argument("--think", type=float, default=1.0, help="(d) seconds between a student's moves")
    parser.add_argument("--span", type=int, default=3, help="(e) followers on each replica")
    parser.add_argument("--span-moves", type=int, default=10, help="(e) the teacher's moves")
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="(d, p) serve the app of this checkout (e.g. `git archive` of an older commit)")
    parser.add_argument("--quick", action="store_true", help="small sizes, a smoke run")
    args = parser.parse_args()
    if args.quick:
        args.follow, args.moves, args.same, args.distinct, args.alone = 3, 3, 3, 3, 3
        args.seconds, args.span, args.span_moves = 6.0, 1, 3
    args.scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    args.replicas = [int(r) for r in str(args.replicas).split(",") if r.strip()]
    began = time.monotonic()
    asyncio.run(main_async(args))
    print(f"\ntotal {time.monotonic() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
