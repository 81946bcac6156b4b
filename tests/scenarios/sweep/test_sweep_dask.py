"""The execution layer on a Dask cluster started by the test (loopback only): the same
numbers as the local process pool (the reference: the same run without --scheduler),
and a worker killed in the middle of a sweep loses no finished point."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).parents[3]
PROMO = ROOT / "scenarios" / "examples" / "promo_day.yaml"
MINI = ROOT / "tests" / "scenarios" / "run" / "data" / "mini_peak.yaml"


def cli(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def _stable(summary: dict) -> dict:
    """summary.json holds no times or paths; only the scenario's hash differs between a
    file and its copy."""
    return {k: v for k, v in summary.items() if k != "scenario"}


@pytest.mark.slow
def test_run_on_a_local_dask_cluster_equals_the_process_pool(tmp_path):
    """Every stage that simulates (the plan check, the simulation, the policies'
    behaviour loop and final replications) runs on two Dask workers: summary.json is
    the same as with the local pool."""
    local = tmp_path / "local"
    assert cli("run", MINI, "--quick", "--out", local).exit_code == 0
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        with distributed.Client(cluster) as probe, \
                distributed.get_task_stream(client=probe) as stream:
            r = cli("run", MINI, "--quick", "--out", tmp_path / "dask", "--scheduler",
                    cluster.scheduler_address)
            assert r.exit_code == 0, r.output
    ran = [t for t in stream.data if t["key"].startswith("_task")]
    assert len(ran) >= 12  # the replications went to the workers (check, sim, policies)
    assert len({t["worker"] for t in ran}) == 2
    a = json.loads((local / "summary.json").read_text())
    b = json.loads((tmp_path / "dask" / "summary.json").read_text())
    assert a == b


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(args: list[str], log: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", *args], stdout=log.open("w"),
                            stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True)


def _busy_worker(addr: str, within_s: float = 10.0) -> int:
    """The number k of a worker ``w<k>`` that is running a sweep point. Asked again every
    50 ms for up to ``within_s``: a worker that has just finished a point holds none until
    the scheduler hands it the next one (on a loaded machine the probe could land in that
    gap and see no worker busy: it failed so once at load average 5-7)."""
    with distributed.Client(addr, timeout=10) as probe:
        names = {a: w["name"] for a, w in probe.scheduler_info()["workers"].items()}
        deadline = time.monotonic() + within_s
        while True:
            busy = [names[a] for a, keys in probe.processing().items()
                    if any(str(k).startswith("peakdesk-point") for k in keys)]
            if busy or time.monotonic() > deadline:
                break
            time.sleep(0.05)
    assert busy, f"no worker was running a point within {within_s} s"
    return int(str(busy[0])[1:])


@pytest.mark.slow
def test_worker_killed_mid_sweep_loses_no_finished_point(tmp_path):
    """A scheduler and two worker processes (no nanny: a killed worker stays dead). After
    the first point is written, one worker is killed: the finished points stay as they
    are, the scheduler moves the lost work to the other worker, every point finishes, and
    the table equals the one of the same sweep on the local pool."""
    port = _port()
    addr = f"tcp://127.0.0.1:{port}"
    procs = [_start(["distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port",
                     str(port), "--no-dashboard"], tmp_path / "scheduler.log")]
    try:
        time.sleep(2)
        for k in range(2):
            procs.append(_start(["distributed.cli.dask_worker", addr, "--nthreads", "1",
                                 "--no-nanny", "--host", "127.0.0.1", "--no-dashboard",
                                 "--name", f"w{k}"], tmp_path / f"worker{k}.log"))
        # 12 points (~1.3 s each on a quiet 2-core machine): when the first is written,
        # ~7 s of points are still to run, so the probe below finds one running. With 4
        # points the others could all finish before the probe had connected (the faster
        # the simulation got, the likelier: it failed so in a fresh-clone CI run)
        agents = "40,50,60,70,80,90"
        vary = ["--vary", f"pools.in_house.agents={agents}", "--vary", "peak=1,1.2", "--quick"]
        n_points = len(agents.split(",")) * 2
        out = tmp_path / "dask"
        sweep = subprocess.Popen(
            [sys.executable, "-c", "import cli; cli.main()", "sweep", str(PROMO), *vary,
             "--out", str(out), "--scheduler", addr], stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL, text=True, cwd=ROOT)
        assert sweep.stderr is not None
        first: dict[str, int] = {}
        lines = []
        for line in sweep.stderr:
            lines.append(line)
            if line.startswith(f"point 1/{n_points}") and not first:
                first = {p.name: (p / "summary.json").stat().st_mtime_ns
                         for p in (out / "points").iterdir()}
                victim = _busy_worker(addr)  # a worker running a point right now
                procs[1 + victim].send_signal(signal.SIGKILL)
        sweep.wait(timeout=600)
        assert sweep.returncode == 0, "".join(lines)
        assert procs[1 + victim].wait(timeout=10) == -signal.SIGKILL
        doc = json.loads((out / "sweep.json").read_text())
        assert [p["status"] for p in doc["points"]] == ["ok"] * n_points
        for name, t in first.items():  # the finished point was not written again
            assert (out / "points" / name / "summary.json").stat().st_mtime_ns == t
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
    local = tmp_path / "local"
    r = cli("sweep", PROMO, *vary, "--out", local)
    assert r.exit_code == 0, r.output
    assert (out / "sweep.csv").read_text() == (local / "sweep.csv").read_text()
