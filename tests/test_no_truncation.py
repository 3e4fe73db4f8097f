"""No truncation anywhere: on every page and view, at 1440×900 and at 1280×720 with device scale 1.5
(a projector's resolution, rendered as sharply as at 150 %), in English and in 中文, no button, toggle,
select, radio, slider or diagram label is cut or overlaps another.

Measured in the rendered page, not compared with screenshots:
- a widget's text wider than the box that holds it (an ancestor that clips or ends in an ellipsis, a
  select's or number's <input> narrower than its value), or one word of a label broken over two lines
  because the box is narrower than the word;
- the texts of two widgets on top of each other;
- in plotly figures, text (`.textpoint`, `.annotation`) overlapping or touching (closer than 3 px) another
  text, spilling out of the
  box (layout shape) it sits in, or out of the figure.
Each failure lists the offending texts. With RNNVIZ_SHOTS=<folder>, each page is also saved there whole
(the viewport stretched to the page's height), to be looked at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.serve import streamlit_server, wait_idle

SIZES = {"1440x900": dict(viewport={"width": 1440, "height": 900}, device_scale_factor=1),
         "1280x720@1.5": dict(viewport={"width": 1280, "height": 720}, device_scale_factor=1.5)}
# every page, each layer view, a deep diagram (2 layers, both directions, proj_size) and the presenter view
PAGES = [
    "/", "/lstm", "/lstm?view=Hidden+states", "/lstm?view=Gates", "/lstm?view=What+if",
    "/lstm?num_layers=2&bidirectional=true&proj_size=4", "/gru", "/gru?view=Gates",
    "/rnn?source=impulse",  # the longest input's name in the select
    "/compare", "/gradients", "/packing", "/train", "/lstm?present=1",
]
WIDGETS = ", ".join(f'[data-testid="{name}"]' for name in (
    "stButton", "stDownloadButton", "stFormSubmitButton", "stCheckbox", "stSelectbox", "stRadio", "stSlider",
    "stSelectSlider", "stNumberInput", "stTextInput", "stTextArea", "stFileUploader", "stMultiSelect",
    "stPageLink", "stLinkButton", "stExpander", "stTab", "stSidebarNavLink"))

MEASURE = r"""
(widgetSelector) => {
  const problems = [];
  const canvas = document.createElement('canvas').getContext('2d');
  const show = s => s.replace(/\s+/g, ' ').trim().slice(0, 70);
  const px = v => `${Math.round(v)} px`;
  const inside = (r, b) => r.left >= b.left - 1 && r.right <= b.right + 1 && r.top >= b.top - 1
    && r.bottom <= b.bottom + 1;
  const rectOf = n => {
    const r = document.createRange();
    r.selectNodeContents(n);
    return r.getBoundingClientRect();
  };
  const visible = el => {
    if (!el.getClientRects().length) return false;
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.visibility === 'hidden' || s.display === 'none' || parseFloat(s.opacity) === 0) return false;
      if (e.tagName === 'DETAILS' && !e.open && !el.closest('summary')) return false;
    }
    return true;
  };
  const width = (text, el) => {
    canvas.font = getComputedStyle(el).font;
    return canvas.measureText(text).width;
  };
  const holders = [];  // [element, its text, its text's rect, the widget it belongs to]
  for (const widget of document.querySelectorAll(widgetSelector)) {
    if (!visible(widget) || widget.closest('[data-testid="stSidebar"][data-collapsed="true"]')) {
      continue;
    }
    const walker = document.createTreeWalker(widget, NodeFilter.SHOW_TEXT);
    const seen = new Set();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!node.textContent.trim() || seen.has(el) || el.closest('pre, code, [data-testid="stIconMaterial"]')
          || el.closest('[data-testid="stSliderTickBar"]') || !visible(el)) continue;
      seen.add(el);
      const text = el.textContent;
      const rect = rectOf(el);
      holders.push([el, text, rect, widget]);
      // cut: an ancestor (up to the widget) clips the text or shows an ellipsis
      for (let box = el; box && box !== widget.parentElement; box = box.parentElement) {
        const s = getComputedStyle(box);
        const b = box.getBoundingClientRect();
        const clips = s.overflowX !== 'visible' || s.textOverflow === 'ellipsis';
        const wider = box.scrollWidth > box.clientWidth + 1 || rect.right > b.right + 1
          || rect.left < b.left - 1;
        if (clips && wider) {
          problems.push(`cut: "${show(text)}" (text ${px(rect.width)} in a box of ${px(box.clientWidth)})`);
          break;
        }
      }
      // a word broken over two lines: the box is narrower than one word of its label
      const words = text.match(/[A-Za-z0-9_.()·\[\]\-]{3,}/g) || [];
      const box = el.getBoundingClientRect().width;
      for (const word of words) {
        if (width(word, el) > box + 1) {
          problems.push(`word broken: "${word}" of "${show(text)}" (${px(width(word, el))} in ${px(box)})`);
          break;
        }
      }
    }
    // a select's or a number's value wider than its input
    const inputs = widget.querySelectorAll('input[type="text"], input[type="number"], input:not([type])');
    for (const input of inputs) {
      if (!input.value || !visible(input)) continue;
      const s = getComputedStyle(input);
      const room = input.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
      if (width(input.value, input) > room + 1 || input.scrollWidth > input.clientWidth + 1) {
        const value = show(input.value);
        problems.push(`cut: the value "${value}" (${px(width(input.value, input))} in ${px(room)})`);
      }
    }
  }
  // the texts of two widgets on top of each other
  const meet = (a, b, slack) => a.width && b.width && a.left < b.right - slack && b.left < a.right - slack
    && a.top < b.bottom - slack && b.top < a.bottom - slack;
  for (let i = 0; i < holders.length; i++) {
    for (let j = i + 1; j < holders.length; j++) {
      const [ea, ta, ra, wa] = holders[i], [eb, tb, rb, wb] = holders[j];
      if (ea.contains(eb) || eb.contains(ea)) continue;
      if (meet(ra, rb, 2)) problems.push(`overlap: "${show(ta)}" and "${show(tb)}"`);
    }
  }
  // plotly: texts over each other, out of their box, out of the figure
  document.querySelectorAll('.js-plotly-plot').forEach((plot, n) => {
    if (!visible(plot)) return;
    const svg = plot.querySelector('.main-svg');
    if (!svg) return;
    const area = svg.getBoundingClientRect();
    const boxes = [...plot.querySelectorAll('.shapelayer path')].map(p => p.getBoundingClientRect())
      .filter(r => r.width > 4 && r.height > 4);
    const texts = [...plot.querySelectorAll('.textpoint text, .annotation text, .annotation-text')]
      .filter(t => t.textContent.trim() && visible(t)).map(t => [t.textContent, t.getBoundingClientRect()]);
    const name = `chart ${n + 1}`;
    texts.forEach(([text, r], i) => {
      if (!inside(r, area)) problems.push(`${name}: "${show(text)}" runs out of the figure`);
      const cx = (r.left + r.right) / 2, cy = (r.top + r.bottom) / 2;
      const home = boxes.filter(b => b.left <= cx && cx <= b.right && b.top <= cy && cy <= b.bottom)
        .sort((a, b) => a.width * a.height - b.width * b.height)[0];
      if (home && !inside(r, home)) {
        const sizes = `${px(r.width)} × ${px(r.height)} in ${px(home.width)} × ${px(home.height)}`;
        problems.push(`${name}: "${show(text)}" spills out of its box (${sizes})`);
      }
      for (const [other, q] of texts.slice(i + 1)) {
        if (meet(r, q, -3)) problems.push(`${name}: "${show(text)}" overlaps or touches "${show(other)}"`);
      }
    });
  });
  return [...new Set(problems)];
}
"""

SHOTS = os.environ.get("RNNVIZ_SHOTS")

READY = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
  .every(c => c.querySelector('.main-svg'))"""


