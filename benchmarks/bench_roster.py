"""Rostering people at the flagship's size and ten times it (planning.roster.assign).

The flagship's mix plan (benchmarks/data/double11_shifts.json: its in-house shift counts
over 14 days, 110 employees, 1,100 agent-shifts; made by planning.mix with the roster
rules in aggregate) is given to people:

- ours at 1× (110 people) and at 10× (1,100 people, every count × 10): phase 1 (any roster
  keeping every rule, HiGHS's feasibility heuristics) then phase 2 (fair hours, bounded);
- the baseline, measured in the same run at 1×: the same model solved in one go with the
  fair-share objective (what planning.roster.assign first did), up to the time limit.

Prints times, the ratio 10× / 1× and baseline / ours at 1×, the rule breaks (must be 0)
and whether coverage equals the plan's. Target: 10× within 60 s on 2 cores.

Run: python benchmarks/bench_roster.py [--time-limit 60]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import time
from pathlib import Path

import numpy as np

from planning.roster import assign
from planning.roster.inputs import Person, RosterInputs
from scenarios import load_scenario

ROOT = Path(__file__).parents[1]
DATA = ROOT / "benchmarks" / "data" / "double11_shifts.json"
SCENARIO = ROOT / "scenarios" / "examples" / "double11.yaml"


def flagship_inputs() -> RosterInputs:
    from planning.mix import CostBreakdown, MixPlan
    from planning.roster.from_plan import roster_inputs
    from scenarios.adapters.to_mix import _pattern, roster_rules
    from scenarios.adapters.to_roster import _mix_view

    sc = load_scenario(SCENARIO)
    d = json.loads(DATA.read_text())
    inp = _mix_view(sc, sc.pools["in_house"].employment, _pattern, roster_rules)
    z = np.zeros((1, inp.n_intervals))
    plan = MixPlan("optimal", 0.0, 0.0, 0.0, 0.0, ("x",), np.ones(1), z,
                   [tuple(s) for s in d["shifts"]], d["hires"], np.zeros(inp.n_intervals), [],
                   np.zeros(inp.n_intervals), 0, z, z, z, z, z, CostBreakdown(0, 0, {}, 0))
    return roster_inputs(inp, plan)


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


def baseline(inp: RosterInputs, limit: float) -> tuple[float, str]:
    """One solve of the model with the fair-share objective (no feasibility phase)."""
    import importlib

    m = importlib.import_module("planning.roster.assign")
    t0 = time.perf_counter()
    lp, _, _ = m.build(inp, fair=True)
    status, x = m._solve(lp, limit, None)
    return time.perf_counter() - t0, status if x is not None else "no roster"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--time-limit", type=float, default=60.0)
    args = ap.parse_args()
    load = os.getloadavg()[0]
    one = flagship_inputs()
    ten = scaled(one, 10)
    print(f"load average {load:.1f} on {os.cpu_count()} cores")
    rows = []
    for name, inp in (("1× (110 people)", one), ("10× (1,100 people)", ten)):
        t0 = time.perf_counter()
        res = assign(inp, time_limit_s=args.time_limit)
        wall = time.perf_counter() - t0
        ok = np.array_equal(res.coverage(inp), expected_coverage(inp))
        rows.append(wall)
        print(f"ours {name}: {wall:6.1f} s (build {res.build_s:.1f}, solve {res.solve_s:.1f}), "
              f"status {res.status}, rule breaks {len(res.violations)}, coverage equal {ok}")
    b, st = baseline(one, args.time_limit)
    print(f"baseline 1× (fair objective, one solve): {b:6.1f} s, {st}")
    print(f"ratio 10× / 1× (ours): {rows[1] / rows[0]:.1f}; baseline / ours at 1×: "
          f"{b / rows[0]:.1f}{' (baseline stopped at the time limit)' if st != 'optimal' else ''}")
    print(f"10× within 60 s: {rows[1] <= 60.0}")


if __name__ == "__main__":
    main()
