"""CPU seconds of one replication outside the event loop, before and after issue 25's
replication cuts, on the flagship's own models, same run.

    python benchmarks/bench_replication_cpu.py            # captures, then measures
    python benchmarks/bench_replication_cpu.py --reps 10  # fewer replications
    python benchmarks/bench_replication_cpu.py --loop     # and the event loop before/now

1. The plan check's models: `peakdesk plan scenarios/examples/double11.yaml` run up to its
   first check simulation (benchmarks/bench_kernel.py's capture; kept in
   ``--check-models``). Per replication, alternating: the code before (the frozen copies
   of tests/sim/reference_replication.py patched into the runner) as the plan check called
   it for runs it does not keep (``agent_tables=False``), and today's code as it calls it
   now (``queue_only=True``); then the kept runs (every KPI) before and now. The interval
   KPIs the check reads are checked equal bit for bit, and every KPI of the kept runs.
2. The policies stage's models: the flagship run's "Incentive policies" stage, one worker,
   its ``simulate`` calls recorded (kept in ``--policies-models``; the stages before it come
   from benchmarks/bench_policies.py's capture). Each replication before and now,
   alternating, every KPI and agent table checked equal bit for bit.

3. With ``--loop [COMMIT]``: the event loop alone, ``sim/compiled_loop.py`` of COMMIT
   (default 905b2a1; compiled into a directory of its own at each run — numba does not
   load its cache of a module loaded from a path) against today's, on the same prepared
   desks; every contact record, ready and idle time equal bit for bit.
4. The exogenous draws remembered (sim.kernel.exogenous_draws): each side of 1. and 2.
   starts with the memory emptied (so neither reuses the other's draws); then the
   policies stage's replications again with their draws remembered, as a worker that
   simulated the same replication under another policy runs them.

The process keeps freed memory for reuse as a run does (scenarios.heap).

CPU seconds are this process's own (``time.process_time``), so other jobs on the shared
machine count less than in wall time; both sides run on the compiled desk, loaded before
the timing. The event loop's share (``CompiledDesk.run``) is printed apart.
"""

from __future__ import annotations

import argparse
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
TMP = Path(tempfile.gettempdir())
FROZEN = ("agent_kpi_tables", "busy_time", "interval_metrics", "overtime", "queue_time",
          "team_metrics", "draw_outcomes")


def capture_policies(sim_stage: Path, out: Path) -> None:
    """Run the policies stage with one worker on the captured simulation stage and pickle
    every (model, demand, seed, replication) it simulates (run in a child process: it
    pins os.cpu_count to 1)."""
    os.cpu_count = lambda: 1
    import sim.compare as cmp

    tasks: list = []
    real = cmp.simulate

    def recording(*args, **kw):
        tasks.append(args)
        return real(*args, **kw)

    cmp.simulate = recording
    from scenarios.reading.load import load_scenario
    from scenarios.run.stage import RunContext
    from scenarios.run.stages.policies import PoliciesStage

    scenario = ROOT / "scenarios/examples/double11.yaml"
    sc = load_scenario(scenario)
    ctx = RunContext(sc, scenario, sc.language, quick=False, seed=sc.simulation.seed)
    ctx.results["simulation"] = pickle.loads(sim_stage.read_bytes())
    PoliciesStage().run(ctx)
    out.write_bytes(pickle.dumps(tasks))


def policies_tasks(path: Path, sim_stage: Path) -> list:
    if not path.exists():
        import bench_policies

        bench_policies.captured(sim_stage)
        subprocess.run([sys.executable, __file__, "--capture-policies", str(sim_stage),
                        str(path)], cwd=ROOT, check=True)
    return pickle.loads(path.read_bytes())


class Loop:
    """CPU seconds spent in the compiled desk's event loop (CompiledDesk.run)."""

    def __init__(self) -> None:
        from sim.compiled import CompiledDesk

        self.cpu = 0.0
        run = CompiledDesk.run
        loop = self

        def timed(desk) -> None:
            c0 = time.process_time()
            run(desk)
            loop.cpu += time.process_time() - c0

        CompiledDesk.run = timed


