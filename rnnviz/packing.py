"""What packing does to a batch of sequences of different lengths, with torch's own numbers."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor, nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from rnnviz.checks import layer_kind
from rnnviz.inputs import InputSource, make_input
from rnnviz.spec import LayerSpec


@dataclass
class PackingAnatomy:
    """Every piece of pack_padded_sequence and of running a layer on it, next to a naive run."""

    padded: Tensor  # (L, N, H_in) zero-padded input
    lengths: list[int]
    data: Tensor  # packed .data: (sum(lengths), H_in), time-major in length-sorted order
    batch_sizes: list[int]  # sequences alive at each step
    sorted_indices: list[int]  # sorted position -> original sequence
    unsorted_indices: list[int]  # original sequence -> sorted position
    row_source: list[tuple[int, int]]  # for each row of .data: (t, original sequence)
    unpacked: Tensor  # pad_packed_sequence of the packed output: (L, N, D·H_out), zeros past the end
    h_n_packed: Tensor  # h_n of the packed run: each sequence's own last step
    h_n_naive: Tensor  # h_n of running the padded tensor as if it were full length
    h_n_difference: Tensor  # |packed - naive| per (layer·D + direction, sequence): max over units
    reverse_starts: list[int]  # packed: the reverse direction starts at t = length - 1


def packing_anatomy(module: nn.Module, padded: Tensor, lengths: list[int]) -> PackingAnatomy:
    """Pack `padded` (L, N, H_in) with `lengths` (enforce_sorted=False), run `module` both ways."""
    kind = layer_kind(module)
    if module.batch_first:
        raise ValueError("packing_anatomy takes a time-major module (batch_first=False).")
    packed = pack_padded_sequence(padded, torch.tensor(lengths), enforce_sorted=False)
    with torch.no_grad():
        out_packed, state_packed = module(packed)
        _, state_naive = module(padded)
    h_packed = state_packed[0] if kind == "LSTM" else state_packed
    h_naive = state_naive[0] if kind == "LSTM" else state_naive
    unpacked, _ = pad_packed_sequence(out_packed, total_length=padded.shape[0])
    sorted_indices = packed.sorted_indices.tolist()
    alive_per_step = packed.batch_sizes.tolist()
    rows = [(t, sorted_indices[j]) for t, alive in enumerate(alive_per_step) for j in range(alive)]
    return PackingAnatomy(
        padded=padded, lengths=list(lengths), data=packed.data,
        batch_sizes=packed.batch_sizes.tolist(), sorted_indices=sorted_indices,
        unsorted_indices=packed.unsorted_indices.tolist(), row_source=rows, unpacked=unpacked,
        h_n_packed=h_packed, h_n_naive=h_naive,
        h_n_difference=(h_packed - h_naive).abs().amax(-1),
        reverse_starts=[n - 1 for n in lengths],
    )


def packing_example(kind: str, lengths: list[int], bidirectional: bool, seed: int = 0, dtype: str = "float32",
                    device: str = "cpu") -> PackingAnatomy:
    """The packing page's example: a seeded `kind` layer (input_size 2, hidden_size 3) on a random
    batch of sequences of `lengths`, zero-padded to the longest."""
    spec = LayerSpec(kind=kind, input_size=2, hidden_size=3, bidirectional=bidirectional, seed=seed,
                     dtype=dtype, device=device)
    source = InputSource(kind="random", seq_len=max(lengths), batch_size=len(lengths), lengths=tuple(lengths),
                         seed=seed)
    return packing_anatomy(spec.build(), make_input(spec, source).x, list(lengths))  # zeros past each end
