"""First visits in real Chromium: every page's own URL, the seed note's links and their Chinese
versions open clean for a later visitor, and the very first visitor of a fresh server gets the
real menu and the wide layout."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest

from rnnviz.examples import SEED_EXAMPLES, example_query
from rnnviz.ui.texts import WORDS
from rnnviz.ui.url_state import url_value
from tests.serve import streamlit_server, wait_idle

playwright = pytest.importorskip("playwright.sync_api")
OUTPUT = Path(os.environ.get("RNNVIZ_TEST_OUTPUT", Path(__file__).resolve().parents[1] / "test-output"))
pytestmark = pytest.mark.chromium  # skipped without Chromium, failed in CI (tests/conftest.py)

PAGE_PATHS = ["/", "/lstm", "/gru", "/rnn", "/compare", "/gradients", "/packing", "/train"]
SEED_LINKS = [
    (f"/{e.spec.kind.lower()}?" + urlencode({k: url_value(v) for k, v in example_query(e).items()}), e)
    for e in SEED_EXAMPLES
]
NOT_FOUND = "Page not found"


def _menu_titles(lang: str) -> list[str]:
    words = WORDS[lang]
    return [
        words["page_home"],
        "nn.LSTM",
        "nn.GRU",
        "nn.RNN",
        words["page_compare"],
        words["page_gradients"],
        words["page_packing"],
        words["page_train"],
    ]


def _with_lang(path: str, lang: str) -> str:
    if lang == "en":
        return path
    return path + ("&" if "?" in path else "?") + f"lang={lang}"


def _open(browser, url: str, width: int = 1440):
    context = browser.new_context(viewport={"width": width, "height": 1000})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    wait_idle(page)
    page.wait_for_timeout(500)  # a page_not_found dialog arrives right after the run
    wait_idle(page)
    return context, page, errors


def _assert_clean(page, errors: list, lang: str) -> None:
    assert page.get_by_text(NOT_FOUND).count() == 0, page.url
    assert page.locator('[data-testid="stException"]').count() == 0, page.url
    assert not errors, errors
    menu = page.locator('[data-testid="stSidebarNav"] [data-testid="stSidebarNavLink"]').all_inner_texts()
    titles = [text.strip().split("\n")[-1] for text in menu]
    assert titles == _menu_titles(lang), (page.url, titles)  # titles, not file names


def test_every_link_opens_clean_for_a_later_visitor(browser):
    with streamlit_server() as server:
        context, page, _ = _open(browser, server + "/")  # an earlier visitor
        context.close()
        for lang in ("en", "zh"):
            for path in PAGE_PATHS:
                context, page, errors = _open(browser, server + _with_lang(path, lang))
                _assert_clean(page, errors, lang)
                context.close()
            for path, example in SEED_LINKS:
                context, page, errors = _open(browser, server + _with_lang(path, lang))
                _assert_clean(page, errors, lang)
                page.wait_for_selector('[data-testid="stPlotlyChart"]', timeout=120_000)
                diagram = page.locator('[data-testid="stPlotlyChart"]').first.inner_text()
                for size in re.findall(r"\[([\d, ]+)\]", example.printed):  # torch.Size([5, 3, 20]) ...
                    assert f"({size})" in diagram, (path, size)
                context.close()


@pytest.mark.parametrize("path", ["/", "/lstm?lang=zh"])
def test_the_very_first_visitor_of_a_fresh_server(browser, path):
    with streamlit_server() as server:
        context, page, errors = _open(browser, server + path)
        lang = "zh" if "lang=zh" in path else "en"
        _assert_clean(page, errors, lang)
        main = page.locator('[data-testid="stMainBlockContainer"]').bounding_box()
        assert main["width"] > 900, main  # layout="wide": the centred layout is at most 736 px
        truncated = page.evaluate(
            '() => [...document.querySelectorAll(\'[data-testid="stWidgetLabel"] p, '
            '[data-testid="stWidgetLabel"] div\')]'
            ".filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)"
        )
        assert truncated == [], truncated
        labels = page.locator('[data-testid="stWidgetLabel"]').count()
        assert labels >= (1 if path == "/" else 15)
        OUTPUT.mkdir(parents=True, exist_ok=True)
        name = "first_visit_home" if path == "/" else "first_visit_lstm_zh"
        page.screenshot(path=str(OUTPUT / f"{name}.png"))
        context.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_home_page_screenshot_and_a_lesson_link(browser, lang):
    with streamlit_server() as server:
        context = browser.new_context(viewport={"width": 1440, "height": 3200})
        page = context.new_page()
        page.goto(server + _with_lang("/", lang))
        wait_idle(page)
        for expander in page.locator('[data-testid="stExpander"] summary').all()[:2]:
            expander.click()  # two answers open, as a teacher would show them
        page.wait_for_timeout(300)
        OUTPUT.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(OUTPUT / f"home_{lang}.png"), full_page=True)
        # the packing step's link: the page opens configured, in the same language, with no notice
        page.locator(".st-key-lesson_packing a").first.click()
        page.wait_for_url("**/packing?**")
        wait_idle(page)
        assert page.locator('[data-testid="stAlert"]').count() == 0
        assert "lengths=6%2C3%2C4" in page.url or "lengths=6,3,4" in page.url
        assert page.locator('[data-testid="stException"]').count() == 0
        context.close()


def test_training_updates_the_loss_curve_live(browser):
    with streamlit_server() as server:
        context = browser.new_context(viewport={"width": 1440, "height": 1400})
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(server + "/train?steps=1500&seq_len=40")
        wait_idle(page)
        page.locator(".st-key-train_start button").first.click()
        points = "() => { const d = document.querySelector('.st-key-chart_train_loss .js-plotly-plot');" \
                 " return d && d._fullData && d._fullData.length ? d._fullData[0].x.length : -1; }"
        seen, done = [], False
        for _ in range(240):  # at most a minute
            page.wait_for_timeout(250)
            count = page.evaluate(points)
            if count > 0 and (not seen or count != seen[-1]):
                seen.append(count)
            if page.locator(".st-key-train_checkpoint").count():  # the run ended: checkpoints to scrub
                done = True
                break
        assert done, seen
        assert len([c for c in seen if c < 1500]) >= 3, seen  # the curve grew at least three times mid-run
        wait_idle(page)
        assert page.locator('[data-testid="stException"]').count() == 0 and not errors
        OUTPUT.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(OUTPUT / "train.png"), full_page=True)
        context.close()
