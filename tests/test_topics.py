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
from rnnviz.gradients import gradient_reach
from rnnviz.packing import packing_anatomy

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
