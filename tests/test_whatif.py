"""What if: one input value moved, a gate bias shifted, a learner's own layer loaded from a file."""

from __future__ import annotations

import io
import json
import os
import pickle
from pathlib import Path

import pytest
import torch
from safetensors.torch import save as save_safetensors
from streamlit.testing.v1 import AppTest
from torch import nn

from rnnviz.layerfile import LayerFileError, infer, prefixes, read_state_dict, rebuild
from rnnviz.spec import LayerSpec
from rnnviz.whatif import impulse_response, kept_steps, perturb, shift_gate_bias

APP = str(Path(__file__).parents[1] / "app.py")
CASES = [(kind, bidirectional) for kind in ("RNN", "LSTM", "GRU") for bidirectional in (False, True)]


def _layer(kind: str, bidirectional: bool, **extra) -> nn.Module:
    torch.manual_seed(0)
    return getattr(nn, kind)(3, 5, 2, bidirectional=bidirectional, **extra).double().eval()


@pytest.mark.parametrize("kind,bidirectional", CASES)
def test_the_change_is_the_difference_of_two_module_calls(kind, bidirectional):
    module = _layer(kind, bidirectional)
    x = torch.randn(9, 2, 3, dtype=torch.float64)
    change = perturb(module, x, None, sequence=1, t=4, feature=2, delta=0.7)
    moved = x.clone()
    moved[4, 1, 2] += 0.7
    difference = (module(moved)[0] - module(x)[0])[:, 1]  # the last layer, both directions
    d = 2 if bidirectional else 1
    last = torch.cat([change.dh[-d + j] for j in range(d)], -1)
    assert torch.allclose(last, difference, atol=1e-12)
    assert torch.allclose(change.change, difference.norm(dim=-1), atol=1e-12)
    assert change.max_abs_error < 1e-12  # both calls' states checked against torch


@pytest.mark.parametrize("kind,bidirectional", CASES)
def test_forward_directions_do_not_change_before_t(kind, bidirectional):
    """Exactly zero before t: every forward direction of a unidirectional stack, and the first
    layer's forward direction of a bidirectional one. Above it, a forward direction reads the
    reverse direction below, which has already seen the change: it moves before t too."""
    module = _layer(kind, bidirectional)
    change = perturb(module, torch.randn(9, 1, 3, dtype=torch.float64), None, 0, 5, 0, 1.5)
    d = 2 if bidirectional else 1
    unmoved = change.dh[0::d, :5] if not bidirectional else change.dh[:1, :5]
    assert torch.equal(unmoved, torch.zeros_like(unmoved))  # exactly, not nearly
    assert change.dh[0::d, 5:].abs().max() > 0
    if kind == "LSTM":
        cells = change.dc[0::d, :5] if not bidirectional else change.dc[:1, :5]
        assert torch.equal(cells, torch.zeros_like(cells))
    if bidirectional:
        assert change.dh[1::d, :5].abs().max() > 1e-6  # the reverse direction reads from the end
        assert change.dh[2, :5].abs().max() > 1e-6  # layer 1's forward direction reads layer 0's reverse


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_a_small_change_follows_the_linear_prediction(kind):
    module = _layer(kind, False)
    x = torch.randn(12, 1, 3, dtype=torch.float64)
    change = perturb(module, x, None, 0, 3, 1, 1e-7)
    after = change.change[3:]
    assert torch.allclose(after, change.linear[3:], rtol=1e-4, atol=1e-16)
    big = perturb(module, x, None, 0, 3, 1, 3.0)  # a large change is not linear any more
    assert not torch.allclose(big.change[3:], big.linear[3:], rtol=1e-3)


def test_batch_first_and_float32_layers_work_too():
    torch.manual_seed(1)
    module = nn.LSTM(2, 4, batch_first=True).eval()
    x = torch.randn(3, 6, 2)  # (N, L, H_in)
    change = perturb(module, x, None, 2, 1, 0, 0.5)
    moved = x.clone()
    moved[2, 1, 0] += 0.5
    assert torch.allclose(change.dh[0], (module(moved)[0] - module(x)[0])[2], atol=1e-6)


