"""The flagship run's policies stage ("Incentive policies: how agents respond") alone,
this code against the whole code of an earlier commit, back to back in one run.

Run: python benchmarks/bench_policies.py [--before 21afc93] [--rounds 2]
     [--capture PATH]  (repo root)
The stages before it (demand, requirements, capacity, mix, simulation: minutes) run once
and their simulation stage is kept in a pickle (``--capture``, default
``/tmp/peakdesk-bench-policies.pkl``; delete it after changing those stages). Then, per
round, the policies stage in a fresh process with this tree's code and with the tree of
``--before`` (exported once to ``/tmp/peakdesk-tree-<commit>``, numba's cache copied
where the compiled sources are the same), alternating, each with its pool of 2 workers
started beforehand as a run's earlier stages start it. Per run: wall time, CPU seconds
of the main process (its figure drawn, counted) and of the pool's workers (/proc), the
load average, the replications simulated; and the check that both give the same
summary, tables and figure. On 2 cores the stage cannot take less than (main + workers
CPU) / 2: the bound printed beside the wall time.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SCENARIO = ROOT / "scenarios/examples/double11.yaml"
#: the flagship's simulation stage, pickled by :func:`capture` (the policies benchmarks' input)
CAPTURE = Path(tempfile.gettempdir()) / "peakdesk-bench-policies.pkl"


def captured(path: Path = CAPTURE) -> Path:
    """``path``, made by :func:`capture` first when it is missing."""
    if not path.exists():
        print(f"capturing the stages before the policies stage into {path} ...")
        capture(path)
    return path


def capture(path: Path) -> None:
    """Run the flagship's stages up to the simulation and pickle the simulation stage."""
    from scenarios.reading.load import load_scenario
    from scenarios.run.pipeline import run_stages
    from scenarios.run.stage import RunContext
    from scenarios.run.stages import default_stages

    sc = load_scenario(SCENARIO)
    ctx = RunContext(sc, SCENARIO, sc.language, quick=False, seed=sc.simulation.seed)
    run_stages([s for s in default_stages() if s.name not in ("policies", "pay")], ctx, None)
    path.write_bytes(pickle.dumps(ctx.results["simulation"]))


def export(commit: str, dest: Path) -> Path:
    """The whole tree at ``commit`` in ``dest``, its compiled code loaded from this tree's
    numba cache where the source is the same (no compile: the files are copied with
    their sources' times, which numba's cache index checks)."""
    if dest.exists():
        return dest
    tmp = dest.with_name(dest.name + ".part")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", commit], cwd=ROOT, check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tmp)], input=archive, check=True)
    for cache in ROOT.glob("**/__pycache__"):
        if ".venv" in cache.parts:
            continue
        rel = cache.relative_to(ROOT)
        for f in [*cache.glob("*.nbi"), *cache.glob("*.nbc")]:
            src = ROOT / rel.parent / (f.name.split(".")[0] + ".py")
            twin = tmp / rel.parent / src.name
            if src.is_file() and twin.is_file() and src.read_bytes() == twin.read_bytes():
                (tmp / rel).mkdir(parents=True, exist_ok=True)
                shutil.copy2(f, tmp / rel / f.name)
                os.utime(twin, ns=(src.stat().st_atime_ns, src.stat().st_mtime_ns))
    # the compiled code loaded once there (from the copied cache): its "ready" marker
    # written, so that the pool loads it before forking as in this tree
    subprocess.run([sys.executable, "-c", "from sim.compiled import warm_up; warm_up()"],
                   cwd=tmp, check=True, env={**os.environ, "PYTHONPATH": str(tmp)})
    tmp.rename(dest)
    return dest


