"""A whole command with freed memory kept for reuse (scenarios/heap.py) against glibc's
defaults (``PEAKDESK_HEAP=default``), in the same run, alternately.

Prints for each the wall, the user and system CPU and the minor page faults over all the
command's processes (getrusage of the reaped children: the pool workers and the
background job are reaped by the command, so they count), the largest process, and the
ratios kept / default. Checks the two give the same summary.json byte for byte.

Run: python benchmarks/bench_heap.py [SCENARIO] [--command run|plan] [--pairs N]
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

ROOT = Path(__file__).resolve().parents[1]


def measure(scenario: str, command: str, heap: str) -> tuple[dict[str, float], bytes]:
    """One command; ``heap`` "default" leaves glibc's settings, "kept" applies ours."""
    env = dict(os.environ)
    env.pop("PEAKDESK_HEAP", None)
    if heap == "default":
        env["PEAKDESK_HEAP"] = "default"
    with tempfile.TemporaryDirectory() as tmp:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "from cli import main; main()", command,
                        scenario, "--out", f"{tmp}/out"], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        summary = Path(tmp, "out", "summary.json")
        text = summary.read_bytes() if summary.exists() else b""
    return {"wall": wall, "user": after.ru_utime - before.ru_utime,
            "sys": after.ru_stime - before.ru_stime,
            "faults": after.ru_minflt - before.ru_minflt,
            "max_gb": after.ru_maxrss / 1024 ** 2}, text


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario", nargs="?", default="scenarios/examples/double11.yaml")
    ap.add_argument("--command", default="run", choices=("run", "plan"))
    ap.add_argument("--pairs", type=int, default=1)
    a = ap.parse_args()
    print(f"load average at the start: {os.getloadavg()[0]:.1f}")
    rows: dict[str, list[dict[str, float]]] = {"default": [], "kept": []}
    outputs = set()
    for _ in range(a.pairs):
        for heap in ("default", "kept"):
            m, text = measure(a.scenario, a.command, heap)
            rows[heap].append(m)
            outputs.add(text)
            print(f"{heap:8s} wall {m['wall']:6.1f} s  user {m['user']:6.1f} s  "
                  f"sys {m['sys']:5.1f} s  minor faults {m['faults']:>10,}  "
                  f"largest process {m['max_gb']:.2f} GB", flush=True)
    print("same summary.json" if len(outputs) == 1 else "summary.json DIFFERS")
    best = {h: {k: min(r[k] for r in rs) for k in rs[0]} for h, rs in rows.items()}
    for k in ("wall", "user", "sys", "faults"):
        d, n = best["default"][k], best["kept"][k]
        print(f"kept / default, {k}: {n / d:.2f}" if d else f"{k}: {n} vs {d}")


if __name__ == "__main__":
    main()
