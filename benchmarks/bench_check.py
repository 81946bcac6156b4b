"""The check-and-tighten loop on double11_mix.yaml against one plain solve, same run.

Measures, on scenarios/examples/double11_mix.yaml (14 days × 30 min, 20 demand scenarios):
- the baseline: one solve of the mix (MixSolver build + HiGHS), as `peakdesk plan` did
  before the loop;
- the loop (scenarios.checked_mix without the baselines), from that solve: simulate every demand
  scenario with its own recourse (``planning.check_replications`` replications, 2 workers)
  → raise the missed scenario-intervals → re-solve, up to ``planning.validation_rounds``
  re-solves; each round's time split into simulation and solve.
Prints the ratio loop / single solve (target ≤ 3 on 2 cores).

Run: python benchmarks/bench_check.py [--rounds N] [--replications R] [--workers W]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from planning.iterate import check_and_tighten
from planning.mix import MixSolver
from scenarios import load_scenario
from scenarios.checked_mix import CHECK_Z, check_spec
from scenarios.plan_check import sim_validator
from scenarios.to_mix import demand_cases, mix_inputs, requirement_cases, solver_options

SCENARIO = Path(__file__).parents[1] / "scenarios" / "examples" / "double11_mix.yaml"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=None)
    ap.add_argument("--replications", type=int, default=None)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    sc = load_scenario(SCENARIO)
    opts = solver_options(sc)
    rates = demand_cases(sc)
    inp = mix_inputs(sc, requirement_cases(sc, rates))

    t0 = time.perf_counter()
    solver = MixSolver(inp, opts)
    plan = solver.solve()
    single = time.perf_counter() - t0
    print(f"single solve: {single:.1f} s (objective {plan.objective:,.0f}, gap {plan.gap:.3%})")

    rounds = sc.planning.validation_rounds if args.rounds is None else args.rounds
    reps = sc.planning.check_replications if args.replications is None else args.replications
    sim_s: list[float] = []
    inner = sim_validator(sc, rates, reps, sc.simulation.seed, workers=args.workers)

    def timed(p):  # noqa: ANN001, ANN202
        t = time.perf_counter()
        out = inner(p)
        sim_s.append(time.perf_counter() - t)
        return out

    import planning.iterate as it

    solve_s: list[float] = []
    plain = it._solve

    def timed_solve(*a, **k):  # noqa: ANN002, ANN003, ANN202
        t = time.perf_counter()
        out = plain(*a, **k)
        solve_s.append(time.perf_counter() - t)
        return out

    it._solve = timed_solve
    # the loop starts from that solve (as scenarios.checked_mix does): loop = single + the rest
    t0 = time.perf_counter()
    checked = check_and_tighten(inp, opts, timed, check_spec(sc, CHECK_Z["sim"]), rounds=rounds,
                                first=(solver, plan))
    loop = single + time.perf_counter() - t0
    solve_s.insert(0, single)
    for r, s in zip(checked.rounds, sim_s, strict=True):
        print(f"  round {r.round}: cost {r.objective:,.0f}, holds in {r.scenarios_held}/20 "
              f"({r.share_held:.0%}), missed periods {r.misses}, raised {r.raised}; "
              f"simulation {s:.1f} s")
    print(f"loop: {loop:.1f} s ({len(checked.rounds)} checks of 20 scenarios × {reps} "
          f"replications, {len(checked.rounds) - 1} re-solves; simulation {sum(sim_s):.1f} s, "
          f"solves {loop - sum(sim_s):.1f} s); stopped: {checked.stopped}, holds: "
          f"{checked.holds}")
    print("  solves (first, re-solves): " + ", ".join(f"{x:.1f} s" for x in solve_s))
    print(f"ratio loop / single solve: {loop / single:.2f} (target ≤ 3)")


if __name__ == "__main__":
    main()
