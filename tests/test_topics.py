"""Compare, gradients and packing: core numbers against torch, and the pages through AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from streamlit.testing.v1 import AppTest
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

import rnnviz
from rnnviz.compare import ONE_BLOCK, gate_parameter_counts, matched_hidden_size
from rnnviz.gradients import gradient_reach, reach_of
from rnnviz.inputs import InputSource, make_input
from rnnviz.packing import packing_anatomy
from rnnviz.spec import LayerSpec

APP = str(Path(__file__).parents[1] / "app.py")


@pytest.mark.parametrize(
    "kind,extra",
    [("RNN", {}), ("RNN", {"nonlinearity": "relu"}), ("LSTM", {}), ("LSTM", {"proj_size": 2}), ("GRU", {})],
)
def test_gradient_reach_matches_the_full_sequence_jacobian(kind, extra):
    torch.manual_seed(0)
    module = getattr(nn, kind)(3, 4, 2, **extra).double().eval()
    x = torch.randn(9, 2, 3, dtype=torch.float64)
    reach = gradient_reach(module, x)
    # independent: one call on the whole sequence (the fused kernel), full Jacobian of h_T
    jacobian = torch.autograd.functional.jacobian(lambda seq: module(seq)[0][-1, 0], x[:, :1])
    expected = jacobian.pow(2).sum(dim=(0, 2, 3)).sqrt()  # (T,)
    assert torch.allclose(reach.wrt_input, expected, rtol=1e-9, atol=1e-12)
    assert reach.wrt_state.shape == (9,) and (reach.wrt_state[:-1] > 0).all()
    assert reach.wrt_state[-1] == pytest.approx(
        module.proj_size**0.5 if kind == "LSTM" and module.proj_size else 2.0
    )


def test_gradient_reach_state_norm_matches_a_manual_chain():
    """For a one-layer tanh RNN, ∂h_T/∂h_t = Π diag(1 - h_s²) W_hh: build it by hand."""
    torch.manual_seed(1)
    module = nn.RNN(2, 3).double().eval()
    x = torch.randn(6, 1, 2, dtype=torch.float64)
    h = module(x)[0][:, 0].detach()  # (T, H)
    reach = gradient_reach(module, x)
    chain = torch.eye(3, dtype=torch.float64)
    for t in range(4, -1, -1):  # ∂h_T/∂h_t for t = T-2 .. 0
        chain = chain @ torch.diag(1 - h[t + 1] ** 2) @ module.weight_hh_l0
        assert reach.wrt_state[t].item() == pytest.approx(chain.norm().item(), rel=1e-9)


def test_gradient_reach_refuses_bidirectional():
    with pytest.raises(ValueError, match="unidirectional"):
        gradient_reach(nn.GRU(2, 3, bidirectional=True), torch.randn(4, 1, 2))


def test_gradient_reach_says_what_to_change():
    with pytest.raises(ValueError) as bidirectional:
        gradient_reach(nn.GRU(2, 3, bidirectional=True), torch.randn(4, 1, 2))
    assert str(bidirectional.value) == ("gradient reach needs a unidirectional layer: the reverse direction "
                                        "sees every step at once. Turn bidirectional off.")
    with pytest.raises(ValueError) as batch_first:
        gradient_reach(nn.GRU(2, 3, batch_first=True), torch.randn(1, 4, 2))
    assert str(batch_first.value) == "give gradient_reach a time-major module (batch_first=False)."


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_gradient_reach_starts_from_the_given_state_of_the_first_sequence(kind):
    """With h_0 (and c_0) given for a batch of 3, the reach is sequence 0's, from its own state."""
    torch.manual_seed(2)
    module = getattr(nn, kind)(3, 4, 2).double().eval()
    x = torch.randn(7, 3, 3, dtype=torch.float64)
    h0 = torch.randn(2, 3, 4, dtype=torch.float64) * 2
    hx = (h0, torch.randn(2, 3, 4, dtype=torch.float64) * 2) if kind == "LSTM" else h0
    reach = gradient_reach(module, x, hx)
    first = (hx[0][:, :1], hx[1][:, :1]) if kind == "LSTM" else hx[:, :1]
    jacobian = torch.autograd.functional.jacobian(lambda seq: module(seq, first)[0][-1, 0], x[:, :1])
    expected = jacobian.pow(2).sum(dim=(0, 2, 3)).sqrt()
    assert torch.allclose(reach.wrt_input, expected, rtol=1e-9, atol=1e-12)
    without_state = gradient_reach(module, x).wrt_input
    assert not torch.allclose(reach.wrt_input, without_state)  # the state is not ignored


