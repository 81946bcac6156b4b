"""`peakdesk compare` speed: 3 policies × 20 replications on the promotion-day example.

Run: python benchmarks/bench_compare.py [--replications 20] [--workers 2]  (repo root)
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--replications", type=int, default=20)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()

    from scenarios.to_compare import compare_inputs, run_compare
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
        print(f"  {name:24s} rounds {list(o.equilibrium_rounds)} converged {o.converged}")


if __name__ == "__main__":
    main()
