"""A terminal's Ctrl-C — SIGINT to the whole process group — stops ``peakdesk run`` in each
of its long stages (issue 31): the sourcing mix (inside HiGHS, and its plan check's
process pool), the simulation (process pool) and the incentive policies (behaviour model
and its simulations). Before, Ctrl-C during the mix's HiGHS solve was swallowed: the stage
ended "without a plan" (or ran to its time limit) and the run went on.

Reference: the exit status (130), the process table (/proc: every child the run started
has exited) and the directory listing (no results folder, no temporary folder, no
history) after the signal; and the run's own progress lines, which show the signal landed
while the stage was running (its "✓" line never appears). The time allowed after the
signal is a hang detector (the stage alone takes far longer when not interrupted).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import EXAMPLES, ROOT
from .test_kill import _children, _running
from .test_sigint import _default_sigint

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").exists(),
                                reason="needs Linux /proc to list the run's processes")

STOP_WITHIN_S = 30.0


def _scenario(tmp_path: Path, name: str) -> Path:
    """A copy of a bundled scenario beside a link to the bundled policies (the scenarios
    name them by a relative path)."""
    (tmp_path / "scenarios" / "examples").mkdir(parents=True)
    (tmp_path / "rules").symlink_to(ROOT / "rules", target_is_directory=True)
    dst = tmp_path / "scenarios" / "examples" / name
    dst.write_bytes((EXAMPLES / name).read_bytes())
    return dst


def _thread_ticks(pid: int) -> dict[int, int]:
    """CPU clock ticks (user + system) of each thread of ``pid`` except its main one."""
    out = {}
    for task in Path(f"/proc/{pid}/task").glob("*"):
        if task.name == str(pid):
            continue
        try:
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[int(task.name)] = int(fields[11]) + int(fields[12])  # utime, stime
    return out


def _in_highs(pid: int, samples: int = 3) -> bool:
    """True while HiGHS solves: the mix runs HiGHS on a helper thread while the main thread
    waits for it (planning.solver: so that Ctrl-C reaches the main thread), so a thread
    other than the main one keeps using CPU — the same thread in ``samples`` consecutive
    0.1 s samples. Other helper threads of the run (the workbook's, the figures' sender
    and reader) work in short bursts; the simulations run in child processes."""
    busy: set[int] | None = None
    for _ in range(samples):
        try:
            before = _thread_ticks(pid)
            time.sleep(0.1)
            after = _thread_ticks(pid)
        except OSError:
            return False
        now = {tid for tid, ticks in after.items() if ticks - before.get(tid, ticks) >= 2}
        busy = now if busy is None else busy & now
        if not busy:
            return False
    return True


@pytest.mark.parametrize("scenario, after, stage, in_highs", [
    ("double11_mix.yaml", "Capacity plan", "Sourcing mix", True),
    ("double11_week.yaml", "Sourcing mix", "Simulated service", False),
    ("double11_week.yaml", "Simulated service", "Incentive policies", False),
], ids=["mix-inside-highs", "simulation", "policies"])
def test_ctrl_c_to_the_group_stops_the_stage(tmp_path: Path, scenario: str, after: str,
                                             stage: str, in_highs: bool) -> None:
    scen = _scenario(tmp_path, scenario)
    work = tmp_path / "work"
    work.mkdir()
    err_path = tmp_path / "stderr.txt"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open(err_path, "w") as err, open(tmp_path / "stdout.txt", "w") as out:
        proc = subprocess.Popen([sys.executable, "-c", "import cli; cli.main()", "run",
                                 str(scen), "--out", "out", *([] if in_highs else ["--quick"])],
                                cwd=work, env=env,
                                stdout=out, stderr=err, start_new_session=True,
                                preexec_fn=_default_sigint)
        deadline = time.monotonic() + 900
        while after not in err_path.read_text(encoding="utf-8") and proc.poll() is None:
            assert time.monotonic() < deadline, "the run never reached the stage"
            time.sleep(0.05)
        children: set[int] = set()
        while True:  # into the stage; with in_highs, into a solve that lasts
            while in_highs and not _in_highs(proc.pid) and proc.poll() is None:
                assert time.monotonic() < deadline, "HiGHS never started"
                children.update(_children(proc.pid))
                time.sleep(0.01)
            assert proc.poll() is None, err_path.read_text(encoding="utf-8")
            started = time.monotonic()  # a --quick stage takes ~0.7 s on a quiet machine
            while time.monotonic() - started < (0.5 if in_highs else 0.3):
                children.update(_children(proc.pid))
                time.sleep(0.02)
            # a short solve (a neighbourhood MIP, a baseline) may end within the 0.5 s:
            # then wait for the next one rather than signal outside HiGHS
            if not in_highs or _in_highs(proc.pid):
                break
            assert f"✓ {stage}" not in err_path.read_text(encoding="utf-8"), \
                "no solve of the stage lasted long enough to be interrupted inside HiGHS"
        os.killpg(proc.pid, signal.SIGINT)
        sent = time.monotonic()
        proc.wait(timeout=STOP_WITHIN_S)
        stopped_s = time.monotonic() - sent
    stderr = err_path.read_text(encoding="utf-8")
    assert f"✓ {stage}" not in stderr, "the stage had finished before the signal"
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr, stderr
    assert "KeyboardInterrupt" not in stderr, stderr
    left = [c for c in children if _running(c)]
    for _ in range(100):
        if not left:
            break
        time.sleep(0.05)
        left = [c for c in left if _running(c)]
    assert left == [], f"processes still running: {left}"
    assert sorted(os.listdir(work)) == []  # no folder, no .out.tmp-*, no history
    print(f"\n{stage}: stopped {stopped_s:.2f} s after the signal")
