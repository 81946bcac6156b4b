"""The scenario's demand sections as the demand model's plain inputs (planning.demand).

Resolves profile names to weights (bundled profiles merged with the scenario's own),
per-channel driver coefficients (a total × ``channel_split``, or per channel) and event
handle-time factors per channel; the arithmetic itself is in
:mod:`planning.demand.compose`. The functions below are the scenario-level entry points
the other adapters, the run and the CLI use.
"""

from __future__ import annotations

import numpy as np

from planning.demand import compose
from planning.demand.compose import (
    ChannelBase,
    DailyShape,
    DemandInputs,
    DemandScenario,
    DriverCoefficients,
    EventWindow,
    OrdersForecast,
    PointDemand,
    UncertaintySpec,
)
from scenarios.reading.profile_library import profile_tables
from scenarios.schema import ChannelDemand, Drivers, Event, Scenario

__all__ = ["DemandScenario", "PointDemand", "arrival_rates", "demand_inputs",
           "demand_scenarios", "handle_time_factors", "interval_aht", "point_demand"]

DEFAULT_INTRADAY = "ordinary_day"
Spec = str | list[float] | None          # a profile name, explicit weights, or the default
Table = dict[str, list[float]]           # profile name → weights


def _weights(spec: Spec, table: Table, default: str) -> list[float]:
    if spec is None:
        spec = default
    return list(table[spec]) if isinstance(spec, str) else list(spec)


def _shape(spec: Spec, by_date: dict, intraday: Table) -> DailyShape:
    return DailyShape(_weights(spec, intraday, DEFAULT_INTRADAY),
                      {d: _weights(s, intraday, DEFAULT_INTRADAY) for d, s in by_date.items()})


def _channel(dem: ChannelDemand, weekly: Table, intraday: Table) -> ChannelBase:
    return ChannelBase(
        rates_per_hour=list(dem.rates_per_hour) if dem.rates_per_hour is not None else None,
        rate_per_hour=dem.rate_per_hour, daily_volume=dem.daily_volume,
        weekly=_weights(dem.weekly, weekly, "flat"),
        shape=_shape(dem.intraday, dem.intraday_by_date, intraday))


def _event(ev: Event, channels: list[str]) -> EventWindow:
    a = ev.aht_factor
    factors = ({ch: float(a.get(ch, 1.0)) for ch in channels} if isinstance(a, dict)
               else {ch: float(a) for ch in channels})
    return EventWindow(ev.start, ev.uplift, ev.ramp_minutes, ev.peak_minutes,
                       ev.decay_minutes, ev.decay_to, ev.decay == "exponential",
                       ev.applies_to, tuple(ev.channels) if ev.channels is not None else None,
                       factors)


def _per_channel(value: float | dict[str, float], channel: str,
                split: dict[str, float] | None, n_channels: int) -> float:
    """A driver coefficient for one channel: per-channel dict, or total × channel share."""
    if isinstance(value, dict):
        return float(value.get(channel, 0.0))
    if split is None:
        return float(value) if n_channels == 1 else 0.0
    return float(value) * float(split.get(channel, 0.0))


def _drivers(drv: Drivers, channels: list[str], weekly: Table,
             intraday: Table) -> DriverCoefficients:
    o = drv.orders
    orders = OrdersForecast(
        per_interval=list(o.per_interval) if o.per_interval is not None else None,
        per_day=list(o.per_day) if isinstance(o.per_day, list) else o.per_day,
        weekly=_weights(o.weekly, weekly, "flat"),
        shape=_shape(o.intraday, o.intraday_by_date, intraday),
        before_start=list(o.before_start))
    n, split = len(channels), drv.channel_split
    aft = drv.after_sales
    return DriverCoefficients(
        orders=orders,
        contacts_per_order={ch: _per_channel(drv.contacts_per_order, ch, split, n)
                            for ch in channels},
        contacts_per_late_order={ch: _per_channel(drv.contacts_per_late_order, ch, split, n)
                                 for ch in channels},
        after_sales_per_order={ch: (_per_channel(aft.contacts_per_order, ch, split, n)
                                    if aft is not None else 0.0) for ch in channels},
        late_share=drv.late_share, late_lag_days=drv.late_lag_days,
        after_sales_lags=dict(aft.lag_days) if aft is not None else None)


def demand_inputs(scenario: Scenario) -> DemandInputs:
    """The scenario's horizon, demand, events, drivers and uncertainty, as plain inputs."""
    weekly, intraday = profile_tables(scenario.profiles)
    chans = list(scenario.channels)
    h, unc = scenario.horizon, scenario.uncertainty
    return DemandInputs(
        start=h.start, days=h.days, interval_minutes=h.interval_minutes,
        channels={ch: _channel(scenario.demand.get(ch, ChannelDemand()), weekly, intraday)
                  for ch in chans},
        events=[_event(ev, chans) for ev in scenario.events],
        drivers=(_drivers(scenario.drivers, chans, weekly, intraday)
                 if scenario.drivers is not None else None),
        handle_s={ch: c.handle_time.mean_s for ch, c in scenario.channels.items()},
        after_contact_work_s={ch: c.after_contact_work_s for ch, c in scenario.channels.items()},
        uncertainty=None if unc is None else UncertaintySpec(
            unc.peak_multiplier.dist, unc.peak_multiplier.cv, unc.scenarios, unc.method,
            unc.applies_to, unc.interval_noise_cv, unc.seed))


def point_demand(scenario: Scenario, *, with_events: bool = True) -> PointDemand:
    """The point forecast and its parts (base, driver contacts, contact-event factor)."""
    return compose.point_demand(demand_inputs(scenario), with_events=with_events)


def arrival_rates(scenario: Scenario) -> dict[str, np.ndarray]:
    """Arrivals per hour per interval for every channel (the point forecast)."""
    return compose.arrival_rates(demand_inputs(scenario))


def handle_time_factors(scenario: Scenario) -> dict[str, np.ndarray]:
    """Handle-time multiplier per channel and interval from the events' ``aht_factor``."""
    return compose.handle_time_factors(demand_inputs(scenario))


def interval_aht(scenario: Scenario,
                 factors: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """Seconds an agent is tied up per contact, per channel and interval."""
    return compose.interval_aht(demand_inputs(scenario), factors)


def demand_scenarios(scenario: Scenario) -> list[DemandScenario]:
    """The weighted demand scenarios (probability-weighted mean = the point forecast)."""
    return compose.demand_scenarios(demand_inputs(scenario))

