"""The posterior over demand scenarios from the contacts seen (planning/intraday/posterior.py),
checked against likelihoods computed independently: scipy.stats' Poisson pmf for the plain
case and mpmath's numerical integral of the Poisson–gamma mixture for the spread case."""

from __future__ import annotations

import math
from dataclasses import replace

import mpmath
import numpy as np
import pytest
from scipy import stats

from planning.intraday.posterior import (
    band_spread,
    log_likelihood,
    posterior,
    run_rate_forecast,
    scenario_posterior,
)

# two scenarios, three intervals (hand case)
EXPECTED = np.array([[10.0, 20.0, 30.0], [15.0, 25.0, 40.0]])
COUNTS = np.array([12, 22, 35])
PRIOR = np.array([0.3, 0.7])


def test_poisson_posterior_matches_scipy_by_hand() -> None:
    # reference: P(s | y) = p_s Π_i Poisson(y_i; λ_si) / Σ_r p_r Π_i Poisson(y_i; λ_ri),
    # the pmf from scipy.stats, multiplied out directly
    lik = np.array([np.prod(stats.poisson.pmf(COUNTS, lam)) for lam in EXPECTED])
    ref = PRIOR * lik / (PRIOR * lik).sum()
    got = posterior(PRIOR, log_likelihood(EXPECTED, COUNTS))
    assert got == pytest.approx(ref, rel=1e-10)
    assert np.log(lik) == pytest.approx(log_likelihood(EXPECTED, COUNTS), rel=1e-12)
    # and by hand: log L1/L0 = 12 ln 1.5 + 22 ln 1.25 + 35 ln(4/3) − (80 − 60) = −0.15639,
    # P(0 | y) = 0.3 / (0.3 + 0.7 e^−0.15639) = 0.33383
    assert ref[0] == pytest.approx(0.33383, abs=1e-5)


def test_gamma_mixed_likelihood_matches_an_mpmath_integral() -> None:
    # reference: L_s = ∫ Π_i Poisson(y_i; m λ_si) · Gamma(m; k, rate k) dm by mpmath.quad
    cv = np.array([0.1, 0.25])
    mpmath.mp.dps = 30

    def integral(lam: np.ndarray, c: float) -> float:
        k = mpmath.mpf(1) / mpmath.mpf(c) ** 2

        def f(m: mpmath.mpf) -> mpmath.mpf:
            pois = mpmath.fprod(mpmath.exp(-m * lv) * (m * lv) ** int(y) / mpmath.factorial(int(y))
                                for lv, y in zip(lam, COUNTS, strict=True))
            dens = k ** k * m ** (k - 1) * mpmath.exp(-k * m) / mpmath.gamma(k)
            return pois * dens

        return float(mpmath.log(mpmath.quad(f, [0, 0.5, 1, 1.5, 3, mpmath.inf])))

    ref = np.array([integral(EXPECTED[s], cv[s]) for s in range(2)])
    got = log_likelihood(EXPECTED, COUNTS, cv)
    assert got == pytest.approx(ref, rel=1e-9)
    post = posterior(PRIOR, got)
    w = PRIOR * np.exp(ref - ref.max())
    assert post == pytest.approx(w / w.sum(), rel=1e-8)


def test_spread_zero_is_poisson_and_a_wide_spread_forgives_a_level_error() -> None:
    # reference: the closed-form limit c → 0 of the negative multinomial is the Poisson
    tiny = log_likelihood(EXPECTED, COUNTS, np.array([1e-6, 1e-6]))
    assert tiny == pytest.approx(log_likelihood(EXPECTED, COUNTS), rel=1e-6)
    # counts 30% above scenario 0's level everywhere: a spread of 0.3 explains them far
    # better than the plain Poisson does (monotone in the spread here)
    y = np.rint(EXPECTED[0] * 1.3)
    lo = log_likelihood(EXPECTED[:1], y)[0]
    hi = log_likelihood(EXPECTED[:1], y, np.array([0.3]))[0]
    assert hi > lo


