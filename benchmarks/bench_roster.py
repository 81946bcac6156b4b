"""Rostering people on the flagship's plans and the ten-fold flagship's: the method before
the look-ahead build → today's planning.roster.assign, in one run (CPU seconds).

Cases: the three distinct mix plans whose people `peakdesk plan
scenarios/examples/double11.yaml` rosters (benchmarks/data/double11_roster_plans.json: 110
employees plus the plan's hires, ~1,100–1,340 agent-shifts over 14 days) and the first plan
`peakdesk plan benchmarks/data/double11_x10.yaml` rosters (benchmarks/data/
double11_x10_roster_plan.json: 1,100 employees and 400 hires, ~15,600 agent-shifts).

- before (main eae8690, tests/roster_reference.main_assign): phase 1 the crowd-order
  day-by-day build, which runs out of people on every one of these plans, then HiGHS's
  feasibility roster under a 60 s wall clock (a time-out fell to the rule-breaking elastic
  model); phase 2 the day-by-day descent;
- new: planning.roster.assign today — phase 1 the look-ahead build
  (planning.roster.ahead), HiGHS only where it leaves a place unfilled (under work limits,
  its clock a guard); phase 2 the same descent.

Prints per case wall and CPU seconds before → new and their ratio, whether HiGHS ran, rule
breaks (must be 0), whether the coverage equals the plan's, and the fairness: Σ paid hours
above share, the largest excess over the share, the spread of hours − share, and whether
nobody is more than one shift above their share. `--old` adds the two-phase MILP of before
the day-by-day method (tests/roster_reference.old_assign) on the flagship's plans.

Run: python benchmarks/bench_roster.py [--quick] [--old]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT))

from planning.roster import assign, violations  # noqa: E402
from planning.roster.inputs import Person, RosterInputs  # noqa: E402
from tests.roster_reference import (  # noqa: E402
    A,
    fairness,
    flagship_plans,
    main_assign,
    old_assign,
    ten_fold_plan,
)


def scaled(inp: RosterInputs, k: int) -> RosterInputs:
    width = max(3, len(str(len(inp.people) * k)))
    return dataclasses.replace(
        inp, shifts=tuple(dataclasses.replace(s, count=s.count * k) for s in inp.shifts),
        people=tuple(Person(f"E{i + 1:0{width}d}") for i in range(len(inp.people) * k)))


def expected_coverage(inp: RosterInputs) -> np.ndarray:
    out = np.zeros(inp.n_intervals, np.int64)
    for s in inp.shifts:
        out[list(s.cover)] += s.count
    return out


def coverage(inp: RosterInputs, sched: list[list[int]]) -> np.ndarray:
    out = np.zeros(inp.n_intervals, np.int64)
    for mine in sched:
        for k in mine:
            out[list(inp.shifts[k].cover)] += 1
    return out


def timed(fn, inp: RosterInputs) -> tuple[list[list[int]], float, float]:  # noqa: ANN001
    t0, c0 = time.perf_counter(), time.process_time()
    sched = fn(inp)
    return sched, time.perf_counter() - t0, time.process_time() - c0


def line(name: str, inp: RosterInputs, sched: list[list[int]], wall: float, cpu: float
         ) -> str:
    f = fairness(inp, sched)
    ok = np.array_equal(coverage(inp, sched), expected_coverage(inp))
    return (f"  {name}: {wall:6.2f} s wall, {cpu:6.2f} s CPU; rule breaks "
            f"{len(violations(inp, sched))}, coverage equal {ok}; above share "
            f"{f['above']:7.1f} h, largest excess {f['max_excess']:5.2f} h, spread of "
            f"hours − share {f['spread']:5.2f} h, nobody > one shift above {f['one_shift']}")


def highs_calls(fn, inp: RosterInputs) -> tuple[list[list[int]], int]:  # noqa: ANN001
    """``fn(inp)``'s schedules and how many times it ran HiGHS."""
    solve, n = A._solve, [0]

    def counted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        n[0] += 1
        return solve(*args, **kwargs)

    A._solve = counted
    try:
        return fn(inp), n[0]
    finally:
        A._solve = solve


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true",
                    help="leave out the method before on the ten-fold plan (minutes)")
    ap.add_argument("--old", action="store_true",
                    help="also the two-phase MILP of before the day-by-day method (x1 only)")
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    plans = flagship_plans()
    cases = [(f"flagship plan {i + 1} ({len(p.people)} people, "
              f"{sum(s.count for s in p.shifts)} agent-shifts)", p, True)
             for i, p in enumerate(plans)]
    ten = ten_fold_plan()
    cases.append((f"ten-fold plan ({len(ten.people)} people, "
                  f"{sum(s.count for s in ten.shifts)} agent-shifts)", ten, not args.quick))
    totals: dict[str, list[float]] = {}
    for name, inp, run_before in cases:
        print(name, flush=True)
        (new, n_new), nw, nc = timed(lambda x: highs_calls(lambda y: assign(y).schedules, x), inp)
        if run_before:
            (before, n_before), bw, bc = timed(
                lambda x: highs_calls(lambda y: main_assign(y).schedules, x), inp)
            print(line(f"before (HiGHS ran {n_before}×)", inp, before, bw, bc))
        if args.old and "ten-fold" not in name:
            old, ow, oc = timed(lambda x: old_assign(x)[0], inp)
            print(line("two-phase MILP", inp, old, ow, oc))
        print(line(f"new (HiGHS ran {n_new}×)", inp, new, nw, nc))
        if run_before:
            print(f"  before / new: wall {bw / nw:.1f}×, CPU {bc / nc:.1f}×", flush=True)
            key = "ten" if "ten-fold" in name else "x1"
            totals.setdefault(key, [0.0, 0.0, 0.0, 0.0])
            totals[key] = [a + b for a, b in zip(totals[key], (bw, bc, nw, nc), strict=True)]
    x1 = totals.get("x1")
    if x1:
        print(f"the flagship's three plans: before {x1[1]:.2f} s → new {x1[3]:.2f} s CPU "
              f"({x1[1] / x1[3]:.1f}×); wall {x1[0]:.2f} → {x1[2]:.2f} s")


if __name__ == "__main__":
    main()
