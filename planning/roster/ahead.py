"""A roster built in time order that looks ahead: each day's shifts go to the people whose
working today costs the days ahead the least.

Built one day at a time from the first (only the past fixed), each day an exact linear
assignment (planning.roster.days: people × places, every rule checked against the past).
What it looks ahead with:

- **The days ahead, priced.** Each date e and class of shift c (its paid hours and
  whether it is a night) has a price π[e, c]: how scarce people are for it. For one
  person, V(e, history) is the most they can still earn from date e on — the best sum of
  prices over the schedules the day-level rules leave them (days per 7-day block, days and
  nights in a row, paid hours on every 7 consecutive dates, salaried hours per block), by
  dynamic programming over (date, the last dates' paid hours and night flags). Giving
  person p shift k of class c today gains π[d, c] + V(d + 1, history with k) −
  V(d + 1, history with today off); the day's places go to the largest gains. This is
  what a day-by-day build most easily gets wrong: on the flagship everyone works 10 Nov and
  at most five days of its 7-day block, so whoever works five of the six dates before
  11 Nov cannot work 11 Nov (44 paid hours on any 7 dates): the people for 11 Nov must be
  those who worked 4 Nov.
- **Tomorrow's rest.** A shift ending late today leaves its person only tomorrow's late
  shifts (11 h of rest): it costs the share of tomorrow's places it closes to that person,
  so late shifts go first to those who could take only a short shift tomorrow, or none.
- **Prices that learn.** When some date's places cannot all be filled, the prices of
  that date's unfilled classes double (and where the rest rule kept people out, the rest
  cost of the date before quadruples) and the build starts again (at most ROUNDS times),
  so the days before keep more people free for it. Deterministic: no clock, no draws.

None when no round fills every place (the caller then asks HiGHS).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from scipy.optimize import linear_sum_assignment

from planning.roster.days import Layout, _day_cost, _give, allowed

ROUNDS = 12  # builds with learnt prices before giving up
REST_WEIGHT = 0.5  # × tomorrow's dearest price, per share of tomorrow's places a late shift closes
FAIR_WEIGHT = 1e-3  # the fair-share tie-break, per (hour / longest shift)²


def construct_ahead(lay: Layout) -> np.ndarray | None:
    """(people, days) shift position per person and date (−1 off), every place filled and
    every rule kept; None when ROUNDS builds leave a place unfilled."""
    price = _initial_prices(lay)
    rest = np.full(lay.days, REST_WEIGHT)
    for _ in range(ROUNDS):
        try:
            work, short = _build(lay, price, rest)
        except _TooMany:
            return None
        if work is not None:
            return work
        d, classes, by_rest = short
        price[d, classes] *= 2.0
        if by_rest and d > 0:  # the rest after the day before kept people from d
            rest[d - 1] *= 4.0
    return None


def _classes(lay: Layout) -> tuple[np.ndarray, list[tuple[float, bool]]]:
    """Each shift's class (paid hours, night) index, and the classes."""
    keys = sorted({(float(p), bool(n)) for p, n in zip(lay.paid, lay.night, strict=True)})
    index = {k: i for i, k in enumerate(keys)}
    return np.array([index[(float(p), bool(n))] for p, n in zip(lay.paid, lay.night,
                                                                strict=True)],
                    dtype=np.int64), keys


def _initial_prices(lay: Layout) -> np.ndarray:
    """π[e, c]: the date's places over the people who may work it (tight dates dear)."""
    cls, keys = _classes(lay)
    price = np.zeros((lay.days, len(keys)))
    for e in range(lay.days):
        ks = lay.by_day[e]
        if not len(ks):
            continue
        able = max(int(lay.elig[:, ks].any(axis=1).sum()), 1)
        tight = lay.count[ks].sum() / able
        for c in set(cls[ks].tolist()):
            price[e, c] = tight
    return price


MAX_STATES = 1 << 20  # histories the value table may hold ((classes + 1) ** span)


