"""Inputs for a layer: seeded signals, one-hot text, CSV sequences, initial states, packing.

`make_input(spec, source)` returns an `Inputs` whose `x` is laid out as the layer expects
(batch_first honoured, 2-D when unbatched) and whose `call_args()` is what to pass to
`module(...)` or `rnnviz.trace(...)`: a PackedSequence when the sequences differ in length.
Text and CSV input is checked against rnnviz's caps (MAX_* below) by `input_features`,
`input_extent` and `make_input` alike, before any tensor is built; a CSV must be UTF-8 text
whose rows are as long as its header, with finite numbers that fit the layer's dtype.
"""

from __future__ import annotations

import functools
import io
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import torch
from torch import Tensor
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence

from rnnviz.messages import say
from rnnviz.spec import DTYPES, LayerSpec, state_shapes

if TYPE_CHECKING:
    import pandas as pd

SOURCES = ("random", "sine", "step", "impulse", "text", "csv")
STATES = ("zeros", "random")
MAX_STEPS = 10_000  # time steps of any input (seq_len, a text line, a CSV sequence)
MAX_BATCH = 1_024  # sequences of any input (batch_size, text lines, CSV sequence ids)
MAX_FEATURES = 256  # features of data-made input: a text's distinct characters, a CSV's columns
MAX_TEXT_CHARS = 20_000  # characters of typed text
MAX_INPUT_VALUES = 2**24  # numbers in the padded (steps, sequences, features) input: 128 MB as float64
FLOAT32_MAX = float(torch.finfo(torch.float32).max)  # about 3.4e38


class InputError(ValueError):
    """Input data rnnviz cannot turn into a sequence batch; the message says what to fix."""


@dataclass(frozen=True)
class InputSource:
    """Where the input comes from and how big it is."""

    kind: str = "random"  # one of SOURCES
    seq_len: int = 10  # L (ignored for text and csv: the data decides)
    batch_size: int = 2  # N (ignored for text and csv)
    batched: bool = True  # False: one unbatched (L, H_in) sequence
    lengths: tuple[int, ...] | None = None  # per-sequence lengths -> PackedSequence
    enforce_sorted: bool = False  # pack_padded_sequence's flag
    initial_state: str = "zeros"  # "zeros" (torch's default) or "random"
    seed: int = 0
    text: str = ""  # kind="text": one sequence per line
    csv: str | bytes | None = None  # kind="csv": rows = time steps, columns = features; None: no file
    sequence_column: str | None = None  # csv column that names each row's sequence


@dataclass
class Inputs:
    """A ready input: x in the layer's layout, optional lengths and initial state."""

    x: Tensor  # (L, N, H_in), (N, L, H_in) if batch_first, or (L, H_in) unbatched
    lengths: list[int] | None = None  # true length of each sequence in x
    hx: Tensor | tuple[Tensor, Tensor] | None = None
    enforce_sorted: bool = False
    feature_names: list[str] = field(default_factory=list)
    sequence_names: list[str] = field(default_factory=list)
    batch_first: bool = False

    def call_args(self) -> tuple:
        """(input, hx) for module(...) / trace(...): packed when lengths differ."""
        if self.lengths is None or self.x.dim() == 2:
            return self.x, self.hx
        lengths = torch.tensor(self.lengths)
        packed: PackedSequence = pack_padded_sequence(
            self.x, lengths, batch_first=self.batch_first, enforce_sorted=self.enforce_sorted
        )
        return packed, self.hx


def input_features(source: InputSource) -> int | None:
    """The input_size the data dictates (text: its vocabulary; csv: its feature columns), else None.
    Raises InputError when the data cannot give one (no text, no CSV, no feature column, over a cap)."""
    if source.kind == "text":
        return len(_text_table(source.text)[1])
    if source.kind == "csv":
        return _csv_table(source).values.shape[1]
    return None


def input_extent(source: InputSource) -> tuple[int, int]:
    """(steps, sequences) the input will have, without building it (for memory estimates)."""
    if source.kind == "text":
        lines = _text_table(source.text)[0]
        return max(len(line) for line in lines), len(lines)
    if source.kind == "csv":
        table = _csv_table(source)
        return table.steps, table.sequences
    return source.seq_len, source.batch_size if source.batched else 1


