"""The whole mix stage (scenarios.checked_mix: solve, check rounds, verdict, ways out,
baselines) on the flagship, against the structure it replaced, measured in the same run.

Measures, on scenarios/examples/double11.yaml (14 days × 30 min, 20 demand scenarios,
in-house-first routing) unless another scenario is given:
- the mix stage as `peakdesk plan` and `peakdesk run` run it, each simulation of every
  demand scenario and each HiGHS solve timed;
- the replaced structure, from the same run's unit times: the first solve, per round one
  simulation and one re-solve, one more simulation of the last plan, the routing probe's
  simulation when the plan misses, and the same baselines (compare_mix) — what the
  raise-and-double loop did.
Prints both, their ratio and the load average (the machine is shared: read ratios).

Run: python benchmarks/bench_check.py [SCENARIO] [--rounds N] [--workers W]
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import planning.mix as mix
import scenarios.plan_check as pc
from scenarios import load_scenario
from scenarios.checked_mix import checked_mix
from scenarios.to_mix import solver_options

SCENARIO = Path(__file__).parents[1] / "scenarios" / "examples" / "double11.yaml"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario", nargs="?", default=str(SCENARIO))
    ap.add_argument("--rounds", type=int, default=None)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    sc = load_scenario(args.scenario)
    sims: list[float] = []
    solves: list[float] = []
    call, solve = pc.SimValidator.__call__, mix.MixSolver.solve

    def timed_call(self, plan):  # noqa: ANN001, ANN202
        t = time.perf_counter()
        out = call(self, plan)
        sims.append(time.perf_counter() - t)
        return out

    def timed_solve(self, warm_start=True):  # noqa: ANN001, ANN202
        t = time.perf_counter()
        out = solve(self, warm_start)
        solves.append(time.perf_counter() - t)
        return out

    pc.SimValidator.__call__ = timed_call
    mix.MixSolver.solve = timed_solve
    load0 = os.getloadavg()[0]
    t0 = time.perf_counter()
    mixed = checked_mix(sc, solver_options(sc), rounds=args.rounds, workers=args.workers)
    stage = time.perf_counter() - t0
    checked = mixed.checked
    n_rounds = len(checked.rounds)
    sim_mean = sum(sims) / max(len(sims), 1)
    # the replaced structure: first solve + (rounds − 1) re-solves, one simulation per
    # round, the probe's when it misses; the baselines and mean-value plan as now
    compare = solves[-5:]  # compare_mix: three baselines, the mean-value plan, its recourse
    old = (sum(solves[:n_rounds]) + n_rounds * sim_mean
           + (sim_mean if not checked.holds else 0.0) + sum(compare))
    print(f"scenario: {sc.name}; load average {load0:.1f} → {os.getloadavg()[0]:.1f}")
    for r in checked.rounds:
        print(f"  round {r.round}: cost {r.objective:,.0f}, holds in {r.scenarios_held}/"
              f"{len(checked.final.scenario_names)} (loop streams), raised {r.raised}, "
              f"lowered {r.lowered}")
    a = checked.assessment
    print(f"verdict (fresh streams): holds in {int(a.holds.sum())}/{len(a.holds)} "
          f"({a.share:.0%}); kept round {checked.kept_round}; stopped {checked.stopped}")
    print(f"simulations of every scenario: {len(sims)} × {sim_mean:.1f} s; HiGHS solves: "
          f"{len(solves)}, {sum(solves):.1f} s")
    print(f"mix stage: {stage:.1f} s; replaced structure from the same unit times: "
          f"{old:.1f} s; ratio {stage / old:.2f}")


if __name__ == "__main__":
    main()
