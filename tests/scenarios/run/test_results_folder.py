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


def test_written_files_are_flushed_before_the_rename(tmp_path: Path, monkeypatch) -> None:
    """Every file given to ``write`` is fsynced (by helper threads) before the folder is
    renamed into place; the rename waits for the last of them. Reference: a recording
    of the fsync and rename calls in the order the kernel got them."""
    import threading
    import time

    import scenarios.run.results_folder as rf

    calls: list[tuple[str, str]] = []
    lock = threading.Lock()
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        name = os.readlink(f"/proc/self/fd/{fd}") if os.path.exists("/proc/self/fd") else "?"
        real_fsync(fd)
        time.sleep(0.02)  # a slow disk: a rename that did not wait would come first
        with lock:
            calls.append(("fsync", os.path.basename(name)))

    def replace(a, b) -> None:
        with lock:
            calls.append(("replace", os.path.basename(str(b))))
        real_replace(a, b)

    monkeypatch.setattr(rf.os, "fsync", fsync)
    monkeypatch.setattr(rf.os, "replace", replace)
    target = tmp_path / "out"
    names = [f"t{k}.csv" for k in range(20)] + ["figures/a.svg"]
    with ResultsFolder(target, force=False) as f:
        for k, name in enumerate(names):
            f.write(name, "x" * (1000 * k) if k % 2 else b"\x00bytes")
        f.commit()
    files = sorted(os.path.basename(n) for n in names)
    rename = calls.index(("replace", "out"))
    assert sorted(n for kind, n in calls[:rename] if kind == "fsync" and n in files) == files
    assert not [n for kind, n in calls[rename:] if n in files]
    assert (target / "t3.csv").read_text() == "x" * 3000
    assert (target / "t0.csv").read_bytes() == b"\x00bytes"
    assert (target / "figures" / "a.svg").exists()


def test_a_failed_flush_stops_the_commit(tmp_path: Path, monkeypatch) -> None:
    """A disk error while flushing a file is raised by ``commit``; nothing is renamed
    and the temporary folder goes."""
    import scenarios.run.results_folder as rf

    def broken(path: Path) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(rf, "_fsync_file", broken)
    with pytest.raises(OSError, match="Input/output"), \
            ResultsFolder(tmp_path / "out", force=False) as f:
        f.write("a.csv", "1")
        f.commit()
    assert _entries(tmp_path) == []