def before(fn):
    """``fn`` run with the frozen functions of 905b2a1 patched into the runner."""
    import sim.runner as runner
    from tests.sim import reference_replication as ref
    from tests.sim.table_adapter import as_today

    saved = {n: getattr(runner, n) for n in FROZEN}
    for n in FROZEN:
        setattr(runner, n, as_today(getattr(ref, n)))
    try:
        return fn()
    finally:
        for n, f in saved.items():
            setattr(runner, n, f)


def _eq(x, y) -> bool:
    return np.array_equal(np.asarray(x), np.asarray(y), equal_nan=True)


def same_intervals(a, b) -> bool:
    return all(_eq(v, b.intervals[ch][k]) for ch, kv in a.intervals.items()
               for k, v in kv.items())


def same_all(a, b) -> bool:
    ok = a.team == b.team and same_intervals(a, b)
    ok &= all(_eq(v, b.channels[ch][k]) for ch, kv in a.channels.items() for k, v in kv.items())
    for t in ("agents", "agents_horizon"):
        x, y = getattr(a, t), getattr(b, t)
        ok &= list(x) == list(y) and all(_eq(v, y[k]) for k, v in x.items())
    return bool(ok)


def measure(label: str, tasks: list, sides: dict, check, loop: Loop) -> None:
    """Run every task on each side (alternating), print CPU s a replication with and
    without the event loop, and whether ``check(old, new)`` held for every replication."""
    from sim.kernel import forget_exogenous

    cpu = {k: 0.0 for k in sides}
    inner = {k: 0.0 for k in sides}
    ok = True
    for t in tasks:
        out = {}
        for k, run in sides.items():
            if k != "remembered":
                forget_exogenous()
            l0, c0 = loop.cpu, time.process_time()
            out[k] = run(t)
            cpu[k] += time.process_time() - c0
            inner[k] += loop.cpu - l0
        ok &= check(*out.values())
    n = len(tasks)
    (a, b) = sides
    outside = {k: (cpu[k] - inner[k]) / n for k in sides}
    print(f"   {label}: {n} replications; CPU s a replication: {a} {cpu[a] / n:.3f} "
          f"(outside the loop {outside[a]:.3f}), {b} {cpu[b] / n:.3f} (outside the loop "
          f"{outside[b]:.3f}); ratio {cpu[b] / cpu[a]:.2f}, outside the loop "
          f"{outside[b] / outside[a]:.2f}; same numbers: {'yes' if ok else 'NO'}")
    if not ok:
        raise SystemExit(f"{label}: the numbers differ")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=20, help="replications of each kind")
    ap.add_argument("--check-models", type=Path, default=TMP / "peakdesk-bench-check.pkl")
    ap.add_argument("--policies-models", type=Path,
                    default=TMP / "peakdesk-bench-policies-models.pkl")
    ap.add_argument("--sim-stage", type=Path, default=TMP / "peakdesk-bench-policies.pkl",
                    help="benchmarks/bench_policies.py's capture of the stages before")
    ap.add_argument("--loop", nargs="?", const="905b2a1", default=None, metavar="COMMIT",
                    help="also time the event loop of COMMIT (default 905b2a1) against "
                    "today's (the first time compiles it: about a minute of CPU)")
    ap.add_argument("--capture-policies", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.capture_policies:
        capture_policies(*args.capture_policies)
        return
    import bench_kernel

    from scenarios.heap import keep_freed_memory
    from sim.runner import simulate

    keep_freed_memory()

    print(f"machine: {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f} "
          "(CPU seconds below are this process's own)")
    models, demands, seed = bench_kernel.cached_models(args.check_models,
                                                       bench_kernel.flagship_models)
    pol = policies_tasks(args.policies_models, args.sim_stage)
    os.environ["PEAKDESK_KERNEL"] = "compiled"
    simulate(models[0], demands[0], seed, 0)  # load the compiled desk (and passes)
    loop = Loop()
    check = [(models[r % len(models)], demands[r % len(models)], seed, r)
             for r in range(args.reps)]
    print(f"1. the plan check: {len(models)} demand scenarios, seed {seed}")
    measure("runs not kept (the loop's)", check, {
        "before": lambda t: before(lambda: simulate(*t, agent_tables=False)),
        "now": lambda t: simulate(*t, agent_tables=False, queue_only=True)},
        same_intervals, loop)
    measure("runs kept (every KPI)", check, {
        "before": lambda t: before(lambda: simulate(*t)),
        "now": lambda t: simulate(*t)}, same_all, loop)
    print(f"2. the policies stage: {len(pol)} replications recorded")
    measure("every KPI and agent table", pol[:args.reps], {
        "before": lambda t: before(lambda: simulate(*t)),
        "now": lambda t: simulate(*t)}, same_all, loop)
    print("   the same replications with their exogenous draws remembered (as a worker "
          "that ran replication r under another policy)")
    measure("every KPI and agent table", pol[:args.reps], {
        "drawn": lambda t: simulate(*t),
        "remembered": lambda t: simulate(*t)}, same_all, loop)
    if args.loop:
        print(f"3. the event loop alone, sim/compiled_loop.py at {args.loop} and now "
              "(the old one compiled once into a directory of its own)")
        loop_before_after(args.loop, check, "the check's models")
        loop_before_after(args.loop, pol[:args.reps], "the policies stage's models")
    print(f"   load average at the end {os.getloadavg()[0]:.2f}")


def loop_before_after(commit: str, tasks: list, label: str) -> None:
    """CompiledDesk.run with the loop of ``commit`` and with today's, alternating, on the
    same prepared desks: CPU s a replication and every record equal bit for bit."""
    import importlib.util

    import sim.compiled_loop as now_loop
    from sim.agents import build_agents
    from sim.compiled import CompiledDesk
    from sim.streams import Streams

    where = TMP / f"peakdesk-bench-loop-{commit}"
    where.mkdir(exist_ok=True)
    import shutil

    shutil.rmtree(where / "__pycache__", ignore_errors=True)  # see the module's docstring
    src = where / "compiled_loop_before.py"
    text = subprocess.run(["git", "show", f"{commit}:sim/compiled_loop.py"], cwd=ROOT,
                          check=True, capture_output=True, text=True).stdout
    if not src.exists() or src.read_text() != text:
        src.write_text(text)
    spec = importlib.util.spec_from_file_location("compiled_loop_before", src)
    old_loop = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(old_loop)
    cpu = {"before": 0.0, "now": 0.0}
    same = True
    for i, (model, demand, seed, r) in enumerate(tasks):
        out = {}
        for side, mod in (("before", old_loop), ("now", now_loop)):
            sys.modules["sim.compiled_loop"] = mod
            st = Streams(seed, r)
            agents = build_agents(model, st["agents"])
            rates = [np.asarray(demand.rates[c.name], float) * demand.multiplier
                     for c in model.channels]
            htf = None if demand.handle_time_factor is None else [
                np.asarray(demand.handle_time_factor.get(c.name, np.ones(model.n_intervals)),
                           float) for c in model.channels]
            desk = CompiledDesk(model, rates, agents, st, None, None, htf)
            c0 = time.process_time()
            desk.run()
            if i:  # the first run of each loads (or compiles) its code
                cpu[side] += time.process_time() - c0
            out[side] = desk
        sys.modules["sim.compiled_loop"] = now_loop
        a, b = out["before"], out["now"]
        same &= all(_eq(getattr(a.records, f), getattr(b.records, f))
                    for f in a.records.__dataclass_fields__)
        same &= _eq(a.idle_s, b.idle_s) and _eq(a.ready_s, b.ready_s)
        same &= _eq(a.repeat_sources, b.repeat_sources)
    n = max(len(tasks) - 1, 1)
    print(f"   {label}: {len(tasks)} replications; loop CPU s a replication: before "
          f"{cpu['before'] / n:.4f}, now {cpu['now'] / n:.4f}: ratio "
          f"{cpu['now'] / cpu['before']:.3f}; same records: {'yes' if same else 'NO'}")
    if not same:
        raise SystemExit(f"{label}: the loops differ")


if __name__ == "__main__":
    main()