@pytest.fixture(scope="module")
def server():
    with streamlit_server() as url:
        yield url


def _open(page, url: str) -> None:
    page.goto(url)
    wait_idle(page)
    page.wait_for_function(READY, timeout=60_000)
    page.wait_for_timeout(300)  # plotly lays its text out after the svg appears


def _name(path: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in path.strip("/")) or "home"


def _shoot(page, file: Path, viewport: dict) -> None:
    """The whole page: Streamlit scrolls inside its main block, so the viewport grows to its height."""
    file.parent.mkdir(parents=True, exist_ok=True)
    tall = page.evaluate("""() => { const m = document.querySelector('[data-testid="stMain"]');
      return m ? m.scrollHeight : document.body.scrollHeight; }""")
    page.set_viewport_size({"width": viewport["width"], "height": min(max(tall, viewport["height"]), 5000)})
    page.wait_for_timeout(800)  # plotly redraws at the new size
    page.screenshot(path=str(file))
    page.set_viewport_size(viewport)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", list(SIZES))
def test_no_label_is_cut_or_overlaps_another(browser, server, size, lang):
    context = browser.new_context(**SIZES[size])
    page = context.new_page()
    found = {}
    try:
        for path in PAGES:
            url = f"{server}{path}{'&' if '?' in path else '?'}lang={lang}"
            _open(page, url)
            if "present=1" in path:  # the controls folded above the chart: open them too
                page.locator('[data-testid="stMain"] [data-testid="stExpander"] summary').first.click()
                wait_idle(page)
                page.wait_for_timeout(600)  # the expander's opening animation
            assert page.locator('[data-testid="stException"]').count() == 0, url
            problems = page.evaluate(MEASURE, WIDGETS)
            if problems:
                found[path] = problems
            if SHOTS:
                _shoot(page, Path(SHOTS) / f"{size}_{lang}_{_name(path)}.png", SIZES[size]["viewport"])
    finally:
        context.close()
    report = "\n".join(f"{path}:\n  " + "\n  ".join(problems) for path, problems in found.items())
    assert not found, f"at {size} in {lang}, texts cut or overlapping:\n{report}"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", list(SIZES))
