"""End to end in real headless Chromium: the LSTM page reacts to its hidden_size slider."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.serve import chart_data_js, streamlit_server, wait_idle

playwright = pytest.importorskip("playwright.sync_api")
OUTPUT = Path(os.environ.get("RNNVIZ_TEST_OUTPUT", Path(__file__).resolve().parents[1] / "test-output"))

pytestmark = pytest.mark.chromium  # skipped without Chromium, failed in CI (tests/conftest.py)


@pytest.fixture(scope="module")
def server():
    with streamlit_server() as url:
        yield url


def _charts(page) -> list:
    count = page.locator('[data-testid="stPlotlyChart"]').count()
    return [page.evaluate(chart_data_js(i)) for i in range(count)]


def _view(page, name: str) -> None:
    page.locator(".st-key-view label").filter(has_text=name).click()
    wait_idle(page)


def test_lstm_page_follows_hidden_size(server, browser):
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server}/lstm")
    wait_idle(page)
    page.wait_for_function(f"() => {chart_data_js(0)} !== null", timeout=120_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    # a deep link on a fresh server goes through app.py's st.navigation, not pages/ alone
    assert "nn.GRU" in page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "(1, 2, 8)" in page.locator('[data-testid="stPlotlyChart"]').first.inner_text()  # h_0 / h_n

    _view(page, "Hidden states")
    page.wait_for_function(f"() => {chart_data_js(0)} !== null", timeout=120_000)
    before = _charts(page)
    assert len(before) == 1  # one chart at a time: the h heatmap
    slider = page.locator(".st-key-hidden_size input[type='range']")
    for _ in range(20):  # a key press that lands mid-rerun can be lost: press until it reads 12
        if slider.input_value() == "12":
            break
        slider.focus()
        slider.press("ArrowRight")
        wait_idle(page)
    assert slider.input_value() == "12"
    page.wait_for_function(  # the h heatmap now has 12 units
        f"() => {{ const d = {chart_data_js(0)}; if (d === null) return false;"
        " const z = JSON.parse(d)[0][2]; return !!z && z.length === 12; }",
        timeout=120_000,
    )
    wait_idle(page)
    after = _charts(page)
    assert len(after) == 1 and after != before  # the chart redrew
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / "lstm_hidden_states.png"), full_page=True)

    _view(page, "Shapes")
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')]"
        ".some(e => e.innerText.includes('(1, 2, 12)'))",
        timeout=120_000,
    )
    page.screenshot(path=str(OUTPUT / "lstm_shapes.png"), full_page=True)
    _view(page, "Gates")
    page.wait_for_function(f"() => {chart_data_js(0)} !== null", timeout=120_000)
    page.screenshot(path=str(OUTPUT / "lstm_gates.png"), full_page=True)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert not errors, errors
    page.close()


def test_shared_link_reproduces_the_configuration(server, browser):
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    page.goto(f"{server}/lstm?input_size=10&hidden_size=20&num_layers=2&seq_len=5&batch_size=3")
    wait_idle(page)
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')]"
        ".some(e => e.innerText.includes('(5, 3, 20)'))",
        timeout=120_000,
    )
    diagram = page.locator('[data-testid="stPlotlyChart"]').first.inner_text()
    assert "(5, 3, 10)" in diagram and "(2, 3, 20)" in diagram  # input, h_n
    assert "hidden_size=20" in page.url and "num_layers=2" in page.url  # the link stays shareable
    assert page.locator('[data-testid="stException"]').count() == 0
    page.close()
