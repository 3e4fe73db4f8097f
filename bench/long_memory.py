"""The Train page's long-memory experiment (rnnviz.ui.table.LONG_MEMORY), measured as the server runs it.

For each seed, the race (RNN, LSTM, GRU one after another in one job, as the page's button starts
it, each run on one torch thread) runs alone: each kind's final validation MSE against the constant
answer's 1/6, whether it learned (below a tenth of that), its seconds, and the whole race's wall
seconds and its thread's CPU seconds. Then the race of the first seed again, alone and, right
after, while a second, different training runs in the same server process (as two students' jobs
share the machine), and the ratio of the two race times. The 1-minute load average is printed
beside every timing: on a machine other work shares, wall times are longer than the race's own
cost (its thread's CPU seconds).

    python bench/long_memory.py [--seeds 0 1 2] [--no-second]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rnnviz.race import race_rows  # noqa: E402
from rnnviz.server import jobs as train_jobs  # noqa: E402
from rnnviz.spec import LayerSpec  # noqa: E402
from rnnviz.tasks import make_task  # noqa: E402
from rnnviz.train import TrainConfig  # noqa: E402
from rnnviz.ui.table import LONG_MEMORY  # noqa: E402

KINDS = ("RNN", "LSTM", "GRU")
TARGET_SECONDS = 45.0


def race(seed: int, max_seconds: float = train_jobs.TRAIN_SECONDS) -> dict[str, TrainConfig]:
    """The page's race for the long-memory controls on `seed` (the sidebar's seed: layer and data)."""
    p = LONG_MEMORY
    task = make_task(p["task"])
    configs = {}
    for kind in KINDS:
        spec = LayerSpec(kind=kind, input_size=task.features, hidden_size=p["hidden_size"],
                         num_layers=p["num_layers"], bias=p["bias"], batch_first=p["batch_first"],
                         bidirectional=p["bidirectional"], dropout=p["dropout"], train=True, seed=seed)
        configs[f"{kind} ({spec.hidden_size})"] = TrainConfig(
            spec=spec, task=task, seq_len=p["seq_len"], batch_size=p["batch_size"], steps=p["steps"],
            lr=p["lr"], clip=p["clip"], seed=seed, max_seconds=max_seconds,
            forget_bias=1.0 if p["forget_bias"] else None)
    return configs


def load() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def watch(*jobs: train_jobs.Job) -> float:
    """Poll as the page does (every 0.5 s) until the first job ends (a watcher keeps them alive);
    returns the CPU seconds of the first job's thread, as last read while it ran."""
    cpu = 0.0
    while jobs[0].running:
        for job in jobs:
            job.touch("bench")
        try:
            cpu = time.clock_gettime(time.pthread_getcpuclockid(jobs[0].thread.ident))
        except (OSError, TypeError):  # the thread has just ended (or not yet started)
            pass
        jobs[0].thread.join(0.25)
    return cpu


def run_race(seed: int, second: bool, max_seconds: float) -> tuple[train_jobs.Job, float, float, str, str]:
    """(job, wall s, CPU s of the race's thread, load before, load after)."""
    train_jobs.clear()
    other = None
    if second:  # another student's training: a long GRU run (the slowest kind), stopped when the race ends
        config = next(iter(race(seed + 100).values()))
        config = dataclasses.replace(config, spec=config.spec.replace(kind="GRU"), steps=10**6)
        other = train_jobs.submit({"other": config}, "bench")
    before = load()
    wall = time.perf_counter()
    job = train_jobs.submit(race(seed, max_seconds), "bench")
    cpu = watch(job, *([other] if other else []))
    wall = time.perf_counter() - wall
    if other is not None:
        other.leave("bench")
        other.thread.join()
    return job, wall, cpu, before, load()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--no-second", action="store_true", help="skip the race beside a second training")
    parser.add_argument("--max-seconds", type=float, default=train_jobs.TRAIN_SECONDS,
                        help="each run's limit (the server's RNNVIZ_TRAIN_SECONDS by default)")
    args = parser.parse_args()
    train_jobs.TRAIN_SLOTS = max(train_jobs.TRAIN_SLOTS, 2)
    print(f"long memory: {LONG_MEMORY}")
    print(f"{'seed':>4} {'run':<10} {'val MSE':>9} {'/ const':>8} {'learned':>7} {'steps':>6} {'s':>6}")
    alone: dict[int, float] = {}
    verdicts = []
    for seed in args.seeds:
        job, wall, cpu, before, after = run_race(seed, False, args.max_seconds)
        alone[seed] = wall
        for row in race_rows(job.configs, job.histories, job.seconds):
            print(f"{seed:>4} {row.name:<10} {row.final:9.5f} {row.final / row.baseline:8.3f} "
                  f"{'yes' if row.learned else 'no':>7} {row.steps:>6} {row.seconds:6.1f} {row.stopped}")
            verdicts.append(row.learned == (row.kind != "RNN"))
        print(f"{seed:>4} race alone: {wall:.1f} s wall, {cpu:.1f} s CPU of its thread "
              f"(load {before} -> {after})")
    print(f"classic result (LSTM and GRU learn, RNN not): {sum(verdicts)} of {len(verdicts)} runs")
    if not args.no_second:  # alone again, then beside a second training, back to back (the load drifts)
        seed = args.seeds[0]
        for second in (False, True):
            job, wall, cpu, before, after = run_race(seed, second, args.max_seconds)
            seconds = ", ".join(f"{name} {s:.1f} s" for name, s in job.seconds.items())
            where = "beside a second training" if second else "alone"
            print(f"{seed:>4} race {where}: {wall:.1f} s wall ({seconds}), {cpu:.1f} s CPU of its thread "
                  f"(load {before} -> {after})")
            alone[seed] = alone[seed] if second else wall
        print(f"beside / alone: {wall / alone[seed]:.2f}; under {TARGET_SECONDS:.0f} s here: "
              f"{'yes' if wall < TARGET_SECONDS else 'no'}")


if __name__ == "__main__":
    main()
