"""The look-ahead roster build (planning.roster.ahead) and HiGHS's deterministic limits
(planning.roster.assign).

References: the rule check written from the rules' definitions in
tests/planning/test_roster_fair.py (``breaks``: interval arithmetic on the shifts, not
planning.roster.check); for the dynamic programme's values, brute force over every
day-level schedule of one person with the rules checked from their definitions here.
"""

from __future__ import annotations

import importlib
import itertools

import numpy as np
import pytest

from planning.roster import RosterInputs, assign
from planning.roster import days as by_day
from tests.planning.test_roster_fair import breaks
from tests.roster_reference import flagship_plans, random_case, ten_fold_plan

A = importlib.import_module("planning.roster.assign")
AH = importlib.import_module("planning.roster.ahead")


def _layout(inp: RosterInputs) -> by_day.Layout:
    elig = A._eligible(inp)
    return by_day.layout(inp, elig, A._fair_share(inp, elig))


@pytest.fixture(scope="module")
def plans() -> list[RosterInputs]:
    return flagship_plans() + [ten_fold_plan()]


def test_flagship_and_ten_fold_plans_filled_without_highs(plans, monkeypatch) -> None:
    """Every plan the flagship's `peakdesk plan` rosters, and the ten-fold flagship's
    (1,100 employees and 400 hires), is filled by the look-ahead build alone — HiGHS is
    never called — every place to exactly its count and every rule kept (the independent
    check)."""
    def no_highs(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("HiGHS was called")

    monkeypatch.setattr(A, "_solve", no_highs)
    for inp in plans:
        work = AH.construct_ahead(_layout(inp))
        assert work is not None
        assert breaks(inp, A._from_work(inp, work)) == []
        res = assign(inp)
        assert res.status == "optimal" and res.violations == []
        assert breaks(inp, res.schedules) == []


def test_the_clock_never_changes_the_roster(plans) -> None:
    """The same roster under any time limit (a look-ahead build and the day-by-day
    descent have no clock; HiGHS, where it runs, has work limits)."""
    for inp in plans[:3]:
        assert assign(inp, time_limit_s=1800.0).schedules == \
            assign(inp, time_limit_s=5.0, fair_time_s=5.0).schedules


def test_highs_path_same_under_any_time_limit(plans, monkeypatch) -> None:
    """Where HiGHS must build the roster (both day-by-day builds switched off here), it
    stops at its first roster within a node limit: the same roster with a generous and a
    tight clock; a clock too short for the work limit raises RosterTimeout — never a
    rule-breaking roster from the elastic model."""
    monkeypatch.setattr(A, "construct_ahead", lambda lay: None)
    monkeypatch.setattr(A, "construct", lambda lay: None)
    inp = plans[2]
    a = assign(inp, time_limit_s=1800.0)
    b = assign(inp, time_limit_s=120.0)
    assert a.status in ("optimal", "feasible") and a.violations == [] and breaks(inp, a.schedules) == []
    assert a.schedules == b.schedules
    with pytest.raises(A.RosterTimeout, match="guard"):
        assign(inp, time_limit_s=1e-4)


def test_elastic_only_when_no_roster_keeps_the_rules() -> None:
    """More places on a day than people: HiGHS proves no roster keeps every rule (a
    deterministic answer), and only then the elastic model reports the shortfall."""
    inp = random_case(3)
    more = tuple(s.__class__(s.day, s.pattern, s.start, s.length, s.cover, s.paid_hours,
                             s.count + len(inp.people)) if i == 0 else s
                 for i, s in enumerate(inp.shifts))
    bad = RosterInputs(inp.interval_minutes, inp.n_intervals, more, inp.people, inp.rules)
    res = assign(bad)
    assert res.status == "rules_broken"
    assert any(v.rule == "coverage" for v in res.violations)


def _day_rules_ok(inp: RosterInputs, first_day: int, cap: list[float],
                  seq: list[tuple[float, bool]]) -> bool:
    """One person's dates (paid hours, night; 0 off) against the day-level rules, from
    their definitions (docs/roster.md)."""
    r = inp.rules
    n = len(seq)
    on = [h > 0 for h, _ in seq]
    if any(on[d] for d in range(min(first_day, n))):
        return False
    for most, flags in ((r.max_consecutive_days, on),
                        (r.max_nights_in_a_row, [x for _, x in seq])):
        run = 0
        for f in flags:
            run = run + 1 if f else 0
            if run > most:
                return False
    for d0 in range(max(n - 6, 1)):
        if sum(h for h, _ in seq[d0:d0 + 7]) > r.max_paid_hours_per_week + 1e-9:
            return False
    for b, b0 in enumerate(range(0, n, 7)):
        block = seq[b0:b0 + 7]
        if sum(1 for h, _ in block if h > 0) > r.max_days_per_week:
            return False
        if sum(h for h, _ in block) > cap[b] + 1e-9:
            return False
    return True


@pytest.mark.parametrize("seed", range(4))
def test_values_are_the_best_schedule_by_brute_force(seed: int) -> None:
    """V(e, history) of the dynamic programme equals the best Σ prices over every
    schedule of dates e.. one person may work after a rule-keeping history (brute force
    over every choice of class or off per date)."""
    inp = random_case(200 + seed, people=1, days=8)
    if not inp.shifts:
        return
    lay = _layout(inp)
    rng = np.random.default_rng(seed)
    cls, keys = AH._classes(lay)
    price = rng.uniform(0.5, 2.0, size=(lay.days, len(keys)))
    table = AH._Values(lay, price, cls, keys)
    v = table.v[table.kind[0]]
    person = inp.people[0]
    cap = list(lay.block_cap[0])
    options = [[None] + sorted(set(cls[lay.by_day[e]].tolist())) if lay.elig[0, lay.by_day[e]].any()
               else [None] for e in range(lay.days)]
    for e in (3, 5):
        for hist in itertools.product(*options[:e]):
            seq = [keys[c] if c is not None else (0.0, False) for c in hist]
            if not _day_rules_ok(inp, person.first_day, cap, seq):
                continue
            best = 0.0
            for fut in itertools.product(*options[e:]):
                full = seq + [keys[c] if c is not None else (0.0, False) for c in fut]
                if _day_rules_ok(inp, person.first_day, cap, full):
                    best = max(best, sum(price[e + i, c] for i, c in enumerate(fut)
                                         if c is not None))
            code = 0
            for c in hist[max(0, e - table.span):]:
                code = code * table.base + (0 if c is None else c + 1)
            assert v[e][code] == pytest.approx(best), (e, hist)


def test_random_cases_filled_and_lawful() -> None:
    """Random small problems that have a roster keeping every rule (tests/roster_reference.
    random_case): the look-ahead build fills at least as many as the crowd-order build and
    at least 95 of 100 (on seeds 0–199: 199 against 154), and every roster it gives keeps
    every rule (the independent check)."""
    ahead = crowd = 0
    for seed in range(100):
        inp = random_case(seed)
        if not inp.shifts:
            ahead, crowd = ahead + 1, crowd + 1
            continue
        lay = _layout(inp)
        work = AH.construct_ahead(lay)
        crowd += by_day.construct(lay) is not None
        if work is not None:
            ahead += 1
            assert breaks(inp, A._from_work(inp, work)) == [], seed
    assert ahead >= crowd and ahead >= 95
