"""The weekly capacity MILP (planning.capacity) against the contract.

References: tests/planning/capacity_reference.py — the contract re-read in plain Python
(loops over cohorts, no numpy, no solver) to re-check every plan and recompute its cost,
and enumeration of every hiring vector with a per-week fractional knapsack for the
optimum of tiny cases; closed forms where the plan has no choice; hand counts for the
last useful hiring week."""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planning.capacity import (
    CapacityInputs,
    Hiring,
    Outsourcing,
    Overtime,
    capacity_report,
    plan_capacity,
)
from planning.capacity.answers import last_useful_hire_week
from planning.mix_inputs import SolverOptions

from .capacity_reference import Case, brute_force, headcount, recheck, total_for_hires

EXACT = SolverOptions(time_limit_s=30.0, mip_gap=0.0, threads=1)


def to_inputs(case: Case) -> CapacityInputs:
    w = case.weeks
    return CapacityInputs(
        required_hours=np.array(case.required, dtype=float), on_staff=case.on_staff,
        hours_per_week=case.hours, productive_share=case.share, attrition=case.attrition,
        wage_per_hour=case.wage, shortfall_penalty_per_hour=case.penalty,
        hiring=None if case.max_hires is None else Hiring(
            case.max_hires, case.cost_per_hire, case.training, tuple(case.ramp)),
        overtime=None if case.ot_share is None else Overtime(case.ot_share, case.ot_premium),
        outsourcing=None if case.vendor_price is None else Outsourcing(
            case.vendor_price, case.vendor_eta,
            np.array(case.vendor_cap if case.vendor_cap is not None else [500.0] * w),
            case.notice))


def random_case(rng: random.Random, weeks: int, max_hires: int) -> Case:
    """A tiny case where every lever matters: requirement around the starting staff's
    output, a peak, prices on both sides of the in-house cost per productive hour."""
    staff = rng.choice([5, 10, 20])
    base = staff * 40 * 0.7
    req = [round(base * rng.uniform(0.6, 1.6), 1) for _ in range(weeks)]
    return Case(
        required=req, on_staff=staff, attrition=rng.choice([0.0, 0.03, 0.1]),
        wage=rng.choice([30.0, 45.0]), penalty=rng.choice([60.0, 150.0, 400.0]),
        max_hires=max_hires, cost_per_hire=rng.choice([0.0, 500.0, 3000.0]),
        training=rng.choice([0, 1, 2]), ramp=rng.choice([[], [0.5], [0.0, 0.6]]),
        ot_share=rng.choice([None, 0.1, 0.3]), ot_premium=rng.choice([1.0, 1.5]),
        vendor_price=rng.choice([None, 25.0, 60.0]), vendor_eta=rng.choice([0.6, 1.0]),
        vendor_cap=[rng.choice([0.0, 80.0, 300.0]) for _ in range(weeks)],
        notice=rng.choice([0, 1, 2]))


# ---------------------------------------------------------------- the plan keeps the contract
@pytest.mark.parametrize("seed", range(12))
def test_plan_rechecked_against_the_contract(seed: int) -> None:
    rng = random.Random(seed)
    case = random_case(rng, weeks=rng.choice([4, 8, 12]), max_hires=rng.choice([3, 10]))
    plan = plan_capacity(to_inputs(case), EXACT)
    assert recheck(case, plan) == []


def test_bundled_sized_plan_rechecked() -> None:
    # the contract's worked shape: 80 proficient agents, 12 weeks, a 3-week peak
    case = Case(required=[2600.0] * 8 + [3500.0, 5200.0, 4000.0, 2600.0], on_staff=80,
                attrition=0.03, max_hires=20, training=3, ramp=[0.5, 0.8], ot_share=0.1,
                vendor_cap=[800.0] * 12, notice=2)
    plan = plan_capacity(to_inputs(case), SolverOptions(mip_gap=1e-4, threads=1))
    assert recheck(case, plan) == []
    assert plan.total_hires > 0  # the peak is worth a class at these prices


# ---------------------------------------------------------------- optimality, tiny cases
@pytest.mark.parametrize("seed", range(25))
def test_tiny_cases_match_enumeration_of_every_hiring_vector(seed: int) -> None:
    rng = random.Random(1000 + seed)
    case = random_case(rng, weeks=rng.choice([3, 4, 5]), max_hires=rng.choice([1, 2, 3]))
    best, hires = brute_force(case)
    plan = plan_capacity(to_inputs(case), EXACT)
    assert plan.total_cost == pytest.approx(best, rel=1e-7, abs=1e-4)
    # and the plan's own hires, re-costed by the reference, reach the optimum
    assert total_for_hires(case, [int(h) for h in plan.hires]) == pytest.approx(
        best, rel=1e-7, abs=1e-4)


