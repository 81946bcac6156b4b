"""Poisson regression with log link, fitted by iteratively reweighted least squares (numpy).

McCullagh & Nelder (1989), §2.5: with μ = exp(Xβ), iterate
z = η + (y − μ)/μ, W = diag(μ), β ← (XᵀWX)⁻¹XᵀWz until the deviance stops changing.
Checked against statsmodels' GLM (tests/scenarios/test_glm.py; docs/demand.md §9).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class PoissonFit:
    """Coefficients, fitted means and fit diagnostics of a Poisson GLM."""

    coef: np.ndarray
    mu: np.ndarray
    deviance: float
    pearson_dispersion: float   # Pearson χ² / (n − p); ≈ 1 when the Poisson model fits
    iterations: int
    converged: bool


def poisson_deviance(y: np.ndarray, mu: np.ndarray) -> float:
    """2 Σ [y log(y/μ) − (y − μ)] with 0·log 0 = 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        term = np.where(y > 0, y * np.log(y / mu), 0.0)
    return float(2.0 * np.sum(term - (y - mu)))


def fit_poisson(X: np.ndarray, y: np.ndarray, *, offset: np.ndarray | None = None,
                weights: np.ndarray | None = None, tol: float = 1e-12,
                max_iter: int = 100) -> PoissonFit:
    """Maximum-likelihood Poisson GLM, log link: log μ = Xβ + offset.

    ``weights`` (0 or 1) leave rows out of the likelihood (gaps filled by the model).
    Stops when |Δdeviance| / (|deviance| + 0.1) < tol (statsmodels' criterion).
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    off = np.zeros(len(y)) if offset is None else np.asarray(offset, dtype=np.float64)
    w_obs = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=np.float64)
    mu = (y * w_obs + np.average(y, weights=w_obs)) / 2.0 + 1e-3   # statsmodels-like start
    eta = np.log(mu) - off
    dev = np.inf
    coef = np.zeros(X.shape[1])
    converged = False
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007 - it is reported
        z = eta + (y - mu) / mu
        w = w_obs * mu
        Xw = X * w[:, None]
        try:
            coef = np.linalg.solve(Xw.T @ X, Xw.T @ z)
        except np.linalg.LinAlgError:   # collinear columns: minimum-norm solution
            coef = np.linalg.lstsq(Xw.T @ X, Xw.T @ z, rcond=None)[0]
        eta = X @ coef
        mu = np.exp(eta + off)
        new_dev = poisson_deviance(y * w_obs, mu * w_obs)
        if abs(new_dev - dev) / (abs(new_dev) + 0.1) < tol:
            dev = new_dev
            converged = True
            break
        dev = new_dev
    n_obs = float(w_obs.sum())
    pearson = float(np.sum(w_obs * (y - mu) ** 2 / mu)) / max(n_obs - X.shape[1], 1.0)
    return PoissonFit(coef, mu, dev, pearson, it, converged)
