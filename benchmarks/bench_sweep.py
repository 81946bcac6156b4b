"""Sweeps and the execution layer: what the sweep machinery costs, what Dask gives.

1. The overhead of ``peakdesk sweep`` over running its points one by one: a 2 × 2 grid
   (in-house agents × peak) on the promotion day; baseline = the same four point
   scenarios run with ``run_scenario`` in this process, and as a shell loop of
   ``peakdesk run`` (what a planner did before: one Python start per point).
2. The speed-up of a run's simulation stages (the mix's plan check, the simulation, the
   policies' comparison) with 2 local Dask workers against the local process pool (2
   processes): the same run, the same numbers (checked), wall time per stage.

Run: python benchmarks/bench_sweep.py [--quick] [--only sweep|dask]   (repo root)
Prints the load average: the machine is shared, so read the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT))

PROMO = ROOT / "scenarios" / "examples" / "promo_day.yaml"
MINI = ROOT / "tests" / "scenarios" / "run" / "data" / "mini_peak.yaml"
VARY = ["pools.in_house.agents=40,50", "peak=1,1.2"]
SIM_STAGES = ("mix", "simulation", "policies")


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def sweep_overhead(tmp: Path, quick: bool) -> None:
    from scenarios.run.runner import run_scenario
    from scenarios.sweep.run import run_sweep

    t0 = time.perf_counter()
    out = run_sweep(PROMO, tmp / "sweep", vary=VARY, quick=quick)
    t_sweep = time.perf_counter() - t0
    files = sorted((tmp / "sweep" / "scenarios").glob("*.yaml"))
    t0 = time.perf_counter()
    for f in files:
        run_scenario(f, out=tmp / "alone" / f.stem, quick=quick, record=False)
    t_alone = time.perf_counter() - t0
    t0 = time.perf_counter()
    for f in files:
        subprocess.run([sys.executable, "-c", "import cli; cli.main()", "run", str(f),
                        "--out", str(tmp / "shell" / f.stem)] + (["--quick"] if quick else []),
                       check=True, cwd=ROOT, capture_output=True)
    t_shell = time.perf_counter() - t0
    for f in files:
        a = json.loads((tmp / "alone" / f.stem / "summary.json").read_text())["headlines"]
        b = json.loads((tmp / "sweep" / "points" / f.stem / "summary.json").read_text())
        assert a == b["headlines"], f"point {f.stem}: the sweep's numbers differ"
    n = len(out.outcomes)
    print(f"1. sweep of {n} points (promo_day, {'--quick' if quick else 'full'}; load {load()})")
    print(f"   sweep {t_sweep:.1f} s | points one by one in-process {t_alone:.1f} s "
          f"| shell loop of `peakdesk run` {t_shell:.1f} s")
    print(f"   overhead over in-process: {(t_sweep - t_alone) / n:+.2f} s per point "
          f"(ratio {t_sweep / t_alone:.2f}); against the shell loop: "
          f"{t_shell / t_sweep:.2f}× faster")


def dask_speedup(tmp: Path, quick: bool) -> None:
    import distributed

    from scenarios.execution import execution
    from scenarios.run.runner import run_scenario

    def timed(scheduler: str | None, name: str) -> tuple[dict[str, float], float, dict]:
        t0 = time.perf_counter()
        with execution(scheduler):
            o = run_scenario(MINI, out=tmp / name, quick=quick, record=False)
        wall = time.perf_counter() - t0
        stages = {r.name: r.seconds for r in o.results if r.name in SIM_STAGES}
        return stages, wall, json.loads((tmp / name / "summary.json").read_text())

    pool_st, pool_wall, pool_sum = timed(None, "pool")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        dask_st, dask_wall, dask_sum = timed(cluster.scheduler_address, "dask")
    assert pool_sum == dask_sum, "Dask gave other numbers than the process pool"
    print(f"2. run of mini_peak ({'--quick' if quick else 'full'}), process pool (2) vs 2 "
          f"local Dask workers; load {load()}; summary.json identical")
    for s in SIM_STAGES:
        print(f"   {s:<11} pool {pool_st[s]:6.1f} s | dask {dask_st[s]:6.1f} s | "
              f"speed-up {pool_st[s] / dask_st[s]:.2f}×")
    ps, ds = sum(pool_st.values()), sum(dask_st.values())
    print(f"   simulation stages {ps:.1f} s vs {ds:.1f} s: speed-up {ps / ds:.2f}× "
          f"(whole run {pool_wall:.1f} s vs {dask_wall:.1f} s incl. connecting)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="--quick runs (fewer replications)")
    ap.add_argument("--only", choices=["sweep", "dask"], default=None, help="one part")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-sweep-"))
    try:
        if args.only in (None, "sweep"):
            sweep_overhead(tmp / "a", args.quick)
        if args.only in (None, "dask"):
            dask_speedup(tmp / "b", args.quick)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
