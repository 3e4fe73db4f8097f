"""Random links: 300 seeded URL configurations across every page, each in a fresh AppTest session,
and not one exception. A link is what a stranger can hand the app, so every parameter gets valid
values, edges, out-of-range and huge numbers, garbage, empty strings and unicode. The Train page
is opened, never started (no button is clicked)."""

from __future__ import annotations

import random
import re
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from rnnviz.ui.table import COMPARE, GRADIENTS, LAYER, PACKING, TRAIN, Control, url_controls

APP = str(Path(__file__).parents[1] / "app.py")
CASES = 300
PAGES = {
    "home": url_controls({}),  # the shared settings only
    "lstm": url_controls(LAYER, "LSTM"),
    "gru": url_controls(LAYER, "GRU"),
    "rnn": url_controls(LAYER, "RNN"),
    "compare": url_controls(COMPARE),
    "gradients": url_controls(GRADIENTS),
    "packing": url_controls(PACKING),
    "train": url_controls(TRAIN),
}
GARBAGE = ["", " ", "abc", "nan", "NaN", "inf", "-inf", "1e309", "-0", "0x10", "1_000", "٣", "三",
           "中文", "🙂", "é", "true", "None", "null", "[]", "{}", "1,2", "%00", "<script>", "'", '"',
           "9" * 400, "-" * 3, "1.5", "１２"]
HUGE = ["1e30", "99999999999999999999999", "-99999999999999999999999", str(2**63), str(-(2**63) - 1)]
DEVICES = ["cpu", "cuda", "cuda:0", "cuda:7", "mps", "tpu"]


def _valid(rng: random.Random, control: Control) -> str:
    """A value the control accepts, kept small enough that a case runs in about a second."""
    if control.widget == "toggle":
        return rng.choice(["true", "false", "1", "0", "yes", "no", "True", "FALSE"])
    if control.name == "device":
        return rng.choice(DEVICES)
    if control.widget == "text":  # comma-separated lengths in low..high
        top = min(int(control.high), 30)
        return ",".join(str(rng.randint(int(control.low), top)) for _ in range(rng.randint(1, 5)))
    if control.options:
        return str(rng.choice(control.options))
    low, high = control.low, control.high
    if isinstance(control.default, float):
        return str(rng.choice([low, high, round(rng.uniform(low, high), 2)]))
    # mostly the lower part of the range: sizes multiply, and a big run is the budget check's job
    small = min(int(high), int(low) + 24)
    return str(rng.choice([int(low), int(high), rng.randint(int(low), small), rng.randint(int(low), small)]))


def _invalid(rng: random.Random, control: Control) -> str:
    kind = rng.random()
    if kind < 0.35:
        return rng.choice(GARBAGE)
    if kind < 0.5:
        return rng.choice(HUGE)
    if control.low is not None and control.high is not None:
        if kind < 0.8:  # just outside the range, or a fraction where a whole number belongs
            return rng.choice([str(control.low - 1), str(control.high + 1), str(control.low - 0.5),
                               str(control.high + 0.5), str(-abs(control.high) - 7)])
        if control.widget == "text":
            return rng.choice(["0", "0,3", "3,,4", ",", "3;4", "3 4", "-1,2", "1," * 200, "51,2"])
    if control.options:
        options = [str(o) for o in control.options]
        return rng.choice([o.upper() for o in options] + [o + " " for o in options] + ["other"])
    return rng.choice(GARBAGE)


def _case(rng: random.Random) -> tuple[str, dict[str, str]]:
    page = rng.choice(list(PAGES))
    params = {}
    share = rng.choice([0.2, 0.5, 0.9])  # how many of the page's parameters the link sets
    for control in PAGES[page]:
        if rng.random() < share:
            params[control.name] = _valid(rng, control) if rng.random() < 0.6 else _invalid(rng, control)
    if rng.random() < 0.1:  # a parameter no page has, or one of another page
        params[rng.choice(["foo", "kind", "lengths", "matched", "task", "view", "ρ"])] = rng.choice(GARBAGE)
    return page, params


@pytest.fixture
def error_details():
    """The exception's type, message and place in the report (the app itself shows the type only)."""
    shown = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", "full")
    yield
    config.set_option("client.showErrorDetails", shown)


def _where(stack: list[str]) -> str:
    """The project's own frames of a stack trace, outermost first: file:line in function."""
    frames = re.findall(r'File "[^"]*?((?:rnnviz|pages)/[^"]+)", line (\d+), in (\w+)', "\n".join(stack))
    return " > ".join(f"{path}:{line} {function}" for path, line, function in frames)


def test_300_random_links_raise_no_exception(error_details):
    rng = random.Random(0)
    cases = [_case(rng) for _ in range(CASES)]
    assert {page for page, _ in cases} == set(PAGES)
    failures, start = [], time.perf_counter()
    for page, params in cases:
        url = f"/{'' if page == 'home' else page}?{urlencode(params)}"
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params.update(params)
        try:
            at.switch_page(f"pages/{page}.py").run()
        except Exception as error:  # noqa: BLE001  (AppTest itself failing counts as a failure too)
            failures.append(f"{url}\n    AppTest: {type(error).__name__}: {error}")
            continue
        if at.exception:
            for e in at.exception:
                failures.append(f"{url}\n    {e.proto.type}: {e.message}\n    at {_where(e.stack_trace)}")
    seconds = time.perf_counter() - start
    print(f"{CASES} links in {seconds:.0f} s")
    assert not failures, f"{len(failures)} of {CASES} links raised:\n" + "\n".join(failures)