def test_gradient_reach_of_an_unbatched_sequence_equals_its_batch_of_one():
    torch.manual_seed(3)
    module = nn.LSTM(3, 4).double().eval()
    x = torch.randn(6, 3, dtype=torch.float64)
    unbatched, batched = gradient_reach(module, x), gradient_reach(module, x[:, None])
    assert torch.equal(unbatched.wrt_input, batched.wrt_input)
    assert torch.equal(unbatched.wrt_state, batched.wrt_state)


def test_gradient_reach_checks_the_state_before_running():
    with pytest.raises(ValueError, match=r"h_0 has shape \(1, 2, 5\) but this call needs \(1, 2, 4\)"):
        gradient_reach(nn.GRU(3, 4), torch.randn(5, 2, 3), torch.randn(1, 2, 5))


def test_reach_of_measures_the_layer_its_arguments_describe():
    """The gradients page's one call: every argument reaches the layer it measures."""
    got = reach_of("RNN", "relu", 3, 5, 8, seed=4, dtype="float64")
    spec = LayerSpec(kind="RNN", nonlinearity="relu", input_size=3, hidden_size=5, seed=4, dtype="float64")
    x = make_input(spec, InputSource(kind="random", seq_len=8, batch_size=1, seed=4)).x
    expected = gradient_reach(spec.build(), x)
    assert got.wrt_input.dtype == torch.float64 and got.wrt_input.shape == (8,)
    assert torch.equal(got.wrt_input, expected.wrt_input) and torch.equal(got.wrt_state, expected.wrt_state)
    assert got.wrt_state[-1].item() == pytest.approx(5**0.5)  # hidden_size 5
    other_seed = reach_of("RNN", "relu", 3, 5, 8, seed=5, dtype="float64").wrt_input
    tanh = reach_of("RNN", "tanh", 3, 5, 8, seed=4, dtype="float64").wrt_input
    assert not torch.equal(other_seed, got.wrt_input) and not torch.equal(tanh, got.wrt_input)


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_packing_anatomy_is_torchs_own(kind):
    torch.manual_seed(0)
    module = getattr(nn, kind)(2, 3, bidirectional=True).eval()
    lengths = [6, 3, 4]
    spec = rnnviz.LayerSpec(kind=kind, input_size=2, hidden_size=3, bidirectional=True)
    padded = rnnviz.make_input(spec, rnnviz.InputSource(seq_len=6, batch_size=3, lengths=tuple(lengths))).x
    assert padded[3:, 1].abs().sum() == 0 and padded[4:, 2].abs().sum() == 0  # zero padding
    anatomy = packing_anatomy(module, padded, lengths)
    packed = pack_padded_sequence(padded, torch.tensor(lengths), enforce_sorted=False)
    assert torch.equal(anatomy.data, packed.data)
    assert anatomy.batch_sizes == [3, 3, 3, 2, 1, 1] and anatomy.sorted_indices == [0, 2, 1]
    for row, (t, sequence) in enumerate(anatomy.row_source):
        assert torch.equal(anatomy.data[row], padded[t, sequence])
    state = module(packed)[1]
    h_packed = state[0] if kind == "LSTM" else state
    assert torch.equal(anatomy.h_n_packed, h_packed)
    state = module(padded)[1]
    assert torch.equal(anatomy.h_n_naive, state[0] if kind == "LSTM" else state)
    diff = anatomy.h_n_difference
    # the full-length sequence's forward state is the same both ways (float32 LSTM: oneDNN for
    # the padded run, the native kernel for the packed one: they agree to float32 rounding)
    assert diff[0, 0] <= 1e-6
    assert (diff[0, 1:] > 1e-3).all()  # short sequences kept stepping through the padding
    assert (diff[1, 1:] > 1e-3).all()  # and their reverse direction started in the padding
    assert anatomy.reverse_starts == [5, 2, 3]
    assert (anatomy.unpacked[3:, 1] == 0).all()


