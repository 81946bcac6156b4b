"""Demand composition (docs/demand.md) against hand-computed values."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pytest
from ruamel.yaml import YAML

from planning.demand.shapes import event_multiplier, intraday_shares, lagged_days, window_share
from scenarios.adapters.to_demand import arrival_rates, demand_scenarios, point_demand
from scenarios.reading.load import load_scenario

HEAD = """
name: t
horizon: {start: 2026-11-02T00:00, days: 3, interval_minutes: 60}
channels:
  voice: {kind: voice, handle_time: {dist: exponential, mean_s: 300}, after_contact_work_s: 10}
  chat: {kind: chat, handle_time: {dist: exponential, mean_s: 600}}
"""
COMPOSED = HEAD + """
demand:
  voice: {daily_volume: 4800, intraday: flat}
  chat: {rate_per_hour: 100, intraday: flat}   # flat: spreads lagged driver contacts
drivers:
  orders: {per_day: 24000, intraday: flat, before_start: [12000]}
  contacts_per_order: 0.02
  late_share: 0.1
  late_lag_days: 1
  contacts_per_late_order: 0.5
  after_sales: {contacts_per_order: 0.01, lag_days: {1: 1, 2: 1}}
  channel_split: {voice: 0.25, chat: 0.75}
events:
  - {name: rules, start: 2026-11-03T10:00, peak_minutes: 90, uplift: 2, channels: [voice],
     aht_factor: 1.2}
  - {name: flash, start: 2026-11-03T10:00, peak_minutes: 60, uplift: 3, applies_to: orders}
"""


def load(tmp_path, text: str):
    p = tmp_path / "s.yaml"
    p.write_text(text, encoding="utf-8")
    return load_scenario(p)


# --- pure shapes -------------------------------------------------------------------------

def test_intraday_resampling_by_integration():
    # Hand: 24 hourly weights, 12 × 1 then 12 × 3 (sum 48) → each half hour gets half.
    s = intraday_shares([1] * 12 + [3] * 12, 30)
    np.testing.assert_allclose(s, [1 / 96] * 24 + [3 / 96] * 24, rtol=1e-14)
    # 96 quarter-hour weights onto hours: four summed.
    s = intraday_shares(list(range(96)), 60)
    np.testing.assert_allclose(s, [(4 * h * 4 + 6) / 4560 for h in range(24)], rtol=1e-14)


def test_presale_event_shape_hand_computed():
    # "presale opens 20:00: ×6 for two hours, decaying to ×2 by midnight" on 30-min intervals.
    m = event_multiplier(20 * 60, 0, 120, 120, 6.0, 2.0, False, 48, 30)
    np.testing.assert_allclose(m[:40], 1.0)
    np.testing.assert_allclose(m[40:44], 6.0)
    # mean of 6 − 4y over each quarter of the decay: y = 0.125, 0.375, 0.625, 0.875
    np.testing.assert_allclose(m[44:48], [5.5, 4.5, 3.5, 2.5], rtol=1e-12)


def test_ramp_and_return_to_one():
    # Ramp 10:00-11:00 from 1 to 5: half-hour means 1 + 4·0.25 and 1 + 4·0.75; 30-min peak.
    m = event_multiplier(600, 60, 30, 0, 5.0, 1.0, False, 48, 30)
    np.testing.assert_allclose(m[20:24], [2.0, 4.0, 5.0, 1.0], rtol=1e-12)


def test_exponential_decay_against_the_integral():
    # Reference: exact mean of u·r^y over each interval, u (r^b − r^a) / (ln r · (b − a)).
    u, d = 6.0, 1.5
    m = event_multiplier(0, 0, 0, 120, u, d, True, 4, 30)
    r = d / u
    edges = np.linspace(0, 1, 5)
    exact = u * (r ** edges[1:] - r ** edges[:-1]) / (np.log(r) * 0.25)
    np.testing.assert_allclose(m, exact, rtol=2e-5)   # minute-midpoint rule


def test_window_share_and_lags():
    np.testing.assert_allclose(window_share(90, 60, 4, 60), [0, 0.5, 0.5, 0])
    # lag 1 and 2 with equal shares, one day before the horizon
    out = lagged_days(np.array([12.0]), np.array([24.0, 26.0, 30.0]), {1: 1, 2: 1})
    np.testing.assert_allclose(out, [6.0, 18.0, 25.0])


# --- composition in a scenario -------------------------------------------------------------

def test_existing_forms_unchanged(tmp_path):
    sc = load(tmp_path, HEAD + "demand:\n  voice: {rate_per_hour: 50}\n"
                              "  chat: {rates_per_hour: [" + ", ".join(["7"] * 72) + "]}\n")
    r = arrival_rates(sc)
    np.testing.assert_array_equal(r["voice"], np.full(72, 50.0))
    np.testing.assert_array_equal(r["chat"], np.full(72, 7.0))
    (only,) = demand_scenarios(sc)
    assert (only.name, only.probability) == ("point", 1.0)


def test_drivers_events_compose_hand_computed(tmp_path):
    # Hand computation in docs/demand.md terms (all per hour, 60-minute intervals):
    # day 0: base 200 + 0.02·0.25·1000 + 0.1·0.5·0.25·12000/24 + 0.01·0.25·(0.5·12000)/24
    r = arrival_rates(load(tmp_path, COMPOSED))
    v, c = r["voice"], r["chat"]
    assert v[0] == pytest.approx(200 + 5 + 6.25 + 0.625, rel=1e-12)
    assert c[0] == pytest.approx(100 + 15 + 18.75 + 1.875, rel=1e-12)
    # day 1: late = 0.0125·24000/24, after-sales = 0.0025·(0.5·24000 + 0.5·12000)/24
    assert v[24 + 9] == pytest.approx(200 + 5 + 12.5 + 1.875, rel=1e-12)
    # 10:00: orders ×3 (15 voice contacts from orders), contacts ×2 for voice only
    assert v[24 + 10] == pytest.approx((200 + 15 + 12.5 + 1.875) * 2, rel=1e-12)
    assert v[24 + 11] == pytest.approx((200 + 5 + 12.5 + 1.875) * 1.5, rel=1e-12)
    assert c[24 + 10] == pytest.approx(100 + 45 + 37.5 + 5.625, rel=1e-12)
    # day 2: day-1 orders 24000 + 2000 (the flash hour) → late 0.0125·26000/24,
    # after-sales 0.0025·(0.5·26000 + 0.5·24000)/24
    assert v[48 + 5] == pytest.approx(200 + 5 + 325 / 24 + 62.5 / 24, rel=1e-12)


def test_aht_during_events(tmp_path):
    (s,) = demand_scenarios(load(tmp_path, COMPOSED))
    # 300 s × 1.2 + 10 s at 10:00; half of 11:00 inside the 90-minute window: ×1.1
    assert s.aht_s["voice"][34] == pytest.approx(370.0)
    assert s.aht_s["voice"][35] == pytest.approx(340.0)
    assert s.aht_s["voice"][33] == pytest.approx(310.0)
    np.testing.assert_allclose(s.aht_s["chat"], 600.0)


def test_weekly_profile_and_date_override(tmp_path):
    sc = load(tmp_path, HEAD + """
