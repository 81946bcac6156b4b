"""`peakdesk compare` speed: 3 policies × 20 replications on the promotion-day example;
and (``--sizes``) how the behaviour solve grows with the team.

Run: python benchmarks/bench_compare.py [--replications 20] [--workers 2]  (repo root)
     python benchmarks/bench_compare.py --sizes 12 120 1000
The second: a day of voice sized to the team (offered load ≈ 0.8 of its capacity), the
bundled forced ranking (phase 1) and commission (phase 2), one simulation round in the
loop, 2 replications; per size and policy the behaviour-solving time per agent against
the smallest team's (measured in the same run: ≈ 1× means linear), the equilibrium rounds
and the certified max regret share.
Prints the time split into behaviour solving (equilibria, why, diagnostics) and
simulation (in-the-loop rounds + final replications), and, as the baseline measured in
the same run, one plain `simulate` of the same scenario and replications: the ratio says
what the behaviour model costs on top of simulating each policy once.
Policies: the bundled forced ranking (phase 1) and commission (phase 2), and a quality
scorecard on FCR, satisfaction and AHT for the in-house and outsourced pools (written to a
temporary file, docs/formats.md §2).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUALITY = """\
policy: quality-scorecard
period: month
applies_to: [in_house, outsourced]
base_pay: 3000
scorecard:
  pay_base: 1200
  floor: 0.5
  cap: 1.5
  items:
    - {metric: fcr,          weight: 0.4, target: 0.85}
    - {metric: satisfaction, weight: 0.3, target: 0.92}
    - {metric: aht_s,        weight: 0.3, target: 300, direction: lower}
"""


SCALE_SCENARIO = """\
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


def scale(sizes: list[int], replications: int) -> None:
    """Behaviour-solving time per agent for teams of ``sizes`` agents."""
    from scenarios.adapters.to_compare import compare_inputs, run_compare

    policies = [ROOT / "rules/policies/forced_ranking_phase1.yaml",
                ROOT / "rules/policies/commission_phase2.yaml"]
    base: dict[str, float] = {}
    print(f"{'agents':>7} {'policy':24} {'solve s':>8} {'s/agent':>8} {'vs smallest':>11} "
          f"{'rounds':>6} {'regret share':>12}")
    for n in sizes:
        rate = round(0.8 * n * 0.85 * 0.9 * 3600 / 240)
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "scale.yaml"
            path.write_text(SCALE_SCENARIO.format(n=n, r=rate))
            for pol in policies:
                inputs = compare_inputs(path, [pol], replications=replications,
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



def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--replications", type=int, default=20)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--sizes", type=int, nargs="*", default=None,
                    help="team sizes for the scaling run (e.g. 12 120 1000)")
    args = ap.parse_args()
    if args.sizes:
        scale(args.sizes, min(args.replications, 2))
        return

    from scenarios.adapters.to_compare import compare_inputs, run_compare
    from sim.runner import run_replications

    scenario = ROOT / "scenarios/examples/promo_day.yaml"
    with tempfile.TemporaryDirectory() as d:
        q = Path(d) / "quality.yaml"
        q.write_text(QUALITY)
        policies = [ROOT / "rules/policies/forced_ranking_phase1.yaml",
                    ROOT / "rules/policies/commission_phase2.yaml", q]
        inputs = compare_inputs(scenario, policies, replications=args.replications,
                                workers=args.workers)
        t0 = time.perf_counter()
        plain = run_replications(inputs.model, inputs.demand, args.replications,
                                 inputs.settings.seed, args.workers)
        t_plain = time.perf_counter() - t0
        t0 = time.perf_counter()
        c = run_compare(inputs)
        total = time.perf_counter() - t0
    assert plain.replications == args.replications
    n = len(c.policies)
    print(f"promo_day: {n - 1} policies + baseline × {args.replications} replications, "
          f"{args.workers} workers, {inputs.agents.n} agents")
    print(f"  compare total      {total:7.1f} s")
    print(f"  behaviour solving  {c.solve_s:7.1f} s ({c.solve_s / total:.0%})")
    print(f"  simulation         {c.simulate_s:7.1f} s ({c.simulate_s / total:.0%})")
    print(f"  baseline: one plain simulate of {args.replications} replications "
          f"{t_plain:.1f} s; compare / ({n} × plain) = {total / (n * t_plain):.2f}")
    for name, o in c.policies.items():
        eq = o.equilibrium
        print(f"  {name:24s} rounds {list(o.equilibrium_rounds)} converged {o.converged} "
              f"max regret {eq.get('max_regret', 0):.0f} ({eq.get('max_regret_share', 0):.1%})")


if __name__ == "__main__":
    main()
