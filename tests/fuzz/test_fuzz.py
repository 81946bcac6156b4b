"""Fuzz test (issue 17): mutants of every bundled scenario, policy and CSV input end in
exit 0 or 2 — never 1, never a traceback, never a hang — with a bounded time per file.

Reference: the exit-code contract of the README (0 success, 2 invalid input with a
located message, 1 a bug). The mutants come from tests/fuzz/mutator.py, seeded, so a
failure reproduces exactly: ``PEAKDESK_FUZZ=N PEAKDESK_FUZZ_SEED=S pytest tests/fuzz``
(N mutants, default 24 in CI; docs/robustness.md records a deep local run). The commands
run in one child process (tests/fuzz/harness.py) whose steps are bounded by an alarm
(a hang detector, generous on purpose) and an address-space cap.
"""

from __future__ import annotations

import collections
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .harness import STEP_TIMEOUT_S
from .mutator import mutate

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "scenarios" / "examples"
POLICIES = ROOT / "rules" / "policies"
KPI_POLICY = {"kpis_presale.csv": "presale_scorecard.yaml",
              "kpis_aftersales.csv": "aftersales_40_40_20.yaml",
              "kpis_call_centre.csv": "call_centre_six_part.yaml"}
ERLANG_CASES = ("rate_per_hour,aht_s,within_s,patience_s,agents,target\n"
                "1200,240,20,120,85,\n900,300,20,,,0.8\n60,180,30,60,,0.9\n")


def _history_sample() -> str:
    """The bundled history cut to its first two weeks (a forecast needs 7+ days)."""
    lines = (EXAMPLES / "history.csv").read_text(encoding="utf-8").splitlines()
    return "\n".join(lines[:1 + 14 * 48 * 2]) + "\n"


def build_jobs(tmp: Path, count: int, seed: int) -> list[dict]:
    """``count`` mutants, round-robin over the bundled inputs, with the steps to run."""
    shutil.copytree(EXAMPLES, tmp / "scenarios" / "examples")
    shutil.copytree(POLICIES, tmp / "rules" / "policies")
    (tmp / "csv").mkdir()
    ex, pol = tmp / "scenarios" / "examples", tmp / "rules" / "policies"
    bases: list[tuple[str, str, bool]] = []  # (kind, name, csv?)
    bases += [("scenario", p.name, False) for p in sorted(EXAMPLES.glob("*.yaml"))]
    bases += [("policy", p.name, False) for p in sorted(POLICIES.glob("*.yaml"))]
    bases += [("kpis", name, True) for name in sorted(KPI_POLICY)]
    bases += [("history", "history.csv", True), ("erlang", "cases.csv", True)]
    jobs = []
    for i in range(count):
        kind, name, is_csv = bases[i % len(bases)]
        if kind == "scenario":
            text = (EXAMPLES / name).read_text(encoding="utf-8")
        elif kind == "policy":
            text = (POLICIES / name).read_text(encoding="utf-8")
        elif kind == "kpis":
            text = (POLICIES / name).read_text(encoding="utf-8")
        elif kind == "history":
            text = _history_sample()
        else:
            text = ERLANG_CASES
        data = mutate(text, seed, i, csv=is_csv)
        if kind == "scenario":
            f = ex / f"m{i}_{name}"
            steps = [["validate", str(f)], ["requirements", str(f)]]
        elif kind == "policy":
            f = pol / f"m{i}_{name}"
            steps = [["validate", str(f)], ["rules", "lint", str(f)]]
        elif kind == "kpis":
            f = tmp / "csv" / f"m{i}_{name}"
            steps = [["pay", str(POLICIES / KPI_POLICY[name]), str(f)]]
        elif kind == "history":
            f = tmp / "csv" / f"m{i}_{name}"
            steps = [["forecast", str(f)]]
        else:
            f = tmp / "csv" / f"m{i}_{name}"
            steps = [["erlang", "--input", str(f), "--output", str(tmp / "csv" / f"o{i}.csv")]]
        f.write_bytes(data)
        jobs.append({"id": f"{kind}:{name}#{i}", "steps": steps})
    return jobs


def run_fuzz(tmp: Path, count: int, seed: int) -> list[dict]:
    jobs = build_jobs(tmp, count, seed)
    (tmp / "jobs.json").write_text(json.dumps(jobs), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1",
           "OMP_NUM_THREADS": "1"}
    proc = subprocess.run([sys.executable, "-m", "tests.fuzz.harness", str(tmp / "jobs.json")],
                          cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60 + 2 * STEP_TIMEOUT_S * count)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return [json.loads(ln) for ln in proc.stdout.splitlines() if ln.startswith("{")]


def test_fuzzed_inputs_keep_the_exit_contract(tmp_path: Path) -> None:
    count = int(os.environ.get("PEAKDESK_FUZZ", "24"))
    seed = int(os.environ.get("PEAKDESK_FUZZ_SEED", "17"))
    results = run_fuzz(tmp_path, count, seed)
    assert len(results) == count
    bad = [(r["id"], s) for r in results for s in r["steps"]
           if s["exit"] not in (0, 2) or s["traceback"]]
    assert bad == [], json.dumps(bad, indent=1, ensure_ascii=False)[:5000]
    located = [s for r in results for s in r["steps"] if s["exit"] == 2]
    # every exit 2 names the file it is about, with a line where the reader can place it
    assert all(s["error"].lower().startswith("error: ") for s in located), located[:3]
    codes = collections.Counter(str(s["exit"]) for r in results for s in r["steps"])
    print(f"\nfuzz: {count} files (seed {seed}), steps by exit code: {dict(codes)}; "
          f"slowest step {max(s['seconds'] for r in results for s in r['steps']):.1f} s")