def stage_measured(scenario: Path, pkl: Path) -> dict:
    """The policies stage on the captured earlier stages, as in a run (the command's one
    pool, sim.execution.shared_pools, its 2 workers started beforehand): the stage's result,
    the load average at its start, its wall (t0, t1) and the CPU seconds of this process
    and of the pool's workers (/proc) at its start and end; ``cpu`` reads them again."""
    from bench_mix_cpu import process_tree

    from scenarios.reading.load import load_scenario
    from scenarios.run.stage import RunContext
    from scenarios.run.stages.policies import PoliciesStage
    from sim import execution

    sc = load_scenario(scenario)
    ctx = RunContext(sc, scenario, sc.language, quick=False, seed=sc.simulation.seed)
    ctx.results["simulation"] = pickle.loads(pkl.read_bytes())
    import matplotlib.pyplot  # noqa: F401  imported by the run's earlier stages

    import scenarios.adapters.to_compare  # noqa: F401  imports outside the timing
    import sim.runner  # noqa: F401

    def cpu() -> tuple[float, float]:
        procs = process_tree(os.getpid())
        return (procs[os.getpid()][0],
                sum(c for pid, (c, *_) in procs.items() if pid != os.getpid()))

    with execution.shared_pools():
        with execution.local_pool(2) as pool:   # started as the run's earlier stages do
            list(pool.map(abs, range(8)))
        time.sleep(0.5)
        load = os.getloadavg()[0]
        m0, w0 = cpu()
        t0 = time.perf_counter()
        res = PoliciesStage().run(ctx)
        t1 = time.perf_counter()
        m1, w1 = cpu()
    return {"res": res, "load": load, "t0": t0, "t1": t1, "m0": m0, "w0": w0, "m1": m1,
            "w1": w1, "cpu": cpu}


def write_outputs(res, dump: Path) -> None:
    """The stage's summary, tables (CSV) and figures (SVG) into ``dump``, to compare."""
    dump.mkdir(parents=True, exist_ok=True)
    (dump / "summary.json").write_text(json.dumps(res.summary, sort_keys=True, default=str))
    for t in res.tables:
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(t.columns)
        w.writerows(t.rows)
        (dump / f"{t.name}.csv").write_text(buf.getvalue())
    for f in res.figures:
        (dump / f"{f.name}.svg").write_text(f.svg)


def child(pkl: Path, tree: Path, dump: Path) -> None:
    """One policies stage with the code of ``tree``, its pool of 2 workers already started
    (as in a run: the command's one pool, sim.execution.shared_pools); prints its
    measures as JSON, writes its outputs to ``dump``. CPU seconds: this process and the
    pool's workers (/proc), from the stage's start to its end."""
    sys.path.insert(0, str(tree))
    import scenarios

    assert Path(scenarios.__file__).is_relative_to(tree)
    m = stage_measured(tree / SCENARIO.relative_to(ROOT), pkl)
    res = m["res"]
    for f in res.figures:       # drawn in the figures' thread: counted once drawn
        _ = f.svg
    m2, _ = m["cpu"]()
    write_outputs(res, dump)
    print(json.dumps({"wall": m["t1"] - m["t0"], "main": m2 - m["m0"],
                      "workers": m["w1"] - m["w0"], "load": m["load"],
                      "simulated": getattr(res.data, "simulated", None)}))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--before", default="21afc93")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--capture", type=Path, default=CAPTURE)
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        pkl, tree, dump = a.child
        child(Path(pkl), Path(tree), Path(dump))
        return
    captured(a.capture)
    tmp = Path(tempfile.mkdtemp(prefix="bench-policies-"))
    commit = subprocess.run(["git", "rev-parse", "--short", a.before], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.strip()
    old = export(commit, Path(tempfile.gettempdir()) / f"peakdesk-tree-{commit}")
    runs: dict[str, list[dict]] = {"before": [], "now": []}
    for i in range(a.rounds):
        for label, src in (("before", str(old)), ("now", str(ROOT))):
            out = subprocess.run([sys.executable, __file__, "--child", str(a.capture), src,
                                  str(tmp / label)], cwd=src, check=True,
                                 capture_output=True, text=True).stdout
            m = json.loads(out.strip().splitlines()[-1])
            runs[label].append(m)
            print(f"{label:6} {i + 1}: wall {m['wall']:6.1f} s  main CPU {m['main']:5.1f} s  "
                  f"workers CPU {m['workers']:5.1f} s  (2-core bound "
                  f"{(m['main'] + m['workers']) / 2:5.1f} s)  load {m['load']:.1f}  "
                  f"replications {m['simulated'] or '—'}")
    same = all((tmp / "before" / f.name).read_bytes() == f.read_bytes()
               for f in (tmp / "now").iterdir())
    print(f"summary and tables identical: {same}")

    def best(label: str, key: str) -> float:
        return min(m[key] for m in runs[label])

    for key in ("wall", "main", "workers"):
        b, n = best("before", key), best("now", key)
        print(f"best {key:8}: before {b:6.1f} s  now {n:6.1f} s  ratio {b / n:.2f}×")


if __name__ == "__main__":
    main()
