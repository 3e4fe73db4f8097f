"""Sentences about a chart, in this rerun's language, worded from rnnviz.claims' numbers."""

from __future__ import annotations

from rnnviz.claims import ImpulseLasts, Vanishing
from rnnviz.ui.texts import t

TANH = "RNN tanh"  # the Gradients page's name for the tanh RNN's curve
GATED = ("LSTM", "GRU")


def n_steps(n: int) -> str:
    """"1 step", "3 steps" ("3 步")."""
    return t("steps_1") if n == 1 else t("steps_n", n=n)


def _threshold(value: float) -> str:
    """1e-6, not 1e-06."""
    mantissa, exponent = f"{value:e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent)}" if abs(int(exponent)) > 3 else f"{value:g}"


def listed(items: list[str]) -> str:
    """"a, b and c" ("a、b和c")."""
    if len(items) < 2:
        return "".join(items)
    return t("list_sep").join(items[:-1]) + t("list_last") + items[-1]


def gradient_sentence(v: Vanishing) -> str:
    """Where each curve of ‖∂h_T/∂x_t‖ falls below the threshold, which keeps it longest, and how the
    LSTM and GRU compare with the tanh RNN, for the curves on screen."""
    threshold = _threshold(v.threshold)
    if not v.fallen:
        return t("grad_claim_none", threshold=threshold, steps=v.steps)
    items = [t("grad_claim_item", name=name, t=v.below_at[name], back=n_steps(v.back(name)))
             for name in v.fallen]
    parts = [t("grad_claim_fall", last=v.steps - 1, threshold=threshold, items=listed(items))]
    if v.never:
        parts.append(t("grad_claim_never", names=listed(v.never), threshold=threshold, steps=v.steps))
        parts.append(t("grad_claim_longest_never", names=listed(v.longest), threshold=threshold))
    elif v.spread == 0:
        parts.append(t("grad_claim_same", threshold=threshold))
    else:
        parts.append(t("grad_claim_longest", names=listed(v.longest), first=listed(v.shortest)))
    parts += _against_tanh(v)
    return t("sentence_sep").join(parts)


def close_steps(steps: int) -> int:
    """Two curves whose gradients vanish this few steps apart fall 'at about the same rate'."""
    return max(5, steps // 10)


def _against_tanh(v: Vanishing) -> list[str]:
    gated = [name for name in GATED if name in v.below_at]
    if TANH not in v.below_at or not gated:
        return []
    reference = v.back(TANH)
    items, gaps = [], []
    for name in gated:
        back = v.back(name)
        if back is None or reference is None:
            continue  # told by grad_claim_never
        gap = back - reference
        gaps.append(gap)
        key = "grad_claim_longer" if gap > 0 else "grad_claim_shorter" if gap < 0 else "grad_claim_level"
        items.append(t(key, name=name, n=n_steps(abs(gap))))
    if not items:
        return []
    parts = [t("grad_claim_vs", items=listed(items))]
    near = close_steps(v.steps)
    if all(abs(gap) <= near for gap in gaps):
        parts.append(t("grad_claim_close", n=n_steps(near)))
    elif all(gap > near for gap in gaps):
        parts.append(t("grad_claim_far"))
    return parts


def _lasts(lasts: ImpulseLasts) -> str:
    if lasts.to_end:
        return t("kept_to_end", last=lasts.steps - 1)
    return t("kept_for", n=n_steps(lasts.kept))


def impulse_sentence(before: ImpulseLasts, after: ImpulseLasts, state: str, amount: float) -> str:
    """How long the impulse stays as built and with the shifted bias, "until the end of the window"
    when it never drops below its share of the peak, and which lasts longer."""
    long = before.steps + 1  # longer than any window: "to the end" ranks above every count
    one, two = (long if x.to_end else x.kept for x in (before, after))
    if before.to_end and after.to_end:
        verdict = t("kept_both_end")
    else:
        verdict = t("kept_longer" if two > one else "kept_shorter" if two < one else "kept_same")
    return t("whatif_kept_claim", state=state, share=before.share, before=_lasts(before), after=_lasts(after),
             amount=amount, verdict=verdict)
