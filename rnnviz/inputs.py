"""Inputs for a layer: seeded signals, one-hot text, CSV sequences, initial states, packing.

`make_input(spec, source)` returns an `Inputs` whose `x` is laid out as the layer expects
(batch_first honoured, 2-D when unbatched) and whose `call_args()` is what to pass to
`module(...)` or `rnnviz.trace(...)`: a PackedSequence when the sequences differ in length.
Text and CSV input is checked against rnnviz's caps (MAX_* below) by `input_features`,
`input_extent` and `make_input` alike, before any tensor is built; a CSV must be UTF-8 text
whose rows are as long as its header, with finite numbers that fit the layer's dtype.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch
from torch import Tensor
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence

from rnnviz.messages import say
from rnnviz.readers import (  # noqa: F401 (the caps and InputError are this module's API too)
    MAX_BATCH,
    MAX_FEATURES,
    MAX_INPUT_VALUES,
    MAX_STEPS,
    MAX_TEXT_CHARS,
    InputError,
    check_values,
    csv_sequences,
    csv_table,
    text_sequences,
    text_table,
)
from rnnviz.spec import DTYPES, LayerSpec, state_shapes

SOURCES = ("random", "sine", "step", "impulse", "text", "csv")
STATES = ("zeros", "random")


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
        return len(text_table(source.text)[1])
    if source.kind == "csv":
        return csv_table(source).values.shape[1]
    return None


def input_extent(source: InputSource) -> tuple[int, int]:
    """(steps, sequences) the input will have, without building it (for memory estimates)."""
    if source.kind == "text":
        lines = text_table(source.text)[0]
        return max(len(line) for line in lines), len(lines)
    if source.kind == "csv":
        table = csv_table(source)
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
        series, names, features = text_sequences(source.text)
    elif source.kind == "csv":
        series, names, features = csv_sequences(source, spec.dtype)
    else:
        _check_sizes(source)
        check_values(source.seq_len, source.batch_size if source.batched else 1, spec.input_size)
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
