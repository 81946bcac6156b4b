"""The booking sheet: what to sign, order, train or call out, by when, for how many people
or seats and for how much cash — the plan turned into orders (docs/planning.md, "The
booking sheet").

``booking_rows(plan, inputs, shifts)`` is pure: the solved plan (planning.mix.MixPlan),
the pools' terms with their notice and lead times (:class:`BookingInputs`) and the
rostered shifts of the employees (:class:`RosteredShift`) in, typed rows
(:class:`BookingRow`) out. One row per

- in-house shift start and date (employees on it, from the roster), the salaried pay of
  the employed headcount over the horizon, and the hires (hire-by = the first day they are
  paid − the hiring lead time);
- contracted vendor block (seats; order-by = block start − the contract's notice);
- reserve pool (its size; train-by = the first call-out − the training lead time) and
  each call-out block any demand scenario uses;
- surge block and run of temp intervals any demand scenario uses.

A call-out (reserve block, surge block, temps) is decided at its notice time d = start −
notice (whole intervals, as the plan decides it, planning.information): by then the
contacts of the horizon's intervals before d are seen. Its **trigger** is read off the
plan's own recourse: the scenarios that call it out against those that do not, at the
volume each has shown by d. When every calling scenario has shown more contacts than
every other one, the rule is a threshold (``above``): call out when the contacts seen
exceed the midpoint between the two sides; the mirror case is ``below``; when both sides
overlap no volume threshold describes the plan's rule and the row says so (``mixed``),
with the closest threshold and the probability of the scenarios it misjudges;
``firm`` rows are called in every scenario. The plan's recourse is monotone in the
contacts seen (planning.mix_model.add_monotone_recourse), so its rows read ``above`` or
``firm``; ``below`` and ``mixed`` remain for a plan read without that rule. Probability = total probability of the
scenarios that use the row.

Cash is what is paid (prices × hours, retainers, training, hires, salaries); the quality
charge (``quality_cost_per_hour`` × hours) is the plan's notional price of lower quality,
kept apart. Over all rows, cash + quality charge = the plan's cost by pool
(planning.mix.CostBreakdown.by_pool); the shortfall penalty is in no row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from planning.mix import MixPlan

#: recourse below this (agents) is no order: solver round-off
EPS = 1e-6

#: pools in the sheet's order, and the kinds of row each holds
POOLS = ("in_house", "outsourced", "reserve", "temps")
KINDS = ("in_house_pay", "hires", "in_house_shift", "outsourced_block", "outsourced_surge",
         "reserve_pool", "reserve_callout", "temps")


@dataclass(frozen=True)
class RosteredShift:
    """One employee's shift from the roster."""

    employee_id: str
    pattern: str
    start: datetime
    end: datetime
    paid_hours: float


@dataclass(frozen=True)
class InHouseTerms:
    """Employment terms: pay, hiring and its lead time. ``paid_hours_per_week`` None:
    hourly pay (each rostered shift's paid hours); a number: salaried (every employed
    agent is paid it in each 7-day block of the horizon, pro rata to its working days)."""

    headcount: int
    cost_per_paid_hour: float
    hire_cost: float = 0.0
    hire_lead_days: float = 0.0
    hire_day: int = 0  # first day (from the horizon start) a hire is employed and paid
    paid_hours_per_week: float | None = None
    max_days_per_week: int = 5


@dataclass(frozen=True)
class VendorTerms:
    """The outsourcing contract: seat and surge prices per hour, the contracted block's
    length and notice, the surge blocks' length and notice (in intervals, as planned)."""

    price_per_hour: float
    block_intervals: int
    notice_days: float
    surge_price_per_hour: float = 0.0
    surge_notice_intervals: int = 0
    quality_cost_per_hour: float = 0.0


@dataclass(frozen=True)
class ReserveTerms:
    """The reserve: retainer and training per agent, training lead time, pay per agent-hour
    worked when called, share who turn up, call-out block length and notice."""

    retainer: float
    training_cost: float
    training_lead_days: float
    activation_per_hour: float
    show_up: float
    callout_intervals: int
    notice_intervals: int
    quality_cost_per_hour: float = 0.0