def test_gate_parameter_counts_show_4_3_1():
    counts = {
        kind: gate_parameter_counts(rnnviz.LayerSpec(kind=kind, input_size=10, hidden_size=20, num_layers=2))
        for kind in ("LSTM", "GRU", "RNN")
    }
    totals = {kind: sum(c.values()) for kind, c in counts.items()}
    assert totals == {"LSTM": 5920, "GRU": 4440, "RNN": 1480}
    for kind, total in totals.items():  # torch's own count of the same layer
        module = getattr(torch.nn, kind)(10, 20, 2)
        assert total == sum(p.numel() for p in module.parameters()), kind
    assert list(counts["LSTM"]) == ["i", "f", "g", "o"] and len(set(counts["LSTM"].values())) == 1
    assert totals["LSTM"] * 3 == totals["GRU"] * 4 and totals["GRU"] == 3 * totals["RNN"]
    spec = rnnviz.LayerSpec(
        kind="LSTM", input_size=10, hidden_size=20, num_layers=2, bidirectional=True, proj_size=5
    )
    assert sum(gate_parameter_counts(spec).values()) == spec.num_parameters() == 5840


def test_gate_parameter_counts_name_each_block_as_torch_stacks_them():
    assert list(gate_parameter_counts(rnnviz.LayerSpec(kind="GRU"))) == ["r", "z", "n"]
    assert list(gate_parameter_counts(rnnviz.LayerSpec(kind="RNN"))) == [ONE_BLOCK]
    # no biases, and a projection: each count is torch's own (weight_hr is the projection)
    spec = rnnviz.LayerSpec(kind="LSTM", input_size=6, hidden_size=8, num_layers=2, bias=False,
                            bidirectional=True, proj_size=3)
    counts = gate_parameter_counts(spec)
    module = torch.nn.LSTM(6, 8, 2, bias=False, bidirectional=True, proj_size=3)
    by_name = dict(module.named_parameters())
    assert counts["projection"] == sum(p.numel() for n, p in by_name.items() if "weight_hr" in n)
    assert counts["f"] * 4 == sum(p.numel() for n, p in by_name.items() if "weight_hr" not in n)


def test_matched_hidden_size_evens_the_counts():
    lstm = rnnviz.LayerSpec(kind="LSTM", input_size=3, hidden_size=32)
    for kind in ("GRU", "RNN"):
        hidden = matched_hidden_size(lstm, kind)
        count = lstm.replace(kind=kind, hidden_size=hidden).num_parameters()
        assert hidden > 32 and abs(count - lstm.num_parameters()) / lstm.num_parameters() < 0.05


def _torch_count(kind: str, hidden: int, **kwargs) -> int:
    return sum(p.numel() for p in getattr(nn, kind)(hidden_size=hidden, **kwargs).parameters())


@pytest.mark.parametrize("kind", ["RNN", "GRU", "LSTM"])
def test_matched_hidden_size_is_torchs_closest_count_without_a_projection(kind):
    """An LSTM with a projection, matched to each kind: the closest count among plain layers
    (the LSTM too, by its width with no projection), counted by torch for every width."""
    lstm = rnnviz.LayerSpec(kind="LSTM", input_size=5, hidden_size=12, proj_size=4, num_layers=2)
    target = _torch_count("LSTM", 12, input_size=5, proj_size=4, num_layers=2)
    assert target == lstm.num_parameters()
    counts = {h: _torch_count(kind, h, input_size=5, num_layers=2) for h in range(1, 41)}
    best = min(counts, key=lambda h: (abs(counts[h] - target), h))
    assert 1 < best < 40 and matched_hidden_size(lstm, kind) == best


