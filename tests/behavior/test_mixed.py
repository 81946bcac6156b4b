"""Mixed equilibria of small tournaments (sim/behavior/mixed.py), checked by brute force.

Reference: whole team tables paid by the rules engine (tests/behavior/test_regret.py's
``_brute_values``: agent i's row at a candidate with its own draw r1, the others' rows at a
pure profile with draw r2, every pairing, ``rules.pay`` ranking the whole table), once per
pure profile of the mixers, averaged with the profile's probability (product of the
mixers' independent probabilities) — no use of the solver's band-edge arithmetic or of
its weighted fields.
"""

import itertools

import numpy as np
import pytest

from sim.behavior import (
    BehaviorParams,
    Evaluator,
    SkillDistribution,
    SolverSettings,
    SystemState,
    draw_agents,
    draw_noise,
    equilibrium,
)
from sim.behavior.equilibrium import cost_scale
from sim.behavior.mixed import Mixture, mixed_regret, profiles_of
from sim.behavior.response import active_levers
from sim.behavior.rules_pay import RulesPay
from tests.behavior.test_regret import _brute_values, _policy

P, STATE = BehaviorParams(), SystemState()


def _brute_mixed(fn, agents, noise, mix, i, cand):
    """E[pay] − cost of agent i at each candidate (K, 4) against the mixture, by brute
    force over the 2^m pure profiles; and the expected value of i's own play."""
    at_cand = np.zeros(len(cand))
    own = 0.0
    for bits in itertools.product((0, 1), repeat=len(mix.mixers)):
        lv = mix.levers.copy()
        w = 1.0
        for k, b in enumerate(bits):
            lv[mix.mixers[k]] = mix.support[k, b]
            w *= mix.prob[k] if b == 0 else 1.0 - mix.prob[k]
        vals = _brute_values(fn, agents, noise, lv, i, np.vstack([cand, lv[i][None]]))
        at_cand += w * vals[:-1]
        own += w * vals[-1]
    return at_cand, own


def test_mixed_regret_equals_brute_force_on_a_tiny_team():
    # A 5-agent team, two agents mixing between two lever points (probabilities 0.3 and
    # 0.65): each agent's expected value of its own play, the value of the solver's best
    # response to the mixture, and the reported gain equal brute force; no point of a dense
    # grid beats that best response against the mixture.
    agents = draw_agents([("in_house", 5, SkillDistribution())], np.random.default_rng(4))
    noise = draw_noise(np.random.default_rng(5), 4, agents.n)
    fn = RulesPay(_policy())
    ev = Evaluator(fn, agents, STATE, noise, P, SolverSettings(noise_draws=4))
    b = P.bounds()
    levers = agents.natural_levers()
    levers[:, :3] = [0.85, 0.92, 0.2]
    support = np.array([[[0.75, 0.97, 0.1, 0.0], [1.0, 0.85, 0.25, 0.0]],
                        [[0.8, 0.95, 0.15, 0.0], [0.95, 0.88, 0.25, 0.0]]])
    levers[[1, 3]] = support[:, 0]          # a mixer's row: its first point (the convention)
    mix = Mixture(levers, np.array([1, 3]), support, np.array([0.3, 0.65]))
    act = active_levers(ev, levers)
    gain, br = mixed_regret(ev, mix, act)
    pr = profiles_of(ev, mix)
    value = pr.weights(mix.prob) @ pr.own
    grid = np.stack(np.meshgrid(np.linspace(*b[0], 8), np.linspace(*b[1], 6),
                                np.linspace(*b[2], 5), [0.0], indexing="ij"), -1).reshape(-1, 4)
    assert gain.max() > 0
    for i in range(agents.n):
        (at_br,), own = _brute_mixed(fn, agents, noise, mix, i, br[i][None])
        assert value[i] == pytest.approx(own, rel=1e-9, abs=1e-6)
        assert gain[i] == pytest.approx(max(at_br - own, 0.0), rel=1e-9, abs=1e-6)
        dense, _ = _brute_mixed(fn, agents, noise, mix, i, grid)
        assert dense.max() <= at_br + 1e-6, (i, dense.max(), at_br)


def test_a_cycling_small_team_reaches_a_mixed_equilibrium():
    # A 12-agent team whose pure best-response play cycles under the bundled forced
    # ranking (3 top places: a marginal agent competes when another gives up and vice
    # versa). The solver reports a mixed equilibrium: for every agent the reported gain
    # of its best response over the expected pay of its own play against the mixture is
    # the brute-force one, and within the tolerance; each mixer that randomises is close
    # to indifferent between its two points (brute force; the solver sets the
    # probabilities for that, mixed.solve_restricted).
    agents = draw_agents([("in_house", 12, SkillDistribution())], np.random.default_rng(7))
    noise = draw_noise(np.random.default_rng(8), 16, agents.n)
    fn = RulesPay(_policy())
    s = SolverSettings()
    ev = Evaluator(fn, agents, STATE, noise, P, s)
    eq = equilibrium(ev)
    assert eq.mixed and eq.converged and eq.max_regret_share <= s.regret_tol
    mix = eq.mixture
    assert np.any((mix.prob > 0.01) & (mix.prob < 0.99))
    np.testing.assert_allclose(eq.levers, mix.mean_levers())
    gain, br = mixed_regret(ev, mix, active_levers(ev, mix.levers))
    np.testing.assert_allclose(gain, eq.regret, rtol=1e-9, atol=1e-6)
    scale = cost_scale(ev)
    for i in range(agents.n):
        (at_br,), own = _brute_mixed(fn, agents, noise, mix, i, br[i][None])
        assert eq.regret[i] == pytest.approx(max(at_br - own, 0.0), rel=1e-9, abs=1e-6)
        assert (at_br - own) / scale[i] <= s.regret_tol
    for k, j in enumerate(mix.mixers):
        if 0.01 < mix.prob[k] < 0.99:
            (ua, ub), _ = _brute_mixed(fn, agents, noise, mix, j, mix.support[k])
            assert abs(ua - ub) / scale[j] <= 2 * s.regret_tol, (j, ua, ub)
