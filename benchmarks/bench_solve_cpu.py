"""HiGHS's CPU in the flagship's mix stage, solve by solve, before → after in the same run
(issue 25: the neighbourhood MIP held at whole LP values first, planning.mix
NEAR_WIDENINGS; the in-house row as steps of the on-duty agents, planning.mix_model
shortfall_steps).

"Before" is the code at ``--before`` (a git revision, default BEFORE: the code before
these cuts), exported to a temporary directory and run there in a subprocess (its
modules first on PYTHONPATH); "after" is this checkout, in this process. Requirements are
computed in each, then each solve of the mix stage on fresh solvers: the first plan, the
loop's re-solve (requirement moved ±10%, updated in place from the last round's basis),
the three baselines, the value of one more agent, the plan for overflow at once, the
mean-value plan and its recourse under the scenarios. CPU seconds are the process's
(HiGHS's threads included: time.process_time); the load average is printed all the same.

With ``--plan``, then ``peakdesk plan SCENARIO`` twice (before, after), summing the CPU of
every HiGHS run in every process of the command (the planner and its background job), via
a sitecustomize that wraps planning.solver.HighsSession.solve in each interpreter.

Run: python benchmarks/bench_solve_cpu.py [SCENARIO] [--time-limit S] [--plan]
     [--before REV]
"""

from __future__ import annotations

import argparse
import json
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
BEFORE = "905b2a1"  # main before issue 25's HiGHS cuts (one neighbourhood, explicit row)

# installed in every interpreter of a `peakdesk plan` run (PYTHONPATH): each HiGHS run's
# CPU seconds appended to $BENCH_HIGHS_CPU
_SITE = textwrap.dedent('''
    import importlib.abc, importlib.util, os, sys, time

    def _patch(mod):
        if True:
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

    class _Finder(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name != "planning.solver":
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


def plan_run(scenario: str, time_limit: float | None, code: str | None, show: bool = False
             ) -> tuple[float, int, float, str]:
    """`peakdesk plan` once, with the modules of ``code`` first on the path (None: this
    checkout): (HiGHS CPU s summed over every process, HiGHS runs, wall s, the kept plan's
    cost); ``show``: print each run (process, CPU s, rows × columns, LP method, MIP nodes
    or −1 for an LP)."""
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "sitecustomize.py").write_text(_SITE)
        log = Path(tmp, "highs.txt")
        path = [tmp] + ([code] if code else []) + [os.environ.get("PYTHONPATH", "")]
        env = dict(os.environ, BENCH_HIGHS_CPU=str(log), PYTHONPATH=os.pathsep.join(path))
        out = Path(tmp, "plan.json")
        cmd = [sys.executable, "-c", "from cli import main; main()", "plan", scenario,
               "--json", str(out)]
        if time_limit is not None:
            cmd += ["--time-limit", str(time_limit)]
        t0 = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, cwd=code)
        wall = time.perf_counter() - t0
        lines = log.read_text().splitlines()
        runs = [float(line.split()[1]) for line in lines]
        if show:
            print("\n".join(f"    {line}" for line in lines))
        doc = json.loads(out.read_text())
        cost = doc.get("objective", doc.get("cost", "?"))
    return sum(runs), len(runs), wall, f"{cost:,.2f}" if isinstance(cost, float) else str(cost)


def export(rev: str, into: str) -> str:
    """The files of git revision ``rev`` of this repository, written under ``into``."""
    root = Path(__file__).parents[1]
    archive = subprocess.run(["git", "-C", str(root), "archive", rev], check=True,
                             capture_output=True).stdout
    Path(into).mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-x", "-C", into], input=archive, check=True)
    return into


def measured(scenario: str, time_limit: float | None) -> list[tuple[str, str, float]]:
    """The solves with the modules importable here: (name, result said, CPU s)."""
    from scenarios import load_scenario
    from scenarios.adapters.to_mix import demand_cases, requirement_cases, solver_options

    sc = load_scenario(scenario)
    opts = solver_options(sc, time_limit)
    rates = demand_cases(sc)
    cases = requirement_cases(sc, rates)
    return [(n, said(r), t) for n, r, t in solves(sc, opts, rates, cases)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario", nargs="?", default=str(SCENARIO))
    ap.add_argument("--time-limit", type=float, default=None,
                    help="per solve (default: the scenario's)")
    ap.add_argument("--plan", action="store_true",
                    help="also `peakdesk plan` before and after: HiGHS CPU over all processes")
    ap.add_argument("--before", default=BEFORE, help="git revision of the code before")
    ap.add_argument("--solves-json", help=argparse.SUPPRESS)  # the 'before' subprocess
    args = ap.parse_args()
    scenario = str(Path(args.scenario).resolve())
    if args.solves_json:
        Path(args.solves_json).write_text(json.dumps(measured(scenario, args.time_limit)))
        return
    load0 = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        code = export(args.before, str(Path(tmp, "before")))
        got = Path(tmp, "before.json")
        cmd = [sys.executable, __file__, scenario, "--solves-json", str(got)]
        if args.time_limit is not None:
            cmd += ["--time-limit", str(args.time_limit)]
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            [code, os.environ.get("PYTHONPATH", "")]))
        subprocess.run(cmd, env=env, check=True, cwd=code)
        before = json.loads(got.read_text())
        after = measured(scenario, args.time_limit)
        print(f"{Path(scenario).name}: HiGHS CPU seconds per solve, {args.before} → this "
              f"checkout; load average {load0[0]:.1f}")
        width = max(len(n) for n, _, _ in before)
        for (name, b, tb), (_, a, ta) in zip(before, after, strict=True):
            ratio = f"({ta / tb:.2f})" if tb > 0.01 else ""
            print(f"  {name:<{width}}  {tb:6.2f} → {ta:6.2f} s {ratio:7s} before: {b};  "
                  f"after: {a}")
        tb, ta = sum(t for *_, t in before), sum(t for *_, t in after)
        print(f"  {'all of these':<{width}}  {tb:6.2f} → {ta:6.2f} s ({ta / tb:.2f})")
        if args.plan:
            b = plan_run(scenario, args.time_limit, code)
            a = plan_run(scenario, args.time_limit, None, show=True)
            print(f"peakdesk plan, HiGHS CPU over all processes: {b[0]:.1f} s in {b[1]} runs "
                  f"(wall {b[2]:.0f} s, cost {b[3]}) → {a[0]:.1f} s in {a[1]} runs (wall "
                  f"{a[2]:.0f} s, cost {a[3]}); ratio {a[0] / b[0]:.2f}")
    load1 = os.getloadavg()
    print(f"load average at the end {load1[0]:.1f}")


if __name__ == "__main__":
    main()
