"""sim.stats.mean_ci: the t quantile from scipy.special.stdtrit, checked bit for bit
against scipy.stats.t.ppf (the call it replaces) and against the t distribution's cdf
computed independently with mpmath (the regularised incomplete beta function)."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
from scipy import stats

from sim.stats import mean_ci


def _old_mean_ci(values, level=0.95):
    """The code before: scipy.stats.t.ppf."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    m = float(x.mean())
    half = float(stats.t.ppf(0.5 + level / 2, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x)))
    return (m, m - half, m + half)


@pytest.mark.parametrize("n", [2, 3, 5, 10, 20, 21, 60, 200, 1001])
@pytest.mark.parametrize("level", [0.5, 0.8, 0.9, 0.95, 0.99, 0.999])
def test_same_bits_as_scipy_stats(n: int, level: float) -> None:
    x = np.random.default_rng(n).lognormal(1.0, 0.7, n)
    x[0] = math.nan if n > 2 else x[0]  # a NaN replication is left out
    assert [v.hex() for v in mean_ci(x, level)] == [v.hex() for v in _old_mean_ci(x, level)]


def _t_cdf(t: float, df: int) -> mpmath.mpf:
    """P(T <= t), t >= 0: 1 - I_{df/(df+t²)}(df/2, 1/2) / 2 (mpmath, 30 digits)."""
    with mpmath.workdps(30):
        x = mpmath.mpf(df) / (df + mpmath.mpf(t) ** 2)
        return 1 - mpmath.betainc(mpmath.mpf(df) / 2, mpmath.mpf(1) / 2, 0, x,
                                  regularized=True) / 2


@pytest.mark.parametrize("df", [1, 2, 4, 19, 59])
@pytest.mark.parametrize("level", [0.9, 0.95, 0.99])
def test_quantile_against_mpmath(df: int, level: float) -> None:
    x = np.zeros(df + 1)
    x[0] = 1.0  # s = sqrt(1/(n (n-1)))·... : recover the quantile from the half-width
    m, lo, hi = mean_ci(x, level)
    n = df + 1
    q = (hi - m) * math.sqrt(n) / float(np.std(x, ddof=1))
    assert float(_t_cdf(q, df)) == pytest.approx(0.5 + level / 2, rel=1e-12)


def test_degenerate_cases() -> None:
    assert all(math.isnan(v) for v in mean_ci([math.nan]))
    assert mean_ci([3.0]) == (3.0, 3.0, 3.0)
