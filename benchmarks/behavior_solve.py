"""Behaviour solve of the bundled forced ranking: speed, and how the answer moves with the
remaining tuning knob (the number of count-noise draws R).

Run: python benchmarks/behavior_solve.py [--agents 48] [--draws 8 16 32]  (repo root)
Prints, per R: solve time, equilibrium rounds, converged, the certified max regret (money
and share of the effort-cost scale) and the team's mean levers — the sensitivity line:
the levers should move by much less than the policy moves them from the natural point.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ruamel.yaml import YAML  # noqa: E402

from sim.behavior import (  # noqa: E402
    Evaluator,
    SkillDistribution,
    SolverSettings,
    SystemState,
    draw_agents,
    draw_noise,
    equilibrium,
)
from sim.behavior.params import BehaviorParams  # noqa: E402
from sim.behavior.rules_pay import RulesPay  # noqa: E402


def main() -> None:
    from rules.schema import Policy

    ap = argparse.ArgumentParser()
    ap.add_argument("--agents", type=int, default=48)
    ap.add_argument("--draws", type=int, nargs="+", default=[8, 16, 32])
    args = ap.parse_args()
    path = Path(__file__).resolve().parents[1] / "rules/policies/forced_ranking_phase1.yaml"
    policy = Policy.model_validate(YAML(typ="safe").load(path.read_text("utf-8")))
    agents = draw_agents([("in_house", args.agents, SkillDistribution())],
                         np.random.default_rng(1))
    nat = agents.natural_levers().mean(axis=0)
    print(f"{args.agents} agents, bundled forced ranking; natural levers (speed, "
          f"availability, outbound) {nat[0]:.3f} {nat[1]:.3f} {nat[2]:.3f}")
    for r in args.draws:
        noise = draw_noise(np.random.default_rng(2), r, agents.n)
        s = SolverSettings(noise_draws=r)
        ev = Evaluator(RulesPay(policy), agents, SystemState(), noise, BehaviorParams(), s)
        t = time.perf_counter()
        eq = equilibrium(ev)
        lv = eq.levers.mean(axis=0)
        print(f"R = {r:3d}: {time.perf_counter() - t:6.1f} s, {eq.rounds:2d} rounds, "
              f"converged {eq.converged}, max regret {eq.max_regret:5.0f} "
              f"({eq.max_regret_share:.1%}); levers {lv[0]:.3f} {lv[1]:.3f} {lv[2]:.3f}",
              flush=True)


if __name__ == "__main__":
    main()
