"""Sourcing-mix MILP: plans re-checked in plain Python (tests/planning/plan_checker.py),
tiny optima by brute force / by hand, monotonicity, pool switches, the seed-000 lesson."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from planning.mix import MixSolver, plan_mix
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
from planning.solver import PlanInfeasible
from tests.planning.plan_checker import check_plan, plan_cost

EXACT = SolverOptions(time_limit_s=30, mip_gap=0.0, threads=1)
ROOT = Path(__file__).parents[2]


def tiny(req: list[list[float]], probs: list[float], **kw) -> MixInputs:
    """8 one-hour intervals: one 4-h in-house pattern (starts 0, 2, 4), 2-h vendor blocks."""
    cases = tuple(DemandCase(f"s{i}", p, np.array(r, dtype=float))
                  for i, (r, p) in enumerate(zip(req, probs, strict=True)))
    base = dict(
        interval_minutes=60, n_intervals=8, cases=cases,
        in_house=InHouse(headcount=3, cost_per_paid_hour=10.0,
                         patterns=(ShiftPattern("p4", 4, (0, 2, 4), (), 4.0),)),
        outsourced=Outsourced(price_per_hour=6.0, capacity=2, block=2, block_step=2,
                              productivity=0.5),
        shortfall_penalty_per_hour=100.0)
    base.update(kw)
    return MixInputs(**base)


def brute_force(inp: MixInputs) -> float:
    """Enumerate every shift and block count; the recourse is the shortfall itself."""
    req, p = inp.requirement, inp.probabilities
    best = np.inf
    for x in itertools.product(range(4), repeat=3):
        if sum(x) > 3:
            continue
        on = np.zeros(8)
        for k, s in zip(x, (0, 2, 4), strict=True):
            on[s:s + 4] += k
        for b in itertools.product(range(3), repeat=4):
            seats = np.repeat(np.array(b, dtype=float), 2)
            cov = on + 0.5 * seats
            short = np.maximum(req - cov[None, :], 0.0)
            cost = 40.0 * sum(x) + 12.0 * sum(b) + 100.0 * float(p @ short.sum(axis=1))
            best = min(best, cost)
    return best


@pytest.mark.parametrize("req", [
    [[1, 1, 2, 2, 2, 1, 0, 0], [2, 3, 3, 3, 2, 2, 1, 0]],
    [[0, 0, 0.5, 0.5, 0, 0, 0, 0], [3, 3, 3, 3, 3.5, 3.5, 2, 2]],
])
def test_tiny_optimum_equals_brute_force(req: list[list[float]]) -> None:
    # reference: exhaustive enumeration of the first stage (4^3 × 3^4 plans)
    inp = tiny(req, [0.5, 0.5])
    plan = plan_mix(inp, EXACT)
    assert check_plan(inp, plan) == []
    assert plan.objective == pytest.approx(brute_force(inp), rel=1e-7)
    assert plan_cost(inp, plan) == pytest.approx(plan.objective, rel=1e-7)


@pytest.mark.parametrize("retainer,expected_pool,expected_cost", [(60.0, 4, 320.0),
                                                                   (100.0, 0, 400.0)])
def test_reserve_only_when_it_pays(retainer: float, expected_pool: int,
                                   expected_cost: float) -> None:
    # by hand: demand 4 agents for 4 h with probability ½, else none. Each reserve agent
    # costs f and saves ½·4·(π − a) = 80 in expectation → worth it iff f < 80.
    inp = MixInputs(interval_minutes=60, n_intervals=4,
                    cases=(DemandCase("peak", 0.5, np.full(4, 4.0)),
                           DemandCase("calm", 0.5, np.zeros(4))),
                    reserve=Reserve(max_size=10, cost_per_agent=retainer, activation_per_hour=10,
                                    show_up=1.0, productivity=1.0, callout=4),
                    shortfall_penalty_per_hour=50.0)
    plan = plan_mix(inp, EXACT)
    assert check_plan(inp, plan) == []
    assert plan.reserve_pool == expected_pool
    assert plan.objective == pytest.approx(expected_cost, rel=1e-9)


def test_no_outsourcing_when_capacity_zero() -> None:
    inp = tiny([[2, 2, 3, 3, 3, 2, 1, 1]], [1.0],
               outsourced=Outsourced(price_per_hour=1.0, capacity=0, block=2, block_step=2,
                                     surge_capacity=0.0, productivity=0.5))
    plan = plan_mix(inp, EXACT)
    assert check_plan(inp, plan) == []
    assert plan.outsourced_blocks == [] and not plan.outsourced.any() and not plan.surge.any()


def test_cost_never_falls_when_demand_rises() -> None:
    # reference: monotonicity — any plan for a larger demand also serves a smaller one
    rng = np.random.default_rng(3)
    shape = rng.uniform(0.5, 3.0, size=(3, 8))
    costs = []
    for scale in (0.5, 0.8, 1.0, 1.3, 1.7):
        inp = tiny((shape * scale).tolist(), [0.2, 0.5, 0.3],
                   temps=Temps(capacity=1.0, price_per_hour=30.0, productivity=0.4))
        plan = plan_mix(inp, EXACT)
        assert check_plan(inp, plan) == []
        costs.append(plan.objective)
    assert all(b >= a - 1e-7 for a, b in zip(costs, costs[1:], strict=False)), costs


def test_hard_coverage_infeasible_is_explained() -> None:
    inp = tiny([[1, 1, 9, 1, 1, 1, 1, 1]], [1.0], hard_coverage=True)
    with pytest.raises(PlanInfeasible, match=r"1 interval\(s\) cannot be covered.*interval #2"):
        plan_mix(inp, EXACT)


def test_chance_constraint_holds() -> None:
    inp = tiny([[1, 1, 2, 2, 2, 1, 1, 1], [3, 3, 4, 4, 4, 3, 3, 3]], [0.8, 0.2],
               chance_min_share=0.8, shortfall_penalty_per_hour=1.0)
    plan = plan_mix(inp, EXACT)
    assert check_plan(inp, plan) == []
    assert plan.met[0]


# ------------------------------------------------------------------ seed 000 on double11_mix
@pytest.fixture(scope="module")
def double11():
    from scenarios import load_scenario
    from scenarios.adapters.to_mix import demand_cases, mean_case, mix_inputs, requirement_cases

    sc = load_scenario(ROOT / "scenarios" / "examples" / "double11_mix.yaml")
    rates = demand_cases(sc)
    inp = mix_inputs(sc, requirement_cases(sc, rates))
    opts = SolverOptions(time_limit_s=60, mip_gap=0.005)
    solver = MixSolver(inp, opts)
    plan = solver.solve()
    base = {v: solver.solve_variant(v) for v in ("in_house_only", "outsourced_only")}
    # the mean-value plan: the peak taken as known (mean demand), then its first stage
    # facing every demand scenario
    mean_inp = mix_inputs(sc, (mean_case(sc, rates),))
    plan_mean = plan_mix(mean_inp, opts)
    base["mean_value_expected"] = solver.evaluate_first_stage(plan_mean)
    return inp, plan, base, plan_mean


def test_double11_plan_meets_every_constraint(double11) -> None:
    inp, plan, _, _ = double11
    assert len(inp.cases) == 20 and inp.n_intervals == 14 * 48
    assert check_plan(inp, plan) == []
    # within 1% of HiGHS's own lower bound in the 60 s limit: with the roster rules in the
    # mix (issue 23) the solve reaches 0.52–0.54% on a loaded 2-core machine, 0.1% without
    assert plan.gap <= 0.01 + 1e-9
    assert plan_cost(inp, plan) == pytest.approx(plan.objective, rel=1e-6)


def shortfall(plan) -> float:
    return float(plan.probabilities @ plan.shortfall.sum(axis=1))


def test_seed000_mix_beats_single_sources_at_same_coverage(double11) -> None:
    # seed 000: outsourcing alone needed 50–60 where 30 would do; in-house alone leaves
    # dozens idle off-peak and too few at the peak. The mix covers at least as much, cheaper.
    inp, plan, base, _ = double11
    for name in ("in_house_only", "outsourced_only"):
        b = base[name]
        assert b is not None and check_plan(inp, b) == []
        assert shortfall(plan) <= shortfall(b) + 1e-6
        assert plan.objective < b.objective * (1 - 0.05)
    assert base["outsourced_only"].in_house.sum() == 0
    assert base["in_house_only"].outsourced.sum() == 0 and base["in_house_only"].reserve_pool == 0


def test_seed000_reserve_used_when_peak_uncertain(double11) -> None:
    # seed 000: a trained, rostered reserve for the uncertain peak; with the peak known
    # in advance (mean-value plan) contracted seats do the job and the reserve (nearly)
    # disappears.
    _, plan, _, plan_point = double11
    assert plan.reserve_pool >= 10
    assert plan.reserve_pool > 3 * max(plan_point.reserve_pool, 1)
    by_day = plan.expected(plan.reserve).reshape(14, 48).sum(axis=1)
    assert int(np.argmax(by_day)) == 10  # Nov 11, the peak day


def test_value_of_one_more_agent_by_hand() -> None:
    # by hand (LP relaxation): one headcount = one 4-h shift (cost 40) covering 4 intervals
    # of a 1-agent requirement that would otherwise cost π = 100 each → saves 360.
    inp = MixInputs(interval_minutes=60, n_intervals=8,
                    cases=(DemandCase("d", 1.0, np.ones(8)),),
                    in_house=InHouse(headcount=1, cost_per_paid_hour=10.0,
                                     patterns=(ShiftPattern("p4", 4, (0, 2, 4), (), 4.0),)),
                    shortfall_penalty_per_hour=100.0)
    v_ih, v_r = MixSolver(inp, EXACT).marginal_values()
    assert v_ih == pytest.approx(360.0, rel=1e-9) and v_r is None
    # reserve capped at 2 where 4 would pay: each extra agent saves ½·4·(π − a) = 80,
    # minus its retainer 60 → 20 (see test_reserve_only_when_it_pays).
    inp = MixInputs(interval_minutes=60, n_intervals=4,
                    cases=(DemandCase("peak", 0.5, np.full(4, 4.0)),
                           DemandCase("calm", 0.5, np.zeros(4))),
                    reserve=Reserve(max_size=2, cost_per_agent=60.0, activation_per_hour=10,
                                    show_up=1.0, productivity=1.0, callout=4),
                    shortfall_penalty_per_hour=50.0)
    v_ih, v_r = MixSolver(inp, EXACT).marginal_values()
    assert v_ih is None and v_r == pytest.approx(20.0, rel=1e-9)


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=15, deadline=None)
@given(req=st.lists(st.lists(st.floats(0, 6), min_size=8, max_size=8), min_size=1,
                    max_size=3),
       surge=st.floats(0, 3), reserve_cost=st.floats(0, 200), show_up=st.floats(0.3, 1),
       temps=st.floats(0, 2), hard=st.booleans())
def test_random_plans_meet_every_constraint(req, surge, reserve_cost, show_up, temps,
                                            hard) -> None:
    # reference: the plain-Python checker and cost recomputation (no Pyomo)
    k = len(req)
    inp = tiny(req, [1.0 / k] * k, hard_coverage=False,
               outsourced=Outsourced(price_per_hour=6.0, capacity=2, block=2, block_step=2,
                                     productivity=0.5, surge_capacity=surge,
                                     surge_price_per_hour=15.0, surge_from=2),
               reserve=Reserve(max_size=5, cost_per_agent=reserve_cost,
                               activation_per_hour=12.0, show_up=show_up, productivity=0.8,
                               callout=4, available_from=1, max_hours_per_agent=4.0),
               temps=Temps(capacity=temps, price_per_hour=40.0, available_from=3),
               chance_min_share=0.5 if hard else None)
    try:
        plan = plan_mix(inp, EXACT)
    except PlanInfeasible as exc:  # only the chance constraint can make it infeasible
        assert hard and ("cannot be covered" in str(exc) or "chance-constraint" in str(exc))
        return
    assert check_plan(inp, plan) == []
    assert plan_cost(inp, plan) == pytest.approx(plan.objective, rel=1e-6, abs=1e-6)


def test_same_input_same_plan() -> None:
    inp = tiny([[1, 2, 3, 3, 2, 2, 1, 0.5], [2, 3, 4, 4, 3, 2, 2, 1]], [0.6, 0.4],
               reserve=Reserve(max_size=5, cost_per_agent=30, activation_per_hour=12,
                               show_up=0.7, callout=4))
    a, b = plan_mix(inp, EXACT), plan_mix(inp, EXACT)
    assert a.objective == b.objective and a.shifts == b.shifts
    assert np.array_equal(a.reserve, b.reserve) and a.reserve_pool == b.reserve_pool


def test_stochastic_plan_vs_mean_value_plan(double11) -> None:
    # Robbins & Harrison (2010): the stochastic plan costs more as planned than the
    # mean-value plan, and the mean-value plan's first stage costs at least as much in
    # expectation (the stochastic optimum is the least expected cost, up to the MIP gap).
    inp, plan, base, plan_mean = double11
    mv = base["mean_value_expected"]
    assert mv is not None and check_plan(inp, mv) == []
    assert plan_mean.objective < plan.objective * (1 - 0.02)
    assert mv.objective >= plan.objective * (1 - plan.gap) - 1e-6
    assert mv.reserve_pool == plan_mean.reserve_pool and mv.shifts == plan_mean.shifts


def test_compare_mix_takes_a_mean_value_plan_solved_elsewhere_without_its_case() -> None:
    """compare_mix given the mean-value plan already solved (as the mix check's background
    job sends it) needs no mean demand case: the same mean-value plan and expected cost
    as computed from the case here (reference: compare_mix's own path with ``mean_case``),
    and the stochastic plan no dearer in expectation than the mean-value plan's first
    stage (the plans solved to a zero gap: the stochastic plan is optimal over all first
    stages, that one included)."""
    from planning.mix import compare_mix, mean_value_plan

    inp = tiny([[1, 1, 2, 2, 2, 1, 1, 1], [3, 3, 4, 4, 4, 3, 3, 3]], [0.6, 0.4])
    mean = DemandCase("mean", 1.0, np.array([1.8, 1.8, 2.8, 2.8, 2.8, 1.8, 1.8, 1.8]))
    own = compare_mix(inp, EXACT, mean_case=mean)
    solved = mean_value_plan(inp, EXACT, mean)
    given = compare_mix(inp, EXACT, mean_solved=(solved,))
    assert own.mean_value is not None and given.mean_value is not None
    assert given.mean_value.objective == pytest.approx(own.mean_value.objective, abs=1e-9)
    assert given.mean_value_expected.objective == pytest.approx(
        own.mean_value_expected.objective, abs=1e-9)
    assert given.value_of_stochastic_solution == pytest.approx(
        own.value_of_stochastic_solution, abs=1e-9)
    assert own.value_of_stochastic_solution >= -1e-6
    # without either, no mean-value plan
    assert compare_mix(inp, EXACT).mean_value is None