@dataclass(frozen=True)
class TempTerms:
    """Temps: price per hour and hiring notice (intervals)."""

    price_per_hour: float
    notice_intervals: int
    quality_cost_per_hour: float = 0.0


@dataclass(frozen=True)
class BookingInputs:
    """The horizon, the plan's decision time, the pools' terms (None: no such pool) and the
    contacts each demand scenario shows (expected contacts per interval, (S, T), in the
    plan's scenario order; None: the plan took each scenario as known from the start)."""

    starts: tuple[datetime, ...]
    interval_minutes: int
    decided_at: datetime
    volume: np.ndarray | None = None
    in_house: InHouseTerms | None = None
    outsourced: VendorTerms | None = None
    reserve: ReserveTerms | None = None
    temps: TempTerms | None = None

    @property
    def step(self) -> timedelta:
        return timedelta(minutes=self.interval_minutes)

    @property
    def interval_h(self) -> float:
        return self.interval_minutes / 60.0

    @property
    def end(self) -> datetime:
        return self.starts[-1] + self.step


@dataclass(frozen=True)
class Trigger:
    """What decides a call-out at its notice time: ``rule`` firm | above | below | mixed |
    known; ``contacts``: the threshold on the contacts seen since the horizon start;
    ``per_hour``: the same over the hours seen; ``vs_forecast``: the threshold over the
    contacts the plan expects by then (probability-weighted over the scenarios);
    ``seen_called`` / ``seen_other``: the contacts seen by then in the calling scenario
    nearest the threshold and in the nearest other one (mixed: the fewest seen by a
    calling scenario, the most by another). A ``mixed`` rule carries the closest
    threshold ("above") and ``mismatch``, the probability of the scenarios it misjudges."""

    rule: str
    seen_from: datetime | None = None
    contacts: float | None = None
    per_hour: float | None = None
    vs_forecast: float | None = None
    seen_called: float | None = None
    seen_other: float | None = None
    mismatch: float | None = None


FIRM = Trigger("firm")


@dataclass(frozen=True)
class BookingRow:
    """One line of the booking sheet. ``people``: employees, seats, reserve agents or temps
    to book (for a call-out: the most any scenario calls; reserve: agents to call, of whom
    ``show_up`` turn up); ``people_expected``: probability-weighted over the scenarios;
    ``agent_hours``: expected paid agent-hours; ``cash`` and ``quality_charge``: expected
    money over the horizon."""

    pool: str
    kind: str
    start: datetime
    end: datetime
    order_by: datetime | None
    people: float
    people_expected: float
    agent_hours: float
    cash: float
    quality_charge: float
    probability: float
    trigger: Trigger = FIRM
    pattern: str = ""


def booking_rows(plan: MixPlan, inp: BookingInputs,
                 shifts: list[RosteredShift] | tuple[RosteredShift, ...] = ()
                 ) -> list[BookingRow]:
    """Every booking row of ``plan``, per pool in the sheet's order, then by start."""
    rows = (in_house_rows(plan, inp, shifts) + vendor_rows(plan, inp)
            + reserve_rows(plan, inp) + temp_rows(plan, inp))
    return sorted(rows, key=lambda r: (POOLS.index(r.pool), r.start, KINDS.index(r.kind),
                                       r.pattern))


# ---- in-house -------------------------------------------------------------------------

