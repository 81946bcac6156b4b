"""Rosters one day at a time: which person may take which shift of a day, given what
everyone works on the other days, and the best way to give that day's shifts out.

Every rule of :class:`~planning.roster.inputs.RosterRules` is a rule of one person's
schedule, and people are coupled only by the coverage (each planned shift to exactly its
count). So with every other day held fixed, giving out one day's shifts is a bipartite
assignment: people × places (a shift's count of places), an edge where the person may
take the shift under every rule given their other days, each person at most one place.
Its cost per edge is exact for any objective that sums a function of each person's hours
(and a cost per shift of a pattern the person asked to avoid), so one linear assignment
(scipy's ``linear_sum_assignment``, Crouse 2016) solves the day exactly.

- :func:`construct` gives the days out in time order (only the past fixed), steering each
  day's shifts to the people furthest behind their share so far;
- :func:`improve` re-gives one day at a time, every other day fixed, until a whole pass over
  the days changes nothing: a descent on the fairness objective (block coordinate descent,
  each block solved exactly), deterministic (no clock, no random draws).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from planning.roster.check import block_hours_cap
from planning.roster.inputs import RosterInputs

NEVER = 1e12  # cost of an edge the rules forbid (never chosen while a feasible one exists)
EVEN = 0.01  # weight of Σ (hours − share)² beside Σ hours above share: evens the rest out


@dataclass(frozen=True)
class Layout:
    """The roster inputs as arrays: per shift its day, times, paid hours, night flag,
    pattern and count; per person their eligible shifts, share, avoided patterns and their
    salaried hours cap per 7-day block."""

    inp: RosterInputs
    day: np.ndarray
    start: np.ndarray
    end: np.ndarray
    paid: np.ndarray
    night: np.ndarray
    count: np.ndarray
    by_day: list[np.ndarray]
    elig: np.ndarray  # (people, shifts) bool
    avoid: np.ndarray  # (people, shifts) bool: a pattern the person asked to avoid
    share: np.ndarray  # (people,) fair share of the planned paid hours
    block_cap: np.ndarray  # (people, blocks) paid hours a block may hold (inf: hourly)
    rest: float  # minimum rest in intervals

    @property
    def days(self) -> int:
        return self.inp.days


def layout(inp: RosterInputs, elig: np.ndarray, share: np.ndarray) -> Layout:
    sh = inp.shifts
    day = np.array([s.day for s in sh], dtype=np.int64)
    avoid = np.zeros((len(inp.people), len(sh)), dtype=bool)
    pattern = np.array([s.pattern for s in sh], dtype=np.int64)
    for p, person in enumerate(inp.people):
        if person.avoid:
            avoid[p] = np.isin(pattern, list(person.avoid))
    blocks = range(0, inp.days, 7)
    cap = np.full((len(inp.people), len(blocks)), np.inf)
    if inp.rules.block_paid_hours is not None:
        for p, person in enumerate(inp.people):
            for b, b0 in enumerate(blocks):
                cap[p, b] = block_hours_cap(inp, person.first_day,
                                            range(b0, min(b0 + 7, inp.days)))
    return Layout(inp, day,
                  np.array([s.start for s in sh], dtype=np.int64),
                  np.array([s.end for s in sh], dtype=np.int64),
                  np.array([s.paid_hours for s in sh], dtype=np.float64),
                  np.array([inp.is_night(s) for s in sh], dtype=bool),
                  np.array([s.count for s in sh], dtype=np.int64),
                  [np.flatnonzero(day == d) for d in range(inp.days)],
                  elig, avoid, np.asarray(share, dtype=np.float64), cap,
                  inp.rules.min_rest_hours * 60.0 / inp.interval_minutes)


def allowed(lay: Layout, work: np.ndarray, d: int) -> np.ndarray:
    """(people, shifts of day ``d``) bool: may the person take the shift on day ``d``, every
    rule kept given their shifts on the other days (``work``: (people, days) shift position
    or −1; its column ``d`` is ignored)."""
    r = lay.inp.rules
    ks = lay.by_day[d]
    n_days = lay.days
    worked = work >= 0
    worked[:, d] = False
    safe = np.where(worked, work, 0)
    paid = np.where(worked, lay.paid[safe], 0.0)
    ok = lay.elig[:, ks].copy()
    # rest: from the last shift before (in time) and to the next one after
    idx = np.arange(n_days)
    before = np.where(worked[:, :d], idx[:d], -1).max(axis=1, initial=-1)
    after = np.where(worked[:, d + 1:], idx[d + 1:], n_days).min(axis=1, initial=n_days)
    rows = np.arange(len(work))
    prev_end = np.where(before >= 0, lay.end[safe[rows, np.maximum(before, 0)]], np.iinfo(np.int64).min // 2)
    next_start = np.where(after < n_days, lay.start[safe[rows, np.minimum(after, n_days - 1)]],
                          np.iinfo(np.int64).max // 2)
    ok &= (lay.start[ks][None, :] - prev_end[:, None]) >= lay.rest - 1e-9
    ok &= (next_start[:, None] - lay.end[ks][None, :]) >= lay.rest - 1e-9
    # days in a row, nights in a row
    ok &= (_run(worked, d) <= r.max_consecutive_days)[:, None]
    nights = worked & lay.night[safe]
    ok &= ~lay.night[ks][None, :] | (_run(nights, d) <= r.max_nights_in_a_row)[:, None]
    # paid hours on every 7 consecutive dates that hold day d
    cum = np.concatenate([np.zeros((len(work), 1)), np.cumsum(paid, axis=1)], axis=1)
    slack = np.full(len(work), np.inf)
    for d0 in range(max(0, d - 6), min(d, max(n_days - 7, 0)) + 1):
        slack = np.minimum(slack, r.max_paid_hours_per_week
                           - (cum[:, min(d0 + 7, n_days)] - cum[:, d0]))
    # the 7-day block: days and (salaried) paid hours
    b0 = d - d % 7
    b1 = min(b0 + 7, n_days)
    ok &= (worked[:, b0:b1].sum(axis=1) < r.max_days_per_week)[:, None]
    slack = np.minimum(slack, lay.block_cap[:, d // 7] - paid[:, b0:b1].sum(axis=1))
    ok &= lay.paid[ks][None, :] <= slack[:, None] + 1e-9
    return ok


def _run(on: np.ndarray, d: int) -> np.ndarray:
    """Per person: the length of the run of days through ``d`` if they work ``d``."""
    n = np.ones(len(on), dtype=np.int64)
    live = np.ones(len(on), dtype=bool)
    for e in range(d - 1, -1, -1):
        live &= on[:, e]
        if not live.any():
            break
        n += live
    live = np.ones(len(on), dtype=bool)
    for e in range(d + 1, on.shape[1]):
        live &= on[:, e]
        if not live.any():
            break
        n += live
    return n


def unfairness(lay: Layout, hours: np.ndarray, avoided: float = 0.0) -> tuple[float, float]:
    """(Σ paid hours above share + avoided shifts, Σ (hours − share)²): the first is the
    objective the roster minimises (one hour per avoided shift), the second evens out."""
    x = hours - lay.share
    return float(np.maximum(x, 0.0).sum() + avoided), float((x * x).sum())


def score(lay: Layout, work: np.ndarray) -> tuple[float, float]:
    """:func:`unfairness` of a roster (``work``: (people, days) shift position or −1)."""
    return unfairness(lay, _hours(lay, work), _avoided(lay, work))


def _hours(lay: Layout, work: np.ndarray) -> np.ndarray:
    return np.where(work >= 0, lay.paid[np.maximum(work, 0)], 0.0).sum(axis=1)


def _avoided(lay: Layout, work: np.ndarray) -> float:
    p, d = np.nonzero(work >= 0)
    return float(lay.avoid[p, work[p, d]].sum())


def _give(lay: Layout, ok: np.ndarray, cost: np.ndarray, d: int) -> np.ndarray | None:
    """Solve day ``d``'s assignment: per person the shift position they take, or −1;
    None when some place cannot be filled."""
    ks = lay.by_day[d]
    slots = np.repeat(np.arange(len(ks)), lay.count[ks])
    out = np.full(ok.shape[0], -1, dtype=np.int64)
    if not len(slots):
        return out
    if len(slots) > ok.shape[0]:
        return None
    c = np.where(ok, cost, NEVER)[:, slots]
    rows, cols = linear_sum_assignment(c)
    if (c[rows, cols] >= NEVER).any():
        return None
    out[rows] = ks[slots[cols]]
    return out


def _day_cost(lay: Layout, other: np.ndarray, ks: np.ndarray, target: np.ndarray,
              even: float) -> np.ndarray:
    """(people, shifts of the day): change of the objective if the person takes the shift
    (hours ``other`` elsewhere), against being off that day."""
    h0 = other - target
    h1 = h0[:, None] + lay.paid[ks][None, :]
    above = np.maximum(h1, 0.0) - np.maximum(h0, 0.0)[:, None]
    return above + lay.avoid[:, ks] + even * (h1 * h1 - (h0 * h0)[:, None])


def construct(lay: Layout) -> np.ndarray | None:
    """A roster built one day at a time, the most crowded days first (places over people
    who may work that day: where the headcount is tight, the other days must fit around
    it), each day's shifts to the people furthest behind their share of the days given so
    far; None when some day's places cannot all be filled under the rules (the MILP
    decides then)."""
    p_n = len(lay.inp.people)
    work = np.full((p_n, lay.days), -1, dtype=np.int64)
    can = np.zeros((p_n, lay.days))
    places = np.zeros(lay.days)
    for d in range(lay.days):
        ks = lay.by_day[d]
        if len(ks):
            can[:, d] = lay.elig[:, ks].any(axis=1)
            places[d] = lay.count[ks].sum()
    crowd = places / np.maximum(can.sum(axis=0), 1.0)
    order = sorted((d for d in range(lay.days) if places[d] > 0), key=lambda d: (-crowd[d], d))
    total = np.maximum(can.sum(axis=1), 1.0)
    seen = np.zeros(p_n)
    hours = np.zeros(p_n)
    for d in order:
        ks = lay.by_day[d]
        seen += can[:, d]
        ok = allowed(lay, work, d)
        cost = _day_cost(lay, hours, ks, lay.share * seen / total, 1.0)
        got = _give(lay, ok, cost, d)
        if got is None:
            return None
        work[:, d] = got
        hours += np.where(got >= 0, lay.paid[np.maximum(got, 0)], 0.0)
    return work


def improve(lay: Layout, work: np.ndarray, max_passes: int = 50) -> np.ndarray:
    """Re-give each day's shifts with every other day fixed, pass after pass over the days,
    until a pass improves nothing (or ``max_passes``). A day's new assignment is kept only
    if it lowers (Σ hours above share + avoided, then Σ (hours − share)²) — the first
    never rises, so the result is never less fair than the start."""
    work = work.copy()
    hours = _hours(lay, work)
    best = unfairness(lay, hours, _avoided(lay, work))
    for _ in range(max_passes):
        moved = False
        for d in range(lay.days):
            ks = lay.by_day[d]
            if not len(ks):
                continue
            mine = work[:, d]
            other = hours - np.where(mine >= 0, lay.paid[np.maximum(mine, 0)], 0.0)
            ok = allowed(lay, work, d)
            for even in (EVEN, 0.0):  # evened first; the plain objective if that rises
                got = _give(lay, ok, _day_cost(lay, other, ks, lay.share, even), d)
                if got is None:
                    break
                trial = work.copy()
                trial[:, d] = got
                h = other + np.where(got >= 0, lay.paid[np.maximum(got, 0)], 0.0)
                score = unfairness(lay, h, _avoided(lay, trial))
                if score[0] <= best[0] + 1e-9:
                    if score[0] < best[0] - 1e-9 or score[1] < best[1] - 1e-9:
                        work, hours, best, moved = trial, h, score, True
                    break
        if not moved:
            break
    return work
