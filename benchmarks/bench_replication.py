"""One replication of the ten-fold flagship, its work after the event loop before and after
the per-replication cuts, same run.

    python benchmarks/bench_replication.py                       # 3 replications
    python benchmarks/bench_replication.py --models /tmp/x10.pkl # keep the capture

1. The models: `peakdesk plan benchmarks/data/double11_x10.yaml` run up to its first check
   simulation, which is captured (benchmarks/bench_kernel.py's capture, on the ten-fold
   file): each demand scenario with the plan's staffing and its people on their rosters.
2. Per replication, the whole replication (sim.runner.simulate, compiled desk where its
   code is ready, else the readable desk for both) with the code before the cuts (the
   frozen copies in tests/sim/reference_kpi.py patched in) and with today's code,
   alternating, as CPU seconds of this process; every KPI checked equal bit for bit.
3. The roster's HiGHS model at ten times the flagship's people (planning.roster.assign.
   build) before (tests/planning/reference_roster_build.py) and now, same run.
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
sys.path.insert(0, str(ROOT / "benchmarks"))

TENFOLD = ROOT / "benchmarks" / "data" / "double11_x10.yaml"


def tenfold_models() -> tuple[list, list, int]:
    import bench_kernel

    bench_kernel.FLAGSHIP = TENFOLD
    return bench_kernel.flagship_models()


def _patches():
    """(module, name, old function) for every function the cuts replaced."""
    import sim.runner as runner
    from tests.sim import reference_kpi
    from tests.sim.table_adapter import as_today

    def old(name: str):
        # computed its own waiting time (and the contacts' intervals)
        return as_today(getattr(reference_kpi, name),
                        name in ("interval_metrics", "team_metrics"))

    from sim.kernel import Desk
    from sim.model import Duty

    return [(runner, n, old(n)) for n in
            ("agent_kpi_tables", "busy_time", "interval_metrics", "overtime", "team_metrics")] + [
        (runner, "queue_time", lambda *args, **kw: None),  # the old code computed it twice inside
        (runner, "poisson_nonzero", reference_kpi.poisson_nonzero),
        (runner, "binomial_nonzero", reference_kpi.binomial_nonzero),
        (Duty, "matrix", reference_kpi.duty_matrix),
        (Desk, "_routing", reference_kpi.desk_routing)]


def _same(a, b) -> bool:
    def eq(x, y) -> bool:
        return np.array_equal(np.asarray(x), np.asarray(y), equal_nan=True)

    ok = a.team == b.team
    for attr in ("channels", "intervals"):
        for ch, kv in getattr(a, attr).items():
            ok &= all(eq(v, getattr(b, attr)[ch][k]) for k, v in kv.items())
    for attr in ("agents", "agents_horizon"):
        ok &= all(eq(v, getattr(b, attr)[k]) for k, v in getattr(a, attr).items())
    return bool(ok)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--models", type=Path, help="pickle of the captured models: read if "
                    "it exists, else written after the capture")
    args = ap.parse_args()
    from sim.runner import simulate

    print(f"machine: {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f} "
          "(CPU seconds below are this process's own)")
    t = time.perf_counter()
    import bench_kernel

    models, demands, seed = bench_kernel.cached_models(args.models, tenfold_models)
    print(f"1. ten-fold models captured in {time.perf_counter() - t:.0f} s: {len(models)} "
          f"demand scenarios, {sum(int(p.staffing.max()) for p in models[0].pools)} agents "
          "at the busiest interval")
    simulate(models[0], demands[0], seed, 0)  # load the compiled code
    patches = _patches()
    cpu = {"before": 0.0, "after": 0.0}
    contacts, same = 0, True
    reps = min(args.reps, len(models))
    for r in range(reps):
        out = {}
        for label in ("before", "after"):
            saved = [(mod, name, getattr(mod, name)) for mod, name, _ in patches]
            if label == "before":
                for mod, name, f in patches:
                    setattr(mod, name, f)
            try:
                c0 = time.process_time()
                out[label] = simulate(models[r], demands[r], seed, r)
                cpu[label] += time.process_time() - c0
            finally:
                for mod, name, f in saved:
                    setattr(mod, name, f)
        same &= _same(out["before"], out["after"])
        contacts += int(out["after"].team["contacts_simulated"])
    print(f"2. {reps} replications, {contacts:,} contacts; every KPI equal bit for bit: "
          f"{'yes' if same else 'NO'}")
    print(f"   whole replication, CPU s: before {cpu['before']:.2f}, after "
          f"{cpu['after']:.2f}: ratio {cpu['after'] / cpu['before']:.2f} "
          f"({contacts / cpu['before']:,.0f} → {contacts / cpu['after']:,.0f} contacts/CPU s)")
    if not same:
        raise SystemExit("the KPIs differ")
    roster_build()
    print(f"   load average at the end {os.getloadavg()[0]:.2f}")


def roster_build(times: int = 3) -> None:
    """The roster's HiGHS model for the flagship's first plan × 10 (1,300 people), built
    row by row (before) and a person block at a time (now), alternating; same model."""
    import importlib

    from bench_roster import scaled

    from tests.planning import reference_roster_build as ref
    from tests.roster_reference import flagship_plans

    new = importlib.import_module("planning.roster.assign").build
    inp = scaled(flagship_plans()[0], 10)
    cpu = {"before": 0.0, "after": 0.0}
    for _ in range(times):
        for label, f in (("before", ref.build), ("after", new)):
            c0 = time.process_time()
            f(inp, fair=False)
            cpu[label] += time.process_time() - c0
    a, b = ref.build(inp, elastic=True)[0].a_matrix_, new(inp, elastic=True)[0].a_matrix_
    same = all(np.array_equal(np.asarray(getattr(a, f)), np.asarray(getattr(b, f)))
               for f in ("start_", "index_", "value_"))
    print(f"3. roster model, {len(inp.people):,} people, {times} builds each, CPU s: before "
          f"{cpu['before']:.2f}, after {cpu['after']:.2f}: ratio "
          f"{cpu['after'] / cpu['before']:.2f}; same matrix: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
