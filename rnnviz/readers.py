"""Reading what a learner types or uploads into sequences: one-hot text and CSV tables.

Both are checked against rnnviz's caps (MAX_* below) before any tensor is built, so that no
text or file can ask the server for more memory than the caps allow; a CSV must be UTF-8 text
whose rows are as long as its header, with finite numbers that fit the layer's dtype. Every
refusal is an InputError whose message says what to change.
"""

from __future__ import annotations

import functools
import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import torch
from torch import Tensor

from rnnviz.messages import say

if TYPE_CHECKING:
    import pandas as pd

    from rnnviz.inputs import InputSource

MAX_STEPS = 10_000  # time steps of any input (seq_len, a text line, a CSV sequence)
MAX_BATCH = 1_024  # sequences of any input (batch_size, text lines, CSV sequence ids)
MAX_FEATURES = 256  # features of data-made input: a text's distinct characters, a CSV's columns
MAX_TEXT_CHARS = 20_000  # characters of typed text
MAX_INPUT_VALUES = 2**24  # numbers in the padded (steps, sequences, features) input: 128 MB as float64
FLOAT32_MAX = float(torch.finfo(torch.float32).max)  # about 3.4e38


class InputError(ValueError):
    """Input data rnnviz cannot turn into a sequence batch; the message says what to fix."""


def check_values(steps: int, sequences: int, features: int) -> None:
    """Refuse an input whose padded (steps, sequences, features) tensor would be too large to build."""
    values = steps * sequences * features
    if values > MAX_INPUT_VALUES:
        raise InputError(say("input_values", values=values, steps=steps, sequences=sequences,
                             features=features, top=MAX_INPUT_VALUES))


def _text_lines(text: str) -> list[str]:
    return [line for line in str(text).splitlines() if line]


def _vocabulary(lines: list[str]) -> list[str]:
    return sorted(set("".join(lines)))


def text_table(text: str) -> tuple[list[str], list[str]]:
    """(lines, vocabulary) of a typed text, within rnnviz's caps: checked before any one-hot is made."""
    text = str(text)
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(say("text_too_long", count=len(text), top=MAX_TEXT_CHARS))
    lines = _text_lines(text)
    if not lines:
        raise InputError(say("text_empty"))
    if len(lines) > MAX_BATCH:
        raise InputError(say("text_lines", count=len(lines), top=MAX_BATCH))
    steps = max(len(line) for line in lines)
    if steps > MAX_STEPS:
        raise InputError(say("text_line_long", count=steps, top=MAX_STEPS))
    vocab = _vocabulary(lines)
    if len(vocab) > MAX_FEATURES:
        raise InputError(say("text_vocabulary", count=len(vocab), top=MAX_FEATURES))
    check_values(steps, len(lines), len(vocab))
    return lines, vocab


def text_sequences(text: str) -> tuple[list[Tensor], list[str], list[str]]:
    lines, vocab = text_table(text)
    index = {ch: j for j, ch in enumerate(vocab)}
    series = [torch.nn.functional.one_hot(torch.tensor([index[ch] for ch in line]), len(vocab))
              .to(torch.float64) for line in lines]
    return series, lines, [repr(ch) for ch in vocab]


@dataclass(frozen=True)
class _Csv:
    """A CSV read and checked: the frame, its feature columns, and the input's extent."""

    frame: pd.DataFrame
    values: pd.DataFrame  # the feature columns (the frame without the sequence column)
    steps: int  # rows of the longest sequence
    sequences: int


def csv_table(source: InputSource) -> _Csv:
    """The CSV of `source` read and checked (cached by content and sequence column). Raises InputError."""
    if source.csv is None:
        raise InputError(say("csv_none"))
    raw = source.csv
    if not isinstance(raw, (str, bytes)):  # a bytearray or memoryview (hashable for the cache), else text
        raw = bytes(raw) if isinstance(raw, (bytearray, memoryview)) else str(raw)
    table = _read_table(raw, source.sequence_column)
    if isinstance(table, str):  # a refusal, cached too: a rerun of a refused file costs nothing
        raise InputError(table)
    return table


@functools.lru_cache(maxsize=8)
def _read_table(raw: str | bytes, column: str | None) -> _Csv | str:
    """The checked CSV, or the Message that refuses it. Cached: a page asks for its size, features and
    values on every rerun. Callers never modify the frame they get."""
    try:
        return _check_table(_parse_csv(_decode(raw)), column)
    except InputError as error:
        return error.args[0]


