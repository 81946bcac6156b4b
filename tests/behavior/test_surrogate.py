"""KPI surrogate: conservation laws, limits and the noise model."""

import numpy as np
import pytest

from sim.behavior import (
    KPI_NAMES,
    BehaviorParams,
    SkillDistribution,
    SystemState,
    draw_agents,
    draw_noise,
    expected_kpis,
    noisy_kpis,
)

P = BehaviorParams()


@pytest.fixture(scope="module")
def agents():
    return draw_agents([("in_house", 6, SkillDistribution()),
                        ("outsourced", 4, SkillDistribution(fcr_mean=0.72))],
                       np.random.default_rng(11))


def _grid(agents, k=40, seed=3):
    rng = np.random.default_rng(seed)
    b = P.bounds()
    return rng.uniform(b[:, 0], b[:, 1], size=(agents.n, k, 4))


def test_time_budget_and_identities(agents):
    # Reference: conservation of the agent's ready time — inbound handling plus outbound work
    # cannot exceed T·a; identities of the catalogue (service_volume = answered + outbound).
    st = SystemState(staffed_hours=160.0)
    lv = _grid(agents)
    k = expected_kpis(agents, lv, st, P)
    assert set(k) == set(KPI_NAMES)
    c = st.outbound_connect_rate
    speed = agents.speed[:, None]
    t_out = c * P.outbound_talk_s * speed * lv[..., 0] + (1 - c) * P.dial_s
    busy_s = k["answered"] * k["aht_s"] + k["outbound_calls"] * t_out
    assert np.all(busy_s <= 160.0 * lv[..., 1] * 3600 * (1 + 1e-12))
    np.testing.assert_allclose(k["service_volume"], k["answered"] + k["outbound_calls"])
    np.testing.assert_allclose(k["aht_s"], st.base_aht_s * speed * lv[..., 0])
    assert np.all((k["answer_rate"] >= 0) & (k["answer_rate"] <= 1))
    assert np.all((k["fcr"] >= 0) & (k["fcr"] <= 1))


def test_busy_limit_at_full_occupancy(agents):
    # Reference: closed-form limit — as ν → ∞ an agent with no outbound work is always busy:
    # answered → T·a·3600 / h.
    p = BehaviorParams(occupancy_cap=1 - 1e-9)
    st = SystemState(occupancy=1 - 1e-9, staffed_hours=100.0)
    lv = agents.natural_levers()
    lv[:, 2] = 0.0
    k = expected_kpis(agents, lv, st, p)
    h = st.base_aht_s * agents.speed
    np.testing.assert_allclose(k["answered"], 100.0 * lv[:, 1] * 3600 / h, rtol=1e-6)
    assert np.all(k["outbound_calls"] == 0)


def test_rushing_trades_quality_for_volume(agents):
    # Reference: docs/behavior.md directions (s < 1: FCR, QA, satisfaction ↓; complaints,
    # repeat contacts ↑; answered ↑) and the FCR formula by hand at s = 0.8.
    st = SystemState()
    nat = agents.natural_levers()
    rush = nat.copy()
    rush[:, 0] = 0.8
    a, b = expected_kpis(agents, nat, st, P), expected_kpis(agents, rush, st, P)
    np.testing.assert_allclose(b["fcr"], agents.fcr * (1 - P.rush_fcr * 0.2))
    for up in ("answered", "repeat_contacts", "complaints"):
        assert np.all(b[up] > a[up]), up
    for down in ("fcr", "qa_score", "satisfaction", "aht_s"):
        assert np.all(b[down] < a[down]), down


def test_sales_push_raises_conversion_and_returns(agents):
    st = SystemState()
    nat = agents.natural_levers()
    push = nat.copy()
    push[:, 3] = 1.0
    a, b = expected_kpis(agents, nat, st, P), expected_kpis(agents, push, st, P)
    np.testing.assert_allclose(b["conversion_rate"],
                               np.minimum(agents.sales * (1 + P.push_conversion), P.conversion_max))
    assert np.all(b["return_rate"] > a["return_rate"])


def test_noise_is_centred_on_the_expectation(agents):
    # Reference: the law of large numbers — mean of noisy counts over 4000 draws equals the
    # expected count within 4 standard errors (sd of a count ≈ sqrt(E + (cv E)²)).
    st = SystemState()
    lv = agents.natural_levers()
    z = draw_noise(np.random.default_rng(5), 4000, agents.n)
    e = expected_kpis(agents, lv, st, P)
    nz = noisy_kpis(agents, lv, st, z, P)
    for name in ("answered", "outbound_calls", "named_good_reviews"):
        sd = np.sqrt(e[name] + (P.volume_shock_cv * e[name]) ** 2)
        assert np.all(np.abs(nz[name].mean(axis=0) - e[name]) < 4 * sd / np.sqrt(4000)), name
    assert nz["answered"].shape == (4000, agents.n)


def test_same_seed_same_agents():
    d = [("in_house", 5, SkillDistribution())]
    a = draw_agents(d, np.random.default_rng(9))
    b = draw_agents(d, np.random.default_rng(9))
    np.testing.assert_array_equal(a.speed, b.speed)
    np.testing.assert_array_equal(a.cost_per_hour, b.cost_per_hour)
    assert np.mean(draw_agents([("in_house", 4000, SkillDistribution())],
                               np.random.default_rng(1)).speed) == pytest.approx(1.0, abs=0.01)
