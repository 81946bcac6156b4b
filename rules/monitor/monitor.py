"""The monitoring table and its flags, from count panels (see :mod:`rules.monitor`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from rules.monitor.floor import floor_tail, trailing_sums
from rules.monitor.inputs import MetricSeries, MonitorInputs, Settings
from rules.monitor.metric_chart import ChartState, MetricChart, extend, view
from rules.monitor.naive import naive_flags
from rules.monitor.ranking import Ranking, rank_agents
from rules.monitor.rollup import Level, groups, last_period, sum_by
from rules.monitor.status import cell_status, episode_mask

Kind = Literal["decline", "improvement", "below_floor"]


@dataclass(frozen=True)
class Rollup:
    """Week or month cells: counts summed over the calendar group, status per cell."""

    level: Level
    starts: np.ndarray            # datetime64[D] per group
    x: np.ndarray                 # (rows, groups)
    n: np.ndarray
    status: np.ndarray


@dataclass(frozen=True)
class Flag:
    """A row that is, at the last period, in a decline or improvement episode, or below its
    floor. ``row`` is None for the team. Counts and rates behind it are kept for the
    evidence sentence (written by the output layer in the reader's language)."""

    row: int | None
    metric: str
    kind: Kind
    since: int                    # period index: estimated start
    signalled: int                # period index: first period with enough evidence
    x: float                      # successes and trials from ``since`` to the last period
    n: float
    baseline_x: float
    baseline_n: float
    baseline: float               # the row's own baseline rate (posterior mean)
    statistic: float              # CUSUM at the last period, or the floor test's P-value
    threshold: float              # the CUSUM's h, or 1 − floor confidence
    by_cusum: bool
    floor: float | None = None
    since_low: int = -1           # the start's interval (declines and improvements)
    since_high: int = -1
    since_page: int = -1          # Page's last-zero estimate, for comparison


@dataclass(frozen=True)
class MetricResult:
    chart: MetricChart
    status: np.ndarray            # (rows, T) codes of rules.monitor.status.STATUSES
    rollups: dict[str, Rollup]
    ranking: Ranking | None      # core metrics only
    naive: np.ndarray             # (agents,) the naive rule's flags (core metrics)


@dataclass(frozen=True)
class MonitorResult:
    inputs: MonitorInputs
    metrics: dict[str, MetricResult]
    flags: list[Flag]
    rank_from: int                # first period of the ranking window

    @property
    def team_row(self) -> int:
        return len(self.inputs.agents)


@dataclass
class MonitorState:
    """The charts of every metric, as far as the history goes: what a daily update
    continues from (:func:`advance`)."""

    dates: np.ndarray
    agents: tuple[str, ...]
    settings: Settings
    charts: dict[str, ChartState]


def advance(state: MonitorState | None, inputs: MonitorInputs) -> MonitorState:
    """The state after the periods of ``inputs`` (which follow the state's last date, with
    the same agents and metrics); a new state from ``None``. The old state is used up."""
    if state is None:
        state = MonitorState(np.asarray(inputs.dates[:0], dtype="datetime64[D]"),
                             inputs.agents, inputs.settings, {})
    for series in inputs.metrics:
        state.charts[series.name] = extend(state.charts.get(series.name), series,
                                           state.settings)
    state.dates = np.concatenate([state.dates, np.asarray(inputs.dates, "datetime64[D]")])
    return state


def monitor(inputs: MonitorInputs) -> MonitorResult:
    """Chart every metric for every agent and the team, judge every cell, roll the days up
    into weeks and months, rank the agents and list the flags standing at the last period."""
    return judge(advance(None, inputs))


def judge(state: MonitorState) -> MonitorResult:
    """The table, the roll-ups, the ranking and the flags standing at the state's last
    period (cheap: the charts are already advanced)."""
    s = state.settings
    periods = len(state.dates)
    levels: tuple[Level, ...] = ("week", "month") if s.period == "day" else ("month",)
    calendar = {lv: groups(state.dates, lv) for lv in levels}
    window = min(s.rank_window, periods)
    out: dict[str, MetricResult] = {}
    flags: list[Flag] = []
    metrics = []
    for st in state.charts.values():
        ch = view(st, s)
        series = MetricSeries(st.series.name, st.series.section, st.series.model,
                              st.series.higher, st.series.target, st.series.floor,
                              ch.x[:-1], ch.n[:-1], st.series.shift)
        metrics.append(series)
        shape = ch.x.shape
        declined = episode_mask(shape, ch.worse.episodes)
        improved = episode_mask(shape, ch.better.episodes)
        status = cell_status(series, ch.x, ch.n, declined, improved, s.floor_confidence)
        rollups = {}
        for lv, g in calendar.items():
            gx, gn = sum_by(ch.x, g), sum_by(ch.n, g)
            last = last_period(ch.n, g)
            rows = np.arange(shape[0])[:, None]
            safe = np.maximum(last, 0)
            rollups[lv] = Rollup(lv, g.starts, gx, gn, cell_status(
                series, gx, gn, declined[rows, safe] & (last >= 0),
                improved[rows, safe] & (last >= 0), s.floor_confidence))
        agents = len(state.agents)
        xs = series.successes[:, periods - window:].sum(axis=1)
        ns = series.trials[:, periods - window:].sum(axis=1)
        # the ranking people see is on the core metric (seed practice)
        ranking = rank_agents(series.model, xs, ns, series.higher, seed=s.seed,
                              level=s.rank_level) if series.section == "core" else None
        naive = naive_flags(series.successes, series.trials, series.higher, window)
        out[series.name] = MetricResult(ch, status, rollups, ranking, naive)
        flags += _shift_flags(ch, agents)
        flags += _floor_flags(ch, agents, s)
    inputs = MonitorInputs(state.dates, state.agents, tuple(metrics), s)
    return MonitorResult(inputs, out, flags, periods - window)


def _shift_flags(ch: MetricChart, agents: int) -> list[Flag]:
    out = []
    last = ch.x.shape[1] - 1
    for side, kind in ((ch.worse, "decline"), (ch.better, "improvement")):
        for e in side.episodes:
            if not e.ongoing:
                continue
            c = e.chart
            out.append(Flag(None if c == agents else c, ch.series.name, kind, e.since,
                            e.signalled, float(ch.x[c, e.since:].sum()),
                            float(ch.n[c, e.since:].sum()), float(ch.baseline_x[c]),
                            float(ch.baseline_n[c]), float(ch.baseline[c]),
                            float(side.value[c, last]), float(side.h[c]), e.by_cusum,
                            since_low=e.since_low, since_high=e.since_high,
                            since_page=e.since_page))
    return out


def _floor_flags(ch: MetricChart, agents: int, s: Settings) -> list[Flag]:
    """Rows whose trailing window at the last period is below the floor; dated from the
    first period of the run of failing windows that reaches the last period."""
    series = ch.series
    if series.floor is None:
        return []
    w = max(1, min(s.floor_window, ch.x.shape[1]))
    xs, ns = trailing_sums(ch.x, w), trailing_sums(ch.n, w)
    p = floor_tail(series.model, xs, ns, series.floor, series.higher)
    fails = (p < 1.0 - s.floor_confidence) & (ns > 0)
    out = []
    for c in np.flatnonzero(fails[:, -1]):
        ok = np.flatnonzero(~fails[c])
        since = int(ok[-1]) + 1 if len(ok) else 0
        out.append(Flag(None if c == agents else int(c), series.name, "below_floor", since,
                        since, float(xs[c, -1]), float(ns[c, -1]), float(ch.baseline_x[c]),
                        float(ch.baseline_n[c]), float(ch.baseline[c]), float(p[c, -1]),
                        1.0 - s.floor_confidence, False, series.floor))
    return out
