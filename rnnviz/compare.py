"""RNN, LSTM and GRU side by side: parameters per gate block, and sizes matched by count."""

from __future__ import annotations

from rnnviz.spec import GATE_NAMES, LayerSpec

ONE_BLOCK = "h (one block)"  # the RNN's single weight block, as the figures name it


def gate_parameter_counts(spec: LayerSpec) -> dict[str, int]:
    """Parameters of each gate block (LSTM i, f, g, o; GRU r, z, n; RNN one block), summed over
    layers and directions, plus 'projection' (LSTM weight_hr) when proj_size is set.
    The values add up to spec.num_parameters()."""
    hidden, d, out = spec.hidden_size, spec.num_directions, spec.output_size
    per_block = 0
    for layer in range(spec.num_layers):
        layer_in = spec.input_size if layer == 0 else d * out
        per_block += d * hidden * (layer_in + out + 2 * int(spec.bias))  # rows of w_ih, w_hh, b_ih, b_hh
    names = (ONE_BLOCK,) if spec.kind == "RNN" else GATE_NAMES[spec.kind]
    counts = {name: per_block for name in names}
    if spec.proj_size:
        counts["projection"] = spec.num_layers * d * spec.proj_size * hidden
    return counts


def matched_hidden_size(spec: LayerSpec, kind: str) -> int:
    """The hidden_size (1 to 2048, the smaller on a tie) at which `kind`, without a projection, has the
    parameter count closest to `spec`'s. The nonlinearity does not change a count, so it is kept."""
    target = spec.num_parameters()
    base = spec.replace(kind=kind, proj_size=0)
    return min(range(1, 2049), key=lambda h: (abs(base.replace(hidden_size=h).num_parameters() - target), h))
