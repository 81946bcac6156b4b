"""Steady M/M/n+M and M/M/n against exact Erlang A / Erlang C.

Reference: tests/sim/erlang_reference.py (mpmath, from the Erlang C and Erlang A formulas).
The exact value must lie inside the simulation's 99% t confidence interval over
replications, for every metric, every case.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from tests.sim.erlang_reference import erlang_a, erlang_c
from tests.sim.helpers import run, steady


def ci99(values: list[float]) -> tuple[float, float]:
    x = np.asarray(values)
    half = stats.t.ppf(0.995, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x))
    return x.mean() - half, x.mean() + half


CASES = [
    # id, agents, rate/h, AHT s, patience s (None = Erlang C), hours
    ("moderate", 70, 1000, 240, 120, 6),
    ("large_n250", 250, 3600, 240, 180, 8),
    ("critical_rho1", 220, 3300, 240, 180, 8),
    ("overloaded", 50, 1000, 240, 90, 4),
    ("erlang_c", 72, 1000, 240, None, 6),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_steady_queue_matches_exact_erlang(case):
    _, n, lam, aht, patience, hours = case
    exact = (erlang_c(n, lam, aht, 20) if patience is None
             else erlang_a(n, lam, aht, patience, 20))
    model, demand = steady(n, lam, aht, patience, hours=hours)
    result = run(model, demand, reps=12, seed=11)
    per_rep = [o.channels["voice"] for o in result.outputs]
    for metric, value in (("abandon_rate", exact.p_abandon), ("service_level",
                                                              exact.service_level),
                          ("asa_s", exact.asa_s), ("p_wait", exact.p_wait)):
        if patience is None and metric == "abandon_rate":
            assert all(r[metric] == 0 for r in per_rep)
            continue
        lo, hi = ci99([r[metric] for r in per_rep])
        assert lo <= value <= hi, f"{metric}: exact {value:.5f} outside 99% CI [{lo:.5f}, {hi:.5f}]"


def test_occupancy_matches_offered_load_over_agents():
    """Erlang C occupancy = a / n exactly (Erlang C): all offered work is done."""
    model, demand = steady(72, 1000, 240, None, hours=6)
    result = run(model, demand, reps=8, seed=5)
    lo, hi = ci99([o.channels["voice"]["occupancy"] for o in result.outputs])
    assert lo <= (1000 / 3600 * 240) / 72 <= hi


@pytest.mark.parametrize("case", [CASES[0], CASES[2]], ids=["moderate", "critical_rho1"])
def test_event_desk_matches_exact_erlang_a(case):
    """The same check on the event-driven desk (the general kernel), not the FCFS recursion."""
    import dataclasses

    _, n, lam, aht, patience, hours = case
    exact = erlang_a(n, lam, aht, patience, 20)
    model, demand = steady(n, lam, aht, patience, hours=hours)
    result = run(dataclasses.replace(model, kernel="events"), demand, reps=12, seed=12)
    per_rep = [o.channels["voice"] for o in result.outputs]
    for metric, value in (("abandon_rate", exact.p_abandon),
                          ("service_level", exact.service_level), ("asa_s", exact.asa_s)):
        lo, hi = ci99([r[metric] for r in per_rep])
        assert lo <= value <= hi, f"{metric}: exact {value:.5f} outside 99% CI [{lo:.5f}, {hi:.5f}]"


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_reference_agrees_with_planning_erlang(case):
    """The mpmath reference used above equals the staffing-math module's exact values, so
    the simulator agrees with planning/erlang.py too (two independent implementations)."""
    from planning.erlang import erlang_a as plan_a
    from planning.erlang import erlang_c as plan_c

    _, n, lam, aht, patience, _ = case
    ref = (erlang_c(n, lam, aht, 20) if patience is None
           else erlang_a(n, lam, aht, patience, 20))
    got = (plan_c(n, lam, aht, 20) if patience is None
           else plan_a(n, lam, aht, patience, 20))
    for k in ("p_wait", "service_level", "asa_s"):
        assert float(np.asarray(getattr(got, k))) == pytest.approx(getattr(ref, k), rel=1e-8)
    assert float(np.asarray(got.p_abandon)) == pytest.approx(ref.p_abandon, rel=1e-8,
                                                             abs=1e-15)
