"""One metric's charts: every agent and the team (last row), advanced period by period.

Per row: the baseline (the first ``baseline_periods`` periods from the row's first data),
its Jeffreys posterior, Laney's dispersion where asked, the CUSUM thresholds for a decline
and an improvement from the false-alarm rate, the two CUSUM paths with their Shewhart
part, and the shifted episodes dated by maximum likelihood. The false-alarm budget α per
row and period is split 3α/8 to each CUSUM and α/8 to each side's single-period test.

Agents are judged against their expected rate each period: their own level, moved by
the rest of the team's rate that day when ``Settings.judge_agents`` is ``team_day``
(:mod:`rules.monitor.expected`); the team row against its own baseline.

Everything a period's judgement needs is known by the end of that period, so the charts
are a state advanced by new columns (:func:`extend`): the full run is one call over the
whole history, a daily update one call over the new day, and the two give the same
numbers. :func:`view` turns a state into the arrays the table and flags read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from rules.monitor.charts import (
    Episode,
    Tracker,
    cusum,
    laney_dispersion,
    shewhart_limits,
    shewhart_tails,
)
from rules.monitor.counts import Model, llr_weights, posterior, posterior_mean, shifted
from rules.monitor.dating import date_change_two
from rules.monitor.design import posterior_increments, posterior_nodes, threshold
from rules.monitor.expected import (
    day_shift,
    expected,
    noise_dispersion,
    others_rate,
    reference_rate,
)
from rules.monitor.inputs import MetricSeries, Settings

CUSUM_SHARE = 3.0 / 8.0     # of the false-alarm rate, per side
DATING_EARLIER = 30         # periods before Page's estimate a start may lie
DATING_BEFORE = 60          # periods the level before a change is estimated from
DATING_AFTER = 60           # periods after the signal the level after it is estimated from
SHEWHART_SHARE = 1.0 / 8.0


@dataclass
class SideState:
    """One direction's charts: ``up`` watches for a rise of the rate."""

    up: bool
    h: np.ndarray                  # (rows,) alarm threshold (inf until designed)
    carried: np.ndarray            # (rows,) the statistic carried into the next period
    value: np.ndarray              # (rows, T) the CUSUM, NaN where not monitored
    tracker: Tracker
    closed: list[Episode] = field(default_factory=list)


@dataclass
class ChartState:
    """Everything the charts of one metric carry from one period to the next."""

    series: MetricSeries           # name, model, direction; counts are ``x``/``n`` below
    x: np.ndarray                  # (rows, T): agents, then the team
    n: np.ndarray
    q: np.ndarray                  # (rows, T) expected rate of each monitored period
    first: np.ndarray              # (rows,) first period with data, −1 before any
    designed: np.ndarray           # (rows,) bool: baseline complete, thresholds set
    post_a: np.ndarray             # (rows,) baseline posterior (NaN until designed)
    post_b: np.ndarray
    dispersion: np.ndarray         # Laney's factor × the team-day noise factor
    laney: np.ndarray              # Laney's factor alone (exact tails only where it is 1)
    design_trials: np.ndarray
    reference: np.ndarray          # r̄_c of the team-day adjustment (NaN: not adjusted)
    shift: np.ndarray              # (rows,) relative change the CUSUMs are tuned to
    worse: SideState
    better: SideState

    baseline_periods: int = 28     # each row's baseline length (Settings.baseline_periods)

    @property
    def periods(self) -> int:
        return self.x.shape[1]

    @property
    def start(self) -> np.ndarray:
        """(rows,) first monitored period (−1 before any data)."""
        return np.where(self.first >= 0, self.first + self.baseline_periods, -1)


@dataclass(frozen=True)
class Side:
    """One direction of the view: ``worse`` detects a decline, ``better`` an improvement."""

    h: np.ndarray
    value: np.ndarray
    episodes: list[Episode]


