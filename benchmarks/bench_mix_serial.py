"""The mix check's serial path between the loop's simulations (issue 25): the correction.

On the flagship (scenarios/examples/double11.yaml unless another is given): the first
plan, simulated once on the loop's streams in the command's pool (as `peakdesk plan`
does), then its correction (planning.iterate.next_requirement) timed both ways, in
alternation: all in this process (before), and with one channel's staffing factors in
the pool's idle worker while this process computes the other's (``spread``, now). Prints
this process's CPU seconds (the serial path), the pool workers', the wall, and checks the
arrays are the same bit for bit. The model needs come first (the background job's work:
not part of the correction here either).

Linux only (/proc for the workers' CPU). Run:
    python benchmarks/bench_mix_serial.py [SCENARIO] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_mix_cpu import process_tree  # noqa: E402  (the /proc walk)


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _workers_cpu() -> float:
    me = os.getpid()
    return sum(c for pid, (c, *_rest) in process_tree(me).items() if pid != me)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario", nargs="?", default="scenarios/examples/double11.yaml")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    load0 = os.getloadavg()
    from planning.iterate import Correction, assess, erlang_model, model_needs, next_requirement
    from planning.mix import MixSolver
    from scenarios.adapters.plan_check import sim_validator
    from scenarios.adapters.to_mix import (
        demand_cases,
        mix_inputs,
        requirement_cases,
        solver_options,
    )
    from scenarios.adapters.to_staffing import scenario_staffing
    from scenarios.checked_mix import CHECK_Z, check_spec, loop_seed
    from scenarios.reading.load import load_scenario
    from sim import execution

    sc = load_scenario(a.scenario)
    rates = demand_cases(sc)
    cases = requirement_cases(sc, rates)
    inp = mix_inputs(sc, cases)
    plan = MixSolver(inp, solver_options(sc, 600)).solve()
    spec = check_spec(sc, CHECK_Z["sim"])
    model = erlang_model([r for _, _, r in rates], cases, scenario_staffing(sc),
                         sc.staffing.shrinkage, sc.horizon.interval_minutes / 60.0)
    needs = model_needs(plan.requirement.shape, model, spec)
    workers = min(2, os.cpu_count() or 1)
    with execution.shared_pools():
        seen = sim_validator(sc, rates, sc.planning.check_replications,
                             loop_seed(sc.simulation.seed), workers=workers)(plan)
        a_ = assess(seen, spec, plan.probabilities)
        ways = {"all here (before)": None,
                "one channel in the pool (now)": lambda: execution.spare_pool(workers)}
        times: dict[str, list[tuple[float, float, float]]] = {k: [] for k in ways}
        outs = {}
        for _ in range(a.repeat):
            for label, spread in ways.items():
                c0, w0, t0 = _cpu(), _workers_cpu(), time.perf_counter()
                outs[label] = next_requirement(plan, seen, a_, model, spec, Correction(),
                                               dict(needs), spread)
                times[label].append((_cpu() - c0, _workers_cpu() - w0,
                                     time.perf_counter() - t0))
    before, now = (outs[k] for k in ways)
    same = np.array_equal(before[0], now[0]) and (
        before[1] is None or np.array_equal(before[1], now[1]))
    print(f"{a.scenario}: one correction (next_requirement), best of {a.repeat}; "
          f"{len(seen.channels)} channels")
    print(f"{'':32} {'this process CPU':>17} {'pool workers CPU':>17} {'wall':>8}")
    best = {}
    for label, rows in times.items():
        best[label] = min(rows, key=lambda r: r[0])
        c, w, t = best[label]
        print(f"{label:32} {c:16.2f}s {w:16.2f}s {t:7.2f}s")
    b, n = (best[k] for k in ways)
    print(f"ratio now / before: this process's CPU {n[0] / b[0]:.2f}, wall {n[2] / b[2]:.2f}")
    print(f"the same requirement bit for bit: {same}")
    print(f"load average {load0[0]:.1f} → {os.getloadavg()[0]:.1f} (2 cores shared: read "
          f"this process's CPU, the serial path)")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
