"""CPU of a whole command by process, this code against a baseline commit in the same run
(issue 25: one pool per command, the background job forked, the desk loaded once).

Runs ``peakdesk run SCENARIO`` (or ``plan``) from a baseline checkout (``git archive REV``
into a temporary folder; its numba cache warmed first: numba compiles the loop again for
another file path) and from this worktree, alternately, and reads every process of each
command's tree from /proc twice a second: the command's own process, the background job
(named ``peakdesk-job``, or the baseline's fresh interpreter running scenarios.background)
and the simulation workers. Prints the CPU seconds of each role and of the whole tree
(getrusage of the reaped children), the processes started, and the ratio new / baseline.
On a shared machine read the CPU seconds, not the wall.

Linux only (/proc). Run:
    python benchmarks/bench_processes.py [SCENARIO] [--command run|plan] [--baseline REV]
        [--pairs N]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_mix_cpu import process_tree  # the /proc walk both benchmarks read

ROOT = Path(__file__).resolve().parents[1]


def measure(cwd: Path, command: str, scenario: str, time_limit: float) -> dict[str, float]:
    """One command from ``cwd``'s code: CPU seconds per role, the tree's, the wall."""
    with tempfile.TemporaryDirectory() as tmp:
        args = [sys.executable, "-c", "from cli import main; main()", command,
                str(ROOT / scenario)]
        if command == "plan":
            args += ["--time-limit", str(time_limit), "--out", f"{tmp}/out"]
        else:
            args += ["--out", f"{tmp}/out"]
        env = {**os.environ, "PYTHONPATH": str(cwd)}
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.time()
        proc = subprocess.Popen(args, cwd=tmp, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        seen: dict[int, tuple[float, str, str, int]] = {}
        while proc.poll() is None:
            for pid, (c, name, cmd, pp) in process_tree(proc.pid).items():
                # a process that has ended (a zombie) shows no command line: keep the first
                old = seen.get(pid)
                seen[pid] = (c, name, cmd, pp) if old is None else (c, *old[1:])
            time.sleep(0.5)
        wall = time.time() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        sys.exit(f"{command} from {cwd} failed (exit {proc.returncode})")
    main = proc.pid
    job = {p for p, (_, name, cmd, pp) in seen.items()
           if pp == main and (name == "peakdesk-job" or "scenarios.background" in cmd)}
    cpu = {p: c for p, (c, *_rest) in seen.items()}
    return {"wall": wall,
            "tree": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
            "main": cpu.get(main, 0.0), "job": sum(cpu[p] for p in job),
            "workers": sum(c for p, c in cpu.items() if p != main and p not in job),
            "processes": float(len(seen))}


def baseline_checkout(rev: str, into: Path) -> Path:
    """``rev``'s files in ``into`` (git archive), its compiled desk compiled and cached."""
    out = into / "baseline"
    out.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(out)], input=archive, check=True)
    subprocess.run([sys.executable, "-c", "from sim.compiled import warm_up; warm_up()"],
                   cwd=out, env={**os.environ, "PYTHONPATH": str(out),
                                 "PEAKDESK_KERNEL": "compiled"}, check=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario", nargs="?", default="scenarios/examples/double11.yaml")
    ap.add_argument("--command", choices=["run", "plan"], default="run")
    ap.add_argument("--baseline", default="905b2a1",
                    help="the commit to compare with (default: issue 25's session start)")
    ap.add_argument("--pairs", type=int, default=1)
    ap.add_argument("--time-limit", type=float, default=600.0,
                    help="plan: the solves' limit (raised: none stops on a busy clock)")
    a = ap.parse_args()
    load0 = os.getloadavg()
    rows: dict[str, list[dict[str, float]]] = {"baseline": [], "this code": []}
    with tempfile.TemporaryDirectory() as tmp:
        old = baseline_checkout(a.baseline, Path(tmp))
        for _ in range(a.pairs):
            rows["baseline"].append(measure(old, a.command, a.scenario, a.time_limit))
            rows["this code"].append(measure(ROOT, a.command, a.scenario, a.time_limit))
    keys = ["tree", "main", "job", "workers", "processes", "wall"]
    print(f"peakdesk {a.command} {a.scenario}: CPU seconds (mean of {a.pairs} pair(s), "
          f"alternating), baseline {a.baseline}")
    print(f"{'':10} " + " ".join(f"{k:>10}" for k in keys))
    means = {}
    for label, rs in rows.items():
        means[label] = {k: sum(r[k] for r in rs) / len(rs) for k in keys}
        print(f"{label:10} " + " ".join(f"{means[label][k]:10.1f}" for k in keys))
    b, n = means["baseline"], means["this code"]
    print("ratio      " + " ".join(f"{(n[k] / b[k] if b[k] else float('nan')):10.2f}"
                                   for k in keys))
    print(f"load average {load0[0]:.1f} → {os.getloadavg()[0]:.1f} (2 cores shared: the "
          f"wall says how busy the machine was)")


if __name__ == "__main__":
    main()
