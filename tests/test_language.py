"""English and 简体中文: every key in both languages, every page's labels and help in Chinese."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from rnnviz.ui import texts

APP = str(Path(__file__).parents[1] / "app.py")
CJK = re.compile(r"[\u4e00-\u9fff]")
# torch's own argument names stay as code in both languages
CODE_NAMES = {
    "input_size",
    "hidden_size",
    "num_layers",
    "nonlinearity",
    "bias",
    "batch_first",
    "dropout",
    "bidirectional",
    "proj_size",
    "◀",
    "▶",
}
PAGES = [
    "pages/lstm.py",
    "pages/gru.py",
    "pages/rnn.py",
    "pages/compare.py",
    "pages/gradients.py",
    "pages/packing.py",
    "pages/train.py",
    "pages/home.py",
]
WIDGETS = ("slider", "toggle", "selectbox", "radio", "number_input", "text_input", "button", "text_area")


def test_every_key_exists_in_both_languages():
    english, chinese = texts.WORDS["en"], texts.WORDS["zh"]
    assert set(english) == set(chinese)
    assert all(CJK.search(text) for key, text in chinese.items() if key.startswith("help_"))
    for key, text in chinese.items():
        punctuation = re.fullmatch(r"[\u3000-\u303f\uff00-\uffef]*", text)  # separators: 、 or none
        assert CJK.search(text) or punctuation or text == english[key] or "{" in text or key == "csv", key
    for key, text in english.items():  # the same placeholders in both (in the order each language needs)
        assert sorted(re.findall(r"{(\w+)", text)) == sorted(re.findall(r"{(\w+)", chinese[key])), key


def test_every_control_has_help_and_label_words_in_both_languages():
    from rnnviz.ui.table import COMPARE, GRADIENTS, LAYER, PACKING, SIDEBAR

    for table in (SIDEBAR, LAYER, COMPARE, GRADIENTS, PACKING):
        for control in table.values():
            for lang in ("en", "zh"):
                assert control.help_key in texts.WORDS[lang], control
                assert control.label is None or control.label in texts.WORDS[lang], control


CASES = [(page, view) for page in PAGES[:3] for view in ("Shapes", "Hidden states", "Gates", "What if")]
CASES += [(page, None) for page in PAGES[3:]]


@pytest.mark.parametrize("page,view", CASES)
def test_page_in_chinese_has_no_untranslated_label_or_help(page, view):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = "zh"
    if view:
        at.session_state["view"] = view  # each view rendered fresh, as a student opening it would
    at.switch_page(page).run()
    assert not at.exception
    widgets = [w for kind in WIDGETS for w in [*at.get(kind), *at.sidebar.get(kind)]]
    assert len(widgets) >= (1 if page.endswith("home.py") else 4)  # home: the language menu
    for widget in widgets:
        text = widget.proto.label
        assert CJK.search(text) or text in CODE_NAMES or text.startswith("示例："), (view, text)
        assert CJK.search(widget.proto.help), (view, text, widget.proto.help)


def test_switching_language_keeps_the_values():
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("pages/lstm.py").run()
    at.slider(key="hidden_size").set_value(20).run()
    at.sidebar.selectbox(key="lang").set_value("zh").run()
    assert not at.exception and at.slider(key="hidden_size").value == 20
    assert at.slider(key="seq_len").proto.label == "序列长度 seq_len (L)"
    assert dict(at.query_params)["lang"] == "zh"


@pytest.mark.parametrize(
    "page,view",
    [
        ("pages/lstm.py", "Shapes"),
        ("pages/lstm.py", "Hidden states"),
        ("pages/gru.py", "Gates"),
        ("pages/gradients.py", None),
        ("pages/compare.py", None),
        ("pages/packing.py", None),
    ],
)
def test_charts_speak_chinese(page, view):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = "zh"
    if view:
        at.session_state["view"] = view
    at.switch_page(page).run()
    specs = [json.dumps(json.loads(c.proto.spec), ensure_ascii=False) for c in at.get("plotly_chart")]
    assert specs and all(CJK.search(spec) for spec in specs)  # titles and axes in Chinese
    english = (
        "time step t",
        "Jacobian norm",
        "PC 1",
        "Parameters per gate block",
        "near 1",
        "forward",
        "last layer",
        "row = layer",
    )
    assert not any(word in spec for spec in specs for word in english)


NOTICE_CASES = [
    ("invalid combination", "pages/lstm.py", {"hidden_size": "8", "proj_size": "8"}, None),
    (
        "over budget",
        "pages/lstm.py",
        {
            "seq_len": "1000",
            "hidden_size": "512",
            "num_layers": "4",
            "batch_size": "32",
            "bidirectional": "true",
        },
        None,
    ),
    ("bad lengths", "pages/gru.py", {}, ("lengths", "7,x")),
    ("lengths that do not fit", "pages/gru.py", {"batch_size": "2"}, ("lengths", "7,30")),
    ("empty csv", "pages/rnn.py", {"source": "csv"}, None),
    ("advice", "pages/lstm.py", {"dropout": "0.5"}, None),
    ("text decides input_size", "pages/lstm.py", {"source": "text"}, None),
    (
        "invalid link values",
        "pages/gru.py",
        {"hidden_size": "abc", "num_layers": "9", "bias": "maybe", "device": "cuda:7", "source": "wave"},
        None,
    ),
    ("packing lengths", "pages/packing.py", {}, ("pack_lengths", "0,x")),
]


@pytest.mark.parametrize("name,page,query,typed", NOTICE_CASES, ids=[case[0] for case in NOTICE_CASES])
def test_every_notice_speaks_chinese(name, page, query, typed):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({**query, "lang": "zh"})
    if typed:
        at.session_state[typed[0]] = typed[1]  # as if typed (one run: AppTest can't rerun translated menus)
    at.switch_page(page).run()
    assert not at.exception
    notices = [*at.error, *at.warning, *at.info, *at.sidebar.get("alert")]
    assert notices, name
    for notice in notices:
        assert CJK.search(notice.value), (name, notice.value)


def test_core_messages_exist_in_both_languages_with_the_same_values():
    from rnnviz.messages import TEXTS

    assert set(TEXTS["en"]) == set(TEXTS["zh"])
    for key, text in TEXTS["en"].items():
        assert sorted(re.findall(r"{(\w+)", text)) == sorted(re.findall(r"{(\w+)", TEXTS["zh"][key])), key
        assert CJK.search(TEXTS["zh"][key]), key