def test_the_class_panel_is_readable_before_and_while_leading(browser, server, size, lang):
    """The sidebar's Class panel: joining and leading again (code and teacher key), then a teacher's,
    with the teacher key's popover open; screenshots under test-output/ to be looked at."""
    context = browser.new_context(**SIZES[size])
    page = context.new_page()
    shots = Path(__file__).parents[1] / "test-output"
    found = {}
    try:
        _open(page, f"{server}/?lang={lang}")
        sidebar = page.locator('[data-testid="stSidebar"]')
        if not sidebar.locator(".st-key-class_start").count() or not sidebar.is_visible():
            page.locator('[data-testid="stExpandSidebarButton"]').click()
        sidebar.locator('[data-testid="stExpander"] summary').first.click()
        page.locator(".st-key-class_resume_key input").wait_for(state="visible")
        page.wait_for_timeout(600)  # the expander's opening animation
        found["joining"] = page.evaluate(MEASURE, WIDGETS)
        sidebar.screenshot(path=str(shots / f"class_panel_join_{size}_{lang}.png"))
        page.locator(".st-key-class_start button:visible").click()
        page.locator(".st-key-class_keep_key button:visible").first.wait_for()
        wait_idle(page)
        page.locator(".st-key-class_keep_key button:visible").first.click()
        key = page.locator('[data-testid="stPopoverBody"] code')
        key.wait_for()
        page.mouse.move(5, 5)  # the button's help tooltip off the popover
        page.wait_for_timeout(600)  # the popover's opening animation
        assert len(key.inner_text().strip()) >= 24  # the teacher key, shown on request only
        found["leading"] = page.evaluate(MEASURE, WIDGETS)
        page.screenshot(path=str(shots / f"class_panel_lead_{size}_{lang}.png"))
    finally:
        context.close()
    problems = {state: p for state, p in found.items() if p}
    assert not problems, f"at {size} in {lang}, texts cut or overlapping: {problems}"
