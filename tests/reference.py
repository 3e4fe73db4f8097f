"""A textbook, one-step-at-a-time RNN/LSTM/GRU written straight from the equations in
torch's documentation of nn.RNN, nn.LSTM and nn.GRU (GRU: r scales W_hn h_{t-1} + b_hn),
one sequence at a time. Slow and obvious on purpose: the tests use it as a second opinion
on rnnviz.trace, next to torch itself."""

from __future__ import annotations

import torch


def _p(module, name, layer, direction):
    return getattr(module, f"{name}_l{layer}{'_reverse' if direction else ''}", None)


def cell_step(module, kind, layer, direction, x_t, h, c):
    """One step of one layer and direction. Returns (h_t, c_t, gates dict)."""
    w_ih, w_hh = _p(module, "weight_ih", layer, direction), _p(module, "weight_hh", layer, direction)
    b_ih, b_hh = _p(module, "bias_ih", layer, direction), _p(module, "bias_hh", layer, direction)
    gi = w_ih @ x_t + (b_ih if b_ih is not None else 0)
    gh = w_hh @ h + (b_hh if b_hh is not None else 0)
    hidden = module.hidden_size
    if kind == "RNN":
        pre = gi + gh
        act = torch.relu if module.nonlinearity == "relu" else torch.tanh
        return act(pre), None, {"pre": pre}
    if kind == "LSTM":
        blocks = [gi[j * hidden:(j + 1) * hidden] + gh[j * hidden:(j + 1) * hidden] for j in range(4)]
        i, f, g, o = (torch.sigmoid(blocks[0]), torch.sigmoid(blocks[1]),
                      torch.tanh(blocks[2]), torch.sigmoid(blocks[3]))
        c_t = f * c + i * g
        h_t = o * torch.tanh(c_t)
        w_hr = _p(module, "weight_hr", layer, direction)
        if w_hr is not None:
            h_t = w_hr @ h_t
        return h_t, c_t, {"i": i, "f": f, "g": g, "o": o}
    r = torch.sigmoid(gi[:hidden] + gh[:hidden])
    z = torch.sigmoid(gi[hidden:2 * hidden] + gh[hidden:2 * hidden])
    n = torch.tanh(gi[2 * hidden:] + r * gh[2 * hidden:])
    return (1 - z) * n + z * h, None, {"r": r, "z": z, "n": n}


def run_sequence(module, kind, x, h0, c0, masks):
    """x: (len, H_in) one sequence; h0/c0: (D·layers, H); masks: per boundary (len, D·H_out).

    Returns {(layer, dir): {"h": (len, H_out), "c": ..., gate: (len, H)}}."""
    d_count = 2 if module.bidirectional else 1
    steps = x.shape[0]
    layer_in = x
    found = {}
    for layer in range(module.num_layers):
        outs = []
        for direction in range(d_count):
            row = layer * d_count + direction
            h, c = h0[row], (c0[row] if c0 is not None else None)
            record = {"h": [None] * steps, "c": [None] * steps}
            order = range(steps - 1, -1, -1) if direction else range(steps)
            for t in order:
                h, c, gates = cell_step(module, kind, layer, direction, layer_in[t], h, c)
                record["h"][t], record["c"][t] = h, c
                for name, value in gates.items():
                    record.setdefault(name, [None] * steps)[t] = value
            found[(layer, direction)] = {
                k: torch.stack(v) for k, v in record.items() if v[0] is not None
            }
            outs.append(found[(layer, direction)]["h"])
        layer_in = torch.cat(outs, -1)
        if layer < len(masks):
            layer_in = layer_in * masks[layer]
    return found
