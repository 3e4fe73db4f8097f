"""Start a Streamlit server and Debian's Chromium for browser tests and benchmarks."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("RNNVIZ_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(
    script: str | Path = "app.py", python: str = sys.executable, cwd: Path = ROOT, extra_args: tuple = ()
):
    """Run `streamlit run script` on a free port; yields the base URL; stops it afterwards."""
    port = free_port()
    command = [
        python,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.headless=true",
        f"--server.port={port}",
        "--server.address=127.0.0.1",
        "--browser.gatherUsageStats=false",
        "--server.fileWatcherType=none",
        *extra_args,
    ]
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_healthy(url: str, process: subprocess.Popen | None = None, timeout: float = 180) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            output = process.stdout.read().decode(errors="replace") if process.stdout else ""
            raise RuntimeError(f"the server exited with {process.returncode}:\n{output}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                body = reply.read().decode()
                if body == "ok":
                    return body
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{url}/_stcore/health did not answer ok within {timeout} s")


def wait_idle(page, timeout_ms: int = 120_000) -> None:
    """Wait until the app finished its rerun and no skeleton placeholder is left."""
    page.wait_for_selector(IDLE, timeout=timeout_ms)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=timeout_ms
    )


def chart_data_js(index: int) -> str:
    """JS expression: a JSON fingerprint of the index-th plotly chart's data, or null."""
    return (
        "(() => { const d = document.querySelectorAll("
        f"'[data-testid=\"stPlotlyChart\"] .js-plotly-plot')[{index}];"
        " return d && d._fullData ?"
        " JSON.stringify(d._fullData.map(t => [t.x, t.y, t.z, t.text])) : null; })()"
    )
