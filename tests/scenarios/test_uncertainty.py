"""Demand scenarios: probabilities, exact mean, quantiles and moments against closed forms."""

from __future__ import annotations

import math
from statistics import NormalDist

import mpmath
import numpy as np
import pytest

from planning.demand.uncertainty import discretise, quantile_edges
from scenarios.adapters.to_demand import arrival_rates, demand_scenarios
from scenarios.reading.load import load_scenario

from .test_demand import COMPOSED, load


@pytest.mark.parametrize("dist", ["lognormal", "normal", "gamma"])
@pytest.mark.parametrize("method", ["quantiles", "gauss"])
@pytest.mark.parametrize("n", [2, 3, 5, 9])
def test_probabilities_sum_to_one_and_mean_is_one(dist, method, n):
    if (dist, method, n) == ("normal", "gauss", 9):
        # Hermite nodes reach z = −4.5: 1 − 0.25 · 4.5 < 0 is refused, not silently clipped.
        with pytest.raises(ValueError, match="<= 0"):
            discretise(dist, 0.25, n, method)
        return
    m, p = discretise(dist, 0.25, n, method)
    assert p.sum() == pytest.approx(1.0, abs=1e-13)
    assert float(p @ m) == pytest.approx(1.0, abs=1e-12)
    assert (np.diff(m) > 0).all() and (m > 0).all()


def test_lognormal_quantile_edges_where_the_distribution_puts_them():
    # Reference: stdlib NormalDist quantiles of log M ~ N(−σ²/2, σ²), σ² = ln(1 + cv²).
    cv = 0.25
    s = math.sqrt(math.log1p(cv * cv))
    nd = NormalDist(-s * s / 2, s)
    edges = quantile_edges("lognormal", cv, 5)
    expected = [math.exp(nd.inv_cdf(i / 5)) for i in range(1, 5)]
    np.testing.assert_allclose(edges[1:-1], expected, rtol=1e-12)
    m, _ = discretise("lognormal", cv, 5, "quantiles")
    # Each scenario lies inside its quantile bin ...
    assert all(edges[i] < m[i] < edges[i + 1] for i in range(5))
    # ... at the bin's conditional mean: reference mpmath quadrature of x·pdf(x) over the bin.
    mu = -s * s / 2

    def pdf(x):
        return mpmath.exp(-(mpmath.log(x) - mu) ** 2 / (2 * s * s)) / (x * s * mpmath.sqrt(2 * mpmath.pi))

    bounds = [mpmath.mpf("1e-12")] + [mpmath.mpf(e) for e in expected] + [mpmath.mpf(20)]
    for i in range(5):
        cond = mpmath.quad(lambda x: x * pdf(x), [bounds[i], bounds[i + 1]]) * 5
        assert m[i] == pytest.approx(float(cond), rel=1e-9)


def test_gamma_and_normal_quantile_bins():
    # Reference: mpmath quadrature of the gamma density (k = 1/cv², θ = cv²).
    cv, n = 0.3, 4
    k, th = 1 / cv ** 2, cv ** 2
    m, _ = discretise("gamma", cv, n, "quantiles")
    e = quantile_edges("gamma", cv, n)

    def pdf(x):
        return x ** (k - 1) * mpmath.exp(-x / th) / (mpmath.gamma(k) * th ** k)

    for i in range(n):
        lo, hi = float(e[i]), min(float(e[i + 1]), 10.0)
        assert float(mpmath.quad(pdf, [lo, hi])) == pytest.approx(1 / n, rel=1e-8)
        assert m[i] == pytest.approx(float(mpmath.quad(lambda x: x * pdf(x), [lo, hi])) * n,
                                     rel=1e-8)
    # normal: edges at 1 + cv·z_p
    e = quantile_edges("normal", 0.2, 4)
    np.testing.assert_allclose(e[1:-1], [1 + 0.2 * NormalDist().inv_cdf(q)
                                         for q in (0.25, 0.5, 0.75)], rtol=1e-12)


