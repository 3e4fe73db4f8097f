"""Summarise a mutmut run of the core (bench/mutation.sh): the score, and what survives per module.

Score = killed / (all mutants checked), where killed counts a failing test, a timeout and a crash;
a mutant no selected test reaches counts as surviving. Reads mutants/*.meta (mutmut 3's results).

`--reset-survivors` marks every surviving mutant unchecked instead, so that the next
`bench/mutation.sh` (no arguments: every unchecked mutant of the core) tries them against the
tests as they are now: mutmut keeps a verdict until the mutated function itself changes. Until that
run ends, the reset mutants count as "not checked", outside the score: read the score once none is left.

`--sample N` prints N mutants drawn (seed 2026) from those not yet checked, for a run that estimates
what a whole run would find (`bench/mutation.sh $(... --sample 350)`); `--score-of FILE` prints how
many of the mutants named in FILE were killed, with a 95 % (Wilson) interval.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

KILLED = {1, 3, 36, 24, -24, 152, 255, -11, -9}  # a test failed, an internal error, a timeout, a crash
SURVIVED = {0, 5, 33}  # tests passed, or no test reached it


def reset_survivors() -> int:
    count = 0
    for meta in sorted(Path("mutants/rnnviz").glob("*.py.meta")):
        data = json.loads(meta.read_text())
        codes = data.get("exit_code_by_key", {})
        survivors = [name for name, code in codes.items() if code in SURVIVED]
        for name in survivors:
            codes[name] = None
        if survivors:
            meta.write_text(json.dumps(data, indent=4))
            count += len(survivors)
    return count


def main(seconds: str | None = None) -> None:
    by_module: dict[str, Counter] = defaultdict(Counter)
    survivors: dict[str, list[str]] = defaultdict(list)
    for meta in sorted(Path("mutants/rnnviz").glob("*.py.meta")):
        module = meta.name.removesuffix(".meta")
        codes = json.loads(meta.read_text()).get("exit_code_by_key", {})
        for name, code in codes.items():
            if code in KILLED:
                by_module[module]["killed"] += 1
            elif code in SURVIVED:
                by_module[module]["survived"] += 1
                survivors[module].append(name)
            else:
                by_module[module]["not checked"] += 1
    total = Counter()
    for module, counts in sorted(by_module.items()):
        total.update(counts)
        checked = counts["killed"] + counts["survived"]
        score = 100 * counts["killed"] / checked if checked else 0.0
        print(f"{module:16} {counts['killed']:5} killed {counts['survived']:4} survived"
              f" {counts['not checked']:4} not checked  {score:5.1f} %")
    checked = total["killed"] + total["survived"]
    score = 100 * total["killed"] / checked if checked else 0.0
    took = f" in {int(seconds) // 60} min {int(seconds) % 60} s" if seconds else ""
    print(f"core: {total['killed']} of {checked} mutants killed ({score:.1f} %){took};"
          f" {total['not checked']} not checked")
    if "-v" in sys.argv:
        for module, names in sorted(survivors.items()):
            print(module, *names, sep="\n  ")


def _codes() -> dict[str, int | None]:
    codes: dict[str, int | None] = {}
    for meta in sorted(Path("mutants/rnnviz").glob("*.py.meta")):
        codes.update(json.loads(meta.read_text()).get("exit_code_by_key", {}))
    return codes


def sample(count: int, seed: int = 2026) -> list[str]:
    """`count` mutants not yet checked, drawn with `seed` (in the order mutmut's files list them)."""
    import random

    unchecked = [name for name, code in _codes().items() if code is None]
    return sorted(random.Random(seed).sample(unchecked, min(count, len(unchecked))))


def score_of(path: str) -> None:
    import math

    names = [line.strip() for line in Path(path).read_text().splitlines() if line.strip()]
    codes = _codes()
    killed = sum(codes.get(name) in KILLED for name in names)
    checked = sum(codes.get(name) in KILLED | SURVIVED for name in names)
    if not checked:
        print("none of them checked yet")
        return
    p, z = killed / checked, 1.96
    centre = (p + z * z / (2 * checked)) / (1 + z * z / checked)
    half = z * math.sqrt(p * (1 - p) / checked + z * z / (4 * checked * checked)) / (1 + z * z / checked)
    print(f"{killed} of {checked} killed ({100 * p:.1f} %, 95 % interval {100 * (centre - half):.1f}"
          f" to {100 * (centre + half):.1f} %); {len(names) - checked} not checked")


if __name__ == "__main__":
    if "--sample" in sys.argv:
        print(*sample(int(sys.argv[sys.argv.index("--sample") + 1])), sep="\n")
    elif "--score-of" in sys.argv:
        score_of(sys.argv[sys.argv.index("--score-of") + 1])
    elif "--reset-survivors" in sys.argv:
        print(f"{reset_survivors()} surviving mutants marked unchecked")
    else:
        main(next((a for a in sys.argv[1:] if a.isdigit()), None))
