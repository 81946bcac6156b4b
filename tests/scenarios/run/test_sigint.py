"""Ctrl-C (SIGINT) in the middle of a run leaves the completed folder or nothing.

Reference: the directory listing after the interrupted process exits — no results folder,
no hidden temporary folder, no stray file; a forced run that is interrupted keeps the old
folder untouched. The run is slowed (a sleep after each file written) so the signal lands
while the temporary folder is half written."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from .conftest import PROMO, ROOT

SLOW_RUN = """
import sys, time
from scenarios.run.runner import run_scenario

class Slow:
    def stage_started(self, *a): pass
    def stage_finished(self, *a): pass
    def file_written(self, name):
        print(name, flush=True)
        time.sleep(0.3)

run_scenario(sys.argv[1], out=sys.argv[2], force=True, observer=Slow())
print("DONE", flush=True)
"""


def _default_sigint() -> None:
    """A shell runs background jobs with SIGINT ignored, and Python keeps an inherited
    SIG_IGN (no KeyboardInterrupt): give the child the disposition a terminal gives."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _spawn(args: list[str], cwd: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, *args], cwd=cwd, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=_default_sigint)


def _interrupt_after(proc: subprocess.Popen[str], marker: str) -> list[str]:
    seen = []
    assert proc.stdout is not None
    for line in proc.stdout:
        seen.append(line.strip())
        if line.strip() == marker:
            proc.send_signal(signal.SIGINT)
            break
    proc.wait(timeout=30)
    return seen


def test_sigint_while_writing_leaves_nothing(tmp_path: Path) -> None:
    proc = _spawn(["-c", SLOW_RUN, str(PROMO), str(tmp_path / "out")], tmp_path)
    seen = _interrupt_after(proc, "results.xlsx")
    assert "results.xlsx" in seen and "DONE" not in seen
    assert proc.returncode != 0
    assert "KeyboardInterrupt" in (proc.stderr.read() if proc.stderr else "")
    assert sorted(os.listdir(tmp_path)) == []  # no folder, no .out.tmp-*, no history


def test_sigint_in_a_forced_run_keeps_the_old_folder(tmp_path: Path) -> None:
    old = tmp_path / "out"
    old.mkdir()
    (old / "report.html").write_text("old report")
    proc = _spawn(["-c", SLOW_RUN, str(PROMO), str(old)], tmp_path)
    _interrupt_after(proc, "summary.json")
    assert proc.returncode != 0
    assert sorted(os.listdir(tmp_path)) == ["out"]
    assert sorted(os.listdir(old)) == ["report.html"]
    assert (old / "report.html").read_text() == "old report"


def test_sigint_to_the_cli_after_the_first_stage(tmp_path: Path) -> None:
    """The real command, interrupted once the first stage has been reported: exit 130,
    'interrupted', and nothing on disk — or, if the signal came after the rename, the
    complete folder."""
    proc = _spawn(["-c", "import cli; cli.main()", "run", str(PROMO), "--out", "out"],
                  tmp_path)
    assert proc.stderr is not None
    for line in proc.stderr:
        if "Demand" in line:
            proc.send_signal(signal.SIGINT)
            break
    proc.wait(timeout=30)
    err = proc.stderr.read()
    entries = sorted(os.listdir(tmp_path))
    if proc.returncode == 130:
        assert "interrupted" in err and "Traceback" not in err
        assert entries == [], entries
    else:
        assert proc.returncode == 0 and entries == ["out", "peakdesk-runs.sqlite"]
        json.loads((tmp_path / "out" / "manifest.json").read_text())  # complete
