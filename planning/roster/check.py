"""Every rule checked on a finished roster: the violations by rule, person and days.

Works on plain schedules (per person, the planned-shift positions they work), so the run
can say which rule the headcount could not meet and where, instead of breaking it
silently. Tests check roster.csv with their own reader, not with this module.
"""

from __future__ import annotations

from dataclasses import dataclass

from planning.roster.inputs import RosterInputs


@dataclass(frozen=True)
class Violation:
    """One broken rule: ``rule`` (a RosterRules field or ``coverage``/``availability``),
    the person (None for coverage), the days concerned, and the amount (hours over,
    days over, rest hours, people missing)."""

    rule: str
    employee_id: str | None
    days: tuple[int, ...]
    amount: float


def violations(inp: RosterInputs, schedules: list[list[int]]) -> list[Violation]:
    """All violations of ``schedules`` (one list of shift positions per person of
    ``inp.people``), coverage included (people per planned shift ≠ its count)."""
    out: list[Violation] = []
    counts = [0] * len(inp.shifts)
    for person, mine in zip(inp.people, schedules, strict=True):
        for k in mine:
            counts[k] += 1
        out += _person(inp, person.employee_id, person, sorted(
            mine, key=lambda k: inp.shifts[k].start))
    for k, sh in enumerate(inp.shifts):
        if counts[k] != sh.count:
            out.append(Violation("coverage", None, (sh.day,), float(sh.count - counts[k])))
    return out


def _person(inp: RosterInputs, pid: str, person, mine: list[int]) -> list[Violation]:  # noqa: ANN001
    r, sh = inp.rules, inp.shifts
    out = []
    days = [sh[k].day for k in mine]
    for k in mine:
        if sh[k].day < person.first_day or sh[k].day in person.unavailable:
            out.append(Violation("availability", pid, (sh[k].day,), 1.0))
    for d in sorted({d for d in days if days.count(d) > 1}):
        out.append(Violation("one_shift_a_day", pid, (d,), float(days.count(d) - 1)))
    for a, b in zip(mine, mine[1:], strict=False):
        gap = inp.hours(sh[b].start - sh[a].end)
        if gap < r.min_rest_hours - 1e-9:
            out.append(Violation("min_rest_hours", pid, (sh[a].day, sh[b].day), gap))
    worked = set(days)
    nights = {sh[k].day for k in mine if inp.is_night(sh[k])}
    out += _runs(pid, worked, r.max_consecutive_days, "max_consecutive_days")
    out += _runs(pid, nights, r.max_nights_in_a_row, "max_nights_in_a_row")
    paid = {}
    for k in mine:
        paid[sh[k].day] = paid.get(sh[k].day, 0.0) + sh[k].paid_hours
    for d0 in range(max(inp.days - 6, 1)):
        h = sum(paid.get(d, 0.0) for d in range(d0, d0 + 7))
        if h > r.max_paid_hours_per_week + 1e-9:
            out.append(Violation("max_paid_hours_per_week", pid,
                                 tuple(range(d0, min(d0 + 7, inp.days))), h))
    for b0 in range(0, inp.days, 7):
        block = range(b0, min(b0 + 7, inp.days))
        n = sum(1 for d in block if d in worked)
        if n > r.max_days_per_week:
            out.append(Violation("max_days_per_week", pid, tuple(block), float(n)))
        if r.block_paid_hours is not None:
            cap = block_hours_cap(inp, person.first_day, block)
            h = sum(paid.get(d, 0.0) for d in block)
            if h > cap + 1e-9:
                out.append(Violation("paid_hours_per_week", pid, tuple(block), h))
    return out


def block_hours_cap(inp: RosterInputs, first_day: int, block: range) -> float:
    """Salaried: W·min(D, employed days of the block)/D (planning.mix_model's rule)."""
    r = inp.rules
    d = r.max_days_per_week
    employed = sum(1 for x in block if x >= first_day)
    return r.block_paid_hours * min(d, employed) / d


def _runs(pid: str, days: set[int], most: int, rule: str) -> list[Violation]:
    """Runs of consecutive days longer than ``most``."""
    out, run = [], []
    for d in sorted(days) + [None]:
        if d is not None and run and d == run[-1] + 1:
            run.append(d)
            continue
        if len(run) > most:
            out.append(Violation(rule, pid, tuple(run), float(len(run))))
        run = [d] if d is not None else []
    return out
