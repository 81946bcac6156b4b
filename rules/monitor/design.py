"""The CUSUM's alarm threshold from the false-alarm rate the user sets.

Siegmund's (1985, *Sequential Analysis*, §X.2) corrected diffusion approximation of the
average run length of a CUSUM ``S_t = max(0, S_{t-1} + W_t)`` whose increments have mean
μ and standard deviation σ:

    ARL(h) ≈ (exp(−2μb/σ²) + 2μb/σ² − 1) / (2μ²/σ²),   b = h + 1.166 σ

(the 1.166 σ is twice the expected overshoot of a normal random walk, ρ = 0.583 σ). With
no change the log-likelihood-ratio increments drift down (μ < 0) and 1/ARL is the chart's
false-alarm rate per period.

The baseline rate is estimated, and a CUSUM designed at an estimate that is a little off
raises false alarms many times over (Jones, Champ & Rigdon 2004, *Technometrics* 46(1)).
So the threshold is solved from the false-alarm rate *averaged over the baseline
posterior*: the chart is designed at the posterior mean p̂0, and 1/ARL is averaged over
true rates p drawn from the posterior (quadrature at equal-probability nodes), where the
increment's mean and variance are those at p. A short baseline gets a higher threshold;
a long one converges to the known-rate design. Tests check the achieved rate by
simulation, baselines estimated as the tool estimates them.
"""

from __future__ import annotations

import numpy as np

from rules.monitor.counts import Model, increment_moments, posterior_quantiles

OVERSHOOT = 1.166          # 2 × 0.583: Siegmund's correction, in σ
NODES = (np.arange(48) + 0.5) / 48


def siegmund_arl(h: np.ndarray, mu: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    """Average run length of a CUSUM with threshold h and increments (μ, σ) (broadcasts)."""
    h, mu, sigma = np.broadcast_arrays(*(np.asarray(v, float) for v in (h, mu, sigma)))
    b = h + OVERSHOOT * sigma
    var = sigma * sigma
    c = 2.0 * mu * b / np.where(var > 0, var, 1.0)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        u = np.minimum(-c, 700.0)
        arl = (np.expm1(u) - u) * var / (2.0 * mu * mu)
        near_zero = np.abs(c) < 1e-6
        arl = np.where(near_zero, b * b / np.where(var > 0, var, 1.0), arl)
        arl = np.where(-c >= 700.0, np.inf, arl)
        arl = np.where(var > 0, arl, np.where(mu > 0, b / np.maximum(mu, 1e-300), np.inf))
    return arl


def posterior_nodes(model: Model, post_a: np.ndarray, post_b: np.ndarray) -> np.ndarray:
    """(charts, K) rates at the posterior's equal-probability quadrature nodes."""
    return posterior_quantiles(model, post_a, post_b, NODES)


def posterior_increments(model: Model, weights: tuple[np.ndarray, np.ndarray],
                         nodes: np.ndarray, trials: np.ndarray,
                         dispersion: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(charts, K) mean and sd of a period's increment at the posterior's quadrature nodes.

    With over-dispersion φ the increment is divided by φ (quasi-likelihood) while its true
    variance is φ times the binomial one: mean μ/φ, variance σ²/φ.
    """
    w = tuple(np.asarray(v, float)[:, None] for v in weights)
    mu, var = increment_moments(model, w, nodes, np.asarray(trials, float)[:, None])
    phi = np.asarray(dispersion, float)[:, None]
    return mu / phi, np.sqrt(var / phi)


def false_alarm_rate(h: np.ndarray, mu: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    """Expected false alarms per period of each chart: 1/ARL averaged over the nodes."""
    return np.mean(1.0 / siegmund_arl(np.asarray(h, float)[:, None], mu, sigma), axis=1)


def threshold(rate: float, mu: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    """The smallest h whose posterior-averaged false-alarm rate is at most ``rate``.

    Bisection on log h, all charts at once; a chart whose periods carry no trials
    (σ = 0 and μ = 0 at every node) gets h = inf.
    """
    n = mu.shape[0]
    lo = np.full(n, 1e-3)
    hi = np.full(n, 200.0)
    for _ in range(48):
        mid = np.sqrt(lo * hi)
        too_many = false_alarm_rate(mid, mu, sigma) > rate
        lo = np.where(too_many, mid, lo)
        hi = np.where(too_many, hi, mid)
    empty = np.all(sigma == 0, axis=1)
    return np.where(empty, np.inf, hi)
