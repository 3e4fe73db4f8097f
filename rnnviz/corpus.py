"""A text worth reading a layer under, generated from a seed (no download, the same on every
machine): lines of code-like expressions with nested brackets and quoted strings.

    x = f("a cat", [y[2], (z, "the red dog")], {"sky": 41})

Quoted strings hold lowercase words and spaces; outside them are names, numbers and punctuation,
so predicting the next character pays for knowing whether a quote is open and how deep the
brackets are: the cells Karpathy et al. (2015) found in Linux source code.
"""

from __future__ import annotations

import random

WORDS = ("a", "the", "cat", "dog", "red", "sky", "is", "on", "of", "big", "sun", "one", "blue", "tree",
         "runs", "and", "old", "sea", "we", "go")
NAMES = ("x", "y", "z", "f", "g", "h", "n", "k", "xs", "ys")


def _string(rng: random.Random) -> str:
    return '"' + " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4))) + '"'


def _expr(rng: random.Random, depth: int) -> str:
    roll = rng.random() if depth < 4 else rng.random() * 0.5
    if roll < 0.2:
        return rng.choice(NAMES)
    if roll < 0.3:
        return str(rng.randint(0, 99))
    if roll < 0.5:
        return _string(rng)
    items = ", ".join(_expr(rng, depth + 1) for _ in range(rng.randint(1, 3)))
    if roll < 0.65:
        return f"{rng.choice(NAMES)}({items})"
    if roll < 0.8:
        return f"[{items}]"
    if roll < 0.9:
        return f"({items})"
    return "{" + f"{_string(rng)}: {_expr(rng, depth + 1)}" + "}"


def generated_corpus(chars: int = 20_000, seed: int = 0) -> str:
    """At least `chars` characters (whole lines, each at most 80) from `seed`."""
    rng = random.Random(seed)
    lines: list[str] = []
    total = 0
    while total < chars:
        line = f"{rng.choice(NAMES)} = {_expr(rng, 0)}"
        if len(line) > 80:
            continue
        lines.append(line)
        total += len(line) + 1
    return "\n".join(lines) + "\n"
