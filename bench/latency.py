"""Benchmark: slider move -> every chart redrawn, in headless Chromium, against a minimal app.

Starts, in one run, a one-slider, one-chart Streamlit app (the baseline), a page with the LSTM
page's widgets and no model (bench/widgets_app.py: what the widgets alone cost) and the rnnviz
LSTM page in each of its three views, at its default configuration and at the largest one the
trace memory budget admits; all servers run at once and the moves interleave. On each, it
moves the `hidden_size` slider and times key press -> app idle with every chart's data changed
(the saturation bars may legitimately stay equal and are only required to be drawn). Prints
medians, ratios against the baseline, and the bytes the server sends (figures included) on
page load and per move.
Each move changes hidden_size by one in the same direction (up from the default, down from the
largest), so every move is a configuration the cache has not seen.

    python bench/latency.py [--moves 7]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from rnnviz.shapes import trace_nbytes  # noqa: E402
from rnnviz.spec import LayerSpec  # noqa: E402
from rnnviz.ui.run import TRACE_BUDGET_MB  # noqa: E402
from tests.serve import CHROMIUM, CHROMIUM_ARGS, streamlit_server, wait_idle  # noqa: E402

FINGERPRINTS = """() => [...document.querySelectorAll(
    '[data-testid="stPlotlyChart"] .js-plotly-plot')].map(d => {
  if (!d._fullData) return null;
  if (d._fullData.every(t => t.type === "bar")) return "saturation";  // shares may legitimately stay equal
  return JSON.stringify(d._fullData.map(t => {
    const a = t.z || t.y || [];
    return [a.length, (a[0] && a[0].length) || 0, JSON.stringify(Array.from(a).slice(0, 3)), t.text];
  }));
})"""


SETTLE_S = 0.4  # quiet time before each move: every setup is timed on an idle machine


def largest_within_budget() -> dict:
    """The biggest LSTM the page still traces: every slider at its top, then the longest
    sequence that fits the memory budget."""
    base = dict(hidden_size=512, num_layers=4, bidirectional=True, batch_size=32, input_size=64)
    spec = LayerSpec(kind="LSTM", input_size=64, hidden_size=512, num_layers=4, bidirectional=True)
    seq_len = max(t for t in range(1, 1001) if trace_nbytes(spec, t, 32) / 2**20 <= TRACE_BUDGET_MB)
    return {**base, "seq_len": seq_len}


def open_page(browser, url: str) -> dict:
    """Open the app and wait until every chart is drawn; returns the page and its frame log."""
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    frames = []  # (time, bytes) of every websocket frame the browser receives
    page.on(
        "websocket",
        lambda ws: ws.on("framereceived", lambda payload: frames.append((time.perf_counter(), len(payload)))),
    )
    page.goto(url)
    wait_idle(page, 180_000)
    page.wait_for_function(
        "() => { const c = [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .js-plotly-plot')];"
        " return c.length > 0 && c.every(d => d._fullData); }",
        timeout=180_000,
    )
    return {
        "page": page,
        "frames": frames,
        "times": [],
        "server": [],
        "sent": [],
        "load_bytes": sum(size for _, size in frames),
    }


def move(state: dict, key: str) -> None:
    """One slider move, timed from the key press to every chart redrawn."""
    page, frames = state["page"], state["frames"]
    slider = page.locator(".st-key-hidden_size input[type='range']")
    before = page.evaluate(FINGERPRINTS)
    slider.focus()
    time.sleep(SETTLE_S)  # let the previous move's rendering (any tab) and server work finish
    frames.clear()
    start = time.perf_counter()
    slider.press(key)  # a new hidden_size each time: the model really reruns
    page.wait_for_function(
        f"(before) => {{ const now = ({FINGERPRINTS})(); return now.length === before.length && "
        "now.every((f, i) => f !== null && (f === 'saturation' || f !== before[i])) && "
        'document.querySelector(\'[data-testid="stApp"][data-test-script-state="notRunning"]\'); }',
        arg=before,
        timeout=180_000,
        polling="raf",
    )
    state["times"].append(time.perf_counter() - start)
    state["server"].append(frames[-1][0] - start if frames else float("nan"))
    state["sent"].append(sum(size for _, size in frames))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=7)
    parser.add_argument("--only", default="", help="run only setups whose name contains this text")
    args = parser.parse_args()
    large = largest_within_budget()
    setups = [
        ("minimal app (baseline)", ROOT / "bench" / "minimal_app.py", "", {}),
        (
            "the LSTM page's widgets alone, no model (bench/widgets_app.py)",
            ROOT / "bench" / "widgets_app.py",
            "",
            {},
        ),
    ]
    for view in ("Shapes", "Hidden states", "Gates"):
        setups.append(
            (f"LSTM page, default configuration, view {view}", ROOT / "app.py", "/lstm", {"view": view})
        )
    for view in ("Shapes", "Hidden states", "Gates"):
        setups.append(
            (f"LSTM page, largest in budget, view {view}", ROOT / "app.py", "/lstm", {**large, "view": view})
        )
    setups = [setup for i, setup in enumerate(setups) if i < 2 or args.only in setup[0]]
    # All servers run at once and the moves interleave (one per setup in turn), so the
    # machine's drift hits every setup alike.
    with contextlib.ExitStack() as stack, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        states = []
        for name, script, path, defaults in setups:
            os.environ["RNNVIZ_DEFAULTS"] = json.dumps(defaults)
            url = stack.enter_context(streamlit_server(script))
            states.append((name, open_page(browser, url + path)))
        for _ in range(args.moves):
            for name, state in states:
                move(state, "ArrowLeft" if "largest" in name else "ArrowRight")
                print(f"  {name}: {state['times'][-1] * 1e3:.0f} ms", file=sys.stderr, flush=True)
        results = []
        for name, state in states:
            page = state["page"]
            results.append(
                (
                    name,
                    {
                        "median_s": statistics.median(state["times"]),
                        "server_s": statistics.median(state["server"]),
                        "charts": len(page.evaluate(FINGERPRINTS)),
                        "load_bytes": state["load_bytes"],
                        "ws_bytes": statistics.median(state["sent"]),
                    },
                )
            )
        browser.close()
    base, widgets = results[0][1]["median_s"], results[1][1]["median_s"]
    print(
        f"median of {args.moves} slider moves; ratio = time / minimal app's time, and / the "
        "widgets-only page's time (same run)"
    )
    print(f"largest in budget ({TRACE_BUDGET_MB:.0f} MB): {json.dumps(large)}")
    for name, r in results:
        print(
            f"{name}\n    {r['median_s'] * 1e3:8.0f} ms  ratio {r['median_s'] / base:5.2f}"
            f" (widgets-only {r['median_s'] / widgets:4.2f})"
            f"  (last frame from the server after {r['server_s'] * 1e3:.0f} ms)  charts {r['charts']}"
            f"  sent over the websocket: page load {r['load_bytes'] / 1e6:.2f} MB, "
            f"per move {r['ws_bytes'] / 1e6:.2f} MB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
