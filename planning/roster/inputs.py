"""Typed inputs of the roster model: the rules, the people and the shifts the plan counts.

Time is in intervals of the horizon (index 0 = the first interval, ``per_day`` a day);
a shift belongs to the day it starts on. The ``scenarios`` package builds these.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RosterRules:
    """Rules every person's schedule keeps (contact-centre defaults).

    min_rest_hours: from the end of one shift to the start of the next (breaks are inside
    a shift); max_consecutive_days: working dates in a row; max_nights_in_a_row: dates in a
    row with a night shift (a shift whose span meets [00:00, night_end_hour) of some day);
    max_paid_hours_per_week: paid hours of the shifts dated on any 7 consecutive dates;
    max_days_per_week: working dates in each 7-day block of the horizon (the mix's rule);
    block_paid_hours: salaried hours per week W — rostered paid hours in a 7-day block stay
    within W·min(D, employed days)/D (no unpaid overtime); None for hourly pay.
    """

    min_rest_hours: float = 11.0
    max_consecutive_days: int = 6
    max_nights_in_a_row: int = 3
    max_paid_hours_per_week: float = 44.0
    max_days_per_week: int = 7
    block_paid_hours: float | None = None
    night_end_hour: float = 5.0
    on_leave: tuple[int, ...] = ()  # employees unavailable on each day (the mix's bound)


@dataclass(frozen=True)
class Person:
    """An employee: id, first day employed (hires), days they cannot work, and optional
    preferences: ``avoid`` shift pattern indices they would rather not work (soft)."""

    employee_id: str
    first_day: int = 0
    unavailable: frozenset[int] = frozenset()
    avoid: frozenset[int] = frozenset()


@dataclass(frozen=True)
class PlannedShift:
    """``count`` people on pattern ``pattern`` from interval ``start`` for ``length``
    intervals; ``cover`` the horizon intervals on the queue (breaks out)."""

    day: int
    pattern: int
    start: int
    length: int
    cover: tuple[int, ...]
    paid_hours: float
    count: int

    @property
    def end(self) -> int:
        return self.start + self.length


@dataclass(frozen=True)
class RosterInputs:
    """Everything the assignment needs."""

    interval_minutes: int
    n_intervals: int
    shifts: tuple[PlannedShift, ...]
    people: tuple[Person, ...]
    rules: RosterRules = field(default_factory=RosterRules)
    clock0: int = 0  # intervals from midnight to the horizon start (for the night rule)

    @property
    def per_day(self) -> int:
        return 24 * 60 // self.interval_minutes

    @property
    def days(self) -> int:
        return -(-self.n_intervals // self.per_day)

    def hours(self, intervals: float) -> float:
        return intervals * self.interval_minutes / 60.0

    def is_night(self, sh: PlannedShift) -> bool:
        """Does the shift's span meet [00:00, night_end_hour) of some day?"""
        return is_night(sh.start + self.clock0, sh.end + self.clock0, self.per_day,
                        self.rules.night_end_hour, self.interval_minutes)


def is_night(start: int, end: int, per_day: int, night_end_hour: float,
             interval_minutes: int) -> bool:
    """Interval span [start, end) meets [k·day, k·day + night_end_hour) for some k."""
    night = night_end_hour * 60.0 / interval_minutes
    first = start // per_day
    for k in range(first, end // per_day + 1):
        lo, hi = k * per_day, k * per_day + night
        if start < hi and end > lo:
            return True
    return False


def rest_cuts(spans: list[tuple[int, int, int]], rest: float) -> list[tuple[list[int], list[int]]]:
    """Threshold cuts of the rest rule over shifts given as (day, start, end) in intervals
    (``rest`` in intervals): pairs (A, B) of positions, A on day d and B on a later day,
    such that every a ∈ A, b ∈ B leave less than ``rest`` between a's end and b's start.
    For each later day and each distinct end e on day d: A = {a on d: end_a ≥ e},
    B = {b: start_b < e + rest}; a person works at most one shift of A ∪ B. With one shift
    a day these describe two days exactly: the compatible pairs are nested, so Hall's
    condition reduces to these thresholds."""
    by_day: dict[int, list[int]] = {}
    for k, (d, _, _) in enumerate(spans):
        by_day.setdefault(d, []).append(k)
    out = []
    for d, mine in sorted(by_day.items()):
        latest_end = max(spans[k][2] for k in mine)
        for d2 in sorted(x for x in by_day if x > d):
            later = by_day[d2]
            if min(spans[k][1] for k in later) >= latest_end + rest:
                break
            seen = set()
            for e in sorted({spans[k][2] for k in mine}):
                a = [k for k in mine if spans[k][2] >= e]
                b = [k for k in later if spans[k][1] < e + rest]
                key = (tuple(a), tuple(b))
                if b and key not in seen:
                    seen.add(key)
                    out.append((a, b))
    return _undominated(out)


def rest_conflicts(inp: RosterInputs) -> list[tuple[list[int], list[int]]]:
    """:func:`rest_cuts` over the planned shifts."""
    rest = inp.rules.min_rest_hours * 60.0 / inp.interval_minutes
    return rest_cuts([(sh.day, sh.start, sh.end) for sh in inp.shifts], rest)


def _undominated(cuts: list[tuple[list[int], list[int]]]) -> list[tuple[list[int], list[int]]]:
    """Drop a cut whose set is inside another cut's (it adds nothing)."""
    sets = [frozenset(a) | frozenset(b) for a, b in cuts]
    keep = []
    for i, s in enumerate(sets):
        if not any(j != i and s < t for j, t in enumerate(sets)) and s not in sets[:i]:
            keep.append(cuts[i])
    return keep
