"""The start and the end of ``peakdesk run`` on the flagship: a baseline commit's code
against this tree's, in the same run, alternately, each in fresh processes.

- **start-up**: ``peakdesk run scenarios/examples/double11.yaml`` stopped as its first
  stage starts (imports, reading and checking the scenario): wall and CPU seconds.
- **the first stages beside their figures**: the demand and requirements stages, then 4
  CPU s of the main thread's own work (as the mix stage's requirement cases, which follow
  while the 8 charts those stages asked for are drawn): wall and the main process's CPU
  from the first stage to the end of that work, the charts ready.
- **to the mix model**: the demand and requirements stages, then what the mix stage does
  before it builds its model (its modules imported where they were not yet — Pyomo —,
  its requirement cases, part of them from the job the requirements stage forked, and the
  event desk loaded for the pools): wall and the main process's CPU, from the first stage.
- **the pay stage** on the flagship's captured earlier stages: CPU seconds, and its
  tables and summary checked equal to the capture's.
- **the end**: the captured stage results replayed through the command (each stage gives
  back what it gave in the capture; the pay stage after a pause in which the earlier
  stages' sheets are written, as they are during a real run's policies stage): wall from
  the pay stage's end to the results folder in place (``run_scenario`` returned) and to
  the process gone; the main process's CPU seconds after the pay stage (the results
  workbook is written in the drawing process now), and all its processes' CPU seconds.

The outputs of the two replays are compared: every CSV file, figure, summary.json and
report.html byte for byte, results.xlsx file by file inside the zip (but its creation
time, docProps/core.xml). The flagship's stages are captured once (``--cache``; about
1.5 min on a quiet 2-core machine). The baseline is checked out in a temporary git
worktree. CPU seconds are the figure to compare on a shared machine (load printed).

Start-up also reports whether scipy.stats was imported (Pyomo imported it for nothing:
scenarios/run/lean_imports.py).

Run: ``python benchmarks/bench_run_ends.py [--baseline COMMIT] [--rounds N] [--cache PATH]``
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLAGSHIP = "scenarios/examples/double11.yaml"

CAPTURE = """
import pickle, sys
from pathlib import Path
from scenarios.reading.load import load_scenario
from scenarios.run.pipeline import run_stages
from scenarios.run.stage import RunContext
from scenarios.run.stages import default_stages
P = Path(sys.argv[1])
sc = load_scenario(P)
ctx = RunContext(sc, P, sc.language, quick=False, seed=sc.simulation.seed)
results = run_stages(default_stages(), ctx)
Path(sys.argv[2]).write_bytes(pickle.dumps((ctx, results)))
"""

START = """
import resource, sys, time
t0 = time.perf_counter()
try:  # what the command does first (cli.py)
    from scenarios.run.lean_imports import no_scipy_stats_from_pyomo
    no_scipy_stats_from_pyomo()
except ImportError:  # a tree without it
    pass
import scenarios.run.runner as rr
class First(Exception):
    pass
def first(stages, ctx, observer=None):
    ru = resource.getrusage(resource.RUSAGE_SELF)
    print("BENCH", time.perf_counter() - t0, ru.ru_utime + ru.ru_stime,
          int("scipy.stats" in sys.modules), file=sys.stderr)
    raise First
rr.run_stages = first
from cli import main
sys.argv = ["peakdesk", "run", sys.argv[1], "--out", sys.argv[2], "--force"]
try:
    main(standalone_mode=False)
except First:
    pass
"""

EARLY = """
import resource, sys, time
from pathlib import Path
from scenarios.reading.load import load_scenario
from scenarios.run.pipeline import run_stages
from scenarios.run.stage import RunContext
from scenarios.run.stages.demand import DemandStage
from scenarios.run.stages.requirements import RequirementsStage
P = Path(sys.argv[1])
sc = load_scenario(P)
ctx = RunContext(sc, P, sc.language, quick=False, seed=sc.simulation.seed)
c0, w0 = time.process_time(), time.perf_counter()
results = run_stages([DemandStage(), RequirementsStage()], ctx)
x, t = 0, time.thread_time()
while time.thread_time() - t < 4.0:  # the main thread's own work
    for i in range(10000):
        x += i
