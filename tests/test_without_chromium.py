"""README's test command on a machine without Chromium: the browser tests skip with one line that
says how to enable them, and with CI=true they fail, so CI cannot pass without its browser."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HINT = "apt-get install -y chromium"


def _pytest(tmp_path: Path, ci: bool) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["RNNVIZ_CHROMIUM"] = str(tmp_path / "no-chromium-here")
    if ci:
        env["CI"] = "true"
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "tests/test_browser.py"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_without_chromium_browser_tests_skip_and_say_how_to_enable_them(tmp_path):
    run = _pytest(tmp_path, ci=False)
    assert run.returncode == 0, run.stdout + run.stderr
    lines = [line for line in run.stdout.splitlines() if HINT in line]
    assert len(lines) == 1, run.stdout  # one line, not one per test
    assert "RNNVIZ_CHROMIUM" in lines[0] and "browser tests skipped" in lines[0]
    assert "2 skipped" in run.stdout and "passed" not in run.stdout and "error" not in run.stdout


def test_in_ci_a_missing_chromium_fails_the_run(tmp_path):
    run = _pytest(tmp_path, ci=True)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "2 errors" in run.stdout and " skipped" not in run.stdout, run.stdout
    assert HINT in run.stdout and "CI=true" in run.stdout


def test_ci_run_exports_ci_true_before_the_test_command():
    script = (ROOT / ".ci" / "run").read_text()
    assert "export CI=true" in script
    assert script.index("export CI=true") < script.index('bash -c "$cmd"')