@dataclass(frozen=True)
class MetricChart:
    series: MetricSeries
    x: np.ndarray                  # (rows, T): agents, then the team
    n: np.ndarray
    q: np.ndarray                  # (rows, T) expected rate (NaN where not monitored)
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
    value: np.ndarray              # (rows, T) the ratio, NaN without trials


def _empty(series: MetricSeries, settings: Settings, agents: int) -> ChartState:
    rows = agents + 1
    nan = np.full(rows, np.nan)
    shift = np.full(rows, series.shift if series.shift is not None else settings.shift)
    shift[-1] = settings.team_shift
    higher = series.higher

    def side(up: bool) -> SideState:
        return SideState(up, np.full(rows, np.inf), np.zeros(rows), np.zeros((rows, 0)),
                         Tracker.empty(rows))

    st = ChartState(series, np.zeros((rows, 0)), np.zeros((rows, 0)), np.zeros((rows, 0)),
                    np.full(rows, -1), np.zeros(rows, dtype=bool), nan.copy(), nan.copy(),
                    nan.copy(), nan.copy(), nan.copy(), nan.copy(), shift, worse=side(not higher),
                    better=side(higher), baseline_periods=settings.baseline_periods)
    return st


def _adjusted(settings: Settings) -> bool:
    return settings.judge_agents == "team_day"


def _design(st: ChartState, rows: np.ndarray, settings: Settings) -> None:
    """Baselines and thresholds of ``rows``, whose baseline periods are all in."""
    model: Model = st.series.model
    first = st.first[rows]
    start = first + settings.baseline_periods
    # the baseline periods gathered into (rows, B): every sum below runs over the same
    # cells in the same order whether the history came in one piece or day by day
    idx = first[:, None] + np.arange(settings.baseline_periods)[None, :]
    x, n = st.x[rows[:, None], idx], st.n[rows[:, None], idx]
    in_base = np.ones(x.shape, dtype=bool)
    bx = x.sum(axis=1)
    bn = n.sum(axis=1)
    a, b = posterior(model, bx, bn)
    p0 = posterior_mean(model, a, b)
    team = rows == st.x.shape[0] - 1
    phi = np.ones(len(rows))
    mode = settings.dispersion
    laney = team if mode == "team" else np.full(len(rows), mode == "all")
    if laney.any():
        phi[laney] = laney_dispersion(model, x[laney], n[laney], p0[laney], in_base[laney])
    st.laney[rows] = phi
    ref = np.full(len(rows), np.nan)
    agent = ~team
    if _adjusted(settings) and agent.any():
        ox, on = others_rate(x[agent], n[agent], st.x[-1, idx[agent]], st.n[-1, idx[agent]])
        noise = noise_dispersion(n[agent], on, in_base[agent])
        ok = ~np.isnan(noise)
        ref[agent] = np.where(ok, reference_rate(ox, on, n[agent], in_base[agent]), np.nan)
        phi[agent] *= np.where(ok, noise, 1.0)
    trials = bn / settings.baseline_periods
    nodes = posterior_nodes(model, a, b)
    for side in (st.worse, st.better):
        p1 = shifted(model, p0, st.shift[rows], side.up)
        mu, sigma = posterior_increments(model, llr_weights(model, p0, p1), nodes, trials,
                                         phi)
        h = threshold(CUSUM_SHARE * settings.false_alarm_rate, mu, sigma)
        side.h[rows] = np.where(bn > 0, h, np.inf)
        side.tracker.begin(rows, start)
    st.post_a[rows], st.post_b[rows] = a, b
    st.dispersion[rows], st.design_trials[rows], st.reference[rows] = phi, trials, ref
    st.designed[rows] = True


