"""The roster rules in aggregate inside the mix (planning.roster.mix_rules) are valid and
keep a planned count that people can work.

References: validity — any roster of people keeping every rule, counted per shift, must
satisfy every aggregate row (the rows are sums of per-person rules); the rosters here are
drawn at random and kept when the independent checks below (plain day arithmetic, not
planning.roster.check) pass. Usefulness — the issue's case by hand: after 8 night shifts
ending at 06:00 on day 1, at most headcount − 8 people can start before 17:00 that day."""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import pytest

from planning.mix_inputs import DemandCase, InHouse, MixInputs, ShiftPattern
from planning.mix_layout import mix_layout
from planning.roster.inputs import RosterRules
from planning.roster.mix_rules import add_roster_rules

PATTERNS = (ShiftPattern("day", 18, (14, 16, 18, 20, 22), (8, 9), 8.0),   # 07–16 … 11–20
            ShiftPattern("night", 16, (44,), (), 8.0),                    # 22:00–06:00
            ShiftPattern("part", 8, (20, 36), (), 4.0))                   # 10–14, 18–22
RULES = RosterRules(max_days_per_week=5, max_consecutive_days=4, max_nights_in_a_row=2)


def model(days: int, headcount: int) -> tuple[pyo.ConcreteModel, list]:
    inp = MixInputs(30, days * 48, (DemandCase("x", 1.0, np.zeros(days * 48)),),
                    in_house=InHouse(headcount, 1.0, PATTERNS, rules=RULES))
    lay = mix_layout(inp)
    m = pyo.ConcreteModel()
    m.x = pyo.Var(range(len(lay.shifts)), domain=pyo.NonNegativeReals)
    m.hb = pyo.Var()
    m.hire = pyo.Var()
    add_roster_rules(m, inp, lay)
    return m, lay.shifts


def keeps_rules(mine: list, days: int) -> bool:
    """One person's shifts (ShiftInstance) against RULES, by plain arithmetic."""
    mine = sorted(mine, key=lambda s: s.start)
    dates = [s.day for s in mine]
    if len(set(dates)) < len(dates):
        return False
    length = {0: 18, 1: 16, 2: 8}
    for a, b in zip(mine, mine[1:], strict=False):
        if (b.start - (a.start + length[a.pattern])) / 2 < RULES.min_rest_hours:
            return False
    worked = set(dates)
    nights = {s.day for s in mine if s.pattern == 1}
    for d in range(days):
        if all(d + k in worked for k in range(RULES.max_consecutive_days + 1)):
            return False
        if all(d + k in nights for k in range(RULES.max_nights_in_a_row + 1)):
            return False
        if sum(s.paid_hours for s in mine if d <= s.day < d + 7) > 44:
            return False
    return all(sum(1 for x in worked if b <= x < b + 7) <= 5 for b in range(0, days, 7))


@pytest.mark.parametrize("seed", range(6))
def test_every_rule_keeping_roster_satisfies_the_aggregate_rows(seed: int) -> None:
    days, people = 9, 6
    m, shifts = model(days, people)
    rng = np.random.default_rng(seed)
    by_day = [[i for i, s in enumerate(shifts) if s.day == d] for d in range(days)]
    counts = np.zeros(len(shifts))
    for _ in range(people):
        while True:  # draw schedules until one keeps every rule
            mine = [int(rng.choice(by_day[d])) for d in range(days) if rng.random() < 0.6]
            if keeps_rules([shifts[i] for i in mine], days):
                break
        counts[mine] += 1
    for i, v in enumerate(counts):
        m.x[i].value = float(v)
    m.hb.value, m.hire.value = float(people), 0.0
    for c in m.component_data_objects(pyo.Constraint):
        assert pyo.value(c.body) <= pyo.value(c.upper) + 1e-9, c.name


def test_rest_after_nights_by_hand() -> None:
    """10 people; 8 on the night into day 1 (ends 06:00): at most 2 may start day 1 before
    17:00 (a 07:00 day shift starts 1 h after, an 18:00 part shift 12 h after)."""
    m, shifts = model(2, 10)
    night0 = next(i for i, s in enumerate(shifts) if s.day == 0 and s.pattern == 1)
    early1 = [i for i, s in enumerate(shifts) if s.day == 1 and s.start - 48 < 34]
    late1 = [i for i, s in enumerate(shifts) if s.day == 1 and s.start - 48 >= 34]
    m.hb.value, m.hire.value = 10.0, 0.0

    def ok(x: dict[int, float]) -> bool:
        for i in range(len(shifts)):
            m.x[i].value = x.get(i, 0.0)
        return all(pyo.value(c.body) <= pyo.value(c.upper) + 1e-9
                   for c in m.component_data_objects(pyo.Constraint))

    assert ok({night0: 8, early1[0]: 2})
    assert not ok({night0: 8, early1[0]: 3})
    assert ok({night0: 8, early1[0]: 2, late1[0]: 8})  # 18:00 is 12 h after 06:00
