"""Arrival rates per interval and channel from plain demand inputs (no files, no schema).

rate(ch, t) = [base(ch, t) + driver contacts(ch, t)] × Π contact events(ch, t), per hour.
docs/demand.md explains every term. :func:`point_demand` gives the point forecast and its
parts; :func:`demand_scenarios` the weighted demand scenarios that planning and the
simulator consume (their probability-weighted mean is the point forecast). The scenario
file meets these inputs in :mod:`scenarios.adapters.to_demand`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np

from planning.demand import shapes
from planning.demand.uncertainty import discretise, noise_factors

Weights = list[float]


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


@dataclass(frozen=True)
class DailyShape:
    """Intraday weights for every day, with per-date overrides (weights already resolved)."""

    intraday: Weights
    by_date: dict[date, Weights] = field(default_factory=dict)


@dataclass(frozen=True)
class ChannelBase:
    """Base arrivals of one channel: per-interval rates, a constant, or a shaped daily volume."""

    rates_per_hour: Weights | None = None
    rate_per_hour: float | None = None
    daily_volume: float | None = None
    weekly: Weights = field(default_factory=lambda: [1.0] * 7)
    shape: DailyShape = field(default_factory=lambda: DailyShape([1.0]))


@dataclass(frozen=True)
class EventWindow:
    """A promotion window: ×1 → ×uplift (ramp), ×uplift (peak), ×uplift → ×decay_to."""

    start: datetime
    uplift: float
    ramp_minutes: float
    peak_minutes: float
    decay_minutes: float
    decay_to: float
    exponential: bool
    applies_to: str                       # contacts | orders
    channels: tuple[str, ...] | None      # None = all channels
    aht_factor: dict[str, float]          # per channel; missing = 1


@dataclass(frozen=True)
class OrdersForecast:
    """Orders per interval, or per day (constant × weekly, or one per day) shaped intraday."""

    per_interval: Weights | None
    per_day: float | Weights | None
    weekly: Weights
    shape: DailyShape
    before_start: Weights


@dataclass(frozen=True)
class DriverCoefficients:
    """Contacts per order (same interval), per late order and after-sales, per channel."""

    orders: OrdersForecast
    contacts_per_order: dict[str, float]
    contacts_per_late_order: dict[str, float]
    after_sales_per_order: dict[str, float]
    late_share: float
    late_lag_days: int
    after_sales_lags: dict[int, float] | None


@dataclass(frozen=True)
class UncertaintySpec:
    """The uncertain peak multiplier (mean 1) and how it is discretised and applied."""

    dist: str
    cv: float
    scenarios: int
    method: str
    applies_to: str                       # all | uplift
    interval_noise_cv: float
    seed: int


@dataclass(frozen=True)
class DemandInputs:
    """Everything the demand model needs, plain: the horizon grid, channels, events, drivers."""

    start: datetime
    days: int
    interval_minutes: int
    channels: dict[str, ChannelBase]
    events: list[EventWindow]
    drivers: DriverCoefficients | None
    handle_s: dict[str, float]
    after_contact_work_s: dict[str, float]
    uncertainty: UncertaintySpec | None = None


class _Calendar:
    """Each interval's day index (from the horizon's first date), weekday and slot of day."""

    def __init__(self, inp: DemandInputs):
        self.interval_minutes = inp.interval_minutes
        self.n = inp.days * 1440 // inp.interval_minutes
        step = timedelta(minutes=inp.interval_minutes)
        starts = [inp.start + i * step for i in range(self.n)]
        first = inp.start.date()
        self.day_of = np.array([(t.date() - first).days for t in starts], dtype=np.int64)
        self.slot_of = np.array([(t.hour * 60 + t.minute) // inp.interval_minutes
                                 for t in starts], dtype=np.int64)
        self.n_days = int(self.day_of[-1]) + 1
        self.dates = [first.fromordinal(first.toordinal() + d) for d in range(self.n_days)]
        self.start: datetime = inp.start

    def minutes_from_start(self, t: datetime) -> float:
        return (t - self.start).total_seconds() / 60.0


def _day_shares(cal: _Calendar, shape: DailyShape) -> np.ndarray:
    """days × slots intraday shares, with per-date overrides."""
    default = shapes.intraday_shares(shape.intraday, cal.interval_minutes)
    rows = []
    for d in cal.dates:
        override = shape.by_date.get(d)
        rows.append(default if override is None else
                    shapes.intraday_shares(override, cal.interval_minutes))
    return np.vstack(rows)


def _weekday_factor(cal: _Calendar, weekly: Weights) -> np.ndarray:
    f = shapes.weekly_factors(weekly)
    return np.array([f[d.weekday()] for d in cal.dates])


def _base_counts(base: ChannelBase, cal: _Calendar) -> np.ndarray:
    per_hour_to_count = cal.interval_minutes / 60.0
    if base.rates_per_hour is not None:
        return np.asarray(base.rates_per_hour, dtype=np.float64) * per_hour_to_count
    if base.rate_per_hour is not None:
        return np.full(cal.n, base.rate_per_hour * per_hour_to_count)
    if base.daily_volume is not None:
        daily = base.daily_volume * _weekday_factor(cal, base.weekly)
        return shapes.spread_days(daily, _day_shares(cal, base.shape), cal.day_of, cal.slot_of)
    return np.zeros(cal.n)


def _event_factor(ev: EventWindow, cal: _Calendar) -> np.ndarray:
    return shapes.event_multiplier(cal.minutes_from_start(ev.start), ev.ramp_minutes,
                                   ev.peak_minutes, ev.decay_minutes, ev.uplift, ev.decay_to,
                                   ev.exponential, cal.n, cal.interval_minutes)


def _orders(o: OrdersForecast, cal: _Calendar, events: list[EventWindow]) -> np.ndarray:
    if o.per_interval is not None:
        counts = np.asarray(o.per_interval, dtype=np.float64)
    else:
        if isinstance(o.per_day, list):
            per_day = np.asarray(o.per_day, dtype=np.float64)
            daily = per_day[np.minimum(np.arange(cal.n_days), len(per_day) - 1)]
        else:
            daily = float(o.per_day or 0.0) * _weekday_factor(cal, o.weekly)
        counts = shapes.spread_days(daily, _day_shares(cal, o.shape), cal.day_of, cal.slot_of)
    for ev in events:
        if ev.applies_to == "orders":
            counts = counts * _event_factor(ev, cal)
    return counts


def _driver_counts(drv: DriverCoefficients | None, chans: list[str], cal: _Calendar,
                   orders: np.ndarray, shares_of: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    out = {ch: np.zeros(cal.n) for ch in chans}
    if drv is None:
        return out
    daily_orders = np.bincount(cal.day_of, weights=orders, minlength=cal.n_days)
    before = np.asarray(drv.orders.before_start, dtype=np.float64)
    late_daily = shapes.lagged_days(before, daily_orders, {drv.late_lag_days: 1.0})
    after_daily = (shapes.lagged_days(before, daily_orders, drv.after_sales_lags)
                   if drv.after_sales_lags is not None else np.zeros(cal.n_days))
    for ch in chans:
        lagged = (drv.late_share * drv.contacts_per_late_order[ch] * late_daily
                  + drv.after_sales_per_order[ch] * after_daily)
        out[ch] = drv.contacts_per_order[ch] * orders + shapes.spread_days(
            lagged, shares_of[ch], cal.day_of, cal.slot_of)
    return out


def point_demand(inp: DemandInputs, *, with_events: bool = True) -> PointDemand:
    """The point forecast and its parts (base, driver contacts, contact-event factor)."""
    cal = _Calendar(inp)
    events = inp.events if with_events else []
    base, shares_of, factor = {}, {}, {}
    for ch, spec in inp.channels.items():
        base[ch] = _base_counts(spec, cal)
        shares_of[ch] = _day_shares(cal, spec.shape)
        f = np.ones(cal.n)
        for ev in events:
            if ev.applies_to == "contacts" and (ev.channels is None or ch in ev.channels):
                f = f * _event_factor(ev, cal)
        factor[ch] = f
    orders = _orders(inp.drivers.orders, cal, events) if inp.drivers is not None else None
    drivers = _driver_counts(inp.drivers, list(inp.channels), cal,
                             orders if orders is not None else np.zeros(cal.n), shares_of)
    return PointDemand(base, drivers, factor, orders, cal.interval_minutes)


def arrival_rates(inp: DemandInputs) -> dict[str, np.ndarray]:
    """Arrivals per hour per interval for every channel (the point forecast)."""
    point = point_demand(inp)
    return {ch: point.rates(ch) for ch in inp.channels}


def handle_time_factors(inp: DemandInputs) -> dict[str, np.ndarray]:
    """Handle-time multiplier per interval: Π over events of 1 + (f − 1) × share of the
    interval inside the event's window."""
    cal = _Calendar(inp)
    out = {}
    for ch in inp.channels:
        f = np.ones(cal.n)
        for ev in inp.events:
            a = ev.aht_factor.get(ch, 1.0)
            if a != 1.0 and (ev.channels is None or ch in ev.channels):
                length = ev.ramp_minutes + ev.peak_minutes + ev.decay_minutes
                share = shapes.window_share(cal.minutes_from_start(ev.start), length, cal.n,
                                            cal.interval_minutes)
                f = f * (1.0 + (a - 1.0) * share)
        out[ch] = f
    return out