def salaried_hours(inp: BookingInputs, from_day: int = 0) -> float:
    """Paid hours of one salaried agent employed from day ``from_day`` over the horizon:
    per 7-day block of the horizon, W × min(D, working days employed in it) / D
    (W paid hours a week, D working days a week; the mix's salaried pay)."""
    ih = inp.in_house
    per_day = 24 * 60 // inp.interval_minutes
    days = -(-len(inp.starts) // per_day)
    total = 0.0
    for first in range(0, days, 7):
        employed = sum(1 for d in range(first, min(first + 7, days)) if d >= from_day)
        total += ih.paid_hours_per_week * min(ih.max_days_per_week, employed) / \
            ih.max_days_per_week
    return total


def in_house_rows(plan: MixPlan, inp: BookingInputs,
                  shifts: list[RosteredShift] | tuple[RosteredShift, ...]) -> list[BookingRow]:
    """Employees per shift start and date (from the roster), salaried pay, hires."""
    ih = inp.in_house
    if ih is None:
        return []
    salaried = ih.paid_hours_per_week is not None
    groups: dict[tuple[datetime, str], list[RosteredShift]] = {}
    for s in shifts:
        groups.setdefault((s.start, s.pattern), []).append(s)
    rows = []
    for (start, pattern), mine in groups.items():
        paid = sum(s.paid_hours for s in mine)
        rows.append(BookingRow("in_house", "in_house_shift", start, mine[0].end,
                               inp.decided_at, len(mine), len(mine), paid,
                               0.0 if salaried else ih.cost_per_paid_hour * paid, 0.0, 1.0,
                               pattern=pattern))
    if salaried:
        hours = ih.headcount * salaried_hours(inp)
        rows.append(BookingRow("in_house", "in_house_pay", inp.starts[0], inp.end,
                               inp.decided_at, ih.headcount, ih.headcount, hours,
                               ih.cost_per_paid_hour * hours, 0.0, 1.0))
    if plan.hires > 0:
        first = inp.starts[0] + timedelta(days=ih.hire_day)
        hours = plan.hires * salaried_hours(inp, ih.hire_day) if salaried else 0.0
        rows.append(BookingRow("in_house", "hires", first, inp.end,
                               first - timedelta(days=ih.hire_lead_days), plan.hires,
                               plan.hires, hours,
                               plan.hires * ih.hire_cost + ih.cost_per_paid_hour * hours,
                               0.0, 1.0))
    return rows


# ---- the vendor: contracted blocks and surge -----------------------------------------

def vendor_rows(plan: MixPlan, inp: BookingInputs) -> list[BookingRow]:
    """Contracted blocks (paid in full, even where a block runs past the horizon) and the
    surge blocks any scenario uses."""
    o = inp.outsourced
    if o is None:
        return []
    rows = []
    hours = o.block_intervals * inp.interval_h
    for s, seats in plan.outsourced_blocks:
        t0 = inp.starts[s]
        h = seats * hours
        rows.append(BookingRow("outsourced", "outsourced_block", t0,
                               t0 + timedelta(hours=hours), t0 - timedelta(days=o.notice_days),
                               seats, seats, h, o.price_per_hour * h,
                               o.quality_cost_per_hour * h, 1.0))
    rows += callout_rows(plan, inp, "outsourced", "outsourced_surge", plan.surge,
                         o.block_intervals, o.surge_notice_intervals,
                         o.surge_price_per_hour, o.quality_cost_per_hour)
    return rows


# ---- the reserve ----------------------------------------------------------------------

def reserve_rows(plan: MixPlan, inp: BookingInputs) -> list[BookingRow]:
    """The pool (trained before its first call-out) and its call-out blocks. Agents to
    call = agents who work ÷ show-up; the pay is per hour worked."""
    r = inp.reserve
    if r is None or plan.reserve_pool <= 0:
        return []
    calls = callout_rows(plan, inp, "reserve", "reserve_callout", plan.reserve,
                         r.callout_intervals, r.notice_intervals, r.activation_per_hour,
                         r.quality_cost_per_hour, per_agent=r.show_up)
    ready = min((c.start for c in calls), default=inp.starts[0])
    pool = BookingRow("reserve", "reserve_pool", ready, inp.end,
                      ready - timedelta(days=r.training_lead_days), plan.reserve_pool,
                      plan.reserve_pool, 0.0,
                      plan.reserve_pool * (r.retainer + r.training_cost), 0.0, 1.0)
    return [pool, *calls]


# ---- temps ----------------------------------------------------------------------------

def temp_rows(plan: MixPlan, inp: BookingInputs) -> list[BookingRow]:
    """Runs of consecutive intervals with temps in the same demand scenarios (each run
    decided at its first interval's notice time: later intervals of the run are called in
    the same scenarios)."""
    tp = inp.temps
    if tp is None or plan.temps.size == 0:
        return []
    used = plan.temps > EPS
    rows = []
    t, n = 0, used.shape[1]
    while t < n:
        if not used[:, t].any():
            t += 1
            continue
        e = t + 1
        while e < n and (used[:, e] == used[:, t]).all():
            e += 1
        rows.append(_recourse_row(plan, inp, "temps", "temps", plan.temps, t, e,
                                  tp.notice_intervals, tp.price_per_hour,
                                  tp.quality_cost_per_hour, 1.0))
        t = e
    return rows


# ---- shared: call-out blocks and their triggers --------------------------------------

def callout_rows(plan: MixPlan, inp: BookingInputs, pool: str, kind: str, arr: np.ndarray,
                 block: int, notice: int, price: float, quality: float,
                 per_agent: float = 1.0) -> list[BookingRow]:
    """One row per block [k·L, (k+1)·L) that some scenario uses (the plan's blocks are
    aligned on their length, planning.mix_layout)."""
    if arr.size == 0:
        return []
    n = arr.shape[1]
    rows = []
    for t in range(0, n, block):
        e = min(t + block, n)
        if (arr[:, t:e] > EPS).any():
            rows.append(_recourse_row(plan, inp, pool, kind, arr, t, e, notice, price,
                                      quality, per_agent))
    return rows


def _recourse_row(plan: MixPlan, inp: BookingInputs, pool: str, kind: str, arr: np.ndarray,
                  t: int, e: int, notice: int, price: float, quality: float,
                  per_agent: float) -> BookingRow:
    seg = arr[:, t:e]
    p = plan.probabilities
    called = (seg > EPS).any(axis=1)
    hours = float(p @ seg.sum(axis=1)) * inp.interval_h  # expected agent-hours worked
    d = t - notice
    return BookingRow(
        pool, kind, inp.starts[t], inp.starts[e - 1] + inp.step, inp.starts[0] + d * inp.step,
        float(np.ceil(seg.max() / per_agent - EPS)),
        float((p @ seg).max() / per_agent), hours, price * hours, quality * hours,
        float(p[called].sum()), trigger(inp, p, called, d))


def trigger(inp: BookingInputs, p: np.ndarray, called: np.ndarray, d: int) -> Trigger:
    """The rule separating the scenarios that call a decision out (``called``) from the
    others, at the contacts seen by interval ``d`` (planning.information's visible volume:
    the horizon's intervals before d)."""
    if called.all():
        return FIRM
    if inp.volume is None:
        return Trigger("known")
    seen = np.asarray(inp.volume, float)[:, :max(d, 0)].sum(axis=1)
    yes, no = seen[called], seen[~called]
    hours = max(d, 0) * inp.interval_h
    forecast = float(p @ seen)
    mismatch = 0.0
    if yes.min() > no.max():
        rule, near_yes, near_no = "above", float(yes.min()), float(no.max())
        level = (near_yes + near_no) / 2.0
    elif yes.max() < no.min():
        rule, near_yes, near_no = "below", float(yes.max()), float(no.min())
        level = (near_yes + near_no) / 2.0
    else:
        rule, near_yes, near_no = "mixed", float(yes.min()), float(no.max())
        level, mismatch = closest_threshold(seen, called, p)
        if level is None:  # every scenario has seen the same: nothing to tell them by
            return Trigger("mixed", inp.starts[0], seen_called=near_yes, seen_other=near_no)
    return Trigger(rule, inp.starts[0], level, level / hours if hours > 0 else None,
                   level / forecast if forecast > 0 else None, near_yes, near_no, mismatch)


def closest_threshold(seen: np.ndarray, called: np.ndarray, p: np.ndarray
                      ) -> tuple[float | None, float | None]:
    """(θ, probability of the scenarios it misjudges): the rule "call out when the contacts
    seen exceed θ" that disagrees with the plan's decisions on the least probability, θ
    midway between two scenarios' volumes (the lowest θ among equals); (None, None) when
    every scenario has seen the same."""
    order = np.argsort(seen, kind="stable")
    v, c, w = seen[order], called[order], p[order]
    best = (np.inf, 0.0)
    for i in range(1, v.size):
        if v[i] == v[i - 1]:
            continue
        miss = float(w[:i][c[:i]].sum() + w[i:][~c[i:]].sum())
        if miss < best[0] - 1e-12:
            best = (miss, (v[i - 1] + v[i]) / 2.0)
    return (None, None) if best[0] == np.inf else (best[1], best[0])
