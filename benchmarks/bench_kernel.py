"""The compiled desk against the readable one on the flagship's own model, same run.

    python benchmarks/bench_kernel.py            # 20 replications (several minutes)
    python benchmarks/bench_kernel.py --reps 4   # fewer, same ratios
    python benchmarks/bench_kernel.py --models /tmp/flagship.pkl   # keep the capture

1. The flagship's models: `peakdesk plan scenarios/examples/double11.yaml` is run up to
   its first check simulation, which is captured (20 demand scenarios, each with the
   plan's staffing and its in-house people on their rosters) — the exact models and
   demands the plan check simulates.
2. The 20 replications with the readable desk (sim.kernel.Desk) and with the compiled one
   (sim.compiled), one worker: the event loop alone and the whole replication (loop +
   KPIs), as CPU seconds of this process (so the machine's other load counts less) and
   wall seconds; contacts per CPU second = contacts per second per core. Every
   replication's contact records are checked equal bit for bit.
3. The physical limit on this machine: a compiled event loop with no features (M/M/c:
   pre-drawn arrivals, finishes in a binary heap, an FCFS queue), contacts per CPU second.
4. numba's compile time: first call in a fresh cache directory vs a cached load.
"""

from __future__ import annotations

import argparse
import dataclasses
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

from numba import njit  # noqa: E402

FLAGSHIP = ROOT / "scenarios" / "examples" / "double11.yaml"


class _Captured(Exception):
    pass


def flagship_models() -> tuple[list, list, int]:
    """The models and demands of the flagship plan's first check simulation."""
    import sim.runner as runner

    got: dict = {}
    original = runner.run_replications

    def capture(model, demand, replications, seed, **kw):
        got.update(models=list(model), demands=list(demand), seed=seed)
        raise _Captured

    runner.run_replications = capture
    try:
        import contextlib
        import io

        from cli import main
        with tempfile.TemporaryDirectory() as out, \
                contextlib.redirect_stderr(io.StringIO()):  # the CLI reports the stop
            try:
                main(["plan", str(FLAGSHIP), "--out", out], standalone_mode=False)
            except (_Captured, SystemExit):
                pass
    finally:
        runner.run_replications = original
    return got["models"], got["demands"], got["seed"]


def cached_models(path: Path | None, capture) -> tuple[list, list, int]:
    """``capture()``'s (models, demands, seed), read from the pickle at ``path`` if it
    exists, else captured and written there (a benchmark rerun skips the plan's minutes)."""
    if path is not None and path.exists():
        return pickle.loads(path.read_bytes())
    models, demands, seed = capture()
    if path is not None:
        path.write_bytes(pickle.dumps((models, demands, seed)))
    return models, demands, seed


def desk_run(desk_type, model, demand, seed: int, r: int):
    """Build and run one replication's desk: (records, cpu s, wall s, cpu s of the loop
    alone after the preparation both desks share — routing tiers, exogenous draws)."""
    from sim.agents import build_agents
    from sim.compiled import CompiledDesk
    from sim.recorder import Recorder
    from sim.streams import Streams

    st = Streams(seed, r)
    agents = build_agents(model, st["agents"])
    rates = [np.asarray(demand.rates[c.name], float) * demand.multiplier
             for c in model.channels]
    htf = None if demand.handle_time_factor is None else [
        np.asarray(demand.handle_time_factor.get(c.name, np.ones(model.n_intervals)), float)
        for c in model.channels]
    rec = Recorder()
    c0, w0 = time.process_time(), time.perf_counter()
    desk = desk_type(model, rates, agents, st, rec, None, htf)
    c1 = time.process_time()
    desk.run()
    c2 = time.process_time()
    records = desk.records if desk_type is CompiledDesk else rec.records()
    return records, time.process_time() - c0, time.perf_counter() - w0, c2 - c1


@njit(cache=True)
def bare_loop(arr_t, handle_s, n_agents):
    """M/M/c with no features: arrivals pre-drawn, finishes in a binary heap, FCFS."""
    n = arr_t.shape[0]
    heap = np.empty(n_agents + 1)
    hn = 0
    queue = np.empty(n, np.int64)
    qh = qt = 0
    free = n_agents
    i = served = 0
    while i < n or hn > 0:
        ta = arr_t[i] if i < n else np.inf
        th = heap[0] if hn > 0 else np.inf
        c = -1
        if ta <= th:
            now = ta
            if free > 0:
                free -= 1
                c = i
            else:
                queue[qt] = i
                qt += 1
            i += 1
        else:
            now = th
            hn -= 1
            heap[0] = heap[hn]
            j = 0
            while True:
                lft = 2 * j + 1
                if lft >= hn:
                    break
                m = lft
                if lft + 1 < hn and heap[lft + 1] < heap[lft]:
                    m = lft + 1
                if heap[m] < heap[j]:
                    heap[j], heap[m] = heap[m], heap[j]
                    j = m
                else:
                    break
            served += 1
            if qh < qt:
                c = queue[qh]
                qh += 1
            else:
                free += 1
        if c >= 0:
            j = hn
            heap[j] = now + handle_s[c]
            hn += 1
            while j > 0:
                p = (j - 1) >> 1
                if heap[j] < heap[p]:
                    heap[j], heap[p] = heap[p], heap[j]
                    j = p
                else:
                    break
    return served