def test_band_spread_by_hand() -> None:
    # reference: by hand. Multipliers 0.8, 1.0, 1.3: bands run half-way to the neighbours
    # (mirrored at the ends), uniform on the band, sd = width / √12:
    # 0.8: 0.1 + 0.1 = 0.2 → 0.2/√12/0.8; 1.0: 0.1 + 0.15 → 0.25/√12; 1.3: 0.15 + 0.15 → 0.3/√12/1.3
    got = band_spread(np.array([1.0, 0.8, 1.3]))
    r12 = math.sqrt(12.0)
    assert got == pytest.approx([0.25 / r12, 0.2 / r12 / 0.8, 0.3 / r12 / 1.3])
    assert band_spread(np.array([1.0])).tolist() == [0.0]


def test_outside_every_scenario_flag() -> None:
    # reference: the Poisson tail by scipy — 3× the largest scenario is far outside
    # (P ≈ 0), the second scenario's own expectation is inside
    far = scenario_posterior(PRIOR, EXPECTED, np.rint(EXPECTED[1] * 3))
    assert far.outside and stats.poisson.sf(far.seen - 1, EXPECTED[1].sum()) < 1e-10
    near = scenario_posterior(PRIOR, EXPECTED, EXPECTED[1])
    assert not near.outside
    # fewer contacts than the smallest scenario by far: outside too
    assert scenario_posterior(PRIOR, EXPECTED, np.rint(EXPECTED[0] * 0.3)).outside


def test_multiplier_update_is_the_gamma_posterior_mean() -> None:
    # reference: gamma–Poisson conjugacy, E[M | y] = (k + Y) / (k + Λ), k = 1/c²
    cv = np.array([0.2, 0.2])
    post = scenario_posterior(PRIOR, EXPECTED, COUNTS, cv)
    k = 25.0
    assert post.multiplier == pytest.approx((k + 69) / (k + EXPECTED.sum(axis=1)))


def test_run_rate_by_hand() -> None:
    # reference: by hand. The usual day 10, 30, 40, 20 (100): by interval 2 the usual share
    # is 40%; 60 seen → day 150, the rest 150 × (40, 20)/100 = 60, 30
    got = run_rate_forecast(60.0, np.array([10.0, 30.0, 40.0, 20.0]), 2)
    assert got == pytest.approx([60.0, 30.0])


def test_posterior_concentrates_on_the_simulated_scenario() -> None:
    """Actuals drawn from one demand scenario's simulation (the simulator, its own Poisson
    arrivals) make the posterior concentrate on that scenario as the day advances."""
    from pathlib import Path

    from scenarios.adapters.to_demand import demand_scenarios
    from scenarios.adapters.to_sim import sim_model
    from scenarios.reading.load import load_scenario
    from sim.runner import Demand, simulate

    sc = load_scenario(Path(__file__).parents[1] / "cli" / "data" / "intraday_day.yaml")
    cases = demand_scenarios(sc)
    truth = 2  # s3 of 4
    n = sc.horizon.n_intervals
    model = sim_model(sc, {"in_house": np.full(n, 60)})
    out = simulate(replace(model, warmup_s=0.0), Demand(cases[truth].rates), seed=3,
                   replication=0)
    counts = out.intervals["voice"]["offered"]
    lam = np.vstack([c.rates["voice"] for c in cases]) * (sc.horizon.interval_minutes / 60)
    prior = np.array([c.probability for c in cases])
    spread = band_spread(np.array([c.multiplier for c in cases]))
    p = [scenario_posterior(prior, lam[:, :k], counts[:k], spread).probability[truth]
         for k in (6, 12, 18, 24)]
    assert p[-1] > 0.9 and p[-1] > p[0] > prior[truth] - 0.1
    assert p == sorted(p) or p[-1] >= max(p) - 0.05
