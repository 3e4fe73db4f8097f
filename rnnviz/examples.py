"""Three worked examples (from the note this project grew from), with the sizes they print. Each is
named on screen for what it shows (words `example_<key>`); `title` is the call itself, as code."""

from __future__ import annotations

from dataclasses import dataclass

from rnnviz.spec import LayerSpec


@dataclass(frozen=True)
class SeedExample:
    """One example call: what it shows (`key` of its words), the layer, the input shape, and the sizes
    the note prints."""

    key: str
    title: str
    spec: LayerSpec
    seq_len: int
    batch_size: int
    printed: str  # what `print(output.size(), hn.size()[, cn.size()])` shows

    @property
    def call(self) -> str:
        """The constructor call, as code: `nn.RNN(10, 20, 2)`."""
        return self.title.split(" on ")[0]

    @property
    def input_shape(self) -> tuple[int, int, int]:
        """(seq_len, batch, input_size) of the example's input."""
        return (self.seq_len, self.batch_size, self.spec.input_size)


SEED_EXAMPLES = (
    SeedExample(
        "layers", "nn.RNN(10, 20, 2) on (5, 3, 10) with h0 (2, 3, 20)",
        LayerSpec(kind="RNN", input_size=10, hidden_size=20, num_layers=2),
        5, 3, "torch.Size([5, 3, 20]) torch.Size([2, 3, 20])",
    ),
    SeedExample(
        "cell", "nn.LSTM(10, 20, 2) on (5, 3, 10) with h0, c0 (2, 3, 20)",
        LayerSpec(kind="LSTM", input_size=10, hidden_size=20, num_layers=2),
        5, 3, "torch.Size([5, 3, 20]) torch.Size([2, 3, 20]) torch.Size([2, 3, 20])",
    ),
    SeedExample(
        "bidirectional", "nn.GRU(2, 4, 2, bidirectional=True) on (2, 2, 2) with h0 (4, 2, 4)",
        LayerSpec(kind="GRU", input_size=2, hidden_size=4, num_layers=2, bidirectional=True),
        2, 2, "torch.Size([2, 2, 8]) torch.Size([4, 2, 4])",
    ),
)


def example_query(example: SeedExample) -> dict:
    """The URL parameters of the layer page that shows `example` (torch's argument names)."""
    spec = example.spec
    return {"input_size": spec.input_size, "hidden_size": spec.hidden_size, "num_layers": spec.num_layers,
            "bidirectional": spec.bidirectional, "seq_len": example.seq_len, "batch_size": example.batch_size}