def test_no_levers_closed_form() -> None:
    # no hiring, overtime or vendor: cost = Σ_t ω·η_w·S₀(1−a)^t + π·max(0, ρ_t − η_w·φ·S₀(1−a)^t)
    s0, a, req = 50.0, 0.05, [1500.0, 1400.0, 1300.0, 1600.0]
    case = Case(required=req, on_staff=s0, attrition=a, max_hires=None, ot_share=None,
                vendor_price=None)
    plan = plan_capacity(to_inputs(case), EXACT)
    want = sum(45 * 40 * s0 * (1 - a) ** t + 400 * max(0.0, r - 40 * 0.7 * s0 * (1 - a) ** t)
               for t, r in enumerate(req))
    assert plan.total_cost == pytest.approx(want, rel=1e-12)
    assert plan.total_hires == 0


def test_one_class_by_hand() -> None:
    # 1 week of training, ramp [0.5]: a class of 2 from week 0 is 2 trainees in week 0,
    # 2 at half output in week 1, 2·(1−a) at full output in week 2 (hand count)
    case = Case(required=[0.0, 0.0, 0.0], on_staff=0, attrition=0.1, max_hires=2)
    hc = [headcount(case, [2, 0, 0], t) for t in range(3)]
    assert [h["in_training"] for h in hc] == [2.0, 0.0, 0.0]
    assert [h["on_staff"] for h in hc] == pytest.approx([2.0, 2.0, 1.8])
    assert [h["productive"] for h in hc] == pytest.approx([0.0, 28.0, 1.8 * 28.0])


# ---------------------------------------------------------------- monotonicity
req_lists = st.lists(st.floats(0.0, 2500.0, allow_nan=False), min_size=3, max_size=6)


@settings(max_examples=25, deadline=None)
@given(req=req_lists, bump=st.lists(st.floats(0.0, 800.0), min_size=6, max_size=6),
       seed=st.integers(0, 10_000))
def test_cost_never_falls_when_the_requirement_rises(req, bump, seed) -> None:
    # feasible plans for ρ' ≥ ρ are feasible for ρ, so the optimum cannot fall
    rng = random.Random(seed)
    case = random_case(rng, weeks=len(req), max_hires=rng.choice([2, 5]))
    case = replace(case, required=req)
    higher = replace(case, required=[r + b for r, b in zip(req, bump, strict=False)])
    lo = plan_capacity(to_inputs(case), EXACT).total_cost
    hi = plan_capacity(to_inputs(higher), EXACT).total_cost
    assert hi >= lo - 1e-6 * max(1.0, lo)


@settings(max_examples=25, deadline=None)
@given(a=st.floats(0.0, 0.2), da=st.floats(0.0, 0.1), seed=st.integers(0, 10_000))
def test_cost_never_falls_when_attrition_grows_on_a_short_team(a, da, seed) -> None:
    # Sufficient condition (proof in docs/capacity.md): (A) every other lever costs at least
    # an in-house productive hour at the lowest ramp weight, ω/(φ·r_min), and (B) the
    # requirement exceeds the most the in-house team could ever produce, so every extra
    # survivor displaces external cover worth more than its wage.
    rng = random.Random(seed)
    case = random_case(rng, weeks=rng.choice([4, 6]), max_hires=rng.choice([2, 5]))
    r_min = min([1.0, *[r for r in case.ramp if r > 0]])
    floor = case.wage / (case.share * r_min)
    case = replace(case, attrition=a, ramp=[r for r in case.ramp if r > 0],
                   penalty=max(case.penalty, floor), ot_premium=max(case.ot_premium, 1.0),
                   vendor_price=None if case.vendor_price is None else max(
                       case.vendor_price, floor * case.vendor_eta))
    most = case.hours * case.share * (case.on_staff + case.max_hires * case.weeks)
    case = replace(case, required=[most * rng.uniform(1.0, 1.5) for _ in case.required])
    lo = plan_capacity(to_inputs(case), EXACT).total_cost
    hi = plan_capacity(to_inputs(replace(case, attrition=min(a + da, 0.99))), EXACT).total_cost
    assert hi >= lo - 1e-6 * max(1.0, lo)


def test_attrition_lowers_the_cost_of_an_overstaffed_team() -> None:
    # why the attrition property needs its condition: with nothing to do, leavers save
    # wages — cost = ω·η_w·S₀·Σ_t (1−a)^t falls as a grows (closed form)
    case = Case(required=[0.0, 0.0, 0.0], on_staff=10, max_hires=2)
    for a in (0.0, 0.1):
        plan = plan_capacity(to_inputs(replace(case, attrition=a)), EXACT)
        assert plan.total_cost == pytest.approx(45 * 40 * 10 * sum((1 - a) ** t
                                                                   for t in range(3)))


