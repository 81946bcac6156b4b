"""The flagship's behaviour solves (the policies stage's main-process work: the flat-pay
baseline, the forced ranking's equilibrium, the commission), this code against the
previous code path, back to back in fresh processes, same inputs.

Run: python benchmarks/bench_equilibrium.py [--rounds 3] [--capture PATH] [--against COMMIT]
     (repo root)
The solves' inputs (agents, state, noise, pay functions, settings) are captured once from
the flagship's policies stage on benchmarks/bench_policies.py's capture of the simulation
stage (``--capture``, default ``/tmp/peakdesk-bench-equilibrium.pkl``; minutes the first
time). "before" is the code path before issue 25's cuts in sim/behavior: the band
membership looked up with numpy.searchsorted (tournament._mean_membership_search, the
readable path kept) and pay tables of 1,000,000 elements; "now" the compiled lookup
(sim/behavior/band_lookup.py; numba's import and cache load counted: each run is a fresh
process) and the default chunk. Per run: CPU seconds of each solve (process time), the
load average; and the check that both give the same levers, pay, components and regret
certificate bit for bit. ``--against COMMIT``: "before" is instead the whole tree of that
commit (exported as benchmarks/bench_policies.py does, its numba cache copied) with its
default settings — e.g. ``--against 5d791e8`` measures issue 25's third pass on the solves
(the band lookup's prepared fields, the objective without components, the pattern
search's slots and the remembered certifying grid).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SCENARIO = ROOT / "scenarios/examples/double11.yaml"
SIM_CAPTURE = Path(tempfile.gettempdir()) / "peakdesk-bench-policies.pkl"


def capture(path: Path) -> None:
    """The three solves' arguments, recorded from the flagship's policies stage."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench_policies

    bench_policies.captured(SIM_CAPTURE)
    import sim.compare as compare
    from scenarios.reading.load import load_scenario
    from scenarios.run.stage import RunContext
    from scenarios.run.stages.policies import PoliciesStage

    sc = load_scenario(SCENARIO)
    ctx = RunContext(sc, SCENARIO, sc.language, quick=False, seed=sc.simulation.seed)
    ctx.results["simulation"] = pickle.loads(SIM_CAPTURE.read_bytes())
    real = compare.solve
    got: list[tuple] = []

    def record(pay_fn, agents, state, noise, params, settings, update_state=None,
               sim_rounds=3):
        got.append((pay_fn, agents, state, noise, params, settings, sim_rounds))
        if len(got) == 3:
            path.write_bytes(pickle.dumps(got))
            os._exit(0)                  # the solves are what we want; leave the workers
        return real(pay_fn, agents, state, noise, params, settings, update_state,
                    sim_rounds)

    compare.solve = record
    PoliciesStage().run(ctx)


def child(path: Path, before: bool, tree: Path | None = None) -> None:
    """Every captured solve once; prints CPU seconds and a digest of the results (with
    the code of ``tree`` when given: then "before" means that tree's defaults)."""
    if tree is not None:
        sys.path.insert(0, str(tree))
        before = False
    import numpy as np

    from sim.behavior import tournament
    from sim.behavior.equilibrium import solve
    from sim.behavior.params import SolverSettings

    if before:
        tournament._LOOKUP = False
    chunk = 1_000_000 if before else SolverSettings().chunk
    got = pickle.loads(path.read_bytes())
    out = {"load": os.getloadavg()[0], "cpu": [], "digest": []}
    for pay_fn, agents, state, noise, params, settings, sim_rounds in got:
        t0 = time.process_time()
        r = solve(pay_fn, agents, state, noise, params, replace(settings, chunk=chunk),
                  None, sim_rounds)
        out["cpu"].append(time.process_time() - t0)
        h = hashlib.sha1()
        for a in (r.levers, r.expected_pay, r.equilibrium.regret, r.equilibrium.regret_share,
                  *(r.components[k] for k in sorted(r.components))):
            h.update(np.ascontiguousarray(a).tobytes())
        h.update(repr((r.equilibrium.rounds, r.converged, r.equilibrium.history)).encode())
        out["digest"].append(h.hexdigest())
    print(json.dumps(out))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--capture", type=Path, default=Path(tempfile.gettempdir())
                    / "peakdesk-bench-equilibrium.pkl")
    ap.add_argument("--against", default=None)
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(Path(a.child[0]), a.child[1] == "before",
              Path(a.child[2]) if a.child[2] != "-" else None)
        return
    if not a.capture.exists():
        print(f"capturing the flagship's behaviour solves into {a.capture} ...")
        subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, 'benchmarks'); "
                        f"import bench_equilibrium as b; from pathlib import Path; "
                        f"b.capture(Path({str(a.capture)!r}))"], cwd=ROOT, check=True)
    names = ("flat pay", "forced ranking", "commission")
    old = "-"
    if a.against:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        import bench_policies

        commit = subprocess.run(["git", "rev-parse", "--short", a.against], cwd=ROOT,
                                check=True, capture_output=True, text=True).stdout.strip()
        old = str(bench_policies.export(commit, Path(tempfile.gettempdir())
                                        / f"peakdesk-tree-{commit}"))
    runs: dict[str, list[dict]] = {"before": [], "now": []}
    for i in range(a.rounds):
        for label in ("before", "now"):
            tree = old if label == "before" else "-"
            out = subprocess.run([sys.executable, __file__, "--child", str(a.capture), label,
                                  tree], cwd=ROOT if tree == "-" else tree, check=True,
                                 capture_output=True, text=True).stdout
            m = json.loads(out.strip().splitlines()[-1])
            runs[label].append(m)
            parts = "  ".join(f"{n} {c:5.2f}" for n, c in zip(names, m["cpu"], strict=False))
            print(f"{label:6} {i + 1}: CPU s {parts}  total {sum(m['cpu']):5.2f}  "
                  f"load {m['load']:.1f}")
    same = all(m["digest"] == runs["before"][0]["digest"] for ms in runs.values() for m in ms)
    print(f"levers, pay, components and regret identical: {same}")
    for j, n in enumerate(names):
        b = min(m["cpu"][j] for m in runs["before"])
        w = min(m["cpu"][j] for m in runs["now"])
        print(f"best {n:15}: before {b:5.2f} s  now {w:5.2f} s  ratio {b / max(w, 1e-9):.2f}×")
    b = min(sum(m["cpu"]) for m in runs["before"])
    w = min(sum(m["cpu"]) for m in runs["now"])
    print(f"best total          : before {b:5.2f} s  now {w:5.2f} s  ratio {b / w:.2f}×")


if __name__ == "__main__":
    main()
