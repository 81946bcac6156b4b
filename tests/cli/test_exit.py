"""The command, run as the program, ends without the interpreter's teardown — but
after everything an ordinary exit does that anyone can see: exit handlers (atexit),
flushed output, the exit status, threads that are not daemons waited for.

Reference: fresh interpreters running ``cli.main()`` as the console script does (the
arguments from the command line), against what ``sys.exit`` would give: the status, the
files the exit handlers and a late thread write, the text on stdout."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _program(tmp_path: Path, prelude: str, *args: str, env: dict | None = None
             ) -> subprocess.CompletedProcess[str]:
    import os

    code = f"{prelude}\nimport cli\ncli.main()\n"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=tmp_path, text=True,
                          capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT),
                                                    **(env or {})})


HANDLER = ("import atexit, sys\n"
           "atexit.register(lambda: open('handler-ran', 'w').write('yes'))\n"
           "sys.stdout.write('unflushed text ')\n")


def test_exit_handlers_run_and_output_is_flushed(tmp_path: Path) -> None:
    p = _program(tmp_path, HANDLER, "runs", "--help")
    assert p.returncode == 0, p.stderr
    assert (tmp_path / "handler-ran").read_text() == "yes"
    assert p.stdout.startswith("unflushed text ") and "Usage:" in p.stdout


def test_exit_status_of_a_user_error_is_kept(tmp_path: Path) -> None:
    p = _program(tmp_path, HANDLER, "validate", "missing.yaml")
    assert p.returncode == 2, p.stderr
    assert (tmp_path / "handler-ran").exists()
    ordinary = _program(tmp_path, "", "validate", "missing.yaml",
                        env={"PEAKDESK_EXIT": "interpreter"})
    assert ordinary.returncode == 2 and ordinary.stderr == p.stderr


def test_a_thread_still_working_is_waited_for(tmp_path: Path) -> None:
    late = ("import threading, time\n"
            "def work():\n"
            "    time.sleep(0.5)\n"
            "    open('late', 'w').write('done')\n"
            "threading.Thread(target=work).start()\n")
    p = _program(tmp_path, late, "runs", "--help")
    assert p.returncode == 0, p.stderr
    assert (tmp_path / "late").read_text() == "done"


def test_called_with_arguments_it_returns_as_click_does(tmp_path: Path) -> None:
    """Tests and other programs call ``main([...])``: a SystemExit they can catch."""
    code = ("import cli\ntry:\n    cli.main(['runs', '--help'])\nexcept SystemExit as e:\n"
            "    print('caught', e.code)\n")
    p = subprocess.run([sys.executable, "-c", code], cwd=ROOT, text=True,
                       capture_output=True)
    assert p.returncode == 0 and p.stdout.strip().endswith("caught 0"), p.stderr
