"""Benchmark: slider move -> every chart redrawn, in headless Chromium, against a minimal app.

Starts three servers in one run: a one-slider, one-chart Streamlit app (the baseline), the
rnnviz LSTM page at its default configuration, and the LSTM page at the largest configuration
the trace memory budget admits. On each, it moves the `hidden_size` slider back and forth and
times key press -> app idle with every chart's data changed (the saturation bars may
legitimately stay equal and are only required to be drawn). Prints medians, ratios against
the baseline, and the bytes of figure data on the page and received over the websocket per move.
Each move lowers hidden_size by one, so every move is a configuration the cache has not seen.

    python bench/latency.py [--moves 7]
"""

from __future__ import annotations

import argparse
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

FINGERPRINTS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')].map(d => {
  if (!d._fullData) return null;
  if (d._fullData.every(t => t.type === "bar")) return "saturation";  // shares may legitimately stay equal
  return JSON.stringify(d._fullData.map(t => {
    const a = t.z || t.y || [];
    return [a.length, (a[0] && a[0].length) || 0, JSON.stringify(Array.from(a).slice(0, 3)), t.text];
  }));
})"""
FIGURE_BYTES = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')]
  .reduce((n, d) => n + JSON.stringify(d.data || []).length + JSON.stringify(d.layout || {}).length, 0)"""


def largest_within_budget() -> dict:
    """The biggest LSTM the page still traces: every slider at its top, then the longest
    sequence that fits the memory budget."""
    base = dict(hidden_size=512, num_layers=4, bidirectional=True, batch_size=32, input_size=64)
    spec = LayerSpec(kind="LSTM", input_size=64, hidden_size=512, num_layers=4, bidirectional=True)
    seq_len = max(t for t in range(1, 1001) if trace_nbytes(spec, t, 32) / 2**20 <= TRACE_BUDGET_MB)
    return {**base, "seq_len": seq_len}


def measure(browser, url: str, moves: int) -> dict:
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    received = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: received.append(len(payload))))
    page.goto(url)
    wait_idle(page, 180_000)
    page.wait_for_function("() => document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .js-plotly-plot').length > 0 "
                           "&& [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .js-plotly-plot')].every(d => d._fullData)",
                           timeout=180_000)
    slider = page.locator(".st-key-hidden_size input[type='range']")
    times, sent = [], []
    for move in range(moves):
        before = page.evaluate(FINGERPRINTS)
        received.clear()
        slider.focus()
        start = time.perf_counter()
        slider.press("ArrowLeft")  # a new hidden_size each time: the model really reruns
        page.wait_for_function(
            f"(before) => {{ const now = ({FINGERPRINTS})(); return now.length === before.length && "
            "now.every((f, i) => f !== null && (f === 'saturation' || f !== before[i])) && "
            "document.querySelector('[data-testid=\"stApp\"][data-test-script-state=\"notRunning\"]'); }",
            arg=before, timeout=180_000, polling="raf")
        times.append(time.perf_counter() - start)
        print(f"  move {move + 1}: {times[-1] * 1e3:.0f} ms", file=sys.stderr, flush=True)
        sent.append(sum(received))
    figure_bytes = page.evaluate(FIGURE_BYTES)
    charts = len(before)
    page.close()
    return {"median_s": statistics.median(times), "charts": charts, "figure_bytes": figure_bytes,
            "ws_bytes": statistics.median(sent)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=7)
    args = parser.parse_args()
    large = largest_within_budget()
    setups = [("minimal app (baseline)", ROOT / "bench" / "minimal_app.py", "", {})]
    for view in ("Shapes", "Hidden states", "Gates"):
        setups.append((f"LSTM page, default configuration, view {view}", ROOT / "app.py", "/lstm", {"view": view}))
    for view in ("Shapes", "Hidden states", "Gates"):
        setups.append((f"LSTM page, largest in budget, view {view}", ROOT / "app.py", "/lstm", {**large, "view": view}))
    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, script, path, defaults in setups:
            os.environ["RNNVIZ_DEFAULTS"] = json.dumps(defaults)
            print(name, file=sys.stderr, flush=True)
            with streamlit_server(script) as url:
                results.append((name, measure(browser, url + path, args.moves)))
        browser.close()
    base = results[0][1]["median_s"]
    print(f"median of {args.moves} slider moves; ratio = time / minimal app's time (same run)")
    print(f"largest in budget ({TRACE_BUDGET_MB:.0f} MB): {json.dumps(large)}")
    for name, r in results:
        print(f"{name}\n    {r['median_s'] * 1e3:8.0f} ms  ratio {r['median_s'] / base:5.2f}  charts {r['charts']}"
              f"  figure data on page {r['figure_bytes'] / 1e6:.2f} MB  websocket per move {r['ws_bytes'] / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