def _decode(raw: str | bytes) -> str:
    """The CSV as text: UTF-8 only (a UTF-8 byte-order mark is dropped), never decoded with
    replacement characters."""
    if isinstance(raw, str):
        if "\x00" in raw:
            raise InputError(say("csv_binary"))
        return raw.removeprefix("\ufeff")
    for boms, encoding in (((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"), "UTF-32"),
                           ((b"\xff\xfe", b"\xfe\xff"), "UTF-16")):
        if raw.startswith(boms):
            raise InputError(say("csv_encoding", encoding=encoding))
    if b"\x00" in raw:
        raise InputError(say("csv_binary"))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        byte = f"0x{raw[error.start]:02x}"
        raise InputError(say("csv_not_utf8", byte=byte, position=error.start)) from None


def _records(text: str):
    """The CSV's records as the csv module reads them, blank lines skipped (as pandas skips them)."""
    import csv

    return (record for record in csv.reader(io.StringIO(text)) if record)


def _long_row(text: str, width: int, first_only: bool = False) -> tuple[int, int] | None:
    """(row, fields) of the first data row with more fields than the header's `width`, else None."""
    import csv

    try:
        rows = _records(text)
        next(rows, None)  # the header
        for row, record in enumerate(rows, 1):
            if len(record) > width:
                return row, len(record)
            if first_only:
                break
    except csv.Error:  # not the csv module's idea of a CSV either: pandas says what is wrong
        pass
    return None


def _record_line(text: str, record: int) -> int | None:
    """The line (from 1) on which record `record` starts, counting records as pandas does (from 0, the
    header; a blank line is one; a quoted field may span lines), else None."""
    import csv

    reader = csv.reader(io.StringIO(text))  # not strict: reads `"x"y` on, as pandas does
    start = 1
    try:
        for index, _ in enumerate(reader):
            if index == record:
                return start
            start = reader.line_num + 1
    except csv.Error:
        return None
    return None


def _parse_csv(raw: str) -> pd.DataFrame:
    if not raw.strip():
        raise InputError(say("csv_empty"))
    import csv

    import pandas as pd  # here, not at the top: the core needs torch alone until a CSV is read

    try:
        header = next(_records(raw))
    except (csv.Error, StopIteration):
        header = None
    if header is not None:
        if len(header) > MAX_FEATURES + 1:  # refused before pandas reads a very wide file
            raise InputError(say("csv_columns", count=len(header), top=MAX_FEATURES))
        # every row one field longer than the header: pandas would take the first column as the index
        long = _long_row(raw, len(header), first_only=True)
        if long:
            raise InputError(say("csv_extra_fields", row=long[0], fields=long[1], width=len(header)))
    try:
        frame = pd.read_csv(io.StringIO(raw), index_col=False)
    except pd.errors.ParserError as error:
        long = _long_row(raw, len(header)) if header is not None else None
        if long:
            extra = say("csv_extra_fields", row=long[0], fields=long[1], width=len(header))
            raise InputError(extra) from None
        quote = re.search(r"EOF inside string starting at row (\d+)", str(error))
        if quote:  # pandas counts records from 0 (the header), blank lines included
            row = int(quote[1])
            raise InputError(say("csv_open_quote", line=_record_line(raw, row) or row + 1)) from None
        raise InputError(say("csv_ragged", detail=error)) from None
    except pd.errors.EmptyDataError as error:
        raise InputError(say("csv_unreadable", detail=error)) from None
    if frame.empty:
        raise InputError(say("csv_no_rows"))
    return frame


def _check_table(frame: pd.DataFrame, column: str | None) -> _Csv:
    if column is not None and column not in frame.columns:
        raise InputError(say("csv_no_column", column=column, columns=list(frame.columns)))
    values = frame.drop(columns=[column]) if column else frame
    if values.shape[1] == 0:
        raise InputError(say("csv_no_features", column=column))
    if values.shape[1] > MAX_FEATURES:
        raise InputError(say("csv_columns", count=values.shape[1], top=MAX_FEATURES))
    if column is None:
        steps, sequences = len(frame), 1
    else:
        missing = frame[column].isna().to_numpy().nonzero()[0]
        if len(missing):
            raise InputError(say("csv_no_sequence_id", row=int(missing[0]) + 1, column=column))
        sequences = int(frame[column].nunique())
        if sequences > MAX_BATCH:  # refused before grouping: a group per row costs seconds
            raise InputError(say("csv_sequences", count=sequences, column=column, top=MAX_BATCH))
        steps = int(frame.groupby(column, sort=False).size().max())
    if steps > MAX_STEPS:
        raise InputError(say("csv_long", count=steps, top=MAX_STEPS))
    check_values(steps, sequences, values.shape[1])
    return _Csv(frame=frame, values=values, steps=steps, sequences=sequences)


def csv_sequences(source: InputSource, dtype: str = "float64") -> tuple[list[Tensor], list[str], list[str]]:
    import numpy as np
    import pandas as pd  # as in _parse_csv: only once a CSV is read

    table = csv_table(source)
    frame, values, column = table.frame, table.values, source.sequence_column
    numeric = values.apply(pd.to_numeric, errors="coerce")
    text_cells = numeric.isna() & values.notna()
    if text_cells.any().any():
        row, col = next(zip(*text_cells.to_numpy().nonzero()))
        raise InputError(say("csv_text_cell", row=row + 1, column=values.columns[col],
                             value=values.iat[row, col]))
    if numeric.isna().any().any():
        row, col = next(zip(*numeric.isna().to_numpy().nonzero()))
        raise InputError(say("csv_nan", row=row + 1, column=values.columns[col]))
    numbers = numeric.to_numpy(dtype=np.float64)
    infinite = np.isinf(numbers)
    if infinite.any():
        row, col = next(zip(*infinite.nonzero()))
        raise InputError(say("csv_infinite", row=row + 1, column=values.columns[col],
                             value=str(values.iat[row, col])))
    if dtype == "float32":
        huge = np.abs(numbers) > FLOAT32_MAX
        if huge.any():
            row, col = next(zip(*huge.nonzero()))
            raise InputError(say("csv_float32_overflow", row=row + 1, column=values.columns[col],
                                 value=str(values.iat[row, col])))
    features = [str(c) for c in values.columns]
    if column is None:
        return [torch.tensor(numbers)], ["csv"], features
    groups = numeric.groupby(frame[column], sort=False)
    series = [torch.tensor(g.to_numpy(dtype=np.float64)) for _, g in groups]
    return series, [str(k) for k, _ in groups], features
