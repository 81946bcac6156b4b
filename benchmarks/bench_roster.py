"""Rostering people on the flagship's plans: the old two-phase MILP → the day-by-day method,
in one run (planning.roster.assign).

Cases: the three distinct mix plans whose people `peakdesk plan
scenarios/examples/double11.yaml` rosters (benchmarks/data/double11_roster_plans.json: 110
employees plus the plan's hires, ~1,100–1,340 agent-shifts over 14 days), and the first of
them ten times over (every count × 10, 1,100 employees, no hires).

- old: HiGHS's feasibility roster on the assignment MILP, then — when someone is more than
  one shift above their fair share — the fair-share MILP from there for 20 nodes or 30 s
  (tests/roster_reference.old_assign, what planning.roster.assign did before);
- new: planning.roster.assign today (phase 1 day by day or HiGHS's feasibility roster;
  phase 2 the exact day-by-day descent).

Prints per case wall and CPU seconds old → new and their ratio, rule breaks (must be 0),
whether the coverage equals the plan's, and the fairness: Σ paid hours above share, the
largest excess over the share, the spread of hours − share, and whether nobody is more
than one shift above their share. Target: each flagship plan within 3 s on a quiet machine.

Run: python benchmarks/bench_roster.py [--old-at-10x]
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
from tests.roster_reference import fairness, flagship_plans, old_assign  # noqa: E402


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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--old-at-10x", action="store_true",
                    help="also run the old method on the ten-fold case (minutes)")
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    plans = flagship_plans()
    cases = [(f"flagship plan {i + 1} ({len(p.people)} people, "
              f"{sum(s.count for s in p.shifts)} agent-shifts)", p, True)
             for i, p in enumerate(plans)]
    ten = scaled(plans[0], 10)
    cases.append((f"plan 1 × 10 ({len(ten.people)} people)", ten, args.old_at_10x))
    new_total = old_total = 0.0
    for name, inp, run_old in cases:
        print(name)
        new, nw, nc = timed(lambda x: assign(x).schedules, inp)
        if run_old:
            old, ow, oc = timed(lambda x: old_assign(x)[0], inp)
            print(line("old", inp, old, ow, oc))
        print(line("new", inp, new, nw, nc))
        if run_old:
            print(f"  old / new: wall {ow / nw:.1f}×, CPU {oc / nc:.1f}×")
            if "× 10" not in name:
                new_total, old_total = new_total + nw, old_total + ow
    print(f"the flagship's three plans: old {old_total:.1f} s → new {new_total:.1f} s wall "
          f"({old_total / new_total:.1f}×)")


if __name__ == "__main__":
    main()
