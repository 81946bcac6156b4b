"""Turn a scenario's pool terms, its demand scenarios and the roster's shifts into the
booking sheet's inputs (planning.booking): notice and lead times as the plan uses them
(scenarios.adapters.to_mix: notices in whole intervals, rounded up), prices per hour, and the
contacts each demand scenario shows as it unfolds (what a call-out's trigger is read on).
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from planning.booking import (
    BookingInputs,
    InHouseTerms,
    ReserveTerms,
    TempTerms,
    VendorTerms,
)
from scenarios.schema import Scenario


def _intervals(hours: float, minutes: int) -> int:
    """Whole intervals of a block (as scenarios.adapters.to_mix: rounded, at least one)."""
    return max(1, int(round(hours * 60.0 / minutes)))


def _notice(hours: float, minutes: int) -> int:
    """Whole intervals of a notice (as scenarios.adapters.to_mix: rounded up)."""
    return int(np.ceil(hours * 60.0 / minutes - 1e-9))


def scenario_volumes(sc: Scenario, names: tuple[str, ...]) -> np.ndarray:
    """Expected contacts per interval reaching the agents, per demand scenario in the
    order ``names`` (the plan's), as the plan's information rule sees them
    (scenarios.adapters.to_mix.case_volume)."""
    from scenarios.adapters.to_bot import agents_rates
    from scenarios.adapters.to_demand import interval_aht
    from scenarios.adapters.to_mix import case_volume, demand_cases

    by_name = {}
    for name, _, rates in demand_cases(sc):
        seen, _ = agents_rates(sc, rates, interval_aht(sc))
        by_name[name] = case_volume(sc, seen)
    return np.vstack([by_name[n] for n in names])


def booking_inputs(sc: Scenario, volume: np.ndarray | None) -> BookingInputs:
    """The booking sheet's inputs from the scenario's pools and planning section."""
    h, pools = sc.horizon, sc.pools
    iv = h.interval_minutes
    per_day = 24 * 60 // iv
    ahead = sc.planning.decided_days_before
    ih = oc = rs = tp = None
    if "in_house" in pools and pools["in_house"].employment:
        e = pools["in_house"].employment
        hires_from = int(np.ceil(max(0.0, e.hire_lead_days - ahead) * per_day - 1e-9))
        ih = InHouseTerms(headcount=e.headcount, cost_per_paid_hour=e.cost_per_paid_hour,
                          hire_cost=e.hire_cost, hire_lead_days=e.hire_lead_days,
                          hire_day=-(-hires_from // per_day),
                          paid_hours_per_week=(e.paid_hours_per_week if e.pay == "salaried"
                                               else None),
                          max_days_per_week=e.max_days_per_week)
    if "outsourced" in pools and pools["outsourced"].contract:
        p, c = pools["outsourced"], pools["outsourced"].contract
        price = c.price * (c.contacts_per_hour or 0.0) if c.per == "contact" else c.price
        oc = VendorTerms(price_per_hour=price, block_intervals=_intervals(c.block_hours, iv),
                         notice_days=c.notice_days,
                         surge_price_per_hour=price * c.surge_premium,
                         surge_notice_intervals=_notice(c.surge_notice_hours, iv),
                         quality_cost_per_hour=p.quality_cost_per_hour)
    if "reserve" in pools and pools["reserve"].on_call:
        p, r = pools["reserve"], pools["reserve"].on_call
        rs = ReserveTerms(retainer=r.retainer, training_cost=r.training_cost,
                          training_lead_days=r.training_lead_days,
                          activation_per_hour=r.activation_per_hour,
                          show_up=max(p.default("reserve", "show_up"), 1e-9),
                          callout_intervals=_intervals(r.callout_hours, iv),
                          notice_intervals=_notice(r.notice_hours, iv),
                          quality_cost_per_hour=p.quality_cost_per_hour)
    if "temps" in pools and pools["temps"].temp_hire:
        p, t = pools["temps"], pools["temps"].temp_hire
        tp = TempTerms(price_per_hour=t.price_per_hour,
                       notice_intervals=_notice(t.notice_hours, iv),
                       quality_cost_per_hour=p.quality_cost_per_hour)
    return BookingInputs(starts=tuple(h.interval_starts()), interval_minutes=iv,
                         decided_at=h.start - timedelta(days=ahead), volume=volume,
                         in_house=ih, outsourced=oc, reserve=rs, temps=tp)

