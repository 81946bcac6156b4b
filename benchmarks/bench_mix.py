"""Sourcing-mix MILP at benchmark size: 14 days × 30-min intervals, three pools (+ temps),
20 demand scenarios (scenarios/examples/double11_mix.yaml).

Measures, in the same run:
- requirements (Erlang A per channel × interval × scenario);
- Pyomo build (planning.mix_model.build_model) and hand-off to HiGHS (planning.solver:
  compiled to arrays, one passModel);
- HiGHS time: the LP relaxation, the MIP in its neighbourhood (and the full MIP when that
  finds no plan within the gap), and the gap (planning.mix.MixSolver.solve);
- the baseline: a naive formulation that writes the first-stage coverage (Σ shifts +
  Σ blocks) into every scenario's coverage row instead of one column F_t per interval —
  its build + hand-off time and size (and, with --naive-solve, its solve).
- with --cold: the compact model solved by HiGHS alone (no LP-led start).

Run: python benchmarks/bench_mix.py [--time-limit 60] [--gap 0.005] [--naive-solve] [--cold]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pyomo.environ as pyo

from planning import mix_model as mm
from planning.mix import MixSolver
from planning.mix_inputs import MixInputs, SolverOptions
from planning.mix_layout import MixLayout, mix_layout
from planning.solver import HighsSession
from scenarios import load_scenario
from scenarios.adapters.to_mix import demand_cases, mix_inputs, requirement_cases

SCENARIO = Path(__file__).parents[1] / "scenarios" / "examples" / "double11_mix.yaml"


def build_naive(inp: MixInputs, lay: MixLayout) -> pyo.ConcreteModel:
    """Same model, but each scenario row repeats the first-stage sums (no F_t column)."""
    m = pyo.ConcreteModel()
    mm.add_in_house(m, inp, lay)
    mm.add_outsourced(m, inp, lay)
    mm.add_reserve(m, inp, lay)
    mm.add_recourse(m, inp, lay)
    n = inp.n_intervals
    cover: list[list[int]] = [[] for _ in range(n)]
    for i, sh in enumerate(lay.shifts):
        for t in sh.cover:
            cover[t].append(i)
    windows = mm._block_windows(lay.block_starts, inp.outsourced.block, n)
    req = inp.requirement.ravel()
    rows = [int(j) for j in np.flatnonzero(req > 0)]
    eta_h, eta_o = inp.in_house.productivity, inp.outsourced.productivity
    eta_r, eta_t = inp.reserve.productivity, inp.temps.productivity
    w_pos = np.full(n, -1)
    w_pos[lay.temp_intervals] = np.arange(lay.temp_intervals.size)

    def rule(m: pyo.ConcreteModel, j: int) -> object:
        s, t = divmod(j, n)
        e = eta_h * sum(m.x[i] for i in cover[t]) + eta_o * sum(m.b[k] for k in windows[t])
        e = e + m.q[j]
        if lay.callout.of_interval[t] >= 0:
            e = e + eta_r * m.u[int(lay.u_cols.of[s, lay.callout.of_interval[t]])]
        if lay.surge.of_interval[t] >= 0:
            e = e + eta_o * m.v[int(lay.v_cols.of[s, lay.surge.of_interval[t]])]
        if w_pos[t] >= 0:
            e = e + eta_t * m.w[int(lay.w_cols.of[s, w_pos[t]])]
        return e >= float(req[j])

    m.coverage = pyo.Constraint(rows, rule=rule)
    mm.add_objective(m, inp, lay)
    return m


def nonzeros(m: pyo.ConcreteModel) -> int:
    from pyomo.repn import generate_standard_repn

    return sum(len(generate_standard_repn(c.body).linear_vars)
               for c in m.component_data_objects(pyo.Constraint, active=True))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--gap", type=float, default=0.005)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--naive-solve", action="store_true")
    ap.add_argument("--cold", action="store_true")
    args = ap.parse_args()
    opts = SolverOptions(args.time_limit, args.gap, args.threads)

    t0 = time.perf_counter()
    sc = load_scenario(SCENARIO)
    cases = requirement_cases(sc, demand_cases(sc))
    inp = mix_inputs(sc, cases)
    req_s = time.perf_counter() - t0
    print(f"instance: {inp.n_intervals} intervals × {len(inp.cases)} scenarios, pools: "
          f"in_house, outsourced, reserve, temps; requirements {req_s:.2f} s")

    t0 = time.perf_counter()
    lay = mix_layout(inp)
    m = mm.build_model(inp, lay)
    build_s = time.perf_counter() - t0
    session = HighsSession(m, opts)
    nz = nonzeros(m)
    n_vars = sum(1 for _ in m.component_data_objects(pyo.Var))
    n_rows = sum(1 for _ in m.component_data_objects(pyo.Constraint))
    print(f"compact: {n_rows} rows, {n_vars} columns, {nz} nonzeros; "
          f"Pyomo build {build_s:.2f} s + hand-off {session.handoff_s:.2f} s")

    solver = MixSolver(inp, opts)  # the product path (build + hand-off timed inside)
    plan = solver.solve()
    total = solver.build_s + plan.solve_s
    print(f"plan: {plan.status}, objective {plan.objective:,.0f}, gap {plan.gap:.3%}, "
          f"reserve pool {plan.reserve_pool}")
    print(f"  build_s {solver.build_s:.2f} (model + hand-off)   solve_s {plan.solve_s:.2f} "
          f"(HiGHS: LP, neighbourhood MIP, full MIP if needed)   total {total:.2f} s;  build share "
          f"{solver.build_s / total:.1%} (target ≤ 33%), total target < 60 s")

    t0 = time.perf_counter()
    naive = build_naive(inp, lay)
    nb = time.perf_counter() - t0
    ns = HighsSession(naive, opts)
    nnz = nonzeros(naive)
    print(f"naive: {nnz} nonzeros ({nnz / nz:.1f}× compact); Pyomo build {nb:.2f} s + "
          f"hand-off {ns.handoff_s:.2f} s = {(nb + ns.handoff_s) / solver.build_s:.1f}× the "
          f"compact build")
    if args.naive_solve:
        out = ns.solve()
        print(f"  naive solve (HiGHS alone): {out.status}, gap {out.gap:.3%}, "
              f"{out.solve_s:.2f} s")
    if args.cold:
        cold = MixSolver(inp, opts).solve(warm_start=False)
        print(f"cold (HiGHS alone, no LP-led start): {cold.status}, gap {cold.gap:.3%}, "
              f"solve {cold.solve_s:.2f} s = {cold.solve_s / plan.solve_s:.1f}× the LP-led "
              f"run")


if __name__ == "__main__":
    main()