def physical_limit(n: int = 2_000_000) -> float:
    rng = np.random.default_rng(1)
    arr = np.cumsum(rng.exponential(1.0, n))
    ht = rng.exponential(95.0, n)
    bare_loop(arr[:100], ht[:100], 100)
    c0 = time.process_time()
    served = bare_loop(arr, ht, 100)
    assert served == n
    return n / (time.process_time() - c0)


def compile_seconds() -> list[tuple[float, float]]:
    """Import sim.compiled and run a tiny replication: (wall s, CPU s) with a fresh numba
    cache, then with that cache."""
    import resource

    code = ("import time; t=time.perf_counter(); import numpy as np; "
            "from tests.sim.test_compiled import base; from sim.runner import simulate; "
            "m, d = base(); simulate(m, d, 1, 0); print(time.perf_counter()-t)")
    out = []
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache, PEAKDESK_KERNEL="compiled")
        for _ in range(2):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                               capture_output=True, text=True, check=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
            out.append((float(r.stdout.strip().splitlines()[-1]), cpu))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--no-compile-time", action="store_true")
    ap.add_argument("--models", type=Path, help="pickle of the captured models: read if "
                    "it exists, else written after the capture (saves the plan's minutes)")
    args = ap.parse_args()
    from sim.compiled import CompiledDesk
    from sim.kernel import Desk
    from sim.runner import simulate

    print(f"machine: {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f} "
          "(CPU seconds below are this process's own)")
    t = time.perf_counter()
    models, demands, seed = cached_models(args.models, flagship_models)
    print(f"1. flagship models captured from `plan` in {time.perf_counter() - t:.0f} s: "
          f"{len(models)} replications, {len(models[0].pools)} pools, "
          f"{sum(p.size for p in models[0].pools)} agents")
    reps = min(args.reps, len(models))
    desk_run(CompiledDesk, models[0], demands[0], seed, 0)  # load the compiled code
    rows = {Desk: [0, 0.0, 0.0, 0.0], CompiledDesk: [0, 0.0, 0.0, 0.0]}
    full = {Desk: [0.0, 0.0], CompiledDesk: [0.0, 0.0]}
    for r in range(reps):
        recs = {}
        for kind in (Desk, CompiledDesk):
            rec, cpu, wall, alone = desk_run(kind, models[r], demands[r], seed, r)
            recs[kind] = rec
            rows[kind][0] += len(rec)
            rows[kind][1] += cpu
            rows[kind][2] += wall
            rows[kind][3] += alone
            os.environ["PEAKDESK_KERNEL"] = "python" if kind is Desk else "compiled"
            c0, w0 = time.process_time(), time.perf_counter()
            simulate(models[r], demands[r], seed, r)
            full[kind][0] += time.process_time() - c0
            full[kind][1] += time.perf_counter() - w0
        a, b = recs[Desk], recs[CompiledDesk]
        for f in dataclasses.fields(a):
            x, y = getattr(a, f.name), getattr(b, f.name)
            if not np.array_equal(x, y, equal_nan=x.dtype.kind == "f"):
                raise SystemExit(f"replication {r}: {f.name} differs between the kernels")
    n = rows[Desk][0]
    print(f"2. {reps} replications, {n:,} contacts; records equal bit for bit: yes")
    print(f"   {'':26}{'CPU s':>8}{'wall s':>8}{'contacts/CPU s':>16}")
    for label, kind in (("readable desk (loop)", Desk), ("compiled desk (loop)", CompiledDesk)):
        _, cpu, wall, _ = rows[kind]
        print(f"   {label:26}{cpu:8.2f}{wall:8.2f}{n / cpu:16,.0f}")
    for label, kind in (("readable: loop alone", Desk), ("compiled: loop alone", CompiledDesk)):
        alone = rows[kind][3]
        print(f"   {label:26}{alone:8.2f}{'':8}{n / alone:16,.0f}")
    for label, kind in (("readable: replication", Desk), ("compiled: replication", CompiledDesk)):
        cpu, wall = full[kind]
        print(f"   {label:26}{cpu:8.2f}{wall:8.2f}{n / cpu:16,.0f}")
    print(f"   ratio, loop: {rows[Desk][1] / rows[CompiledDesk][1]:.1f}x   loop alone: "
          f"{rows[Desk][3] / rows[CompiledDesk][3]:.1f}x   "
          f"whole replication: {full[Desk][0] / full[CompiledDesk][0]:.1f}x (CPU)")
    lim = physical_limit()
    print(f"3. physical limit, compiled M/M/c loop with no features: {lim:,.0f} contacts/CPU s"
          f"; compiled desk at {n / rows[CompiledDesk][1] / lim:.1%} of it (loop alone "
          f"{n / rows[CompiledDesk][3] / lim:.1%})")
    if not args.no_compile_time:
        (fresh, fresh_cpu), (cached, cached_cpu) = compile_seconds()
        print(f"4. import + tiny replication, compiled kernel: fresh cache {fresh:.1f} s "
              f"({fresh_cpu:.1f} CPU s), cached {cached:.1f} s ({cached_cpu:.1f} CPU s)")


if __name__ == "__main__":
    main()
