"""Count models of a monitored ratio: a share (binomial) or a rate per exposure (Poisson).

A ratio is never judged as a bare number: ``successes / trials`` for a share (conversion =
paid_uv of received_uv), ``events / exposure`` for a rate (complaints per answered
contact, when one contact may complain twice). Everything the charts need comes from
here, vectorised over charts (agents and the team):

- the baseline posterior of the rate (Jeffreys prior: Beta(x + ½, n − x + ½) for a share,
  Gamma(x + ½, n) for a rate), so a short baseline is honestly uncertain;
- the shifted rate a CUSUM is tuned to (a relative change of the rarer outcome);
- the per-period log-likelihood-ratio increment and its mean and variance at any true rate
  (Page 1954; Hawkins & Olwell 1998, ch. 5 for binomial and Poisson CUSUMs);
- the predictive tail probability of one period's count (beta-binomial / negative
  binomial), the exact per-period limit of a p- or u-chart with an estimated baseline.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from scipy import special  # scipy.stats is not imported: a second off the morning update

Model = Literal["binomial", "poisson"]


def posterior(model: Model, x0: np.ndarray, n0: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Jeffreys posterior parameters of the baseline rate: Beta(a, b) or Gamma(a, rate=b)."""
    x0 = np.asarray(x0, float)
    n0 = np.asarray(n0, float)
    if model == "binomial":
        return x0 + 0.5, n0 - x0 + 0.5
    return x0 + 0.5, np.maximum(n0, 1e-12)


def posterior_mean(model: Model, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return a / (a + b) if model == "binomial" else a / b


def posterior_quantiles(model: Model, a: np.ndarray, b: np.ndarray, q: np.ndarray
                        ) -> np.ndarray:
    """(charts, len(q)) quantiles of the baseline posterior (the design's quadrature nodes)."""
    a = np.asarray(a, float)[:, None]
    b = np.asarray(b, float)[:, None]
    if model == "binomial":
        return special.betaincinv(a, b, q[None, :])
    return special.gammaincinv(a, q[None, :]) / b


def shifted(model: Model, p0: np.ndarray, shift: float | np.ndarray, up: bool) -> np.ndarray:
    """The rate a CUSUM is tuned to: ``shift`` relative change of the rarer outcome.

    A rate (Poisson) moves by the factor 1 ± shift. A share below ½ moves the same way; a
    share above ½ moves its complement, so 95% → 94% for ``up=False, shift=0.2`` (failures
    5% → 6%) and the shifted share stays inside (0, 1).
    """
    p0 = np.asarray(p0, float)
    sign = 1.0 if up else -1.0
    if model == "poisson":
        return p0 * (1.0 + sign * shift)
    low = p0 <= 0.5
    return np.where(low, p0 * (1.0 + sign * shift), 1.0 - (1.0 - p0) * (1.0 - sign * shift))


def llr_weights(model: Model, p0: np.ndarray, p1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(A, B) with the period's log-likelihood ratio of p1 against p0 = A·x + B·n.

    Binomial: x log(p1/p0) + (n − x) log((1 − p1)/(1 − p0)) → A = log OR, B = log((1−p1)/(1−p0)).
    Poisson:  x log(λ1/λ0) − n (λ1 − λ0).
    """
    p0 = np.asarray(p0, float)
    p1 = np.asarray(p1, float)
    if model == "binomial":
        b = np.log1p(-p1) - np.log1p(-p0)
        return np.log(p1) - np.log(p0) - b, b
    return np.log(p1) - np.log(p0), -(p1 - p0)


def increment_moments(model: Model, weights: tuple[np.ndarray, np.ndarray], p: np.ndarray,
                      n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and variance of A·x + B·n for a period of ``n`` trials at true rate ``p``."""
    a, b = weights
    if model == "binomial":
        return n * (a * p + b), n * p * (1.0 - p) * a * a
    return n * (a * p + b), n * p * a * a


def tail(model: Model, x: np.ndarray, n: np.ndarray, a: np.ndarray, b: np.ndarray,
         lower: bool) -> np.ndarray:
    """Predictive P(X ≤ x) (``lower``) or P(X ≥ x) for one period of ``n`` trials, the
    baseline rate uncertain as its posterior (beta-binomial; negative binomial for rates).

    This is the exact per-period limit of a p- or u-chart whose centre line is estimated:
    a count of 0 of 2 is never far in the tail, whatever the baseline.
    """
    x = np.asarray(x, float)
    n = np.asarray(n, float)
    if model == "binomial":
        nn = np.rint(n)
        xi = np.rint(x)
        if lower:
            return betabinom_cdf(xi, nn, a, b)
        return np.clip(1.0 - betabinom_cdf(xi - 1, nn, a, b), 0.0, 1.0)
    # Gamma(a, rate b) mixture of Poisson(λ n): negative binomial with r = a, p = b / (b + n)
    # P(X ≤ k) = I_p(r, k + 1), P(X ≥ k) = 1 − I_p(r, k) (regularised incomplete beta)
    p = b / (b + n)
    k = np.rint(x)
    if lower:
        return np.where(k >= 0, special.betainc(a, np.maximum(k, 0.0) + 1.0, p), 0.0)
    return np.where(k >= 1, special.betaincc(a, np.maximum(k, 1.0), p), 1.0)


def normal_tail(model: Model, x: np.ndarray, n: np.ndarray, a: np.ndarray, b: np.ndarray,
                dispersion: np.ndarray, lower: bool) -> np.ndarray:
    """Tail probability with variance inflated by ``dispersion`` (Laney 2002, p'-chart):
    the period's rate against the baseline, z = (x/n − p0) / sqrt(φ (p0 q0 / n + var p0))."""
    p0 = posterior_mean(model, a, b)
    if model == "binomial":
        var_p0 = a * b / ((a + b) ** 2 * (a + b + 1.0))
        var = p0 * (1.0 - p0) / n + var_p0
    else:
        var = p0 / n + a / b ** 2
    z = (x / n - p0) / np.sqrt(dispersion * var)
    return special.ndtr(z) if lower else special.ndtr(-z)


def betabinom_cdf(x: np.ndarray, n: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """P(X ≤ x) of the beta-binomial, every cell at once: the pmf summed term by term,
    C(n, k) B(k + a, n − k + b) / B(a, b), k = 0..x (x < 0 gives 0)."""
    x, n, a, b = (np.asarray(v, float) for v in np.broadcast_arrays(x, n, a, b))
    out = np.zeros(x.shape)
    base = special.gammaln(n + 1.0) - special.betaln(a, b)
    for k in range(int(x.max(initial=-1.0)) + 1):
        m = x >= k
        lp = (base[m] - special.gammaln(k + 1.0) - special.gammaln(n[m] - k + 1.0)
              + special.betaln(k + a[m], n[m] - k + b[m]))
        out[m] += np.exp(lp)
    return np.minimum(out, 1.0)
