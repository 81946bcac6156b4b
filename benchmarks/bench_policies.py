"""The flagship run's policies stage ("Incentive policies: how agents respond") alone,
this code against the comparison code of an earlier commit, back to back in one run.

Run: python benchmarks/bench_policies.py [--before eae8690] [--rounds 2]
     [--capture PATH]  (repo root)
The stages before it (demand, requirements, capacity, mix, simulation: minutes) run once
and their simulation stage is kept in a pickle (``--capture``, default
``/tmp/peakdesk-bench-policies.pkl``; delete it after changing those stages). Then, per
round, the policies stage in a fresh process with ``sim/compare.py`` as it is and as it
was at ``--before`` (the rest of the code as it is: the same compiled desk, the same
behaviour solve), alternating. Per run: wall time, CPU seconds of the main process and
of its simulation workers (getrusage), the load average, the replications simulated; and
the check that both give the same summary and tables. On 2 cores the stage cannot take
less than (main + workers CPU) / 2: the bound printed beside the wall time.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SCENARIO = ROOT / "scenarios/examples/double11.yaml"


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


def child(pkl: Path, old: Path | None, dump: Path) -> None:
    """One policies stage; prints its measures as JSON, writes its outputs to ``dump``."""
    if old is not None:          # sim/compare.py of the earlier commit, the rest as is
        import importlib.util

        import sim

        spec = importlib.util.spec_from_file_location("sim.compare", old)
        mod = importlib.util.module_from_spec(spec)
        sys.modules["sim.compare"] = mod
        spec.loader.exec_module(mod)
        sim.compare = mod
    from scenarios.reading.load import load_scenario
    from scenarios.run.stage import RunContext
    from scenarios.run.stages.policies import PoliciesStage

    sc = load_scenario(SCENARIO)
    ctx = RunContext(sc, SCENARIO, sc.language, quick=False, seed=sc.simulation.seed)
    ctx.results["simulation"] = pickle.loads(pkl.read_bytes())
    import scenarios.adapters.to_compare  # noqa: F401  imports outside the timing
    import sim.runner  # noqa: F401

    load = os.getloadavg()[0]
    s0, c0 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    w0 = time.perf_counter()
    res = PoliciesStage().run(ctx)
    wall = time.perf_counter() - w0
    s1, c1 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)

    def cpu(a, b) -> float:
        return (b.ru_utime - a.ru_utime) + (b.ru_stime - a.ru_stime)

    dump.mkdir(parents=True, exist_ok=True)
    (dump / "summary.json").write_text(json.dumps(res.summary, sort_keys=True, default=str))
    for t in res.tables:
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(t.columns)
        w.writerows(t.rows)
        (dump / f"{t.name}.csv").write_text(buf.getvalue())
    print(json.dumps({"wall": wall, "main": cpu(s0, s1), "workers": cpu(c0, c1),
                      "load": load, "simulated": getattr(res.data, "simulated", None)}))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--before", default="eae8690")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--capture", type=Path, default=Path(tempfile.gettempdir())
                    / "peakdesk-bench-policies.pkl")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        pkl, old, dump = a.child
        child(Path(pkl), None if old == "-" else Path(old), Path(dump))
        return
    if not a.capture.exists():
        print(f"capturing the stages before the policies stage into {a.capture} ...")
        capture(a.capture)
    tmp = Path(tempfile.mkdtemp(prefix="bench-policies-"))
    old = tmp / "compare_before.py"
    old.write_text(subprocess.run(["git", "show", f"{a.before}:sim/compare.py"], cwd=ROOT,
                                  check=True, capture_output=True, text=True).stdout)
    runs: dict[str, list[dict]] = {"before": [], "now": []}
    for i in range(a.rounds):
        for label, src in (("before", str(old)), ("now", "-")):
            out = subprocess.run([sys.executable, __file__, "--child", str(a.capture), src,
                                  str(tmp / label)], cwd=ROOT, check=True,
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
