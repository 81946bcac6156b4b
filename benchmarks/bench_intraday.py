"""One ``peakdesk intraday`` call on the flagship (scenarios/examples/double11.yaml, 14
days, 20 demand scenarios) against the plan's own MILP solve in the same run.

Measures, in the same run:
- the baseline: the flagship's sourcing mix solved once (requirements, build, HiGHS; no
  simulation check), as ``peakdesk plan`` does before checking — its plan is written as
  a ``plan --out`` folder (plan.csv, recourse.csv, plan.json);
- one intraday call on that folder at 2026-11-11T01:30 with the bundled actuals
  (scenarios/examples/double11_actuals.csv): posterior, decisions (one recourse model over
  the rest of the horizon, the decisions already due from recourse.csv),
  replay of the rest of the day (4 replications per case, 2 workers) — the budget is
  20 s on 2 cores (it must run every 30 minutes on the day).

Prints the wall and CPU times, their ratios and the load average (on a shared machine
the CPU time is the steadier figure).

Run: python benchmarks/bench_intraday.py
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).parents[1]
SCENARIO = ROOT / "scenarios" / "examples" / "double11.yaml"
ACTUALS = ROOT / "scenarios" / "examples" / "double11_actuals.csv"
NOW = "2026-11-11T01:30"


def cpu_s() -> float:
    """CPU seconds of this process and its finished children (the replay's workers; HiGHS
    threads count in the process)."""
    import resource

    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    from planning.mix import MixComparison, MixSolver
    from scenarios.adapters.to_mix import (
        demand_cases,
        mix_inputs,
        requirement_cases,
        solver_options,
    )
    from scenarios.commands.intraday import parse_now, run_intraday
    from scenarios.intraday.recourse_table import write_recourse
    from scenarios.reading.load import load_scenario
    from scenarios.writing.plan_output import write_plan_dir

    load = os.getloadavg()
    sc = load_scenario(SCENARIO)
    t0, c0 = time.perf_counter(), cpu_s()
    inp = mix_inputs(sc, requirement_cases(sc, demand_cases(sc)))
    plan = MixSolver(inp, solver_options(sc)).solve()
    t_plan, c_plan = time.perf_counter() - t0, cpu_s() - c0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "plan"
        write_plan_dir(folder, sc, MixComparison(plan, {}, None, None))
        write_recourse(folder, plan, sc.horizon.interval_starts())  # as plan --out does
        (folder / "plan.json").write_text(json.dumps(
            {"reserve_pool": plan.reserve_pool, "scenario_file": str(SCENARIO)}))
        t1, c1 = time.perf_counter(), cpu_s()
        out = run_intraday(str(folder), str(ACTUALS), parse_now(NOW))
        t_day, c_day = time.perf_counter() - t1, cpu_s() - c1
    print(f"load average before: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; "
          f"after: {os.getloadavg()[0]:.1f}")
    print(f"baseline: flagship mix solved once (requirements + build + HiGHS, "
          f"{plan.status}, gap {plan.gap:.2%}): {t_plan:.1f} s wall, {c_plan:.1f} s CPU")
    print(f"intraday at {NOW}: {t_day:.1f} s wall, {c_day:.1f} s CPU (decide {out.doc['timings_s']['decide']:.1f} s, "
          f"replay {out.doc['timings_s']['replay']:.1f} s); {len(out.doc['actions'])} actions, "
          f"most likely {out.doc['seen']['most_likely']}")
    print(f"ratio intraday / plan solve: {t_day / t_plan:.2f} wall, {c_day / c_plan:.2f} CPU "
          "(budget: 20 s wall on 2 cores)")


if __name__ == "__main__":
    main()
