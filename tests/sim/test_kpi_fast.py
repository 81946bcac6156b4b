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
from tests.sim.table_adapter import as_today
from tests.sim.test_compiled import L, N, base, feature, flagship_like

KPI_FUNCTIONS = ("agent_kpi_tables", "busy_time", "interval_metrics", "overtime",
                 "team_metrics")


def _reference(name: str):
    """The frozen function, called as the runner calls today's (the waiting time the
    runner now passes in is left out, and the contacts' intervals: the reference computes
    its own)."""
    return as_today(getattr(ref, name), name in ("interval_metrics", "team_metrics"))


def _with_reference(monkeypatch, model, demand, seed, rep):
    with monkeypatch.context() as m:
        for name in KPI_FUNCTIONS:
            m.setattr(runner, name, _reference(name))
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


@pytest.mark.parametrize("scale", [0.05, 3.0, 40.0])  # Poisson by inversion and by PTRS
def test_draws_skipping_zeros_equal_one_draw(scale: float) -> None:
    """Reference: numpy's own draw of the whole matrix. Drawing only the non-zero means
    (trials) gives the same numbers and leaves the stream where the whole draw does."""
    from sim.runner import binomial_nonzero, poisson_nonzero

    lam = np.random.default_rng(3).random((37, 29)) * scale
    lam[np.random.default_rng(4).random(lam.shape) < 0.6] = 0.0
    one, skip = np.random.default_rng(9), np.random.default_rng(9)
    whole = one.poisson(lam)
    fast = poisson_nonzero(skip, lam)
    assert fast.dtype == whole.dtype and np.array_equal(fast, whole)
    assert np.array_equal(binomial_nonzero(skip, fast, 0.37), one.binomial(whole, 0.37))
    assert one.bit_generator.state == skip.bit_generator.state
    assert one.random() == skip.random()


def test_duty_matrix_against_a_loop() -> None:
    """Reference: each span marked in turn (overlapping spans, spans outside the horizon
    and empty spans included)."""
    from sim.model import Duty

    rng = np.random.default_rng(1)
    n, people = 20, 9
    person = rng.integers(0, people, 60)
    on = rng.integers(-4, n + 3, 60).astype(float)
    off = on + rng.integers(0, 8, 60)
    duty = Duty(tuple(f"E{i}" for i in range(people)), person, on * L, off * L)
    want = np.zeros((people, n), bool)
    for p, i, j in zip(person, on.astype(int), off.astype(int), strict=True):
        for t in range(max(i, 0), min(j, n)):  # (a slice would wrap for a span before 0)
            want[p, t] = True
    got = duty.matrix(L, n)
    assert got.dtype == bool and np.array_equal(got, want)


def test_without_agent_tables_the_rest_is_the_same() -> None:
    """Reference: the same replication with its agent tables."""
    model, demand = flagship_like()
    full = simulate(model, demand, 3, 1, kernel="python")
    light = simulate(model, demand, 3, 1, kernel="python", agent_tables=False)
    assert full.agents and light.agents == {} and light.agents_horizon == {}
    light.agents, light.agents_horizon = full.agents, full.agents_horizon
    _same(full, light)


def _old_routing(model, agents) -> dict:
    """Reference: sim.kernel.Desk._routing's agent-by-agent loops as they stood (523d4fa)."""
    nc, na = len(model.channels), len(agents)
    pool_names = [p.name for p in model.pools]
    tier_of = [[-1] * nc for _ in range(na)]
    for k, ch in enumerate(model.channels):
        skilled = tuple(p.name for p in model.pools if ch.name in p.skills)
        tiers = model.router.tiers(ch.name, skilled)
        for a in range(na):
            for ti, t in enumerate(tiers):
                if pool_names[agents.pool[a]] in t.pools:
                    tier_of[a][k] = ti
    skills = [[k for k in range(nc) if tier_of[a][k] >= 0] for a in range(na)]
    names = [c.name for c in model.channels]
    rank = None if model.priority is None else [
        model.priority.index(n) if n in model.priority else len(model.priority) for n in names]
    cap = [c.concurrency for c in model.channels]
    yields = [[] for _ in range(nc)]
    if rank is not None:
        for k in range(nc):
            above = sorted({j for a in range(na) if tier_of[a][k] >= 0
                            for j in skills[a] if rank[j] < rank[k]})
            if cap[k] > 1 and above:
                yields[k] = above
    blended = [any(yields[k] and any(tier_of[a][j] >= 0 for j in yields[k])
                   for k in skills[a]) for a in range(na)]
    return {"tier_of": tier_of, "skills": skills, "yields": yields, "blended": blended}


