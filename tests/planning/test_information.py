"""Recourse decided from what is known at its notice time (planning/information.py) and
salaried in-house pay — checked against groupings and optima computed by hand."""

from __future__ import annotations

import numpy as np
import pytest

from planning.information import columns, decision_groups, groups_at
from planning.mix import plan_mix
from planning.mix_inputs import DemandCase, InHouse, MixInputs, Reserve, ShiftPattern, SolverOptions
from tests.planning.plan_checker import check_plan

EXACT = SolverOptions(time_limit_s=30, mip_gap=0.0, threads=1)


def test_groups_at_by_hand() -> None:
    # reference: by hand, z = 2: 110 − 100 = 10 ≤ 2√100 = 20 (same group); 130 − 100 = 30 >
    # 20 (new group from 130); 300 − 130 = 170 > 2√130 ≈ 22.8 (new group)
    assert groups_at(np.array([130.0, 100.0, 300.0, 110.0])).tolist() == [1, 0, 2, 0]
    # nothing seen yet: one group
    assert groups_at(np.zeros(4)).tolist() == [0, 0, 0, 0]


def test_decision_groups_refine_over_time() -> None:
    # three scenarios, 10 contacts an interval until interval 2; then s1 ×1.5 and s2 ×4.
    vol = np.array([[10, 10, 10, 10, 10, 10],
                    [10, 10, 15, 15, 15, 15],
                    [10, 10, 40, 40, 40, 40]], dtype=float)
    g = decision_groups(vol, np.array([-3, 2, 3, 4, 6]), 3)
    # by hand: d ≤ 2 sees [20, 20, 20] → one group; d = 3 sees [30, 35, 60]: 35 − 30 = 5 ≤
    # 2√30 ≈ 11, 60 − 30 > 11 → {s0, s1}, {s2}; d = 4 sees [40, 50, 100]: 10 ≤ 2√40 ≈ 12.6 →
    # still {s0, s1}; d = 6 sees [60, 80, 180]: 20 > 2√60 ≈ 15.5 → all apart
    assert g[0].tolist() == [0, 0, 0] and g[1].tolist() == [0, 0, 0]
    assert g[2][0] == g[2][1] != g[2][2]
    assert g[3][0] == g[3][1] != g[3][2]
    assert len(set(g[4].tolist())) == 3
    # without volumes every scenario is known from the start (the plain two-stage model)
    assert decision_groups(None, np.array([0, 5]), 3).tolist() == [[0, 1, 2], [0, 1, 2]]


def test_columns_keep_the_two_stage_numbering() -> None:
    of, n = columns(np.array([[0, 1, 2], [0, 1, 2]]))
    assert n == 6 and of.tolist() == [[0, 1], [2, 3], [4, 5]]  # s·K + k
    of, n = columns(np.array([[0, 0, 0], [0, 0, 1]]))
    assert n == 3 and of[0, 0] == of[1, 0] == of[2, 0] and of[0, 1] == of[1, 1] != of[2, 1]


def reserve_only(notice: int) -> MixInputs:
    """8 one-hour intervals; two equally likely scenarios needing 2 or 4 agents in 4..7;
    their volumes part from interval 2 on. Reserve only: call-outs of 4 h, retainer 10,
    activation 10 an hour, shortfall 20 an agent-hour."""
    vol_a = np.full(8, 10.0)
    vol_b = np.array([10, 10, 40, 40, 40, 40, 40, 40], dtype=float)
    req_a = np.array([0, 0, 0, 0, 2, 2, 2, 2], dtype=float)
    cases = (DemandCase("a", 0.5, req_a, volume=vol_a),
             DemandCase("b", 0.5, 2 * req_a, volume=vol_b))
    return MixInputs(interval_minutes=60, n_intervals=8, cases=cases,
                     reserve=Reserve(max_size=10, cost_per_agent=10.0, activation_per_hour=10.0,
                                     show_up=1.0, productivity=1.0, callout=4,
                                     max_hours_per_agent=None, notice=notice),
                     shortfall_penalty_per_hour=20.0)


