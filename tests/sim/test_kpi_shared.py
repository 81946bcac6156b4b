"""The KPI passes' shared pieces (issue 25, fourth pass) against the code before them.

Reference: tests/sim/reference_replication.py (the frozen busy_time, queue_time, overtime
and agent tables: each computes its own floor divisions) and numpy's own floor division of
the times. The cases put times exactly on interval and day boundaries and one float either
side of them, outside the horizon, and spans empty, infinite or never closed (NaN), where
a floor division or a clip that differed from numpy's would show.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import sim.kpi as kpi
from sim import compiled
from sim.recorder import ContactRecords
from tests.sim import reference_replication as ref
from tests.sim.test_compiled import base, flagship_like

pytestmark = [pytest.mark.skipif(not compiled.available(), reason="numba not installed")]


def _times(rng: np.random.Generator, n: int, step: float, horizon: float) -> np.ndarray:
    """Random times, exact multiples of ``step`` and their float neighbours, beyond the
    horizon and (a few) before 0."""
    k = rng.integers(0, int(horizon // step) + 3, n)
    on = k * step
    t = rng.uniform(-0.01 * horizon, 1.05 * horizon, n)
    pick = rng.integers(0, 4, n)
    t = np.where(pick == 1, on, t)
    t = np.where(pick == 2, np.nextafter(on, -np.inf), t)
    t = np.where(pick == 3, np.nextafter(on, np.inf), t)
    return t


def _records(model, n_agents: int, n: int = 20_000, seed: int = 3,
             day: float | None = None) -> ContactRecords:
    """Random records; with ``day`` a third of the answers on multiples of ``day`` (as
    floats compute them) or one float either side."""
    rng = np.random.default_rng(seed)
    L, N = model.interval_s, model.n_intervals
    H = L * N
    arrival = np.sort(np.abs(_times(rng, n, L, H)))
    arrival[:5] = [0.0, H, np.nextafter(H, 0), H + 1.0, 3 * L]
    answered = rng.random(n) < 0.7
    answer = np.where(answered, np.maximum(arrival, _times(rng, n, L, H)), np.nan)
    if day is not None:
        on = _times(rng, n, day, H)
        answer = np.where(answered & (rng.random(n) < 0.3), np.maximum(arrival, on), answer)
    answer[6] = arrival[6]  # answered on arrival: an empty wait
    answered[6] = True
    agent = np.where(answered, rng.integers(0, n_agents, n), -1)
    work = np.where(answered, rng.exponential(L, n) * rng.choice([0.01, 1.0, 30.0], n), np.nan)
    work[answered & (rng.random(n) < 0.01)] = 0.0  # empty spans
    end = np.where(answered & (rng.random(n) < 0.9), answer + work, np.nan)
    abandon = np.where(~answered & (rng.random(n) < 0.6),
                       arrival + rng.exponential(L / 4, n), np.nan)  # else still waiting
    nc = len(model.channels)
    return ContactRecords(arrival, rng.integers(0, nc, n), rng.integers(0, 3, n).astype(np.int8),
                          answer, agent, work * 0.8, work, end, abandon, rng.random(n) < 0.6,
                          np.ones(n, np.int16))


@pytest.mark.parametrize("passes", [False, True])
def test_contact_intervals_are_numpys_floor_divisions(passes: bool, monkeypatch) -> None:
    model, _ = flagship_like()
    rec = _records(model, 40)
    monkeypatch.setattr(compiled, "PASSES", passes)
    iv = kpi.contact_intervals(model, rec)
    L, n = model.interval_s, model.n_intervals
    assert np.array_equal(iv.arrival, np.minimum((rec.arrival_t // L).astype(np.int64), n - 1))
    ans = rec.agent >= 0
    assert np.array_equal(iv.answer[ans],
                          np.minimum((rec.answer_t[ans] // L).astype(np.int64), n - 1))
    assert (iv.answer[~ans] == -1).all()
    # the day of an answer from its interval: numpy's floor division of the times by a day
    # (exact multiples of a day and their neighbours included)
    for di in (2, 3, n):
        days = max(1, -(-n // di))
        want = np.minimum((rec.answer_t[ans] // (L * di)).astype(np.int64), days - 1)
        assert np.array_equal(iv.answer[ans] // di, want)


@pytest.mark.parametrize("passes", [False, True])
def test_busy_and_queue_time_equal_the_frozen_ones(passes: bool, monkeypatch) -> None:
    model, _ = flagship_like()
    rec = _records(model, 40)
    monkeypatch.setattr(compiled, "PASSES", passes)
    iv = kpi.contact_intervals(model, rec)
    for k in (None, iv):
        got = kpi.busy_time(model, rec, 40, iv=k)
        assert np.array_equal(got, ref.busy_time(model, rec, 40))
        assert np.array_equal(kpi.queue_time(model, rec, iv=k), ref.queue_time(model, rec))
    assert got.sum() > 0


@pytest.mark.parametrize("passes", [False, True])
def test_overtime_and_agent_days_with_shared_intervals(passes: bool, monkeypatch) -> None:
    """Reference: the frozen overtime and agent table (per day and over the horizon) on
    the same records; an interval length whose day is not exact in floating point takes
    the floor division of the times (the check in sim.kpi.agent_tables)."""
    from sim.agents import build_agents
    from sim.outcomes import draw_outcomes
    from sim.streams import Streams

    # 0.7 · 3 is not exact in floating point: the times' floor division then
    for m in (flagship_like()[0], dataclasses.replace(base()[0], interval_s=0.7)):
        m = dataclasses.replace(m, warmup_s=0.0)
        L = m.interval_s
        agents = build_agents(m, Streams(1, 0)["agents"])
        na = len(agents)
        rec = _records(m, na, day=L * 3)
        monkeypatch.setattr(compiled, "PASSES", passes)
        iv = kpi.contact_intervals(m, rec)
        assert np.array_equal(kpi.overtime(m, rec, agents, iv=iv),
                              ref.overtime(m, rec, agents))
        out = draw_outcomes(m, agents, rec, np.random.default_rng(2))
        busy = ref.busy_time(m, rec, na)[:na]
        z = np.zeros((na, m.n_intervals))
        ready = np.full_like(z, L / 2)
        args = (m, rec, out, agents, busy, ready, z, z, z, z, (3, m.n_intervals))
        got = kpi.agent_tables(*args, iv=iv)
        want = ref.agent_kpi_tables(*args)
        for g, w in zip(got, want, strict=True):
            assert list(g) == list(w)
            for k in g:
                assert np.array_equal(g[k], w[k], equal_nan=True), k
        assert want[0]["answered"].sum() > 0
