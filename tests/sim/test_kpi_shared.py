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


def _spread(rng: np.random.Generator, n: int) -> np.ndarray:
    """Numbers of wildly different sizes and signs: any other order of the additions than
    numpy's changes the sum's last bits."""
    return rng.standard_normal(n) * np.exp(rng.uniform(-30, 30, n))


@pytest.mark.parametrize("dtype", [float, np.int64, np.bool_])
def test_column_sums_are_numpys(dtype) -> None:
    """Reference: numpy's ``m[rows].sum(0)`` of the matrix as floats times a factor."""
    from sim.compiled_kpi import skilled_column_sums

    rng = np.random.default_rng(12)
    for na, n in [(369, 672), (7, 8), (5, 50), (3, 300), (0, 8), (4, 2)]:
        mat = (_spread(rng, na * n) if dtype is float
               else rng.integers(0, 3 if dtype is np.bool_ else 50, na * n)).astype(dtype)
        mat = mat.reshape(na, n)
        factor = 1800.0 if dtype is np.bool_ else 1.0
        f = mat * factor if dtype is np.bool_ else np.asarray(mat, float)
        rows = rng.random(na) < 0.6
        assert np.array_equal(skilled_column_sums(mat, factor, rows), f[rows].sum(0))


def test_channel_gathers_are_numpys() -> None:
    """Reference: team_metrics' numpy gathers — per channel after the warm-up, the
    answered contacts' waits, work and talk times, and every contact's order value — and
    their sums (np.sum of the same contiguous numbers)."""
    from sim.compiled_kpi import channel_gather

    rng = np.random.default_rng(13)
    n = 50_000
    arrival = np.sort(rng.uniform(0, 1e5, n))
    answered = rng.random(n) < 0.8
    answer = np.where(answered, arrival + _spread(rng, n) ** 2, np.nan)
    agent = np.where(answered, rng.integers(0, 30, n), -1)
    work, talk = _spread(rng, n), _spread(rng, n)
    value = np.where(rng.random(n) < 0.3, _spread(rng, n), 0.0)
    ch = rng.integers(0, 3, n)
    got, a_at, vals, v_at = channel_gather(3, 2e4, ch, arrival, answer, agent, work, talk,
                                           value)
    for k in range(3):
        s = (arrival >= 2e4) & (ch == k)
        a = s & answered
        for q, want in enumerate(((answer - arrival)[a], work[a], talk[a])):
            assert np.array_equal(got[q, a_at[k]:a_at[k + 1]], want)
            assert got[q, a_at[k]:a_at[k + 1]].sum() == want.sum()
        assert np.array_equal(vals[v_at[k]:v_at[k + 1]], value[s])
        assert (answer - arrival)[a].mean() == got[0, a_at[k]:a_at[k + 1]].sum() / a.sum()


