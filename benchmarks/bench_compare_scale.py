"""`peakdesk compare` scaling in team size: 12 / 120 / 1,000 in-house agents.

Run: python benchmarks/bench_compare_scale.py [--sizes 12 120 1000] [--replications 2]
A day of voice sized to the team (offered load ≈ 0.8 of the team's capacity), the bundled
forced ranking (phase 1) and commission (phase 2), one simulation round in the loop.
Prints, per size and policy, the behaviour-solving time per agent (the baseline is the
smallest team's, measured in the same run: the ratio says how far from linear), the
equilibrium rounds and the certified max regret share.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SCENARIO = """\
name: scale {n}
horizon: {{start: 2026-03-02T00:00, days: 1, interval_minutes: 60}}
channels:
  voice:
    kind: voice
    handle_time: {{dist: lognormal, mean_s: 240, cv: 0.8}}
    patience: {{dist: exponential, mean_s: 120}}
    service_level: {{target: 0.8, within_s: 20}}
demand:
  voice:
    rates_per_hour: [0, 0, 0, 0, 0, 0, 0, 0, 0, {r}, {r}, {r}, {r}, {r}, {r}, {r}, {r}, {r}, 0, 0, 0, 0, 0, 0]
pools:
  in_house:
    agents: [0, 0, 0, 0, 0, 0, 0, 0, 0, {n}, {n}, {n}, {n}, {n}, {n}, {n}, {n}, {n}, 0, 0, 0, 0, 0, 0]
    skills: [voice]
    levers: {{availability: 0.85, outbound_effort: 0.1}}
outbound: {{mode: ready_time}}
behavior: {{sim_rounds: 1, loop_replications: 1}}
simulation: {{replications: 2, seed: 3}}
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[12, 120, 1000])
    ap.add_argument("--replications", type=int, default=2)
    args = ap.parse_args()
    from scenarios.compare_setup import compare_inputs, run_compare

    policies = [ROOT / "rules/policies/forced_ranking_phase1.yaml",
                ROOT / "rules/policies/commission_phase2.yaml"]
    base: dict[str, float] = {}
    print(f"{'agents':>7} {'policy':24} {'solve s':>8} {'s/agent':>8} {'vs smallest':>11} "
          f"{'rounds':>6} {'regret share':>12}")
    for n in args.sizes:
        rate = round(0.8 * n * 0.85 * 0.9 * 3600 / 240)
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "scale.yaml"
            path.write_text(SCENARIO.format(n=n, r=rate))
            for pol in policies:
                inputs = compare_inputs(path, [pol], replications=args.replications,
                                        workers=1, baseline=False)
                t0 = time.perf_counter()
                c = run_compare(inputs)
                wall = time.perf_counter() - t0
                o = next(iter(c.policies.values()))
                per = c.solve_s / n
                base.setdefault(o.name, per)
                eq = o.equilibrium
                print(f"{n:7d} {o.name:24} {c.solve_s:8.1f} {per:8.3f} "
                      f"{per / base[o.name]:10.2f}x {eq['rounds']:6d} "
                      f"{eq['max_regret_share']:11.1%}{'' if eq['converged'] else ' (not reached)'}"
                      f"   (wall {wall:.1f} s)", flush=True)


if __name__ == "__main__":
    main()
