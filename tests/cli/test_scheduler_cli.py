"""--scheduler on every command that simulates goes through the execution layer: with a
stand-in cluster (a client whose executor is a counting thread pool; real Dask is tested
in tests/scenarios/sweep/test_sweep_dask.py) the replications are sent to it and the
output equals the local run's (the reference: the same command without --scheduler)."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner

import scenarios.execution as execution_mod
from cli import main

ROOT = Path(__file__).parents[2]
PROMO = ROOT / "scenarios" / "examples" / "promo_day.yaml"
MINI = ROOT / "tests" / "scenarios" / "run" / "data" / "mini_peak.yaml"
POLICY = ROOT / "rules" / "policies" / "commission_phase2.yaml"


class FakeClient:
    """What scenarios.execution needs of a Dask client."""

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(2)
        self.submitted = 0
        self.closed = False

    def get_executor(self, pure: bool = True):
        client = self

        class Counting:
            def submit(self, fn, *args, **kwargs):
                client.submitted += 1
                return client.pool.submit(fn, *args, **kwargs)

        return Counting()

    def close(self) -> None:
        self.closed = True
        self.pool.shutdown()


@pytest.fixture
def cluster(monkeypatch):
    made: list[FakeClient] = []

    def connect(address: str) -> FakeClient:
        assert address == "tcp://10.0.0.5:8786"
        made.append(FakeClient())
        return made[-1]

    monkeypatch.setattr(execution_mod, "connect", connect)
    return made


def _no_times(doc):
    """The document without wall times (keys ending in ``_s`` that hold seconds taken)."""
    if isinstance(doc, dict):
        return {k: _no_times(v) for k, v in doc.items()
                if k not in ("solve_s", "simulate_s", "build_s", "wall_s", "seconds", "timings",
                             "solver")}
    if isinstance(doc, list):
        return [_no_times(v) for v in doc]
    return doc


def invoke(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.mark.slow
def test_compare_scheduler(cluster, tmp_path):
    args = ["compare", PROMO, "--policy", POLICY, "-r", "2", "--no-baseline"]
    assert invoke(*args, "--json", tmp_path / "a.json").exit_code == 0
    r = invoke(*args, "--json", tmp_path / "b.json", "--scheduler", "tcp://10.0.0.5:8786")
    assert r.exit_code == 0, r.output
    assert cluster[0].submitted > 0 and cluster[0].closed
    a, b = (json.loads((tmp_path / f"{n}.json").read_text()) for n in "ab")
    assert _no_times(a) == _no_times(b)


@pytest.mark.slow
def test_plan_scheduler(cluster, tmp_path):
    args = ["plan", MINI, "--check-replications", "1", "--rounds", "1"]
    assert invoke(*args, "--json", tmp_path / "a.json").exit_code == 0
    r = invoke(*args, "--json", tmp_path / "b.json", "--scheduler", "tcp://10.0.0.5:8786")
    assert r.exit_code == 0, r.output
    assert cluster[0].submitted > 0 and cluster[0].closed  # the plan check's simulations
    a, b = (json.loads((tmp_path / f"{n}.json").read_text()) for n in "ab")
    assert {"cost", "plan", "validation"} <= a.keys()
    assert _no_times(a) == _no_times(b)


def test_simulate_scheduler(cluster, tmp_path):
    args = ["simulate", PROMO, "-r", "2", "--quiet"]
    assert invoke(*args, "--json", tmp_path / "a.json").exit_code == 0
    r = invoke(*args, "--json", tmp_path / "b.json", "--scheduler", "tcp://10.0.0.5:8786")
    assert r.exit_code == 0, r.output
    assert cluster[0].submitted == 2
    a, b = (json.loads((tmp_path / f"{n}.json").read_text()) for n in "ab")
    assert a["channels"] == b["channels"] and a["team"] == b["team"]
