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
from scipy import special

from rules.monitor.counts import Model


def floor_tail(model: Model, x: np.ndarray, n: np.ndarray, floor: float, higher: bool
               ) -> np.ndarray:
    """P-value of "the true rate is on the good side of the floor"; 1 where n = 0."""
    x = np.asarray(x, float)
    n = np.asarray(n, float)
    with np.errstate(invalid="ignore"):
        k = np.rint(x).astype(np.int64)
        if model == "binomial":
            m = np.rint(n).astype(np.int64)
            # P(X ≤ k) and P(X ≥ k) = P(X > k − 1) of Binomial(m, floor)
            p = special.bdtr(k, m, floor) if higher else np.where(
                k >= 1, special.bdtrc(np.maximum(k - 1, 0), m, floor), 1.0)
        else:
            mu = floor * n
            p = special.pdtr(k, mu) if higher else np.where(
                k >= 1, special.pdtrc(np.maximum(k - 1, 0), mu), 1.0)
    return np.where(n > 0, p, 1.0)


def trailing_sums(a: np.ndarray, window: int) -> np.ndarray:
    """Sum over the last ``window`` periods ending at each period (along the last axis)."""
    c = np.cumsum(a, axis=-1)
    out = c.copy()
    out[..., window:] = c[..., window:] - c[..., :-window]
    return out
