"""The flagship's policies stage seen from its pool: per task, the worker's CPU inside the
simulation and around it (the task's and the result's pickling, the queues), and the
workers' idle time — before and now (sim.compare.solve_order), alternately in one run.

Run: python benchmarks/bench_policy_pool.py [--rounds 3] [--capture PATH]   (repo root)

The stages before the policies stage come from benchmarks/bench_policies.py's capture
(``--capture``; made there when missing). Per round, the stage in a fresh process with
its pool of 2 workers started beforehand (as a run's earlier stages start it) and the
allocator settings of ``peakdesk`` (scenarios.heap), once as before — the policies solved
in their given order and each one's final replications gathered right after the next is
solved (``solve_order`` patched to the identity, ``HELD_POLICIES`` to 1: the code before)
— and once as now, alternating. Every simulation in a worker is wrapped to record, per
task: its CPU and wall, and the worker's CPU and wall between the end of its previous
task and this one's start (receiving and unpickling the task, pickling and sending the
previous result, the pool's bookkeeping; waiting when the queue is empty). Printed per
run: the stage's wall, the main process's and the workers' CPU (/proc), the workers' CPU
inside and outside the simulations, their idle wall inside the stage (between tasks, and
at the end after their last task), the pickled sizes of a task and a result and their
pickling CPU; then before/now ratios and whether the stage's summary, tables and figure
are identical. On a shared machine read the idle seconds and the CPU, not the wall.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
SCENARIO = ROOT / "scenarios/examples/double11.yaml"
WAITING_S = 0.05   # a gap between a worker's tasks longer than this: it waited for work

_LOG: list[Path] = []
_LAST: list[tuple[float, float]] = []


def timed_simulate(*args, **kw):
    """sim.runner.simulate, timed in the worker; one JSON line per task."""
    import sim.runner

    t0, w0 = time.process_time(), time.perf_counter()
    gap = (t0 - _LAST[0][0], w0 - _LAST[0][1]) if _LAST else (None, None)
    out = sim.runner.simulate(*args, **kw)
    t1, w1 = time.process_time(), time.perf_counter()
    sizes = None
    if not _LAST:   # the worker's first task: the pickles of a task and a result, timed
        sizes = {}
        for name, obj in (("task", (args, kw)), ("result", out)):
            c0 = time.process_time()
            b = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
            c1 = time.process_time()
            pickle.loads(b)
            sizes[name] = (len(b), c1 - c0, time.process_time() - c1)
        t1 += time.process_time() - t1   # not counted around the next task
    _LAST[:] = [(t1, w1)]
    with _LOG[0].open("a") as f:
        f.write(json.dumps({"pid": os.getpid(), "r": args[3], "cpu": t1 - t0,
                            "start": w0, "end": w1, "gap_cpu": gap[0],
                            "gap_wall": gap[1], "sizes": sizes}) + "\n")
    return out


def child(pkl: Path, label: str, dump: Path) -> None:
    from bench_policies import stage_measured, write_outputs

    from scenarios.heap import collect_less, keep_freed_memory

    keep_freed_memory()
    collect_less()
    import sim.compare as compare_mod

    if label == "before":
        compare_mod.solve_order = lambda entries, _baseline: list(entries)
        compare_mod.HELD_POLICIES = 1
    log = dump / "tasks.jsonl"
    dump.mkdir(parents=True, exist_ok=True)
    log.unlink(missing_ok=True)
    _LOG[:] = [log]
    compare_mod.simulate = timed_simulate
    m = stage_measured(SCENARIO, pkl)
    res, t0, t1 = m["res"], m["t0"], m["t1"]
    tasks = [json.loads(line) for line in log.read_text().splitlines()]
    by: dict[int, list[dict]] = {}
    for t in sorted(tasks, key=lambda t: t["start"]):
        by.setdefault(t["pid"], []).append(t)
    gaps = [t["gap_wall"] for ts in by.values() for t in ts[1:]]
    # a worker's wall between two tasks: ~2 ms of receiving and sending (more when the
    # machine deschedules it), or waiting for a task when the queue is empty
    idle_between = sum(g for g in gaps if g > WAITING_S)
    passing = sum(g for g in gaps if g <= WAITING_S)
    idle_start = sum(ts[0]["start"] - t0 for ts in by.values())
    idle_end = sum(t1 - ts[-1]["end"] for ts in by.values())
    sim_cpu = sum(t["cpu"] for t in tasks)
    outside = sum(t["gap_cpu"] or 0.0 for t in tasks)
    sizes = next(t["sizes"] for t in tasks if t["sizes"])
    write_outputs(res, dump)
    log.unlink()
    print(json.dumps({"wall": t1 - t0, "main": m["m1"] - m["m0"],
                      "workers": m["w1"] - m["w0"], "load": m["load"],
                      "tasks": len(tasks), "sim_cpu": sim_cpu, "outside_cpu": outside,
                      "idle_between": idle_between, "passing": passing,
                      "idle_start": idle_start,
                      "idle_end": idle_end, "sizes": sizes}))


def main() -> None:
    import bench_policies

    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--capture", type=Path, default=bench_policies.CAPTURE)
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        pkl, label, dump = a.child
        child(Path(pkl), label, Path(dump))
        return
    bench_policies.captured(a.capture)
    tmp = Path(tempfile.mkdtemp(prefix="bench-policy-pool-"))
    labels = ["before", "now"]
    runs: dict[str, list[dict]] = {label: [] for label in labels}
    for i in range(a.rounds):
        for label in labels if i % 2 == 0 else labels[::-1]:
            out = subprocess.run([sys.executable, __file__, "--child", str(a.capture),
                                  label, str(tmp / label)], cwd=ROOT, check=True,
                                 capture_output=True, text=True).stdout
            m = json.loads(out.strip().splitlines()[-1])
            runs[label].append(m)
            print(f"{label:6} {i + 1}: wall {m['wall']:5.2f} s  main CPU {m['main']:4.2f} s  "
                  f"workers CPU {m['workers']:5.2f} s (in {m['tasks']} simulations "
                  f"{m['sim_cpu']:5.2f}, around them {m['outside_cpu']:4.2f})  workers "
                  f"waiting for work {m['idle_between']:4.2f} s + {m['idle_end']:4.2f} s "
                  f"after their last task (passing between tasks {m['passing']:4.2f} s "
                  f"wall)  load {m['load']:.1f}")
    for name, (size, dump_s, load_s) in m["sizes"].items():
        print(f"a {name}: {size / 1e6:.3f} MB pickled, {1e3 * dump_s:.2f} ms to pickle, "
              f"{1e3 * load_s:.2f} ms to unpickle")
    same = all((tmp / "before" / f.name).read_bytes() == f.read_bytes()
               for f in (tmp / "now").iterdir())
    print(f"summary, tables and figure identical: {same}")

    def mean(label: str, key: str) -> float:
        return sum(m[key] for m in runs[label]) / len(runs[label])

    for key in ("idle_between", "idle_end", "passing", "wall", "main", "workers",
                "outside_cpu"):
        b, n = mean("before", key), mean("now", key)
        print(f"mean {key:12}: before {b:6.2f} s  now {n:6.2f} s  now/before "
              f"{n / b if b else float('nan'):.2f}")


if __name__ == "__main__":
    main()
