"""Non-homogeneous Poisson arrivals with a piecewise-constant rate, sampled exactly.

Given the rate λ_i on interval i = [t_i, t_i + Δ), the number of arrivals is
Poisson(λ_i Δ) and, given the count, the times are i.i.d. uniform on the interval
(the order-statistics property of the Poisson process) — exact for the step function,
not "one rate per interval start" thinning.
"""

from __future__ import annotations

import numpy as np


def nhpp_times(rates_per_hour: np.ndarray, interval_s: float,
               rng: np.random.Generator) -> np.ndarray:
    """Sorted arrival times (s) over ``len(rates)`` intervals of ``interval_s`` seconds."""
    lam = np.asarray(rates_per_hour, dtype=float) * (interval_s / 3600.0)
    counts = rng.poisson(lam)
    starts = np.repeat(np.arange(len(lam)) * interval_s, counts)
    times = starts + rng.random(counts.sum()) * interval_s
    times.sort()
    return times


def merged_arrivals(rates: list[np.ndarray], interval_s: float, rng: np.random.Generator,
                    compiled: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Arrival times of several channels merged in time order, with channel indices.
    ``compiled``: merge with sim.compiled_kpi.merge_sorted (numba loaded; the same
    arrays as the stable sort)."""
    times = [nhpp_times(r, interval_s, rng) for r in rates]
    if compiled and len(times) > 1:  # the same arrays by a merge of the sorted channels
        from sim.compiled_kpi import merge_sorted

        starts = np.cumsum([0] + [len(t) for t in times])
        return merge_sorted(np.concatenate(times), starts)
    chan = np.concatenate([np.full(len(t), k, dtype=np.int64) for k, t in enumerate(times)])
    allt = np.concatenate(times) if times else np.empty(0)
    order = np.argsort(allt, kind="stable")
    return allt[order], chan[order]
