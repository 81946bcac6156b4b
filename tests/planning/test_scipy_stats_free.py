"""The distribution functions computed without scipy.stats (planning.returns.Delay.cdf,
planning.demand.uncertainty.quantile_edges, sim.stats.rankdata) against scipy.stats
itself, bit for bit (the same special functions and operations), on ordinary inputs and
the edges (0, ±inf, NaN, outside the support); the quantiles also against mpmath."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
from scipy import stats

from planning.demand.uncertainty import quantile_edges
from planning.returns import Delay
from sim.stats import rankdata


def _same(a, b) -> bool:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and a.tobytes() == b.tobytes()


X = np.concatenate([np.array([-np.inf, -5.0, -0.0, 0.0, 1e-300, 1e-9, np.nan, np.inf]),
                    np.random.default_rng(3).exponential(900.0, 2000),
                    np.linspace(-300.0, 7200.0, 513)])


@pytest.mark.parametrize("mean_s", [1.0, 600.0, 3600.0])
@pytest.mark.parametrize("cv", [0.3, 1.0, 2.5])
def test_delay_cdf_same_bits_as_scipy_stats(mean_s: float, cv: float) -> None:
    s2 = np.log1p(cv ** 2)
    k = 1.0 / cv ** 2
    want = {"exponential": stats.expon.cdf(X, scale=mean_s),
            "lognormal": stats.lognorm.cdf(X, np.sqrt(s2), scale=mean_s * np.exp(-s2 / 2)),
            "gamma": stats.gamma.cdf(X, k, scale=mean_s / k)}
    for dist, ref in want.items():
        got = Delay(dist, mean_s, cv).cdf(X)
        assert _same(got, ref), dist
    # a scalar gives a scalar, as scipy's does
    assert _same(Delay("gamma", mean_s, cv).cdf(700.0), stats.gamma.cdf(700.0, k, scale=mean_s / k))


def _scipy_frozen(dist: str, cv: float):
    if dist == "lognormal":
        sigma = math.sqrt(math.log1p(cv * cv))
        return stats.lognorm(s=sigma, scale=math.exp(-0.5 * sigma * sigma))
    if dist == "normal":
        return stats.norm(loc=1.0, scale=cv)
    k = 1.0 / (cv * cv)
    return stats.gamma(a=k, scale=1.0 / k)


@pytest.mark.parametrize("dist", ["lognormal", "normal", "gamma"])
@pytest.mark.parametrize("cv", [0.05, 0.25, 0.6, 1.5])
@pytest.mark.parametrize("n", [2, 3, 5, 20, 101])
def test_quantile_edges_same_bits_as_scipy_stats(dist: str, cv: float, n: int) -> None:
    want = _scipy_frozen(dist, cv).ppf(np.linspace(0.0, 1.0, n + 1))
    assert _same(quantile_edges(dist, cv, n), want)


@pytest.mark.parametrize("cv", [0.25, 0.6])
def test_quantile_edges_against_mpmath(cv: float) -> None:
    """F(F⁻¹(i/n)) = i/n with each cdf in mpmath (30 digits): the normal's erfc, the
    lognormal's through its log, the gamma's regularised incomplete gamma."""
    n = 5
    sigma = math.sqrt(math.log1p(cv * cv))
    k = 1.0 / (cv * cv)
    cdfs = {"normal": lambda x: mpmath.ncdf(x, mu=1, sigma=cv),
            "lognormal": lambda x: mpmath.ncdf(mpmath.log(x), mu=-0.5 * sigma * sigma,
                                               sigma=sigma),
            "gamma": lambda x: mpmath.gammainc(k, 0, k * x, regularized=True)}
    with mpmath.workdps(30):
        for dist, cdf in cdfs.items():
            edges = quantile_edges(dist, cv, n)
            assert edges[-1] == np.inf
            assert edges[0] == (-np.inf if dist == "normal" else 0.0)
            for i in range(1, n):
                assert float(cdf(mpmath.mpf(float(edges[i])))) == pytest.approx(i / n, rel=1e-10)


def test_bad_parameters_give_nan_as_scipy_does() -> None:
    assert np.isnan(quantile_edges("normal", 0.0, 3)).all()
    assert np.isnan(quantile_edges("lognormal", 0.0, 3)).all()


@pytest.mark.parametrize("seed", range(6))
def test_rankdata_same_bits_as_scipy_stats(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for x in (rng.normal(size=50), rng.integers(0, 5, size=40).astype(float),
              rng.integers(0, 3, size=7), np.array([2.0]), np.array([]),
              np.array([1.0, np.nan, 0.5]), np.array([-0.0, 0.0, 1.0, np.inf, -np.inf])):
        assert _same(rankdata(x), stats.rankdata(x)), x


def test_rankdata_by_hand() -> None:
    """Average ranks of ties, counted by hand."""
    assert rankdata([10.0, 20.0, 10.0, 30.0, 20.0, 20.0]).tolist() == [1.5, 4.0, 1.5, 6.0, 4.0, 4.0]
