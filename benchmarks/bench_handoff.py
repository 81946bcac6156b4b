"""The Pyomo → HiGHS hand-off of the sourcing-mix MILP, before → after, in the same run
(issues 22 and 25: "a persistent model updated in place", "solve less, solve warm").

On scenarios/examples/double11.yaml (unless another scenario is given), the flagship's
first model (requirements computed once):
- the hand-off: before, Pyomo's persistent interface (appsi ``set_instance``: one Python
  call per constraint and variable); after, planning.linear_form (Pyomo's linear walker,
  one pass, to arrays) + one ``highspy.Highs.passModel`` — and Pyomo's own matrix
  compiler (pyomo.repn.plugins.standard_form) beside them for reference;
- the first plan's whole solve (planning.mix.MixSolver.solve: LP relaxation, the MIP in
  its neighbourhood, the full MIP if needed) through each session (before: its LP by
  dual simplex; after: by interior point + crossover): HiGHS's own seconds,
  the seconds around it (bound changes, reading the plan), and the cost — the same model,
  so the same plan within the gap;
- the loop's re-solve (the requirement moved ±10%): a new solver built and solved, against
  the last solver's model updated in place (MixSolver.moved_to);
- the first plan's cold LP relaxation by dual simplex (before) and by interior point +
  crossover (planning.mix.COLD_LP_METHOD, after), each on a fresh solver, with the first
  plan, the value of one more agent and the no-reserve baseline (warm from the plan's LP
  basis before and after).
Prints seconds, ratios and the load average (the machine is shared: read the ratios).

Run: python benchmarks/bench_handoff.py [SCENARIO] [--time-limit S]
"""

from __future__ import annotations

import argparse
import logging
import os
import time
from pathlib import Path
from typing import Any

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.contrib.appsi.base import TerminationCondition
from pyomo.contrib.appsi.solvers.highs import Highs
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

import planning.mix as mix_module
from planning.mix import MixPlan, MixSolver
from planning.mix_inputs import SolverOptions
from planning.solver import HighsSession, PlanError, PlanInfeasible, PlanNotFound, SolveOutcome
from scenarios import load_scenario
from scenarios.adapters.to_mix import demand_cases, mix_inputs, requirement_cases, solver_options

SCENARIO = Path(__file__).parents[1] / "scenarios" / "examples" / "double11.yaml"
logging.getLogger("pyomo.contrib.appsi.solvers.highs").addFilter(
    lambda r: "kInterrupt" not in r.getMessage())


class AppsiSession(HighsSession):
    """The replaced session (planning/solver.py before this change): the model handed
    over through Pyomo's persistent interface, bounds pushed and values read back through
    it. Only what MixSolver uses; interrupts are not watched."""

    def __init__(self, model: pyo.ConcreteModel, options: SolverOptions) -> None:
        self._model = model
        self._opt = Highs()
        self._opt.config.load_solution = False
        self._opt.config.mip_gap = options.mip_gap
        self._time_limit = options.time_limit_s
        self._options: dict[str, Any] = {"random_seed": 0}
        if options.threads:
            self._options["threads"] = int(options.threads)
        uc = self._opt.update_config
        for flag in ("check_for_new_or_removed_constraints", "check_for_new_or_removed_vars",
                     "check_for_new_or_removed_params", "check_for_new_objective",
                     "update_constraints", "update_vars", "update_params",
                     "update_named_expressions", "update_objective"):
            setattr(uc, flag, False)
        t0 = time.perf_counter()
        self._opt.set_instance(model)
        self.handoff_s = time.perf_counter() - t0

    @property
    def highs(self) -> highspy.Highs:
        return self._opt._solver_model

    def integer_vars(self) -> list:
        return [v for v in self._model.component_data_objects(pyo.Var) if v.is_integer()]

    def update_vars(self, variables: list) -> None:
        self._opt.update_variables(variables)

    def use_start(self, on: bool) -> None:
        self._opt.config.warmstart = on

    def clear_start(self) -> None:
        self._opt.config.warmstart = False
        self._opt._solver_model.clearSolver()

    def set_gap(self, gap: float) -> None:
        self._opt.config.mip_gap = gap

    def objective_of_values(self) -> float:
        obj = next(self._model.component_data_objects(pyo.Objective, active=True))
        return float(pyo.value(obj))

    def reduced_costs(self, variables: list) -> dict[int, float]:
        rc = self._opt.get_reduced_costs(variables)
        return {id(v): float(rc[v]) for v in variables}

    def set_bounds(self, changes: list) -> None:
        for var, lb, ub in changes:
            var.setlb(lb)
            var.setub(ub)
        self._opt.update_variables([v for v, _, _ in changes])

    def solve(self) -> SolveOutcome:
        highspy.Highs.resetGlobalScheduler(True)
        clock = float(self._opt._solver_model.getRunTime())
        self._opt.highs_options = {**self._options, "time_limit": clock + self._time_limit}
        t0 = time.perf_counter()
        res = self._opt.solve(self._model)
        solve_s = time.perf_counter() - t0
        tc = res.termination_condition
        if tc in (TerminationCondition.infeasible, TerminationCondition.infeasibleOrUnbounded):
            raise PlanInfeasible("no plan meets the constraints with the pools' limits")
        if tc == TerminationCondition.optimal:
            status = "optimal"
        elif tc in (TerminationCondition.maxTimeLimit, TerminationCondition.maxIterations,
                    TerminationCondition.objectiveLimit, TerminationCondition.interrupted):
            if res.best_feasible_objective is None:
                raise PlanNotFound("no feasible plan found within the time limit")
            status = "time_limit"
        else:
            raise PlanError(f"HiGHS stopped without a plan ({tc.name})")
        obj = float(res.best_feasible_objective)
        bound = res.best_objective_bound
        bound = obj if bound is None else float(bound)
        res.solution_loader.load_vars()
        return SolveOutcome(status, obj, bound, abs(obj - bound) / max(abs(obj), 1e-9),
                            solve_s)


