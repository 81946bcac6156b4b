"""Heavy AHT weight vs heavy FCR weight (Holmström & Milgrom 1991 multitask distortion):
faster, lower FCR, more repeat contacts — and the "why" names the AHT item."""

import numpy as np
import pytest

from sim.behavior import SystemState, solve
from tests.behavior.payfns import Item, Scorecard

STATE = SystemState()
AHT_HEAVY = Scorecard([Item("aht_s", 0.40, 300, "lower"), Item("fcr", 0.10, 0.85),
                       Item("answered", 0.50, 1500)], pay_base=1000)
FCR_HEAVY = Scorecard([Item("aht_s", 0.10, 300, "lower"), Item("fcr", 0.40, 0.85),
                       Item("answered", 0.50, 1500)], pay_base=1000)


@pytest.fixture(scope="module")
def results(team):
    agents, noise = team
    return (solve(AHT_HEAVY, agents, STATE, noise), solve(FCR_HEAVY, agents, STATE, noise))


def test_aht_weight_makes_agents_rush(results):
    # Reference: direction from the multitask model; paired per agent (same agents, noise).
    aht, fcr = results
    assert np.all(aht.levers[:, 0] < fcr.levers[:, 0])
    assert np.all(aht.kpis["aht_s"] < fcr.kpis["aht_s"])
    assert np.all(aht.kpis["fcr"] < fcr.kpis["fcr"])
    assert np.all(aht.kpis["repeat_contacts"] > fcr.kpis["repeat_contacts"])


def test_why_attributes_rushing_to_the_aht_item(results):
    aht, fcr = results
    team = aht.why.team()["speed"]
    # slowing down loses pay mostly through the AHT item
    assert aht.why.main_component("speed") == "item:aht_s"
    assert team["item:aht_s"] < 0 and abs(team["item:aht_s"]) > abs(team["item:fcr"])
    assert abs(fcr.why.team()["speed"]["item:aht_s"]) < abs(team["item:aht_s"])


def test_first_order_condition_at_interior_optimum(results):
    # Reference: at an interior optimum marginal pay equals marginal effort cost.
    aht, _ = results
    w = aht.why
    interior = (aht.levers[:, 0] > 0.71) & (aht.levers[:, 0] < 1.19)
    assert interior.any()
    np.testing.assert_allclose(w.marginal_pay_total[interior, 0], w.marginal_cost[interior, 0],
                               rtol=0.1, atol=30.0)
