"""Scorecard arithmetic (docs/formats.md §2): achievement, clipped item scores, points.

a = value / target for ``higher``, target / value for ``lower`` (value 0 with ``lower``
counts as the cap); item score = weight × clip(a, floor, cap). Hard-metric floor 50% and
cap 150% of the weight are seed 004's (第11条) and are set in the policy, not here.
"""

from __future__ import annotations

import numpy as np


def achievement(values: np.ndarray, target: float, direction: str,
                cap: float | None) -> np.ndarray:
    """Achievement ratio per agent.

    For ``lower`` items a value of 0 counts as the cap; with no cap it counts as 0 (no
    evidence, e.g. an agent who handled nothing has no handle time).
    """
    if direction == "higher":
        return values / target
    zero = values == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        a = target / np.where(zero, 1.0, values)
    return np.where(zero, cap if cap is not None else 0.0, a)


def item_score(a: np.ndarray, weight: float, floor: float | None,
               cap: float | None) -> np.ndarray:
    """weight × clip(a, floor, cap) (either bound may be absent)."""
    if floor is not None:
        a = np.maximum(a, floor)
    if cap is not None:
        a = np.minimum(a, cap)
    return weight * a
