"""One step of one unit by hand: the cell equations with the layer's own numbers plugged in."""

from __future__ import annotations

import math
from dataclasses import dataclass

from torch import nn

from rnnviz.trace import Trace


@dataclass(frozen=True)
class Line:
    """One equation: its symbol, the formula with numbers, and the value torch's trace holds."""

    symbol: str
    worked: str  # e.g. "σ(W_if x_t + b_if + W_hf h_{t-1} + b_hf) = σ(0.12 + 0.03 + 0.31 - 0.05) = σ(0.41)"
    value: float  # the result of the worked formula
    traced: float  # the same quantity as rnnviz.trace recorded it (torch's numbers)


def _f(v: float) -> str:
    return f"{v:+.4f}".replace("+", "+ ").replace("-", "− ")


def step_equations(module: nn.Module, trace: Trace, layer: int, direction: int, sequence: int,
                   t: int, unit: int) -> list[Line]:
    """The equations of unit `unit` at step `t` for one layer, direction and sequence."""
    suffix = f"_l{layer}" + ("_reverse" if direction else "")

    def param(name):
        return getattr(module, name + suffix, None)

    steps = trace.seq_len
    if not (0 <= t < steps and 0 <= sequence < trace.batch_size and 0 <= unit < module.hidden_size):
        raise IndexError("t, sequence or unit out of range")
    x = trace.layer_input(layer)[t, sequence].double()
    prev_t = t + 1 if direction else t - 1
    h_all = trace.h(layer, direction)[:, sequence].double()
    first = prev_t < 0 or prev_t >= steps or math.isnan(float(h_all[prev_t, 0]))
    h_prev = _initial(trace, layer, direction, sequence, "h") if first else h_all[prev_t]
    hidden = module.hidden_size
    kind = trace.kind
    blocks = {"RNN": ["h"], "LSTM": ["i", "f", "g", "o"], "GRU": ["r", "z", "n"]}[kind]
    prev_name = "h_{t+1}" if direction else "h_{t-1}"
    lines, sums = [], {}
    for index, gate in enumerate(blocks):
        row = index * hidden + unit
        wx = float(param("weight_ih")[row].double() @ x)
        wh = float(param("weight_hh")[row].double() @ h_prev)
        b_i = float(param("bias_ih")[row]) if module.bias else 0.0
        b_h = float(param("bias_hh")[row]) if module.bias else 0.0
        sums[gate] = (wx, b_i, wh, b_h)
    traced = trace.gates(layer, direction)
    if kind == "RNN":
        wx, b_i, wh, b_h = sums["h"]
        pre = wx + b_i + wh + b_h
        act = "relu" if module.nonlinearity == "relu" else "tanh"
        value = max(pre, 0.0) if act == "relu" else math.tanh(pre)
        lines.append(Line("pre", f"W_ih x_t + b_ih + W_hh {prev_name} + b_hh = "
                                 f"{_f(wx)} {_f(b_i)} {_f(wh)} {_f(b_h)}",
                          pre, float(traced["pre"][t, sequence, unit])))
        lines.append(Line("h_t", f"{act}(pre) = {act}({pre:.4f})", value,
                          float(trace.h(layer, direction)[t, sequence, unit])))
        return lines
    sigmoid = lambda v: 1 / (1 + math.exp(-v))  # noqa: E731
    if kind == "LSTM":
        values = {}
        for gate in blocks:
            wx, b_i, wh, b_h = sums[gate]
            pre = wx + b_i + wh + b_h
            act, fn = ("tanh", math.tanh) if gate == "g" else ("σ", sigmoid)
            values[gate] = fn(pre)
            lines.append(Line(gate, f"{act}(W_i{gate} x_t + b_i{gate} + W_h{gate} {prev_name} + b_h{gate}) = "
                                    f"{act}({_f(wx)} {_f(b_i)} {_f(wh)} {_f(b_h)}) = {act}({pre:.4f})",
                              values[gate], float(traced[gate][t, sequence, unit])))
        c_all = trace.c(layer, direction)[:, sequence].double()
        if first:
            c_prev = float(_initial(trace, layer, direction, sequence, "c")[unit])
        else:
            c_prev = float(c_all[prev_t, unit])
        c_t = values["f"] * c_prev + values["i"] * values["g"]
        c_name = "c_{t+1}" if direction else "c_{t-1}"
        lines.append(Line("c_t", f"f ⊙ {c_name} + i ⊙ g = {values['f']:.4f} × {c_prev:.4f} + "
                                 f"{values['i']:.4f} × {values['g']:.4f}", c_t, float(c_all[t, unit])))
        core = values["o"] * math.tanh(c_t)
        if getattr(module, "proj_size", 0):
            lines.append(Line("o ⊙ tanh(c_t)", f"{values['o']:.4f} × tanh({c_t:.4f})", core, float("nan")))
        else:
            lines.append(Line("h_t", f"o ⊙ tanh(c_t) = {values['o']:.4f} × tanh({c_t:.4f})", core,
                              float(trace.h(layer, direction)[t, sequence, unit])))
        return lines
    wx, b_i, wh, b_h = sums["r"]
    r = sigmoid(wx + b_i + wh + b_h)
    lines.append(Line("r", f"σ(W_ir x_t + b_ir + W_hr {prev_name} + b_hr) = "
                           f"σ({_f(wx)} {_f(b_i)} {_f(wh)} {_f(b_h)})",
                      r, float(traced["r"][t, sequence, unit])))
    wx, b_i, wh, b_h = sums["z"]
    z = sigmoid(wx + b_i + wh + b_h)
    lines.append(Line("z", f"σ(W_iz x_t + b_iz + W_hz {prev_name} + b_hz) = "
                           f"σ({_f(wx)} {_f(b_i)} {_f(wh)} {_f(b_h)})",
                      z, float(traced["z"][t, sequence, unit])))
    wx, b_i, wh, b_h = sums["n"]
    n = math.tanh(wx + b_i + r * (wh + b_h))
    lines.append(Line("n", f"tanh(W_in x_t + b_in + r ⊙ (W_hn {prev_name} + b_hn)) = "
                           f"tanh({_f(wx)} {_f(b_i)} + {r:.4f} × ({wh:.4f} {_f(b_h)}))",
                      n, float(traced["n"][t, sequence, unit])))
    h_before = float(h_prev[unit])
    h_t = (1 - z) * n + z * h_before
    lines.append(Line("h_t", f"(1 − z) ⊙ n + z ⊙ {prev_name} = "
                             f"(1 − {z:.4f}) × {n:.4f} + {z:.4f} × {h_before:.4f}",
                      h_t, float(trace.h(layer, direction)[t, sequence, unit])))
    return lines


def _initial(trace: Trace, layer, direction, sequence, which):
    """h_0 / c_0 of one layer and direction: the step before the first (zeros unless given)."""
    states = trace.initial_h if which == "h" else trace.initial_c
    row = layer * trace.num_directions + direction
    return states[row, sequence].double()


def worked_text(lines: list[Line]) -> str:
    """The equations as a narrow block of text, one step of the working per row, so no row is long:

        i = σ(W_ii x_t + b_ii + W_hi h_{t-1} + b_hi)
          = σ(+ 0.1200 − 0.0300 + 0.3100 − 0.0500)
          = σ(0.4100)
          = 0.6011   [0.6011]

    The value ends each equation, with torch's own in brackets (none where torch keeps none)."""
    blocks = []
    for line in lines:
        parts = line.worked.split(" = ")
        torch_value = "" if math.isnan(line.traced) else f"   [{line.traced:.4f}]"
        pad = " " * len(line.symbol)
        rows = [f"{line.symbol} = {parts[0]}"] + [f"{pad} = {part}" for part in parts[1:]]
        rows.append(f"{pad} = {line.value:.4f}{torch_value}")
        blocks.append("\n".join(rows))
    return "\n\n".join(blocks)
