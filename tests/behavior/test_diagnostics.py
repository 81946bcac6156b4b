"""Pay distribution and ranking-noise diagnostics against hand-computed values."""

import numpy as np
import pytest

from sim.behavior import bottom_band, gini, pay_distribution, ranking_noise


def test_gini_hand_values():
    # Reference: Gini = Σ_i Σ_j |x_i − x_j| / (2 n² mean).
    assert gini(np.array([5.0, 5.0, 5.0])) == 0.0
    assert gini(np.array([0.0, 0.0, 0.0, 1.0])) == pytest.approx(0.75)
    x = np.array([1.0, 2.0, 3.0, 10.0])
    want = np.abs(x[:, None] - x[None]).sum() / (2 * len(x) ** 2 * x.mean())
    assert gini(x) == pytest.approx(want)


def test_pay_distribution_matches_numpy():
    x = np.arange(1.0, 101.0)
    d = pay_distribution(x)
    assert (d.mean, d.p10, d.p50, d.p90) == pytest.approx((50.5, 10.9, 50.5, 90.1))


def test_bottom_band_size_is_ceil():
    band = bottom_band(np.array([[5.0, 1.0, 3.0, 2.0, 4.0]]), 0.3)   # ceil(1.5) = 2
    assert band.tolist() == [[False, True, False, True, False]]


def test_pay_equal_to_skill_is_noise_free():
    skill = np.arange(10.0)
    rn = ranking_noise(skill, np.tile(skill * 100, (5, 1)), bottom=0.2)
    assert rn.skill_pay_rank_corr == pytest.approx(1.0)
    assert rn.bottom_below_median == 1.0 and rn.bottom_repeat == 1.0
    assert rn.bottom_share == pytest.approx(0.2)


def test_hand_computed_repeat_rate():
    # 3 replications, 4 agents, bottom 25% = 1 agent: bottoms are agents 0, 0, 1.
    # Ordered pairs of distinct replications with the same bottom agent: (1,2),(2,1) = 2;
    # over 3 × 2 = 6 ordered pairs → 1/3. Agent 0 and 1 both below the median skill.
    pay = np.array([[1.0, 2, 3, 4], [1.0, 5, 3, 4], [5.0, 1, 3, 4]])
    rn = ranking_noise(np.array([0.0, 1, 2, 3]), pay, bottom=0.25)
    assert rn.bottom_repeat == pytest.approx(1 / 3)
    assert rn.bottom_below_median == 1.0


def test_pure_noise_ranking():
    # Reference: with pay independent of skill, the rank correlation is ≈ 0 and the chance of
    # landing in the bottom band again is ≈ the band's share (statistical, 400 replications).
    rng = np.random.default_rng(7)
    skill = rng.normal(size=20)
    rn = ranking_noise(skill, rng.normal(size=(400, 20)), bottom=0.1)
    assert abs(rn.skill_pay_rank_corr) < 0.05
    assert rn.bottom_repeat == pytest.approx(0.1, abs=0.02)
    assert rn.bottom_below_median == pytest.approx(0.5, abs=0.06)


def test_scheme_diagnostics_noise_free_and_noisy(team):
    # Reference: without noise every draw pays the true standing (rank correlation 1, the
    # same bottom band every time); with count noise a forced ranking reshuffles agents
    # whose skills are close, so the correlation drops below 1 but stays positive.
    from sim.behavior import NOISE_CHANNELS, SystemState, scheme_diagnostics
    from tests.behavior.payfns import Item, Scorecard

    agents, noise = team
    pay = Scorecard([Item("answered", 1.0, 1200)], top=(0.25, 500), bottom=(0.25, -500))
    lv = agents.natural_levers()
    quiet = scheme_diagnostics(pay, agents, lv, SystemState(),
                               np.zeros((5, agents.n, len(NOISE_CHANNELS))), bottom=0.25)
    assert quiet.ranking.skill_pay_rank_corr == pytest.approx(1.0)
    assert quiet.ranking.bottom_repeat == 1.0
    np.testing.assert_allclose(quiet.realised_pay, np.tile(quiet.true_standing, (5, 1)))
    loud = scheme_diagnostics(pay, agents, lv, SystemState(), noise * 4, bottom=0.25)
    assert 0 < loud.ranking.skill_pay_rank_corr < 1
    assert 0.25 < loud.ranking.bottom_repeat < 1
    assert loud.pay.p10 <= loud.pay.p50 <= loud.pay.p90


def test_state_from_totals_hand_values():
    from sim.behavior import state_from_totals

    st = state_from_totals(ready_s=36000.0, inbound_busy_s=30600.0, answered=102.0,
                           offered=110.0, outbound_calls=40.0, outbound_connects=24.0,
                           staffed_s=np.array([14400.0, 28800.0]), base_aht_s=300.0)
    assert st.occupancy == pytest.approx(0.85)
    assert st.team_aht_s == pytest.approx(300.0)
    assert st.offered_per_ready_hour == pytest.approx(11.0)
    assert st.outbound_connect_rate == pytest.approx(0.6)
    np.testing.assert_allclose(st.staffed_hours, [4.0, 8.0])
