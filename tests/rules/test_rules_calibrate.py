"""Seed 002's commission calibration. References: the seed's arithmetic by hand
(rate = (pay − base − incentives − benefits) / sales), scipy's lognormal quantiles, and
paying the calibrated table with the pay engine (agents at the low / high quantile must
earn exactly the lowest / highest pay)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from rules import Policy, pay
from rules.calibrate import CalibrationError, calibrate, lognormal_quantiles


def test_rates_by_hand():
    sales = np.array([50000.0, 100000.0, 150000.0, 200000.0, 250000.0])
    cal = calibrate(5000, 9000, 3000, sales, incentives=300, benefits=500, n_tiers=3,
                    low_q=0.25, high_q=0.75)
    # quantiles (linear): p25 = 100000, p75 = 200000; fixed 3800
    assert cal.fixed == 3800
    assert cal.rate_low == pytest.approx((5000 - 3800) / 100000)
    assert cal.rate_high == pytest.approx((9000 - 3800) / 200000)
    assert [t[0] for t in cal.tiers] == [0, 150000, 200000]
    assert cal.tiers[1][1] == pytest.approx((0.012 + 0.026) / 2)


def test_calibrated_table_pays_the_range():
    rng = np.random.default_rng(5)
    sales = rng.lognormal(11.5, 0.4, 200)
    cal = calibrate(5000, 9000, 3000, sales, incentives=300, benefits=500, round_to=0)
    pol = Policy.model_validate({"policy": "c", "base_pay": 3000, "commission": [
        {"per": "sales_amount", "mode": cal.mode,
         "tiers": [{"from": f, "rate": r} for f, r in cal.tiers]}]})
    r = pay(pol, {"agent_id": np.array(["lo", "hi"]),
                  "sales_amount": np.array([cal.sales_low, cal.sales_high])})
    # total = base + commission; + incentives + benefits = the target pay
    assert (r.total_pay + 800).tolist() == pytest.approx([5000, 9000])


def test_lognormal_quantiles_match_scipy():
    mean, cv = 100000.0, 0.4
    sigma = np.sqrt(np.log1p(cv**2))
    ref = stats.lognorm(s=sigma, scale=mean / np.sqrt(1 + cv**2))
    for q, got in zip([0.1, 0.5, 0.9], lognormal_quantiles(mean, cv, [0.1, 0.5, 0.9]), strict=True):
        assert got == pytest.approx(ref.ppf(q), rel=1e-9)


def test_distribution_input_and_errors():
    cal = calibrate(5000, 9000, 3000, sales_mean=100000, sales_cv=0.4)
    assert cal.rate_low < cal.rate_high and cal.tiers[0] == (0.0, cal.rate_low)
    with pytest.raises(CalibrationError):
        calibrate(5000, 9000, 6000, sales_mean=100000, sales_cv=0.4)
    with pytest.raises(CalibrationError):
        calibrate(9000, 5000, 3000, sales_mean=100000, sales_cv=0.4)
    with pytest.raises(CalibrationError):
        calibrate(5000, 9000, 3000)
