"""Synthetic contact history with known parameters (tests, examples, benchmarks).

The truth is written in the forecaster's own log-linear form, so a fit can be compared
with it term by term:

    contacts(t) ~ Poisson( level · exp(trend · τ) · weekly[dow] · intraday[slot]
                            · Π uplift[event] · (1 + orders(t))^elasticity )

τ = years since the first interval. Orders (when given) are Poisson around
orders_per_day × their own weekly and intraday shapes × campaign uplifts × an optional
lognormal day-to-day factor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

from planning.demand.history import ChannelHistory, History
from planning.demand.shapes import intraday_shares

ORDINARY_DAY_48 = (
    0.30, 0.20, 0.15, 0.10, 0.08, 0.07, 0.07, 0.08, 0.10, 0.15, 0.25, 0.35,
    0.50, 0.70, 1.00, 1.40, 2.00, 2.60, 3.00, 3.20, 3.30, 3.30, 3.20, 3.00,
    2.60, 2.40, 2.60, 2.90, 3.10, 3.20, 3.20, 3.10, 3.00, 2.90, 2.70, 2.50,
    2.40, 2.50, 2.70, 2.90, 3.00, 3.10, 3.00, 2.80, 2.30, 1.70, 1.10, 0.60)
ECOMMERCE_WEEK = (1.08, 1.04, 1.00, 0.99, 0.97, 0.94, 0.98)


@dataclass(frozen=True)
class Campaign:
    """A named campaign active from ``start`` for ``hours`` (its name goes in ``event``)."""

    name: str
    start: datetime
    hours: float


@dataclass(frozen=True)
class ChannelTruth:
    """Known parameters of one channel (weekly and intraday in any scale)."""

    level: float
    weekly: tuple[float, ...] = ECOMMERCE_WEEK
    intraday: tuple[float, ...] = ORDINARY_DAY_48
    trend_per_year: float = 0.0
    uplift: dict[str, float] = field(default_factory=dict)
    orders_elasticity: float = 0.0


@dataclass(frozen=True)
class OrdersTruth:
    """Orders per day with their own shapes and campaign uplifts."""

    per_day: float
    weekly: tuple[float, ...] = ECOMMERCE_WEEK
    intraday: tuple[float, ...] = ORDINARY_DAY_48
    uplift: dict[str, float] = field(default_factory=dict)
    daily_cv: float = 0.0      # lognormal day-to-day variation of orders (mean 1)


@dataclass(frozen=True)
class SynthParams:
    start: datetime
    days: int
    interval_minutes: int
    channels: dict[str, ChannelTruth]
    campaigns: tuple[Campaign, ...] = ()
    orders: OrdersTruth | None = None
    seed: int = 0


def campaign_names(params: SynthParams) -> np.ndarray:
    """Event name per interval ('' outside campaigns; a later campaign wins on overlap)."""
    n = params.days * 1440 // params.interval_minutes
    names = np.full(n, "", dtype=object)
    for c in params.campaigns:
        lo = int((c.start - params.start).total_seconds() // 60 // params.interval_minutes)
        hi = lo + int(round(c.hours * 60 / params.interval_minutes))
        names[max(lo, 0):max(min(hi, n), 0)] = c.name
    return names


def _shape(params: SynthParams, weekly, intraday) -> np.ndarray:
    per_day = 1440 // params.interval_minutes
    n = params.days * per_day
    shares = intraday_shares(intraday, params.interval_minutes) * per_day  # mean 1 per slot
    w = np.asarray(weekly, dtype=np.float64)
    w = w / w.mean()
    dows = np.array([(params.start + timedelta(days=d)).weekday() for d in range(params.days)])
    return np.repeat(w[dows], per_day) * np.tile(shares, params.days)[:n]


def expected_contacts(params: SynthParams, orders: np.ndarray | None) -> dict[str, np.ndarray]:
    """The Poisson means per interval and channel (the truth, before noise)."""
    n = params.days * 1440 // params.interval_minutes
    tau = np.arange(n) * params.interval_minutes / (1440.0 * 365.25)
    names = campaign_names(params)
    out = {}
    for ch, t in params.channels.items():
        mu = t.level * np.exp(t.trend_per_year * tau) * _shape(params, t.weekly, t.intraday)
        for name, u in t.uplift.items():
            mu = mu * np.where(names == name, u, 1.0)
        if orders is not None and t.orders_elasticity:
            mu = mu * (1.0 + orders) ** t.orders_elasticity
        out[ch] = mu
    return out


def synthetic_history(params: SynthParams) -> History:
    """Draw one history from the known parameters (seeded, reproducible)."""
    rng = np.random.default_rng(params.seed)
    n = params.days * 1440 // params.interval_minutes
    names = campaign_names(params)
    orders = None
    if params.orders is not None:
        o = params.orders
        mean = o.per_day / (1440 // params.interval_minutes) * _shape(params, o.weekly, o.intraday)
        for name, u in o.uplift.items():
            mean = mean * np.where(names == name, u, 1.0)
        if o.daily_cv > 0:
            sigma = np.sqrt(np.log1p(o.daily_cv ** 2))
            day = np.exp(sigma * rng.standard_normal(params.days) - sigma ** 2 / 2)
            mean = mean * np.repeat(day, 1440 // params.interval_minutes)
        orders = rng.poisson(mean).astype(np.float64)
    channels = {}
    for ch, mu in expected_contacts(params, orders).items():
        counts = rng.poisson(mu).astype(np.float64)
        channels[ch] = ChannelHistory(counts, np.ones(n, dtype=bool),
                                      None if orders is None else orders.copy(), names.copy())
    return History(params.start, params.interval_minutes, n, channels)


def example_params() -> SynthParams:
    """The bundled example (scenarios/examples/history.csv): 10 weeks, voice + chat."""
    start = datetime(2026, 8, 31)     # a Monday
    campaigns = (
        Campaign("flash_sale", datetime(2026, 9, 9, 20), 4),
        Campaign("flash_sale", datetime(2026, 9, 23, 20), 4),
        Campaign("mid_autumn", datetime(2026, 9, 25, 0), 48),
        Campaign("flash_sale", datetime(2026, 10, 14, 20), 4),
        Campaign("presale", datetime(2026, 10, 24, 20), 28),
        Campaign("flash_sale", datetime(2026, 10, 28, 20), 4),
        Campaign("presale", datetime(2026, 11, 1, 20), 28),
    )
    return SynthParams(
        start=start, days=70, interval_minutes=30, seed=2026, campaigns=campaigns,
        orders=OrdersTruth(per_day=20000, uplift={"flash_sale": 3.0, "mid_autumn": 1.5,
                                                   "presale": 2.5}),
        channels={
            "voice": ChannelTruth(level=1.0, trend_per_year=0.3, orders_elasticity=0.5,
                                  uplift={"flash_sale": 1.6, "mid_autumn": 1.2, "presale": 2.0}),
            "chat": ChannelTruth(level=0.15, trend_per_year=0.5, orders_elasticity=0.8,
                                 uplift={"flash_sale": 1.4, "mid_autumn": 1.1, "presale": 1.8}),
        })
