"""Arrival rates per interval and channel, built from a scenario's demand section."""

from __future__ import annotations

import numpy as np

from scenarios.schema import ChannelDemand, Scenario


def channel_rates(demand: ChannelDemand, n_intervals: int) -> np.ndarray:
    """Arrivals per hour for each interval of one channel (float64, length n_intervals)."""
    if demand.rates_per_hour is not None:
        return np.asarray(demand.rates_per_hour, dtype=np.float64)
    return np.full(n_intervals, float(demand.rate_per_hour or 0.0))


def arrival_rates(scenario: Scenario) -> dict[str, np.ndarray]:
    """Arrivals per hour per interval for every channel (the point forecast)."""
    n = scenario.horizon.n_intervals
    return {ch: channel_rates(scenario.demand[ch], n) for ch in scenario.channels}
