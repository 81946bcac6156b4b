"""numpy IRLS Poisson GLM against statsmodels' GLM (the independent reference), to 1e-8."""

from __future__ import annotations

import numpy as np
import pytest

from planning.demand.forecast import design, fit_channel
from planning.demand.glm import fit_poisson, poisson_deviance
from planning.demand.synth import (
    Campaign,
    ChannelTruth,
    OrdersTruth,
    SynthParams,
    synthetic_history,
)

sm = pytest.importorskip("statsmodels.api")


def _history():
    from datetime import datetime

    p = SynthParams(start=datetime(2026, 3, 2), days=21, interval_minutes=60, seed=3,
                    campaigns=(Campaign("flash", datetime(2026, 3, 11, 20), 4),),
                    orders=OrdersTruth(per_day=5000, uplift={"flash": 2.0}, daily_cv=0.2),
                    channels={"voice": ChannelTruth(level=0.5, trend_per_year=0.4,
                                                    uplift={"flash": 1.5},
                                                    orders_elasticity=0.7,
                                                    intraday=tuple(range(1, 25)))})
    return synthetic_history(p)


def test_coefficients_match_statsmodels_glm():
    # Reference: statsmodels GLM(Poisson, log link) on the same design matrix.
    h = _history()
    d = design(h, "voice", ["flash"])
    y = h.channels["voice"].contacts
    ours = fit_poisson(d.X, y)
    ref = sm.GLM(y, d.X, family=sm.families.Poisson()).fit(tol=1e-14, maxiter=200)
    assert ours.converged
    np.testing.assert_allclose(ours.coef, ref.params, rtol=0, atol=1e-8)
    assert ours.deviance == pytest.approx(ref.deviance, rel=1e-10)
    assert ours.pearson_dispersion == pytest.approx(ref.pearson_chi2 / ref.df_resid, rel=1e-8)


def test_zero_weights_equal_dropping_rows():
    # Reference: statsmodels on the rows that are kept (a gap filled by the model).
    h = _history()
    d = design(h, "voice", ["flash"])
    y = h.channels["voice"].contacts
    keep = np.ones(len(y), dtype=bool)
    keep[100:130] = False
    ours = fit_poisson(d.X, np.where(keep, y, 0.0), weights=keep.astype(float))
    ref = sm.GLM(y[keep], d.X[keep], family=sm.families.Poisson()).fit(tol=1e-14, maxiter=200)
    np.testing.assert_allclose(ours.coef, ref.params, rtol=0, atol=1e-8)


def test_fit_channel_reports_the_glm_coefficients():
    # Reference: statsmodels on the design the forecaster builds for the whole history.
    h = _history()
    fit = fit_channel(h, "voice", h.n)
    d = design(h, "voice", ["flash"])
    ref = sm.GLM(h.channels["voice"].contacts, d.X, family=sm.families.Poisson()).fit(
        tol=1e-14, maxiter=200)
    got = np.array([fit.coef[n] for n in d.names])
    np.testing.assert_allclose(got, ref.params, rtol=0, atol=1e-8)


def test_deviance_closed_form():
    # Reference: hand-computed 2[y log(y/μ) − (y − μ)], with 0·log 0 = 0.
    y = np.array([0.0, 2.0, 5.0])
    mu = np.array([1.0, 2.0, 4.0])
    expected = 2 * ((0 - (0 - 1)) + 0 + (5 * np.log(5 / 4) - 1))
    assert poisson_deviance(y, mu) == pytest.approx(expected, rel=1e-14)
