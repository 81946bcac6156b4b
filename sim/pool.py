"""Local process pools that stay quiet on Ctrl-C and never outlive their parent.

A terminal's Ctrl-C reaches every process of the foreground group, so pool workers would
each print a KeyboardInterrupt traceback; and a parent killed with SIGTERM (or SIGKILL)
used to leave its workers running, reparented. Here:

- workers ignore SIGINT (the parent alone handles it) and take SIGTERM's default action;
  SIGINT/SIGTERM are blocked in the parent while it forks workers, so no signal can land
  in a worker before its initializer has run;
- workers die with their parent: on Linux through ``prctl(PR_SET_PDEATHSIG, SIGKILL)``
  (ctypes; the kernel kills the worker when the parent exits), elsewhere through a
  watchdog thread that exits once the parent pid changes (the worker was reparented);
- :func:`process_pool` terminates the workers when the block is left by an exception
  (KeyboardInterrupt, the CLI's SIGTERM exception, an error) instead of waiting for every
  queued task: an interrupted run stops at once and leaves no process behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

PR_SET_PDEATHSIG = 1  # linux/prctl.h
WATCHDOG_S = 0.5
_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _die_with(parent: int) -> None:
    """Arrange for this process to end when ``parent`` does."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0:
                if os.getppid() != parent:  # the parent died before prctl took effect
                    os._exit(1)
                return

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCHDOG_S)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


PR_SET_NAME = 15  # linux/prctl.h


def name_process(name: str) -> None:
    """Name this process (Linux: what ``top`` and /proc/PID/comm show; at most 15 bytes)
    so that a pool worker or a background job can be told from the command itself."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_NAME, name.encode()[:15], 0, 0, 0)


def worker_init(parent: int, name: str = "peakdesk-sim") -> None:
    """Pool initializer: quiet on Ctrl-C, default SIGTERM, die with ``parent``; named
    ``name`` (:func:`name_process`)."""
    name_process(name)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)
    _die_with(parent)


@contextlib.contextmanager
def signals_blocked() -> Iterator[None]:
    """Block SIGINT/SIGTERM in this thread for the block: a process started inside it (a
    pool worker, a background job) inherits the mask and unblocks them itself once set up."""
    can = hasattr(signal, "pthread_sigmask") and \
        threading.current_thread() is threading.main_thread()
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS) if can else None
    try:
        yield
    finally:
        if old is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """SIGINT/SIGTERM arriving during the block take effect when it ends (their handlers
    run then, in this thread). For a block that imports modules while other threads may
    import too: an exception raised by a signal handler in the middle of an import can
    leave that module's import lock held, and the next thread to import it (the run's
    figures thread importing matplotlib) waits forever — a Ctrl-C that hung the process
    at exit. Outside the main thread (no handlers can be set there) the block runs as is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    old = {s: signal.signal(s, lambda sig, _frame: caught.append(sig)) for s in _SIGNALS}
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
        for s in dict.fromkeys(caught):  # each once, in the order they came
            signal.raise_signal(s)


class QuietPool(ProcessPoolExecutor):
    """A ProcessPoolExecutor whose workers run :func:`worker_init`."""

    def __init__(self, max_workers: int) -> None:
        super().__init__(max_workers=max_workers, initializer=worker_init,
                         initargs=(os.getpid(),))

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
        with signals_blocked():  # workers are forked inside submit
            return super().submit(fn, *args, **kwargs)

    def start(self) -> None:
        """Fork every worker now rather than at the first task (a fork-context pool
        starts all its workers at its first submit; the task, the worker's process id,
        only waits for one of them to be up)."""
        self.submit(os.getpid).result()

    def terminate(self) -> None:
        """Stop now: cancel queued tasks and end the workers (SIGTERM, then SIGKILL)."""
        # concurrent.futures has no public way to stop running workers; _processes is
        # the pid -> Process map every CPython version since 3.2 keeps.
        procs = list((getattr(self, "_processes", None) or {}).values())
        for p in procs:
            with contextlib.suppress(Exception):
                p.terminate()
        for p in procs:
            with contextlib.suppress(Exception):
                p.join(timeout=5)
                if p.is_alive():
                    p.kill()
                    p.join(timeout=5)
        # A worker killed while writing its result leaves half a message in the result
        # pipe, and the pool's manager thread would wait forever for the rest (the
        # interpreter's exit joins that thread: a hang). The workers' copies of the write
        # end died with them; closing the parent's copy turns the wait into EOF, which the
        # manager thread handles as a broken pool.
        writer = getattr(getattr(self, "_result_queue", None), "_writer", None)
        if writer is not None:
            with contextlib.suppress(Exception):
                writer.close()
        manager = getattr(self, "_executor_manager_thread", None)  # shutdown forgets it
        self.shutdown(wait=False, cancel_futures=True)
        # Then let the manager thread finish before the interpreter's exit hook runs
        # (racing it gives a "Bad file descriptor" traceback at exit).
        if manager is not None:
            manager.join(timeout=10)


@contextlib.contextmanager
def process_pool(workers: int) -> Iterator[QuietPool]:
    """A :class:`QuietPool` for the block: shut down normally, terminated on any exception."""
    pool = QuietPool(workers)
    try:
        yield pool
    except BaseException:
        pool.terminate()
        raise
    pool.shutdown()
