"""The roster model's inputs from a mix plan: the planned shift counts and the people
employed (the headcount from day 0, the plan's hires from their first day)."""

from __future__ import annotations

from collections.abc import Mapping

from planning.mix import MixPlan
from planning.mix_inputs import MixInputs
from planning.roster.inputs import Person, PlannedShift, RosterInputs, RosterRules


def employee_ids(n: int) -> list[str]:
    """E001, E002, … (wider when there are more than 999 people)."""
    width = max(3, len(str(n)))
    return [f"E{i + 1:0{width}d}" for i in range(n)]


def roster_inputs(inp: MixInputs, plan: MixPlan,
                  unavailable: Mapping[str, frozenset[int]] | None = None,
                  avoid: Mapping[str, frozenset[int]] | None = None, clock0: int = 0
                  ) -> RosterInputs:
    """People E001… (headcount, then the hires from ``hires_from``'s day) and the plan's
    shifts with their counts; ``unavailable``/``avoid``: per employee id, days off and
    pattern indices to avoid."""
    ih = inp.in_house
    per_day = inp.intervals_per_day
    shifts = []
    for day, j, start, n in plan.shifts:
        p = ih.patterns[j]
        off = set(p.breaks)
        cover = tuple(start + k for k in range(p.length)
                      if k not in off and start + k < inp.n_intervals)
        shifts.append(PlannedShift(day, j, start, p.length, cover, p.paid_hours, int(n)))
    hire_day = -(-ih.hires_from // per_day)
    ids = employee_ids(ih.headcount + plan.hires)
    unavailable, avoid = unavailable or {}, avoid or {}
    people = tuple(Person(pid, 0 if i < ih.headcount else hire_day,
                          unavailable.get(pid, frozenset()), avoid.get(pid, frozenset()))
                   for i, pid in enumerate(ids))
    rules = ih.rules or RosterRules(max_days_per_week=ih.max_days_per_week,
                                    block_paid_hours=ih.paid_hours_per_week)
    return RosterInputs(inp.interval_minutes, inp.n_intervals, tuple(shifts), people, rules,
                        clock0)
