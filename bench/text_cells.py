"""Does a layer trained on the Train page's generated corpus grow a quote or a bracket cell?

Trains the next-character task (rnnviz.train, as the page does, one torch thread, within the
page's 60 s) on rnnviz.corpus.generated_corpus, then traces the layer on held-out text and prints,
per seed, the unit with the largest |correlation| with "inside quotes" and with "bracket depth"
(rnnviz.textcells.rank_units, h and c of every layer).

    python bench/text_cells.py [--hidden 64] [--seq-len 64] [--steps 1500] [--seeds 0 1 2]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rnnviz.corpus import generated_corpus  # noqa: E402
from rnnviz.spec import LayerSpec  # noqa: E402
from rnnviz.tasks import make_task  # noqa: E402
from rnnviz.textcells import feature, one_hot, rank_units  # noqa: E402
from rnnviz.trace import trace  # noqa: E402
from rnnviz.train import TrainConfig, build_model, train  # noqa: E402

HELD_OUT_SEED = 1_000_003


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--kind", default="LSTM")
    ap.add_argument("--hidden", type=int, default=64)
    ap.add_argument("--layers", type=int, default=1)
    ap.add_argument("--seq-len", type=int, default=64)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--steps", type=int, default=1500)
    ap.add_argument("--chars", type=int, default=20_000)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = ap.parse_args()
    torch.set_num_threads(1)
    held_out = generated_corpus(2_000, seed=HELD_OUT_SEED)
    for seed in args.seeds:
        task = make_task("text", text=generated_corpus(args.chars, seed=seed))
        spec = LayerSpec(kind=args.kind, input_size=task.features, hidden_size=args.hidden,
                         num_layers=args.layers, train=True, seed=seed)
        config = TrainConfig(spec=spec, task=task, seq_len=args.seq_len, batch_size=args.batch,
                             steps=args.steps, lr=args.lr, seed=seed, max_seconds=args.seconds)
        model = build_model(config)
        start = time.perf_counter()
        history = train(config, model=model)
        seconds = time.perf_counter() - start
        with torch.no_grad():
            tr = trace(model.rnn.eval(), one_hot(held_out, task.symbols).to(model.head.weight.dtype))
        best = {name: rank_units(tr, held_out, feature(held_out, name), top=1)[0]
                for name in ("quotes", "brackets")}
        print(f"seed {seed}: {len(history.step)} steps in {seconds:.1f} s ({history.stopped}), "
              f"val loss {history.val_loss[-1]:.3f} acc {history.val_accuracy[-1]:.3f}; "
              + "; ".join(f"{name} {unit.label} r={r:+.3f}" for name, (unit, r) in best.items()), flush=True)


if __name__ == "__main__":
    main()
