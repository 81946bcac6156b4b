"""Killing `peakdesk run` during the multi-process simulation stage leaves nothing behind
(issue 17): no pool worker keeps running, no results folder or temporary folder stays.

Reference: the kernel's process table (/proc) and the directory listing after the
signal. The run is caught while its process pool exists (its worker processes are polled
in /proc), then sent SIGTERM (a service manager, `kill`), SIGINT to the whole process
group (what a terminal's Ctrl-C does: workers receive it too) or SIGKILL (nothing can
clean up; the workers must still die with their parent). Before the fix, SIGTERM and
SIGKILL left both workers running, reparented to init, and Ctrl-C printed one
KeyboardInterrupt traceback per worker.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import PROMO, ROOT
from .test_sigint import _default_sigint

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").exists(),
                                reason="needs Linux /proc to list the run's workers")


def _children(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


def _running(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie (a dead process not yet reaped)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


@pytest.mark.parametrize("sig, group, code", [
    (signal.SIGTERM, False, 143),
    (signal.SIGINT, True, 130),
    (signal.SIGKILL, False, -signal.SIGKILL),
], ids=["sigterm", "ctrl-c-to-group", "sigkill"])
def test_killed_run_leaves_no_process_and_no_folder(tmp_path: Path, sig: int, group: bool,
                                                    code: int) -> None:
    scenario = tmp_path / "promo.yaml"  # more replications: the pool lives for seconds
    scenario.write_text(PROMO.read_text(encoding="utf-8").replace(
        "replications: 10", "replications: 40"), encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    err_path = tmp_path / "stderr.txt"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open(err_path, "w") as err, open(tmp_path / "stdout.txt", "w") as out:
        # files, not pipes: a surviving worker would hold a pipe open forever
        proc = subprocess.Popen([sys.executable, "-c", "import cli; cli.main()", "run",
                                 str(scenario), "--out", "out"], cwd=work, env=env,
                                stdout=out, stderr=err, start_new_session=True,
                                preexec_fn=_default_sigint)
        workers: list[int] = []
        deadline = time.monotonic() + 120
        while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
            workers = _children(proc.pid)
            time.sleep(0.02)
        assert len(workers) >= 2, "the run never started its process pool"
        time.sleep(0.3)  # let the workers start their replications
        if group:
            os.killpg(proc.pid, sig)
        else:
            proc.send_signal(sig)
        proc.wait(timeout=60)
    left = workers
    for _ in range(100):  # SIGKILL: the kernel delivers the workers' death signal at once
        left = [w for w in workers if _running(w)]
        if not left:
            break
        time.sleep(0.05)
    stderr = err_path.read_text(encoding="utf-8")
    assert proc.returncode == code, stderr
    assert left == [], f"workers still running: {left}"
    if sig != signal.SIGKILL:
        assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
        assert ("terminated" if sig == signal.SIGTERM else "interrupted") in stderr
        assert sorted(os.listdir(work)) == []  # no folder, no .out.tmp-*, no history
    else:
        assert "out" not in os.listdir(work)  # never a partial results folder in place
