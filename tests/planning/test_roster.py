"""planning.roster: the assignment keeps the plan's counts exactly, keeps every rule, and
reports a rule the headcount cannot meet (which rule, whom, which days).

References: counts by hand on small cases; brute force over every assignment of a few
people; planning.roster.check is compared with these, not with itself."""

from __future__ import annotations

import itertools

import numpy as np

from planning.roster import Person, PlannedShift, RosterInputs, RosterRules, assign, violations
from planning.roster.inputs import is_night, rest_cuts
from sim.model import Duty

PER_DAY = 48  # 30-minute intervals


def shift(day: int, hour: float, hours: float, count: int, pattern: int = 0,
          paid: float | None = None) -> PlannedShift:
    start = day * PER_DAY + int(hour * 2)
    length = int(hours * 2)
    return PlannedShift(day, pattern, start, length, tuple(range(start, start + length)),
                        hours if paid is None else paid, count)


def inputs(shifts: list[PlannedShift], people: int, days: int, **rules) -> RosterInputs:
    n = days * PER_DAY  # covers clipped to the horizon, as the plan's are
    shifts = [PlannedShift(s.day, s.pattern, s.start, s.length,
                           tuple(t for t in s.cover if t < n), s.paid_hours, s.count)
              for s in shifts]
    return RosterInputs(30, n, tuple(shifts),
                        tuple(Person(f"E{i + 1:03d}") for i in range(people)),
                        RosterRules(**rules))


def test_coverage_is_the_plans_and_rules_hold() -> None:
    """Five people, a week of day and night shifts: every planned shift gets exactly its
    count; the coverage summed over people equals Σ count × cover."""
    sh = []
    for d in range(7):
        sh.append(shift(d, 8, 8, 2))
        sh.append(shift(d, 22, 8, 1, pattern=1))
    inp = inputs(sh, 5, 7, max_days_per_week=5)
    res = assign(inp, time_limit_s=20)
    assert res.status in ("optimal", "feasible") and res.violations == []
    expected = np.zeros(inp.n_intervals, int)
    for s in sh:
        expected[[t for t in s.cover if t < inp.n_intervals]] += s.count
    assert np.array_equal(res.coverage(inp), expected)
    assert sum(map(len, res.schedules)) == 21


def test_rule_the_headcount_cannot_meet_is_reported() -> None:
    """Two people, four nights in a row of two night shifts each: someone must work four
    nights (max 3) — the roster keeps the coverage and names the rule, person and days."""
    sh = [shift(d, 22, 8, 2) for d in range(4)]
    inp = inputs(sh, 2, 5, min_rest_hours=8)
    res = assign(inp, time_limit_s=20)
    assert res.status == "rules_broken"
    rules = {v.rule for v in res.violations}
    assert rules == {"max_nights_in_a_row"}
    v = res.violations[0]
    assert v.employee_id in ("E001", "E002") and v.days == (0, 1, 2, 3)
    assert res.coverage(inp).sum() == 2 * 4 * 16  # every night shift staffed in full


def test_unfillable_shift_is_reported_as_coverage() -> None:
    """Three people wanted on day 0, two employed: one place is reported unfilled."""
    res = assign(inputs([shift(0, 9, 8, 3)], 2, 1), time_limit_s=10)
    assert res.status == "rules_broken"
    assert [(v.rule, v.days, v.amount) for v in res.violations] == [("coverage", (0,), 1.0)]


def test_rest_between_shifts_by_brute_force() -> None:
    """Day 0: shifts ending 16:00 and 06:00 (+1); day 1: shifts starting 07:00 and 18:00;
    11 h rest. Brute force over every way to give the four shifts to people: the fewest
    people is 2 (16:00→07:00 is 15 h, 06:00→18:00 is 12 h); the model finds a 2-person
    roster and no 2-person roster breaking rest exists in its answer."""
    sh = [shift(0, 8, 8, 1), shift(0, 22, 8, 1), shift(1, 7, 8, 1), shift(1, 18, 8, 1)]

    def ok(order: tuple[int, ...]) -> bool:
        for p in set(order):
            mine = sorted((sh[k] for k, q in enumerate(order) if q == p), key=lambda s: s.start)
            if len({s.day for s in mine}) < len(mine):
                return False
            if any((b.start - a.end) / 2 < 11 for a, b in zip(mine, mine[1:], strict=False)):
                return False
        return True

    fewest = min(len(set(o)) for o in itertools.product(range(4), repeat=4) if ok(o))
    assert fewest == 2
    res = assign(inputs(sh, fewest, 2), time_limit_s=10)
    assert res.violations == [] and sorted(map(len, res.schedules)) == [2, 2]


