"""planning.booking on hand-made plans: every number worked out by hand in the test.

References: the definitions of docs/planning.md "The booking sheet" applied by hand —
order-by = start − notice, training date = first call-out − lead, hire-by = first paid
day − hiring lead, salaried hours W·min(D, days)/D per 7-day block, cash = price × hours,
the trigger = the midpoint of the contacts seen by the calling and the other scenarios.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pytest

from planning.booking import (
    BookingInputs,
    InHouseTerms,
    ReserveTerms,
    RosteredShift,
    TempTerms,
    VendorTerms,
    booking_rows,
    salaried_hours,
)
from planning.mix import CostBreakdown, MixPlan

T0 = datetime(2026, 11, 10)
N = 48  # two days of hourly intervals
STARTS = tuple(T0 + timedelta(hours=h) for h in range(N))


def plan(probs: list[float], reserve: np.ndarray | None = None, temps: np.ndarray | None = None,
         surge: np.ndarray | None = None, blocks: list[tuple[int, int]] = (),
         pool: int = 0, hires: int = 0) -> MixPlan:
    s = len(probs)
    z = np.zeros((s, N))
    return MixPlan(
        status="optimal", objective=0.0, gap=0.0, build_s=0.0, solve_s=0.0,
        scenario_names=tuple(f"s{i + 1}" for i in range(s)), probabilities=np.array(probs),
        requirement=z, shifts=[], hires=hires, in_house=np.zeros(N),
        outsourced_blocks=list(blocks), outsourced=np.zeros(N), reserve_pool=pool,
        reserve=z if reserve is None else reserve, surge=z if surge is None else surge,
        temps=z if temps is None else temps, shortfall=z, coverage=z,
        cost=CostBreakdown(0.0, 0.0, {}, 0.0))


def inputs(volume: np.ndarray | None = None, **pools) -> BookingInputs:
    return BookingInputs(STARTS, 60, T0 - timedelta(days=7), volume, **pools)


RESERVE = ReserveTerms(retainer=200, training_cost=150, training_lead_days=2,
                       activation_per_hour=40, show_up=0.5, callout_intervals=4,
                       notice_intervals=2, quality_cost_per_hour=2)


def test_reserve_pool_and_call_outs_with_a_threshold() -> None:
    """Three scenarios (p 0.2/0.5/0.3) seeing 10, 20, 30 contacts an hour. Block 12:00–16:00
    is called (2 turned-up agents) in the two larger ones: decided at 10:00, after 10 h
    seen — 100, 200, 300 contacts; threshold (100 + 200) / 2 = 150 (15 an hour;
    forecast 0.2·100 + 0.5·200 + 0.3·300 = 210, so 150/210). Block 04:00–08:00 is called
    in all three (firm)."""
    vol = np.array([[10.0] * N, [20.0] * N, [30.0] * N])
    r = np.zeros((3, N))
    r[:, 4:8] = 1.0
    r[1:, 12:16] = 2.0
    rows = booking_rows(plan([0.2, 0.5, 0.3], reserve=r, pool=5), inputs(vol, reserve=RESERVE))
    pool, first, second = rows
    assert (pool.kind, pool.people, pool.cash) == ("reserve_pool", 5, 5 * 350)
    assert pool.start == T0 + timedelta(hours=4)
    assert pool.order_by == T0 + timedelta(hours=4) - timedelta(days=2)
    assert first.trigger.rule == "firm" and first.probability == pytest.approx(1.0)
    assert first.order_by == T0 + timedelta(hours=2)
    assert first.people == 2  # 1 turned up ÷ show-up 0.5
    assert first.agent_hours == pytest.approx(4.0)  # 1 agent × 4 h in every scenario
    assert first.cash == pytest.approx(160.0) and first.quality_charge == pytest.approx(8.0)
    g = second.trigger
    assert second.order_by == T0 + timedelta(hours=10)
    assert (g.rule, g.contacts, g.per_hour) == ("above", pytest.approx(150.0),
                                                pytest.approx(15.0))
    assert g.vs_forecast == pytest.approx(150.0 / 210.0)
    assert (g.seen_called, g.seen_other) == (pytest.approx(200.0), pytest.approx(100.0))
    assert second.probability == pytest.approx(0.8)
    assert second.people == 4 and second.people_expected == pytest.approx(0.8 * 2 / 0.5)
    assert second.agent_hours == pytest.approx(0.8 * 2 * 4)


def test_below_mixed_and_known() -> None:
    """Temps called only in the smallest scenario (below); in the middle one only
    (mixed: no threshold); without volumes the plan took the scenario as known."""
    vol = np.array([[10.0] * N, [20.0] * N, [30.0] * N])
    w = np.zeros((3, N))
    w[0, 20] = 1.0  # hour 20, smallest only
    w[1, 30:32] = 3.0  # hours 30–31, middle only
    temps = TempTerms(price_per_hour=70, notice_intervals=4, quality_cost_per_hour=30)
    p = plan([0.2, 0.5, 0.3], temps=w)
    low, middle = booking_rows(p, inputs(vol, temps=temps))
    assert low.trigger.rule == "below"
    assert low.trigger.contacts == pytest.approx((160 + 320) / 2)  # 16 h seen
    assert low.cash == pytest.approx(0.2 * 70) and low.quality_charge == pytest.approx(0.2 * 30)
    # mixed: the closest "above" rule — between 260 and 520 seen (26 h) it calls the
    # middle and the largest (0.3 misjudged), between 520 and 780 none (0.5 misjudged)
    g = middle.trigger
    assert (g.rule, g.contacts, g.mismatch) == ("mixed", pytest.approx(390.0),
                                                pytest.approx(0.3))
    assert (g.seen_called, g.seen_other) == (pytest.approx(520.0), pytest.approx(780.0))
    assert (middle.start, middle.end) == (STARTS[30], STARTS[31] + timedelta(hours=1))
    assert middle.agent_hours == pytest.approx(0.5 * 3 * 2)
    flat = booking_rows(p, inputs(np.ones((3, N)) * 5.0, temps=temps))
    assert flat[1].trigger.rule == "mixed" and flat[1].trigger.contacts is None  # all alike
    known = booking_rows(p, inputs(None, temps=temps))
    assert [b.trigger.rule for b in known] == ["known", "known"]


def test_vendor_blocks_are_ordered_on_notice_and_paid_whole() -> None:
    """A 4-hour block of 5 seats starting at 46:00 runs past the 48-hour horizon and is
    paid whole: 20 seat-hours × 32; ordered 3 days before; surge block 08:00–12:00 in one
    scenario decided 4 h before at 64 per hour."""
    vendor = VendorTerms(price_per_hour=32, block_intervals=4, notice_days=3,
                         surge_price_per_hour=64, surge_notice_intervals=4,
                         quality_cost_per_hour=4)
    v = np.zeros((2, N))
    v[1, 8:12] = 2.5
    rows = booking_rows(plan([0.5, 0.5], surge=v, blocks=[(46, 5)]),
                        inputs(np.ones((2, N)) * [[1.0], [2.0]], outsourced=vendor))
    surge, block = rows
    assert block.kind == "outsourced_block" and block.end == STARTS[46] + timedelta(hours=4)
    assert block.order_by == STARTS[46] - timedelta(days=3)
    assert (block.people, block.agent_hours, block.cash, block.quality_charge) == (
        5, 20.0, 640.0, 80.0)
    assert surge.order_by == STARTS[4] and surge.people == 3
    assert surge.cash == pytest.approx(0.5 * 2.5 * 4 * 64)
    assert surge.trigger.rule == "above" and surge.trigger.contacts == pytest.approx(6.0)


def test_in_house_shifts_pay_and_hires() -> None:
    """Salaried (40 h a week over 5 days): a 2-day horizon is one partial 7-day block of 2
    working days, 16 paid hours per agent; a hire paid from day 1 gets 8. Shifts group per
    start and pattern; hourly pay prices their paid hours."""
    shifts = [RosteredShift("E001", "day8", STARTS[7], STARTS[15], 7.0),
              RosteredShift("E002", "day8", STARTS[7], STARTS[15], 7.0),
              RosteredShift("E003", "night8", STARTS[22], STARTS[30], 8.0)]
    ih = InHouseTerms(headcount=30, cost_per_paid_hour=45, hire_cost=6000,
                      hire_lead_days=8, hire_day=1, paid_hours_per_week=40)
    inp = inputs(in_house=ih)
    assert salaried_hours(inp) == 16.0 and salaried_hours(inp, 1) == 8.0
    rows = booking_rows(plan([1.0], hires=2), inp)
    assert [r.kind for r in rows] == ["in_house_pay", "hires"]
    pay, hires = rows
    assert (pay.people, pay.agent_hours, pay.cash) == (30, 480.0, 45 * 480.0)
    assert hires.start == T0 + timedelta(days=1)
    assert hires.order_by == T0 + timedelta(days=1) - timedelta(days=8)
    assert hires.cash == 2 * 6000 + 2 * 8 * 45
    rows = booking_rows(plan([1.0]), inputs(in_house=ih), shifts)
    day = [r for r in rows if r.kind == "in_house_shift"]
    assert [(r.pattern, r.people, r.agent_hours, r.cash) for r in day] == [
        ("day8", 2, 14.0, 0.0), ("night8", 1, 8.0, 0.0)]
    hourly = InHouseTerms(headcount=30, cost_per_paid_hour=45)
    rows = booking_rows(plan([1.0]), inputs(in_house=hourly), shifts)
    assert [r.cash for r in rows] == [14.0 * 45, 8.0 * 45]
    assert all(r.order_by == T0 - timedelta(days=7) for r in rows)
