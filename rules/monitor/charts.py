"""Control charts over a panel of count series (rows = agents and the team, columns = periods).

- :func:`cusum`: Page's (1954) one-sided CUSUM of log-likelihood-ratio increments with a
  fast-initial-response restart at h/2 after each signal (Lucas & Crosier 1982), so a
  decline that goes on keeps the chart high and one that ends drains it in a few periods.
- :func:`episodes`: signals grouped into episodes with the change point estimated as the
  period after the chart last stood at zero before the signal (Page 1954; Hawkins & Olwell
  1998, §2.4 — the maximum-likelihood change point for a CUSUM of likelihood ratios).
- :func:`shewhart_tails`: a p-/u-chart per period — the predictive tail probability of
  each period's count given its own number of trials (Montgomery, *Introduction to
  Statistical Quality Control*, §7.2–7.3: limits per period from that period's n).
- :func:`laney_dispersion`: Laney's (2002) p'-chart factor σ_z² from moving ranges of the
  baseline's z-scores — day-to-day movement beyond binomial noise (customer mix, campaigns)
  that a team of thousands of contacts a day always shows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from rules.monitor.counts import Model, normal_tail, posterior_mean, tail

FIR = 0.5                 # restart at h/2 after a signal (Lucas & Crosier 1982)
EXACT_BELOW_NPQ = 100.0   # exact predictive tail below this n·p·q; normal above


@dataclass(frozen=True)
class CusumPath:
    """One side's chart: the statistic before the restart (what is compared with h), the
    statistic carried to the next period, and the signals (CUSUM, or the period's own
    count far in the tail: the Shewhart part of a combined chart, Lucas 1982)."""

    value: np.ndarray       # (charts, T), NaN before the chart starts
    carried: np.ndarray     # (charts, T)
    signal: np.ndarray      # (charts, T) bool: any signal
    by_cusum: np.ndarray    # (charts, T) bool: the CUSUM reached h


def cusum(increments: np.ndarray, h: np.ndarray, start: np.ndarray,
          shewhart: np.ndarray | None = None) -> CusumPath:
    """S_t = max(0, S_{t−1} + W_t) from period ``start`` of each chart; signal when S_t ≥ h
    or the period's Shewhart test fires, then carry max(S_t restarted, h/2) forward: after
    a signal the chart restarts at h/2 (FIR), so a shift that goes on signals again fast."""
    n, periods = increments.shape
    value = np.full((n, periods), np.nan)
    carried = np.zeros((n, periods))
    signal = np.zeros((n, periods), dtype=bool)
    by_cusum = np.zeros((n, periods), dtype=bool)
    s = np.zeros(n)
    for t in range(periods):
        live = t >= start
        s = np.where(live, np.maximum(0.0, s + increments[:, t]), 0.0)
        hit = live & (s >= h)
        sig = hit | (live & shewhart[:, t]) if shewhart is not None else hit
        value[:, t] = np.where(live, s, np.nan)
        signal[:, t] = sig
        by_cusum[:, t] = hit
        s = np.where(hit, FIR * h, np.where(sig, np.maximum(s, FIR * h), s))
        carried[:, t] = s
    return CusumPath(value, carried, signal, by_cusum)


@dataclass(frozen=True)
class Episode:
    """Periods ``since``..``until`` (inclusive) of one chart judged shifted; ``signalled`` is
    the first period with enough evidence; ``ongoing`` when it lasts to the last period."""

    chart: int
    since: int
    signalled: int
    until: int
    ongoing: bool
    by_cusum: bool          # else only single periods far in the tail (Shewhart)


def episodes(path: CusumPath, start: np.ndarray) -> list[Episode]:
    """Signals grouped into episodes. An episode opens at a signal, dated from the change
    point (the period after the chart last stood at zero), and lasts while the carried
    statistic stays above zero: the first period it drains to zero is back to normal."""
    out: list[Episode] = []
    periods = path.value.shape[1]
    for c in np.flatnonzero(path.signal.any(axis=1)):
        sig, carried, hit = path.signal[c], path.carried[c], path.by_cusum[c]
        first = int(start[c])
        last_zero = first - 1
        open_at: tuple[int, int] | None = None
        cus = False
        for t in range(first, periods):
            if open_at is None:
                if sig[t]:
                    open_at, cus = (last_zero + 1, t), bool(hit[t])
                elif carried[t] == 0.0:
                    last_zero = t
            else:
                cus = cus or bool(hit[t])
                if not sig[t] and carried[t] == 0.0:
                    out.append(Episode(int(c), open_at[0], open_at[1], t - 1, False, cus))
                    open_at, last_zero = None, t
        if open_at is not None:
            out.append(Episode(int(c), open_at[0], open_at[1], periods - 1, True, cus))
    return out


def shewhart_tails(model: Model, x: np.ndarray, n: np.ndarray, post_a: np.ndarray,
                   post_b: np.ndarray, dispersion: np.ndarray, live: np.ndarray,
                   screen: float) -> tuple[np.ndarray, np.ndarray]:
    """(lower, upper) predictive tail probability of every live period's count; 1 elsewhere.

    Exact (beta-binomial / negative binomial) where n·p·q is small and the normal
    approximation puts the tail below ``screen`` (elsewhere the exact tail is far from any
    limit and is not needed); normal with Laney's factor where n·p·q is large or the chart
    is over-dispersed.
    """
    lower = np.ones(x.shape)
    upper = np.ones(x.shape)
    rows, cols = np.nonzero(live & (n > 0))
    if len(rows) == 0:
        return lower, upper
    a, b, phi = post_a[rows], post_b[rows], dispersion[rows]
    xs, ns = x[rows, cols], n[rows, cols]
    lo = normal_tail(model, xs, ns, a, b, phi, lower=True)
    hi = normal_tail(model, xs, ns, a, b, phi, lower=False)
    p0 = posterior_mean(model, a, b)
    npq = ns * p0 * (1.0 - p0) if model == "binomial" else ns * p0
    for out, approx, is_lower in ((lower, lo, True), (upper, hi, False)):
        exact = (npq < EXACT_BELOW_NPQ) & (phi <= 1.0) & (approx < screen)
        vals = approx.copy()
        if exact.any():
            vals[exact] = tail(model, xs[exact], ns[exact], a[exact], b[exact], is_lower)
        out[rows, cols] = vals
    return lower, upper


def shewhart_limits(model: Model, n: np.ndarray, post_a: np.ndarray, post_b: np.ndarray,
                    dispersion: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Per-period limits on the ratio (normal approximation with the baseline's uncertainty
    and Laney's factor): p̂0 ∓ z_α sqrt(φ (p̂0 q̂0 / n + var p̂0)). NaN where n = 0."""
    a, b, phi = post_a[:, None], post_b[:, None], dispersion[:, None]
    p0 = posterior_mean(model, a, b)
    with np.errstate(divide="ignore", invalid="ignore"):
        if model == "binomial":
            var = p0 * (1.0 - p0) / n + a * b / ((a + b) ** 2 * (a + b + 1.0))
        else:
            var = p0 / n + a / b ** 2
        half = stats.norm.isf(alpha) * np.sqrt(phi * var)
    lcl = np.where(n > 0, np.maximum(p0 - half, 0.0), np.nan)
    ucl = np.where(n > 0, p0 + half, np.nan)
    if model == "binomial":
        ucl = np.minimum(ucl, 1.0)
    return lcl, ucl


def laney_dispersion(model: Model, x: np.ndarray, n: np.ndarray, p0: np.ndarray,
                     in_baseline: np.ndarray) -> np.ndarray:
    """φ = max(1, σ_z²), σ_z = mean moving range of the baseline z-scores / 1.128."""
    out = np.ones(x.shape[0])
    for c in range(x.shape[0]):
        m = in_baseline[c] & (n[c] > 0)
        if m.sum() < 3:
            continue
        p = p0[c]
        sd = np.sqrt(p * (1 - p) / n[c, m]) if model == "binomial" else np.sqrt(p / n[c, m])
        z = (x[c, m] / n[c, m] - p) / sd
        sigma_z = np.mean(np.abs(np.diff(z))) / 1.128
        out[c] = max(1.0, float(sigma_z) ** 2)
    return out