def test_a_larger_forget_bias_keeps_an_impulse_longer():
    lstm = LayerSpec(kind="LSTM", input_size=3, hidden_size=8, seed=0).build()
    shifted = shift_gate_bias(lstm, 2.0)
    block = slice(8, 16)  # f in (i, f, g, o)
    assert torch.allclose(shifted.bias_ih_l0[block], lstm.bias_ih_l0[block] + 2.0)
    others = torch.cat([shifted.bias_ih_l0[:8] - lstm.bias_ih_l0[:8], shifted.bias_hh_l0 - lstm.bias_hh_l0])
    assert torch.equal(others, torch.zeros_like(others))
    before, after = impulse_response(lstm, 60, 15), impulse_response(shifted, 60, 15)
    assert torch.equal(before[:15], torch.zeros(15)) and before[15] > 0
    assert kept_steps(after, 15) > kept_steps(before, 15) + 3, (kept_steps(before, 15), kept_steps(after, 15))
    gru = LayerSpec(kind="GRU", input_size=3, hidden_size=8, seed=0).build()
    assert kept_steps(impulse_response(shift_gate_bias(gru, 2.0), 60, 15), 15) > kept_steps(
        impulse_response(gru, 60, 15), 15)


def test_only_lstm_and_gru_with_biases_have_a_gate_bias_to_shift():
    with pytest.raises(ValueError, match="LSTM"):
        shift_gate_bias(nn.RNN(2, 3), 1.0)
    with pytest.raises(ValueError, match="no biases"):
        shift_gate_bias(nn.LSTM(2, 3, bias=False), 1.0)


def test_the_view_renders_and_a_new_delta_reruns_it():
    from rnnviz.ui import run as ui_run

    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"view": "What if", "bidirectional": "true", "seq_len": "15"})
    at.switch_page("pages/lstm.py").run()
    assert not at.exception and not at.error
    charts = {c.proto.id.split("-")[-1]: c.proto.spec for c in at.get("plotly_chart")}
    assert {"chart_whatif_dh", "chart_whatif_dc", "chart_whatif_curve", "chart_whatif_bias"} <= set(charts)
    runs = ui_run.model_runs["count"]
    at.slider(key="whatif_delta").set_value(-2.0).run()
    after = {c.proto.id.split("-")[-1]: c.proto.spec for c in at.get("plotly_chart")}
    assert not at.exception and after["chart_whatif_dh"] != charts["chart_whatif_dh"]
    assert ui_run.model_runs["count"] == runs  # the layer's own run is reused; only the what-if reruns
    assert any("exactly 0" in c.value for c in at.caption)


# ---- bring your own layer -------------------------------------------------------------------------

SWEEP = [("RNN", {}), ("RNN", {"bias": False, "num_layers": 3}), ("LSTM", {"proj_size": 3}),
         ("LSTM", {"bidirectional": True, "num_layers": 3, "proj_size": 2, "bias": False}),
         ("GRU", {"bidirectional": True}), ("GRU", {"num_layers": 3, "bias": False}),
         ("LSTM", {"num_layers": 2})]


