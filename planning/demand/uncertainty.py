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
from scipy import special, stats


def _lognormal(cv: float) -> tuple[float, float]:
    """(mu, sigma) of the log of a lognormal with mean 1 and the given cv."""
    sigma = math.sqrt(math.log1p(cv * cv))
    return -0.5 * sigma * sigma, sigma


def frozen(dist: str, cv: float) -> stats.rv_continuous:
    """The scipy distribution with mean 1 and coefficient of variation ``cv``."""
    if dist == "lognormal":
        mu, sigma = _lognormal(cv)
        return stats.lognorm(s=sigma, scale=math.exp(mu))
    if dist == "normal":
        return stats.norm(loc=1.0, scale=cv)
    if dist == "gamma":
        k = 1.0 / (cv * cv)
        return stats.gamma(a=k, scale=1.0 / k)
    raise ValueError(f"unknown distribution {dist!r}")


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
    return frozen(dist, cv).ppf(np.linspace(0.0, 1.0, n + 1))


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
