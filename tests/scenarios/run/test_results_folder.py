"""The atomic results folder. Reference: the contract in results_folder.py — after the
block the target is either the complete new folder or untouched, and no temporary
folder is left behind."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from scenarios.reading.errors import InputError
from scenarios.run.results_folder import ResultsFolder


def _entries(parent: Path) -> list[str]:
    return sorted(os.listdir(parent))


def test_commit_moves_the_whole_folder_into_place(tmp_path: Path) -> None:
    target = tmp_path / "out"
    with ResultsFolder(target, force=False) as f:
        (f.path / "a.txt").write_text("1")
        assert not target.exists()  # nothing visible before the commit
        f.commit()
    assert _entries(tmp_path) == ["out"]
    assert (target / "a.txt").read_text() == "1"
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o777 & ~mask
    assert stat.S_IMODE((target / "a.txt").stat().st_mode) == 0o666 & ~mask


def test_error_before_commit_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), ResultsFolder(tmp_path / "out", force=False) as f:
        (f.path / "half.csv").write_text("x")
        raise RuntimeError("boom")
    assert _entries(tmp_path) == []


def test_existing_folder_needs_force(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.mkdir()
    (target / "old.txt").write_text("old")
    with pytest.raises(InputError, match="--force"), ResultsFolder(target, force=False):
        pass
    assert (target / "old.txt").read_text() == "old"
    with ResultsFolder(target, force=True) as f:
        (f.path / "new.txt").write_text("new")
        f.commit()
    assert _entries(target) == ["new.txt"] and _entries(tmp_path) == ["out"]


def test_forced_run_that_fails_keeps_the_old_folder(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.mkdir()
    (target / "old.txt").write_text("old")
    with pytest.raises(KeyboardInterrupt), ResultsFolder(target, force=True) as f:
        (f.path / "new.txt").write_text("new")
        raise KeyboardInterrupt
    assert _entries(target) == ["old.txt"] and _entries(tmp_path) == ["out"]


def test_a_file_in_the_way_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("")
    with pytest.raises(InputError, match="not a folder"), \
            ResultsFolder(tmp_path / "out", force=True):
        pass
