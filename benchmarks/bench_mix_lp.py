"""The flagship's first plan and its outsourced-only baseline with the cold LP relaxation
by the interior point (the old way) and by the dual simplex (planning.mix.PLAN_COLD_LP,
VARIANT_COLD_LP), alternately in one process: CPU seconds (HiGHS's threads included) and
the plans, which must be the same (issue 25, docs/performance.md "The mix stage's
critical path").

Run: python benchmarks/bench_mix_lp.py [SCENARIO] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

SCENARIO = Path(__file__).parents[1] / "scenarios" / "examples" / "double11.yaml"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario", nargs="?", default=str(SCENARIO))
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()

    import planning.mix as mix
    from scenarios import load_scenario
    from scenarios.adapters.to_mix import (
        demand_cases,
        mix_inputs,
        requirement_cases,
        solver_options,
    )

    sc = load_scenario(args.scenario)
    opts = solver_options(sc, 600)  # no solve stops on the clock under load
    inp = mix_inputs(sc, requirement_cases(sc, demand_cases(sc)))
    load0 = os.getloadavg()[0]
    ways = {"interior point (before)": ("ipm", {}),
            "dual simplex (now)": (mix.PLAN_COLD_LP, dict(mix.VARIANT_COLD_LP))}
    cpu: dict[str, dict[str, float]] = {w: {"plan": 0.0, "outsourced_only": 0.0}
                                        for w in ways}
    seen: dict[str, set] = {w: set() for w in ways}
    for _ in range(args.repeat):
        for way, (plan_lp, variants) in ways.items():
            mix.VARIANT_COLD_LP = variants
            solver = mix.MixSolver(inp, opts, cold_lp=plan_lp)
            t = time.process_time()
            plan = solver.solve()
            cpu[way]["plan"] += time.process_time() - t
            t = time.process_time()
            base = solver.solve_variant("outsourced_only")
            cpu[way]["outsourced_only"] += time.process_time() - t
            mv = solver.marginal_values()
            seen[way].add((round(plan.objective, 6), round(plan.bound, 6), plan.hires,
                           plan.reserve_pool, round(base.objective, 6),
                           tuple(round(v, 6) for v in mv if v is not None)))
    print(f"load average {load0:.1f} → {os.getloadavg()[0]:.1f}; CPU s per solve, mean "
          f"of {args.repeat}")
    old, new = ways
    for part in ("plan", "outsourced_only"):
        a, b = cpu[old][part] / args.repeat, cpu[new][part] / args.repeat
        print(f"  {part:16s} {old}: {a:5.2f}   {new}: {b:5.2f}   ratio {b / a:.2f}")
    same = seen[old] == seen[new] and len(seen[old]) == 1
    print(f"  the same plans, LP bound, baseline and values of one more agent: {same}")
    for way in ways:
        print(f"    {way}: {sorted(seen[way])}")


if __name__ == "__main__":
    main()