def _expected(st: ChartState, cols: slice, settings: Settings,
              rows: np.ndarray | None = None) -> np.ndarray:
    """(rows, k) expected rates of the columns ``cols`` (NaN for rows not designed);
    only ``rows`` (a bool mask) when given, the others NaN."""
    model: Model = st.series.model
    p0 = posterior_mean(model, st.post_a, st.post_b)
    k = st.x[:, cols].shape[1]
    pick = st.designed if rows is None else st.designed & rows
    q = np.where(pick[:, None], np.repeat(p0[:, None], k, axis=1), np.nan)
    agents = pick.copy()
    agents[-1] = False
    if _adjusted(settings) and agents.any():
        ox, on = others_rate(st.x[agents, cols], st.n[agents, cols], st.x[-1, cols],
                             st.n[-1, cols])
        q[agents] = expected(model, p0[agents],
                             day_shift(model, ox, on, st.reference[agents]))
    return q


def _cell_posterior(model: Model, st: ChartState, q: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray]:
    """The baseline posterior moved to each cell's expected rate, its spread kept (a share:
    the same a + b; a rate: the same shape). Unmoved cells keep (a, b) exactly."""
    a, b = st.post_a[:, None], st.post_b[:, None]
    p0 = posterior_mean(model, a, b)
    moved = q != p0
    if model == "binomial":
        k = a + b
        return np.where(moved, q * k, a), np.where(moved, (1.0 - q) * k, b)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.broadcast_to(a, q.shape), np.where(moved, a / q, b)


def extend(state: ChartState | None, series: MetricSeries, settings: Settings
           ) -> ChartState:
    """Advance the charts by the periods in ``series`` (agents × new periods); a new state
    from ``None``. The state is updated in place and returned."""
    model: Model = series.model
    agents = series.successes.shape[0]
    st = _empty(series, settings, agents) if state is None else state
    t0 = st.periods
    xa = np.asarray(series.successes, float)
    na = np.asarray(series.trials, float)
    x_new = np.vstack([xa, xa.sum(axis=0, keepdims=True)])
    n_new = np.vstack([na, na.sum(axis=0, keepdims=True)])
    if series.section == "bot":            # the team's only: no agent rows
        x_new[:-1] = 0.0
        n_new[:-1] = 0.0
    st.x = np.hstack([st.x, x_new])
    st.n = np.hstack([st.n, n_new])
    t1 = st.periods
    has = n_new > 0
    fresh = (st.first < 0) & has.any(axis=1)
    st.first[fresh] = t0 + np.argmax(has[fresh], axis=1)
    start = st.start
    due = ~st.designed & (st.first >= 0) & (start < t1)
    if due.any():
        _design(st, np.flatnonzero(due), settings)
        # expected rates of the new rows' earlier periods (their baseline), for dating
        if t0 > 0:
            old = _expected(st, slice(0, t0), settings, due)
            st.q = np.where(due[:, None], old, st.q)
    new = slice(t0, t1)
    q = _expected(st, new, settings)
    st.q = np.hstack([st.q, q])
    k = t1 - t0
    rel_start = np.where(st.designed, start - t0, k)
    live = np.arange(k)[None, :] >= rel_start[:, None]
    a, b = _cell_posterior(model, st, q)
    phi = st.dispersion[:, None]
    alpha = settings.false_alarm_rate
    low_tail, high_tail = shewhart_tails(model, x_new, n_new, a, b, phi, live,
                                         screen=100 * SHEWHART_SHARE * alpha,
                                         laney=st.laney[:, None])
    qq = np.where(live, q, 0.5)
    for side in (st.worse, st.better):
        q1 = shifted(model, qq, st.shift[:, None], side.up)
        wa, wb = llr_weights(model, qq, q1)
        inc = np.where(live & (n_new > 0), (wa * x_new + wb * n_new) / phi, 0.0)
        tails = high_tail if side.up else low_tail
        path = cusum(inc, side.h, rel_start, shewhart=tails < SHEWHART_SHARE * alpha,
                     s0=side.carried)
        side.value = np.hstack([side.value, path.value])
        side.carried = path.carried[:, -1].copy() if k else side.carried
        for j in range(k):
            for c, lo, page, sig_at, until, cus in side.tracker.step(
                    t0 + j, live[:, j], path.signal[:, j], path.by_cusum[:, j],
                    path.carried[:, j]):
                side.closed.append(_dated(st, side.up, c, lo, page, sig_at, until, cus,
                                          False))
    return st


