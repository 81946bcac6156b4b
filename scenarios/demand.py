"""Arrival rates per interval and channel, built from a scenario's demand sections.

rate(ch, t) = [base(ch, t) + driver contacts(ch, t)] × Π contact events(ch, t), per hour.
See docs/demand.md for every term. :func:`arrival_rates` is the point forecast;
:func:`demand_scenarios` gives the weighted demand scenarios that planning and the
simulator consume (their probability-weighted mean is the point forecast).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np

from scenarios import demand_shapes as shapes
from scenarios.demand_uncertainty import discretise, noise_factors
from scenarios.profile_library import profile_tables
from scenarios.schema import ChannelDemand, Drivers, Event, Scenario

DEFAULT_INTRADAY = "ordinary_day"
Spec = str | list[float] | None          # a profile name, explicit weights, or the default
Table = dict[str, list[float]]           # profile name → weights


@dataclass(frozen=True)
class DemandScenario:
    """One demand scenario: arrivals per hour per interval per channel, and its handle times.

    ``aht_s`` is the mean time per contact (handle × ``handle_time_factor`` + after-contact
    work) per interval; the factor differs from 1 only inside events with an ``aht_factor``.
    """

    name: str
    probability: float
    multiplier: float
    rates: dict[str, np.ndarray]
    aht_s: dict[str, np.ndarray] = field(default_factory=dict)
    handle_time_factor: dict[str, np.ndarray] = field(default_factory=dict)


@dataclass(frozen=True)
class PointDemand:
    """The point forecast and its parts, counts per interval (for reports and scenarios)."""

    base: dict[str, np.ndarray]
    drivers: dict[str, np.ndarray]
    event_factor: dict[str, np.ndarray]
    orders: np.ndarray | None
    interval_minutes: int

    def counts(self, channel: str) -> np.ndarray:
        return (self.base[channel] + self.drivers[channel]) * self.event_factor[channel]

    def rates(self, channel: str) -> np.ndarray:
        return self.counts(channel) * (60.0 / self.interval_minutes)


class _Calendar:
    """Each interval's day index (from the horizon's first date), weekday and slot of day."""

    def __init__(self, scenario: Scenario):
        h = scenario.horizon
        self.interval_minutes = h.interval_minutes
        self.n = h.n_intervals
        starts = h.interval_starts()
        first = h.start.date()
        self.day_of = np.array([(t.date() - first).days for t in starts], dtype=np.int64)
        self.slot_of = np.array([(t.hour * 60 + t.minute) // h.interval_minutes for t in starts],
                                dtype=np.int64)
        self.n_days = int(self.day_of[-1]) + 1
        self.dates = [first.fromordinal(first.toordinal() + d) for d in range(self.n_days)]
        self.start: datetime = h.start

    def minutes_from_start(self, t: datetime) -> float:
        return (t - self.start).total_seconds() / 60.0


def _weights(spec: Spec, table: Table,
             default: str) -> list[float]:
    if spec is None:
        spec = default
    return table[spec] if isinstance(spec, str) else list(spec)


def _day_shares(cal: _Calendar, intraday: dict[str, list[float]], spec: Spec,
                by_date: dict[date, Spec]) -> np.ndarray:
    """days × slots intraday shares, with per-date overrides."""
    default = shapes.intraday_shares(_weights(spec, intraday, DEFAULT_INTRADAY),
                                     cal.interval_minutes)
    rows = []
    for d in cal.dates:
        override = by_date.get(d)
        rows.append(default if override is None else shapes.intraday_shares(
            _weights(override, intraday, DEFAULT_INTRADAY), cal.interval_minutes))
    return np.vstack(rows)


def _weekday_factor(cal: _Calendar, weekly: dict[str, list[float]], spec: Spec) -> np.ndarray:
    f = shapes.weekly_factors(_weights(spec, weekly, "flat"))
    return np.array([f[d.weekday()] for d in cal.dates])


def _base_counts(dem: ChannelDemand, cal: _Calendar, weekly: Table, intraday: Table) -> np.ndarray:
    per_hour_to_count = cal.interval_minutes / 60.0
    if dem.rates_per_hour is not None:
        return np.asarray(dem.rates_per_hour, dtype=np.float64) * per_hour_to_count
    if dem.rate_per_hour is not None:
        return np.full(cal.n, dem.rate_per_hour * per_hour_to_count)
    if dem.daily_volume is not None:
        daily = dem.daily_volume * _weekday_factor(cal, weekly, dem.weekly)
        shares = _day_shares(cal, intraday, dem.intraday, dem.intraday_by_date)
        return shapes.spread_days(daily, shares, cal.day_of, cal.slot_of)
    return np.zeros(cal.n)


def _event_factor(ev: Event, cal: _Calendar) -> np.ndarray:
    return shapes.event_multiplier(cal.minutes_from_start(ev.start), ev.ramp_minutes,
                                   ev.peak_minutes, ev.decay_minutes, ev.uplift, ev.decay_to,
                                   ev.decay == "exponential", cal.n, cal.interval_minutes)


def _orders(drivers: Drivers, cal: _Calendar, weekly: Table, intraday: Table,
            events: list[Event]) -> np.ndarray:
    o = drivers.orders
    if o.per_interval is not None:
        counts = np.asarray(o.per_interval, dtype=np.float64)
    else:
        if isinstance(o.per_day, list):
            per_day = np.asarray(o.per_day, dtype=np.float64)
            daily = per_day[np.minimum(np.arange(cal.n_days), len(per_day) - 1)]
        else:
            daily = float(o.per_day) * _weekday_factor(cal, weekly, o.weekly)
        shares = _day_shares(cal, intraday, o.intraday, o.intraday_by_date)
        counts = shapes.spread_days(daily, shares, cal.day_of, cal.slot_of)
    for ev in events:
        if ev.applies_to == "orders":
            counts = counts * _event_factor(ev, cal)
    return counts


def per_channel(value: float | dict[str, float], channel: str,
                split: dict[str, float] | None, n_channels: int) -> float:
    """A driver coefficient for one channel: per-channel dict, or total × channel share."""
    if isinstance(value, dict):
        return float(value.get(channel, 0.0))
    if split is None:
        return float(value) if n_channels == 1 else 0.0
    return float(value) * float(split.get(channel, 0.0))


def _driver_counts(scenario: Scenario, cal: _Calendar, orders: np.ndarray,
                   shares_of: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    drv = scenario.drivers
    chans = list(scenario.channels)
    out = {ch: np.zeros(cal.n) for ch in chans}
    if drv is None:
        return out
    daily_orders = np.bincount(cal.day_of, weights=orders, minlength=cal.n_days)
    before = np.asarray(drv.orders.before_start, dtype=np.float64)
    late_daily = shapes.lagged_days(before, daily_orders, {drv.late_lag_days: 1.0})
    after_daily = (shapes.lagged_days(before, daily_orders, drv.after_sales.lag_days)
                   if drv.after_sales is not None else np.zeros(cal.n_days))
    split = drv.channel_split
    for ch in chans:
        cpo = per_channel(drv.contacts_per_order, ch, split, len(chans))
        cplo = per_channel(drv.contacts_per_late_order, ch, split, len(chans))
        aspo = (per_channel(drv.after_sales.contacts_per_order, ch, split, len(chans))
                if drv.after_sales is not None else 0.0)
        lagged = drv.late_share * cplo * late_daily + aspo * after_daily
        out[ch] = cpo * orders + shapes.spread_days(lagged, shares_of[ch], cal.day_of,
                                                    cal.slot_of)
    return out


def point_demand(scenario: Scenario, *, with_events: bool = True) -> PointDemand:
    """The point forecast and its parts (base, driver contacts, contact-event factor)."""
    cal = _Calendar(scenario)
    weekly, intraday = profile_tables(scenario.profiles)
    events = scenario.events if with_events else []
    base, shares_of, factor = {}, {}, {}
    for ch in scenario.channels:
        dem = scenario.demand.get(ch, ChannelDemand())
        base[ch] = _base_counts(dem, cal, weekly, intraday)
        shares_of[ch] = _day_shares(cal, intraday, dem.intraday, dem.intraday_by_date)
        f = np.ones(cal.n)
        for ev in events:
            if ev.applies_to == "contacts" and (ev.channels is None or ch in ev.channels):
                f = f * _event_factor(ev, cal)
        factor[ch] = f
    orders = None
    if scenario.drivers is not None:
        orders = _orders(scenario.drivers, cal, weekly, intraday, events)
    drivers = _driver_counts(scenario, cal, orders if orders is not None else np.zeros(cal.n),
                             shares_of)
    return PointDemand(base, drivers, factor, orders, cal.interval_minutes)


def channel_rates(demand: ChannelDemand, n_intervals: int) -> np.ndarray:
    """Arrivals per hour for each interval of a constant / list channel (no profiles)."""
    if demand.rates_per_hour is not None:
        return np.asarray(demand.rates_per_hour, dtype=np.float64)
    return np.full(n_intervals, float(demand.rate_per_hour or 0.0))


def arrival_rates(scenario: Scenario) -> dict[str, np.ndarray]:
    """Arrivals per hour per interval for every channel (the point forecast)."""
    point = point_demand(scenario)
    return {ch: point.rates(ch) for ch in scenario.channels}


def handle_time_factors(scenario: Scenario) -> dict[str, np.ndarray]:
    """Handle-time multiplier per interval: Π over events of 1 + (f − 1) × share of the
    interval inside the event's window."""
    cal = _Calendar(scenario)
    out = {}
    for ch in scenario.channels:
        f = np.ones(cal.n)
        for ev in scenario.events:
            a = ev.aht_factor.get(ch, 1.0) if isinstance(ev.aht_factor, dict) else ev.aht_factor
            if a != 1.0 and (ev.channels is None or ch in ev.channels):
                length = ev.ramp_minutes + ev.peak_minutes + ev.decay_minutes
                share = shapes.window_share(cal.minutes_from_start(ev.start), length, cal.n,
                                            cal.interval_minutes)
                f = f * (1.0 + (a - 1.0) * share)
        out[ch] = f
    return out


