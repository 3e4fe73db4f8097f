"""Layer files judged before they cost memory: every kind of file a learner (or an attacker) uploads
gets one message in the learner's words, and what is accepted runs exactly as torch runs it."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import numpy as np
import pytest
import torch
from streamlit.testing.v1 import AppTest
from torch import nn

from rnnviz.layerfile import LayerFileError, infer, layer_nbytes, prefixes, read_state_dict, rebuild
from rnnviz.messages import Message

APP = str(Path(__file__).parents[1] / "app.py")


def _saved(obj, **options) -> bytes:
    out = io.BytesIO()
    torch.save(obj, out, **options)
    return out.getvalue()


def _load(data: bytes, limits: dict | None = None):
    state = read_state_dict(data, "layer.pt")
    places = prefixes(state)
    return infer(state, places[0] if places else "", limits)


def _gru(**changes) -> dict:
    torch.manual_seed(0)
    state = nn.GRU(3, 4).state_dict()
    state.update(changes)
    return state


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.LSTM(2, 3)


def _script_model() -> bytes:
    """torch.save(model) from a script: the class pickles as __main__.Net (markdown would embolden it)."""
    import __main__

    Net.__module__, __main__.Net = "__main__", Net
    try:
        return _saved(Net())
    finally:
        Net.__module__ = __name__
        del __main__.Net


def _torchscript() -> bytes:
    out = io.BytesIO()
    torch.jit.save(torch.jit.script(nn.Linear(2, 3)), out)
    return out.getvalue()


def _quantized() -> torch.Tensor:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return torch.quantize_per_tensor(torch.randn(12, 4), 0.1, 0, torch.qint8)


def test_a_tiny_file_of_expanded_views_is_refused_before_anything_is_copied():
    # 1.9 KB on disk, 144 MB of float32 once copied: the file stores one number per tensor
    hostile = {"weight_ih_l0": torch.zeros(1).expand(9000, 1000),
               "weight_hh_l0": torch.zeros(1).expand(9000, 3000)}
    data = _saved(hostile)
    assert len(data) < 4000
    state = read_state_dict(data, "tiny.pt")
    assert layer_nbytes(state) == 4 * 9000 * 4000  # what copying would cost, told from metadata alone
    with pytest.raises(LayerFileError, match="expanded or overlapping view") as refused:
        infer(state, "", {"hidden_size": 512})
    assert "weight_ih_l0 has 9,000,000 values" in str(refused.value)


def test_a_layer_beyond_the_page_is_refused_before_it_is_built():
    with pytest.raises(LayerFileError, match=r"larger than the page's controls go \(hidden_size = 40 > 16\)"):
        _load(_saved(nn.GRU(3, 40).state_dict()), {"hidden_size": 16})


@pytest.mark.parametrize("changes,match", [
    ({"weight_hh_l0": _gru()["weight_hh_l0"].to_sparse()}, "weight_hh_l0 is a sparse tensor"),
    ({"weight_ih_l0": _quantized()}, "weight_ih_l0 is a quantized tensor"),
    ({"weight_hh_l0": _gru()["weight_hh_l0"].to(torch.complex64)}, "holds complex64 values"),
    ({"bias_ih_l0": torch.arange(12)}, "bias_ih_l0 holds int64 values"),
    ({"weight_hh_l0": _gru()["weight_hh_l0"].clone().fill_(float("nan"))}, "48 NaN or infinite values"),
    ({"bias_hh_l0": torch.tensor([float("inf")] * 12)}, "12 NaN or infinite values"),
])
def test_weights_that_cannot_run_as_they_are_get_a_message(changes, match):
    with pytest.raises(LayerFileError, match=match):
        _load(_saved(_gru(**changes)))


def test_a_state_dict_saved_on_the_meta_device_is_refused():
    with pytest.raises(LayerFileError, match="holds no values: the state dict was saved from a module on"):
        _load(_saved(nn.GRU(3, 4, device="meta").state_dict()))


@pytest.mark.parametrize("data,match,absent", [
    (_script_model(), "whole pickled model (`__main__.Net`, `torch.nn.modules.rnn.LSTM`)",
     "add_safe_globals"),
    (_saved(nn.GRU(2, 3)), "save the weights instead: torch.save(model.state_dict(), path)",
     "WeightsUnpickler"),
    (_torchscript(), "TorchScript file (torch.jit.save)", "compressed"),
    (bytes(np.random.default_rng(0).integers(0, 256, 1000, dtype=np.uint8)), "not a file torch.save",
     "pytorch.org"),
    (_saved(_gru())[:300], "damaged or cut short", "miniz"),
    (_saved(_gru(), _use_new_zipfile_serialization=False)[:200], "damaged or cut short", "needs code"),
])
def test_files_that_are_not_state_dicts_say_what_they_are_in_plain_words(data, match, absent):
    with pytest.raises(LayerFileError) as refused:
        _load(data)
    text = str(refused.value)
    assert match.lower() in text.lower() and absent not in text
    assert isinstance(refused.value.args[0], Message) and refused.value.args[0].text("zh") != text


def test_a_checkpoint_with_numpy_metadata_loads_its_layer():
    checkpoint = {"state_dict": _gru(), "loss": np.float64(0.25), "epoch": np.int64(7),
                  "history": np.array([0.9, 0.5, 0.25]), "best": np.float32(0.2)}
    found = _load(_saved(checkpoint))
    assert found.prefix == "state_dict." and found.spec.kind == "GRU"
    assert torch.equal(found.state["weight_hh_l0"], _gru()["weight_hh_l0"])


@pytest.mark.parametrize("cell,kind", [(nn.LSTMCell, "LSTM"), (nn.GRUCell, "GRU"), (nn.RNNCell, "RNN")])
def test_a_cell_reads_as_a_one_layer_layer_that_runs_like_the_cell(cell, kind):
    torch.manual_seed(1)
    mine = cell(3, 5).double()
    found = _load(_saved({"decoder": {"cell": mine.state_dict()}}))
    assert found.cell and found.prefix == "decoder.cell." and found.spec.kind == kind
    assert (found.spec.hidden_size, found.spec.num_layers, found.file_dtype) == (5, 1, "float64")
    layer = rebuild(found, found.spec)
    x = torch.randn(6, 2, 3, dtype=torch.float64)
    state = None
    for step in x:  # the cell, step by step: torch's own oracle
        state = mine(step, state)
        h = state[0] if kind == "LSTM" else state
    assert torch.allclose(layer(x)[0][-1], h, atol=1e-12)


def test_the_rebuilt_layer_holds_the_files_weights_not_fresh_ones():
    torch.manual_seed(3)
    mine = nn.LSTM(3, 4, 2)
    found = _load(_saved(mine.state_dict()))
    layer = rebuild(found, found.spec)
    fresh = found.spec.build()
    for name, value in mine.state_dict().items():
        assert torch.equal(layer.state_dict()[name], value)
    assert not torch.equal(fresh.weight_hh_l1, mine.weight_hh_l1)  # the spec's seed gives other weights


def _page(kind: str, name: str, data: bytes, dtype: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if dtype:
        at.query_params["dtype"] = dtype
    at.switch_page(f"pages/{kind.lower()}.py").run()
    at.file_uploader(key="own_layer").upload(name, data).run()
    assert not at.exception
    return at


def test_a_file_of_another_kind_gets_one_message_not_a_success_beside_a_refusal():
    at = _page("LSTM", "gru.pt", _saved(_gru()))
    assert not at.success
    assert len(at.error) == 1 and "open nn.GRU" in at.error[0].value


def test_a_refused_file_keeps_nothing_in_the_servers_cache():
    from rnnviz.server.budget import RUNS

    RUNS.clear()
    at = _page("GRU", "big.pt", _saved(nn.GRU(3, 600).state_dict()))
    assert len(at.error) == 1 and "larger than the page's controls" in at.error[0].value
    assert not [key for key in RUNS._entries if key[0] in ("file", "infer")]


def test_a_float64_file_says_what_it_runs_in():
    data = _saved(nn.GRU(3, 4).double().state_dict())
    at = _page("GRU", "model.ckpt", data)
    assert len(at.success) == 1 and "stores float64 weights; they run here in float32" in at.success[0].value
    at = _page("GRU", "model.bin", data, dtype="float64")
    assert len(at.success) == 1 and "float64" not in at.success[0].value.split(")")[-1]


def test_the_uploader_takes_lightning_and_hugging_face_extensions():
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("pages/gru.py").run()
    types = list(at.file_uploader(key="own_layer").proto.type)
    assert {".ckpt", ".bin", ".pt", ".pth", ".safetensors"} <= set(types)


def test_a_file_of_countless_tiny_tensors_is_refused_before_they_are_built():
    many = {f"t{i}": torch.zeros(1) for i in range(12_000)}  # 3 MB on disk, ~25 MB of Python objects
    for data in (_saved(many), _saved(many, _use_new_zipfile_serialization=False)):
        with pytest.raises(LayerFileError, match="more than 20,000 tensors and other objects"):
            read_state_dict(data, "many.pt")
    few = _saved({f"t{i}": torch.zeros(1) for i in range(100)})
    from rnnviz.layerfile import OBJECT_BYTES, read_cost

    assert read_cost(few) >= 3 * len(few) + 100 * OBJECT_BYTES  # a tensor builds at least one object


class _Runs:
    """A pickle that would call `call(*args)` when loaded (it never is)."""

    def __init__(self, call, *args):
        self.call, self.args = call, args

    def __reduce__(self):
        return self.call, self.args


@pytest.mark.parametrize("protocol", [2, 4])  # GLOBAL opcodes, then STACK_GLOBAL with unicode strings
def test_a_bare_pickle_that_needs_code_names_every_function_it_calls(protocol, tmp_path):
    import os
    import pickle
    from collections import OrderedDict

    marker = tmp_path / "never-written-by-a-test"  # a run that executed the payload leaves no trace here
    calls = OrderedDict(a=_Runs(os.system, f"touch {marker}"), b=_Runs(eval, "1"))
    data = pickle.dumps(calls, protocol=protocol)
    with pytest.raises(LayerFileError) as refused:
        read_state_dict(data, "evil.pt")
    text = str(refused.value)
    builtin = "builtins.eval" if protocol >= 3 else "__builtin__.eval"
    assert f"needs code to load (`{builtin}`, `{os.system.__module__}.system`)" in text
    assert "OrderedDict" not in text and not marker.exists()


def test_a_whole_model_in_torchs_legacy_format_is_named_as_one():
    data = _saved(nn.GRU(2, 3), _use_new_zipfile_serialization=False)
    with pytest.raises(LayerFileError, match=r"whole pickled model \(`torch\.nn\.modules\.rnn\.GRU`\)"):
        read_state_dict(data, "legacy.pt")


@pytest.mark.parametrize("count", [3, 5])
def test_a_pickle_naming_many_functions_shows_three_and_the_count(count):
    import pickle

    calls = [_Runs(getattr(__import__(m), f), "x") for m, f in
             [("os", "system"), ("builtins", "eval"), ("builtins", "exec"), ("subprocess", "call"),
              ("os", "popen")][:count]]
    with pytest.raises(LayerFileError) as refused:
        read_state_dict(pickle.dumps(calls, protocol=4), "evil.pt")
    text = str(refused.value)
    assert text.count("`") == 6 and (f"({count} in all)" in text) == (count > 3)


def test_listed_shows_the_first_names_then_how_many_in_all():
    from rnnviz.torchfile import listed

    assert listed([]) == "none"
    assert listed(list("abcdef")) == "a, b, c, d, e, f"
    assert listed(list("abcdefg")) == "a, b, c, d, e, f … (7 in all)"
    assert listed([1, 2, 3], 2) == "1, 2 … (3 in all)" and listed([1, 2], 2) == "1, 2"


def test_prefixes_are_where_a_first_input_weight_sits():
    weight = torch.zeros(1)
    state = {"enc.weight_ih_l0": weight, "enc.weight_hh_l0": weight, "head.weight_hh_l1": weight,
             "dec.cell.weight_ih": weight, "dec.cell.weight_hh": weight, "fc.weight": weight}
    assert prefixes(state) == ["dec.cell.", "enc."]


def test_a_detail_is_its_first_line_cut_at_200_characters():
    from rnnviz.layerfile import _line

    assert _line("\n   Error(s) in loading state_dict for GRU:\n\tsize mismatch") == \
        "Error(s) in loading state_dict for GRU:"
    assert _line(" \n\n") == "no detail" and _line("x" * 300) == "x" * 200


def test_the_cost_of_reading_a_file_is_three_times_its_bytes_and_its_pickles_objects():
    import pickletools
    import zipfile

    from safetensors.torch import save as save_safetensors

    from rnnviz.layerfile import OBJECT_BYTES, read_cost

    data = _saved({f"t{i}": torch.zeros(2) for i in range(30)})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        pickled = archive.read(next(n for n in archive.namelist() if n.endswith("data.pkl")))
    objects = sum(op.name in ("REDUCE", "BUILD", "NEWOBJ") for op, _, _ in pickletools.genops(pickled))
    assert objects >= 30 and read_cost(data) == 3 * len(data) + OBJECT_BYTES * objects
    tensors = save_safetensors({"w": torch.zeros(3)})
    assert read_cost(tensors) == 3 * len(tensors)  # no pickle: nothing is built
    cut = data[: len(data) // 2]  # no longer a whole archive: torch.load refuses it before building
    assert read_cost(cut) == 3 * len(cut)
    legacy = _saved({f"t{i}": torch.zeros(2) for i in range(30)}, _use_new_zipfile_serialization=False)
    assert read_cost(legacy) >= 3 * len(legacy) + 30 * OBJECT_BYTES


def _refused_by_judge(state: dict, prefix: str = "", limits: dict | None = None):
    from rnnviz.layerfile import judge

    with pytest.raises(LayerFileError) as caught:
        judge(state, prefix, limits)
    return caught.value.args[0]


def test_each_layer_a_file_cannot_be_gets_its_own_message_with_its_values():
    w = torch.zeros(2, 2)
    gru = nn.GRU(2, 3).state_dict()
    enc = {f"enc.{k}": v for k, v in gru.items()}
    gapped = {**gru, **{k.replace("l0", "l2"): v for k, v in nn.GRU(3, 3).state_dict().items()}}  # no layer 1
    seventeen = nn.GRU(1, 1, 17).state_dict()
    cases = [
        ({"a": w, "b": w, "c": w, "d": w, "e": w}, "", None, "layer_none_at_all",
         {"names": "`a`, `b`, `c`, `d` … (5 in all)"}),
        (enc, "dec.", None, "layer_none_found", {"prefix": "`'dec.'`", "found": "`'enc.'`"}),
        ({k: v for k, v in gru.items() if k != "weight_hh_l0"}, "", None, "layer_keys",
         {"missing": "weight_hh_l0", "unexpected": "none"}),  # the layer is here: name what it lacks
        ({**gru, "weight_hh_l0": torch.zeros(9, 3, 1)}, "", None, "layer_inconsistent",
         {"detail": "weights must be 2-D and biases 1-D"}),
        ({**nn.LSTM(2, 4, proj_size=2).state_dict(), "weight_hr_l0": torch.zeros(8)}, "", None,
         "layer_inconsistent", {"detail": "weights must be 2-D and biases 1-D"}),
        (gapped, "", None, "layer_layers", {"found": "0, 2", "top": 16}),
        (seventeen, "", None, "layer_layers", {"found": ", ".join(map(str, range(6))) + " … (17 in all)",
                                               "top": 16}),
        (nn.GRU(2, 17).state_dict(), "", {"hidden_size": 16, "input_size": 1}, "layer_over",
         {"detail": "hidden_size = 17 > 16; input_size = 2 > 1"}),
        ({**gru, "weight_ih_l0": torch.zeros(6, 2), "weight_hh_l0": torch.zeros(6, 3)}, "", None,
         "layer_shapes", {"shape": (6, 2), "hidden": 3}),
        ({**gru, "weight_hr_l0": torch.zeros(2, 3)}, "", None, "layer_shapes",  # a projection: LSTM only
         {"shape": (9, 2), "hidden": 3}),
    ]
    for state, prefix, limits, key, values in cases:
        message = _refused_by_judge(state, prefix, limits)
        assert (message.key, message.values) == (key, values), key


def test_judge_takes_exactly_its_limits_and_sixteen_layers():
    from rnnviz.layerfile import judge

    assert judge(nn.GRU(2, 16).state_dict(), "", {"hidden_size": 16}).hidden_size == 16
    assert judge(nn.GRU(1, 1, 16).state_dict()).num_layers == 16


def test_a_projection_as_wide_as_the_cell_is_refused_as_torch_would():
    state = nn.LSTM(2, 4, proj_size=3).state_dict()
    state["weight_hr_l0"] = torch.zeros(4, 4)  # proj_size 4 = hidden_size: torch's constructor refuses it
    state["weight_hh_l0"] = torch.zeros(16, 4)
    with pytest.raises(ValueError, match="proj_size"):
        nn.LSTM(2, 4, proj_size=4)
    from rnnviz.spec import LayerSpec

    message = _refused_by_judge(state)
    expected = LayerSpec(kind="LSTM", input_size=2, hidden_size=4, proj_size=4).errors()[0]
    assert message == expected and message.key == expected.key


def test_a_view_of_a_larger_storage_is_judged_by_what_it_shows():
    """A bias expanded from one number of a 5-number storage overlaps itself: refused, although the
    storage is large enough. A size-1 dimension with stride 0 overlaps nothing: accepted."""
    state = nn.RNN(1, 2).state_dict()
    state["bias_hh_l0"] = torch.zeros(5)[:1].expand(2)
    message = _refused_by_judge(read_state_dict(_saved(state), "view.pt"))
    assert message.key == "layer_expanded"
    assert message.values == {"name": "bias_hh_l0", "count": 2, "stored": 20}
    state = nn.RNN(1, 2).state_dict()
    state["weight_ih_l0"] = torch.tensor([0.5, -0.5]).as_strided((2, 1), (1, 0))
    found = infer(read_state_dict(_saved(state), "strided.pt"))
    assert found.state["weight_ih_l0"].flatten().tolist() == [0.5, -0.5]


def test_a_meta_tensor_is_named():
    state = nn.GRU(2, 3).state_dict()
    state["bias_ih_l0"] = torch.zeros(9, device="meta")
    message = _refused_by_judge(state)
    assert (message.key, message.values) == ("layer_meta", {"name": "bias_ih_l0"})


def test_rebuilding_with_other_arguments_or_extra_weights_says_so():
    found = infer(nn.GRU(2, 3).state_dict())
    with pytest.raises(LayerFileError) as other:
        rebuild(found, found.spec.replace(hidden_size=4))
    assert other.value.args[0].key == "layer_inconsistent"
    assert other.value.args[0].values["detail"] == "Error(s) in loading state_dict for GRU:"
    import dataclasses

    extra = dataclasses.replace(found, state={**found.state, "weight_hr_l0": torch.zeros(1, 3)})
    with pytest.raises(LayerFileError, match="Error"):
        rebuild(extra, found.spec)


def test_tensors_sharing_a_storage_are_counted_once_each_before_they_are_copied():
    """The file stores the forward weights once and the reverse direction reuses them: 38 MB on disk,
    75 MB once each tensor is copied, over the 64 MB a layer may take."""
    from rnnviz.layerfile import MAX_FILE_BYTES

    torch.manual_seed(0)
    forward = nn.GRU(2048, 1024).state_dict()
    state = {**forward, **{f"{k}_reverse": v for k, v in forward.items()}}
    assert layer_nbytes(state) > MAX_FILE_BYTES > layer_nbytes(forward)
    message = _refused_by_judge(read_state_dict(_saved(state), "shared.pt"))
    assert (message.key, message.values) == ("layer_too_big", {"top": MAX_FILE_BYTES // 2**20})
    assert f"more than {MAX_FILE_BYTES // 2**20} MB:" in str(message)  # a whole number of MB, not "64.0"


def test_missing_and_misshapen_parameters_are_listed():
    gru = nn.GRU(2, 3).state_dict()
    message = _refused_by_judge({**gru, "weight_ih_l0_reverse": gru["weight_ih_l0"]})
    assert (message.key, message.values) == (
        "layer_keys", {"missing": "bias_hh_l0_reverse, bias_ih_l0_reverse, weight_hh_l0_reverse",
                       "unexpected": "none"})
    two = nn.GRU(2, 3, 2).state_dict()
    wrong = {**two, **{k: torch.zeros(8) for k in ("bias_ih_l0", "bias_hh_l0", "bias_ih_l1", "bias_hh_l1")}}
    message = _refused_by_judge(wrong)
    assert (message.key, message.values) == ("layer_inconsistent", {"detail": "; ".join(
        f"{k} (8,) ≠ (9,)" for k in ("bias_ih_l0", "bias_hh_l0", "bias_ih_l1"))})  # the first three
    message = _refused_by_judge({**gru, "bias_hh_l0": torch.full((9,), float("nan"))})
    assert (message.key, message.values) == ("layer_not_finite", {"name": "bias_hh_l0", "count": 9})


def _zip(members: dict[str, bytes]) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _refusal(data: bytes) -> Message:
    with pytest.raises(LayerFileError) as refused:
        read_state_dict(data, "layer.pt")
    return refused.value.args[0]


def test_what_a_file_is_comes_from_its_first_bytes():
    import pickle
    import struct

    from rnnviz.torchfile import _what_file

    for protocol in (2, 3, 4, 5):
        assert _what_file(pickle.dumps({"w": 1}, protocol=protocol)) == "pickle"
    assert _what_file(struct.pack("<Q", 2) + b'{"') == "safetensors"  # the shortest header: 10 bytes
    assert _what_file(struct.pack("<Q", 2**27 - 1) + b'{"') == "safetensors"
    assert _what_file(struct.pack("<Q", 2**27) + b'{"') == "other"  # a header of 128 MB: not a layer's
    assert _what_file(b"\xff" * 8 + b'{"') == "other"  # the size is unsigned: 2**64 - 1, not -1
    assert _what_file(b"\x02" + b"\x00" * 7 + b'{') == "other"


@pytest.mark.parametrize("member", ["net/constants.pkl", "net/code/__torch__/net.py"])
def test_either_mark_of_torchscript_names_the_file_as_torchscript(member):
    assert _refusal(_zip({"net/data.pkl": b"\x80\x02}.", member: b""})).key == "layer_torchscript"


def test_an_archive_over_the_limit_says_the_limit_in_megabytes(monkeypatch):
    import rnnviz.torchfile as torchfile

    monkeypatch.setattr(torchfile, "MAX_FILE_BYTES", 2**20)
    over = _zip({"net/data.pkl": b"\x80\x02}.", "net/data/0": b"\x00" * (2**20 - 3)})  # 1 MiB + 1 byte
    refused = _refusal(over)
    assert (refused.key, refused.values) == ("layer_too_big", {"top": 1})
    assert str(refused) == str(torchfile.say("layer_too_big", top=1))  # "1 MB", not "1.0 MB"
    at = _zip({"net/data.pkl": b"\x80\x02}.", "net/data/0": b"\x00" * (2**20 - 4)})  # exactly 1 MiB: passes
    assert _refusal(at).key == "layer_damaged"  # past the size check: torch then finds no archive of its own


class _Point:
    def __init__(self):
        self.x = 1


class _Made:
    def __reduce__(self):
        return (_Made, ())


def test_objects_a_pickle_builds_are_counted_by_reduce_build_and_newobj():
    import pickle
    import pickletools

    from rnnviz.torchfile import OBJECT_BYTES, read_cost

    for objects, count in (([_Point() for _ in range(5)], 10), ([_Made() for _ in range(4)], 4)):
        pickled = pickle.dumps(objects, protocol=2)
        ops = [op.name for op, _, _ in pickletools.genops(pickled)]
        assert ops.count("NEWOBJ") + ops.count("BUILD") + ops.count("REDUCE") == count  # the file, by hand
        data = _zip({"net/data.pkl": pickled})
        assert read_cost(data) == 3 * len(data) + OBJECT_BYTES * count


def test_a_zip_that_torch_did_not_write_is_damaged_and_costs_only_its_bytes():
    from rnnviz.torchfile import read_cost

    data = _zip({"notes.txt": b"hello"})
    assert read_cost(data) == 3 * len(data)
    refused = _refusal(data)
    assert (refused.key, refused.values) == ("layer_damaged", {})


def test_the_object_limit_is_inclusive(monkeypatch):
    import rnnviz.torchfile as torchfile

    data = _saved({f"t{i}": torch.zeros(2) for i in range(3)})
    objects = torchfile._objects(data, "zip")
    monkeypatch.setattr(torchfile, "MAX_OBJECTS", objects)
    assert set(read_state_dict(data)) == {"t0", "t1", "t2"}
    monkeypatch.setattr(torchfile, "MAX_OBJECTS", objects - 1)
    refused = _refusal(data)
    assert (refused.key, refused.values) == ("layer_objects", {"top": objects - 1})


@pytest.mark.parametrize("obj,found", [(torch.zeros(3), "tensor"), ([1, 2], "list"), ({"epoch": 3}, "dict")])
def test_a_file_without_tensors_by_name_says_what_it_holds(obj, found):
    refused = _refusal(_saved(obj))
    assert (refused.key, refused.values) == ("layer_not_state_dict", {"found": found})


def test_code_is_refused_even_where_the_environment_asks_torch_to_run_it(monkeypatch):
    import os

    class Calls:
        def __reduce__(self):
            return (os.getpid, ())

    monkeypatch.setenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "1")  # torch.load's default turns unsafe
    refused = _refusal(_saved({"w": Calls()}))
    assert refused.key == "layer_needs_code" and "getpid" in refused.values["names"]


def test_reading_numpy_metadata_warns_nothing():
    checkpoint = {"state_dict": _gru(), "loss": np.float64(0.25), "history": np.array([0.5, 0.25])}
    data = _saved(checkpoint)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy 2 deprecates np.core: the server log stays clean
        assert set(read_state_dict(data)) >= {"state_dict.weight_hh_l0"}
