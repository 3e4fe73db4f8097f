"""rnnviz: see inside PyTorch's nn.RNN, nn.LSTM and nn.GRU.

The core (this package, without `rnnviz.plots` and `rnnviz.ui`) needs torch alone:

    import torch, rnnviz
    lstm = torch.nn.LSTM(10, 20, 2)
    tr = rnnviz.trace(lstm, torch.randn(5, 3, 10))
    tr.output, tr.h_n, tr.c_n            # what lstm(x) returns
    tr.h(0, 0), tr.c(0, 0), tr.gates(0, 0)["f"]   # (T, N, 20) each
"""

from rnnviz.checks import CallError, check_call, layer_kind
from rnnviz.devices import Device, available_devices, resolve_device
from rnnviz.examples import SEED_EXAMPLES, SeedExample
from rnnviz.inputs import InputError, Inputs, InputSource, input_extent, input_features, make_input
from rnnviz.memory import reuse_freed_memory
from rnnviz.shapes import CallShapes, TensorShape, describe_call
from rnnviz.spec import GATE_NAMES, KINDS, LayerSpec, SpecError
from rnnviz.trace import Trace, trace

__all__ = [
    "GATE_NAMES",
    "KINDS",
    "SEED_EXAMPLES",
    "CallError",
    "CallShapes",
    "Device",
    "InputError",
    "InputSource",
    "Inputs",
    "LayerSpec",
    "SeedExample",
    "SpecError",
    "TensorShape",
    "Trace",
    "available_devices",
    "check_call",
    "describe_call",
    "input_extent",
    "input_features",
    "layer_kind",
    "make_input",
    "resolve_device",
    "reuse_freed_memory",
    "trace",
]
