"""The requirements of the flagship's demand scenarios under in-house-first routing.

`requirement_cases(sc, demand_cases(sc))` for scenarios/examples/double11.yaml (20 demand
scenarios × 14 days × 30 min, voice and chat; in-house first, overflow after 15 s) — the
mix stage's requirements — timed twice in the same run:

- before: the per-pool rows by the frozen per-pair path (tests/planning/reference_routed.py:
  one staffing search per distinct (abandonment, service level) target pair of the
  overflow pools, 64 Gauss–Legendre panels on every row, every interval evaluated at
  every step of the in-house need's bisection);
- after: planning.tier as it is (one search over every interval with per-interval
  targets; panels per row; only the intervals not yet narrowed evaluated).

The frozen path runs with the tail fix on (TAIL_FIX, as the tests compare), so the two
must agree to 1e-9; the run prints the largest relative difference. Channel requirements
(effective-load fixed point per channel, planning.channel) are the same code in both.

Run: python benchmarks/bench_routed.py [--cases 20] [--repeat 2]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import planning.tier as tier  # noqa: E402
from scenarios.adapters.to_mix import demand_cases, requirement_cases  # noqa: E402
from scenarios.reading.load import load_scenario  # noqa: E402
from tests.planning import reference_routed as ref  # noqa: E402


def timed(fn, repeat: int) -> tuple[float, float, object]:
    """(best wall seconds, CPU seconds of that run, result)."""
    best = (np.inf, 0.0, None)
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        if wall < best[0]:
            best = (wall, cpu, out)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    sc = load_scenario(ROOT / "scenarios" / "examples" / "double11.yaml")
    cases = demand_cases(sc)[:args.cases]
    requirement_cases(sc, cases[:1])  # warm-up (imports, caches)

    after_wall, after_cpu, after = timed(lambda: requirement_cases(sc, cases), args.repeat)
    fast = tier.routed_need
    tier.routed_need = ref.routed_need  # to_mix.routed_needs imports it at each call
    try:
        before_wall, before_cpu, before = timed(lambda: requirement_cases(sc, cases), 1)
    finally:
        tier.routed_need = fast
    worst = 0.0
    for a, b in zip(after, before, strict=True):
        for f in ("requirement", "in_house", "pooled"):
            x, y = getattr(a, f), getattr(b, f)
            if x is not None:
                worst = max(worst, float(np.max(np.abs(x - y) / np.maximum(np.abs(y), 1e-12))))
    load = os.getloadavg()[0]
    print(f"requirement_cases, double11: {len(cases)} demand scenarios × "
          f"{len(after[0].requirement)} intervals (load average {load:.1f})")
    print(f"  before (per-pair searches, full rule)  {before_wall:7.2f} s wall  "
          f"{before_cpu:7.2f} s CPU")
    print(f"  after                                  {after_wall:7.2f} s wall  "
          f"{after_cpu:7.2f} s CPU   (target ≤ 4 s quiet)")
    print(f"  before → after: {before_wall / after_wall:.1f}× wall, "
          f"{before_cpu / after_cpu:.1f}× CPU; largest relative difference {worst:.1e}")


if __name__ == "__main__":
    main()