svgs = [g.svg for r in results for f in r.figures for g in (f, f.peak) if g is not None]
print("BENCH", time.perf_counter() - w0, time.process_time() - c0, len(svgs), file=sys.stderr)
"""

TO_MIX = """
import resource, sys, time
from pathlib import Path
from scenarios.reading.load import load_scenario
from scenarios.run.pipeline import run_stages
from scenarios.run.stage import RunContext
from scenarios.run.stages.demand import DemandStage
from scenarios.run.stages.requirements import RequirementsStage
from scenarios.adapters.to_mix import demand_cases, requirement_cases
from sim import execution
P = Path(sys.argv[1])
sc = load_scenario(P)
ctx = RunContext(sc, P, sc.language, quick=False, seed=sc.simulation.seed)
c0, w0 = time.process_time(), time.perf_counter()
run_stages([DemandStage(), RequirementsStage()], ctx)
import scenarios.run.stages.mix  # the mix stage's modules (Pyomo), where not imported yet
requirement_cases(sc, demand_cases(sc))  # as the mix stage (scenarios.checked_mix)
execution.preload_kernel()
print("BENCH", time.perf_counter() - w0, time.process_time() - c0,
      resource.getrusage(resource.RUSAGE_SELF).ru_minflt, file=sys.stderr)
"""

PAY = """
import pickle, sys, time
from pathlib import Path
ctx, results = pickle.loads(Path(sys.argv[1]).read_bytes())
want = results[-1]
ctx.results = {r.name: r for r in results[:-1]}
from scenarios.run.stages.pay import PayStage
import scenarios.run.pay_ledger, scenarios.run.pay_view, rules.lint  # imported before
c = time.process_time()
got = PayStage().run(ctx)
cpu = time.process_time() - c
same = ([(t.name, t.columns, repr(t.rows)) for t in got.tables]
        == [(t.name, t.columns, repr(t.rows)) for t in want.tables]
        and got.summary == want.summary)
print("BENCH", cpu, int(same), file=sys.stderr)
"""

END = """
import os, pickle, sys, time
from pathlib import Path
ctx0, results = pickle.loads(Path(sys.argv[1]).read_bytes())
pause = float(sys.argv[4])
import scenarios.run.runner as rr
marks = {}
class Replay:
    def __init__(self, r):
        self.r, self.name = r, r.name
    def title(self, ctx):
        return self.r.title
    def skip_reason(self, ctx):
        return (self.r.reason or None) if self.r.status == "skipped" else None
    def run(self, ctx):
        if self.name == "pay":
            time.sleep(pause)  # the earlier sheets are written meanwhile
            marks["pay"] = time.time()
            marks["cpu"] = time.process_time()
        return self.r
rr.default_stages = lambda: [Replay(r) for r in results]
run = rr.run_scenario
def timed(*a, **k):
    out = run(*a, **k)
    marks["returned"] = time.time()
    marks["main"] = time.process_time() - marks["cpu"]
    return out
rr.run_scenario = timed
import atexit
atexit.register(lambda: print("BENCH", marks["pay"], marks["returned"], marks["main"],
                              file=sys.stderr))
