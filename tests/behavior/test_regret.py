"""The regret an equilibrium reports is the gain of an exact best response, checked by
brute force; and the ranking's linear-time deviation pay equals whole-team pay.

Reference: brute force on whole team tables — for every candidate on a dense lever grid,
agent i's row at the candidate with its own noise draw r1, the others' rows at their levers
with draw r2, every (r1, r2) pairing, each table paid by the rules engine as a team
(``RulesPay.__call__`` → ``rules.pay`` ranks the whole table) — no use of the solver's
band-edge arithmetic (sim/behavior/tournament.py).
"""

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from ruamel.yaml import YAML

from rules.schema import Policy
from sim.behavior import (
    BehaviorParams,
    Evaluator,
    SkillDistribution,
    SolverSettings,
    SystemState,
    draw_agents,
    draw_noise,
    effort_cost,
    equilibrium,
    noisy_kpis,
)
from sim.behavior.rules_pay import RulesPay

ROOT = Path(__file__).resolve().parents[2]
P, STATE = BehaviorParams(), SystemState()


def _policy(**changes) -> Policy:
    doc = YAML(typ="safe").load((ROOT / "rules/policies/forced_ranking_phase1.yaml").read_text())
    doc.update(changes)
    return Policy.model_validate(doc)


def _team(n: int, r: int, seed: int = 4):
    agents = draw_agents([("in_house", n, SkillDistribution())], np.random.default_rng(seed))
    return agents, draw_noise(np.random.default_rng(seed + 1), r, n)


def _brute_values(fn, agents, noise, current, i, cand):
    """E[pay] − cost of agent i at each candidate (K, 4), whole-team tables."""
    r = noise.shape[0]
    others = noisy_kpis(agents, current, STATE, noise, P)                  # (R, n)
    levers = np.repeat(current[:, None, :], len(cand), axis=1)
    levers[i] = cand
    mine = noisy_kpis(agents, levers, STATE, noise, P)                     # (R, n, K)
    k = len(cand)
    table = {}
    for name, col in others.items():
        t = np.broadcast_to(col[None, :, None, :], (r, r, k, agents.n)).copy()  # r1,r2,K,n
        t[:, :, :, i] = mine[name][:, i, :][:, None, :]
        table[name] = t.reshape(r * r * k, agents.n)
    table["agent_id"] = np.broadcast_to(agents.agent_id, (r * r * k, agents.n))
    table["pool"] = np.broadcast_to(agents.pool, (r * r * k, agents.n))
    pay = fn(table).total[:, i].reshape(r, r, k).mean(axis=(0, 1))
    return pay - effort_cost(agents, levers, STATE.staffed_hours, P)[i]


def test_deviation_pay_equals_whole_team_pay_with_ties_and_cap():
    # ties: a low scorecard cap makes many scores equal (the band edge is shared);
    # cap_total makes pay non-linear in the band pay — both through rules.pay as a team
    agents, noise = _team(6, 4)
    rng = np.random.default_rng(0)
    current = agents.natural_levers() + rng.normal(0, 0.04, (agents.n, 4))
    current[:, 3] = 0.0
    cand = np.repeat(current[:, None, :], 6, axis=1) + rng.normal(0, 0.06, (agents.n, 6, 4))
    cand[..., 3] = 0.0
    cand = np.clip(cand, P.bounds()[:, 0], P.bounds()[:, 1])
    card = {"pay_base": 1000, "floor": 0.5, "cap": 1.02, "items": [
        {"metric": "answer_rate", "weight": 0.5, "target": 0.5},
        {"metric": "answered", "weight": 0.5, "target": 1200}]}
    for ties in ("split", "all"):
        pol = _policy(scorecard=card, cap_total=1200,
                      ranking={"by": "score", "ties": ties,
                               "bands": [{"top": 0.34, "pay": 800},
                                         {"bottom": 0.2, "pay": -500}]})
        fn = RulesPay(pol)
        got, _ = Evaluator(fn, agents, STATE, noise, P, SolverSettings()).pay(current, cand)
        cost = effort_cost(agents, cand, STATE.staffed_hours, P)
        for i in range(agents.n):
            want = _brute_values(fn, agents, noise, current, i, cand[i]) + cost[i]
            np.testing.assert_allclose(got[i], want, rtol=1e-10, atol=1e-8)


