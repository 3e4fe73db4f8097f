"""简体中文 complete: every page and view opened in Chinese shows no English word that is not a
torch name or code. Everything a student reads is collected from the rendered app (labels, help,
options, placeholders, headings, markdown, captions, notices, table headers and cells, and every
plotly figure's titles, axis titles, legend names, annotations and category labels), and the
Latin words outside an allowlist of code names are listed."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pyarrow as pa
import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).parents[1] / "app.py")

# torch's names, its argument and tensor names, and code: these stay as they are in both languages
ALLOWED = {
    "torch", "nn", "RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell", "PackedSequence", "autograd",
    "tanh", "relu", "sigmoid", "cpu", "cuda", "mps", "float32", "float64", "dtype", "device",
    "output", "input", "data", "true", "false", "None", "weights_only", "state_dict", "load_state_dict",
    "oneDNN", "cuDNN", "PCA", "CSV", "JSON", "MSE", "MB", "ms", "Frobenius", "one-hot", "safetensors",
    "pt", "pth", "ckpt", "bin", "csv", "json", "regex", "LSTMVis", "CPU", "GPU", "PyTorch",
    "rnnviz", "bias", "dropout", "bidirectional", "nonlinearity", "True", "False",
    "trace", "LayerSpec", "pre",  # rnnviz's own code names: rnnviz.trace, LayerSpec, the RNN's gate "pre"
    "Adam", "Lightning", "Jozefowicz",  # torch.optim.Adam; proper names
    "English",  # the language menu names each language in its own words
}
# identifiers as code writes them: snake_case names (h_n, input_size, weight_ih_l0), dotted torch
# names (nn.LSTM, torch.load, module.eval, .data), a letter with digits (x0, h0, c_0), single letters
# (t, L, N, D), and k-1
CODE = re.compile(r"^(\w+_\w*|(nn|torch|rnnviz|module)\.[\w.]+|\.\w+|[A-Za-z]\d+|[A-Za-z]|[A-Za-z]-\d)$")
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]*[A-Za-z0-9_]|[A-Za-z]")
SHOWN_FIELDS = {"label", "help", "options", "placeholder", "body", "caption", "title", "message"}


def _strings(node) -> list[str]:
    """Every string a widget or text element shows (its value, as typed, excluded)."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [s for item in node for s in _strings(item)]
    if isinstance(node, dict):
        return [s for key, value in node.items() if key in SHOWN_FIELDS for s in _strings(value)]
    return []


