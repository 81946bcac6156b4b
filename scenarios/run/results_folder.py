"""The results folder, built whole in a hidden temporary folder beside the target and
renamed into place at the end: a reader (or a Ctrl-C) sees the completed folder or
nothing, never half a file. An existing folder is replaced only with ``force``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType

from scenarios.reading.errors import InputError


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGINT / SIGTERM until the block ends (renames and clean-up are not cut short).

    A signal that arrives meanwhile is delivered when the block exits.
    """
    can = hasattr(signal, "pthread_sigmask") and threading.current_thread() is threading.main_thread()
    sigs = {signal.SIGINT, signal.SIGTERM}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, sigs) if can else None
    try:
        yield
    finally:
        if can and old is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)


def check_target(target: Path, force: bool) -> None:
    """Refuse early if the results folder exists and may not be replaced."""
    if target.exists() and not target.is_dir():
        raise InputError.single(str(target), "exists and is not a folder", field="--out")
    if target.exists() and not force:
        raise InputError.single(str(target), "the results folder exists; choose another "
                                             "--out or add --force to replace it",
                                field="--out")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def apply_umask(root: Path) -> None:
    """Give the folder ordinary permissions (temp files and folders are created private)."""
    mask = _umask()
    os.chmod(root, 0o777 & ~mask)
    for dirpath, dirnames, filenames in os.walk(root):
        for d in dirnames:
            os.chmod(os.path.join(dirpath, d), 0o777 & ~mask)
        for f in filenames:
            os.chmod(os.path.join(dirpath, f), 0o666 & ~mask)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class ResultsFolder:
    """``with ResultsFolder(target, force) as tmp: ...write into tmp...; folder.commit()``.

    Leaving the block without ``commit()`` (an error, Ctrl-C) removes the temporary folder.
    Files given to :meth:`write` are flushed to the disk (fsync) by helper threads while
    the next ones are written, and all of them before the folder is renamed into place.
    """

    SYNC_THREADS = 8  # fsyncs in flight together: the file system commits them at once

    def __init__(self, target: Path, force: bool) -> None:
        self.target = Path(target).absolute()
        self.force = force
        self.tmp: Path | None = None
        self.committed = False
        self._syncs: list[Future[None]] = []
        self._pool: ThreadPoolExecutor | None = None

    def __enter__(self) -> ResultsFolder:
        check_target(self.target, self.force)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        with signals_deferred():
            self.tmp = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.tmp-",
                                             dir=self.target.parent))
        return self

    @property
    def path(self) -> Path:
        """Where to write the files now (the temporary folder)."""
        assert self.tmp is not None, "use ResultsFolder in a with block"
        return self.tmp

    def write(self, name: str, data: str | bytes) -> None:
        """Write the file ``name`` (a path inside the folder; text as UTF-8) and have it
        flushed to the disk before the commit. No temporary file of its own: the whole
        folder is the temporary one."""
        path = self.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.SYNC_THREADS, thread_name_prefix="fsync")
        self._syncs.append(self._pool.submit(_fsync_file, path))

    def _synced(self) -> None:
        """Wait for the files' fsyncs (raising the first that failed)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        syncs, self._syncs = self._syncs, []
        for done in syncs:
            done.result()

    def commit(self) -> Path:
        """Move the finished folder into place (replacing the old one when forced)."""
        self._synced()
        check_target(self.target, self.force)
        apply_umask(self.path)
        with signals_deferred():
            _fsync_dir(self.path)
            old: Path | None = None
            if self.target.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.old-",
                                            dir=self.target.parent))
                os.replace(self.target, old / "previous")
            os.replace(self.path, self.target)
            self.committed = True
            _fsync_dir(self.target.parent)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
        return self.target

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if not self.committed and self.tmp is not None:
            with signals_deferred():
                shutil.rmtree(self.tmp, ignore_errors=True)
