"""The tree checks see the project's own files only (issue 30: the README's
``python3 -m venv .venv`` put 959 site-packages ``__init__.py`` files in front of the
package-map test).

References: git itself (``git ls-files``) for the fallback walk on this repository, and
hand-built trees whose project files are known.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.tree import ROOT, git_files, project_files, python_modules, walked_files

#: files a newcomer's machine has that are not the project's
NOT_OURS = [".venv/lib/python3.11/site-packages/click/__init__.py", ".venv/pyvenv.cfg",
            "build/lib/sim/__init__.py", "results/double11/summary.json",
            "results/peakdesk-runs.sqlite", "peakdesk.egg-info/PKG-INFO",
            "sim/__pycache__/kpi.cpython-311.pyc", ".pytest_cache/v/cache/nodeids",
            ".hypothesis/examples/x", "out/report.html"]
OURS = ["cli.py", "sim/__init__.py", "sim/kpi.py", "scenarios/examples/a.yaml",
        "docs/out.md", "tests/test_x.py"]


def make_tree(root: Path) -> None:
    shutil.copy(ROOT / ".gitignore", root / ".gitignore")
    for rel in NOT_OURS + OURS:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x\n", encoding="utf-8")


def test_the_walk_skips_what_gitignore_names(tmp_path: Path) -> None:
    make_tree(tmp_path)
    assert walked_files(tmp_path) == sorted([".gitignore", *OURS])


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_and_the_walk_agree_on_a_new_clone(tmp_path: Path) -> None:
    make_tree(tmp_path)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    assert git_files(tmp_path) == walked_files(tmp_path) == project_files(tmp_path)


def test_git_and_the_walk_agree_on_this_repository() -> None:
    """The fallback reads this repository's .gitignore as git does."""
    found = git_files(ROOT)
    if found is None:
        pytest.skip("not a git checkout: the walk is the only listing")
    assert walked_files(ROOT) == found


def test_modules_of_a_tree_with_a_virtual_environment(tmp_path: Path) -> None:
    """What the layout test parses: the project's modules, none of the venv's."""
    make_tree(tmp_path)
    assert sorted(m for m, _ in python_modules(tmp_path)) == ["cli", "sim", "sim.kpi"]


def test_the_project_files_hold_no_ignored_folder() -> None:
    names = project_files()
    assert "cli.py" in names and "tests/tree.py" in names
    assert not [n for n in names if n.split("/", 1)[0] in
                {".venv", "build", "dist", "results", "out", ".git"}]
