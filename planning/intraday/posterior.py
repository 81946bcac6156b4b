"""Which demand scenario are we in? The posterior from the contacts seen so far.

Likelihood (docs/intraday.md). Scenario s expects λ_{s,i} contacts in each observed cell i
(an interval × channel before "now"); the contacts y_i are Poisson given the rate. A
scenario of the plan is not one exact curve but a band of the peak multiplier's
distribution (a quantile bin, planning.demand.uncertainty): inside its band the true
multiplier M still varies. We give M a gamma law with mean 1 and coefficient of variation
c_s (the spread of the scenario's band, :func:`band_spread`) and integrate it out, so the
counts are jointly negative-multinomial:

    L_s = Π_i λ_i^{y_i} / y_i!  ·  k^k / Γ(k)  ·  Γ(k + Y) / (k + Λ)^{k + Y},   k = 1 / c_s²,

with Y = Σ y_i and Λ = Σ λ_{s,i}. As c_s → 0 this is the plain Poisson likelihood
Π_i Poisson(y_i; λ_{s,i}). The posterior is prior × likelihood, normalised (log-sum-exp).

Given s, M's posterior is Gamma(k + Y, k + Λ) (gamma–Poisson conjugacy), mean
(k + Y) / (k + Λ): the re-forecast of the rest of the day is the posterior mixture
Σ_s P(s | y) · λ_{s,t} · (k + Y) / (k + Λ_s).

"Outside every scenario": under scenario s the total Y is negative binomial (Poisson when
c_s = 0) with mean Λ_s; when even the best scenario puts the observed total in a two-sided
tail of probability below ``alpha``, the forecast is wrong, not just unlucky.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special, stats

#: two-sided tail probability below which the counts are outside a scenario
OUTSIDE_ALPHA = 0.01


def band_spread(multipliers: np.ndarray) -> np.ndarray:
    """Coefficient of variation of the multiplier inside each scenario's band: the band
    runs half-way to the neighbouring scenarios (mirrored at the ends), the multiplier is
    taken uniform on it, sd = width / √12, cv = sd / the scenario's multiplier. One
    scenario (no uncertainty): 0, the plain Poisson likelihood."""
    m = np.asarray(multipliers, dtype=np.float64)
    if m.size < 2:
        return np.zeros(m.size)
    order = np.argsort(m, kind="stable")
    v = m[order]
    gaps = np.diff(v)
    lower = np.concatenate([[gaps[0]], gaps]) / 2.0
    upper = np.concatenate([gaps, [gaps[-1]]]) / 2.0
    out = np.empty(m.size)
    out[order] = (lower + upper) / np.sqrt(12.0) / np.maximum(v, 1e-12)
    return out


def log_likelihood(expected: np.ndarray, counts: np.ndarray,
                   spread_cv: np.ndarray | None = None) -> np.ndarray:
    """log L_s for each scenario (S,). ``expected`` (S, N) λ per observed cell,
    ``counts`` (N,) contacts seen, ``spread_cv`` (S,) c_s (None or 0: Poisson)."""
    lam = np.asarray(expected, dtype=np.float64)
    y = np.asarray(counts, dtype=np.float64)
    n_s = lam.shape[0]
    cv = np.zeros(n_s) if spread_cv is None else np.asarray(spread_cv, dtype=np.float64)
    lam_safe = np.maximum(lam, 1e-300)
    base = (np.where(y > 0, y * np.log(lam_safe), 0.0) - special.gammaln(y + 1.0)).sum(axis=1)
    total_y, total_l = float(y.sum()), lam.sum(axis=1)
    out = np.empty(n_s)
    for s in range(n_s):
        if cv[s] <= 0:
            out[s] = base[s] - total_l[s]
            continue
        out[s] = base[s] + _mixing_term(1.0 / cv[s] ** 2, total_y, float(total_l[s]))
    return out


def _mixing_term(k: float, total_y: float, total_l: float) -> float:
    """k ln k − ln Γ(k) + ln Γ(k + Y) − (k + Y) ln(k + Λ), written without cancellation for
    large k: Σ_{j<Y} ln(1 + j/k) − (k + Y)·ln(1 + Λ/k) (Y a whole number of contacts)."""
    j = np.arange(int(round(total_y)), dtype=np.float64)
    return float(np.log1p(j / k).sum() - (k + total_y) * np.log1p(total_l / k))


def posterior(prior: np.ndarray, loglik: np.ndarray) -> np.ndarray:
    """P(s | counts) ∝ prior_s · L_s (scenarios with prior 0 stay at 0)."""
    p = np.asarray(prior, dtype=np.float64)
    with np.errstate(divide="ignore"):
        lp = np.where(p > 0, np.log(np.maximum(p, 1e-300)) + loglik, -np.inf)
    if not np.isfinite(lp).any():
        return p / p.sum()
    w = np.exp(lp - lp.max())
    return w / w.sum()


def multiplier_update(expected_total: np.ndarray, seen: float,
                      spread_cv: np.ndarray | None) -> np.ndarray:
    """E[M | s, counts] = (k + Y) / (k + Λ_s) per scenario (1 where c_s = 0)."""
    lam = np.asarray(expected_total, dtype=np.float64)
    cv = np.zeros(lam.size) if spread_cv is None else np.asarray(spread_cv, dtype=np.float64)
    out = np.ones(lam.size)
    pos = cv > 0
    k = 1.0 / cv[pos] ** 2
    out[pos] = (k + seen) / (k + lam[pos])
    return out


def tail_probability(expected_total: np.ndarray, seen: float,
                     spread_cv: np.ndarray | None) -> np.ndarray:
    """Two-sided tail probability of the observed total under each scenario:
    2·min(P(Y ≤ y), P(Y ≥ y)), capped at 1; Y ~ NegBin(k, mean Λ_s), Poisson when c_s = 0."""
    lam = np.asarray(expected_total, dtype=np.float64)
    cv = np.zeros(lam.size) if spread_cv is None else np.asarray(spread_cv, dtype=np.float64)
    out = np.empty(lam.size)
    y = round(seen)
    for s in range(lam.size):
        if cv[s] > 0:
            k = 1.0 / cv[s] ** 2
            d = stats.nbinom(k, k / (k + lam[s]))
        else:
            d = stats.poisson(max(lam[s], 1e-300))
        out[s] = min(1.0, 2.0 * min(float(d.cdf(y)), float(d.sf(y - 1))))
    return out


@dataclass(frozen=True)
class Posterior:
    """The scenario posterior and what it rests on."""

    prior: np.ndarray  # (S,)
    probability: np.ndarray  # (S,) P(s | counts)
    loglik: np.ndarray  # (S,)
    spread_cv: np.ndarray  # (S,)
    seen: float  # contacts seen (all observed cells)
    expected_seen: np.ndarray  # (S,) Λ_s
    tail: np.ndarray  # (S,) two-sided tail probability of the total
    multiplier: np.ndarray  # (S,) E[M | s, counts]
    alpha: float = OUTSIDE_ALPHA

    @property
    def outside(self) -> bool:
        """The counts fall outside every scenario (best tail probability < alpha)."""
        return bool(self.tail.size) and float(self.tail.max()) < self.alpha and self.seen > 0

    @property
    def most_likely(self) -> int:
        return int(np.argmax(self.probability))

    @property
    def prior_expected_seen(self) -> float:
        return float(self.prior @ self.expected_seen)


def scenario_posterior(prior: np.ndarray, expected: np.ndarray, counts: np.ndarray,
                       spread_cv: np.ndarray | None = None,
                       alpha: float = OUTSIDE_ALPHA) -> Posterior:
    """Everything about the posterior from ``expected`` (S, N) and ``counts`` (N,)."""
    lam = np.asarray(expected, dtype=np.float64)
    cv = np.zeros(lam.shape[0]) if spread_cv is None else np.asarray(spread_cv, float)
    ll = log_likelihood(lam, counts, cv)
    seen = float(np.sum(counts))
    total = lam.sum(axis=1)
    return Posterior(np.asarray(prior, float), posterior(prior, ll), ll, cv, seen, total,
                     tail_probability(total, seen, cv), multiplier_update(total, seen, cv),
                     alpha)


def mixture_forecast(post: Posterior, expected_future: np.ndarray) -> np.ndarray:
    """Σ_s P(s | y)·E[M | s, y]·λ_{s,t} for ``expected_future`` (S, ...) contacts."""
    lam = np.asarray(expected_future, dtype=np.float64)
    w = post.probability * post.multiplier
    return np.tensordot(w, lam, axes=(0, 0))


def run_rate_forecast(seen_today: float, usual_today: np.ndarray, done: int) -> np.ndarray:
    """The usual run-rate re-forecast of today's remaining intervals: the day's total is
    the contacts seen so far ÷ the usual share of the day by now, spread over the rest of
    the day like the usual curve. ``usual_today`` (intervals of the day,) expected contacts
    (the plan's probability-weighted mean), ``done`` intervals of today already seen.
    Before any contact is expected the usual curve is returned unchanged."""
    usual = np.asarray(usual_today, dtype=np.float64)
    total = float(usual.sum())
    share = float(usual[:done].sum()) / total if total > 0 else 0.0
    if share <= 0:
        return usual[done:].copy()
    day_total = seen_today / share
    return day_total * usual[done:] / total