def interval_aht(scenario: Scenario,
                 factors: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """Seconds an agent is tied up per contact, per interval: handle time × event factor +
    after-contact work."""
    htf = factors if factors is not None else handle_time_factors(scenario)
    return {ch: c.handle_time.mean_s * htf[ch] + c.after_contact_work_s
            for ch, c in scenario.channels.items()}


def demand_scenarios(scenario: Scenario) -> list[DemandScenario]:
    """The weighted demand scenarios (one, with probability 1, without ``uncertainty``).

    Scenario s has rates fixed(t) + variable(t) × g[s, t], where variable is the whole point
    forecast (``applies_to: all``) or its event uplift (``uplift``) and Σ_s p_s·g[s, t] = 1,
    so the probability-weighted mean of every interval equals the point forecast.
    """
    point = arrival_rates(scenario)
    htf = handle_time_factors(scenario)
    aht = interval_aht(scenario, htf)
    unc = scenario.uncertainty
    if unc is None:
        return [DemandScenario("point", 1.0, 1.0, point, aht, htf)]
    values, probs = discretise(unc.peak_multiplier.dist, unc.peak_multiplier.cv,
                               unc.scenarios, unc.method)
    n = scenario.horizon.n_intervals
    g = noise_factors(probs, values, unc.interval_noise_cv, n, unc.seed)
    if unc.applies_to == "uplift":
        no_events = point_demand(scenario, with_events=False)
        fixed = {ch: no_events.rates(ch) for ch in scenario.channels}
    else:
        fixed = {ch: np.zeros(n) for ch in scenario.channels}
    out = []
    for s, (m, p) in enumerate(zip(values, probs, strict=True)):
        rates = {ch: fixed[ch] + (point[ch] - fixed[ch]) * g[s] for ch in scenario.channels}
        out.append(DemandScenario(f"s{s + 1}", float(p), float(m), rates, aht, htf))
    return out
