"""Memory and time per contact of one replication of the flagship at 1x, 2x, 5x, 10x.

Each measurement runs in a fresh subprocess: the flagship (scenarios/examples/double11.yaml)
scaled k-fold (benchmarks/make_double11_scaled.py), its worst demand scenario (the one the
size guard, sim/sizes.py, counts), one replication of ``sim.runner.simulate`` on the
readable desk (PEAKDESK_KERNEL=python) and on the compiled one (=compiled). Peak memory is
the process's resident high-water mark (VmHWM, reset through /proc/self/clear_refs just
before the replication) minus its resident size then: what the replication added, as the
machine sees it. Printed per contact simulated and against the 1x run of the same kernel
in the same run (ratios), with the bytes per contact the size guard assumes.

Run: python benchmarks/bench_memory.py [--scales 1 2 5 10] [--kernels python compiled]
     python benchmarks/bench_memory.py --scales 1 --cli simulate plan   (the 10x file through
     the commands, on each kernel: wall time and the peak memory of all their processes)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def _status_kb(key: str) -> int:
    text = Path("/proc/self/status").read_text()
    return int(re.search(rf"{key}:\s+(\d+)", text).group(1))


def measure(k: int, kernel: str) -> dict:
    """One replication of the k-fold flagship's worst demand (runs in the child)."""
    os.environ["PEAKDESK_KERNEL"] = kernel
    import dataclasses
    import gc

    from make_double11_scaled import scaled_text

    from scenarios.adapters.to_demand import demand_scenarios
    from scenarios.adapters.to_sim import sim_model
    from scenarios.reading.load import load_scenario
    from scenarios.reading.plan import staffing
    from sim.runner import Demand, sample_demands, simulate
    from sim.sizes import expected_contacts

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"double11_x{k}.yaml"
        path.write_text(scaled_text(k, Path(tmp)), encoding="utf-8")
        sc = load_scenario(str(path))
        model = sim_model(sc, staffing(sc, str(path), None))
    seed, reps = sc.simulation.seed, sc.simulation.replications
    options = [(Demand(d.rates, handle_time_factor=d.handle_time_factor, name=d.name,
                       scenario_multiplier=d.multiplier), d.probability)
               for d in demand_scenarios(sc)]
    demands = sample_demands(options, reps, seed)
    r = max(range(reps), key=lambda i: expected_contacts(model, demands[i]))
    # compile (or load the compiled desk from numba's cache) before measuring
    simulate(model, dataclasses.replace(demands[r], multiplier=0.01), seed, r)
    gc.collect()
    before = _status_kb("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current RSS
    t0, c0 = time.perf_counter(), time.process_time()
    out = simulate(model, demands[r], seed, r)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = _status_kb("VmHWM")
    n = int(out.team["contacts_simulated"])
    return {"scale": k, "kernel": kernel, "agents": int(sum(p.size for p in model.pools)),
            "first_attempts": expected_contacts(model, demands[r]), "contacts": n,
            "rss_before_mb": before / 1024, "peak_added_mb": (peak - before) / 1024,
            "bytes_per_contact": (peak - before) * 1024 / n, "cpu_s": cpu, "wall_s": wall}


def child(k: int, kernel: str) -> dict:
    code = (f"import json, sys; sys.path.insert(0, {str(ROOT / 'benchmarks')!r}); "
            f"import bench_memory as b; print(json.dumps(b.measure({k}, {kernel!r})))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=False)
    if res.returncode:
        raise SystemExit(f"x{k} {kernel} failed:\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def _tree_rss_kb(root: int) -> int:
    """Memory of ``root`` and all its descendants, summed (from /proc): their proportional
    set sizes (a page shared by n processes counts 1/n to each), else their resident sizes."""
    parent: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            parent[int(d.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, grew = {root}, True
    while grew:
        more = {p for p, pp in parent.items() if pp in tree} - tree
        tree |= more
        grew = bool(more)
    total = 0
    for p in tree:  # proportional set size: pages a forked worker shares count once
        try:
            text = Path(f"/proc/{p}/smaps_rollup").read_text()
            total += int(re.search(r"Pss:\s+(\d+)", text).group(1))
        except (OSError, AttributeError):
            try:
                total += _status_kb_of(p, "VmRSS")
            except (OSError, AttributeError):
                pass
    return total


def _status_kb_of(pid: int, key: str) -> int:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"{key}:\s+(\d+)", text).group(1))


def _children_cpu() -> float:
    """CPU seconds of the finished child processes of this one (and theirs)."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def cli_run(k: int, command: str, kernel: str, extra: tuple[str, ...] = ()) -> None:
    """``peakdesk COMMAND`` on the k-fold file: wall time, CPU time and the peak of the
    summed memory (PSS) of the command and its worker processes (sampled every 0.2 s)."""
    from make_double11_scaled import scaled_text

    path = ROOT / "benchmarks" / "data" / f"double11_x{k}.yaml"
    path.write_text(scaled_text(k), encoding="utf-8")
    out = Path(tempfile.mkdtemp(prefix=f"x{k}_{command}_"))
    args = [sys.executable, "-m", "cli", command, str(path), "--out", str(out), *extra]
    env = {**os.environ, "PEAKDESK_KERNEL": kernel}
    t0, cpu0 = time.perf_counter(), _children_cpu()
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    peak = parent = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss_kb(proc.pid))
        try:
            parent = max(parent, _status_kb_of(proc.pid, "VmHWM"))
        except (OSError, AttributeError):
            pass
        time.sleep(0.2)
    wall, cpu = time.perf_counter() - t0, _children_cpu() - cpu0
    tail = proc.stdout.read()[-1500:] if proc.stdout else ""
    print(f"peakdesk {command} x{k} ({kernel} desk): exit {proc.returncode}, {wall:.0f} s "
          f"wall, {cpu:.0f} CPU s (all its processes), peak memory of all its processes {peak / 1024:.0f} MB, of the main "
          f"process alone {parent / 1024:.0f} MB (load average "
          f"{os.getloadavg()[0]:.1f}); output in {out}")
    if proc.returncode:
        print(tail)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", type=int, nargs="+", default=[1, 2, 5, 10])
    ap.add_argument("--kernels", nargs="+", default=["python", "compiled"])
    ap.add_argument("--cli", nargs="*", metavar="COMMAND",
                    help="also run these peakdesk commands on the 10x file (default: simulate)")
    a = ap.parse_args()
    from sim.sizes import BYTES_PER_CONTACT

    print(f"load average {os.getloadavg()[0]:.1f}; the size guard assumes "
          f"{BYTES_PER_CONTACT} bytes a contact")
    print(f"{'scale':>5} {'kernel':>8} {'agents':>6} {'contacts':>10} {'peak MB':>8} "
          f"{'B/contact':>9} {'x1 B':>6} {'CPU s':>7} {'us/contact':>10} {'x1 t':>6}")
    for kernel in a.kernels:
        base = None
        for k in a.scales:
            m = child(k, kernel)
            us = m["cpu_s"] / m["contacts"] * 1e6
            base = base or (m["bytes_per_contact"], us)
            print(f"{k:>5} {kernel:>8} {m['agents']:>6} {m['contacts']:>10,} "
                  f"{m['peak_added_mb']:>8.0f} {m['bytes_per_contact']:>9.0f} "
                  f"{m['bytes_per_contact'] / base[0]:>6.2f} {m['cpu_s']:>7.1f} {us:>10.1f} "
                  f"{us / base[1]:>6.2f}", flush=True)
    for command in (a.cli or ["simulate"]) if a.cli is not None else ():
        for kernel in a.kernels:
            cli_run(10, command, kernel)


if __name__ == "__main__":
    main()
