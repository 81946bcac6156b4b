"""The replication's KPIs after the per-replication cuts, against the code before them.

Reference: tests/sim/reference_kpi.py, sim/kpi.py as it stood before the cuts (frozen
copy). The cuts only reorganise the same sums (one bincount over all answered contacts
with zero weights where the old code gathered a subset; no zero-padded copy where the days
fill the horizon; a matrix of zeros summed as zeros), so every KPI of every replication —
team, interval and agent tables, per day and over the horizon, overtime — must be equal bit
for bit, on cases that exercise each branch: the flagship-like model with every feature
(voice + chat, priority, rosters, outcomes, overtime), a horizon of whole days (no
padding), outbound work in both modes (zero and non-zero outbound matrices) and a desk with
no agents.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import sim.runner as runner
from sim.model import OutboundModel
from sim.runner import Demand, simulate
from tests.sim import reference_kpi as ref
from tests.sim.test_compiled import L, N, base, feature, flagship_like

KPI_FUNCTIONS = ("agent_kpis", "busy_time", "interval_metrics", "overtime", "team_metrics")


def _with_reference(monkeypatch, model, demand, seed, rep):
    with monkeypatch.context() as m:
        for name in KPI_FUNCTIONS:
            m.setattr(runner, name, getattr(ref, name))
        return simulate(model, demand, seed, rep, kernel="python")


def _same(a, b) -> None:
    assert a.team == b.team
    for ch in a.channels:
        for k, v in a.channels[ch].items():
            assert np.array_equal(v, b.channels[ch][k], equal_nan=True), (ch, k)
    for ch in a.intervals:
        for k, v in a.intervals[ch].items():
            assert v.dtype == b.intervals[ch][k].dtype, (ch, k)
            assert np.array_equal(v, b.intervals[ch][k], equal_nan=True), (ch, k)
    for table in ("agents", "agents_horizon"):
        x, y = getattr(a, table), getattr(b, table)
        assert list(x) == list(y), table
        for k, v in x.items():
            assert v.dtype == y[k].dtype, (table, k)
            assert np.array_equal(v, y[k], equal_nan=True), (table, k)


def _whole_days() -> tuple:
    """Two days of 3-hour intervals: the days fill the horizon (no zero padding)."""
    m, _ = feature("repeats")
    n = 16
    pool = dataclasses.replace(m.pools[0], staffing=np.tile([2, 6, 12, 14, 14, 12, 8, 4], 2))
    return (dataclasses.replace(m, pools=(pool,), interval_s=6 * L, n_intervals=n),
            Demand({"voice": np.tile([40.0, 150, 400, 500, 480, 380, 200, 60], 2)}))


def _outbound(mode: str) -> tuple:
    m, d = base()
    return dataclasses.replace(m, outbound=OutboundModel(mode=mode)), d


CASES = {
    "flagship_like": flagship_like,
    "whole_days": _whole_days,
    "outbound_idle": lambda: _outbound("idle"),
    "outbound_ready_time": lambda: _outbound("ready_time"),
    "people_rosters": lambda: feature("people_rosters"),
    "no_agents": lambda: (dataclasses.replace(base()[0], pools=(dataclasses.replace(
        base()[0].pools[0], staffing=np.zeros(N, np.int64)),)), base()[1]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_kpis_bit_for_bit_against_the_code_before(case: str, monkeypatch) -> None:
    model, demand = CASES[case]()
    for rep in (0, 1):
        old = _with_reference(monkeypatch, model, demand, 5, rep)
        new = simulate(model, demand, 5, rep, kernel="python")
        _same(old, new)


def test_the_cases_reach_the_branches() -> None:
    """The whole-days case has several days that fill the horizon; the flagship-like one
    a day cut short (padding) — so both paths of by_day are compared above."""
    m, _ = _whole_days()
    day = round(86400 / m.interval_s)
    assert m.n_intervals % day == 0 and m.n_intervals // day >= 2
    m1, _ = flagship_like()
    assert m1.n_intervals % round(86400 / m1.interval_s) != 0
