"""The roster rules in aggregate inside the mix MILP (one constraint family).

The mix counts agents per shift instance, x_i; people are assigned afterwards
(planning.roster.assign). So that the counts can always be given to people, the mix keeps
the rules summed over everyone employed (E_d = h_b + [d ≥ d_hire]·h people on day d):

    rest            Σ_{i ∈ A∪B} x_i ≤ E_{d'}           each threshold cut (A on d, B on d' > d)
    consecutive     Σ_{i on d..d+C} x_i ≤ Σ_{people} min(C, employed days in the window)
    nights          Σ_{i night on d..d+N} x_i ≤ N·E (same form)
    weekly hours    Σ_{i on d..d+6} paid_i·x_i ≤ H·E    any 7 consecutive dates
    long shifts     Σ_{i on d..d+6, paid_i ≥ τ} x_i ≤ Σ_people min(⌊H/τ⌋, employed days)
    leave           Σ_{i on d} x_i ≤ H₀ − (employees on leave on d) + [d ≥ d_hire]·h

Each is a sum of the per-person rule over the people employed, so every roster obeying
the rules satisfies it (valid); the rest cuts are moreover exact for two days (see
planning.roster.inputs.rest_cuts). What these sums cannot see (one person's chain of
windows) is left to the assignment, which reports any rule it cannot keep.
"""

from __future__ import annotations

import pyomo.environ as pyo

from planning.mix_inputs import MixInputs
from planning.mix_layout import MixLayout
from planning.roster.inputs import RosterRules, is_night, rest_cuts


def add_roster_rules(m: pyo.ConcreteModel, inp: MixInputs, lay: MixLayout) -> None:
    """The rules above; nothing when the in-house pool has no rules (``InHouse.rules``)."""
    ih = inp.in_house
    rules: RosterRules | None = getattr(ih, "rules", None) if ih else None
    if rules is None or not hasattr(m, "x"):
        return
    per_day = inp.intervals_per_day
    hire_day = -(-ih.hires_from // per_day)
    sh = lay.shifts
    length = {j: p.length for j, p in enumerate(ih.patterns)}
    spans = [(s.day, s.start, s.start + length[s.pattern]) for s in sh]
    rest = rules.min_rest_hours * 60.0 / inp.interval_minutes
    days = lay.shift_days

    def employed(window: range, most: int) -> object:
        """Σ over people of min(most, their employed days in the window)."""
        base = min(most, len(window))
        hired = min(most, sum(1 for d in window if d >= hire_day))
        return base * m.hb + hired * m.hire

    cuts = rest_cuts(spans, rest)
    m.roster_rest = pyo.Constraint(range(len(cuts)), rule=lambda m, c: (
        sum(m.x[i] for i in cuts[c][0] + cuts[c][1])
        <= employed(range(sh[cuts[c][1][0]].day, sh[cuts[c][1][0]].day + 1), 1)))
    by_day: list[list[int]] = [[] for _ in range(days)]
    for i, s in enumerate(sh):
        by_day[s.day].append(i)
    clock0 = _clock0(inp)
    night = [is_night(a + clock0, b + clock0, per_day, rules.night_end_hour,
                      inp.interval_minutes) for _, a, b in spans]
    c, n = rules.max_consecutive_days, rules.max_nights_in_a_row
    m.roster_consecutive = pyo.Constraint(range(max(days - c, 0)), rule=lambda m, d: (
        sum(m.x[i] for e in range(d, d + c + 1) for i in by_day[e])
        <= employed(range(d, d + c + 1), c)))
    m.roster_nights = pyo.Constraint(range(max(days - n, 0)), rule=lambda m, d: (
        sum(m.x[i] for e in range(d, d + n + 1) for i in by_day[e] if night[i])
        <= employed(range(d, d + n + 1), n)))
    h = rules.max_paid_hours_per_week

    def hours(m: pyo.ConcreteModel, d: int) -> object:
        window = range(d, min(d + 7, days))
        hired = h * m.hire if any(e >= hire_day for e in window) else 0
        return (sum(sh[i].paid_hours * m.x[i] for e in window for i in by_day[e])
                <= h * m.hb + hired)

    m.roster_hours = pyo.Constraint(range(max(days - 6, 1)), rule=hours)
    leave = [(d, n) for d, n in enumerate(rules.on_leave) if n > 0 and d < days]
    m.roster_leave = pyo.Constraint(range(len(leave)), rule=lambda m, j: (
        sum(m.x[i] for i in by_day[leave[j][0]])
        <= ih.headcount - leave[j][1] + (m.hire if leave[j][0] >= hire_day else 0)))
    # long shifts: a person works at most ⌊H/τ⌋ shifts of τ paid hours or more on any 7
    # consecutive dates (a Chvátal–Gomory rounding of the weekly-hours rule per person)
    long = sorted({s.paid_hours for s in sh if s.paid_hours > 0 and h / s.paid_hours < 7})
    rows = [(d, tau) for tau in long for d in range(max(days - 6, 1))]

    def long_rule(m: pyo.ConcreteModel, r: int) -> object:
        d, tau = rows[r]
        window = range(d, min(d + 7, days))
        most = int(h // tau + 1e-9)
        return (sum(m.x[i] for e in window for i in by_day[e] if sh[i].paid_hours >= tau)
                <= employed(window, most))

    m.roster_long_shifts = pyo.Constraint(range(len(rows)), rule=long_rule)


def _clock0(inp: MixInputs) -> int:
    """Intervals from midnight to the horizon start, from the first interval's ISO label
    (0 without labels)."""
    label = inp.interval_labels[0] if inp.interval_labels else ""
    if len(label) >= 16 and label[13] == ":":
        return (int(label[11:13]) * 60 + int(label[14:16])) // inp.interval_minutes
    return 0
