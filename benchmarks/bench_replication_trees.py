"""CPU seconds of one flagship replication, this tree against another checkout (main),
alternating in the same run, with every number checked equal; the CPU outside the event
loop (CompiledDesk.run timed apart) printed beside.

    python benchmarks/bench_replication_trees.py                  # against /work/main
    python benchmarks/bench_replication_trees.py --before DIR --reps 20

Two worker processes, one per tree (each with that tree's own virtual environment and
numba cache, the compiled desk forced and loaded first, freed memory kept as a run keeps
it: scenarios.heap), are handed the same replications one at a time, alternately: the
plan check's models (benchmarks/bench_kernel.py's capture) as the check runs them when it
does not keep the runs (``queue_only``) and when it keeps them (every KPI), and the
policies stage's replications (benchmarks/bench_replication_cpu.py's capture). Each
worker reports the replication's CPU seconds (its own process time) and a digest of every
number it returned (intervals, team and channel KPIs, both agent tables, waiting at the
end); the digests must match. With ``--stage-order`` the policies stage's 60 replications
also run in the stage's order in each worker with nothing emptied between them — the
three policies' replication r share their exogenous draws, which this tree remembers
(sim.kernel.exogenous_draws; a worker of the stage's pool of two sees about half of the
repeats); otherwise this tree's memory of them is emptied before each replication.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TMP = Path(tempfile.gettempdir())

WORKER = r"""
import hashlib, json, os, pickle, sys, time
sys.path.insert(0, os.getcwd())
os.environ["PEAKDESK_KERNEL"] = "compiled"
import numpy as np
try:
    from scenarios.heap import keep_freed_memory
    keep_freed_memory()
except ImportError:
    pass
import sim.compiled
sim.compiled._mark_warm = lambda: None  # write nothing into the other tree
from sim.runner import simulate
try:
    from sim.kernel import forget_exogenous
except ImportError:
    forget_exogenous = lambda: None
models, demands, seed = pickle.loads(open(sys.argv[1], "rb").read())
pol = pickle.loads(open(sys.argv[2], "rb").read())

def digest(o):
    h = hashlib.sha256()
    def put(x):
        h.update(np.ascontiguousarray(np.asarray(x, float)).tobytes())
    for ch in sorted(o.intervals):
        for k in sorted(o.intervals[ch]):
            put(o.intervals[ch][k])
    for ch in sorted(o.channels):
        for k in sorted(o.channels[ch]):
            put(o.channels[ch][k])
    for k in sorted(o.team):
        put(o.team[k])
    for t in (o.agents, o.agents_horizon):
        for k in sorted(t):
            put(t[k])
    h.update(json.dumps(o.waiting_at_end, sort_keys=True).encode())
    return h.hexdigest()[:16]

from sim.compiled import CompiledDesk
loop = [0.0]
_run = CompiledDesk.run

def timed_run(desk):  # the event loop's share, reported apart
    c0 = time.process_time()
    _run(desk)
    loop[0] += time.process_time() - c0

CompiledDesk.run = timed_run
simulate(models[0], demands[0], seed, 0)  # load the compiled desk and passes
print("ready", flush=True)
for line in sys.stdin:
    kind, r, forget = line.split()
    r = int(r)
    if forget == "1":
        forget_exogenous()
    if kind == "pol":
        args, kw = pol[r][:4], {}
    else:
        args = (models[r % len(models)], demands[r % len(models)], seed, r)
        kw = {"agent_tables": False, "queue_only": True} if kind == "queue" else {}
    loop[0] = 0.0
    c0 = time.process_time()
    out = simulate(*args, **kw)
    cpu = time.process_time() - c0
    print(json.dumps([cpu, loop[0], digest(out)]), flush=True)
"""


def start(tree: Path, check: Path, pol: Path) -> subprocess.Popen:
    """A worker in ``tree``; another tree than this one compiles its numba code into a
    cache directory of ours (about a minute the first time), leaving that tree as it is."""
    py = tree / ".venv" / "bin" / "python"
    env = dict(os.environ, PYTHONPATH=str(tree))
    if tree.resolve() != ROOT:
        env["NUMBA_CACHE_DIR"] = str(TMP / "peakdesk-bench-trees-numba" / tree.resolve().name)
    p = subprocess.Popen([str(py), "-c", WORKER, str(check), str(pol)], cwd=tree,
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    assert p.stdout.readline().strip() == "ready"
    return p


def ask(p: subprocess.Popen, kind: str, r: int, forget: bool) -> tuple[float, float, str]:
    """The replication's CPU seconds, those of its event loop, and its numbers' digest."""
    p.stdin.write(f"{kind} {r} {int(forget)}\n")
    p.stdin.flush()
    cpu, loop, dig = json.loads(p.stdout.readline())
    return cpu, loop, dig


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", type=Path, default=Path("/work/main"))
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--stage-order", action="store_true")
    ap.add_argument("--check-models", type=Path, default=TMP / "peakdesk-bench-check.pkl")
    ap.add_argument("--policies-models", type=Path,
                    default=TMP / "peakdesk-bench-policies-models.pkl")
    args = ap.parse_args()
    for f in (args.check_models, args.policies_models):
        if not f.exists():
            raise SystemExit(f"{f} missing: run benchmarks/bench_replication_cpu.py once "
                             "(it captures both)")
    print(f"load average {os.getloadavg()[0]:.2f}; before = {args.before}, now = {ROOT}")
    sides = {"before": start(args.before, args.check_models, args.policies_models),
             "now": start(ROOT, args.check_models, args.policies_models)}
    n_pol = len(pickle.loads(args.policies_models.read_bytes()))
    plans = [("plan check, runs not kept (queue only)", "queue", range(args.reps), True),
             ("plan check, runs kept (every KPI)", "kept", range(args.reps), True),
             ("policies stage (every KPI, agent tables)", "pol",
              range(min(args.reps, n_pol)), True)]
    if args.stage_order:
        plans.append(("policies stage, its 60 in order, draws remembered", "pol",
                      range(n_pol), False))
    worst = 1.0
    for label, kind, reps, forget in plans:
        cpu = {k: 0.0 for k in sides}
        out = {k: 0.0 for k in sides}  # outside the event loop
        same = True
        for r in reps:
            dig = {}
            for k, p in sides.items():
                c, loop, dig[k] = ask(p, kind, r, forget)
                cpu[k] += c
                out[k] += c - loop
            same &= dig["before"] == dig["now"]
        n = len(reps)
        ratio = cpu["now"] / cpu["before"]
        worst = max(worst, ratio) if same else worst
        print(f"{label}: {n} replications; CPU s a replication before {cpu['before'] / n:.4f}, "
              f"now {cpu['now'] / n:.4f}: ratio {ratio:.3f}; outside the event loop before "
              f"{out['before'] / n:.4f}, now {out['now'] / n:.4f}: ratio "
              f"{out['now'] / out['before']:.3f}; same numbers: {'yes' if same else 'NO'}")
        if not same:
            raise SystemExit(f"{label}: the numbers differ")
    for p in sides.values():
        p.stdin.close()
        p.wait()
    print(f"load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