def _saved(state: dict) -> bytes:
    buffer = io.BytesIO()
    torch.save(state, buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("kind,extra", SWEEP)
def test_inferred_arguments_rebuild_the_layer_exactly(kind, extra):
    torch.manual_seed(3)
    original = getattr(nn, kind)(4, 6, **extra).eval()
    found = infer(read_state_dict(_saved(original.state_dict()), "layer.pt"))
    spec = found.spec
    assert spec.kind == kind and (spec.input_size, spec.hidden_size) == (4, 6)
    for name in ("num_layers", "bias", "bidirectional", "proj_size"):
        assert getattr(spec, name) == getattr(original, name), name
    rebuilt = rebuild(found, spec)
    rebuilt.load_state_dict(original.state_dict(), strict=True)
    x = torch.randn(5, 2, 4)
    assert torch.equal(rebuilt(x)[0], original(x)[0])


def test_a_checkpoint_with_prefixes_and_safetensors():
    torch.manual_seed(0)
    model = nn.ModuleDict({"encoder": nn.ModuleDict({"rnn": nn.GRU(3, 4), "head": nn.Linear(4, 2)}),
                           "decoder": nn.LSTM(4, 5, 2)})
    state = read_state_dict(_saved({"model": model.state_dict(), "epoch": 7}), "ckpt.pth")
    assert prefixes(state) == ["model.decoder.", "model.encoder.rnn."]
    gru = infer(state, "model.encoder.rnn.")
    assert gru.spec.kind == "GRU"
    assert torch.equal(gru.state["weight_hh_l0"], model["encoder"]["rnn"].weight_hh_l0)
    assert infer(state, "model.decoder.").spec.num_layers == 2
    with pytest.raises(LayerFileError, match="no recurrent layer"):
        infer(state, "model.encoder.head.")
    safe = read_state_dict(save_safetensors(model["decoder"].state_dict()), "decoder.safetensors")
    assert infer(safe).spec.kind == "LSTM"


class _Payload:
    """A pickle that would write a file when loaded."""

    def __init__(self, path: str):
        self.path = path

    def __reduce__(self):
        return (os.system, (f"touch {self.path}",))


def test_a_pickle_that_needs_code_is_refused_and_nothing_runs(tmp_path):
    marker = tmp_path / "written"
    payload = {"weight_ih_l0": _Payload(str(marker))}
    with pytest.raises(LayerFileError, match="needs code"):  # a .pt file as torch.save writes it
        read_state_dict(_saved(payload), "evil.pt")
    with pytest.raises(LayerFileError):  # a bare pickle
        read_state_dict(pickle.dumps(payload), "evil.pth")
    assert not marker.exists()
    pickle.loads(pickle.dumps(payload))  # the payload is real: unpickled without weights_only, it writes
    assert marker.exists()


@pytest.mark.parametrize("data,match", [
    (b"not a torch file", "not a file torch.save or safetensors wrote"),
    (_saved(torch.zeros(3)), "not a state dict"),
    (_saved({"weight_ih_l0": torch.zeros(7, 3), "weight_hh_l0": torch.zeros(7, 2)}), "not 1, 3 or 4 blocks"),
    (_saved({**nn.GRU(2, 3).state_dict(), "weight_ih_l1": torch.zeros(9, 3)}), "do not match"),
    (_saved({**nn.GRU(2, 3).state_dict(), "weight_hh_l0": torch.zeros(9, 4)}), "not 1, 3 or 4 blocks"),
    (_saved({**nn.LSTM(2, 3).state_dict(), "bias_hh_l0": torch.zeros(5)}), "do not fit"),
])
def test_bad_files_say_what_is_wrong(data, match):
    with pytest.raises(LayerFileError, match=match):
        infer(read_state_dict(data, "layer.pt"))


def test_an_uploaded_layer_is_explored_like_any_other():
    torch.manual_seed(5)
    mine = nn.GRU(3, 7, 2, bidirectional=True)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"seq_len": "6", "batch_size": "1", "source": "random"})
    at.switch_page("pages/gru.py").run()
    at.file_uploader(key="own_layer").upload("mine.pt", _saved({"rnn": mine.state_dict()})).run()
    assert not at.exception and not at.error
    assert any("nn.GRU(3, 7, num_layers=2" in s.value for s in at.success)
    assert at.slider(key="hidden_size").value == 7 and at.slider(key="hidden_size").proto.disabled
    diagram = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert "(1, 1, 14)" in json.dumps(diagram) or "(6, 1, 14)" in json.dumps(diagram)  # output D·H_out = 14
    at.radio(key="view").set_value("What if").run()
    assert not at.exception and not at.error
    at.file_uploader(key="own_layer").upload("lstm.pt", _saved(nn.LSTM(3, 4).state_dict())).run()
    assert any("nn.LSTM" in e.value and "nn.GRU" in e.value for e in at.error)  # says which page to open


