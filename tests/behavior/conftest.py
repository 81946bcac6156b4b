import numpy as np
import pytest

from sim.behavior import SkillDistribution, draw_agents, draw_noise


@pytest.fixture(scope="session")
def team():
    """12 in-house agents and 16 common noise draws (fixed seeds: common random numbers)."""
    agents = draw_agents([("in_house", 12, SkillDistribution())], np.random.default_rng(1))
    noise = draw_noise(np.random.default_rng(2), 16, agents.n)
    return agents, noise
