"""Behaviour solving speed: the batched rules adapter vs calling rules.pay team by team.

Run: python benchmarks/behavior_solve.py  (from the repository root)
Prints the time of a full equilibrium solve of the bundled forced-ranking policy for a
team of 30 in-house agents, and, on one best-response evaluation of 20 candidates per
agent, the ratio batched / per-team loop (the baseline measured in the same run).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ruamel.yaml import YAML  # noqa: E402

from sim.behavior import (  # noqa: E402
    BehaviorParams,
    Evaluator,
    SkillDistribution,
    SolverSettings,
    SystemState,
    draw_agents,
    draw_noise,
    solve,
)
from sim.behavior.rules_pay import RulesPay  # noqa: E402


class PerTeam(RulesPay):
    batched = False


def main() -> None:
    import rules.pay
    from rules.schema import Policy

    path = Path(rules.pay.__file__).parent / "policies" / "forced_ranking_phase1.yaml"
    policy = Policy.model_validate(YAML(typ="safe").load(path.read_text("utf-8")))
    agents = draw_agents([("in_house", 30, SkillDistribution())], np.random.default_rng(1))
    noise = draw_noise(np.random.default_rng(2), 16, agents.n)
    state = SystemState()
    t = time.perf_counter()
    r = solve(RulesPay(policy), agents, state, noise)
    solve_s = time.perf_counter() - t
    eq = r.equilibria[0]
    print(f"equilibrium, 30 agents x 16 noise draws: {solve_s:.1f} s, {eq.rounds} rounds, "
          f"residual {eq.residual:.3f}, converged {eq.converged}")
    lv = agents.natural_levers()
    cand = np.repeat(lv[:, None, :], 20, axis=1)
    cand[:, :, 0] = np.linspace(0.7, 1.2, 20)
    p, s = BehaviorParams(), SolverSettings()
    times = {}
    for name, fn in (("batched", RulesPay(policy)), ("per-team loop", PerTeam(policy))):
        t = time.perf_counter()
        Evaluator(fn, agents, state, noise, p, s).pay(lv, cand)
        times[name] = time.perf_counter() - t
    print(f"one evaluation (30 agents x 20 candidates x 16 draws = 9600 team tables): "
          f"batched {times['batched']:.2f} s, per-team loop {times['per-team loop']:.2f} s, "
          f"speed-up x{times['per-team loop'] / times['batched']:.0f}")


if __name__ == "__main__":
    main()
