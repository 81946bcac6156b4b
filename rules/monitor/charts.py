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
from scipy import special

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
          shewhart: np.ndarray | None = None, s0: np.ndarray | None = None) -> CusumPath:
    """S_t = max(0, S_{t−1} + W_t) from period ``start`` of each chart; signal when S_t ≥ h
    or the period's Shewhart test fires, then carry max(S_t restarted, h/2) forward: after
    a signal the chart restarts at h/2 (FIR), so a shift that goes on signals again fast.
    ``s0``: the statistic carried from before the first column (a daily update)."""
    n, periods = increments.shape
    value = np.full((n, periods), np.nan)
    carried = np.zeros((n, periods))
    signal = np.zeros((n, periods), dtype=bool)
    by_cusum = np.zeros((n, periods), dtype=bool)
    s = np.zeros(n) if s0 is None else np.asarray(s0, float).copy()
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
    since_page: int = -1    # Page's estimate: the period after the chart last stood at zero
    since_low: int = -1     # the change point's interval (rules.monitor.dating)
    since_high: int = -1


@dataclass
class Tracker:
    """Episode bookkeeping of one side's charts, advanced a period at a time (so a daily
    update continues where yesterday stopped). Per chart: the last period the chart stood
    at zero, the first period the next change point may lie in (``window_from``: the
    chart's first monitored period, then the end of its previous episode), and the episode
    open now (``open_at`` = the period it signalled, −1 when none)."""

    last_zero: np.ndarray
    window_from: np.ndarray
    open_at: np.ndarray
    open_page: np.ndarray
    open_cusum: np.ndarray

    @classmethod
    def empty(cls, charts: int) -> Tracker:
        return cls(np.full(charts, -1), np.zeros(charts, dtype=int), np.full(charts, -1),
                   np.full(charts, -1), np.zeros(charts, dtype=bool))

    def begin(self, rows: np.ndarray, start: np.ndarray) -> None:
        """Charts ``rows`` are monitored from ``start``."""
        self.last_zero[rows] = start - 1
        self.window_from[rows] = start

    def step(self, t: int, live: np.ndarray, sig: np.ndarray, hit: np.ndarray,
             carried: np.ndarray) -> list[tuple[int, int, int, int, int, bool]]:
        """Advance to period ``t``; return the episodes that ended (chart, window_from,
        Page's since, signalled, until, by_cusum)."""
        is_open = self.open_at >= 0
        zero = carried == 0.0
        cont = is_open & live
        self.open_cusum |= cont & hit
        closing = cont & ~sig & zero
        ended = []
        for c in np.flatnonzero(closing):
            ended.append((int(c), int(self.window_from[c]), int(self.open_page[c]),
                          int(self.open_at[c]), t - 1, bool(self.open_cusum[c])))
        self.open_at[closing] = -1
        self.window_from[closing] = t
        self.last_zero[closing] = t
        opening = ~is_open & live & sig
        self.open_at[opening] = t
        self.open_page[opening] = self.last_zero[opening] + 1
        self.open_cusum[opening] = hit[opening]
        self.last_zero[~is_open & live & ~sig & zero] = t
        return ended

    def copy(self) -> Tracker:
        return Tracker(*(np.copy(v) for v in (self.last_zero, self.window_from, self.open_at,
                                              self.open_page, self.open_cusum)))


def episodes(path: CusumPath, start: np.ndarray) -> list[Episode]:
    """Signals grouped into episodes, dated by Page's estimate (the period after the chart
    last stood at zero). An episode opens at a signal and lasts while the carried
    statistic stays above zero: the first period it drains to zero is back to normal.
    (The monitor dates episodes by maximum likelihood, :mod:`rules.monitor.dating`; this
    is the reference it is compared with.)"""
    charts, periods = path.value.shape
    tr = Tracker.empty(charts)
    start = np.asarray(start)
    tr.begin(np.arange(charts), start)
    out: list[Episode] = []
    for t in range(periods):
        live = t >= start
        for c, _, page, sig_at, until, cus in tr.step(t, live, path.signal[:, t],
                                                      path.by_cusum[:, t], path.carried[:, t]):
            out.append(Episode(c, page, sig_at, until, False, cus, page))
    for c in np.flatnonzero(tr.open_at >= 0):
        out.append(Episode(int(c), int(tr.open_page[c]), int(tr.open_at[c]), periods - 1,
                           True, bool(tr.open_cusum[c]), int(tr.open_page[c])))
    return sorted(out, key=lambda e: (e.chart, e.since))


def shewhart_tails(model: Model, x: np.ndarray, n: np.ndarray, post_a: np.ndarray,
                   post_b: np.ndarray, dispersion: np.ndarray, live: np.ndarray,
                   screen: float, laney: np.ndarray | None = None
                   ) -> tuple[np.ndarray, np.ndarray]:
    """(lower, upper) predictive tail probability of every live period's count; 1 elsewhere.
    ``post_a``, ``post_b``, ``dispersion`` broadcast to the cells ((rows, 1) or (rows, T)).
    ``laney``: the part of the dispersion that is over-dispersion of the counts themselves
    (the exact tail is used only where it is 1; default: all of ``dispersion``).

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
    lan = dispersion if laney is None else laney
    post_a, post_b, dispersion, lan = np.broadcast_arrays(post_a, post_b, dispersion, lan, x)[:4]
    a, b, phi = post_a[rows, cols], post_b[rows, cols], dispersion[rows, cols]
    over = lan[rows, cols]
    xs, ns = x[rows, cols], n[rows, cols]
    lo = normal_tail(model, xs, ns, a, b, phi, lower=True)
    hi = normal_tail(model, xs, ns, a, b, phi, lower=False)
    p0 = posterior_mean(model, a, b)
    npq = ns * p0 * (1.0 - p0) if model == "binomial" else ns * p0
    for out, approx, is_lower in ((lower, lo, True), (upper, hi, False)):
        exact = (npq < EXACT_BELOW_NPQ) & (over <= 1.0) & (approx < screen)
        vals = approx.copy()
        if exact.any():
            vals[exact] = tail(model, xs[exact], ns[exact], a[exact], b[exact], is_lower)
        out[rows, cols] = vals
    return lower, upper


def shewhart_limits(model: Model, n: np.ndarray, post_a: np.ndarray, post_b: np.ndarray,
                    dispersion: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Per-period limits on the ratio (normal approximation with the baseline's uncertainty
    and Laney's factor): p̂0 ∓ z_α sqrt(φ (p̂0 q̂0 / n + var p̂0)). NaN where n = 0.
    ``post_a``, ``post_b``, ``dispersion`` broadcast to the cells."""
    a, b, phi = post_a, post_b, dispersion
    p0 = posterior_mean(model, a, b)
    with np.errstate(divide="ignore", invalid="ignore"):
        if model == "binomial":
            var = p0 * (1.0 - p0) / n + a * b / ((a + b) ** 2 * (a + b + 1.0))
        else:
            var = p0 / n + a / b ** 2
        half = -special.ndtri(alpha) * np.sqrt(phi * var)
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
