"""Confidence intervals across replications (Student t, 95%)."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats


def mean_ci(values: np.ndarray | list[float], level: float = 0.95
            ) -> tuple[float, float, float]:
    """(mean, lo, hi) of the replications' values, ignoring NaN replications.

    With one usable replication the interval is degenerate (lo = hi = mean); with none,
    all three are NaN.
    """
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if len(x) == 0:
        return (math.nan, math.nan, math.nan)
    m = float(x.mean())
    if len(x) == 1:
        return (m, m, m)
    half = float(stats.t.ppf(0.5 + level / 2, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x)))
    return (m, m - half, m + half)
