"""Discretise an uncertain peak multiplier (mean 1) into a few weighted demand scenarios.

Gans, Shen, Zhou et al. (2015, MSOM 17(4)) discretise parametric forecast uncertainty with
Gaussian quadrature to get small, stable stochastic programs; equal-probability quantile
bins are the planner's everyday alternative. Both keep the mean exactly:

- ``quantiles``: n bins between the quantiles F⁻¹(i/n); each scenario is the bin's
  conditional mean E[M | bin], probability 1/n, so Σ p·M = E[M] = 1 exactly.
- ``gauss``: Gauss–Hermite nodes (normal; lognormal in log space) or generalised
  Gauss–Laguerre nodes (gamma). Exact for the mean of normal and gamma; for the lognormal the
  location is shifted so that Σ p·M = 1 (a shift of order 1e-5 in log for cv 0.25, n 3).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.polynomial.hermite_e import hermegauss
from scipy import special


def _lognormal(cv: float) -> tuple[float, float]:
    """(mu, sigma) of the log of a lognormal with mean 1 and the given cv."""
    sigma = math.sqrt(math.log1p(cv * cv))
    return -0.5 * sigma * sigma, sigma


def _ppf(dist: str, cv: float, q: np.ndarray) -> np.ndarray:
    """F⁻¹(q) of the law with mean 1 and coefficient of variation ``cv``, computed as
    scipy.stats' ``ppf`` computes it for ``lognorm(s=σ, scale=e^μ)``, ``norm(1, cv)`` and
    ``gamma(k, scale=1/k)`` (the same special functions and operations: the same bits,
    tests/planning/test_uncertainty_ppf.py) without importing scipy.stats (~0.45 CPU s
    of every run's start-up). q = 0 and q = 1 give the support's ends, q outside NaN."""
    q = np.asarray(q, dtype=np.float64)
    if dist == "lognormal":
        mu, sigma = _lognormal(cv)
        scale, lower, loc = math.exp(mu), 0.0, 0.0
        inside = lambda p: np.exp(sigma * special.ndtri(p))  # noqa: E731
    elif dist == "normal":
        scale, lower, loc, inside = cv, -np.inf, 1.0, special.ndtri
    elif dist == "gamma":
        k = 1.0 / (cv * cv)
        scale, lower, loc = 1.0 / k, 0.0, 0.0
        inside = lambda p: special.gammaincinv(k, p)  # noqa: E731
    else:
        raise ValueError(f"unknown distribution {dist!r}")
    out = np.full(q.shape, np.nan)
    if not cv > 0:  # scipy's argument check (σ > 0, k > 0, scale > 0)
        return out
    out[q == 0] = lower
    out[q == 1] = np.inf
    mid = (q > 0) & (q < 1)
    if mid.any():
        out[mid] = inside(q[mid]) * scale + loc
    return out


def partial_mean(dist: str, cv: float, q: np.ndarray) -> np.ndarray:
    """E[M · 1{M ≤ q}] in closed form (lognormal, normal and gamma with mean 1)."""
    q = np.asarray(q, dtype=np.float64)
    if dist == "lognormal":
        mu, sigma = _lognormal(cv)
        with np.errstate(divide="ignore"):
            z = (np.log(q) - mu - sigma * sigma) / sigma
        return special.ndtr(z)
    if dist == "normal":
        z = (q - 1.0) / cv
        return special.ndtr(z) - cv * np.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)
    if dist == "gamma":
        k = 1.0 / (cv * cv)
        return special.gammainc(k + 1.0, np.maximum(q, 0.0) * k)
    raise ValueError(f"unknown distribution {dist!r}")


def quantile_edges(dist: str, cv: float, n: int) -> np.ndarray:
    """The n + 1 bin edges F⁻¹(i/n), i = 0..n (first may be 0 or −inf, last +inf)."""
    return _ppf(dist, cv, np.linspace(0.0, 1.0, n + 1))


def discretise(dist: str, cv: float, n: int, method: str) -> tuple[np.ndarray, np.ndarray]:
    """(multipliers ascending, probabilities) with Σ p = 1 and Σ p·M = 1."""
    if n == 1:
        return np.ones(1), np.ones(1)
    if method == "quantiles":
        edges = quantile_edges(dist, cv, n)
        pm = partial_mean(dist, cv, edges)
        pm[0], pm[-1] = 0.0, 1.0
        probs = np.full(n, 1.0 / n)
        values = np.diff(pm) * n
        return values, probs
    if method == "gauss":
        if dist == "gamma":
            k = 1.0 / (cv * cv)
            x, w = special.roots_genlaguerre(n, k - 1.0)
            probs = w / w.sum()
            values = x / k
        else:
            z, w = hermegauss(n)
            probs = w / w.sum()
            if dist == "normal":
                values = 1.0 + cv * z
            else:
                _, sigma = _lognormal(cv)
                values = np.exp(sigma * z)
                values = values / float(np.dot(probs, values))
        order = np.argsort(values)
        values, probs = values[order], probs[order]
        if values[0] <= 0:
            raise ValueError(f"the lowest of {n} normal quadrature nodes gives multiplier "
                             f"{values[0]:.3f} <= 0; use fewer scenarios, a smaller cv or "
                             "a lognormal / gamma distribution")
        return values, probs
    raise ValueError(f"unknown method {method!r}")


def noise_factors(probs: np.ndarray, multipliers: np.ndarray, cv: float, n_intervals: int,
                  seed: int) -> np.ndarray:
    """Scenario × interval factors g with Σ_s p_s·g[s, t] = 1 for every interval.

    g[s, t] = M_s·ε[s, t] / Σ_s' p_s'·M_s'·ε[s', t], ε lognormal with mean 1 and cv ``cv``:
    the noise reshuffles each interval's demand between scenarios but keeps the
    probability-weighted mean equal to the point forecast.
    """
    m = multipliers[:, None] * np.ones((len(multipliers), n_intervals))
    if cv > 0:
        sigma = math.sqrt(math.log1p(cv * cv))
        rng = np.random.default_rng(seed)
        eps = np.exp(sigma * rng.standard_normal(m.shape) - 0.5 * sigma * sigma)
        m = m * eps
    return m / (probs @ m)[None, :]
