"""The mix solve that starts from the LP relaxation (planning.mix.MixSolver._from_lp):
its plan within the gap of the true optimum, its bound and gap true, the same plan every
time, and the value of one more agent read from the plan's own LP relaxation.

Reference: a plain HiGHS MIP on the same model run to optimality (gap 0, no LP stage:
``solve(warm_start=False)`` on a fresh solver) — an independent search to the optimum.
For the marginal values: the LP relaxation solved afresh on a new solver.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planning.mix import MixSolver
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
from planning.solver import PlanError
from tests.planning.plan_checker import check_plan, plan_cost

EXACT = SolverOptions(time_limit_s=60, mip_gap=0.0, threads=1)


def day_case(req: np.ndarray, headcount: int = 12, max_hires: int = 4) -> MixInputs:
    """One or more days of 1-h intervals: two in-house patterns with several starts,
    hires, vendor blocks with surge, a reserve and temps — every integer family."""
    n = req.shape[1]
    cases = tuple(DemandCase(f"s{i}", 1.0 / req.shape[0], r) for i, r in enumerate(req))
    return MixInputs(
        interval_minutes=60, n_intervals=n, cases=cases,
        in_house=InHouse(headcount=headcount, cost_per_paid_hour=11.0, max_hires=max_hires,
                         hire_cost=150.0,
                         patterns=(ShiftPattern("p8", 8, (6, 8, 10, 12, 14), (4,), 8.0),
                                   ShiftPattern("p4", 4, (9, 12, 17, 19), (), 4.0))),
        outsourced=Outsourced(price_per_hour=9.0, capacity=8, block=4, block_step=2,
                              productivity=0.8, surge_capacity=3, surge_price_per_hour=16.0,
                              surge_from=6),
        reserve=Reserve(max_size=6, cost_per_agent=35.0, activation_per_hour=13.0,
                        show_up=0.8, productivity=0.9, callout=4, available_from=6),
        temps=Temps(capacity=2, price_per_hour=30.0, available_from=8),
        shortfall_penalty_per_hour=120.0)


def random_req(seed: int, scenarios: int, days: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    hours = np.arange(24 * days) % 24
    shape = np.where((hours >= 7) & (hours < 23), 4 + 6 * np.sin((hours - 7) / 16 * np.pi), 0)
    return np.round(shape[None, :] * rng.uniform(0.7, 1.5, (scenarios, 1))
                    + rng.uniform(0, 2.5, (scenarios, hours.size)) * (shape > 0), 2)


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 10_000), scenarios=st.integers(1, 4),
       gap=st.sampled_from([0.0, 0.002, 0.01, 0.05]))
def test_within_gap_of_the_optimum_and_bound_true(seed: int, scenarios: int,
                                                  gap: float) -> None:
    inp = day_case(random_req(seed, scenarios))
    optimum = MixSolver(inp, EXACT).solve(warm_start=False)  # the reference
    assert optimum.status == "optimal"
    plan = MixSolver(inp, SolverOptions(time_limit_s=60, mip_gap=gap, threads=1)).solve()
    assert plan.status == "optimal"
    tol = 1e-6 * max(1.0, optimum.objective)
    # bound ≤ optimum ≤ objective, and the reported gap is the gap between them
    assert plan.bound <= optimum.objective + tol
    assert optimum.objective <= plan.objective + tol
    assert plan.gap == pytest.approx((plan.objective - plan.bound) / plan.objective,
                                     abs=1e-12)
    assert plan.objective - optimum.objective <= gap * plan.objective + tol
    # the plan is what it says (plain-Python checker and cost recomputation)
    assert check_plan(inp, plan) == []
    assert plan_cost(inp, plan) == pytest.approx(plan.objective, rel=1e-6, abs=1e-6)


def test_certified_by_the_lp_bound_without_the_full_search(monkeypatch) -> None:
    # a 4-scenario 2-day case at a 1% gap: the neighbourhood's plan is within the gap of
    # the LP bound, so HiGHS runs twice (the LP, the neighbourhood) and the full MIP not
    inp = day_case(random_req(7, 4, days=2), headcount=20)
    solver = MixSolver(inp, SolverOptions(time_limit_s=60, mip_gap=0.01, threads=1))
    runs: list[dict] = []
    solve = type(solver.session).solve

    def counted(session):  # noqa: ANN001, ANN202
        runs.append(dict(session._options))
        return solve(session)

    monkeypatch.setattr(type(solver.session), "solve", counted)
    plan = solver.solve()
    assert len(runs) == 2  # the LP relaxation and the neighbourhood MIP
    assert np.isfinite(runs[1]["objective_target"])  # the neighbourhood stops at the gap
    assert plan.status == "optimal" and plan.gap <= 0.01
    optimum = MixSolver(inp, EXACT).solve(warm_start=False)
    assert plan.bound <= optimum.objective + 1e-6 <= plan.objective + 2e-6


def test_same_plan_every_time_and_every_thread_count() -> None:
    inp = day_case(random_req(3, 3, days=2), headcount=20)
    plans = [MixSolver(inp, SolverOptions(time_limit_s=60, mip_gap=0.005, threads=t)).solve()
             for t in (1, 1, 2)]
    for p in plans[1:]:
        assert p.objective == plans[0].objective and p.shifts == plans[0].shifts
        assert p.outsourced_blocks == plans[0].outsourced_blocks
        assert p.reserve_pool == plans[0].reserve_pool and p.hires == plans[0].hires
        assert np.array_equal(p.reserve, plans[0].reserve)


def test_marginal_values_equal_a_fresh_lp_relaxation() -> None:
    # the kept plan's LP relaxation serves the value of one more agent; reference: the LP
    # relaxation solved afresh on a new solver (which has solved nothing before)
    inp = day_case(random_req(11, 3), headcount=6)
    solver = MixSolver(inp, EXACT)
    solver.solve()
    reused = solver.marginal_values()
    fresh = MixSolver(inp, EXACT).marginal_values()
    assert reused[0] is not None and reused[1] is not None
    assert reused[0] > 0  # a short headcount: one more agent is worth something
    assert reused == pytest.approx(fresh, rel=1e-9, abs=1e-9)
    # a variant's solve (other bounds) neither replaces nor spoils them
    assert solver.solve_variant("no_reserve") is not None
    assert solver.marginal_values() == pytest.approx(fresh, rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("neighbourhood", ["no plan", "not within the gap"])
def test_full_mip_when_the_neighbourhood_does_not_certify(monkeypatch,
                                                          neighbourhood: str) -> None:
    # the fallback: the full MIP runs (from the neighbourhood's plan when there is one)
    # and still ends at the reference optimum (gap 0: only the full search proves it)
    inp = day_case(random_req(5, 3, days=2), headcount=20)
    solver = MixSolver(inp, EXACT)
    session = type(solver.session)
    solve = session.solve
    runs: list[tuple[bool, bool]] = []  # (neighbourhood run, MIP start given)

    def counted(s):  # noqa: ANN001, ANN202
        near = np.isfinite(s._options.get("objective_target", -np.inf))
        runs.append((bool(near), bool(s._start)))
        if near and neighbourhood == "no plan":
            raise PlanError("no plan in the neighbourhood (forced)")
        return solve(s)

    monkeypatch.setattr(session, "solve", counted)
    plan = solver.solve()
    monkeypatch.setattr(session, "solve", solve)
    optimum = MixSolver(inp, EXACT).solve(warm_start=False)
    # the LP, the neighbourhood held at whole LP values, the widened one (from the held
    # one's plan when there is one), the full MIP (from the best neighbourhood plan)
    assert len(runs) == 4 and runs[1] == (True, False)
    assert runs[2] == (True, neighbourhood != "no plan")
    assert runs[3] == (False, neighbourhood != "no plan")
    assert plan.status == "optimal"
    assert plan.objective == pytest.approx(optimum.objective, rel=1e-9)
    assert plan.bound <= plan.objective + 1e-6


def _wrap_solves(monkeypatch, solver: MixSolver, after) -> list[int]:  # noqa: ANN001
    """Every HiGHS run of ``solver``'s session passed through ``after(session, output,
    n)`` (n: the run's number from 1); returns the run counter (one item)."""
    session = type(solver.session)
    solve = session.solve
    calls = [0]

    def wrapped(s):  # noqa: ANN001, ANN202
        calls[0] += 1
        return after(s, solve(s), calls[0])

    monkeypatch.setattr(session, "solve", wrapped)
    return calls


def test_lp_stopped_at_the_limit_leaves_the_mip_to_highs(monkeypatch) -> None:
    # an LP relaxation stopped by the time limit gives no bound: HiGHS's MIP alone, on the
    # integer model (not the relaxed one), reaches the reference optimum
    inp = day_case(random_req(9, 2), headcount=10)
    solver = MixSolver(inp, EXACT)
    calls = _wrap_solves(monkeypatch, solver, lambda s, out, n: (
        replace(out, status="time_limit") if n == 1 else out))
    plan = solver.solve()
    monkeypatch.undo()
    optimum = MixSolver(inp, EXACT).solve(warm_start=False)
    assert calls == [2]
    assert plan.objective == pytest.approx(optimum.objective, rel=1e-9)
    assert all(float(k).is_integer() for *_, k in plan.shifts)


@pytest.mark.parametrize("step", ["lp", "neighbourhood"])
def test_a_step_stopped_on_the_clock_marks_the_plan(monkeypatch, step: str) -> None:
    """Where a step of the solve stops at the time limit, the path — hence the plan — may
    depend on the machine's load: the plan says 'time_limit' even when it ends within the
    gap (reference: the same solve with no step on the clock says 'optimal')."""
    inp = day_case(random_req(7, 4, days=2), headcount=20)
    opts = SolverOptions(time_limit_s=60, mip_gap=0.01, threads=1)
    assert MixSolver(inp, opts).solve().status == "optimal"
    solver = MixSolver(inp, opts)

    def on_the_clock(s, out, n):  # noqa: ANN001, ANN202
        near = np.isfinite(s._options.get("objective_target", -np.inf))
        if (step == "lp" and n == 1) or (step == "neighbourhood" and near):
            s.clock_stopped = True
        return out

    _wrap_solves(monkeypatch, solver, on_the_clock)
    plan = solver.solve()
    assert plan.gap <= 0.01 and plan.status == "time_limit"


def test_highs_stopped_by_its_time_limit_is_seen_as_a_clock_stop() -> None:
    # a real stop on the clock (HiGHS's kTimeLimit, a limit far too short for any plan)
    inp = day_case(random_req(7, 4, days=2), headcount=20)
    solver = MixSolver(inp, SolverOptions(time_limit_s=1e-6, mip_gap=0.0, threads=1))
    with pytest.raises(PlanError):
        solver.solve(warm_start=False)
    assert solver.session.clock_stopped


def test_a_run_using_its_whole_budget_counts_as_a_clock_stop(monkeypatch) -> None:
    """HiGHS's sub-MIP heuristics get the time left as their limit: a run that used its
    whole budget may have been cut there while reporting its objective target. Such a
    run (here every run, CLOCK_SHARE = 0) marks the plan; an easy one does not."""
    import planning.solver as solver_mod

    inp = day_case(random_req(7, 4, days=2), headcount=20)
    opts = SolverOptions(time_limit_s=60, mip_gap=0.01, threads=1)
    assert MixSolver(inp, opts).solve().status == "optimal"
    monkeypatch.setattr(solver_mod, "CLOCK_SHARE", 0.0)
    plan = MixSolver(inp, opts).solve()
    assert plan.gap <= 0.01 and plan.status == "time_limit"


def test_re_solve_from_the_last_basis() -> None:
    # the loop's re-solve (planning.iterate._solve): the requirement moves, the LP
    # relaxation starts from the last round's final basis. Reference: the same inputs
    # solved cold — the same LP optimum (its value is unique), fewer simplex iterations,
    # and the plan within the gap of the optimum of a gap-0 full MIP
    inp = day_case(random_req(13, 3, days=2), headcount=20)
    opts = SolverOptions(time_limit_s=60, mip_gap=0.01, threads=1)
    last = MixSolver(inp, opts)
    last.solve()
    req = inp.requirement * np.random.default_rng(1).uniform(0.9, 1.1, inp.requirement.shape)
    moved = inp.with_requirement(req)

    def lp_of(solver: MixSolver) -> tuple[float, int]:
        with solver._relaxed():
            if solver._warm_basis is not None:
                assert solver.session.highs.setBasis(solver._warm_basis).name == "kOk"
            out = solver.session.solve()
            return out.objective, solver.session.highs.getInfo().simplex_iteration_count

    warm = MixSolver(moved, opts)
    warm.start_from(last)
    assert warm._warm_basis is not None
    cold_lp, cold_it = lp_of(MixSolver(moved, opts))
    warm_lp, warm_it = lp_of(warm)
    assert warm_lp == pytest.approx(cold_lp, rel=1e-9)
    assert warm_it < cold_it
    again = MixSolver(moved, opts)
    again.start_from(last)
    plan = again.solve()
    assert again.warm_lp
    optimum = MixSolver(moved, EXACT).solve(warm_start=False)
    assert plan.bound <= optimum.objective + 1e-6 <= plan.objective + 2e-6
    assert plan.objective - optimum.objective <= 0.01 * plan.objective + 1e-6
    # another shape (one pool fewer): the basis is not handed over
    other = MixSolver(replace(moved, temps=None), opts)
    other.start_from(last)
    assert other._warm_basis is None


def test_a_reported_cost_unlike_the_returned_plan_is_not_trusted(monkeypatch) -> None:
    # HiGHS reporting an objective the returned values do not cost (reference: the costs
    # of the values, computed from the model): when the neighbourhood's plan is misreported
    # the LP-led solve falls back to HiGHS alone and reaches the reference optimum; HiGHS
    # alone misreporting is a PlanError
    inp = day_case(random_req(13, 2), headcount=10)
    solver = MixSolver(inp, EXACT)
    session = type(solver.session)
    solve = session.solve
    lied = [0]

    calls: list[bool] = []  # per run: was it the neighbourhood's

    def misreport(s):  # noqa: ANN001, ANN202
        out = solve(s)
        near = bool(np.isfinite(s._options.get("objective_target", -np.inf)))
        calls.append(near)
        if near:
            lied[0] += 1
            return replace(out, objective=out.objective * 0.999)
        return out

    monkeypatch.setattr(session, "solve", misreport)
    plan = solver.solve()
    monkeypatch.setattr(session, "solve", solve)
    # (one lie per neighbourhood run: the held one's may not reach gap 0, then the
    # widened one's) then HiGHS alone, told the truth
    assert lied[0] in (1, 2) and calls[-1] is False
    assert plan.objective == pytest.approx(
        MixSolver(inp, EXACT).solve(warm_start=False).objective, rel=1e-9)

    def always(s):  # noqa: ANN001, ANN202
        out = solve(s)
        return replace(out, objective=out.objective * 0.9)

    monkeypatch.setattr(session, "solve", always)
    with pytest.raises(PlanError, match="while reporting"):
        MixSolver(inp, EXACT).solve(warm_start=False)


def test_a_variant_of_few_bounds_starts_from_the_plans_lp_basis() -> None:
    # no reserve (one bound) from the plan's final LP basis, in-house only (many bounds)
    # cold; reference: the same variants on a fresh solver that solved nothing before (its
    # LP starts cold), both to optimality
    inp = day_case(random_req(17, 3), headcount=8)
    solver = MixSolver(inp, EXACT)
    solver.solve()
    for variant, warm in (("no_reserve", True), ("in_house_only", False)):
        got = solver.solve_variant(variant)
        assert solver.warm_lp is warm
        ref = MixSolver(inp, EXACT).solve_variant(variant)
        assert got is not None and ref is not None
        assert got.objective == pytest.approx(ref.objective, rel=1e-9)
        assert solver._warm_basis is None  # not left for the next solve


def test_cold_lp_by_interior_point_equals_the_simplex(monkeypatch) -> None:
    # reference: the same LP relaxation by HiGHS's dual simplex (COLD_LP_METHOD 'choose'):
    # the same bound, values of one more agent, plan; the crossover's basis is valid
    import planning.mix as mix_module

    inp = day_case(random_req(19, 3, days=2), headcount=12)
    runs: dict[str, tuple] = {}
    for method in ("ipm", "choose"):
        monkeypatch.setattr(mix_module, "COLD_LP_METHOD", method)
        solver = MixSolver(inp, EXACT)
        plan = solver.solve()
        runs[method] = (plan.bound, plan.objective, solver.marginal_values(),
                        solver._lp_basis.valid)
    (b1, o1, mv1, ok1), (b2, o2, mv2, ok2) = runs["ipm"], runs["choose"]
    assert ok1 and ok2
    assert o1 == pytest.approx(o2, rel=1e-9) and b1 == pytest.approx(b2, rel=1e-9)
    assert mv1 == pytest.approx(mv2, rel=1e-6, abs=1e-6)


def test_cold_lp_method_per_model_and_variant(monkeypatch) -> None:
    # the plan's model by the dual simplex (MixSolver(cold_lp=PLAN_COLD_LP)), the
    # outsourced-only variant by the dual simplex, the in-house-only one by the interior
    # point (VARIANT_COLD_LP); reference: every plan and bound equal to a fresh solver's
    # with the interior point throughout, solved to a gap of 0
    import planning.mix as mix_module

    inp = day_case(random_req(23, 3, days=2), headcount=12)
    used: list[str] = []
    session = type(MixSolver(inp, EXACT).session)
    solve = session.solve

    def noting(s):  # noqa: ANN001, ANN202
        used.append(s._options.get("solver", "choose"))
        return solve(s)

    monkeypatch.setattr(session, "solve", noting)
    solver = MixSolver(inp, EXACT, cold_lp=mix_module.PLAN_COLD_LP)
    plan = solver.solve()
    assert used[0] == "choose"
    got = {}
    for variant in ("in_house_only", "outsourced_only"):
        used.clear()
        got[variant] = solver.solve_variant(variant)
        assert used[0] == mix_module.VARIANT_COLD_LP.get(variant, mix_module.COLD_LP_METHOD)
    monkeypatch.setattr(session, "solve", solve)
    ref = MixSolver(inp, EXACT)
    assert ref.cold_lp == "ipm"
    ref_plan = ref.solve()
    assert plan.objective == pytest.approx(ref_plan.objective, rel=1e-9)
    assert plan.bound == pytest.approx(ref_plan.bound, rel=1e-9)
    for variant, b in got.items():
        r = MixSolver(inp, EXACT).solve_variant(variant)
        assert b is not None and r is not None
        assert b.objective == pytest.approx(r.objective, rel=1e-9)


@pytest.mark.parametrize("failure", ["numerical", "time limit"])
def test_cold_lp_failures_still_reach_the_optimum(monkeypatch, failure: str) -> None:
    # the interior point failing (then simplex) or stopping at the limit with no point
    # (then HiGHS's MIP alone): reference, a plain MIP to optimality on a fresh solver
    from planning.solver import PlanNotFound

    inp = day_case(random_req(29, 2), headcount=10)
    solver = MixSolver(inp, EXACT)
    session = type(solver.session)
    solve = session.solve
    failed = [0]

    def failing(s):  # noqa: ANN001, ANN202
        if s._options.get("solver") == "ipm":
            failed[0] += 1
            if failure == "numerical":
                raise PlanError("HiGHS stopped without a plan (kSolveError)")
            raise PlanNotFound("no feasible plan found within the time limit")
        return solve(s)

    monkeypatch.setattr(session, "solve", failing)
    plan = solver.solve()
    monkeypatch.setattr(session, "solve", solve)
    assert failed[0] == 1
    assert plan.objective == pytest.approx(
        MixSolver(inp, EXACT).solve(warm_start=False).objective, rel=1e-9)


def _cold_lp_bound(inp: MixInputs) -> float:
    """The LP relaxation's optimum solved afresh through Pyomo's own HiGHS interface
    (appsi, its own hand-off — not planning.solver's arrays) by the dual simplex."""
    import pyomo.environ as pyo

    from planning.mix_model import build_model

    m = build_model(inp)
    pyo.TransformationFactory("core.relax_integer_vars").apply_to(m)
    opt = pyo.SolverFactory("appsi_highs")
    res = opt.solve(m)
    assert str(res.solver.termination_condition).endswith("optimal")
    return float(pyo.value(m.cost))


@settings(max_examples=6, deadline=None)
@given(seed=st.integers(0, 10_000), scenarios=st.integers(2, 5))
def test_plan_within_the_gap_of_a_fresh_cold_lp_bound(seed: int, scenarios: int) -> None:
    # the neighbourhood held at whole LP values (planning.mix.NEAR_WIDENINGS) stops at the
    # gap of its own LP bound; reference: the LP bound computed afresh by another path
    gap = 0.005
    inp = day_case(random_req(seed, scenarios, days=2), headcount=16)
    plan = MixSolver(inp, SolverOptions(time_limit_s=60, mip_gap=gap, threads=1)).solve()
    lp = _cold_lp_bound(inp)
    assert plan.status == "optimal"
    assert lp <= plan.bound + 1e-6 * plan.objective
    if plan.bound <= lp + 1e-6 * plan.objective:  # certified by the LP bound alone
        assert plan.objective - lp <= gap * plan.objective + 1e-6
    else:  # the full MIP ran and raised the bound: the optimum to a gap of 0 checks it
        optimum = MixSolver(inp, EXACT).solve(warm_start=False)
        assert plan.bound <= optimum.objective + 1e-6
        assert plan.objective - optimum.objective <= gap * plan.objective + 1e-6
    assert check_plan(inp, plan) == []
    assert plan_cost(inp, plan) == pytest.approx(plan.objective, rel=1e-6, abs=1e-6)


def test_neighbourhood_held_first_then_widened_from_its_plan(monkeypatch) -> None:
    # the first neighbourhood holds every integer at a whole LP value and bounds the
    # others to floor/ceiling; when it does not certify a plan (here: its plan is declared
    # not within the gap), the second widens the whole ones by ± 1 from the first's plan
    # (its MIP start). Reference for the end: a gap-0 full MIP on a fresh solver
    import planning.mix as mix_module

    inp = day_case(random_req(23, 3, days=2), headcount=20)
    solver = MixSolver(inp, SolverOptions(time_limit_s=60, mip_gap=0.01, threads=1))
    seen: list[tuple[np.ndarray, np.ndarray, bool]] = []
    session = type(solver.session)
    solve = session.solve

    def recorded(s):  # noqa: ANN001, ANN202
        out = solve(s)
        if np.isfinite(s._options.get("objective_target", -np.inf)):
            lo = np.array([v.lb for v in solver._ints], dtype=float)
            hi = np.array([np.inf if v.ub is None else v.ub for v in solver._ints])
            seen.append((lo, hi, bool(s._start)))
            if len(seen) == 1:  # not within the gap: the widened one must run
                return replace(out, objective=out.objective * 1.5)
        return out

    monkeypatch.setattr(session, "solve", recorded)
    monkeypatch.setattr(mix_module, "_against", lambda out, b, g: replace(
        out, bound=b, gap=max(out.objective - b, 0) / out.objective,
        status="optimal" if out.objective - b <= g * out.objective else out.status))
    plan = solver.solve()
    monkeypatch.undo()
    assert len(seen) == 2
    (lo0, hi0, start0), (lo1, hi1, start1) = seen
    assert not start0 and start1
    assert np.all(hi0 - lo0 <= 1) and np.any(hi0 == lo0)  # held at whole values
    assert np.all(lo1 <= lo0) and np.all(hi1 >= hi0)  # the widened one contains it
    held = hi0 == lo0
    assert np.all((hi1 - lo1)[held & (lo0 > 0) & np.isfinite(hi1)] >= 1)
    optimum = MixSolver(inp, EXACT).solve(warm_start=False)
    assert plan.objective - optimum.objective <= 0.01 * plan.objective + 1e-6


def test_held_neighbourhood_starts_from_the_lp_rounded_to_the_nearest(monkeypatch) -> None:
    # the held neighbourhood gets the LP's integers rounded to the nearest as a partial
    # MIP start (within its bounds); the widened one gets the held one's plan instead;
    # the full MIP neither. Reference for the plan: a gap-0 full MIP on a fresh solver
    inp = day_case(random_req(37, 3, days=2), headcount=14)
    solver = MixSolver(inp, SolverOptions(time_limit_s=60, mip_gap=0.01, threads=1))
    lp_values: dict[int, float] = {}
    given: list[tuple[bool, object]] = []
    session = type(solver.session)
    solve = session.solve

    def recorded(s):  # noqa: ANN001, ANN202
        near = bool(np.isfinite(s._options.get("objective_target", -np.inf)))
        if not given and not near and s._partial is None:  # the LP relaxation
            out = solve(s)
            lp_values.update({id(v): v.value for v in solver._ints})
            given.append((False, None))
            return out
        partial = None if s._partial is None else (s._partial[0].copy(), s._partial[1].copy())
        given.append((near, partial))
        return solve(s)

    monkeypatch.setattr(session, "solve", recorded)
    plan = solver.solve()
    monkeypatch.undo()
    near, partial = given[1]
    assert near and partial is not None
    cols, vals = partial
    want = solver.session.form.columns_of(solver._ints)
    assert np.array_equal(np.sort(cols), np.sort(want))
    by_col = dict(zip(cols.tolist(), vals.tolist(), strict=True))
    for v in solver._ints:
        j = int(solver.session.form.columns_of([v])[0])
        x = lp_values[id(v)] or 0.0
        assert by_col[j] in (np.floor(x + 1e-6), np.ceil(x - 1e-6))
        assert abs(by_col[j] - x) <= 0.5 + 1e-9
    assert all(p is None for _, p in given[2:])  # widened / full: no partial start
    assert solver.session._partial is None  # not left for later solves
    optimum = MixSolver(inp, EXACT).solve(warm_start=False)
    assert plan.bound <= optimum.objective + 1e-6
    assert plan.objective - optimum.objective <= 0.01 * plan.objective + 1e-6