def _dated(st: ChartState, up: bool, c: int, lo: int, page: int, signalled: int,
           until: int, by_cusum: bool, ongoing: bool) -> Episode:
    """An episode of chart ``c`` dated by maximum likelihood: candidates lo..signalled,
    the data up to ``until``."""
    # candidates: from a month before Page's estimate (the chart rarely stands above zero
    # for long before a change) to the signal; the level before the change re-estimated
    # from up to DATING_BEFORE periods before the first candidate (the row's baseline
    # included) or, after an earlier episode on this side, from that one's end; the level
    # after it from up to DATING_AFTER periods past the signal
    first_cand = max(lo, page - DATING_EARLIER)
    floor = int(st.first[c]) if lo == st.start[c] else lo
    pre_from = max(floor, first_cand - DATING_BEFORE)
    cut = slice(pre_from, min(until, signalled + DATING_AFTER) + 1)
    cp = date_change_two(st.series.model, st.x[c, cut], st.n[c, cut], st.q[c, cut],
                         first_cand - pre_from, signalled, pre_from)
    return Episode(c, cp.since, signalled, until, ongoing, by_cusum, page, cp.low, cp.high)


def _episodes(st: ChartState, side: SideState) -> list[Episode]:
    """Closed episodes and the ones open now (dated with every period so far)."""
    tr = side.tracker
    last = st.periods - 1
    open_ = [_dated(st, side.up, int(c), int(tr.window_from[c]), int(tr.open_page[c]),
                    int(tr.open_at[c]), last, bool(tr.open_cusum[c]), True)
             for c in np.flatnonzero(tr.open_at >= 0)]
    return sorted(side.closed + open_, key=lambda e: (e.chart, e.since))


def view(st: ChartState, settings: Settings) -> MetricChart:
    """The arrays the table, the flags and the outputs read."""
    model: Model = st.series.model
    t = st.periods
    first = np.where(st.first >= 0, st.first, t)
    start = np.where(st.designed, st.start, t)
    cols = np.arange(t)[None, :]
    end = np.minimum(first + settings.baseline_periods, t)
    in_base = (cols >= first[:, None]) & (cols < end[:, None])
    bx = np.where(in_base, st.x, 0.0).sum(axis=1)
    bn = np.where(in_base, st.n, 0.0).sum(axis=1)
    a0, b0 = posterior(model, bx, bn)
    live = (cols >= start[:, None]) & st.designed[:, None]
    q = np.where(live, st.q, np.nan)
    a, b = _cell_posterior(model, st, np.where(live, st.q, 0.5))
    with np.errstate(invalid="ignore", divide="ignore"):
        lcl, ucl = shewhart_limits(model, st.n, a, b, st.dispersion[:, None],
                                   SHEWHART_SHARE * settings.false_alarm_rate)
        value = np.where(st.n > 0, st.x / np.where(st.n > 0, st.n, 1.0), np.nan)
    lcl = np.where(live, lcl, np.nan)
    ucl = np.where(live, ucl, np.nan)
    baseline = np.where(st.designed, posterior_mean(model, st.post_a, st.post_b),
                        posterior_mean(model, a0, b0))
    return MetricChart(st.series, st.x, st.n, q, first, start, bx, bn, baseline,
                       np.where(st.designed, st.dispersion, np.nan),
                       np.where(st.designed, st.design_trials, np.nan), lcl, ucl,
                       worse=Side(st.worse.h, st.worse.value, _episodes(st, st.worse)),
                       better=Side(st.better.h, st.better.value, _episodes(st, st.better)),
                       value=value)


def chart_metric(series: MetricSeries, settings: Settings) -> MetricChart:
    """All of one metric's charts over the whole history (one :func:`extend`)."""
    return view(extend(None, series, settings), settings)
