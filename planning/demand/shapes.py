"""Pure arithmetic of demand shapes: profiles, event windows, lags (no files, no schema).

Counts are per interval; callers convert to rates per hour. Time is measured in minutes
from the start of the horizon. The formulas are those of docs/demand.md.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def intraday_shares(weights: Sequence[float], interval_minutes: int) -> np.ndarray:
    """Share of the day's volume in each interval (sums to 1).

    The weights are a step function over equal slots of the day (1440 / len minutes each);
    each interval gets the integral of that step function over its minutes.
    """
    w = np.asarray(weights, dtype=np.float64)
    slot = 1440 // len(w)
    per_minute = np.repeat(w / w.sum() / slot, slot)
    return per_minute.reshape(-1, interval_minutes).sum(axis=1)


def weekly_factors(weights: Sequence[float]) -> np.ndarray:
    """7 day-of-week factors (Monday first) scaled to mean 1."""
    w = np.asarray(weights, dtype=np.float64)
    return w / w.mean()


def spread_days(daily: np.ndarray, shares: np.ndarray, day_of: np.ndarray,
                slot_of: np.ndarray) -> np.ndarray:
    """Counts per interval: each interval gets its day's total × its slot's share that day.

    ``shares`` has one row of interval shares per day (days × slots); ``day_of`` / ``slot_of``
    give each interval's day index and slot of the day.
    """
    return daily[day_of] * shares[day_of, slot_of]


def event_multiplier(offset_min: float, ramp: float, peak: float, decay: float, uplift: float,
                     decay_to: float, exponential: bool, n_intervals: int,
                     interval_minutes: int) -> np.ndarray:
    """Mean multiplier of one event window over each interval.

    m(x) at x minutes after the event start: 1 + (u − 1)·x/ramp on the ramp, u on the peak,
    then u + (d − u)·y (linear) or u·(d/u)^y (exponential), y = share of the decay done; 1
    before and after. The interval value is the mean over its minutes, each minute taken at
    its midpoint (exact for the linear pieces when the breakpoints fall on whole minutes).
    """
    x = np.arange(n_intervals * interval_minutes, dtype=np.float64) + 0.5 - offset_min
    m = np.ones_like(x)
    if ramp > 0:
        on = (x >= 0) & (x < ramp)
        m[on] = 1.0 + (uplift - 1.0) * x[on] / ramp
    on = (x >= ramp) & (x < ramp + peak)
    m[on] = uplift
    if decay > 0:
        on = (x >= ramp + peak) & (x < ramp + peak + decay)
        y = (x[on] - ramp - peak) / decay
        m[on] = uplift * (decay_to / uplift) ** y if exponential else uplift + (decay_to - uplift) * y
    return m.reshape(n_intervals, interval_minutes).mean(axis=1)


def window_share(offset_min: float, length_min: float, n_intervals: int,
                 interval_minutes: int) -> np.ndarray:
    """Share of each interval's minutes that lie inside [offset, offset + length)."""
    lo = np.arange(n_intervals, dtype=np.float64) * interval_minutes
    hi = lo + interval_minutes
    inside = np.clip(np.minimum(hi, offset_min + length_min) - np.maximum(lo, offset_min), 0, None)
    return inside / interval_minutes


def lagged_days(daily_before: np.ndarray, daily: np.ndarray, lags: dict[int, float]) -> np.ndarray:
    """Per horizon day: Σ_k share_k · orders(day − k), shares scaled to sum 1.

    ``daily_before`` holds the days before the horizon (most recent last); earlier days count 0.
    """
    total = float(sum(lags.values()))
    series = np.concatenate([np.asarray(daily_before, dtype=np.float64), daily])
    off = len(daily_before)
    out = np.zeros(len(daily))
    for k, share in lags.items():
        for d in range(len(daily)):
            j = off + d - k
            if j >= 0:
                out[d] += share / total * series[j]
    return out
