"""Benchmark: the LSTM page's slider-to-charts time with Streamlit's post-run GC on and off.

Streamlit runs gc.collect(2) after every script run (runner.postScriptGC). With torch and
plotly loaded that walks a large heap. Two servers, one per setting, are driven alternately
from one Chromium; prints medians and the ratio on/off.

    python bench/gc_rerun.py [--moves 9] [--view "Hidden states"]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from bench.latency import move, open_page  # noqa: E402
from tests.serve import CHROMIUM, CHROMIUM_ARGS, streamlit_server  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=9)
    parser.add_argument("--view", default="Hidden states")
    args = parser.parse_args()
    os.environ["RNNVIZ_DEFAULTS"] = json.dumps({"view": args.view})
    with contextlib.ExitStack() as stack, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        states = {}
        for setting in ("true", "false"):
            url = stack.enter_context(streamlit_server(extra_args=(f"--runner.postScriptGC={setting}",)))
            states[setting] = open_page(browser, url + "/lstm")
        for _ in range(args.moves):
            for state in states.values():
                move(state, "ArrowRight")
        browser.close()
    on, off = (statistics.median(states[s]["times"]) for s in ("true", "false"))
    server_on, server_off = (statistics.median(states[s]["server"]) for s in ("true", "false"))
    print(f"LSTM page, view {args.view}, median of {args.moves} slider moves")
    print(f"postScriptGC = true : {on * 1e3:6.0f} ms (last server frame {server_on * 1e3:.0f} ms)")
    print(f"postScriptGC = false: {off * 1e3:6.0f} ms (last server frame {server_off * 1e3:.0f} ms)")
    print(f"ratio on / off: {on / off:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