class Timed:
    """Sums the seconds HiGHS runs (session.solve's own solve_s) over a MixSolver's work."""

    def __init__(self) -> None:
        self.highs_s = 0.0

    def wrap(self, cls: type) -> type:
        timed = self

        class Counting(cls):  # type: ignore[misc, valid-type]
            def solve(self) -> SolveOutcome:
                out = super().solve()
                timed.highs_s += out.solve_s
                return out

        return Counting


def with_session(cls: type, make):  # noqa: ANN001, ANN201
    """``make()`` with planning.mix using ``cls`` as its session."""
    saved = mix_module.HighsSession
    mix_module.HighsSession = cls
    try:
        return make()
    finally:
        mix_module.HighsSession = saved


def solved(cls: type, inp, opts: SolverOptions) -> tuple[MixSolver, MixPlan, float, float, float]:  # noqa: ANN001
    """(solver, plan, hand-off s, whole solve s, HiGHS s) of the first plan; the old
    session with the old cold LP (dual simplex)."""
    t = Timed()
    mix_module.COLD_LP_METHOD = "choose" if cls is AppsiSession else "ipm"
    try:
        solver = with_session(t.wrap(cls), lambda: MixSolver(inp, opts))
        t0 = time.perf_counter()
        plan = with_session(t.wrap(cls), solver.solve)
    finally:
        mix_module.COLD_LP_METHOD = "ipm"
    return solver, plan, solver.session.handoff_s, time.perf_counter() - t0, t.highs_s


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario", nargs="?", default=str(SCENARIO))
    ap.add_argument("--time-limit", type=float, default=None,
                    help="per solve (default: the scenario's)")
    args = ap.parse_args()
    sc = load_scenario(args.scenario)
    opts = solver_options(sc, args.time_limit)
    load0 = os.getloadavg()
    rates = demand_cases(sc)
    inp = mix_inputs(sc, requirement_cases(sc, rates))
    print(f"scenario {sc.name}; time limit {opts.time_limit_s:.0f} s, gap {opts.mip_gap:.2%}; "
          f"load average {load0[0]:.1f} {load0[1]:.1f}")
    t0 = time.perf_counter()
    m = mix_module.build_model(inp)
    build_s = time.perf_counter() - t0
    n_var = sum(1 for _ in m.component_data_objects(pyo.Var))
    n_con = sum(1 for _ in m.component_data_objects(pyo.Constraint, active=True))
    t0 = time.perf_counter()
    LinearStandardFormCompiler().write(m, mixed_form=True)
    pyomo_compiler_s = time.perf_counter() - t0
    print(f"first model: {n_var:,} variables, {n_con:,} constraints; Pyomo build "
          f"{build_s:.2f} s; Pyomo's standard-form compiler alone {pyomo_compiler_s:.2f} s")

    old_solver, old, old_hand, old_all, old_highs = solved(AppsiSession, inp, opts)
    new_solver, new, new_hand, new_all, new_highs = solved(HighsSession, inp, opts)
    rows = [("hand-off", old_hand, new_hand),
            ("first solve, HiGHS", old_highs, new_highs),
            ("first solve, around HiGHS", old_all - old_highs, new_all - new_highs)]
    for name, a, b in rows:
        print(f"  {name:<26} {a:7.2f} s → {b:7.2f} s  ({b / a:.2f})")
    print(f"  first plan: before {old.status} {old.objective:,.0f} CNY (gap {old.gap:.2%}), "
          f"after {new.status} {new.objective:,.0f} CNY (gap {new.gap:.2%}); "
          f"difference {abs(new.objective - old.objective) / old.objective:.3%} "
          f"(within the gap {opts.mip_gap:.2%} of each other's bound: "
          f"{new.objective <= old.bound / (1 - opts.mip_gap) + 1e-6 and old.objective <= new.bound / (1 - opts.mip_gap) + 1e-6})")

    rng = np.random.default_rng(0)
    ih = inp.in_house_requirement
    moved = inp.with_requirement(inp.requirement * rng.uniform(0.9, 1.1, inp.requirement.shape),
                                 None if ih is None else ih * rng.uniform(0.9, 1.1, ih.shape))
    t0 = time.perf_counter()
    rebuilt = MixSolver(moved, opts)
    rebuilt.start_from(new_solver)
    rebuild_s = time.perf_counter() - t0
    p_rebuilt = rebuilt.solve()
    rebuilt_all = time.perf_counter() - t0
    t0 = time.perf_counter()
    updated = new_solver.moved_to(moved)
    update_s = time.perf_counter() - t0
    p_updated = updated.solve()
    updated_all = time.perf_counter() - t0
    print(f"the loop's re-solve, requirement moved ±10%: new solver built {rebuild_s:.2f} s "
          f"(whole {rebuilt_all:.1f} s, {p_rebuilt.objective:,.0f} CNY), the last model "
          f"updated in place {update_s:.2f} s (whole {updated_all:.1f} s, "
          f"{p_updated.objective:,.0f} CNY); build ratio {update_s / rebuild_s:.3f}")
    lp_rows = {}
    for method in ("choose", "ipm"):
        mix_module.COLD_LP_METHOD = method
        solver = MixSolver(inp, opts)
        t0 = time.perf_counter()
        with solver._relaxed():
            lp = solver._solve_lp(cold=True)
        lp_s = time.perf_counter() - t0
        solver = MixSolver(inp, opts)
        t0 = time.perf_counter()
        plan = solver.solve()
        values = solver.marginal_values()
        base = solver.solve_variant("no_reserve")
        lp_rows[method] = (lp_s, lp.objective, time.perf_counter() - t0, plan.objective,
                           values, None if base is None else base.objective)
    mix_module.COLD_LP_METHOD = "ipm"
    (a_lp, a_bound, a_all, a_plan, a_val, a_base) = lp_rows["choose"]
    (b_lp, b_bound, b_all, b_plan, b_val, b_base) = lp_rows["ipm"]
    print(f"the cold LP relaxation: dual simplex {a_lp:.2f} s → interior point + crossover "
          f"{b_lp:.2f} s ({b_lp / a_lp:.2f}); LP bound {a_bound:,.2f} / {b_bound:,.2f}")
    print(f"  first plan + value of one more agent + no-reserve baseline: {a_all:.1f} s → "
          f"{b_all:.1f} s ({b_all / a_all:.2f}); plan {a_plan:,.0f} / {b_plan:,.0f} CNY; "
          f"values {a_val[0]:,.2f}, {a_val[1]:,.2f} / {b_val[0]:,.2f}, {b_val[1]:,.2f}; "
          f"baseline {a_base:,.0f} / {b_base:,.0f}")
    print(f"  hand-off {old_hand:.2f} → {new_hand:.2f} s: {old_hand / new_hand:.1f}x faster; "
          f"old solver kept for comparison: {old_solver.session.handoff_s:.2f} s")
    load1 = os.getloadavg()
    print(f"load average at the end {load1[0]:.1f} {load1[1]:.1f}")


if __name__ == "__main__":
    main()