@pytest.mark.parametrize("name", ["flagship_like", "priority", "blended_chat",
                                  "overflow_after_wait", "people_rosters"])
def test_routing_tables_per_pool_equal_the_agent_by_agent_loops(name: str) -> None:
    from sim.agents import build_agents
    from sim.kernel import Desk
    from sim.recorder import Recorder
    from sim.streams import Streams

    model, demand = flagship_like() if name == "flagship_like" else feature(name)
    st = Streams(2, 0)
    agents = build_agents(model, st["agents"])
    rates = [np.asarray(demand.rates[c.name], float) for c in model.channels]
    desk = Desk(model, rates, agents, st, Recorder())
    want = _old_routing(model, agents)
    for k, v in want.items():
        assert getattr(desk, k) == v, k
    assert any(desk.blended) == (name in ("flagship_like", "priority"))


@pytest.mark.parametrize("weighted", [False, True])
def test_overlap_bit_for_bit_with_long_spans(weighted: bool) -> None:
    """Reference: the frozen overlap. Spans of every length (up to the whole horizon,
    some outside it): the later rounds, with few spans left, take the short path."""
    from sim.kpi import overlap

    rng = np.random.default_rng(8)
    n = 50_000
    start = rng.uniform(-600, 48 * 1800.0, n)
    end = start + rng.exponential(300.0, n) * np.where(rng.random(n) < 0.01, 200.0, 1.0)
    groups = rng.integers(0, 300, n)
    w = 1.0 / rng.integers(1, 4, n) if weighted else None
    want = ref.overlap(start, end, groups, 300, 1800.0, 48, w)
    got = overlap(start, end, groups, 300, 1800.0, 48, w)
    assert np.array_equal(got, want)
    assert (end - start).max() > 20 * 1800.0  # long spans: many rounds


@pytest.mark.parametrize("case", sorted(CASES))
def test_queue_only_gives_the_same_intervals(case: str) -> None:
    """Reference: the same replication with every KPI (``queue_only`` False). The queue-only
    replication draws no outcomes, outbound work or missed rings — each from its own stream
    (sim.streams), so the desk's draws and the interval KPIs are the same bit for bit."""
    model, demand = CASES[case]()
    for rep in (0, 1):
        full = simulate(model, demand, 5, rep, kernel="python")
        light = simulate(model, demand, 5, rep, kernel="python", queue_only=True)
        assert light.channels == {} and light.team == {} and light.agents == {}
        assert light.agents_horizon == {} and light.waiting_at_end == full.waiting_at_end
        assert list(light.intervals) == list(full.intervals)
        for ch, kv in full.intervals.items():
            assert list(light.intervals[ch]) == list(kv)
            for k, v in kv.items():
                assert v.dtype == light.intervals[ch][k].dtype, (ch, k)
                assert np.array_equal(v, light.intervals[ch][k], equal_nan=True), (ch, k)


def test_queue_only_through_the_pool_functions() -> None:
    """Reference: run_replications with every KPI; one worker and two give the same."""
    from sim.runner import run_replications

    model, demand = flagship_like()
    full = run_replications(model, demand, 3, 11)
    for workers in (1, 2):
        light = run_replications(model, demand, 3, 11, workers=workers, queue_only=True)
        for a, b in zip(full.outputs, light.outputs, strict=True):
            assert b.team == {} and b.channels == {}
            for ch, kv in a.intervals.items():
                for k, v in kv.items():
                    assert np.array_equal(v, b.intervals[ch][k], equal_nan=True), (ch, k)