def _figure_strings(spec: str) -> list[str]:
    """Titles, axis titles, legend names, annotations, tick and category labels of a plotly figure."""
    figure = json.loads(spec)
    found = []

    def layout(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "template":
                    continue
                if key in ("text", "ticktext"):
                    found.extend(_strings(value))
                else:
                    layout(value)
        elif isinstance(node, list):
            for item in node:
                layout(item)

    layout(figure.get("layout", {}))
    for trace in figure.get("data", []):
        if isinstance(trace.get("name"), str):
            found.append(trace["name"])
        layout(trace.get("colorbar", {}))
        for axis in ("x", "y", "labels"):
            values = trace.get(axis)
            if isinstance(values, list):
                found.extend(v for v in values if isinstance(v, str))
    return found


def _table_strings(data: bytes) -> list[str]:
    table = pa.ipc.open_stream(io.BytesIO(data)).read_all()
    found = [name for name in table.column_names if not name.startswith("__index_level")]
    for column in table.columns:
        found.extend(v for v in column.to_pylist() if isinstance(v, str))
    return found


def shown_text(at: AppTest) -> list[str]:
    """Everything the rendered page shows a reader, as strings."""
    found = []

    def walk(node):
        children = getattr(node, "children", None)
        if children:
            for child in children.values():
                walk(child)
            return
        proto = getattr(node, "proto", None)
        if proto is None:
            return
        kind = getattr(node, "type", "")
        if kind == "code":
            return  # code is code
        if kind == "plotly_chart":
            found.extend(_figure_strings(proto.spec))
            return
        if kind in ("dataframe", "arrow_data_frame", "table"):
            found.extend(_table_strings(proto.arrow_data.data))
            return
        found.extend(_strings(MessageToDict(proto)))

    walk(at._tree)
    return found


def latin_words(texts: list[str]) -> dict[str, str]:
    """The Latin words of `texts` that are neither code nor torch names, each with a text it is in."""
    words = {}
    for text in texts:
        text = re.sub(r"```.*?```", " ", text, flags=re.S)
        text = re.sub(r"`[^`]*`", " ", text)  # inline code
        text = re.sub(r":material/\w+:", " ", text)
        text = re.sub(r"https?://\S+|\?\w+=\w*", " ", text)  # addresses and link parameters (?lang=zh)
        text = re.sub(r"\b(?=[A-Z]*\d)[A-Z0-9]{4,}\b", " ", text)  # codes such as a class's K7P2QX
        text = re.sub(r"<[^>]+>", " ", text)  # plotly's <b>, <br>, <i>
        text = re.sub(r"\{[^}]*\}", " ", text)  # hover placeholders, format fields
        text = re.sub(r"\d+(\.\d+)?e[-+]?\d+", " ", text)  # 1e-6, 4.4e-06
        for word in WORD.findall(text):
            if word not in ALLOWED and not CODE.match(word):
                words.setdefault(word, text[:120])
    return words


def _open(page: str, state: dict | None = None, query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = "zh"
    for name, value in (query or {}).items():
        at.query_params[name] = value
    for key, value in (state or {}).items():
        at.session_state[key] = value  # each view rendered fresh, as a student opening it would
    return at.switch_page(f"pages/{page}.py").run()


LAYER_VIEWS = [
    {"view": "Shapes"},
    {"view": "Hidden states", "states_chart": "heatmap"},
    {"view": "Hidden states", "states_chart": "lines"},
    {"view": "Hidden states", "states_chart": "trajectory", "pca_dims": 2},
    {"view": "Hidden states", "states_chart": "trajectory", "pca_dims": 3},
    {"view": "Gates", "show_saturation": True},
    {"view": "What if"},
]
CASES = [("home", {}, {})]
CASES += [(kind, state, {}) for kind in ("lstm", "gru", "rnn") for state in LAYER_VIEWS]
CASES += [
    ("lstm", {"view": "Hidden states", "states_chart": "cell"}, {}),
    ("lstm", {"view": "Hidden states", "lengths": "20,12"}, {"source": "step", "bidirectional": "true"}),
    ("gru", {"view": "Shapes", "lengths": ""}, {"source": "impulse", "batch_size": "3"}),
    ("lstm", {"view": "Text"}, {"source": "text"}),
    ("compare", {}, {}),
    ("gradients", {}, {}),
    ("packing", {}, {}),
    ("train", {}, {}),
]


@pytest.mark.parametrize("page,state,query", CASES,
                         ids=[f"{p}-{'-'.join(map(str, s.values())) or 'default'}" for p, s, _ in CASES])
def test_a_chinese_page_has_no_english_word_but_code(page, state, query):
    at = _open(page, state, query)
    assert not at.exception, [e.value for e in at.exception]
    texts = shown_text(at)
    assert len(texts) > 10
    english = latin_words(texts)
    assert not english, "\n".join(f"{word!r} in {text!r}" for word, text in sorted(english.items()))


def test_the_checker_finds_english_words_and_lets_code_pass():
    assert latin_words(["单元 0", "`rnn = nn.LSTM(3, 8)`", "h_n 的形状", "nn.GRU", "x0, x1", "float64"]) == {}
    assert set(latin_words(["unit 0", "seq 1", "例如 e.g. 20,12,7", "CPU (x86_64, 2 cores)"])) == {
        "unit", "seq", "e.g", "cores"}
