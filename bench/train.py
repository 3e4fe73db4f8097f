"""Steps per second of the Train page's training against a plain torch loop, in the same run.

The page trains in a background job (rnnviz.server.jobs) and records more than a plain loop:
the loss and gradient norm per step, the validation batch every 25 steps, ~12 checkpoints, while
the page polls twice a second and builds the loss and gradient-norm figures from what it reads.
The plain loop makes the same batches and takes the same optimizer steps on the same model, and
nothing else. Both run `--repeats` times, alternating; the medians and their ratio are printed.

    python bench/train.py [--steps 600] [--seq-len 20] [--kind LSTM] [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rnnviz import plots  # noqa: E402
from rnnviz.server import jobs as train_jobs  # noqa: E402
from rnnviz.spec import LayerSpec  # noqa: E402
from rnnviz.tasks import batch, make_task  # noqa: E402
from rnnviz.train import TrainConfig, build_model  # noqa: E402

POLL_SECONDS = 0.5  # as rnnviz.ui.train_page polls


def plain(config: TrainConfig) -> float:
    """Seconds for the same optimizer steps with nothing recorded."""
    model = build_model(config)
    optimizer = torch.optim.Adam(model.parameters(), lr=config.lr)
    generator = torch.Generator().manual_seed(config.seed)
    start = time.perf_counter()
    for _ in range(config.steps):
        x, y = batch(config.task, config.seq_len, config.batch_size, generator)
        loss = nn.functional.mse_loss(model(x.float()), y.float())
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
    return time.perf_counter() - start


def page(config: TrainConfig) -> float:
    """Seconds for the page's training: a job, polled and drawn as the page does."""
    train_jobs.clear()  # a finished job would be shared: train again
    start = time.perf_counter()
    job = train_jobs.submit({config.spec.kind: config}, "bench")
    history = job.histories[config.spec.kind]
    while job.running:
        job.thread.join(POLL_SECONDS)  # returns as soon as the job ends
        job.touch("bench")
        run = history.snapshot()  # as the page's fragment reads it
        plots.curves_figure({"run": run}, "loss", "loss", log_y=True).to_plotly_json()
        plots.grad_norm_figure(run["step"], run["grad_norm"], 0.0, "norm").to_plotly_json()
    job.thread.join()
    assert history.stopped == "done", history.stopped
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=600)
    parser.add_argument("--seq-len", type=int, default=20)
    parser.add_argument("--kind", default="LSTM")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(1)  # as a training job runs
    task = make_task("adding")
    spec = LayerSpec(kind=args.kind, input_size=task.features, hidden_size=16, train=True)
    config = TrainConfig(spec=spec, task=task, seq_len=args.seq_len, steps=args.steps, max_seconds=600)
    times = {"plain": [], "page": []}
    for _ in range(args.repeats):
        times["plain"].append(plain(config))
        times["page"].append(page(config))
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, seconds in medians.items():
        print(f"{name:>5}: {args.steps / seconds:7.1f} steps/s  (median of {args.repeats}: {seconds:.2f} s)")
    ratio = medians["page"] / medians["plain"]
    print(f"page / plain time: {ratio:.3f}  ({'within' if ratio <= 1.15 else 'over'} the 1.15 target)")


if __name__ == "__main__":
    main()
