"""The rule managers use today, for comparison: flag an agent whose rate over the last
week is below 90% of the team's median agent (above 110% when lower is better). It judges
a bare number against other people: it flags the weakest agents, steady or not, and
misses a strong agent who has slipped."""

from __future__ import annotations

import numpy as np


def naive_flags(x: np.ndarray, n: np.ndarray, higher: bool, window: int,
                factor: float = 0.9) -> np.ndarray:
    """Bool per row: last ``window`` periods' rate beyond ``factor`` × the rows' median."""
    xs = np.asarray(x, float)[:, -window:].sum(axis=1)
    ns = np.asarray(n, float)[:, -window:].sum(axis=1)
    has = ns > 0
    rate = np.where(has, xs / np.where(has, ns, 1.0), np.nan)
    if not has.any():
        return np.zeros(len(rate), dtype=bool)
    median = float(np.nanmedian(rate))
    if higher:
        return has & (rate < factor * median)
    return has & (rate > (2.0 - factor) * median)
