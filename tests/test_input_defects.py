"""Input data that used to be misread or accepted without a word: each is refused with a message
that says what is wrong and where, before any large tensor is built."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import torch
from streamlit.testing.v1 import AppTest

import rnnviz
from rnnviz import InputError, InputSource, LayerSpec, make_input
from rnnviz import readers as readers_module
from rnnviz.inputs import MAX_BATCH, MAX_FEATURES, MAX_INPUT_VALUES, MAX_STEPS, MAX_TEXT_CHARS

APP = str(Path(__file__).parents[1] / "app.py")
CJK = re.compile(r"[\u4e00-\u9fff]")
SPEC = LayerSpec(kind="GRU", input_size=2, hidden_size=3)


def _refusal(source: InputSource, spec: LayerSpec = SPEC) -> str:
    """The message make_input refuses `source` with (input_features and input_extent first, as the page)."""
    with pytest.raises(InputError) as caught:
        rnnviz.input_features(source)
        rnnviz.input_extent(source)
        make_input(spec, source)
    return str(caught.value)


def _csv(csv, column=None) -> InputSource:
    return InputSource(kind="csv", csv=csv, sequence_column=column)


# --- a row with one field more than the header -------------------------------------------------

@pytest.mark.parametrize("csv,row,fields", [
    ("a,b\n1,2,3\n4,5,6", 1, 3),  # pandas took column a as the index: [[2, 3], [5, 6]]
    ("a,b\n1,2,3\n4,5\n", 1, 3),
    ("a,b\n1,2\n4,5,6\n", 2, 3),
    ("a,b\n1,2\n\n4,5\n7,8,9,10\n", 3, 4),  # blank lines are not rows
])
def test_a_row_longer_than_the_header_is_refused_with_its_number(csv, row, fields):
    message = _refusal(_csv(csv))
    assert f"row {row} has {fields} fields, the header 2" in message


def test_rows_as_long_as_the_header_keep_every_column():
    inputs = make_input(SPEC, _csv("a,b\n1,2\n4,5\n"))
    assert inputs.x[:, 0].tolist() == [[1, 2], [4, 5]] and inputs.feature_names == ["a", "b"]


# --- infinities and float32 overflow ------------------------------------------------------------

@pytest.mark.parametrize("cell,shown", [("inf", "inf"), ("-inf", "-inf"), ("Infinity", "inf"),
                                        ("1e400", "inf")])
def test_infinite_values_are_refused_with_row_and_column(cell, shown):
    message = _refusal(_csv(f"a,b\n1,2\n3,{cell}\n"))
    assert f"holds {shown} at row 2, column 'b'" in message and "finite" in message


def test_values_beyond_float32_are_refused_for_float32_only():
    source = _csv("a,b\n1,2\n1e39,3\n")
    message = _refusal(source)  # SPEC is float32, torch's default
    assert "1e+39 at row 2, column 'a'" in message
    assert "3.4e38" in message and "float64" in message
    x = make_input(SPEC.replace(dtype="float64"), source).x
    assert x[1, 0, 0].item() == 1e39
    # the largest float32 itself still fits
    largest = torch.finfo(torch.float32).max
    assert make_input(SPEC, _csv(f"a,b\n{largest!r},1\n")).x[0, 0, 0].item() == largest


# --- no file, an empty file ---------------------------------------------------------------------

def test_no_file_and_an_empty_file_say_different_things():
    assert InputSource(kind="csv").csv is None  # the default: no file chosen
    none = _refusal(_csv(None))
    assert none.startswith("choose a CSV file") and "5 MB" in none
    for empty in (b"", "", " \n"):
        assert "the CSV is empty" in _refusal(_csv(empty))


def test_the_page_asks_for_a_file_when_none_is_chosen():
    """?source=csv with nothing uploaded (or a file the uploader refused for size): the page passes
    csv=None (rnnviz/ui/controls.py) and shows what to choose, in both languages."""
    for lang in ("en", "zh"):
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params.update({"source": "csv", "lang": lang})
        at.switch_page("pages/lstm.py").run()
        assert not at.exception
        errors = [e.value for e in at.error]
        expected = rnnviz.messages.say("csv_none").text(lang)
        assert errors == [expected], errors
        assert CJK.search(errors[0]) if lang == "zh" else "choose a CSV file" in errors[0]


# --- a CSV with only the sequence column --------------------------------------------------------

def test_only_the_sequence_column_says_so_not_input_size_zero():
    source = _csv("seq\ns1\ns1\ns2\n", column="seq")
    with pytest.raises(InputError, match="no feature columns besides the sequence column 'seq'"):
        rnnviz.input_features(source)  # it returned 0, and the page set input_size to 0
    message = _refusal(source)
    assert "input_size" not in message


def test_a_missing_sequence_column_is_named_before_input_size_is_taken():
    with pytest.raises(InputError, match="no column 'seq'"):
        rnnviz.input_features(_csv("a,b\n1,2\n", column="seq"))


def test_a_row_without_a_sequence_id_is_named():
    assert "row 2 has no value in the sequence column 'seq'" in _refusal(_csv("seq,a\ns1,1\n,2\n", "seq"))


# --- text that is not UTF-8 ---------------------------------------------------------------------

@pytest.mark.parametrize("raw,phrase", [
    ("a,b\n1,2\n".encode("utf-16"), "UTF-16 text, not UTF-8"),
    ("a,b\n1,2\n".encode("utf-16-be"), "NUL bytes"),
    ("a,b\n1,2\n".encode("utf-32"), "UTF-32 text, not UTF-8"),
    ("é,b\n1,2\n".encode("latin-1"), "not UTF-8 text (byte 0xe9 at position 0)"),
    (b"PK\x03\x04\x14\x00\x06\x00", "NUL bytes"),  # an .xlsx is a zip
])
def test_text_that_is_not_utf8_is_named_as_such(raw, phrase):
    message = _refusal(_csv(raw))
    assert phrase in message and "UTF-8" in message
    assert "\ufffd" not in message and "\x00" not in message  # no column named '��a\x00'


def test_utf8_with_a_byte_order_mark_reads_its_first_column():
    inputs = make_input(SPEC, _csv("a,b\n1,2\n".encode("utf-8-sig")))
    assert inputs.feature_names == ["a", "b"]


# --- caps: CSV sequences, steps and columns; typed text -----------------------------------------

def _one_row_sequences(count: int) -> bytes:
    return ("seq,a,b\n" + "".join(f"s{i},{i % 7},{i % 5}\n" for i in range(count))).encode()


def test_a_csv_of_100000_one_row_sequences_is_refused_quickly():
    import pandas  # noqa: F401  (imported before the clock starts)

    raw = _one_row_sequences(100_000)
    start = time.perf_counter()
    message = _refusal(_csv(raw, "seq"))  # make_input took 2.2 s here before the cap
    assert time.perf_counter() - start < 1.0
    assert "100,000 sequences (distinct values of 'seq')" in message and f"({MAX_BATCH:,})" in message


def test_the_sequence_cap_is_inclusive():
    inputs = make_input(SPEC, _csv(_one_row_sequences(MAX_BATCH), "seq"))
    assert inputs.x.shape == (1, MAX_BATCH, 2)
    assert f"{MAX_BATCH + 1:,} sequences" in _refusal(_csv(_one_row_sequences(MAX_BATCH + 1), "seq"))


def test_a_refused_csv_is_not_read_again(monkeypatch):
    raw = _one_row_sequences(MAX_BATCH + 2)
    _refusal(_csv(raw, "seq"))
    monkeypatch.setattr(readers_module, "_parse_csv", lambda raw: pytest.fail("read again"))
    _refusal(_csv(bytes(raw), "seq"))  # a rerun hands over the same content in new bytes


def test_a_csv_longer_than_max_steps_is_refused():
    raw = "a\n" + "1\n" * (MAX_STEPS + 1)
    assert f"{MAX_STEPS + 1:,} rows, more than the {MAX_STEPS:,} time steps" in _refusal(_csv(raw))


def test_a_csv_with_too_many_columns_is_refused():
    def wide(n):
        return ",".join(f"c{i}" for i in range(n)) + "\n" + ",".join(["1"] * n) + "\n"

    assert rnnviz.input_features(_csv(wide(MAX_FEATURES))) == MAX_FEATURES
    too_wide = _refusal(_csv(wide(MAX_FEATURES + 1)))
    assert f"{MAX_FEATURES + 1} columns, more than the {MAX_FEATURES}" in too_wide
    assert "10,000 columns" in _refusal(_csv(wide(10_000)))  # refused from the header alone
    # with a sequence column, MAX_FEATURES feature columns plus the ids are fine
    ids = "seq," + wide(MAX_FEATURES).replace("\n", "\ns1,", 1)
    assert rnnviz.input_features(_csv(ids, "seq")) == MAX_FEATURES


def test_uneven_csv_sequences_are_capped_by_their_padded_size():
    long, short = MAX_STEPS, MAX_BATCH - 1  # one 10,000-row sequence and 1,023 one-row ones
    columns = 4  # 10,000 × 1,024 × 4 > MAX_INPUT_VALUES once padded
    ones = ",".join(["1"] * columns)
    rows = [f"L,{ones}"] * long + [f"s{i},{ones}" for i in range(short)]
    raw = "seq," + ",".join(f"c{j}" for j in range(columns)) + "\n" + "\n".join(rows) + "\n"
    assert MAX_STEPS * MAX_BATCH * columns > MAX_INPUT_VALUES
    assert "numbers (10,000 steps × 1,024 sequences × 4 features, padded)" in _refusal(_csv(raw, "seq"))


def _no_one_hot(monkeypatch):
    monkeypatch.setattr(torch.nn.functional, "one_hot", lambda *a, **k: pytest.fail("one-hot built"))


@pytest.mark.parametrize("text,phrase", [
    ("x" * (MAX_TEXT_CHARS + 1), f"{MAX_TEXT_CHARS + 1:,} characters, more than rnnviz reads"),
    ("".join(chr(0x4E00 + i) for i in range(MAX_FEATURES + 1)), f"{MAX_FEATURES + 1} distinct characters"),
    ("\n".join("ab" for _ in range(MAX_BATCH + 1)), f"{MAX_BATCH + 1:,} lines"),
    ("a" * (MAX_STEPS + 1), f"longest line has {MAX_STEPS + 1:,} characters"),
    # 1,000 lines and one of 9,000 characters from 255 distinct ones: 9,000 × 1,001 × 255 once padded
    ("".join(chr(0x100 + i % 255) for i in range(9_000)) + "\n" + "\n".join("b" * 10 for _ in range(1000)),
     "9,000 steps × 1,001 sequences × 256 features"),
])
def test_typed_text_is_capped_before_any_one_hot_is_built(monkeypatch, text, phrase):
    _no_one_hot(monkeypatch)
    source = InputSource(kind="text", text=text)
    for call in (rnnviz.input_features, rnnviz.input_extent, lambda s: make_input(SPEC, s)):
        with pytest.raises(InputError, match=re.escape(phrase)):
            call(source)


def test_text_within_the_caps_still_works():
    text = "".join(chr(0x4E00 + i) for i in range(MAX_FEATURES))
    assert rnnviz.input_features(InputSource(kind="text", text=text)) == MAX_FEATURES
    inputs = make_input(SPEC.replace(input_size=3), InputSource(kind="text", text="ab\nc"))
    assert inputs.x.shape == (2, 2, 3)
    with pytest.raises(InputError, match="the text is empty"):
        rnnviz.input_features(InputSource(kind="text", text="\n\n"))  # not input_size = 0


def test_signals_are_capped_by_their_size_too():
    with pytest.raises(InputError, match="655,360,000 numbers"):
        make_input(LayerSpec(input_size=64), InputSource(seq_len=MAX_STEPS, batch_size=MAX_BATCH))


def test_the_page_refuses_a_text_over_the_vocabulary_cap():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"source": "text"})
    at.session_state["text"] = "".join(chr(0x4E00 + i) for i in range(MAX_FEATURES + 1))
    at.switch_page("pages/lstm.py").run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any(f"{MAX_FEATURES + 1} distinct characters" in error for error in errors), errors


def _refused_with(source: InputSource):
    """The Message (key and values) the CSV reader refuses `source` with."""
    with pytest.raises(InputError) as caught:
        readers_module.csv_table(source)
    return caught.value.args[0]


@pytest.mark.parametrize("csv,line", [
    ('a,b\n1,2\n3,"4\n5,6\n', 3),  # the rest of the file would be one field
    ('"a,b\n1,2\n', 1),  # in the header
    ('a,b\n\n1,"2\n', 3),  # blank lines counted as the file counts them
    ('a,b\n"x\ny",1\n3,"4\n', 4),  # after a field that spans two lines
    ('a,b\r\n1,2\r\n3,"4', 3),
    ('a,b\n"x\ny",1\n"p"q,2\n3,"4\n', 5),  # `"p"q` stops Python's strict reader, not pandas
    ('"a\nb",c\n"p"q,2\n3,"4\n', 4),
])
def test_a_quote_never_closed_is_named_with_its_line_not_called_ragged(csv, line):
    message = _refused_with(_csv(csv))
    assert (message.key, message.values) == ("csv_open_quote", {"line": line})
    assert f"record that starts on line {line} of the CSV is never closed" in message
    assert "different numbers" not in message


@pytest.mark.parametrize("csv,key,values", [
    ("a,b\n1,2\x00\n", "csv_binary", {}),  # text holding a NUL byte, as bytes are checked
    (b"\x00\x00\xfe\xffa,b", "csv_encoding", {"encoding": "UTF-32"}),  # big-endian byte-order marks
    (b"\xfe\xff\x00a\x00,", "csv_encoding", {"encoding": "UTF-16"}),
    ("\r,", "csv_unreadable", None),  # pandas finds no columns
    ("a,b\n1,2\n", "csv_no_column", {"column": "seq", "columns": ["a", "b"]}),
])
def test_each_unreadable_csv_gets_its_own_message(csv, key, values):
    message = _refused_with(_csv(csv, "seq" if key == "csv_no_column" else None))
    assert message.key == key
    if values is not None:
        assert message.values == values
    else:
        assert "No columns to parse" in str(message.values["detail"])


def test_too_many_columns_and_sequences_say_the_limits():
    wide = _refused_with(_csv(",".join(f"c{i}" for i in range(MAX_FEATURES + 2)) + "\n"))
    assert wide.values == {"count": MAX_FEATURES + 2, "top": MAX_FEATURES}
    many = _refused_with(_csv("seq,a\n" + "".join(f"s{i},1\n" for i in range(MAX_BATCH + 1)), "seq"))
    assert many.values == {"count": MAX_BATCH + 1, "column": "seq", "top": MAX_BATCH}


def test_a_text_csv_may_start_with_a_byte_order_mark_and_bytes_may_come_in_any_buffer():
    expected = readers_module.csv_sequences(_csv("a,b\n1,2\n"))
    for csv in ("\ufeffa,b\n1,2\n", bytearray(b"a,b\n1,2\n"), memoryview(b"\xef\xbb\xbfa,b\n1,2\n")):
        series, names, features = readers_module.csv_sequences(_csv(csv))
        assert features == ["a", "b"] and names == ["csv"] and torch.equal(series[0], expected[0][0])


def test_csv_sequences_are_float64_in_the_order_they_first_appear():
    """Whole numbers too (pandas reads them as int64); sequences are not sorted by name."""
    series, names, features = readers_module.csv_sequences(_csv("seq,a\ns2,1\ns1,2\ns2,3\n", "seq"))
    assert names == ["s2", "s1"] and features == ["a"]
    assert [s.dtype for s in series] == [torch.float64, torch.float64]
    assert series[0].flatten().tolist() == [1.0, 3.0] and series[1].flatten().tolist() == [2.0]
    single, _, _ = readers_module.csv_sequences(_csv("a\n1\n2\n"))
    assert single[0].dtype == torch.float64 and single[0].shape == (2, 1)


def test_wrong_lengths_say_how_many_and_which():
    def refused(**source):
        with pytest.raises(InputError) as caught:
            make_input(SPEC, InputSource(kind="random", seq_len=5, **source))
        return caught.value.args[0]

    count = refused(batch_size=3, lengths=(5, 2))
    assert (count.key, count.values) == ("lengths_count", {"batch": 3, "count": 2})
    out_of_range = refused(batch_size=3, lengths=(6, 2, 0))
    assert (out_of_range.key, out_of_range.values) == ("lengths_range", {"steps": 5, "bad": [6, 0]})


def test_a_quote_the_csv_module_cannot_place_is_placed_by_pandas_row():
    """`"x"y` is a quoted field followed by text: the csv module stops there, pandas reads on to
    the quote that never closes (its row 2, the file's line 3)."""
    message = _refused_with(_csv('a,b\n"x"y,1\n3,"4\n'))
    assert (message.key, message.values) == ("csv_open_quote", {"line": 3})


def test_a_ragged_row_behind_a_field_too_long_for_the_csv_module_is_still_named():
    message = _refused_with(_csv("a,b\n1," + "2" * 140_000 + "\n3,4,5\n"))
    assert message.key == "csv_ragged" and "Expected 2 fields in line 3, saw 3" in message


def test_text_limits_are_inclusive_and_say_their_top():
    from rnnviz.readers import MAX_FEATURES, text_sequences, text_table

    lines, vocab = text_table("\n".join(["ab"] * MAX_BATCH))
    assert len(lines) == MAX_BATCH and vocab == ["a", "b"]
    lines, _ = text_table("a" * MAX_STEPS)
    assert len(lines[0]) == MAX_STEPS
    with pytest.raises(InputError) as wide:
        text_table("".join(chr(0x4E00 + i) for i in range(MAX_FEATURES + 1)))
    assert wide.value.args[0].values == {"count": MAX_FEATURES + 1, "top": MAX_FEATURES}
    series, _, _ = text_sequences("ab\nba")
    assert [s.dtype for s in series] == [torch.float64, torch.float64]


@pytest.mark.parametrize("name,value,key,values", [
    ("seq_len", True, "size_whole", {"name": "seq_len", "value": True}),
    ("batch_size", 2.5, "size_whole", {"name": "batch_size", "value": 2.5}),
    ("batch_size", 0, "size_whole", {"name": "batch_size", "value": 0}),
    ("batch_size", MAX_BATCH + 1, "size_too_big",
     {"name": "batch_size", "value": MAX_BATCH + 1, "top": MAX_BATCH}),
    ("seq_len", MAX_STEPS + 1, "size_too_big", {"name": "seq_len", "value": MAX_STEPS + 1, "top": MAX_STEPS}),
])
def test_sizes_that_are_not_whole_or_too_big_name_the_size(name, value, key, values):
    with pytest.raises(InputError) as caught:
        make_input(SPEC, InputSource(kind="random", **{name: value}))
    assert (caught.value.args[0].key, caught.value.args[0].values) == (key, values)


def test_a_sine_input_is_each_features_own_sinusoid_over_the_window():
    """Feature f of sequence n is sin (even f) or cos (odd f) of 2π(f + 1)t/T + its own phase."""
    import math

    spec = LayerSpec(kind="GRU", input_size=4, hidden_size=3, dtype="float64")
    x = make_input(spec, InputSource(kind="sine", seq_len=13, batch_size=3, seed=1)).x
    t = torch.arange(13, dtype=torch.float64)
    phases = set()
    for n in range(3):
        for f in range(4):
            w = 2 * math.pi * (f + 1) / 13
            x0, x1 = x[0, n, f].item(), x[1, n, f].item()
            if f % 2 == 0:  # x = sin(wt + φ)
                phase = math.atan2(x0, (x1 - math.cos(w) * x0) / math.sin(w))
                expected = torch.sin(w * t + phase)
            else:  # x = cos(wt + φ)
                phase = math.atan2((math.cos(w) * x0 - x1) / math.sin(w), x0)
                expected = torch.cos(w * t + phase)
            assert torch.allclose(x[:, n, f], expected, atol=1e-9), (n, f)
            phases.add(round(phase, 6))
    assert len(phases) == 12  # every sequence and feature its own phase
    two = make_input(spec, InputSource(kind="sine", seq_len=2, batch_size=1, seed=1)).x
    assert two[1, 0, 0].item() == pytest.approx(-two[0, 0, 0].item())  # half a turn a step: T counts as 2
