"""The monotone recourse rule (planning.mix_model.add_monotone_recourse): call-outs, surge
seats and temps never fall as the contacts seen by their notice time rise.

References (none of them the layout's own ordering):
- a brute check over every pair of scenarios, with the contacts seen computed here from the
  demand cases' volumes (a plain sum over the intervals before the decision time, the
  decision time from the block's start and the lever's notice as the inputs state them);
- an optimum worked by hand where the rule binds (its cost rise by hand);
- the same plan without the rule (the constraint family switched off): the rule is a
  restriction, so the plan with it never costs less; the difference is printed.
"""

from __future__ import annotations

from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import planning.mix_model as mix_model
from planning.mix import plan_mix
from planning.mix_inputs import (
    DemandCase,
    InHouse,
    MixInputs,
    Outsourced,
    Reserve,
    ShiftPattern,
    SolverOptions,
    Temps,
)
from tests.planning.plan_checker import check_plan

EXACT = SolverOptions(time_limit_s=30, mip_gap=0.0, threads=1)
TOL = 1e-6


def seen_by(inp: MixInputs, s: int, d: int) -> float:
    """Contacts scenario s has shown before interval d (nothing before the horizon)."""
    vol = inp.cases[s].volume
    return float(sum(vol[t] for t in range(0, max(0, min(d, inp.n_intervals)))))


