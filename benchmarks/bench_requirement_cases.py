"""The flagship's requirements stage and the mix stage's requirement cases, before and after.

What `peakdesk run scenarios/examples/double11.yaml` does from the requirements stage to the
mix stage's first solve, as far as requirements go: the requirements stage (the point
forecast's requirement per channel, its tables), then `requirement_cases` of the 20 demand
scenarios and the mean case, then the compiled desk's load (the mix stage loads it before
its background job forks; counted in both so that moving it is not counted as a saving).

- before: the code as it stood at 21afc93 — one demand scenario at a time (the frozen
  fixed point and channel requirements of tests/planning/reference_channel.py, landing
  shares computed every time), Erlang A's short-window integral as numpy arrays, all in
  this process;
- after: the cases together, the integral compiled, and the other core computing 55% of
  the cases and the mean case from the start of the requirements stage
  (scenarios.adapters.to_mix.requirement_cases_ahead).

Each variant runs in a fresh process (imports, numba's load and the first calls count, as
in a run), alternating, ``--repeat`` times; the medians are printed, with the CPU seconds
of the process and of its job, the ratio, and whether the requirement cases are equal bit
for bit.

Run: python benchmarks/bench_requirement_cases.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
FLAGSHIP = ROOT / "scenarios" / "examples" / "double11.yaml"


def _before() -> None:
    """Patch the package back to 21afc93's requirement path (reference copies)."""
    from planning import erlang, returns
    from scenarios.adapters import to_mix
    from scenarios.run.stages import requirements as stage
    from tests.planning import reference_channel as ref

    erlang.COMPILED = False
    erlang._served_within_given_wait = ref._served_within_given_wait
    returns.landing_shares = ref.landing_shares
    stage.channel_requirements = ref.channel_requirements
    stage._mix_follows = lambda sc: False  # no job
    to_mix.requirement_cases = ref.requirement_cases

    def mean_case(sc, cases):  # noqa: ANN001, ANN202
        mean = {ch: sum(p * r[ch] for _, p, r in cases) for ch in cases[0][2]}
        return ref.requirement_cases(sc, [("mean", 1.0, mean)])[0]

    to_mix.mean_case = mean_case


def run_one(variant: str, out: str) -> None:
    """One variant in this (fresh) process: the stages' requirement work, timed."""
    from scenarios.heap import keep_freed_memory

    keep_freed_memory()  # as the command does at its start
    from scenarios.reading.load import load_scenario
    from scenarios.run.stage import RunContext
    from scenarios.run.stages.demand import DemandStage

    if variant == "before":
        _before()
    from scenarios.adapters import to_mix
    from scenarios.run.stages.requirements import RequirementsStage
    from sim import execution

    ctx = RunContext(load_scenario(FLAGSHIP), FLAGSHIP, "en")
    ctx.results["demand"] = DemandStage().run(ctx)
    t0, c0 = time.perf_counter(), time.process_time()
    RequirementsStage().run(ctx)
    t1 = time.perf_counter()
    rates = to_mix.demand_cases(ctx.scenario)
    cases = to_mix.requirement_cases(ctx.scenario, rates)
    mean = to_mix.mean_case(ctx.scenario, rates)
    t2 = time.perf_counter()
    execution.preload_kernel()  # the mix stage's next step (done already: nothing)
    t3, c3 = time.perf_counter(), time.process_time()
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(out + ".pkl", "wb") as f:
        pickle.dump((cases, mean), f)
    Path(out).write_text(json.dumps({
        "stage": t1 - t0, "cases": t2 - t1, "preload": t3 - t2, "wall": t3 - t0,
        "cpu": c3 - c0, "job_cpu": kids.ru_utime + kids.ru_stime}))


def _equal(a: object, b: object) -> bool:
    import dataclasses

    import numpy as np

    if dataclasses.is_dataclass(a):
        return all(_equal(getattr(a, f.name), getattr(b, f.name))
                   for f in dataclasses.fields(a))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)  # type: ignore[union-attr,index]
    if isinstance(a, (tuple, list)):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))  # type: ignore[arg-type]
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and np.array_equal(a, b, equal_nan=a.dtype.kind == "f")  # type: ignore[union-attr]
    return a == b or (a != a and b != b)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--one", choices=("before", "after"))
    ap.add_argument("--out")
    args = ap.parse_args()
    if args.one:
        run_one(args.one, args.out)
        return
    res: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
    kept: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat):
            for v in ("before", "after"):
                out = os.path.join(tmp, f"{v}{i}.json")
                subprocess.run([sys.executable, __file__, "--one", v, "--out", out],
                               check=True, cwd=ROOT)
                res[v].append(json.loads(Path(out).read_text()))
                with open(out + ".pkl", "rb") as f:
                    kept[v] = pickle.load(f)
    same = _equal(kept["before"], kept["after"])

    def med(v: str, key: str) -> float:
        return statistics.median(r[key] for r in res[v])

    print(f"double11: requirements stage + requirement_cases (20 demand scenarios) + mean "
          f"case + the desk's load; median of {args.repeat}, load average "
          f"{os.getloadavg()[0]:.1f}")
    for v in ("before", "after"):
        print(f"  {v:6s}  stage {med(v, 'stage'):5.2f} s  cases {med(v, 'cases'):5.2f} s  "
              f"load {med(v, 'preload'):5.2f} s  | wall {med(v, 'wall'):5.2f} s  "
              f"CPU {med(v, 'cpu'):5.2f} s here + {med(v, 'job_cpu'):5.2f} s job")
    print(f"  before → after: {med('before', 'wall') / med('after', 'wall'):.1f}× wall, "
          f"{med('before', 'cpu') / (med('after', 'cpu') + med('after', 'job_cpu')):.1f}× "
          f"CPU (job included); requirement cases equal bit for bit: {same}")


if __name__ == "__main__":
    main()
