"""Benchmark: the cost of rnnviz.trace against the plain module call, measured in one run.

For RNN, LSTM and GRU at four (T, N, H, layers, directions) configurations on CPU, prints the
median time of `module(x)` and of `trace(module, x)` (both under torch.no_grad, interleaved
so drift hits both alike) and their ratio. Target: ratio <= 1.5 at the two larger
configurations and <= 3 everywhere.

    python bench/capture.py [--repeats 11] [--device cpu] [--dtype float32] [--kinds RNN,LSTM,GRU]
                            [--system-malloc]

Like the app, it first calls rnnviz.reuse_freed_memory() so freed buffers are reused rather
than page-faulted back in on every trace; --system-malloc leaves glibc's defaults (the module
call allocates little and is not affected either way).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import rnnviz  # noqa: E402

CONFIGS = [  # (T, N, H, layers, directions)
    (50, 4, 32, 1, 1),
    (100, 8, 128, 2, 2),
    (500, 8, 256, 3, 2),
    (1000, 1, 64, 1, 1),
]
LARGE = {CONFIGS[1], CONFIGS[2]}
INPUT_SIZE = 16


def _time(fn, device) -> float:
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    start = time.perf_counter()
    fn()
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    return time.perf_counter() - start


def measure(kind: str, config: tuple, repeats: int, device, dtype) -> tuple[float, float]:
    steps, batch, hidden, layers, directions = config
    torch.manual_seed(0)
    module = (
        getattr(torch.nn, kind)(INPUT_SIZE, hidden, layers, bidirectional=directions == 2)
        .to(device=device, dtype=dtype)
        .eval()
    )
    x = torch.randn(steps, batch, INPUT_SIZE, device=device, dtype=dtype)
    plain, traced = [], []
    with torch.no_grad():
        module(x), rnnviz.trace(module, x)  # warm-up
        for _ in range(repeats):
            plain.append(_time(lambda: module(x), device))
            traced.append(_time(lambda: rnnviz.trace(module, x), device))
    return statistics.median(plain), statistics.median(traced)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=11)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--dtype", default="float32", choices=["float32", "float64"])
    parser.add_argument("--kinds", default="RNN,LSTM,GRU", help="comma-separated layer kinds to measure")
    parser.add_argument(
        "--system-malloc",
        action="store_true",
        help="keep glibc's default thresholds instead of rnnviz.reuse_freed_memory()",
    )
    args = parser.parse_args()
    reused = False if args.system_malloc else rnnviz.reuse_freed_memory()
    device, dtype = torch.device(args.device), getattr(torch, args.dtype)
    print(
        f"torch {torch.__version__}, {device}, {args.dtype}, {torch.get_num_threads()} threads, "
        f"median of {args.repeats}, freed memory {'reused' if reused else 'returned (glibc defaults)'}"
    )
    print(f"{'kind':5} {'T,N,H,layers,D':>20} {'module ms':>10} {'trace ms':>10} {'ratio':>6} target")
    worst_ok = True
    for kind in args.kinds.split(","):
        for config in CONFIGS:
            plain, traced = measure(kind, config, args.repeats, device, dtype)
            ratio = traced / plain
            target = 1.5 if config in LARGE else 3.0
            ok = ratio <= target
            worst_ok &= ok
            print(
                f"{kind:5} {','.join(map(str, config)):>20} {plain * 1e3:10.2f} "
                f"{traced * 1e3:10.2f} {ratio:6.2f} <= {target} {'ok' if ok else 'MISSED'}"
            )
    print("all within target" if worst_ok else "some ratios missed their target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
