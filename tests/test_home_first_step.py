"""The home page's first step is obvious: the lesson path comes right after the intro, its first step
(question, link, and the switch that shows its answer) is on screen at 1440×900 without scrolling; the
examples are named for what they show; each answer appears only when the teacher switches it on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from rnnviz.examples import SEED_EXAMPLES
from rnnviz.lesson import LESSON, answer_values
from rnnviz.ui import texts
from rnnviz.ui.home import answer_key
from tests.serve import streamlit_server, wait_idle

APP = str(Path(__file__).parents[1] / "app.py")
OUTPUT = Path(os.environ.get("RNNVIZ_TEST_OUTPUT", Path(__file__).resolve().parents[1] / "test-output"))


def _home(lang: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = lang
    return at.switch_page("pages/home.py").run()


def _answer(step, lang: str) -> str:
    return texts.WORDS[lang][f"lesson_{step.key}_a"].format(**answer_values(step))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_lesson_comes_first_and_its_answers_wait_for_a_click(lang):
    at = _home(lang)
    assert not at.exception
    words = texts.WORDS[lang]
    assert at.subheader[0].value == words["home_lesson"]  # the first section: where to start
    shown = "\n".join(m.value for m in at.markdown)
    for step in LESSON:
        assert _answer(step, lang) not in shown  # hidden until the teacher shows it
        toggle = at.toggle(key=answer_key(step))
        assert toggle.label == words["show_answer"] and toggle.help == words["help_show_answer"]
        assert toggle.value is False
    first, second = LESSON[0], LESSON[1]
    at.toggle(key=answer_key(first)).set_value(True).run()
    shown = "\n".join(m.value for m in at.markdown)
    assert _answer(first, lang) in shown and _answer(second, lang) not in shown  # one answer, the one asked
    at.toggle(key=answer_key(first)).set_value(False).run()
    assert _answer(first, lang) not in "\n".join(m.value for m in at.markdown)  # and hidden again


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_examples_are_named_for_what_they_show_not_seed(lang):
    at = _home(lang)
    text = "\n".join([*(m.value for m in at.markdown), *(s.value for s in at.subheader),
                      *(c.value for c in at.caption)])
    for example in SEED_EXAMPLES:
        assert f"**{texts.WORDS[lang][f'example_{example.key}']}**" in text
    assert "seed" not in text.lower() and "种子" not in text


@pytest.mark.parametrize("index", range(len(SEED_EXAMPLES)))
def test_layer_page_example_buttons_name_what_they_show(index):
    example = SEED_EXAMPLES[index]
    for lang in ("en", "zh"):
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["lang"] = lang
        at.switch_page(f"pages/{example.spec.kind.lower()}.py").run()
        button = at.button(key=f"preset_{index}")
        label, words = button.label, texts.WORDS[lang]
        assert label == words["example_button"].format(title=words[f"example_short_{example.key}"])
        assert button.help.startswith(words[f"example_{example.key}"])  # the full name, on hover
        assert "seed" not in label.lower() and "种子" not in label


@pytest.fixture(scope="module")
def server():
    with streamlit_server() as url:
        yield url


@pytest.mark.chromium
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_first_step_is_above_the_fold_at_1440x900(server, browser, lang):
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    try:
        page.goto(f"{server}/?lang={lang}")
        page.wait_for_selector(f".st-key-{answer_key(LESSON[0])}", timeout=60_000)
        wait_idle(page)
        OUTPUT.mkdir(exist_ok=True)
        page.screenshot(path=str(OUTPUT / f"home_first_step_{lang}.png"))
        words = texts.WORDS[lang]
        step = page.locator(f".st-key-lesson_{LESSON[0].key}")
        parts = [step.get_by_text(words[f"lesson_{LESSON[0].key}_title"]),
                 step.locator('[data-testid="stPageLink"]'),
                 page.locator(f".st-key-{answer_key(LESSON[0])}")]
        for part in parts:
            box = part.first.bounding_box()
            assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 900, box
        page.locator(f".st-key-{answer_key(LESSON[0])} label").click()
        wait_idle(page)
        answer = words[f"lesson_{LESSON[0].key}_a"].format(**answer_values(LESSON[0]))[:30]
        assert step.get_by_text(answer[:20]).count() == 1
    finally:
        page.close()