from cli import main
sys.argv = ["peakdesk", "run", sys.argv[2], "--out", sys.argv[3], "--force"]
main()
"""


def child(code_root: Path, script: str, *args: str) -> tuple[list[float], float, float]:
    """Run ``script`` on ``code_root``'s code; the numbers of its stderr line ``BENCH ...``, its CPU
    seconds and the time (time.time) it was gone."""
    env = {**os.environ, "PYTHONPATH": str(code_root)}
    before = os.times()
    p = subprocess.run([sys.executable, "-c", script, *args], cwd=code_root, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    gone = time.time()
    after = os.times()
    if p.returncode != 0:
        raise SystemExit(f"{code_root}: exit {p.returncode}\n{p.stderr[-3000:]}")
    cpu = (after.children_user - before.children_user
           + after.children_system - before.children_system)
    line = [x for x in p.stderr.splitlines() if x.startswith("BENCH ")][-1]
    return [float(x) for x in line.split()[1:]], cpu, gone


def outputs(folder: Path) -> dict[str, bytes]:
    """Each file of a results folder (results.xlsx: each file inside it but its
    creation time; manifest.json left out: it records the wall time)."""
    out: dict[str, bytes] = {}
    for p in sorted(folder.rglob("*")):
        rel = str(p.relative_to(folder))
        if p.is_dir() or rel == "manifest.json":
            continue
        if rel == "results.xlsx":
            with zipfile.ZipFile(io.BytesIO(p.read_bytes())) as z:
                out.update({f"results.xlsx:{n}": z.read(n) for n in z.namelist()
                            if n != "docProps/core.xml"})
        else:
            out[rel] = p.read_bytes()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline", default="5d791e8", help="commit to compare against")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--pause", type=float, default=6.0,
                    help="seconds before the replayed pay stage ends")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/peakdesk_bench_run_ends.pkl"))
    args = ap.parse_args()
    if not args.cache.exists():
        print("capturing the flagship's stages ...", flush=True)
        subprocess.run([sys.executable, "-c", CAPTURE, FLAGSHIP, str(args.cache)], cwd=ROOT,
                       env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "baseline"
        subprocess.run(["git", "worktree", "add", "--detach", str(base), args.baseline],
                       cwd=ROOT, check=True, capture_output=True)
        try:
            run_all(args, {"before": base, "now": ROOT}, Path(tmp))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=ROOT,
                           check=False, capture_output=True)


def run_all(args: argparse.Namespace, roots: dict[str, Path], tmp: Path) -> None:
    print(f"load average at start {os.getloadavg()[0]:.1f}; baseline {args.baseline}; "
          f"{args.rounds} rounds, alternately")
    got: dict[str, dict[str, list[float]]] = {k: {} for k in roots}

    def add(who: str, key: str, value: float) -> None:
        got[who].setdefault(key, []).append(value)

    last: dict[str, Path] = {}
    for r in range(args.rounds):
        for who, root in roots.items():
            (wall, cpu, stats), _, _ = child(root, START, FLAGSHIP, str(tmp / f"s-{who}"))
            add(who, "start wall", wall)
            add(who, "start CPU", cpu)
            add(who, "  scipy.stats imported", stats)
            (wall, cpu, faults), _, _ = child(root, TO_MIX, FLAGSHIP)
            add(who, "to the mix model, wall", wall)
            add(who, "  its main process CPU", cpu)
            add(who, "  its page faults (1000s)", faults / 1000)
            (wall, cpu, charts), _, _ = child(root, EARLY, FLAGSHIP)
            add(who, "first stages + 4 s work, wall", wall)
            add(who, "  main process CPU", cpu)
            (cpu, same), _, _ = child(root, PAY, str(args.cache))
            add(who, "pay CPU", cpu)
            if not same:
                raise SystemExit(f"{who}: the pay stage's tables differ from the capture's")
            out = tmp / f"e-{who}-{r}"
            (pay, returned, main), cpu, gone = child(root, END, str(args.cache), FLAGSHIP,
                                                     str(out), str(args.pause))
            add(who, "end: to the folder", returned - pay)
            add(who, "  main process CPU after pay", main)
            add(who, "end: to the process gone", gone - pay)
            add(who, "end: processes' CPU", cpu)
            last[who] = out
    print(f"load average at end {os.getloadavg()[0]:.1f}")
    print(f"{'median of ' + str(args.rounds):<28}{'before':>10}{'now':>10}{'now/before':>12}")
    for key in got["now"]:
        b, n = statistics.median(got["before"][key]), statistics.median(got["now"][key])
        print(f"{key:<28}{b:10.3f}{n:10.3f}" + (f"{n / b:12.2f}" if b else ""))
    a, b = outputs(last["before"]), outputs(last["now"])
    differ = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
    print(f"outputs: {len(b)} files compared, "
          + ("all the same bytes" if not differ else f"differ: {differ}"))


if __name__ == "__main__":
    main()