def make_input(spec: LayerSpec, source: InputSource, device=None) -> Inputs:
    """Build the input (and initial state) for `spec` from `source`. Raises InputError."""
    spec.validate()
    if source.kind not in SOURCES:
        raise InputError(say("source", options=", ".join(SOURCES), value=source.kind))
    dtype = DTYPES[spec.dtype]
    generator = torch.Generator().manual_seed(source.seed)
    names: list[str] = []
    if source.kind == "text":
        series, names, features = _text_sequences(source.text)
    elif source.kind == "csv":
        series, names, features = _csv_sequences(source, spec.dtype)
    else:
        _check_sizes(source)
        _check_values(source.seq_len, source.batch_size if source.batched else 1, spec.input_size)
        series = _signal(source, spec.input_size, generator)
        features = [f"x{j}" for j in range(spec.input_size)]
        names = [f"seq {b}" for b in range(series.shape[1])]
    lengths = list(source.lengths) if source.lengths is not None else None
    if source.kind in ("text", "csv"):
        lengths = [int(t.shape[0]) for t in series]
        series = torch.nn.utils.rnn.pad_sequence(series)  # (L, N, H_in)
        if len(set(lengths)) == 1:
            lengths = None
    if series.shape[-1] != spec.input_size:
        raise InputError(say("features_mismatch", source=source.kind, features=series.shape[-1],
                             input_size=spec.input_size))
    if lengths is not None:
        _check_lengths(lengths, series.shape[0], series.shape[1], source.enforce_sorted)
        alive = torch.arange(series.shape[0])[:, None] < torch.tensor(lengths)[None, :]
        series = series * alive[..., None]  # padding is zeros past each sequence's end
    x = series.to(dtype)
    batch = x.shape[1] if source.batched else None
    if not source.batched:
        if x.shape[1] != 1:
            raise InputError(say("unbatched_many"))
        x, lengths = x[:, 0], None
    elif spec.batch_first:
        x = x.transpose(0, 1).contiguous()
    device = device or spec.device
    inputs = Inputs(
        x=x.to(device), lengths=lengths, enforce_sorted=source.enforce_sorted,
        feature_names=features, sequence_names=names, batch_first=spec.batch_first,
    )
    inputs.hx = initial_state(spec, source, batch, generator, device)
    return inputs


def initial_state(spec: LayerSpec, source: InputSource, batch: int | None, generator, device):
    """None for zeros (torch's default), else seeded random h_0 (and c_0)."""
    if source.initial_state == "zeros":
        return None
    if source.initial_state != "random":
        raise InputError(say("initial_state", value=source.initial_state))
    h_shape, c_shape = state_shapes(spec.num_layers, spec.num_directions, batch, spec.hidden_size,
                                    spec.proj_size)
    dtype = DTYPES[spec.dtype]
    h0 = torch.randn(h_shape, generator=generator, dtype=dtype).to(device)
    if spec.kind != "LSTM":
        return h0
    c0 = torch.randn(c_shape, generator=generator, dtype=dtype).to(device)
    return h0, c0


def _check_sizes(source: InputSource) -> None:
    for name, value, top in (("seq_len", source.seq_len, MAX_STEPS),
                             ("batch_size", source.batch_size, MAX_BATCH)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise InputError(say("size_whole", name=name, value=value))
        if value > top:
            raise InputError(say("size_too_big", name=name, value=value, top=top))


def _check_values(steps: int, sequences: int, features: int) -> None:
    """Refuse an input whose padded (steps, sequences, features) tensor would be too large to build."""
    values = steps * sequences * features
    if values > MAX_INPUT_VALUES:
        raise InputError(say("input_values", values=values, steps=steps, sequences=sequences,
                             features=features, top=MAX_INPUT_VALUES))


def _check_lengths(lengths: list[int], steps: int, batch: int, enforce_sorted: bool) -> None:
    if len(lengths) != batch:
        raise InputError(say("lengths_count", batch=batch, count=len(lengths)))
    bad = [n for n in lengths if not 1 <= n <= steps]
    if bad:
        raise InputError(say("lengths_range", steps=steps, bad=bad))
    if enforce_sorted and list(lengths) != sorted(lengths, reverse=True):
        raise InputError(say("lengths_sorted"))


def _signal(source: InputSource, features: int, generator) -> Tensor:
    """(L, N, H_in) float64 signal of the chosen kind."""
    steps, batch = source.seq_len, source.batch_size if source.batched else 1
    if source.kind == "random":
        return torch.randn(steps, batch, features, generator=generator, dtype=torch.float64)
    t = torch.arange(steps, dtype=torch.float64)[:, None, None]
    if source.kind == "sine":  # each feature a sine/cosine of its own frequency and phase
        freq = 1 + torch.arange(features, dtype=torch.float64)[None, None, :]
        phase = 2 * math.pi * torch.rand(1, batch, features, generator=generator, dtype=torch.float64)
        angle = 2 * math.pi * freq * t / max(steps, 2) + phase
        odd = torch.arange(features)[None, None, :] % 2 == 1
        return torch.where(odd, torch.cos(angle), torch.sin(angle))
    onset = steps // 4  # the step or the impulse happens a quarter of the way in
    if source.kind == "step":
        signal = (t >= onset).to(torch.float64)
    else:
        signal = (t == onset).to(torch.float64)
    return signal.expand(steps, batch, features).clone()


def _text_lines(text: str) -> list[str]:
    return [line for line in str(text).splitlines() if line]


def _vocabulary(lines: list[str]) -> list[str]:
    return sorted(set("".join(lines)))


def _text_table(text: str) -> tuple[list[str], list[str]]:
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
    _check_values(steps, len(lines), len(vocab))
    return lines, vocab


def _text_sequences(text: str) -> tuple[list[Tensor], list[str], list[str]]:
    lines, vocab = _text_table(text)
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


def _csv_table(source: InputSource) -> _Csv:
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
    _check_values(steps, sequences, values.shape[1])
    return _Csv(frame=frame, values=values, steps=steps, sequences=sequences)


def _csv_sequences(source: InputSource, dtype: str = "float64") -> tuple[list[Tensor], list[str], list[str]]:
    import numpy as np
    import pandas as pd  # as in _parse_csv: only once a CSV is read

    table = _csv_table(source)
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
