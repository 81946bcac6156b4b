"""The daily update: advancing the charts' state by one day at a time gives exactly what
one run over the whole history gives (reference: the full run, rules.monitor.monitor) —
every table cell, CUSUM value, limit, status, flag and its dated start."""

from __future__ import annotations

import numpy as np
import pytest

from rules.monitor import MetricSeries, MonitorInputs, Settings, advance, judge, monitor
from rules.monitor.synth import synthetic_panel


def _inputs(judge_agents: str, periods: int = 75) -> MonitorInputs:
    rng = np.random.default_rng(8)
    conv = synthetic_panel(rng, agents=25, periods=periods, trials_mean=40, rate_mean=0.35,
                           rate_sd=0.05, changed=5, change_from=30, change_to=70,
                           factor=0.75, day_off_every=7)
    comp = synthetic_panel(rng, agents=25, periods=periods, trials_mean=120,
                           rate_mean=0.01, rate_sd=0.003, model="poisson", changed=3,
                           change_from=30, factor=1.6)
    qa = synthetic_panel(rng, agents=25, periods=periods, trials_mean=0.5, rate_mean=0.95)
    # an agent who joins on day 20, another who leaves after day 40
    for m in (conv, comp, qa):
        m.trials[3, :20] = 0
        m.successes[3, :20] = 0
        m.trials[4, 40:] = 0
        m.successes[4, 40:] = 0
    metrics = (
        MetricSeries("conversion", "core", "binomial", True, 0.35, None, conv.successes,
                     conv.trials),
        MetricSeries("complaint_rate", "auxiliary", "poisson", False, 0.01, None,
                     comp.successes, comp.trials),
        MetricSeries("qa_pass", "floor", "binomial", True, None, 0.85, qa.successes,
                     qa.trials))
    return MonitorInputs(np.datetime64("2026-01-05") + np.arange(periods),
                         tuple(f"A{i:02d}" for i in range(25)), metrics,
                         Settings(baseline_periods=21, judge_agents=judge_agents))


def _cut(inp: MonitorInputs, cols: slice) -> MonitorInputs:
    ms = tuple(MetricSeries(m.name, m.section, m.model, m.higher, m.target, m.floor,
                            m.successes[:, cols], m.trials[:, cols], m.shift)
               for m in inp.metrics)
    return MonitorInputs(inp.dates[cols], inp.agents, ms, inp.settings)


def _same(a, b) -> None:
    assert [(f.row, f.metric, f.kind, f.since, f.since_low, f.since_high, f.signalled,
             f.statistic) for f in a.flags] == \
        [(f.row, f.metric, f.kind, f.since, f.since_low, f.since_high, f.signalled,
          f.statistic) for f in b.flags]
    for name, ma in a.metrics.items():
        mb = b.metrics[name]
        ca, cb = ma.chart, mb.chart
        for field in ("x", "n", "q", "lcl", "ucl", "value", "baseline", "dispersion",
                      "first", "start"):
            np.testing.assert_array_equal(getattr(ca, field), getattr(cb, field), field)
        for side in ("worse", "better"):
            sa, sb = getattr(ca, side), getattr(cb, side)
            np.testing.assert_array_equal(sa.value, sb.value)
            np.testing.assert_array_equal(sa.h, sb.h)
            assert sa.episodes == sb.episodes
        np.testing.assert_array_equal(ma.status, mb.status)
        for lv, ro in ma.rollups.items():
            np.testing.assert_array_equal(ro.status, mb.rollups[lv].status)
        assert ma.ranking == mb.ranking
        np.testing.assert_array_equal(ma.naive, mb.naive)


@pytest.mark.parametrize("judge_agents", ["team_day", "own"])
def test_appending_days_one_by_one_equals_the_full_run(judge_agents):
    inp = _inputs(judge_agents)
    full = monitor(inp)
    assert any(f.kind == "decline" for f in full.flags)
    state = advance(None, _cut(inp, slice(0, 10)))
    for t in range(10, len(inp.dates)):
        state = advance(state, _cut(inp, slice(t, t + 1)))
        if t in (30, 50):       # the table on a morning equals a full run to that day
            _same(judge(state), monitor(_cut(inp, slice(0, t + 1))))
    _same(judge(state), full)


def test_appending_a_week_at_once_equals_the_full_run():
    inp = _inputs("team_day")
    state = advance(None, _cut(inp, slice(0, 40)))
    for t in range(40, len(inp.dates), 7):
        state = advance(state, _cut(inp, slice(t, t + 7)))
    _same(judge(state), monitor(inp))
