"""Below the floor, judged with the counts.

A floor metric (seed practice: the bottom line that must never break — QA pass rate,
complaint rate) is *below its floor* only when the counts make it unlikely that the
agent's true rate is still on the right side of it: the one-sided exact test

    share, higher is better:  P(X ≤ x | n, floor) < 1 − confidence      (binomial)
    rate,  higher is better:  P(X ≤ x | floor × n)  < 1 − confidence    (Poisson)

and the mirror image (P(X ≥ x) at the ceiling) when lower is better. Equivalently the
one-sided Clopper–Pearson (Garwood for Poisson) bound at ``confidence`` lies beyond the
floor. With QA on 12 sampled contacts a month and a floor of 85%, 9 of 12 (75%) is not
below the floor (P = 0.26: it happens one month in four to an agent exactly at 85%);
6 of 12 is (P = 0.0046).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from rules.monitor.counts import Model


def floor_tail(model: Model, x: np.ndarray, n: np.ndarray, floor: float, higher: bool
               ) -> np.ndarray:
    """P-value of "the true rate is on the good side of the floor"; 1 where n = 0."""
    x = np.asarray(x, float)
    n = np.asarray(n, float)
    with np.errstate(invalid="ignore"):
        if model == "binomial":
            k, m = np.rint(x), np.rint(n)
            p = stats.binom.cdf(k, m, floor) if higher else stats.binom.sf(k - 1, m, floor)
        else:
            mu = floor * n
            p = stats.poisson.cdf(np.rint(x), mu) if higher else stats.poisson.sf(
                np.rint(x) - 1, mu)
    return np.where(n > 0, p, 1.0)


def trailing_sums(a: np.ndarray, window: int) -> np.ndarray:
    """Sum over the last ``window`` periods ending at each period (along the last axis)."""
    c = np.cumsum(a, axis=-1)
    out = c.copy()
    out[..., window:] = c[..., window:] - c[..., :-window]
    return out
