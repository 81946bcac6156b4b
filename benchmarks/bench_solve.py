"""The flagship's mix solves, before → after, in the same run (issues 22 and 25: "solve
less, solve warm").

On scenarios/examples/double11.yaml (unless another scenario is given) — requirements
computed once, then each solve the mix stage makes, the old way and the new way:
- the first solve: before, the rounding start (LP relaxation → first stage rounded →
  recourse LP) handed to HiGHS's full MIP; after, the LP relaxation → the MIP in the LP's
  neighbourhood stopped at the gap of the LP bound → the full MIP only if that fails
  (planning.mix.MixSolver.solve);
- the value of one more agent: before, an LP relaxation solved again; after, the reduced
  costs of the plan's own LP relaxation;
- the three baselines (in-house only, outsourced only, no reserve), each way;
- the plan for overflow at once (scenarios.checked_mix.at_once_plan's solve), each way;
- the loop's re-solve after the requirement moves (±10%, as a correction round moves it):
  cold, and with its LP relaxation started from the last round's final basis.
Prints seconds, status, cost and gap of each, the ratios, and the load average (the
machine is shared: read the ratios).

Run: python benchmarks/bench_solve.py [SCENARIO] [--time-limit S]
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from planning.mix import MixPlan, MixSolver
from planning.solver import PlanError
from scenarios import load_scenario
from scenarios.adapters.to_mix import demand_cases, mix_inputs, requirement_cases, solver_options
from scenarios.checked_mix import overflow_at_once

SCENARIO = Path(__file__).parents[1] / "scenarios" / "examples" / "double11.yaml"
VARIANTS = ("in_house_only", "outsourced_only", "no_reserve")


def rounding_start(solver: MixSolver) -> float:
    """The replaced start (planning/mix.py before this change): LP relaxation → shifts
    rounded to nearest (down if a roster row breaks), reserve and hires up → recourse LP
    → MIP start. Returns HiGHS's seconds."""
    spent, start_ok, m = 0.0, False, solver.m
    with solver._relaxed():
        lp = solver.session.solve()
        spent += lp.solve_s
        hire = getattr(m, "hire", None)
        relaxed = [(v, v.value or 0.0) for v in solver._ints]
        for shift_round in (lambda x: np.floor(x + 0.5), lambda x: np.floor(x + 1e-6)):
            for v, x in relaxed:
                name = v.parent_component().local_name
                r = np.ceil(x - 1e-6) if name in ("R", "hire") else shift_round(x)
                r = min(max(r, v.lb if v.lb is not None else 0.0),
                        v.ub if v.ub is not None else r)
                if v is not hire:
                    v.setlb(r)
                    v.setub(r)
            solver.session.update_vars(solver._ints)
            try:
                fixed = solver.session.solve()
                spent += fixed.solve_s
                if hire is not None:
                    hire.set_value(float(np.ceil((hire.value or 0.0) - 1e-6)))
                start_ok = True
                break
            except PlanError:
                start_ok = False
    if start_ok:
        solver.session.use_start(True)
    return spent


def old_solve(solver: MixSolver) -> MixPlan:
    """The replaced procedure: rounding start, then the full MIP for the time left."""
    limit = solver.options.time_limit_s
    t0 = time.perf_counter()
    try:
        t_heur = rounding_start(solver)
        solver.session.set_time_limit(max(limit - t_heur, 0.05 * limit, 0.5))
        out = solver.session.solve()
    finally:
        solver.session.use_start(False)
        solver.session.set_time_limit(limit)
    return solver._read(replace(out, solve_s=time.perf_counter() - t0))


def old_variant(solver: MixSolver, variant: str) -> MixPlan | None:
    changes = solver.bound_changes(variant)
    saved = [(v, v.lb, v.ub) for v, _, _ in changes]
    solver.session.set_bounds(changes)
    try:
        return old_solve(solver)
    except PlanError:
        return None
    finally:
        solver.session.set_bounds(saved)


def timed(run):  # noqa: ANN001, ANN201
    t0 = time.perf_counter()
    out = run()
    return out, time.perf_counter() - t0


def said(plan: MixPlan | None) -> str:
    if plan is None:
        return "no plan"
    return f"{plan.status}, {plan.objective:,.0f} CNY, gap {plan.gap:.2%}"


