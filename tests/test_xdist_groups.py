"""The suite on both cores keeps the shared whole-run fixtures built once: every test of a
module that names one (tests/conftest.py) runs on the same xdist worker.

Reference: the worker ids the tests themselves record, in a separate ``pytest -n 2 --dist
loadgroup`` run (the README's test options) of a synthetic tree with this repository's
conftest. It fails if a pytest or xdist upgrade stops honouring ``xdist_group`` (pytest
9.2 with xdist 3.8 did: pytest-xdist issue 1386) — then the flagship and the other shared
runs would be built once per worker.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import uses_shared_runs

pytest.importorskip("xdist")

SHARED = '''\
import os
import pytest
# reads the session's mini_runs folders (synthetic: only the name matters)
@pytest.mark.parametrize("i", range(6))
def test_shared(i):
    path = os.path.join(os.environ["RECORD"], f"shared{i}")
    with open(path, "w") as fh:
        fh.write(os.environ["PYTEST_XDIST_WORKER"])
'''
OTHER = '''\
import os
import pytest
@pytest.mark.parametrize("i", range(6))
def test_other(i):
    with open(os.path.join(os.environ["RECORD"], f"other{i}"), "w") as fh:
        fh.write(os.environ["PYTEST_XDIST_WORKER"])
'''


def test_shared_run_modules_are_recognised(tmp_path: Path) -> None:
    here = Path(__file__).parent
    assert uses_shared_runs(here / "scenarios" / "run" / "test_roster.py")  # getfixturevalue
    assert uses_shared_runs(here / "scenarios" / "run" / "test_terminal_words.py")
    assert not uses_shared_runs(here / "test_layout.py")


@pytest.mark.slow
def test_grouped_tests_run_on_one_worker(tmp_path: Path) -> None:
    tree, record = tmp_path / "tree", tmp_path / "record"
    tree.mkdir()
    record.mkdir()
    shutil.copy(Path(__file__).with_name("conftest.py"), tree / "conftest.py")
    (tree / "test_shared.py").write_text(SHARED, encoding="utf-8")
    (tree / "test_other.py").write_text(OTHER, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["RECORD"] = str(record)
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-n", "2", "--dist",
                           "loadgroup", "-p", "no:cacheprovider", "-p", "no:randomly"],
                          cwd=tree, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    workers = {p.name: p.read_text() for p in record.iterdir()}
    shared = {w for name, w in workers.items() if name.startswith("shared")}
    assert len([n for n in workers if n.startswith("shared")]) == 6
    assert len(shared) == 1, workers  # one worker ran the whole group
