"""References for the people roster's speed and fairness checks (tests and
benchmarks/bench_roster.py):

- :func:`old_assign`: the roster as planning.roster.assign made it before the day-by-day
  method — phase 1 HiGHS's feasibility heuristics on the assignment MILP, then, when
  someone was more than one shift above their share, the fair-share MILP from there for
  20 branch-and-bound nodes or 30 s;
- :func:`random_case`: a small feasible roster problem (people, days, shift patterns,
  rules, hires, leave and patterns to avoid drawn from a seed), its counts summed from a
  random schedule per person that keeps every rule, so a roster always exists;
- :func:`fairness`: the measures compared — Σ paid hours above share (+ one per avoided
  shift, the objective both methods minimise), the largest excess over the share, the
  spread of hours − share, and whether nobody is more than one shift above their share.
"""

from __future__ import annotations

import importlib
import time

import numpy as np

from planning.roster import Person, PlannedShift, RosterInputs, RosterResult, RosterRules

A = importlib.import_module("planning.roster.assign")
PER_DAY = 48  # 30-minute intervals


def old_assign(inp: RosterInputs, time_limit_s: float = 60.0, fair_time_s: float = 30.0
               ) -> tuple[list[list[int]], float]:
    """The roster the two-phase MILP gave (see the module docstring) and its seconds."""
    t0 = time.perf_counter()
    lp, col, _ = A.build(inp, fair=False)
    _, x = A._solve(lp, time_limit_s, None, presolve=False)
    sched = A._schedules(inp, col, x)
    if A._fair_enough(inp, sched):
        return sched, time.perf_counter() - t0
    lp, col, _ = A.build(inp, fair=True)
    share = A._fair_share(inp, A._eligible(inp))
    n_y = int((col >= 0).sum())
    start = np.zeros(lp.num_col_)
    for p, mine in enumerate(sched):
        start[col[p, mine]] = 1.0
        start[n_y + p] = max(0.0, sum(inp.shifts[k].paid_hours for k in mine) - share[p])
    _, x = A._solve(lp, fair_time_s, None, start, max_nodes=20)
    if x is not None:
        sched = A._schedules(inp, col, x)
    return sched, time.perf_counter() - t0


def fairness(inp: RosterInputs, sched: list[list[int]]) -> dict[str, float | bool]:
    """Hours against the fair share (by the days each person can work), from the shifts."""
    days = np.array([sum(1 for d in range(inp.days) if d >= q.first_day
                         and d not in q.unavailable) for q in inp.people], float)
    total = sum(s.paid_hours * s.count for s in inp.shifts)
    share = total * days / max(days.sum(), 1.0)
    hours = np.array([sum(inp.shifts[k].paid_hours for k in mine) for mine in sched])
    avoided = sum(1 for p, mine in enumerate(sched) for k in mine
                  if inp.shifts[k].pattern in inp.people[p].avoid)
    x = hours - share
    longest = max(s.paid_hours for s in inp.shifts)
    return {"above": float(np.maximum(x, 0).sum() + avoided), "max_excess": float(x.max()),
            "spread": float(x.max() - x.min()),
            "one_shift": bool(np.all(x <= longest + 1e-9))}