# ---------------------------------------------------------------- the planner's answers
def test_last_useful_hiring_week_by_hand() -> None:
    # T = 3, ramp [0, 0.5]: a class from week c first produces in week c + 4; peak week 9
    inp = to_inputs(Case(required=[1.0] * 9 + [9.0, 1.0], on_staff=1, training=3,
                         ramp=[0.0, 0.5]))
    assert last_useful_hire_week(inp, 9) == 5
    case = Case(required=[1.0] * 11, on_staff=0, training=3, ramp=[0.0, 0.5])
    # the reference agrees: one hire in week 5 produces in week 9, one in week 6 does not
    assert headcount(case, [0] * 5 + [1] + [0] * 5, 9)["productive"] > 0
    assert headcount(case, [0] * 6 + [1] + [0] * 4, 9)["productive"] == 0
    assert last_useful_hire_week(replace(inp, hiring=replace(inp.hiring, training_weeks=9)),
                                 9) is None


@pytest.mark.parametrize("seed", range(8))
def test_delay_and_attrition_answers_match_enumeration(seed: int) -> None:
    rng = random.Random(500 + seed)
    case = random_case(rng, weeks=4, max_hires=2)
    case = replace(case, required=[r * 1.8 for r in case.required], cost_per_hire=0.0)
    rep = capacity_report(to_inputs(case), EXACT)
    best, _ = brute_force(case)
    assert rep.plan.total_cost == pytest.approx(best, rel=1e-7, abs=1e-4)
    first = rep.answers.first_hire_week
    if first is None:
        assert rep.answers.hire_one_week_later is None
    else:
        later, _ = brute_force(case, no_hire_before=first + 1)
        assert rep.answers.hire_one_week_later.total_cost == pytest.approx(later, rel=1e-7,
                                                                            abs=1e-4)
        assert rep.answers.hire_one_week_later.extra_cost >= -1e-6
    worse, _ = brute_force(replace(case, attrition=case.attrition + 0.01))
    v = rep.answers.attrition_plus_one_point
    assert v.total_cost == pytest.approx(worse, rel=1e-7, abs=1e-4)
    assert v.extra_cost == pytest.approx(worse - best, rel=1e-6, abs=1e-3)


# ---------------------------------------------------------------- short plans explained
def short_case(**kw) -> Case:
    base = dict(required=[1000.0] * 6, on_staff=20, attrition=0.0, max_hires=2, training=1,
                ramp=[], ot_share=0.1, vendor_price=32.0, vendor_eta=1.0,
                notice=0, penalty=400.0, cost_per_hire=0.0)
    base.update(kw)
    base.setdefault("vendor_cap", [100.0] * len(base["required"]))
    return Case(**base)


def test_short_plan_names_the_exhausted_levers() -> None:
    # week 4 needs far more than 20 staff + 2 hires a week can give: every lever at its cap
    case = short_case(required=[560.0] * 4 + [5000.0, 560.0])
    rep = capacity_report(to_inputs(case), EXACT)
    sf = rep.answers.shortfall
    assert [w.week for w in sf.weeks] == [4]
    w = sf.weeks[0]
    assert set(w.exhausted) == {"hiring_cap", "overtime_cap", "outsourcing_cap"}
    assert w.open == ()
    # missing hours by hand: 20 staff + 4 classes of 2 (weeks 0..3, trained by week 4)
    staff = 28.0
    cover = staff * 28 + 0.7 * 0.1 * 40 * staff + 100.0
    assert w.missing_hours == pytest.approx(5000.0 - cover)
    assert recheck(case, rep.plan) == []


def test_lead_time_notice_and_no_levers_are_named() -> None:
    case = short_case(required=[5000.0, 560.0], training=3, notice=1, ot_share=None,
                      vendor_cap=[100.0, 100.0])
    sf = capacity_report(to_inputs(case), EXACT).answers.shortfall
    assert sf.weeks[0].week == 0
    assert set(sf.weeks[0].exhausted) == {"hiring_lead_time", "no_overtime",
                                          "outsourcing_notice"}


def test_penalty_cheaper_than_a_lever_says_the_lever_is_open() -> None:
    # vendor at 500 an hour, penalty 400: the plan leaves hours short with room at the vendor
    case = short_case(required=[1000.0] * 2, max_hires=None, ot_share=None,
                      vendor_price=500.0, vendor_cap=[1e4, 1e4])
    sf = capacity_report(to_inputs(case), EXACT).answers.shortfall
    assert {w.week for w in sf.weeks} == {0, 1}
    assert all(w.open == ("outsourcing",) and "no_hiring" in w.exhausted for w in sf.weeks)


def test_headcount_cap_is_named_when_it_stops_hiring() -> None:
    case = short_case(required=[560.0] * 3 + [3000.0, 560.0])
    inp = replace(to_inputs(case), max_headcount=21.0)
    rep = capacity_report(inp, EXACT)
    assert rep.plan.on_staff.max() <= 21.0 + 1e-9
    w = rep.answers.shortfall.worst
    assert w.week == 3 and "headcount_cap" in w.exhausted