def test_reported_regret_equals_brute_force_best_response():
    # A 5-agent team after four rounds of the iteration (regret left to find). For each
    # agent: the gain the solver reports = the brute-force value of its best response
    # minus the brute-force value of its levers (both whole-team tables), and no point of
    # a dense grid does better than that best response.
    from sim.behavior.equilibrium import regret

    agents, noise = _team(5, 4)
    fn = RulesPay(_policy())
    s = replace(SolverSettings(noise_draws=4), max_rounds=4)
    ev = Evaluator(fn, agents, STATE, noise, P, s)
    eq = equilibrium(ev)
    gain, br = regret(ev, eq.levers)
    np.testing.assert_allclose(gain, eq.regret)
    b = P.bounds()
    grid = np.stack(np.meshgrid(np.linspace(*b[0], 13), np.linspace(*b[1], 10),
                                np.linspace(*b[2], 6), [0.0], indexing="ij"), -1).reshape(-1, 4)
    assert eq.max_regret > 0
    for i in range(agents.n):
        here, at_br = _brute_values(fn, agents, noise, eq.levers, i,
                                    np.stack([eq.levers[i], br[i]]))
        assert eq.regret[i] == pytest.approx(max(at_br - here, 0.0), rel=1e-9, abs=1e-6)
        dense = _brute_values(fn, agents, noise, eq.levers, i, grid).max()
        assert dense <= at_br + 1e-6, (i, dense, at_br)
    assert eq.converged == (eq.max_regret_share <= s.regret_tol)


def test_pay_against_a_mixture_of_profiles_equals_whole_team_pay():
    # Reference: brute force as above, once per profile of the others (whole-team tables
    # paid by rules.pay, every own × others' draw pairing), averaged with the profiles'
    # probabilities — against the solver's weighted field (tournament.mix_fields, used by
    # the mean-field play and by mixed profiles). With ties (scorecard cap) and cap_total
    # (the per-pairing path) and without (the sorted-edges path).
    from sim.behavior.tournament import mix_fields

    agents, noise = _team(6, 4)
    rng = np.random.default_rng(3)
    b = P.bounds()

    def profile():
        lv = agents.natural_levers() + rng.normal(0, 0.05, (agents.n, 4))
        lv[:, 3] = 0.0
        return np.clip(lv, b[:, 0], b[:, 1])

    a, c = profile(), profile()
    cand = np.clip(np.repeat(a[:, None, :], 5, axis=1) + rng.normal(0, 0.06, (agents.n, 5, 4)),
                   b[:, 0], b[:, 1])
    cand[..., 3] = 0.0
    card = {"pay_base": 1000, "floor": 0.5, "cap": 1.02, "items": [
        {"metric": "answer_rate", "weight": 0.5, "target": 0.5},
        {"metric": "answered", "weight": 0.5, "target": 1200}]}
    for changes in ({}, {"scorecard": card, "cap_total": 1200}):
        fn = RulesPay(_policy(**changes))
        ev = Evaluator(fn, agents, STATE, noise, P, SolverSettings())
        fld = mix_fields([(0.3, ev.field(a)), (0.7, ev.field(c))])
        got, _ = ev.pay(a, cand, fld)
        cost = effort_cost(agents, cand, STATE.staffed_hours, P)
        for i in range(agents.n):
            want = (0.3 * _brute_values(fn, agents, noise, a, i, cand[i])
                    + 0.7 * _brute_values(fn, agents, noise, c, i, cand[i])) + cost[i]
            np.testing.assert_allclose(got[i], want, rtol=1e-10, atol=1e-8)


def test_a_200_agent_team_reaches_a_certified_equilibrium():
    # Reference: brute force on whole team tables (as above: the agent's row at its levers
    # or at its reported best response, the 199 others at theirs, every own × others' draw
    # pairing, paid by rules.pay as one team) for the agents with the largest reported
    # regret and a few others: the reported gain is the brute-force gain and stays within
    # the tolerance. 200 agents: basin changes are capped at a share of the team per round
    # (docs/behavior.md), so the play settles in a few rounds where moving one agent at a
    # time could not.
    from sim.behavior.equilibrium import cost_scale, regret

    agents, noise = _team(200, 16, seed=1)
    fn = RulesPay(_policy())
    ev = Evaluator(fn, agents, STATE, noise, P, SolverSettings())
    eq = equilibrium(ev)
    assert eq.converged and eq.max_regret_share <= 0.02
    gain, br = regret(ev, eq.levers)
    np.testing.assert_allclose(gain, eq.regret, rtol=1e-9, atol=1e-6)
    scale = cost_scale(ev)
    check = list(np.argsort(-eq.regret)[:3]) + [0, 77, 150]
    for i in check:
        here, at_br = _brute_values(fn, agents, noise, eq.levers, i,
                                    np.stack([eq.levers[i], br[i]]))
        assert eq.regret[i] == pytest.approx(max(at_br - here, 0.0), rel=1e-9, abs=1e-6)
        assert (at_br - here) / scale[i] <= 0.02
    # the tournament moves the team off the natural point (faster, more available)
    assert eq.levers[:, 0].mean() < 0.95 and eq.levers[:, 1].mean() > agents.availability.mean()