def test_rest_cuts_are_exact_for_two_days() -> None:
    """Every pair of day-0 / day-1 shifts closer than the rest is inside one cut, and no
    cut holds a compatible pair (checked against the pairwise definition)."""
    rng = np.random.default_rng(3)
    spans = [(d, d * 48 + int(s), d * 48 + int(s) + int(n))
             for d in (0, 1) for s, n in zip(rng.integers(0, 46, 8), rng.integers(8, 20, 8),
                                             strict=True)]
    cuts = rest_cuts(spans, 22)
    for a, b in itertools.product(range(8), range(8, 16)):
        close = spans[b][1] - spans[a][2] < 22
        together = any(a in c[0] and b in c[1] for c in cuts)
        assert close == together, (spans[a], spans[b])


def test_night_is_any_time_between_midnight_and_five() -> None:
    # 22:00–06:00 yes; 20:00–24:00 no (ends at midnight); 04:30–12:30 yes; 05:00–13:00 no
    assert is_night(44, 60, 48, 5.0, 30)
    assert not is_night(40, 48, 48, 5.0, 30)
    assert is_night(57, 73, 48, 5.0, 30)
    assert not is_night(58, 74, 48, 5.0, 30)


def test_checker_counts_a_seven_day_window() -> None:
    """Six 8-h shifts on days 0–5: 48 paid hours in the week (max 44), six in a row is
    allowed (max 6); by hand."""
    sh = [shift(d, 9, 8, 1) for d in range(6)]
    inp = inputs(sh, 1, 7)
    v = violations(inp, [list(range(6))])
    assert [(x.rule, x.amount) for x in v] == [("max_paid_hours_per_week", 48.0)]


def test_duty_spans_hours_and_matrix() -> None:
    """Two people: E1 on 0–4 h and 5–9 h, E2 on 22–26 h (horizon 24 h): 8 h and 2 h."""
    d = Duty(("E1", "E2"), np.array([0, 0, 1]), np.array([0.0, 5, 22]) * 3600,
             np.array([4.0, 9, 26]) * 3600)
    assert np.allclose(d.hours(24 * 3600.0), [8.0, 2.0])
    m = d.matrix(1800.0, 48)
    assert m.sum(axis=1).tolist() == [16, 4] and m[0, 8:10].tolist() == [False, False]


def test_hires_work_from_their_first_day_only() -> None:
    """Three people, one hired from day 2; two day shifts a day over 4 days, max 3 days in a
    row: the hire has no shift before day 2 and the counts are kept."""
    sh = [shift(d, 9, 8, 2) for d in range(4)]
    inp = RosterInputs(30, 4 * PER_DAY, tuple(sh),
                       (Person("E001"), Person("E002"), Person("E003", first_day=2)),
                       RosterRules(max_consecutive_days=3))
    res = assign(inp, time_limit_s=10)
    assert res.violations == []
    assert all(inp.shifts[k].day >= 2 for k in res.schedules[2])
    assert sorted(len(s) for s in res.schedules) == [2, 3, 3]  # 8 shifts, E003 at most 2


def test_bad_people_section_is_one_located_error(tmp_path) -> None:  # noqa: ANN001
    """An unknown shift pattern to avoid: exit 2, file:line, the field, the known names."""
    from pathlib import Path

    from click.testing import CliRunner

    from cli import main

    src = (Path(__file__).parents[1] / "scenarios" / "run" / "data" / "mini_peak.yaml")
    text = src.read_text(encoding="utf-8").replace(
        "      max_hires: 5\n",
        "      max_hires: 5\n      people: {E001: {avoid_shifts: [nite8]}}\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    res = CliRunner().invoke(main, ["plan", str(bad), "--rounds", "0"])
    assert res.exit_code == 2
    assert f"{bad}:52:7: pools.in_house.employment: people.E001.avoid_shifts: unknown " \
           "shift pattern 'nite8' (known: day8, night8)" in res.output
    assert "Traceback" not in res.output
