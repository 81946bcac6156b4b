"""HiGHS's CPU in the flagship's mix stage, solve by solve, before → after in the same run
(issue 25: the neighbourhood held at whole LP values first, planning.mix.NEAR_WIDENINGS).

"Before" is the same code with the single neighbourhood of the earlier procedure (±1 at
whole LP values at once: NEAR_WIDENINGS = (1,)); "after" the procedure as it stands.
Requirements are computed once, then each solve of the mix stage is run both ways on
fresh solvers: the first plan, the loop's re-solve (requirement moved ±10%, updated in
place from the last round's basis), the three baselines, the plan for overflow at once,
the mean-value plan and its recourse under the scenarios. CPU seconds are this process's
(HiGHS's threads included: time.process_time), so the machine's load moves them little;
the load average is printed all the same.

With ``--plan``, then ``peakdesk plan SCENARIO`` twice (before, after), summing the CPU of
every HiGHS run in every process of the command (the planner and its background job), via
a sitecustomize that wraps planning.solver.HighsSession.solve in each interpreter.

Run: python benchmarks/bench_solve_cpu.py [SCENARIO] [--time-limit S] [--plan]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

SCENARIO = Path(__file__).parents[1] / "scenarios" / "examples" / "double11.yaml"
OLD_WIDENINGS = (1,)  # the single neighbourhood before this change

# installed in every interpreter of a `peakdesk plan` run (PYTHONPATH): each HiGHS run's
# CPU seconds appended to $BENCH_HIGHS_CPU; BENCH_HIGHS_OLD=1 restores the old procedure
_SITE = textwrap.dedent('''
    import importlib.abc, importlib.util, os, sys, time

    def _patch(mod):
        if mod.__name__ == "planning.solver":
            run = mod.HighsSession.solve
            def solve(self):
                t = time.process_time()
                try:
                    return run(self)
                finally:
                    with open(os.environ["BENCH_HIGHS_CPU"], "a") as f:
                        h = self.highs
                        f.write(f"{os.getpid()} {time.process_time() - t:.4f} "
                                f"{h.getNumRow()}x{h.getNumCol()} "
                                f"{self._options.get('solver', 'choose')} "
                                f"{h.getInfo().mip_node_count}\\n")
            mod.HighsSession.solve = solve
        elif mod.__name__ == "planning.mix" and os.environ.get("BENCH_HIGHS_OLD") == "1":
            mod.NEAR_WIDENINGS = (1,)

    class _Finder(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name not in ("planning.solver", "planning.mix"):
                return None
            sys.meta_path.remove(self)
            try:
                spec = importlib.util.find_spec(name)
            finally:
                sys.meta_path.insert(0, self)
            exec_module = spec.loader.exec_module
            def wrapped(module):
                exec_module(module)
                _patch(module)
            spec.loader.exec_module = wrapped
            return spec

    sys.meta_path.insert(0, _Finder())
''')


def cpu(run: Callable[[], object]) -> tuple[object, float]:
    t0 = time.process_time()
    out = run()
    return out, time.process_time() - t0


def said(plan: object) -> str:
    if plan is None:
        return "no plan"
    if isinstance(plan, tuple):
        return " / ".join("–" if v is None else f"{v:,.2f}" for v in plan)
    return f"{plan.objective:,.2f} CNY, gap {plan.gap:.2%}"


def solves(sc: object, opts: object, rates: list, cases: tuple) -> list[tuple[str, object, float]]:
    """Each solve of the mix stage once with the current procedure: (name, result, CPU s)."""
    from planning.mix import MixSolver, mean_value_plan
    from scenarios.adapters.to_mix import mean_case, mix_inputs
    from scenarios.checked_mix import overflow_at_once

    inp = mix_inputs(sc, cases)
    out: list[tuple[str, object, float]] = []
    first = MixSolver(inp, opts)
    plan, t = cpu(first.solve)
    out.append(("first plan", plan, t))
    rng = np.random.default_rng(0)
    ih = inp.in_house_requirement
    moved = inp.with_requirement(inp.requirement * rng.uniform(0.9, 1.1, inp.requirement.shape),
                                 None if ih is None else ih * rng.uniform(0.9, 1.1, ih.shape))
    again = first.moved_to(moved)
    plan2, t = cpu(again.solve)
    out.append(("the loop's re-solve (±10%, in place)", plan2, t))
    for v in ("in_house_only", "outsourced_only", "no_reserve"):
        b, t = cpu(lambda v=v: again.solve_variant(v))
        out.append((f"baseline {v}", b, t))
    mv, t = cpu(again.marginal_values)
    out.append(("value of one more agent", mv, t))
    if sc.routing.policy == "in_house_first" and sc.routing.overflow_after_s > 0:
        at_once = mix_inputs(overflow_at_once(sc), tuple(c.overflowing_at_once()
                                                         for c in cases))
        a, t = cpu(lambda: MixSolver(at_once, opts).solve())
        out.append(("plan for overflow at once", a, t))
    mean, t = cpu(lambda: mean_value_plan(inp, opts, mean_case(sc, rates)))
    out.append(("mean-value plan", mean, t))
    if mean is not None:
        e, t = cpu(lambda: again.evaluate_first_stage(mean))
        out.append(("its recourse under the scenarios", e, t))
    return out


def plan_run(scenario: str, time_limit: float | None, old: bool, show: bool = False
             ) -> tuple[float, int, float]:
    """`peakdesk plan` once: (HiGHS CPU s summed over every process, HiGHS runs, wall s);
    ``show``: print each run (process, CPU s, rows × columns, LP method, MIP nodes or −1
    for an LP)."""
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "sitecustomize.py").write_text(_SITE)
        log = Path(tmp, "highs.txt")
        env = dict(os.environ, BENCH_HIGHS_CPU=str(log), BENCH_HIGHS_OLD="1" if old else "0",
                   PYTHONPATH=os.pathsep.join([tmp, os.environ.get("PYTHONPATH", "")]))
        cmd = [sys.executable, "-c", "from cli import main; main()", "plan", scenario,
               "--json", str(Path(tmp, "plan.json"))]
        if time_limit is not None:
            cmd += ["--time-limit", str(time_limit)]
        t0 = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - t0
        lines = log.read_text().splitlines()
        runs = [float(line.split()[1]) for line in lines]
        if show:
            print("\n".join(f"    {line}" for line in lines))
    return sum(runs), len(runs), wall


def main() -> None:
    import planning.mix as mix
    from scenarios import load_scenario
    from scenarios.adapters.to_mix import demand_cases, requirement_cases, solver_options

    ap = argparse.ArgumentParser()
    ap.add_argument("scenario", nargs="?", default=str(SCENARIO))
    ap.add_argument("--time-limit", type=float, default=None,
                    help="per solve (default: the scenario's)")
    ap.add_argument("--plan", action="store_true",
                    help="also `peakdesk plan` before and after: HiGHS CPU over all processes")
    args = ap.parse_args()
    sc = load_scenario(args.scenario)
    opts = solver_options(sc, args.time_limit)
    load0 = os.getloadavg()
    rates = demand_cases(sc)
    cases = requirement_cases(sc, rates)
    new_widenings = mix.NEAR_WIDENINGS
    mix.NEAR_WIDENINGS = OLD_WIDENINGS
    before = solves(sc, opts, rates, cases)
    mix.NEAR_WIDENINGS = new_widenings
    after = solves(sc, opts, rates, cases)
    print(f"scenario {sc.name}: gap {opts.mip_gap:.2%}, time limit {opts.time_limit_s:.0f} s; "
          f"HiGHS CPU seconds, neighbourhoods {OLD_WIDENINGS} → {new_widenings}; "
          f"load average {load0[0]:.1f}")
    width = max(len(n) for n, _, _ in before)
    for (name, b, tb), (_, a, ta) in zip(before, after, strict=True):
        ratio = f"({ta / tb:.2f})" if tb > 0.01 else ""
        print(f"  {name:<{width}}  {tb:6.2f} → {ta:6.2f} s {ratio:7s} before: {said(b)};  "
              f"after: {said(a)}")
    tb, ta = sum(t for *_, t in before), sum(t for *_, t in after)
    print(f"  {'all of these':<{width}}  {tb:6.2f} → {ta:6.2f} s ({ta / tb:.2f})")
    if args.plan:
        b = plan_run(args.scenario, args.time_limit, old=True)
        a = plan_run(args.scenario, args.time_limit, old=False, show=True)
        print(f"peakdesk plan, HiGHS CPU over all processes: {b[0]:.1f} s in {b[1]} runs "
              f"(wall {b[2]:.0f} s) → {a[0]:.1f} s in {a[1]} runs (wall {a[2]:.0f} s); "
              f"ratio {a[0] / b[0]:.2f}")
    load1 = os.getloadavg()
    print(f"load average at the end {load1[0]:.1f}")


if __name__ == "__main__":
    main()
