"""Equilibrium of a ranking scheme; the simulation-in-the-loop hook."""

from dataclasses import replace

import numpy as np
import pytest

from sim.behavior import (
    BehaviorParams,
    Evaluator,
    FlatPay,
    SolverSettings,
    SystemState,
    draw_agents,
    draw_noise,
    equilibrium,
    solve,
)
from sim.behavior.equilibrium import regret
from sim.behavior.params import SkillDistribution
from sim.behavior.rules_pay import RulesPay
from tests.behavior.payfns import Commission, Item, RankBonus, Scorecard

P, S = BehaviorParams(), SolverSettings()
RANKING = Scorecard([Item("answered", 0.5, 1500), Item("aht_s", 0.5, 300, "lower")],
                    top=(0.2, 800), bottom=(0.1, -500))


@pytest.mark.slow
def test_ranking_scheme_reaches_an_epsilon_equilibrium():
    # Reference: the definition — no agent gains more than regret_tol of its effort-cost
    # scale from its best response to the others at the reported levers (the regret is
    # recomputed here from the levers; tests/behavior/test_regret.py checks it against a
    # brute-force best response on whole team tables). A 48-agent team (managers compare
    # on 50-1,000; a 12-agent team can cycle, see test_rules_pay.py).
    agents = draw_agents([("in_house", 48, SkillDistribution())], np.random.default_rng(1))
    noise = draw_noise(np.random.default_rng(2), 16, agents.n)
    ev = Evaluator(RulesPay(_bundled_ranking()), agents, SystemState(), noise, P, S)
    eq = equilibrium(ev)
    assert eq.relative and eq.converged and eq.rounds < S.max_rounds
    gain, _ = regret(ev, eq.levers)
    scale = agents.cost_per_hour * SystemState().staffed_hours
    np.testing.assert_allclose(gain, eq.regret, rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(eq.regret_share, gain / scale)
    assert eq.max_regret_share <= S.regret_tol
    # a tournament pays for answered and speed: agents move off the natural point
    assert eq.levers[:, 0].mean() < 0.97 and eq.levers[:, 1].mean() > agents.availability.mean()


def _bundled_ranking():
    from pathlib import Path

    from ruamel.yaml import YAML

    from rules.schema import Policy

    path = Path(__file__).resolve().parents[2] / "rules/policies/forced_ranking_phase1.yaml"
    return Policy.model_validate(YAML(typ="safe").load(path.read_text()))


def test_rank_bonus_reports_its_regret(team):
    # Reference: the definition of converged (max regret share ≤ tolerance).
    agents, noise = team
    eq = equilibrium(Evaluator(RankBonus("answered", 0.25, 600.0), agents, SystemState(), noise,
                               P, S))
    assert eq.converged == (eq.max_regret_share <= S.regret_tol)
    assert eq.regret.shape == (agents.n,) and np.all(eq.regret >= 0)


def test_not_converged_is_reported_with_its_regret(team):
    # Reference: the definition of converged (max regret share ≤ tolerance): with two
    # rounds and a tolerance nobody meets, the iteration must say so and show the regret.
    agents, noise = team
    s = replace(S, max_rounds=2, regret_tol=1e-9)
    eq = equilibrium(Evaluator(RANKING, agents, SystemState(), noise, P, s))
    assert not eq.converged and eq.rounds == 2
    assert eq.max_regret > 0 and eq.max_regret_share == pytest.approx(
        float(np.max(eq.regret / (agents.cost_per_hour * 176.0))))


def test_absolute_scheme_needs_one_pass(team):
    agents, noise = team
    eq = equilibrium(Evaluator(Commission({"answered": 1.0}), agents, SystemState(), noise, P, S))
    assert (eq.rounds, eq.converged, eq.relative) == (1, True, False)


def test_flat_pay_is_the_natural_point(team):
    agents, noise = team
    r = solve(FlatPay(3000.0), agents, SystemState(), noise)
    np.testing.assert_array_equal(r.levers, agents.natural_levers())
    assert np.all(r.effort_cost == 0)
    for row in r.why.team().values():
        assert row["total"] == 0 and row["cost"] == 0


def test_simulation_in_the_loop_refreshes_the_state(team):
    # Reference: a fluid stand-in for the simulator written here — team occupancy =
    # offered work / ready capacity, with the offered load fixed: agents who speed up and
    # stay ready more lower the occupancy they face next round.
    agents, noise = team
    offered_per_hour = 9.0 * agents.n
    calls = []

    def update(levers):
        calls.append(levers.copy())
        h = 300.0 * agents.speed * levers[:, 0] / 3600.0
        capacity = np.sum(levers[:, 1] / h)                 # contacts per hour if always busy
        rho = min(offered_per_hour / capacity, 0.97)
        return SystemState(occupancy=float(rho), team_aht_s=float(np.mean(h) * 3600.0),
                           offered_per_ready_hour=offered_per_hour / levers[:, 1].sum())

    start = update(agents.natural_levers())
    calls.clear()
    r = solve(Commission({"answered": 1.5}), agents, start, noise, update_state=update,
              sim_rounds=3)
    assert len(calls) == 2 and len(r.states) == 3 and len(r.equilibria) == 3
    assert r.states[1].occupancy < start.occupancy          # faster, more available team
    assert r.state is r.states[-1]
    assert np.isfinite(r.sim_residual)


def test_per_agent_staffed_hours_equal_scalar(team):
    # Metamorphic: staffed hours given per agent (all equal) = the same scalar.
    agents, noise = team
    a = solve(RankBonus("answered", 0.25, 600.0), agents, SystemState(staffed_hours=150.0), noise)
    b = solve(RankBonus("answered", 0.25, 600.0), agents,
              SystemState(staffed_hours=np.full(agents.n, 150.0)), noise)
    np.testing.assert_allclose(a.levers, b.levers)
    np.testing.assert_allclose(a.effort_cost, b.effort_cost)