def interval_aht(inp: DemandInputs,
                 factors: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """Seconds an agent is tied up per contact, per interval: handle time × event factor +
    after-contact work."""
    htf = factors if factors is not None else handle_time_factors(inp)
    return {ch: inp.handle_s[ch] * htf[ch] + inp.after_contact_work_s[ch]
            for ch in inp.channels}


def demand_scenarios(inp: DemandInputs) -> list[DemandScenario]:
    """The weighted demand scenarios (one, with probability 1, without uncertainty).

    Scenario s has rates fixed(t) + variable(t) × g[s, t], where variable is the whole point
    forecast (``applies_to: all``) or its event uplift (``uplift``) and Σ_s p_s·g[s, t] = 1,
    so the probability-weighted mean of every interval equals the point forecast.
    """
    point = arrival_rates(inp)
    htf = handle_time_factors(inp)
    aht = interval_aht(inp, htf)
    unc = inp.uncertainty
    if unc is None:
        return [DemandScenario("point", 1.0, 1.0, point, aht, htf)]
    values, probs = discretise(unc.dist, unc.cv, unc.scenarios, unc.method)
    n = inp.days * 1440 // inp.interval_minutes
    g = noise_factors(probs, values, unc.interval_noise_cv, n, unc.seed)
    if unc.applies_to == "uplift":
        no_events = point_demand(inp, with_events=False)
        fixed = {ch: no_events.rates(ch) for ch in inp.channels}
    else:
        fixed = {ch: np.zeros(n) for ch in inp.channels}
    out = []
    for s, (m, p) in enumerate(zip(values, probs, strict=True)):
        rates = {ch: fixed[ch] + (point[ch] - fixed[ch]) * g[s] for ch in inp.channels}
        out.append(DemandScenario(f"s{s + 1}", float(p), float(m), rates, aht, htf))
    return out