def test_call_out_decided_before_the_scenarios_part_is_the_same_for_both() -> None:
    # reference: by hand. Notice 2 h: the block at 4 is called at 2, having seen [0, 2)
    # (equal volumes) → one call-out u for both. Each agent of the first 2 saves 4 h × 20 =
    # 80 of shortfall (both scenarios) for 10 + 4 × 10 = 50; the next 2 save only 0.5 × 80
    # = 40 < 50 → u = R = 2; cost 2·10 + 2·4·10 + 0.5·2·4·20 = 180.
    plan = plan_mix(reserve_only(notice=2), EXACT)
    assert plan.reserve_pool == 2
    assert plan.reserve[:, 4:].tolist() == [[2.0] * 4, [2.0] * 4]
    assert plan.objective == pytest.approx(180.0)
    assert check_plan(reserve_only(notice=2), plan) == []


def test_call_out_decided_after_the_scenarios_part_follows_each() -> None:
    # reference: by hand. Notice 0: called at 4 having seen [0, 4): 40 vs 100 contacts,
    # 60 > 2√40 → told apart. Scenario b's extra 2 agents save 0.5 × 4 × 20 = 40 each for
    # 0.5 × 4 × 10 + 10 = 30 → R = 4, u = 2 (a) and 4 (b); cost 40 + 0.5·80 + 0.5·160 = 160.
    plan = plan_mix(reserve_only(notice=0), EXACT)
    assert plan.reserve_pool == 4
    assert plan.reserve[0, 4:].tolist() == [2.0] * 4 and plan.reserve[1, 4:].tolist() == [4.0] * 4
    assert plan.objective == pytest.approx(160.0)


def salaried(req: float, **kw) -> MixInputs:
    """One day of 8 one-hour intervals, 3 salaried agents paid 28 h a week (4 h a day) at
    10 an hour, 4-h shifts from 0 or 4."""
    ih = InHouse(headcount=3, cost_per_paid_hour=10.0, max_days_per_week=7,
                 patterns=(ShiftPattern("p4", 4, (0, 4), (), 4.0),), paid_hours_per_week=28.0,
                 **kw)
    return MixInputs(interval_minutes=60, n_intervals=8,
                     cases=(DemandCase("s", 1.0, np.full(8, req)),), in_house=ih,
                     shortfall_penalty_per_hour=100.0)


def test_salaried_agents_cost_their_paid_hours_rostered_or_not() -> None:
    # reference: by hand. 3 agents × 4 h × 10 = 120 whatever is rostered.
    idle = plan_mix(salaried(0.0), EXACT)
    assert idle.objective == pytest.approx(120.0) and idle.cost.by_pool["in_house"] == 120.0
    one = plan_mix(salaried(1.0), EXACT)
    # the interval is covered; rostering a salaried agent more is free, so which of the
    # equally cheap rosters HiGHS returns is a tie (any within the paid-hours cap)
    assert one.objective == pytest.approx(120.0) and min(one.in_house.tolist()) >= 1.0
    assert check_plan(salaried(1.0), one) == []


def test_salaried_hours_cap_and_a_hire() -> None:
    # reference: by hand. Two agents all day need 4 shifts = 16 paid hours > 3 × 4 = 12: one
    # shift is short (4 agent-hours × 100 = 400) unless a hire (5 + 4 h × 10 = 45) joins.
    no_hire = plan_mix(salaried(2.0), EXACT)
    assert no_hire.objective == pytest.approx(120.0 + 400.0)
    hire = plan_mix(salaried(2.0, max_hires=1, hire_cost=5.0), EXACT)
    assert hire.hires == 1 and hire.objective == pytest.approx(165.0)
    assert hire.in_house.tolist() == [2.0] * 8


def test_salaried_plan_rechecked_in_plain_python() -> None:
    # reference: tests/planning/plan_checker.py (constraints and cost recomputed without Pyomo)
    from tests.planning.plan_checker import plan_cost

    inp = salaried(2.0, max_hires=1, hire_cost=5.0)
    plan = plan_mix(inp, EXACT)
    assert check_plan(inp, plan) == []
    assert plan_cost(inp, plan) == pytest.approx(plan.objective)