def re_solve_cold_vs_warm(last: MixSolver) -> tuple[MixPlan, float, MixPlan, float]:
    """The loop's re-solve after the requirement moves (±10% on every scenario-interval,
    as a correction round moves it), built and solved cold, and started from the final
    basis of ``last``'s LP relaxation (planning.iterate._solve). Build included."""
    inp = last.inp
    rng = np.random.default_rng(0)
    ih = inp.in_house_requirement
    moved = inp.with_requirement(inp.requirement * rng.uniform(0.9, 1.1, inp.requirement.shape),
                                 None if ih is None else ih * rng.uniform(0.9, 1.1, ih.shape))
    cold, t_cold = timed(lambda: MixSolver(moved, last.options).solve())

    def warm_solve() -> MixPlan:
        solver = MixSolver(moved, last.options)
        solver.start_from(last)
        return solver.solve()

    warm, t_warm = timed(warm_solve)
    return cold, t_cold, warm, t_warm


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario", nargs="?", default=str(SCENARIO))
    ap.add_argument("--time-limit", type=float, default=None,
                    help="per solve (default: the scenario's)")
    args = ap.parse_args()
    sc = load_scenario(args.scenario)
    opts = solver_options(sc, args.time_limit)
    load0 = os.getloadavg()
    (rates, cases), t_req = timed(lambda: (r := demand_cases(sc), requirement_cases(sc, r)))
    inp = mix_inputs(sc, cases)
    print(f"scenario {sc.name}: requirements {t_req:.1f} s; time limit {opts.time_limit_s:.0f} s"
          f", gap {opts.mip_gap:.2%}; load average {load0[0]:.1f} {load0[1]:.1f}")
    rows: list[tuple[str, float, float, str, str]] = []
    old, new = MixSolver(inp, opts), MixSolver(inp, opts)
    p_old, t_old = timed(lambda: old_solve(old))
    p_new, t_new = timed(new.solve)
    rows.append(("first solve", t_old, t_new, said(p_old), said(p_new)))
    mv_old, t_old = timed(old.marginal_values)  # no LP kept: solves one
    mv_new, t_new = timed(new.marginal_values)
    rows.append(("value of one more agent", t_old, t_new,
                 f"{mv_old[0]:,.0f} / {mv_old[1]:,.0f}", f"{mv_new[0]:,.0f} / {mv_new[1]:,.0f}"))
    for v in VARIANTS:
        b_old, t_old = timed(lambda v=v: old_variant(old, v))
        b_new, t_new = timed(lambda v=v: new.solve_variant(v))
        rows.append((f"baseline {v}", t_old, t_new, said(b_old), said(b_new)))
    if sc.routing.policy == "in_house_first" and sc.routing.overflow_after_s > 0:
        at_once = mix_inputs(overflow_at_once(sc), tuple(c.overflowing_at_once()
                                                         for c in cases))
        a_old, t_old = timed(lambda: old_solve(MixSolver(at_once, opts)))
        a_new, t_new = timed(lambda: MixSolver(at_once, opts).solve())
        rows.append(("plan for overflow at once", t_old, t_new, said(a_old), said(a_new)))
    width = max(len(r[0]) for r in rows)
    for name, a, b, sa, sb in rows:
        print(f"  {name:<{width}}  {a:6.1f} s → {b:6.1f} s  ({b / a:.2f})   "
              f"before: {sa};  after: {sb}")
    before, after = sum(r[1] for r in rows), sum(r[2] for r in rows)
    print(f"  {'all of these':<{width}}  {before:6.1f} s → {after:6.1f} s  "
          f"({after / before:.2f}, {before / after:.1f}x faster)")
    cold, t_cold, warm, t_warm = re_solve_cold_vs_warm(new)
    print(f"the loop's re-solve, requirement moved ±10% (build included): cold {t_cold:.1f} s "
          f"({said(cold)}), from the last basis {t_warm:.1f} s ({said(warm)}); "
          f"ratio {t_warm / t_cold:.2f}")
    load1 = os.getloadavg()
    print(f"load average at the end {load1[0]:.1f} {load1[1]:.1f}")


if __name__ == "__main__":
    main()
