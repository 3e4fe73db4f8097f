"""LayerSpec: one recurrent layer described exactly as torch's constructors take it.

`validate()` catches every argument combination torch would reject (and a few it accepts
but that mislead) before anything is built, with a one-line message that says what to change.
`build()` returns the real, seeded `nn.RNN` / `nn.LSTM` / `nn.GRU`; `code()` the PyTorch
code that builds and calls the same layer.
"""

from __future__ import annotations

import dataclasses
import functools
import warnings
from dataclasses import dataclass

import torch
from torch import nn

from rnnviz.messages import say

KINDS = ("RNN", "LSTM", "GRU")
GATE_BLOCKS = {"RNN": 1, "LSTM": 4, "GRU": 3}  # G: stacked weight blocks per kind
GATE_NAMES = {"RNN": ("pre",), "LSTM": ("i", "f", "g", "o"), "GRU": ("r", "z", "n")}
NONLINEARITIES = ("tanh", "relu")
DTYPES = {"float32": torch.float32, "float64": torch.float64}
MAX_PARAMETERS = 50_000_000  # a teaching layer; above this a build takes seconds and GBs


class SpecError(ValueError):
    """An invalid layer specification; `messages` holds one line per problem."""

    def __init__(self, messages: list[str]):
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


def state_shapes(num_layers: int, num_directions: int, batch: int | None, hidden_size: int,
                 proj_size: int = 0) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The shapes of h_0 / h_n, (D·num_layers, N, H_out), and of an LSTM's c_0 / c_n,
    (D·num_layers, N, hidden_size), where H_out is proj_size if set, else hidden_size.
    `batch` None (unbatched input): no N dimension. Neither depends on batch_first."""
    lead = (num_directions * num_layers,) + (() if batch is None else (batch,))
    return lead + (proj_size or hidden_size,), lead + (hidden_size,)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class LayerSpec:
    """A recurrent layer: torch's constructor arguments plus where and how to build it."""

    kind: str = "LSTM"  # "RNN", "LSTM" or "GRU"
    input_size: int = 4  # H_in: features per time step of the input
    hidden_size: int = 8  # H_cell: features of the hidden (and LSTM cell) state
    num_layers: int = 1  # stacked layers; layer k>0 reads layer k-1's output
    nonlinearity: str = "tanh"  # RNN only: "tanh" or "relu"
    bias: bool = True  # False: no b_ih / b_hh
    batch_first: bool = False  # True: input/output are (N, L, .); h_0/h_n never change
    dropout: float = 0.0  # on every layer's output but the last, in train mode only
    bidirectional: bool = False  # D = 2: a second pass runs from the last step backwards
    proj_size: int = 0  # LSTM only: h_t = W_hr (o * tanh(c_t)) has proj_size features
    device: str = "cpu"  # "cpu", "cuda", "cuda:1", "mps"
    dtype: str = "float32"  # "float32" or "float64"
    seed: int = 0  # same seed -> same weights
    train: bool = False  # module.train() (dropout active) instead of module.eval()

    # ---- derived sizes -------------------------------------------------------------
    @property
    def num_directions(self) -> int:
        """D: 2 if bidirectional else 1."""
        return 2 if self.bidirectional else 1

    @property
    def output_size(self) -> int:
        """H_out: proj_size if it is set, else hidden_size."""
        return self.proj_size if self.proj_size else self.hidden_size

    @property
    def gate_blocks(self) -> int:
        return GATE_BLOCKS[self.kind]

    def num_parameters(self) -> int:
        """Σ_k D·[G·H·(in_k + H_out) + 2·G·H·bias + P·H], equal to torch's own count."""
        g, h, d, out = self.gate_blocks, self.hidden_size, self.num_directions, self.output_size
        total = 0
        for layer in range(self.num_layers):
            layer_in = self.input_size if layer == 0 else d * out
            per_direction = g * h * (layer_in + out) + 2 * g * h * int(self.bias)
            per_direction += self.proj_size * h
            total += d * per_direction
        return total

    def replace(self, **changes) -> LayerSpec:
        return dataclasses.replace(self, **changes)

    # ---- validation -----------------------------------------------------------------
    def errors(self) -> list[str]:
        """Every reason torch (or a sane build) would refuse this spec, one line each
        (`Message`s: English strings that can also be worded in Chinese)."""
        return list(self._problems)

    @functools.cached_property
    def _problems(self) -> tuple[str, ...]:
        """errors(), found once per spec: validate(), advice(), build() and make_input() all ask."""
        problems = []
        if self.kind not in KINDS:
            return (say("kind", value=self.kind),)
        for name in ("input_size", "hidden_size", "num_layers"):
            value = getattr(self, name)
            if not _is_int(value):
                problems.append(say("whole", name=name, value=value))
            elif value < 1:
                problems.append(say("at_least_1", name=name, value=value))
        for name in ("bias", "batch_first", "bidirectional", "train"):
            if not isinstance(getattr(self, name), bool):
                problems.append(say("boolean", name=name, value=getattr(self, name)))
        if self.kind == "RNN" and self.nonlinearity not in NONLINEARITIES:
            problems.append(say("nonlinearity", value=self.nonlinearity))
        if self.kind != "RNN" and self.nonlinearity != "tanh":
            problems.append(say("nonlinearity_rnn_only", kind=self.kind))
        dropout_ok = isinstance(self.dropout, (int, float)) and not isinstance(self.dropout, bool)
        if not dropout_ok or not 0 <= self.dropout <= 1:
            problems.append(say("dropout_range", value=self.dropout))
        if not _is_int(self.proj_size):
            problems.append(say("whole", name="proj_size", value=self.proj_size))
        elif self.proj_size != 0 and self.kind != "LSTM":
            problems.append(say("proj_lstm_only", kind=self.kind))
        elif self.proj_size < 0:
            problems.append(say("proj_negative", value=self.proj_size))
        elif _is_int(self.hidden_size) and self.proj_size >= self.hidden_size > 0:
            problems.append(say("proj_too_big", proj=self.proj_size, hidden=self.hidden_size,
                                top=self.hidden_size - 1))
        if self.dtype not in DTYPES:
            problems.append(say("dtype", value=self.dtype))
        if not _is_int(self.seed) or self.seed < 0:
            problems.append(say("seed", value=self.seed))
        if not problems and self.num_parameters() > MAX_PARAMETERS:
            problems.append(say("too_many_parameters", count=self.num_parameters(), top=MAX_PARAMETERS))
        return tuple(problems)

    def advice(self) -> list[str]:
        """Combinations that run but do not do what they seem to."""
        notes = []
        if self.errors():
            return notes
        if self.dropout > 0 and self.num_layers == 1:
            notes.append(say("dropout_one_layer"))
        elif self.dropout > 0 and not self.train:
            notes.append(say("dropout_eval"))
        if self.dropout == 1 and self.num_layers > 1 and self.train:
            notes.append(say("dropout_one"))
        if self.kind == "RNN" and self.nonlinearity == "relu":
            notes.append(say("relu_unbounded"))
        return notes

    def validate(self) -> LayerSpec:
        """Return self if valid, else raise SpecError with every problem found."""
        problems = self.errors()
        if problems:
            raise SpecError(problems)
        return self

    # ---- building -------------------------------------------------------------------
    def constructor_kwargs(self) -> dict:
        """The keyword arguments torch's constructor receives (defaults included)."""
        kwargs = dict(
            input_size=self.input_size,
            hidden_size=self.hidden_size,
            num_layers=self.num_layers,
            bias=self.bias,
            batch_first=self.batch_first,
            dropout=float(self.dropout),
            bidirectional=self.bidirectional,
        )
        if self.kind == "RNN":
            kwargs["nonlinearity"] = self.nonlinearity
        if self.kind == "LSTM":
            kwargs["proj_size"] = self.proj_size
        return kwargs

    def build(self, device: torch.device | str | None = None) -> nn.Module:
        """The real torch module, seeded, on `device` (default: self.device), in train or
        eval mode as asked. Raises SpecError if the spec is invalid."""
        self.validate()
        cls = getattr(nn, self.kind)
        with torch.random.fork_rng(devices=[]), warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # advice() already says it
            # the CPU generator alone (the module is built on the CPU): torch.manual_seed also seeds
            # CUDA lazily, capturing the caller's stack with a stat() per frame (py-spy, bench/lead_class.py)
            torch.random.default_generator.manual_seed(self.seed)
            module = cls(**self.constructor_kwargs())
        module = module.to(device=device or self.device, dtype=DTYPES[self.dtype])
        return module.train(self.train)

    def code(
        self,
        seq_len: int = 5,
        batch_size: int = 3,
        with_h0: bool = True,
        batched: bool = True,
        source=None,
        layer_file=None,
    ) -> str:
        """Runnable PyTorch code that builds this layer, makes the page's input, calls it and prints
        the sizes (in the style of the seed note's examples) and the last layer's final state.

        `source` (an rnnviz.inputs.InputSource) is the page's input: the code draws the same numbers
        from the same seed (random, sine, step, impulse, packed lengths, random h_0/c_0). Without it,
        a seeded random input of (seq_len, batch_size) with random h_0 (c_0) if `with_h0`.
        `layer_file` (an rnnviz.layerfile.LayerFile): the layer's weights come from the learner's file
        (`load_state_dict(torch.load(path, weights_only=True))`, path a placeholder to replace)."""
        from rnnviz.snippet import layer_code  # snippet builds on this module

        return layer_code(self, seq_len, batch_size, with_h0, batched, source, layer_file)