demand:
  voice: {daily_volume: 7000, weekly: [2, 1, 1, 1, 1, 1, 0], intraday: flat,
          intraday_by_date: {2026-11-04: double11_midnight}}
  chat: {rate_per_hour: 1}
""")
    v = arrival_rates(sc)["voice"]
    # 2026-11-02 is a Monday: weights mean 1, factor 2 → 14000 per day, flat over 24 hours
    np.testing.assert_allclose(v[:24], 14000 / 24, rtol=1e-12)
    np.testing.assert_allclose(v[24:48], 7000 / 24, rtol=1e-12)
    text = resources.files("scenarios").joinpath("profiles/intraday.yaml").read_text("utf-8")
    w = np.array(YAML(typ="safe").load(text)["double11_midnight"], dtype=float)
    expected = 7000 * (w[0::2] + w[1::2]) / w.sum()     # half hours summed to hours
    np.testing.assert_allclose(v[48:], expected, rtol=1e-12)


def test_point_demand_parts(tmp_path):
    p = point_demand(load(tmp_path, COMPOSED))
    np.testing.assert_allclose(p.base["voice"], 200.0)
    assert p.orders.sum() == pytest.approx(3 * 24000 + 2000)
    np.testing.assert_allclose(p.rates("voice"), arrival_rates(load(tmp_path, COMPOSED))["voice"])


def test_bundled_examples_load():
    root = resources.files("scenarios").joinpath("examples")
    for name in ("promo_day.yaml", "steady_voice.yaml", "double11.yaml"):
        sc = load_scenario(str(root.joinpath(name)))
        r = arrival_rates(sc)
        assert all(len(x) == sc.horizon.n_intervals and (x >= 0).all() for x in r.values())


def test_orders_per_interval_and_driven_channel_without_base(tmp_path):
    # Hand: chat has no base; 0.1 contacts per order on per-interval orders 10, 20, 30...
    orders = ", ".join(str(10 * (i + 1)) for i in range(72))
    sc = load(tmp_path, HEAD + f"""
demand:
  voice: {{rate_per_hour: 5}}
drivers:
  orders: {{per_interval: [{orders}]}}
  contacts_per_order: {{chat: 0.1}}
""")
    r = arrival_rates(sc)
    np.testing.assert_allclose(r["chat"], [0.1 * 10 * (i + 1) for i in range(72)], rtol=1e-12)
    np.testing.assert_allclose(r["voice"], 5.0)