def test_gauss_quadrature_matches_moments():
    # Gaussian quadrature with n nodes is exact for polynomials of degree 2n − 1:
    # normal E[M²] = 1 + cv², E[M³] = 1 + 3cv²; gamma E[M²] = 1 + cv², E[M³] = (1+cv²)(1+2cv²).
    cv = 0.25
    m, p = discretise("normal", cv, 3, "gauss")
    assert float(p @ m ** 2) == pytest.approx(1 + cv ** 2, rel=1e-12)
    assert float(p @ m ** 3) == pytest.approx(1 + 3 * cv ** 2, rel=1e-12)
    m, p = discretise("gamma", cv, 3, "gauss")
    assert float(p @ m ** 2) == pytest.approx(1 + cv ** 2, rel=1e-12)
    assert float(p @ m ** 3) == pytest.approx((1 + cv ** 2) * (1 + 2 * cv ** 2), rel=1e-12)
    # lognormal (log-space Hermite nodes, mean fixed to 1): variance close to cv²
    m, p = discretise("lognormal", cv, 5, "gauss")
    assert float(p @ (m - 1) ** 2) == pytest.approx(cv ** 2, rel=1e-3)


UNC = """uncertainty:
  peak_multiplier: {{dist: lognormal, cv: 0.25}}
  scenarios: 5
  method: {method}
  applies_to: {applies}
  interval_noise_cv: {noise}
  seed: 3
"""


@pytest.mark.parametrize("method", ["quantiles", "gauss"])
@pytest.mark.parametrize("applies", ["all", "uplift"])
@pytest.mark.parametrize("noise", [0.0, 0.1])
def test_weighted_mean_equals_point_forecast(tmp_path, method, applies, noise):
    sc = load(tmp_path, COMPOSED + UNC.format(method=method, applies=applies, noise=noise))
    point = arrival_rates(sc)
    scen = demand_scenarios(sc)
    assert len(scen) == 5
    assert sum(s.probability for s in scen) == pytest.approx(1.0, abs=1e-13)
    for ch, p in point.items():
        mean = sum(s.probability * s.rates[ch] for s in scen)
        np.testing.assert_allclose(mean, p, rtol=1e-12)
        assert all((s.rates[ch] >= 0).all() for s in scen)


def test_uplift_mode_keeps_the_base_and_scales_the_event(tmp_path):
    sc = load(tmp_path, COMPOSED + UNC.format(method="quantiles", applies="uplift", noise=0.0))
    point = arrival_rates(sc)["voice"]
    for s in demand_scenarios(sc):
        # Outside events (day 0) every scenario equals the point forecast; at the voice
        # event (day 1, 10:00) the extra above the no-event curve scales by the multiplier.
        np.testing.assert_allclose(s.rates["voice"][:24], point[:24], rtol=1e-12)
        no_event = 200 + 5 + 12.5 + 1.875
        assert s.rates["voice"][34] - no_event == pytest.approx(
            s.multiplier * (point[34] - no_event), rel=1e-12)


def test_all_mode_scales_everything(tmp_path):
    sc = load(tmp_path, COMPOSED + UNC.format(method="quantiles", applies="all", noise=0.0))
    point = arrival_rates(sc)
    for s in demand_scenarios(sc):
        for ch in point:
            np.testing.assert_allclose(s.rates[ch], s.multiplier * point[ch], rtol=1e-12)


def test_noise_is_seeded(tmp_path):
    text = COMPOSED + UNC.format(method="quantiles", applies="all", noise=0.2)
    a = demand_scenarios(load(tmp_path, text))
    b = demand_scenarios(load_scenario(tmp_path / "s.yaml"))
    np.testing.assert_array_equal(a[0].rates["voice"], b[0].rates["voice"])
    assert not np.allclose(a[0].rates["voice"], a[0].multiplier * arrival_rates(
        load_scenario(tmp_path / "s.yaml"))["voice"])
