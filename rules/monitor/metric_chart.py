"""One metric's charts: every agent and the team (last row) against their own baseline.

Per row: the baseline (the first ``baseline_periods`` periods from the row's first data),
its Jeffreys posterior, Laney's dispersion where asked, the CUSUM thresholds for a decline
and an improvement from the false-alarm rate, the two CUSUM paths with their Shewhart
part, and the shifted episodes. The false-alarm budget α per row and period is split
3α/8 to each CUSUM and α/8 to each side's single-period test.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rules.monitor.charts import (
    CusumPath,
    Episode,
    cusum,
    episodes,
    laney_dispersion,
    shewhart_limits,
    shewhart_tails,
)
from rules.monitor.counts import llr_weights, posterior, posterior_mean, shifted
from rules.monitor.design import posterior_increments, posterior_nodes, threshold
from rules.monitor.inputs import MetricSeries, Settings

CUSUM_SHARE = 3.0 / 8.0     # of the false-alarm rate, per side
SHEWHART_SHARE = 1.0 / 8.0


@dataclass(frozen=True)
class Side:
    """One direction: ``worse`` detects a decline, ``better`` an improvement."""

    p1: np.ndarray                 # (rows,) the shifted rate the CUSUM is tuned to
    h: np.ndarray                  # (rows,) alarm threshold
    path: CusumPath
    tails: np.ndarray              # (rows, T) predictive tail probability on this side
    episodes: list[Episode]


@dataclass(frozen=True)
class MetricChart:
    series: MetricSeries
    x: np.ndarray                  # (rows, T): agents, then the team
    n: np.ndarray
    first: np.ndarray              # (rows,) first period with data (T when none)
    start: np.ndarray              # (rows,) first monitored period (T when none)
    baseline_x: np.ndarray
    baseline_n: np.ndarray
    baseline: np.ndarray           # posterior mean of the baseline rate
    dispersion: np.ndarray
    design_trials: np.ndarray      # baseline trials per period
    lcl: np.ndarray                # (rows, T) per-period limits of the ratio
    ucl: np.ndarray
    worse: Side
    better: Side
    shewhart_alpha: float
    value: np.ndarray              # (rows, T) the ratio, NaN without trials


def _baseline(n: np.ndarray, periods: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(first, start, in_baseline mask) per row."""
    rows, t = n.shape
    has = n > 0
    first = np.where(has.any(axis=1), np.argmax(has, axis=1), t)
    start = np.minimum(first + periods, t)
    cols = np.arange(t)[None, :]
    mask = (cols >= first[:, None]) & (cols < start[:, None])
    return first, start, mask


def chart_metric(series: MetricSeries, settings: Settings) -> MetricChart:
    """All of one metric's charts (vectorised over rows; one loop over periods)."""
    x = np.vstack([series.successes, series.successes.sum(axis=0, keepdims=True)])
    n = np.vstack([series.trials, series.trials.sum(axis=0, keepdims=True)])
    model = series.model
    first, start, in_base = _baseline(n, settings.baseline_periods)
    bx = np.where(in_base, x, 0.0).sum(axis=1)
    bn = np.where(in_base, n, 0.0).sum(axis=1)
    a, b = posterior(model, bx, bn)
    p0 = posterior_mean(model, a, b)
    rows = x.shape[0]
    phi = np.ones(rows)
    if settings.dispersion != "none":
        which = slice(rows - 1, rows) if settings.dispersion == "team" else slice(0, rows)
        phi[which] = laney_dispersion(model, x[which], n[which], p0[which], in_base[which])
    base_periods = np.maximum(start - first, 1)
    trials = bn / base_periods
    alpha = settings.false_alarm_rate
    shift = np.full(rows, series.shift if series.shift is not None else settings.shift)
    shift[-1] = settings.team_shift
    live = np.arange(x.shape[1])[None, :] >= start[:, None]
    low_tail, high_tail = shewhart_tails(model, x, n, a, b, phi, live,
                                         screen=100 * SHEWHART_SHARE * alpha)
    alpha_s = SHEWHART_SHARE * alpha
    nodes = posterior_nodes(model, a, b)
    sides = {}
    for up in (False, True):
        p1 = shifted(model, p0, shift, up)
        weights = llr_weights(model, p0, p1)
        mu, sigma = posterior_increments(model, weights, nodes, trials, phi)
        h = threshold(CUSUM_SHARE * alpha, mu, sigma)
        h = np.where(bn > 0, h, np.inf)
        inc = np.where(n > 0, (weights[0][:, None] * x + weights[1][:, None] * n)
                       / phi[:, None], 0.0)
        tails = high_tail if up else low_tail
        path = cusum(inc, h, start, shewhart=tails < alpha_s)
        sides[up] = Side(p1, h, path, tails, episodes(path, start))
    lcl, ucl = shewhart_limits(model, n, a, b, phi, alpha_s)
    higher = series.higher
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(n > 0, x / np.where(n > 0, n, 1.0), np.nan)
    return MetricChart(series, x, n, first, start, bx, bn, p0, phi, trials, lcl, ucl,
                       worse=sides[not higher], better=sides[higher], shewhart_alpha=alpha_s,
                       value=value)