def random_case(seed: int, people: int | None = None, days: int | None = None
                ) -> RosterInputs:
    """A small roster problem that has a roster keeping every rule (see module doc);
    ``people``/``days`` fix its size instead of drawing it."""
    from planning.roster import violations

    rng = np.random.default_rng(seed)
    d_n, n_p = int(rng.integers(5, 15)), int(rng.integers(3, 13))
    days, n_p = days or d_n, people or n_p
    rules = RosterRules(
        min_rest_hours=float(rng.choice([8, 11, 12])),
        max_consecutive_days=int(rng.integers(3, 7)),
        max_nights_in_a_row=int(rng.integers(1, 4)),
        max_paid_hours_per_week=float(rng.choice([32, 40, 44, 48])),
        max_days_per_week=int(rng.integers(3, 6)),
        block_paid_hours=float(rng.choice([32, 40])) if rng.random() < 0.5 else None)
    patterns = [(int(rng.integers(12, 46)), int(rng.choice([8, 12, 16, 18])))
                for _ in range(int(rng.integers(1, 5)))]
    staff = []
    for i in range(n_p):
        first = int(rng.integers(1, days // 2 + 1)) if rng.random() < 0.2 else 0
        off = frozenset(int(x) for x in rng.choice(days, size=int(rng.integers(0, 3)),
                                                   replace=False)) \
            if rng.random() < 0.3 else frozenset()
        avoid = frozenset({int(rng.integers(0, len(patterns)))}) \
            if rng.random() < 0.3 else frozenset()
        staff.append(Person(f"E{i + 1:03d}", first, off, avoid))
    n = days * PER_DAY
    every = []
    for d in range(days):
        for j, (start, length) in enumerate(patterns):
            s = d * PER_DAY + start
            every.append(PlannedShift(d, j, s, length,
                                      tuple(t for t in range(s, s + length) if t < n),
                                      length / 2 - (0.5 if length > 12 else 0.0), 0))
    counts = np.zeros(len(every), int)
    for person in staff:
        alone = RosterInputs(30, n, tuple(every), (person,), rules)
        mine: list[int] = []
        for d in range(days):
            if rng.random() < 0.35 or d < person.first_day or d in person.unavailable:
                continue
            k = int(rng.choice([k for k, s in enumerate(every) if s.day == d]))
            if all(v.rule == "coverage" for v in violations(alone, [mine + [k]])):
                mine.append(k)
        counts[mine] += 1
    shifts = tuple(PlannedShift(s.day, s.pattern, s.start, s.length, s.cover, s.paid_hours,
                                int(c)) for s, c in zip(every, counts, strict=True) if c)
    return RosterInputs(30, n, shifts, tuple(staff), rules)


def flagship_plans(scenario: str = "scenarios/examples/double11.yaml",
                   plans: str = "benchmarks/data/double11_roster_plans.json"
                   ) -> list[RosterInputs]:
    """The roster inputs of the flagship's three plans (benchmarks/data/
    double11_roster_plans.json: what ``peakdesk plan scenarios/examples/double11.yaml``
    gave to people), through the same adapter the run uses; ``scenario``/``plans`` for
    another (:func:`ten_fold_plan`)."""
    import json
    from pathlib import Path

    from planning.mix import CostBreakdown, MixPlan
    from planning.roster.from_plan import roster_inputs
    from scenarios import load_scenario
    from scenarios.adapters.to_mix import _pattern, roster_rules
    from scenarios.adapters.to_roster import _mix_view

    root = Path(__file__).parents[1]
    sc = load_scenario(root / scenario)
    doc = json.loads((root / plans).read_text())
    inp = _mix_view(sc, sc.pools["in_house"].employment, _pattern, roster_rules)
    t0 = sc.horizon.start
    clock0 = (t0.hour * 60 + t0.minute) // sc.horizon.interval_minutes
    z = np.zeros((1, inp.n_intervals))
    out = []
    for d in doc["plans"]:
        plan = MixPlan("optimal", 0.0, 0.0, 0.0, 0.0, ("x",), np.ones(1), z,
                       [tuple(s) for s in d["shifts"]], d["hires"], np.zeros(inp.n_intervals),
                       [], np.zeros(inp.n_intervals), 0, z, z, z, z, z,
                       CostBreakdown(0, 0, {}, 0))
        out.append(roster_inputs(inp, plan, clock0=clock0))
    return out


def ten_fold_plan() -> RosterInputs:
    """The roster inputs of the ten-fold flagship's first plan (benchmarks/data/
    double11_x10_roster_plan.json: what ``peakdesk plan benchmarks/data/double11_x10.yaml``
    gave to people first — 1,100 employees and 400 hires)."""
    return flagship_plans("benchmarks/data/double11_x10.yaml",
                          "benchmarks/data/double11_x10_roster_plan.json")[0]


def main_assign(inp: RosterInputs, time_limit_s: float = 60.0) -> RosterResult:
    """planning.roster.assign as it was before the look-ahead build (main eae8690): phase 1
    the crowd-order day-by-day build, else HiGHS's feasibility roster with no work limit
    under a ``time_limit_s`` wall clock (a time-out without a roster fell to the elastic
    model); the elastic model likewise; phase 2 the same descent. Emulated by switching the
    look-ahead build off and HiGHS's work limits and guard back to the clock."""
    solve, ahead = A._solve, A.construct_ahead

    def clock_only(lp, t, threads, start=None, presolve=True, max_nodes=None, gap=0.05,  # noqa: ANN001, ANN202
                   first=False, strict=False):
        if max_nodes != A.FAIR_NODES:  # the feasibility and elastic solves: clock only
            t, max_nodes = time_limit_s, None
        return solve(lp, t, threads, start, presolve, max_nodes, gap)

    A._solve, A.construct_ahead = clock_only, lambda lay: None
    try:
        return A.assign(inp, time_limit_s=time_limit_s, fair_time_s=120.0)
    finally:
        A._solve, A.construct_ahead = solve, ahead