def test_matched_hidden_size_is_at_least_one_unit_and_at_most_2048():
    tiny = rnnviz.LayerSpec(kind="RNN", input_size=1, hidden_size=1, bias=False)  # 2 parameters
    assert matched_hidden_size(tiny, "LSTM") == 1  # 8 parameters; no layer has 0 units
    assert matched_hidden_size(tiny, "RNN") == 1
    huge = rnnviz.LayerSpec(kind="LSTM", input_size=1024, hidden_size=1024)  # an RNN needs ~2,450 units
    assert matched_hidden_size(huge, "RNN") == 2048


@pytest.mark.parametrize(
    "page,changes",
    [
        (
            "pages/compare.py",
            [
                ("slider", "cmp_hidden_size", 12),
                ("toggle", "cmp_matched", True),
                ("slider", "cmp_seq_len", 60),
                ("selectbox", "cmp_source", "step"),
                ("slider", "cmp_input_size", 5),
            ],
        ),
        (
            "pages/gradients.py",
            [
                ("slider", "grad_seq_len", 30),
                ("slider", "grad_hidden_size", 8),
                ("slider", "grad_input_size", 2),
            ],
        ),
        (
            "pages/packing.py",
            [
                ("text_input", "pack_lengths", "5,2"),
                ("selectbox", "pack_kind", "LSTM"),
                ("toggle", "pack_bidirectional", False),
            ],
        ),
    ],
)
def test_topic_pages_render_and_rerun(page, changes):
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page(page).run()
    assert not at.exception and not at.error and len(at.get("plotly_chart")) >= 1
    for widget, key, value in changes:
        getattr(at, widget)(key=key).set_value(value).run()
        assert not at.exception, key
        assert not at.error, (key, [e.value for e in at.error])


def test_packing_page_bad_lengths_show_an_error():
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("pages/packing.py").run()
    at.text_input(key="pack_lengths").set_value("3,zero").run()
    assert not at.exception and any("whole numbers from 1 to 50" in e.value for e in at.error)


def test_packing_anatomy_unpacks_to_the_padded_length_and_refuses_batch_first():
    torch.manual_seed(0)
    module = nn.GRU(2, 3).eval()
    padded = torch.randn(6, 2, 2)  # longer than either sequence
    anatomy = packing_anatomy(module, padded, [4, 2])
    assert anatomy.unpacked.shape == (6, 2, 3) and (anatomy.unpacked[4:] == 0).all()
    with pytest.raises(ValueError) as refused:
        packing_anatomy(nn.GRU(2, 3, batch_first=True), padded, [4, 2])
    assert str(refused.value) == "packing_anatomy takes a time-major module (batch_first=False)."


def test_the_packing_example_is_a_seeded_random_batch_through_a_seeded_layer():
    from rnnviz.packing import packing_example

    got = packing_example("LSTM", [3, 5, 1], True, seed=3, dtype="float64")
    spec = LayerSpec(kind="LSTM", input_size=2, hidden_size=3, bidirectional=True, seed=3, dtype="float64")
    x = make_input(spec, InputSource(kind="random", seq_len=5, batch_size=3, lengths=(3, 5, 1), seed=3)).x
    expected = packing_anatomy(spec.build(), x, [3, 5, 1])
    assert torch.equal(got.padded, expected.padded) and torch.equal(got.h_n_packed, expected.h_n_packed)
    assert got.padded.dtype == torch.float64 and got.padded[0, 0].abs().sum() > 0
    other_seed = packing_example("LSTM", [3, 5, 1], True, seed=4, dtype="float64")
    assert not torch.equal(other_seed.padded, got.padded)
