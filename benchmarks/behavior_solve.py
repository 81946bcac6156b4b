"""Behaviour solve of the bundled policies: time per agent as the team grows, and how the
answer moves with the remaining tuning knob (the number of count-noise draws R).

Run (repo root):
  python benchmarks/behavior_solve.py                      # 12, 120, 1,000 agents
  python benchmarks/behavior_solve.py --sizes 48 --draws 8 16 32 --policies forced
Per team size, policy and R: the solve time, the time per agent and its ratio to the
smallest team's (measured in the same run: ≈ 1× means the solve grows linearly in the
agents), the baseline measured in the same run — one coarse best-response pass of the
whole team against the others at the natural point, the unit of work of a round — and
the solve in those passes (so machine load cancels), equilibrium rounds, converged, the
certified max regret (money and share of the effort-cost scale) and the team's mean
levers (speed, availability, outbound): the sensitivity line — the levers should move by
much less than the policy moves them from the natural point.
"""

from __future__ import annotations

import argparse
import os
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
    best_response,
    draw_agents,
    draw_noise,
    equilibrium,
)
from sim.behavior.params import BehaviorParams  # noqa: E402
from sim.behavior.rules_pay import RulesPay  # noqa: E402

POLICIES = {"forced": "forced_ranking_phase1.yaml", "commission": "commission_phase2.yaml"}


def main() -> None:
    from rules.schema import Policy

    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[12, 120, 1000])
    ap.add_argument("--draws", type=int, nargs="+", default=[16])
    ap.add_argument("--policies", nargs="+", choices=sorted(POLICIES),
                    default=["forced", "commission"])
    args = ap.parse_args()
    root = Path(__file__).resolve().parents[1] / "rules/policies"
    print(f"load average {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} at the start")
    print(f"{'agents':>6} {'policy':10} {'R':>3} {'solve s':>8} {'s/agent':>8} "
          f"{'vs smallest':>11} {'1 pass s':>8} {'passes':>6} {'rounds':>6} "
          f"{'max regret':>16}  levers")
    base: dict[tuple[str, int], float] = {}
    for n in args.sizes:
        agents = draw_agents([("in_house", n, SkillDistribution())], np.random.default_rng(1))
        nat = agents.natural_levers()
        for name in args.policies:
            text = (root / POLICIES[name]).read_text("utf-8")
            policy = Policy.model_validate(YAML(typ="safe").load(text))
            for r in args.draws:
                noise = draw_noise(np.random.default_rng(2), r, agents.n)
                ev = Evaluator(RulesPay(policy), agents, SystemState(), noise,
                               BehaviorParams(), SolverSettings(noise_draws=r))
                t = time.perf_counter()
                best_response(ev, nat)                         # the baseline: one pass
                one = time.perf_counter() - t
                ev = Evaluator(RulesPay(policy), agents, SystemState(), noise,
                               BehaviorParams(), SolverSettings(noise_draws=r))
                t = time.perf_counter()
                eq = equilibrium(ev)
                took = time.perf_counter() - t
                per = took / n
                ref = base.setdefault((name, r), per)
                lv = eq.levers.mean(axis=0)
                print(f"{n:6d} {name:10} {r:3d} {took:8.1f} {per:8.4f} {per / ref:10.2f}x "
                      f"{one:8.2f} {took / one:6.1f} {eq.rounds:6d} {eq.max_regret:6.0f} "
                      f"({eq.max_regret_share:5.1%}){'' if eq.converged else ' NOT'}  "
                      f"{lv[0]:.3f} {lv[1]:.3f} {lv[2]:.3f}", flush=True)
    print(f"load average {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} at the end; "
          "natural levers of the last team "
          + " ".join(f"{v:.3f}" for v in agents.natural_levers().mean(axis=0)[:3]))


if __name__ == "__main__":
    main()