def _zip_compressed(state: dict) -> bytes:
    import zipfile

    stored = io.BytesIO(_saved(state))
    out = io.BytesIO()
    with zipfile.ZipFile(stored) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(member.filename, source.read(member))
    return out.getvalue()


@pytest.mark.parametrize("data,match", [
    (b"", "not a file torch.save or safetensors wrote"),
    (_saved(nn.GRU(2, 3).state_dict())[:200], "damaged or cut short"),  # truncated
    (b"PK\x03\x04" + b"\x00" * 60, "damaged or cut short"),
    (_zip_compressed({"weight_ih_l0": torch.zeros(4_000_000)}), "compressed"),  # a zip bomb's shape
    (_saved({"weight_ih_l0": torch.zeros(9, 3), "weight_hh_l0": torch.zeros(9)}), "2-D"),
    (_saved({**nn.RNN(2, 3).state_dict(), "weight_ih_l99999": torch.zeros(1)}), "numbered"),
])
def test_damaged_or_hostile_files_get_a_message(data, match):
    with pytest.raises(LayerFileError, match=match):
        infer(read_state_dict(data, "layer.pt"))


def test_a_damaged_safetensors_file_gets_a_message():
    data = save_safetensors(nn.GRU(2, 3).state_dict())
    with pytest.raises(LayerFileError, match="damaged or cut short"):
        read_state_dict(data[:40], "layer.safetensors")


@pytest.mark.parametrize("mine,query,message", [
    (nn.GRU(100, 8), {}, "larger than the page's controls"),
    (nn.GRU(3, 8), {"source": "text"}, "reads input_size = 3"),
])
def test_a_layer_the_page_cannot_run_says_why(mine, query, message):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(query)
    at.switch_page("pages/gru.py").run()
    at.file_uploader(key="own_layer").upload("mine.pt", _saved(mine.state_dict())).run()
    assert not at.exception
    assert any(message in e.value for e in at.error), [e.value for e in at.error]


def test_an_rnn_file_says_its_nonlinearity_must_be_chosen():
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("pages/rnn.py").run()
    relu = nn.RNN(3, 4, nonlinearity="relu")
    at.file_uploader(key="own_layer").upload("rnn.pt", _saved(relu.state_dict())).run()
    assert not at.exception and not at.error
    assert len(at.success) == 1 and "tanh or relu" in at.success[0].value  # one message says it all


