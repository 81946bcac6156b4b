"""Inverse problems: the fewest agents meeting all targets, fractional, shrinkage, chat.

References: the forward metrics (themselves checked against mpmath in test_erlang.py) —
the requirement must meet every target and one agent fewer must miss one; closed-form
bounds (at most n/a of the load can be answered); M/M/(kN) equivalence for chat without
slowdown (Enqvist & Svensson 2019).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planning.chat import chat_capacity
from planning.erlang import erlang_a
from planning.requirements import Targets, queue_metrics, required_servers, requirements


def meets(m, t: Targets, i: int = 0, n: float | None = None, load: float | None = None,
          patience: float = 0.0) -> bool:
    """All targets met; Erlang C (infinite patience) also needs a stable queue, n > a."""
    ok = not (math.isinf(patience) and n is not None and n <= load)
    if t.service_level is not None:
        ok &= m.service_level[i] >= t.service_level
    if t.max_asa_s is not None:
        ok &= m.asa_s[i] <= t.max_asa_s
    if t.max_abandon_rate is not None:
        ok &= m.p_abandon[i] <= t.max_abandon_rate
    if t.max_occupancy is not None:
        ok &= m.occupancy[i] <= t.max_occupancy
    return bool(ok)


targets_st = st.builds(
    Targets,
    service_level=st.one_of(st.none(), st.floats(0.5, 0.95)),
    within_s=st.floats(0, 60),
    max_asa_s=st.one_of(st.none(), st.floats(2, 60)),
    max_abandon_rate=st.one_of(st.none(), st.floats(0.01, 0.2)),
    max_occupancy=st.one_of(st.none(), st.floats(0.7, 0.98)),
).filter(lambda t: t.any())


@settings(max_examples=150, deadline=None)
@given(load=st.floats(0.05, 3000), aht=st.floats(30, 900),
       patience=st.one_of(st.just(math.inf), st.floats(5, 2000)), targets=targets_st)
def test_requirement_meets_all_targets_and_one_fewer_misses_one(load, aht, patience, targets):
    rate = load * 3600 / aht
    n, frac, binding, m = required_servers(np.array([rate]), np.array([aht]),
                                           np.array([patience]), targets)
    assert meets(m, targets, 0, n[0], load, patience)
    below = queue_metrics(np.array([n[0] - 1.0]), np.array([rate]), np.array([aht]),
                          np.array([patience]), np.array([targets.within_s]))
    assert n[0] == 1 or not meets(below, targets, 0, n[0] - 1, load, patience)
    assert n[0] - 1 <= frac[0] <= n[0] + 1e-12
    assert binding[0] in ("service_level", "asa", "abandon_rate", "occupancy", "stability")


@settings(max_examples=60, deadline=None)
@given(load=st.floats(1, 2000), patience=st.floats(10, 1000), n_extra=st.integers(0, 60),
       t=st.floats(0, 60))
def test_more_agents_raise_sl_and_lower_asa(load, patience, n_extra, t):
    """Monotone in n (needed by the bisection and by planners' intuition)."""
    n0 = max(1.0, math.floor(load * 0.8))
    ns = n0 + np.arange(n_extra + 2, dtype=float)
    m = erlang_a(ns, load * 3600 / 240, 240, patience, t)
    assert np.all(np.diff(m.service_level) >= -1e-12)
    assert np.all(np.diff(m.asa_s) <= 1e-9 * m.asa_s[:-1] + 1e-12)
    assert np.all(np.diff(m.p_abandon) <= 1e-12)
    assert np.all(np.diff(m.occupancy) <= 1e-12)


@settings(max_examples=60, deadline=None)
@given(load=st.floats(1, 1000), n_extra=st.integers(1, 40))
def test_erlang_a_converges_to_erlang_c(load, n_extra):
    """Patience → ∞ ⇒ Erlang C (stable cases). Perturbation bound: abandonment removes
    θ·E[Q] per second against a spare capacity (n − a)/AHT, with E[Q] ≈ a/(n − a), so the
    gap is O(θ·a·AHT/(n − a)²) and shrinks like 1/patience."""
    n = math.ceil(load + 1.0) + n_extra - 1  # n − a ≥ 1
    c = erlang_a(n, load * 15, 240, math.inf, 20)
    pats = (1e8, 1e10)
    tol = [4.0 * load * 240.0 / (n - load) ** 2 / pat + 1e-12 for pat in pats]
    gaps = []
    for pat, eps in zip(pats, tol, strict=True):
        a = erlang_a(n, load * 15, 240, pat, 20)
        gap = abs(a.service_level[()] - c.service_level[()])
        assert gap <= eps
        assert abs(a.p_wait[()] - c.p_wait[()]) <= eps
        gaps.append(gap)
    if tol[0] < 1e-3:  # linear regime: 100× more patience, ~100× smaller gap
        assert gaps[1] <= gaps[0] / 50 + 1e-13


def test_occupancy_cap_met_exactly_at_the_bound() -> None:
    """a/cap a whole number (175 erlangs, cap 0.7 → 250 agents give exactly 70%): the search
    must not start from 250 as a failing bound. Closed form: Erlang C occupancy = a/n."""
    r = requirements(np.array([175 * 3600 / 30]), 30, math.inf, Targets(max_occupancy=0.7))
    assert r.agents[0] == 250


def test_abandonment_lets_fewer_agents_than_erlangs_meet_a_target() -> None:
    """With abandonment the requirement can sit below the offered load (search starts
    below a): a = 100 erlangs, 60 s patience, 50/20 target."""
    r = requirements(np.array([1500.0]), 240, 60, Targets(service_level=0.5, within_s=20))
    assert r.agents[0] < 100
    assert r.metrics.service_level[0] >= 0.5


def test_sl_lower_bound_is_respected() -> None:
    """Closed form: at most n/a of offered load is answered ⇒ n ≥ X·a."""
    r = requirements(np.array([36_000.0]), 100, 5, Targets(service_level=0.9, within_s=0))
    assert r.agents[0] >= 0.9 * 1000


def test_zero_load_needs_no_agents() -> None:
    r = requirements(np.array([0.0, 120.0]), 240, 120, Targets(0.8, 20))
    assert r.agents[0] == 0 and r.binding[0] == "none" and r.agents[1] > 0


def test_shrinkage_and_fractional_aggregation() -> None:
    """Scheduled = ceil(required / (1 − shrinkage)); fractional sums don't compound rounding."""
    rates = np.array([300.0, 310.0, 320.0, 330.0])
    r = requirements(rates, 240, 120, Targets(0.8, 20, max_abandon_rate=0.05), shrinkage=0.3)
    assert np.all(r.scheduled == np.ceil(r.agents / 0.7 - 1e-9))
    assert np.allclose(r.scheduled_fractional, r.fractional / 0.7)
    assert r.fractional.sum() <= r.agents.sum()
    assert np.all(r.fractional > r.agents - 1)


def test_fractional_interpolates_the_binding_metric() -> None:
    """Linear interpolation of SL between n − 1 and n hits the target exactly."""
    t = Targets(service_level=0.8, within_s=20)
    r = requirements(np.array([1200.0]), 240, 120, t)
    n = int(r.agents[0])
    m = erlang_a(np.array([n - 1.0, n]), 1200.0, 240, 120, 20)
    f = r.fractional[0] - (n - 1)
    assert abs(m.service_level[0] + f * (m.service_level[1] - m.service_level[0]) - 0.8) < 1e-12


def test_chat_without_slowdown_is_k_times_the_servers() -> None:
    """M/M/(kN): with linear total throughput, N agents × k sessions act as kN servers."""
    t = Targets(service_level=0.8, within_s=30)
    chat = requirements(np.array([900.0]), 420, 300, t, concurrency=3, concurrency_slowdown=0)
    servers, _, _, _ = required_servers(np.array([900.0]), np.array([420.0]),
                                        np.array([300.0]), t)
    assert chat.agents[0] == math.ceil(servers[0] / 3)


def test_chat_cap_maximises_throughput() -> None:
    """K* = argmax k/s(k): with slowdown ≥ 1 per extra session a second chat never pays."""
    assert chat_capacity(300, 4, 0.15).sessions == 4
    assert chat_capacity(300, 4, 0.15).session_time_s == pytest.approx(300 * 1.45)
    assert chat_capacity(300, 4, 1.2).sessions == 1


def test_chat_slowdown_needs_more_agents() -> None:
    t = Targets(service_level=0.8, within_s=30)
    fast = requirements(np.array([900.0]), 420, 300, t, concurrency=3, concurrency_slowdown=0)
    slow = requirements(np.array([900.0]), 420, 300, t, concurrency=3, concurrency_slowdown=0.3)
    assert slow.agents[0] > fast.agents[0]
