"""The people roster made day by day (planning.roster.days, planning.roster.assign):
every planned shift to exactly its count, every rule kept, hours at least as fair as the
two-phase MILP it replaced, the same roster every time.

References: an independent rule check written here from the rules' definitions
(interval arithmetic on the shifts, not planning.roster.check); planning.roster.check's
``violations`` for what ``days.allowed`` must agree with; the old two-phase MILP
(tests/roster_reference.old_assign) on random small cases; on the flagship's three plans
the old method's measures from benchmarks/bench_roster.py (30–33 s a plan, too slow to
rerun here): Σ paid hours above share 175.0, 229.5 and 88.2 h, largest excess 10.9,
10.6 and 1.9 h."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

from planning.roster import RosterInputs, assign, violations
from planning.roster import days as by_day
from tests.roster_reference import fairness, flagship_plans, old_assign, random_case

A = importlib.import_module("planning.roster.assign")
OLD_FLAGSHIP = [(175.0, 10.9), (229.5, 10.6), (88.2, 1.9)]  # (Σ above share, largest excess)


def breaks(inp: RosterInputs, sched: list[list[int]]) -> list[str]:
    """Every rule broken, from the definitions (docs/roster.md), by plain arithmetic."""
    r, sh = inp.rules, inp.shifts
    out = []
    held = [0] * len(sh)
    hour = 60 / inp.interval_minutes  # intervals an hour
    for p, mine in enumerate(sched):
        person = inp.people[p]
        mine = sorted(mine, key=lambda k: sh[k].start)
        dates = [sh[k].day for k in mine]
        for k in mine:
            held[k] += 1
            if sh[k].day < person.first_day or sh[k].day in person.unavailable:
                out.append(f"{p} works day {sh[k].day} unemployed or on leave")
        if len(set(dates)) < len(dates):
            out.append(f"{p}: two shifts a day")
        for a, b in zip(mine, mine[1:], strict=False):
            if (sh[b].start - sh[a].end) / hour < r.min_rest_hours - 1e-9:
                out.append(f"{p}: short rest before day {sh[b].day}")
        nights = {sh[k].day for k in mine if any(
            (t + inp.clock0) % inp.per_day < r.night_end_hour * hour
            for t in range(sh[k].start, sh[k].end))}
        for most, days, rule in ((r.max_consecutive_days, set(dates), "days"),
                                 (r.max_nights_in_a_row, nights, "nights")):
            for d in days:
                if all(d + i in days for i in range(most + 1)):
                    out.append(f"{p}: more than {most} {rule} in a row from {d}")
        for d0 in range(max(inp.days - 6, 1)):
            h = sum(sh[k].paid_hours for k in mine if d0 <= sh[k].day < d0 + 7)
            if h > r.max_paid_hours_per_week + 1e-9:
                out.append(f"{p}: {h} paid hours from day {d0}")
        for b0 in range(0, inp.days, 7):
            inside = [k for k in mine if b0 <= sh[k].day < b0 + 7]
            if len(inside) > r.max_days_per_week:
                out.append(f"{p}: {len(inside)} days in the block from {b0}")
            if r.block_paid_hours is not None:
                employed = sum(1 for d in range(b0, min(b0 + 7, inp.days))
                               if d >= person.first_day)
                cap = r.block_paid_hours * min(r.max_days_per_week, employed) \
                    / r.max_days_per_week
                if sum(sh[k].paid_hours for k in inside) > cap + 1e-9:
                    out.append(f"{p}: salaried hours over in the block from {b0}")
    out += [f"shift {k}: {held[k]} people, {s.count} planned"
            for k, s in enumerate(sh) if held[k] != s.count]
    return out


@pytest.fixture(scope="module")
def flagship() -> list[RosterInputs]:
    return flagship_plans()


def test_flagship_plans_keep_every_rule_and_are_fairer(flagship: list[RosterInputs]) -> None:
    """The flagship's three plans: every shift to exactly its count, no rule broken (the
    check above and planning.roster.check agree), nobody more than one shift's paid hours
    above their share, and less unfair than the old method on every measure."""
    for inp, (old_above, old_max) in zip(flagship, OLD_FLAGSHIP, strict=True):
        res = assign(inp)
        assert res.status == "optimal"
        assert breaks(inp, res.schedules) == [] and res.violations == []
        f = fairness(inp, res.schedules)
        assert f["one_shift"]
        assert f["above"] <= old_above and f["max_excess"] <= old_max


def test_same_plan_same_roster(flagship: list[RosterInputs]) -> None:
    """No clock, no random draws: the roster is the same each time it is made."""
    inp = flagship[0]
    assert assign(inp).schedules == assign(inp).schedules


@pytest.mark.parametrize("seed", range(16))
def test_small_cases_at_least_as_fair_as_the_old_milp(seed: int) -> None:
    """Random small problems (a roster exists by construction): rules and counts kept;
    nobody more than one shift above share wherever the old method achieves it; Σ hours
    above share (+ avoided shifts) no worse than the old method's (on seeds 0–59: better on
    19, equal on 41, worse on none: a model this small — at most 1,000 binaries — also runs
    the old MILP and keeps the fairer roster, planning.roster.assign.fairer)."""
    inp = random_case(seed)
    if not inp.shifts:
        return
    res = assign(inp)
    assert breaks(inp, res.schedules) == [] and res.violations == []
    old, _ = old_assign(inp)
    assert breaks(inp, old) == []
    f, g = fairness(inp, res.schedules), fairness(inp, old)
    assert f["one_shift"] or not g["one_shift"]
    assert f["above"] <= g["above"] + 1e-6


@pytest.mark.parametrize("seed", range(6))
def test_allowed_agrees_with_the_rule_check(seed: int) -> None:
    """days.allowed (may person p take shift k on day d, every other day fixed) against
    planning.roster.check: adding the shift to a rule-keeping schedule breaks no rule
    exactly where allowed says yes."""
    inp = random_case(100 + seed)
    if not inp.shifts:
        return
    sched = assign(inp).schedules
    lay = by_day.layout(inp, A._eligible(inp), A._fair_share(inp, A._eligible(inp)))
    work = A._work(inp, sched)
    for d in range(inp.days):
        ks = lay.by_day[d]
        if not len(ks):
            continue
        ok = by_day.allowed(lay, work, d)
        for p, person in enumerate(inp.people):
            rest = [k for k in sched[p] if inp.shifts[k].day != d]
            alone = RosterInputs(inp.interval_minutes, inp.n_intervals, inp.shifts,
                                 (person,), inp.rules, inp.clock0)
            for j, k in enumerate(ks):
                fine = not [v for v in violations(alone, [rest + [int(k)]])
                            if v.rule != "coverage"]
                assert ok[p, j] == fine, (seed, d, p, int(k))


def test_descent_never_less_fair(flagship: list[RosterInputs]) -> None:
    """improve() from the MILP's phase-1 roster: Σ hours above share never rises (here it
    falls), rules and counts kept."""
    inp = flagship[2]
    lp, col, _ = A.build(inp, fair=False)
    _, x = A._solve(lp, 60, None, presolve=False)
    start = A._schedules(inp, col, x)
    lay = by_day.layout(inp, A._eligible(inp), A._fair_share(inp, A._eligible(inp)))
    after = A._from_work(inp, by_day.improve(lay, A._work(inp, start)))
    assert breaks(inp, after) == []
    assert fairness(inp, after)["above"] < fairness(inp, start)["above"]
    assert np.array_equal(A.RosterResult(after, "", [], 0, 0).coverage(inp),
                          A.RosterResult(start, "", [], 0, 0).coverage(inp))
