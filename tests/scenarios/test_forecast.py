"""Fitting recovers the synthetic generator's known parameters (the reference is the truth
the history was drawn from); back-test definitions of docs/formats.md §5 recomputed by hand."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

from planning.demand.forecast import demand_section, forecast
from planning.demand.synth import (
    ECOMMERCE_WEEK,
    ORDINARY_DAY_48,
    Campaign,
    ChannelTruth,
    OrdersTruth,
    SynthParams,
    expected_contacts,
    synthetic_history,
)

# Tolerances: about 4 standard deviations of each estimate over 20 seeds of this design
# (measured: weekly sd 0.0035, busy-slot share sd < 3e-4, trend sd 0.07/yr, uplift sd 2.5%;
# orders elasticity sd 0.03, contacts per order sd 0.5%).
CAMPAIGNS = (Campaign("flash", datetime(2026, 1, 14, 20), 4),
             Campaign("flash", datetime(2026, 2, 4, 20), 4),
             Campaign("presale", datetime(2026, 2, 10, 20), 28))


@pytest.fixture(scope="module")
def profile_fit():
    p = SynthParams(start=datetime(2026, 1, 5), days=56, interval_minutes=30, seed=11,
                    campaigns=CAMPAIGNS,
                    channels={"voice": ChannelTruth(level=40, trend_per_year=0.5,
                                                    uplift={"flash": 2.0, "presale": 1.5})})
    return p, forecast(synthetic_history(p), 0).channels["voice"]


def test_recovers_weekly_profile(profile_fit):
    _, f = profile_fit
    w = np.array(ECOMMERCE_WEEK) / np.mean(ECOMMERCE_WEEK)
    np.testing.assert_allclose(f.weekly, w, atol=0.015)


def test_recovers_intraday_profile(profile_fit):
    _, f = profile_fit
    s = np.array(ORDINARY_DAY_48) / np.sum(ORDINARY_DAY_48)
    np.testing.assert_allclose(f.intraday, s, atol=0.0015)
    assert sum(f.intraday) == pytest.approx(1.0, abs=1e-12)


def test_recovers_trend_and_event_uplifts(profile_fit):
    _, f = profile_fit
    assert f.trend_per_year == pytest.approx(0.5, abs=0.3)
    assert f.event_uplifts["flash"] == pytest.approx(2.0, rel=0.1)
    assert f.event_uplifts["presale"] == pytest.approx(1.5, rel=0.08)
    assert f.pearson_dispersion == pytest.approx(1.0, abs=0.1)   # Poisson noise


def test_typical_week_matches_the_truth(profile_fit):
    # Reference: the generator's expected daily volume at the end of the history, no events.
    p, f = profile_fit
    truth = 40 * 48 * np.exp(0.5 * 56 / 365.25)   # level × slots × trend at the fit's end
    assert f.typical_week["daily_volume"] == pytest.approx(truth, rel=0.08)
    np.testing.assert_allclose(f.typical_week["weekly"], f.weekly, atol=1e-9)


def test_recovers_contacts_per_order_and_elasticity():
    p = SynthParams(start=datetime(2026, 1, 5), days=28, interval_minutes=30, seed=5,
                    campaigns=(CAMPAIGNS[0],),
                    orders=OrdersTruth(per_day=30000, uplift={"flash": 3.0}, daily_cv=0.3),
                    channels={"chat": ChannelTruth(level=0.05, weekly=(1,) * 7,
                                                   intraday=(1,) * 48, orders_elasticity=1.0)})
    f = forecast(synthetic_history(p), 0).channels["chat"]
    assert f.orders_elasticity == pytest.approx(1.0, abs=0.12)
    # contacts = 0.05 × (1 + orders): per order ≈ 0.05 (orders are hundreds per interval)
    assert f.contacts_per_order == pytest.approx(0.05, rel=0.025)
    assert f.event_uplifts["flash"] == pytest.approx(1.0, abs=0.2)   # no uplift beyond orders


def test_backtest_wape_and_bias_definitions():
    p = SynthParams(start=datetime(2026, 1, 5), days=35, interval_minutes=60, seed=2,
                    campaigns=CAMPAIGNS[:2],
                    channels={"voice": ChannelTruth(level=30, uplift={"flash": 2.0}),
                              "chat": ChannelTruth(level=50, uplift={"flash": 1.5})})
    h = synthetic_history(p)
    res = forecast(h, 7)
    n_fit = res.n_fit
    assert n_fit == 28 * 24 and res.n_holdout == 7 * 24
    a = np.concatenate([h.channels[c].contacts[n_fit:] for c in ("voice", "chat")])
    fc = np.concatenate([res.channels[c].forecast for c in ("voice", "chat")])
    assert res.backtest["wape"] == pytest.approx(np.abs(a - fc).sum() / a.sum(), rel=1e-12)
    assert res.backtest["bias"] == pytest.approx((fc - a).sum() / a.sum(), rel=1e-12)
    assert res.backtest["holdout_days"] == 7
    # Reference: the generator's own means give the Poisson noise floor; the fit is close.
    mu = expected_contacts(p, None)
    floor = np.abs(a - np.concatenate([mu[c][n_fit:] for c in ("voice", "chat")])).sum() / a.sum()
    assert res.backtest["wape"] < floor * 1.1
    assert abs(res.backtest["bias"]) < 0.03


def test_demand_section_loads_as_a_scenario(tmp_path):
    # The written fragment + a scenario header validates and reproduces the typical week.
    from scenarios.adapters.to_demand import arrival_rates
    from scenarios.reading.load import load_scenario
    from scenarios.writing.demand_io import demand_yaml_text

    p = SynthParams(start=datetime(2026, 1, 5), days=21, interval_minutes=30, seed=4,
                    campaigns=(Campaign("flash", datetime(2026, 1, 10, 20), 4),
                               Campaign("flash", datetime(2026, 1, 24, 20), 4)),
                    channels={"voice": ChannelTruth(level=20, uplift={"flash": 2.0})})
    h = synthetic_history(p)
    res = forecast(h, 2)
    text = demand_yaml_text(demand_section(h, res), "fitted")
    head = ("name: fitted\nhorizon: {start: 2026-01-24T00:00, days: 2, interval_minutes: 30}\n"
            "channels:\n  voice: {handle_time: {dist: exponential, mean_s: 240}}\n")
    path = tmp_path / "s.yaml"
    path.write_text(head + text, encoding="utf-8")
    sc = load_scenario(path)
    rates = arrival_rates(sc)["voice"] * 0.5          # contacts per 30-minute interval
    f = res.channels["voice"]
    ev = f.event_uplifts["flash"]
    # Reference: the GLM forecast for the holdout (same calendar and event uplift) with its
    # trend held at the forecast start, as the profile form does; YAML rounding < 1e-3.
    tau = np.arange(96) * 30 / (1440 * 365.25)
    np.testing.assert_allclose(rates, f.forecast * np.exp(-f.trend_per_year * tau), rtol=1e-3)
    (e,) = sc.events
    assert (e.name, e.start, e.peak_minutes) == ("flash", datetime(2026, 1, 24, 20), 240)
    assert e.uplift == pytest.approx(ev, abs=1e-4)