def _build(lay: Layout, price: np.ndarray, rest: np.ndarray
           ) -> tuple[np.ndarray | None, tuple[int, list[int], bool]]:
    """One build in time order under ``price`` and the rest weights per date; (work, _)
    or (None, (date, the classes of its unfilled places, whether the rest after the date
    before is what kept them empty))."""
    inp = lay.inp
    p_n, n_days = len(inp.people), lay.days
    cls, keys = _classes(lay)
    table = _Values(lay, price, cls, keys)
    work = np.full((p_n, n_days), -1, dtype=np.int64)
    hours = np.zeros(p_n)
    avail = np.zeros((p_n, n_days), dtype=bool)
    for e in range(n_days):
        if len(lay.by_day[e]):
            avail[:, e] = lay.elig[:, lay.by_day[e]].any(axis=1)
    seen = np.cumsum(avail, axis=1)
    total = np.maximum(seen[:, -1], 1)
    longest = max(float(lay.paid.max()), 1.0)
    for d in range(n_days):
        ks = lay.by_day[d]
        if not len(ks):
            continue
        ok = allowed(lay, work, d)
        ahead = price[d + 1].max() if d + 1 < n_days else 0.0
        cost = -table.gain(work, d, ks) + rest[d] * ahead * _rest_ahead(lay, work, d, ks)
        cost += FAIR_WEIGHT * _day_cost(lay, hours, ks, lay.share * seen[:, d] / total,
                                        1.0) / longest ** 2
        got = _give(lay, ok, cost, d)
        if got is None:
            return None, (d, *_unfilled(lay, work, ok, d, cls))
        work[:, d] = got
        hours += np.where(got >= 0, lay.paid[np.maximum(got, 0)], 0.0)
    return work, (-1, [], False)


