"""Fixtures the browser tests share, and the rule for a machine without Chromium."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.serve import CHROMIUM, CHROMIUM_ARGS

CHROMIUM_MISSING = (
    f"Chromium is missing at {CHROMIUM}: the browser tests run after `apt-get install -y chromium`, "
    "or with RNNVIZ_CHROMIUM=/path/to/chromium"
)
_SKIPPED = pytest.StashKey[int]()  # how many were skipped, for one line at the end


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def pytest_configure(config):
    config.addinivalue_line("markers", "chromium: drives Chromium (skipped without it, failed in CI)")


def pytest_sessionstart(session):
    """RNNVIZ_CORE_TESTS_ONLY=1 (bench/mutation.sh): a test that starts the app through AppTest skips."""
    if os.environ.get("RNNVIZ_CORE_TESTS_ONLY") == "1":
        from streamlit.testing.v1 import AppTest

        AppTest.from_file = classmethod(lambda cls, *a, **k: pytest.skip("core tests only (AppTest)"))


def pytest_collection_modifyitems(config, items):
    for item in items:  # a test that asks for the browser fixture drives Chromium too
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.chromium)
    stats = Path("mutmut-stats.json")  # mutmut runs the tests from mutants/, where it keeps their times
    if "MUTANT_UNDER_TEST" in os.environ and stats.exists():
        # fastest first: a mutant is killed by the first test that fails (-x), so a slow test runs
        # only for the mutants the fast ones miss (mutmut hands over the tests in no particular order)
        import json

        durations = json.loads(stats.read_text()).get("duration_by_test", {})
        items.sort(key=lambda item: durations.get(item.nodeid, 0.0))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before any fixture (no server starts): skip a Chromium test where there is none; in CI, fail it."""
    if item.get_closest_marker("chromium") is None or Path(CHROMIUM).exists():
        return
    item.config.stash[_SKIPPED] = item.config.stash.get(_SKIPPED, 0) + 1
    if _in_ci():
        pytest.fail(f"{CHROMIUM_MISSING} (CI=true: the browser tests must run)", pytrace=False)
    pytest.skip(CHROMIUM_MISSING)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    count = config.stash.get(_SKIPPED, 0)
    if count and not _in_ci():
        terminalreporter.write_line(f"{count} browser tests skipped. {CHROMIUM_MISSING}", yellow=True)


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, through Playwright (one per test module)."""
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
