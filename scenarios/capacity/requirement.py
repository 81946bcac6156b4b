"""Weekly productive hours a scenario's demand needs, for ``capacity.required_hours``.

Inside the scenario's horizon: the requirements machinery per interval (planning.channel:
the fewest agents on the queue meeting every service target, Erlang A/C, chat
concurrency; the fractional requirement, summed over channels as blended agents, as the
sourcing mix does) × interval hours, summed by day. The requirement is taken *before*
shrinkage: the capacity plan's ``productive_share`` turns paid hours into hours on the
queue.

Outside the horizon the scenario has no demand, so each day there needs a *baseline day*:
``baseline_hours_per_week`` / 7 when given, else the median over the horizon's whole
days of the same requirement computed without events (event uplifts and handle-time
factors off; order drivers kept — a median is not moved by one peak day). A week partly
inside the horizon adds its horizon days to baseline days for the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from planning.channel import channel_requirements
from scenarios.adapters.to_bot import agents_rates
from scenarios.adapters.to_demand import arrival_rates, interval_aht, point_demand
from scenarios.adapters.to_staffing import scenario_staffing
from scenarios.schema import Scenario


@dataclass(frozen=True)
class WeeklyRequirement:
    """Productive hours per capacity week and where they came from."""

    hours: np.ndarray  # (W,)
    horizon_days: np.ndarray  # (W,) days of each week inside the horizon (fractional)
    baseline_day_hours: float  # hours of a day outside the horizon


def _interval_hours(scenario: Scenario, rates: dict[str, np.ndarray],
                    aht: dict[str, np.ndarray]) -> np.ndarray:
    """Agent-hours on the queue per interval, all inbound channels together."""
    specs = scenario_staffing(scenario)
    rates, aht = agents_rates(scenario, rates, aht)  # a bot in front: what agents see
    reqs = channel_requirements({c: rates[c] for c in specs}, specs, 0.0,
                                aht_by_interval={c: aht[c] for c in specs})
    per = np.sum([r.fractional for r in reqs.values()], axis=0)
    return per * scenario.horizon.interval_minutes / 60.0


def _by_date(scenario: Scenario, per_interval: np.ndarray) -> dict[date, tuple[float, int]]:
    """(hours, intervals inside the horizon) for each date the horizon touches."""
    out: dict[date, tuple[float, int]] = {}
    for s, h in zip(scenario.horizon.interval_starts(), per_interval, strict=True):
        hours, n = out.get(s.date(), (0.0, 0))
        out[s.date()] = (hours + float(h), n + 1)
    return out


def baseline_day_hours(scenario: Scenario) -> float:
    """Hours of an ordinary day: the given baseline week / 7, else the median event-free
    whole day of the horizon (a partial day scaled up when there is no whole one)."""
    cap = scenario.capacity
    if cap is not None and cap.baseline_hours_per_week is not None:
        return cap.baseline_hours_per_week / 7.0
    quiet = point_demand(scenario, with_events=False)
    rates = {ch: quiet.rates(ch) for ch in scenario.channels}
    aht = {ch: np.full(scenario.horizon.n_intervals, c.aht_s)
           for ch, c in scenario.channels.items()}
    per_day = 24 * 60 // scenario.horizon.interval_minutes
    days = _by_date(scenario, _interval_hours(scenario, rates, aht))
    whole = [h for h, n in days.values() if n == per_day]
    if whole:
        return float(np.median(whole))
    h, n = max(days.values(), key=lambda v: v[1])
    return h * per_day / n


def weekly_required_hours(scenario: Scenario) -> WeeklyRequirement:
    """``capacity.required_hours`` derived from the demand (see the module docstring)."""
    cap = scenario.capacity
    if cap is None:
        raise ValueError("the scenario has no capacity section")
    per_day = 24 * 60 // scenario.horizon.interval_minutes
    days = _by_date(scenario, _interval_hours(scenario, arrival_rates(scenario),
                                              interval_aht(scenario)))
    base = baseline_day_hours(scenario)
    hours = np.zeros(cap.weeks)
    inside = np.zeros(cap.weeks)
    for t, monday in enumerate(cap.week_starts()):
        for k in range(7):
            h, n = days.get(monday + timedelta(days=k), (0.0, 0))
            hours[t] += h + (1.0 - n / per_day) * base
            inside[t] += n / per_day
    return WeeklyRequirement(hours, inside, base)
