"""What a chart shows, as data: the facts a page's sentence about the chart is worded from.

Every sentence that describes a chart (the Gradients page, What if's impulse) is built from
these numbers of the run on screen, never typed by hand: change the configuration and the
sentence changes with the curves. torch and plain Python only; rnnviz.ui.claims words them.

- `vanishing(norms, threshold)`: for each curve of ‖∂h_T/∂x_t‖ over t = 0..T−1, the step
  where it falls below `threshold` reading back from the last step (the latest t whose norm is
  below it, as the lesson's answer reads it), or None when it never does within the window;
  which curves keep their gradient longest and which lose it first.
- `impulse_lasts(response, onset)`: how many steps after `onset` an impulse stays above
  rnnviz.whatif.KEPT of its peak, or None when it stays "until the end of the window".
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from rnnviz.whatif import KEPT, kept_steps

VANISHED = 1e-6  # the threshold the lesson asks about


@dataclass(frozen=True)
class Vanishing:
    """Where each curve falls below `threshold`, reading back from the last step t = steps − 1."""

    steps: int
    threshold: float
    below_at: dict  # name -> the latest t with norm < threshold, or None (never within the window)

    def back(self, name: str) -> int | None:
        """Steps before the last one at which `name` falls below the threshold (None: never)."""
        t = self.below_at[name]
        return None if t is None else self.steps - 1 - t

    @property
    def fallen(self) -> list[str]:
        return [name for name, t in self.below_at.items() if t is not None]

    @property
    def never(self) -> list[str]:
        return [name for name, t in self.below_at.items() if t is None]

    @property
    def longest(self) -> list[str]:
        """The curves that keep their gradient longest: those that never fall, else the farthest back."""
        if self.never:
            return self.never
        far = max(self.back(name) for name in self.fallen)
        return [name for name in self.fallen if self.back(name) == far]

    @property
    def shortest(self) -> list[str]:
        """The curves that lose their gradient first (nearest the last step); empty if none falls."""
        if not self.fallen:
            return []
        near = min(self.back(name) for name in self.fallen)
        return [name for name in self.fallen if self.back(name) == near]

    @property
    def spread(self) -> int | None:
        """How many steps apart the first and the last curve to fall are (None unless all fall)."""
        if self.never or not self.fallen:
            return None
        backs = [self.back(name) for name in self.fallen]
        return max(backs) - min(backs)


def _values(norms) -> torch.Tensor:
    return torch.as_tensor(norms, dtype=torch.float64).flatten()


def vanishing(norms: dict, threshold: float = VANISHED) -> Vanishing:
    """norms: name -> (T,) ‖∂h_T/∂x_t‖ for t = 0..T−1 (tensors, arrays or lists), all of one length."""
    below_at, steps = {}, 0
    for name, values in norms.items():
        values = _values(values)
        steps = max(steps, len(values))
        below = torch.nonzero(values < threshold)
        below_at[name] = int(below.max()) if len(below) else None
    return Vanishing(steps=steps, threshold=threshold, below_at=below_at)


@dataclass(frozen=True)
class ImpulseLasts:
    """How long an impulse at `onset` stays above `share` of its peak in a window of `steps` steps."""

    onset: int
    steps: int
    share: float
    kept: int | None  # steps after onset; None: it is still above at the end of the window

    @property
    def to_end(self) -> bool:
        return self.kept is None


def impulse_lasts(response, onset: int) -> ImpulseLasts:
    """response: (steps,) ‖Δstate_t‖ after an impulse at `onset` (rnnviz.whatif.impulse_response)."""
    response = _values(response)
    kept = kept_steps(response, onset)
    peak = float(response[onset:].max()) if len(response) > onset else 0.0
    to_end = peak > 0 and kept == len(response) - onset
    return ImpulseLasts(onset=onset, steps=len(response), share=KEPT, kept=None if to_end else kept)