class _Values:
    """V(e, history) for every history of the last ``span`` dates (a digit per date: 0 off,
    c + 1 a shift of class c; the latest date last) and every kind of person (the dates
    they may work, their salaried caps), by backward dynamic programming over the dates,
    vectorised over all histories at once."""

    def __init__(self, lay: Layout, price: np.ndarray, cls: np.ndarray,
                 keys: list[tuple[float, bool]]) -> None:
        r = lay.inp.rules
        self.lay, self.price, self.cls = lay, price, cls
        self.base = len(keys) + 1
        self.span = max(6, r.max_consecutive_days, r.max_nights_in_a_row)
        n = self.base ** self.span
        if n > MAX_STATES:
            raise _TooMany
        self.n = n
        codes = np.arange(n)
        digits = np.zeros((n, self.span), dtype=np.int64)  # column 0 the oldest date
        for i in range(self.span - 1, -1, -1):
            digits[:, i] = codes % self.base
            codes = codes // self.base
        paid = np.array([0.0] + [k[0] for k in keys])
        night = np.array([False] + [k[1] for k in keys])
        self.hist_paid, self.hist_night = paid[digits], night[digits]
        self.class_paid, self.class_night = paid[1:], night[1:]
        kinds: dict[tuple, int] = {}
        self.kind = np.zeros(len(lay.inp.people), dtype=np.int64)
        for p in range(len(lay.inp.people)):
            may = tuple(bool(lay.elig[p, lay.by_day[e]].any()) if len(lay.by_day[e])
                        else False for e in range(lay.days))
            key = (may, tuple(float(x) for x in lay.block_cap[p]))
            self.kind[p] = kinds.setdefault(key, len(kinds))
        self.v = [self._table(may, caps) for may, caps in kinds]  # per kind (days+1, n)

    def next(self, code: np.ndarray, digit: int) -> np.ndarray:
        return (code * self.base) % self.n + digit

    def _table(self, may: tuple[bool, ...], caps: tuple[float, ...]) -> np.ndarray:
        lay, r = self.lay, self.lay.inp.rules
        n_days, span = lay.days, self.span
        v = np.zeros((n_days + 1, self.n))
        codes = np.arange(self.n)
        worked = self.hist_paid > 0
        # trailing runs of days and nights
        run = np.cumprod(worked[:, ::-1], axis=1).sum(axis=1)
        nights = np.cumprod(self.hist_night[:, ::-1], axis=1).sum(axis=1)
        suffix = np.cumsum(self.hist_paid[:, ::-1], axis=1)  # suffix[:, i]: last i + 1 dates
        for e in range(n_days - 1, -1, -1):
            best = v[e + 1][self.next(codes, 0)]
            if may[e] and len(lay.by_day[e]):
                into = e - e % 7  # dates of the block before e: the last (e − into)
                m = e - into
                block_n = worked[:, span - m:].sum(axis=1) if m else np.zeros(self.n)
                block_h = suffix[:, m - 1] if m else np.zeros(self.n)
                base_ok = (block_n < r.max_days_per_week) & (run < r.max_consecutive_days)
                for c in sorted(set(self.cls[lay.by_day[e]].tolist())):
                    h = self.class_paid[c]
                    ok = base_ok & (block_h + h <= caps[e // 7] + 1e-9)
                    if self.class_night[c]:
                        ok &= nights < r.max_nights_in_a_row
                    for s in range(max(0, e - 6), min(e, max(n_days - 7, 0)) + 1):
                        back = suffix[:, e - s - 1] if e > s else 0.0
                        ok &= back + h <= r.max_paid_hours_per_week + 1e-9
                    take = self.price[e, c] + v[e + 1][self.next(codes, c + 1)]
                    best = np.where(ok, np.maximum(best, take), best)
            v[e] = best
        return v

    def codes(self, work: np.ndarray, d: int) -> np.ndarray:
        """Per person the code of their history before date d."""
        out = np.zeros(len(work), dtype=np.int64)
        for e in range(d - self.span, d):
            digit = np.zeros(len(work), dtype=np.int64)
            if e >= 0:
                k = work[:, e]
                digit = np.where(k >= 0, self.cls[np.maximum(k, 0)] + 1, 0)
            out = out * self.base + digit
        return out

    def gain(self, work: np.ndarray, d: int, ks: np.ndarray) -> np.ndarray:
        """(people, shifts of d): π[d, c] + V(d + 1, history with k) − V(d + 1, with d off)."""
        code = self.codes(work, d)
        out = np.zeros((len(work), len(ks)))
        for kind, v in enumerate(self.v):
            mine = self.kind == kind
            if not mine.any():
                continue
            off = v[d + 1][self.next(code[mine], 0)]
            for j, k in enumerate(ks):
                c = int(self.cls[k])
                out[mine, j] = self.price[d, c] + v[d + 1][self.next(code[mine], c + 1)] - off
        return out


class _TooMany(Exception):
    """More histories than MAX_STATES: the look-ahead is not built (HiGHS decides)."""


def _rest_ahead(lay: Layout, work: np.ndarray, d: int, ks: np.ndarray) -> np.ndarray:
    """(people, shifts of d): the share of tomorrow's places the person could take after
    today's earliest-ending shift but not after shift k (too little rest)."""
    n_days = lay.days
    out = np.zeros((len(work), len(ks)))
    if d + 1 >= n_days or not len(lay.by_day[d + 1]):
        return out
    kt = lay.by_day[d + 1]
    fits = (lay.start[kt][None, :] - lay.end[ks][:, None]) >= lay.rest - 1e-9
    trial = work.copy()
    trial[:, d] = ks[np.argmin(lay.end[ks])]
    could = allowed(lay, trial, d + 1).astype(float)  # (people, tomorrow's shifts)
    closed = (~fits * lay.count[kt][None, :]).T.astype(float)  # (tomorrow's, today's)
    return could @ closed / lay.count[kt].sum()


def _unfilled(lay: Layout, work: np.ndarray, ok: np.ndarray, d: int, cls: np.ndarray
              ) -> tuple[list[int], bool]:
    """The classes of the places of date d a maximum matching leaves empty, and whether
    more would be filled without the rest rule."""
    ks = lay.by_day[d]
    slots = np.repeat(np.arange(len(ks)), lay.count[ks])

    def empty(may: np.ndarray) -> list[int]:
        c = np.where(may, 0.0, 1.0)[:, slots]
        rows, cols = linear_sum_assignment(c)
        missing = set(range(len(slots))) - set(cols.tolist())  # more places than people
        return list(cols[c[rows, cols] > 0]) + sorted(missing)

    bad = empty(ok)
    by_rest = False
    if d > 0:
        by_rest = len(empty(allowed(replace(lay, rest=-np.inf), work, d))) < len(bad)
    return sorted({int(cls[ks[slots[j]]]) for j in bad}), by_rest