def _first_layer_alone(module: nn.Module) -> nn.Module:
    """A one-layer, one-direction, time-major copy of `module`'s layer 0 forward weights."""
    alone = getattr(nn, type(module).__name__)(module.input_size, module.hidden_size, dtype=torch.float64)
    alone.load_state_dict({name: getattr(module, name) for name in
                           ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0")})
    return alone


@pytest.mark.parametrize("kind,options", [
    ("LSTM", {}), ("LSTM", {"batch_first": True, "num_layers": 2}), ("LSTM", {"bidirectional": True}),
    ("GRU", {}), ("GRU", {"batch_first": True, "bidirectional": True, "num_layers": 2}), ("RNN", {}),
])
def test_an_impulse_response_is_the_first_layers_state_moved_by_a_unit_kick(kind, options):
    """‖Δc_t‖ (LSTM) or ‖Δh_t‖: torch run one step at a time, kicked input against a quiet one."""
    torch.manual_seed(5)
    module = getattr(nn, kind)(3, 4, dtype=torch.float64, **options)
    alone = _first_layer_alone(module)
    steps, onset = 9, 3

    def states(x):
        state, kept = None, []
        for t in range(steps):
            _, state = alone(x[t:t + 1, None], state)
            kept.append((state[1] if kind == "LSTM" else state)[0, 0])
        return torch.stack(kept)

    quiet = torch.zeros(steps, 3, dtype=torch.float64)
    kick = quiet.clone()
    kick[onset] = 1.0
    expected = (states(kick) - states(quiet)).norm(dim=-1)
    got = impulse_response(module, steps, onset)
    assert got.shape == (steps,) and (got[:onset] == 0).all() and got[onset] > 0
    assert torch.allclose(got, expected, rtol=1e-10, atol=1e-12)


def test_an_impulse_is_kept_while_at_or_above_a_tenth_of_its_peak():
    response = torch.tensor([0.0, 0.0, 1.0, 0.5, 0.1, 0.05, 0.5], dtype=torch.float64)
    assert kept_steps(response, 2) == 3  # 1.0, 0.5 and exactly a tenth of the peak; not 0.05
    assert kept_steps(response, 7) == 0 and kept_steps(torch.zeros(4), 1) == 0


def test_shifting_a_gate_bias_says_why_it_cannot():
    with pytest.raises(ValueError) as rnn:
        shift_gate_bias(nn.RNN(2, 3), 1.0)
    assert str(rnn.value) == "only LSTM (forget gate) and GRU (update gate) have a gate bias to shift"
    with pytest.raises(ValueError) as no_bias:
        shift_gate_bias(nn.GRU(2, 3, bias=False), 1.0)
    assert str(no_bias.value) == "this layer has no biases (bias=False): there is nothing to shift"


@pytest.mark.parametrize("batched", [True, False])
def test_a_perturbation_from_a_given_state_is_torchs_own(batched):
    torch.manual_seed(1)
    lstm = nn.LSTM(3, 4).double().eval()
    x = torch.randn(6, 2, 3, dtype=torch.float64) if batched else torch.randn(6, 3, dtype=torch.float64)
    state = (torch.randn(1, 2, 4, dtype=torch.float64), torch.randn(1, 2, 4, dtype=torch.float64))
    hx = state if batched else (state[0][:, 0], state[1][:, 0])
    sequence = 1 if batched else 0
    moved = x.clone()
    (moved[2, sequence] if batched else moved[2])[1] += 0.5
    with torch.no_grad():
        before, after = lstm(x, hx)[0], lstm(moved, hx)[0]
    if not batched:
        before, after = before[:, None], after[:, None]
    direction = (moved - x)
    _, tangent = torch.func.jvp(lambda inp: lstm(inp, hx)[0], (x,), (direction,))
    tangent = tangent if batched else tangent[:, None]

    found = perturb(lstm, x, hx, sequence, 2, 1, 0.5)
    assert (found.t, found.feature, found.delta, found.sequence) == (2, 1, 0.5, sequence)
    assert torch.allclose(found.dh[0], (after - before)[:, sequence], atol=1e-12)
    assert torch.allclose(found.change, (after - before)[:, sequence].norm(dim=-1), atol=1e-12)
    assert torch.allclose(found.linear, tangent[:, sequence].norm(dim=-1), atol=1e-12)
    assert found.change[2:].abs().min() > 0  # the given state matters: it is not the zero state's run
    zero = perturb(lstm, x, None, sequence, 2, 1, 0.5)
    assert not torch.allclose(zero.change, found.change)


def test_perturb_says_it_takes_a_padded_tensor():
    lstm = nn.LSTM(3, 4)
    packed = nn.utils.rnn.pack_sequence([torch.zeros(3, 3), torch.zeros(2, 3)])
    with pytest.raises(TypeError, match=r"^perturb takes a padded tensor, not a PackedSequence$"):
        perturb(lstm, packed, None, 0, 0, 0, 1.0)
