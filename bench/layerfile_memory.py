"""Peak memory of reading a layer file, against what the server's budget counts for it.

Each file is read in a fresh process (read_state_dict, then infer with the LSTM page's limits),
and the growth of the process's peak resident size (VmHWM, reset through /proc/self/clear_refs)
is compared with what rnnviz.ui.whatif_view reserves: read_cost (3 × the upload and 1.2 KB an
object its pickle builds) while it is read, plus
layer_nbytes for the layer's copy. The files are the worst this project could construct within
the upload limit (5 MB): the largest layer in float16 (copied as it is, run in float32 later, which
the run's own estimate counts), in float32, a legacy (non-zip) pickle, a checkpoint with the layer
next to 4 MB of other tensors, and hostile ones (expanded views, 15,000 tiny tensors).

    .venv/bin/python bench/layerfile_memory.py
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
from pathlib import Path

import torch
from torch import nn

ROOT = Path(__file__).resolve().parents[1]
LIMITS = {"input_size": 64, "hidden_size": 512, "num_layers": 4, "proj_size": 511}
CHILD = """
import sys, re
sys.path.insert(0, {root!r})
from rnnviz.layerfile import LayerFileError, infer, judge, layer_nbytes, prefixes, read_cost, read_state_dict
import torch
def hwm():
    return int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1)) * 1024
def rss():
    return int(re.search(r"VmRSS:\\s+(\\d+)", open("/proc/self/status").read()).group(1)) * 1024
data = open({path!r}, "rb").read()
import io, torch.nn as nn
warm = io.BytesIO(); torch.save(nn.GRU(2, 3).state_dict(), warm)  # torch.load's own imports, once
infer(read_state_dict(warm.getvalue()))
open("/proc/self/clear_refs", "w").write("5")
base = rss()
counted = read_cost(data)
try:
    state = read_state_dict(data, "file.pt")
    places = prefixes(state)
    judge(state, places[0] if places else "", {limits!r})
    counted += layer_nbytes(state, places[0] if places else "")
    found = infer(state, places[0] if places else "", {limits!r})
    outcome = "accepted"
except LayerFileError as error:
    outcome = "refused: " + str(error)[:60]
print(len(data), hwm() - base, counted, outcome)
"""


def _saved(obj, **options) -> bytes:
    out = io.BytesIO()
    torch.save(obj, out, **options)
    return out.getvalue()


def files() -> dict[str, bytes]:
    lstm = nn.LSTM(64, 450, 2)  # about 5 MB in float16: as large as an upload gets
    return {
        "LSTM(64, 450, 2) float16": _saved(lstm.half().state_dict()),
        "LSTM(64, 200, 2) float32": _saved(nn.LSTM(64, 200, 2).state_dict()),
        "LSTM(64, 200, 2) legacy pickle": _saved(nn.LSTM(64, 200, 2).state_dict(),
                                                  _use_new_zipfile_serialization=False),
        "GRU(8, 64) + 4 MB of other tensors": _saved({"rnn": nn.GRU(8, 64).state_dict(),
                                                      "embedding": torch.zeros(1_000_000)}),
        "expanded views (144 MB once copied)": _saved({"weight_ih_l0": torch.zeros(1).expand(9000, 1000),
                                                       "weight_hh_l0": torch.zeros(1).expand(9000, 3000)}),
        "15,000 tiny tensors": _saved({f"t{i}": torch.zeros(1) for i in range(15_000)}),
        "9,000 tiny tensors": _saved({f"t{i}": torch.zeros(1) for i in range(9_000)}),
        "9,000 tiny tensors, legacy pickle": _saved({f"t{i}": torch.zeros(1) for i in range(9_000)},
                                                    _use_new_zipfile_serialization=False),
    }


def main() -> None:
    print(f"{'file':40} {'bytes':>10} {'peak growth':>12} {'counted':>10}  outcome")
    for name, data in files().items():
        if len(data) > 5 * 2**20:
            print(f"{name:40} {len(data):>10,} over the 5 MB upload limit: not tried")
            continue
        with tempfile.NamedTemporaryFile(suffix=".pt") as handle:
            handle.write(data)
            handle.flush()
            code = CHILD.format(root=str(ROOT), path=handle.name, limits=LIMITS)
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        size, peak, counted, outcome = out.stdout.split(" ", 3)
        print(f"{name:40} {int(size):>10,} {int(peak) / 2**20:>9.1f} MB {int(counted) / 2**20:>7.1f} MB  "
              f"{outcome.strip()}")


if __name__ == "__main__":
    main()