def monotone_violations(inp: MixInputs, plan) -> list[str]:
    """Every pair of scenarios and interval where the one that has seen more contacts by the
    decision's notice time gets less (or equal volumes get different decisions)."""
    bad = []
    levers = []
    if inp.reserve is not None:
        r = inp.reserve
        levers.append(("reserve", plan.reserve, lambda t, r=r: (t // r.callout) * r.callout
                       - r.notice))
    if inp.outsourced is not None and inp.outsourced.surge_capacity > 0:
        o = inp.outsourced
        levers.append(("surge", plan.surge, lambda t, o=o: (t // o.block) * o.block
                       - o.surge_notice))
    if inp.temps is not None and inp.temps.capacity > 0:
        tp = inp.temps
        levers.append(("temps", plan.temps, lambda t, tp=tp: t - tp.notice))
    n_s = len(inp.cases)
    for name, arr, decided in levers:
        for t in range(inp.n_intervals):
            d = decided(t)
            for a in range(n_s):
                for b in range(n_s):
                    va, vb = seen_by(inp, a, d), seen_by(inp, b, d)
                    if va < vb and arr[a, t] > arr[b, t] + TOL:
                        bad.append(f"{name} t={t}: s{a} saw {va} < s{b} {vb} but "
                                   f"{arr[a, t]} > {arr[b, t]}")
                    if va == vb and abs(arr[a, t] - arr[b, t]) > TOL:
                        bad.append(f"{name} t={t}: s{a}, s{b} saw {va} but differ")
    return bad


def without_rule(inp: MixInputs):
    """The plan with the monotone rows switched off (build_model calls the module's name)."""
    with mock.patch.object(mix_model, "add_monotone_recourse", lambda m, inp, lay: None):
        return plan_mix(inp, EXACT)


def pull_forward(notice: int) -> MixInputs:
    """8 one-hour intervals, reserve only (call-outs of 4 h, retainer 10, activation 10 an
    hour, shortfall 20 an agent-hour). Scenario b shows 4× the contacts of a from interval
    2 on (an early rush that pulls orders forward) yet needs 2 agents in 4..7 where a needs
    4: the unrestricted plan calls more when fewer contacts were seen."""
    vol_a = np.full(8, 10.0)
    vol_b = np.array([10, 10, 40, 40, 40, 40, 40, 40], dtype=float)
    req = np.array([0, 0, 0, 0, 4, 4, 4, 4], dtype=float)
    cases = (DemandCase("a", 0.5, req, volume=vol_a),
             DemandCase("b", 0.5, req / 2, volume=vol_b))
    return MixInputs(interval_minutes=60, n_intervals=8, cases=cases,
                     reserve=Reserve(max_size=10, cost_per_agent=10.0, activation_per_hour=10.0,
                                     show_up=1.0, productivity=1.0, callout=4,
                                     max_hours_per_agent=None, notice=notice),
                     shortfall_penalty_per_hour=20.0)


def test_rule_binds_and_costs_what_the_hand_optimum_says() -> None:
    # reference: by hand. Notice 0: the block at 4 is called at 4, having seen 40 (a) vs
    # 100 (b) contacts: told apart (60 > 2√40). Unrestricted: R = 4, u_a = 4, u_b = 2, no
    # shortfall: 4·10 + ½·4·4·10 + ½·2·4·10 = 160. With u_a ≤ u_b ≤ R: for u_a = u_b = x
    # cost = 10x + ½·40x + ½·80(4 − x)⁺ + ½·40x + ½·80(2 − x)⁺ → 240 − 30x on [0, 2],
    # 160 + 10x on [2, 4]: x = 2, cost 180 (a is 2 agents short for 4 h: ½·2·4·20 = 80).
    inp = pull_forward(notice=0)
    free = without_rule(inp)
    assert free.objective == pytest.approx(160.0)
    assert free.reserve[:, 4].tolist() == [4.0, 2.0]
    assert monotone_violations(inp, free)  # the unrestricted plan breaks the rule
    plan = plan_mix(inp, EXACT)
    assert plan.objective == pytest.approx(180.0)
    assert plan.reserve[:, 4:].tolist() == [[2.0] * 4, [2.0] * 4]
    assert monotone_violations(inp, plan) == []
    assert check_plan(inp, plan) == []


def test_no_rows_where_one_information_set_shares_the_decision() -> None:
    # notice 2: decided at 2, both have seen 20 contacts → one column; the rule changes
    # nothing (reference: by hand, as test_information's equal-volume case: u = R = 2
    # for both → 2·10 + 2·4·10 + ½·2·4·20 = 180).
    inp = pull_forward(notice=2)
    assert plan_mix(inp, EXACT).objective == pytest.approx(180.0)
    assert without_rule(inp).objective == pytest.approx(180.0)


def test_pairs_by_hand() -> None:
    # reference: by hand. Three scenarios seen at d = 2: [20, 50, 20] → order s0, s2, s1;
    # s0 and s2 tie (equal), s2 → s1 (≤). Columns: s0 and s2 share column 0 → no tie row.
    vol = np.array([[10, 10, 5], [25, 25, 5], [10, 10, 5]], dtype=float)
    of = np.array([[0], [1], [0]])
    assert mix_model.monotone_pairs(vol, np.array([2]), of) == [(0, 1, False)]
    of = np.array([[0], [1], [2]])  # all apart: the tie gives an equality
    assert sorted(mix_model.monotone_pairs(vol, np.array([2]), of)) == [
        (0, 2, True), (2, 1, False)]
    # decided before the horizon: nothing seen, every pair a tie (S − 1 rows)
    assert len(mix_model.monotone_pairs(vol, np.array([-1]), of)) == 2


def small_case(req: list[list[float]], vol: list[list[float]], notice: int,
               penalty: float) -> MixInputs:
    """12 one-hour intervals; a 4-h in-house pattern, a vendor with 3-h blocks and surge,
    a reserve with 3-h call-outs, temps; every recourse decided ``notice`` hours ahead."""
    k = len(req)
    cases = tuple(DemandCase(f"s{i}", 1.0 / k, np.array(r, dtype=float),
                             volume=np.array(v, dtype=float))
                  for i, (r, v) in enumerate(zip(req, vol, strict=True)))
    return MixInputs(
        interval_minutes=60, n_intervals=12, cases=cases,
        in_house=InHouse(headcount=2, cost_per_paid_hour=10.0,
                         patterns=(ShiftPattern("p4", 4, (0, 4, 8), (), 4.0),)),
        outsourced=Outsourced(price_per_hour=6.0, capacity=2, block=3, block_step=3,
                              productivity=0.5, surge_capacity=2.0,
                              surge_price_per_hour=14.0, surge_from=3,
                              surge_notice=notice),
        reserve=Reserve(max_size=4, cost_per_agent=15.0, activation_per_hour=11.0,
                        show_up=0.8, productivity=0.8, callout=3, available_from=3,
                        max_hours_per_agent=6.0, notice=notice),
        temps=Temps(capacity=2.0, price_per_hour=25.0, available_from=2, notice=notice),
        shortfall_penalty_per_hour=penalty, information_z=0.5)


@settings(max_examples=12, deadline=None)
@given(req=st.lists(st.lists(st.floats(0, 5), min_size=12, max_size=12), min_size=2,
                    max_size=4),
       rate=st.lists(st.floats(2, 60), min_size=4, max_size=4),
       notice=st.integers(0, 3), penalty=st.floats(30, 120))
def test_random_plans_are_monotone_in_the_volume_seen(req, rate, notice, penalty) -> None:
    # volumes unrelated to the requirement (the rule must hold whatever drives the need);
    # each scenario a steady rate from interval 1 on, so they part at various times
    vol = [[5.0] + [rate[i]] * 11 for i in range(len(req))]
    inp = small_case(req, vol, notice, penalty)
    plan = plan_mix(inp, EXACT)
    assert monotone_violations(inp, plan) == []
    assert check_plan(inp, plan) == []
    free = without_rule(inp)
    # a restriction never lowers the optimum (both solved to a zero gap)
    assert plan.objective >= free.objective - 1e-6 * max(1.0, free.objective)
    print(f"cost with the rule {plan.objective:.2f}, without {free.objective:.2f}, "
          f"rise {plan.objective - free.objective:.2f}")