@pytest.mark.parametrize("dtype", [float, np.int64, np.bool_])
def test_the_agent_tables_day_sums_compiled_are_numpys(dtype) -> None:
    """Reference: sim.kpi's numpy day sums (the float matrix, padded, reshaped, summed)
    for each way the compiled path takes: floats by numpy with no look for a non-zero,
    integers and booleans times an integer factor in integers, and the rest (a fractional
    factor, numbers too large for exact integer sums) as floats by numpy."""
    rng = np.random.default_rng(14)
    for na, n, di, factor in [(369, 672, 48, 1800.0), (369, 672, 672, 1.0), (7, 8, 48, 0.7),
                              (5, 50, 7, 1800.0), (0, 8, 2, 1.0), (6, 20, 5, 2.0 ** 40)]:
        if dtype is float:
            mat = _spread(rng, na * n).reshape(na, n)
        else:
            big = 2 ** 20 if factor == 2.0 ** 40 else 50
            mat = rng.integers(0, 2 if dtype is np.bool_ else big, (na, n)).astype(dtype)
        m = {"x": (mat, factor) if factor != 1.0 else mat, "none": None}
        days = max(1, -(-n // di))
        got = kpi._compiled_day_sums(dict(m), na, n)
        want = kpi._numpy_day_sums(dict(m), na, n)
        for name in m:  # the days, then the whole horizon (from the days' integer sums)
            assert np.array_equal(got(name, days, di), want(name, days, di)), (na, n, di)
            assert np.array_equal(got(name, 1, n), want(name, 1, n)), (na, n)


def test_ring_and_outbound_means_are_numpys() -> None:
    """Reference: sim.runner's numpy expressions of the missed rings' and the outbound
    attempts' Poisson means (element-wise products and quotients in numpy's order; a
    Poisson draw rarely shows a mean's last bit, so the means themselves are compared),
    the non-zero ones in C order as ``lam[lam != 0]``."""
    from sim import compiled_kpi as ck

    rng = np.random.default_rng(15)
    na, n, nc, L = 60, 96, 3, 1800.0
    duty = rng.random((na, n)) < 0.4
    ready = np.where(duty, rng.uniform(0, 1.2 * L, (na, n)), 0.0)  # some above the duty
    ready[0, :5] = L
    skill = rng.random((nc, na)) < 0.6
    per = _spread(rng, nc * n).reshape(nc, n) ** 2
    share = 0.3
    not_ready = np.clip(duty * L - ready, 0.0, None)
    rate = np.zeros((na, n))
    for k in range(nc):
        rate[skill[k]] += per[k][None, :]
    lam = not_ready * rate * share
    pos, val = ck.ring_means(duty, ready, L, skill, per, share)
    nz = lam != 0
    assert np.array_equal(pos, np.flatnonzero(nz)) and np.array_equal(val, lam[nz])
    assert 0 < nz.sum() < nz.size
    effort = _spread(rng, na) ** 2
    effort[:3] = 0.0
    per_agent = _spread(rng, na) ** 2
    per_agent[3:6] = [0.0, -1.0, 0.0]
    out_s = duty * L * effort[:, None]
    lam = np.divide(out_s, per_agent[:, None], out=np.zeros_like(out_s),
                    where=per_agent[:, None] > 0)
    got_s, pos, val = ck.outbound_means(duty, L, effort, per_agent)
    nz = lam != 0
    assert np.array_equal(got_s, out_s)
    assert np.array_equal(pos, np.flatnonzero(nz)) and np.array_equal(val, lam[nz])
    counts = ck.channel_interval_counts(np.array([0, 2, 2, 1]), np.array([1, 0, 0, 1]), 2, 3)
    assert np.array_equal(counts, [[0, 0, 2], [1, 1, 0]])


@pytest.mark.parametrize("case", ["flagship_like", "outbound_ready_time", "whole_days"])
def test_replications_with_missed_rings_equal_the_code_before(case: str, monkeypatch) -> None:
    """Reference: tests/sim/test_replication_fast.py's ``before`` (the frozen KPI
    functions, the numpy passes) — with agents rung while not ready (ring_unready_share,
    0 in the other cases), every KPI and agent table bit for bit with the compiled passes."""
    from sim.runner import simulate
    from tests.sim.test_kpi_fast import CASES, _same
    from tests.sim.test_replication_fast import before

    model, demand = CASES[case]()
    model = dataclasses.replace(model, ring_unready_share=0.3)
    for rep in (0, 1):
        old = before(model, demand, 5, rep, monkeypatch)
        monkeypatch.setattr(compiled, "PASSES", True)
        new = simulate(model, demand, 5, rep, kernel="python")
        _same(old, new)
        if case == "flagship_like":  # aux time: agents on duty and not ready
            assert old.agents["missed_rings"].sum() > 0


@pytest.mark.parametrize("L", [1800.0, 900.0, 1.0, 7.0, 0.7, 1799.9])
def test_compiled_floor_divisions_are_numpys(L: float) -> None:
    """Reference: numpy's ``t // L`` (its fmod algorithm): times on multiples of L and one
    float either side, random ones, large ones past 2**52 and negative ones — the fast path
    for whole interval lengths and the plain floor division for the others."""
    from sim.compiled_kpi import contact_intervals

    rng = np.random.default_rng(16)
    k = rng.integers(-5, 10**6, 20_000).astype(float)
    on = k * L
    t = np.concatenate([on, np.nextafter(on, -np.inf), np.nextafter(on, np.inf),
                        rng.uniform(-1e3, 1e9, 20_000), rng.uniform(2.0**51, 2.0**60, 100),
                        [0.0, -0.0, 2.0**52, -(2.0**52), 2.0**53 + 2]])
    n = 2**62
    arr, ans = contact_intervals(t, t, np.zeros(len(t), np.int64), L, n)
    want = np.minimum((t // L).astype(np.int64), n - 1)
    assert np.array_equal(arr, want) and np.array_equal(ans, want)


def test_the_warm_up_calls_every_compiled_pass() -> None:
    """sim.compiled.warm_up compiles (or loads) the passes through compiled_kpi.warm: it
    must run, leave every pass of the module (not the helpers inlined into them)
    compiled, and a replication afterwards must need no other types (no compile in a
    worker)."""
    from numba.core.registry import CPUDispatcher

    from sim import compiled_kpi as ck
    from sim.runner import simulate
    from tests.sim.test_kpi_fast import CASES

    ck.warm()
    passes = [f for f in vars(ck).values() if isinstance(f, CPUDispatcher)
              and f.targetoptions.get("inline") != "always"]
    assert len(passes) > 15
    assert all(f.signatures for f in passes), [f.__name__ for f in passes if not f.signatures]
    known = {f.__name__: len(f.signatures) for f in passes}
    model, demand = CASES["flagship_like"]()
    simulate(dataclasses.replace(model, ring_unready_share=0.3), demand, 1, 0,
             kernel="compiled")
    assert {f.__name__: len(f.signatures) for f in passes} == known
