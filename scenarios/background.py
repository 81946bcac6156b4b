"""One job on the machine's other core: a process that works beside the caller and never
outlives it.

The mix stage is mostly serial — one HiGHS solve at a time, single-threaded — while the
machine has two cores or more. A :class:`Background` job runs ``target(link, *args)`` in a
process of its own; ``target`` talks to the caller through ``link`` (:class:`Link`:
``receive()`` the caller's messages, ``send()`` answers).

How it starts (:data:`START_ENV`): on Linux it is forked from this process (``fork``), so
it starts with this process's imports (the planner, the simulator, numpy, scipy, Pyomo:
~3 CPU s a fresh interpreter would spend importing them again) and its inputs as they are
(nothing pickled). What makes the fork safe here:

- HiGHS: its thread pool is per process and global; a forked child inheriting a pool
  whose worker threads it does not have would wait for them forever at its first solve
  (``resetGlobalScheduler``). The pool is shut down (joined) in this process just before
  the fork — harmless: every solve resets it at its start (planning.solver) — so the job
  inherits none.
- Other threads of this process (the run's figures and workbook writers, the progress
  display, OpenBLAS's pool, which handles fork itself): the job only has the forking
  thread, never draws, writes files or prints (its errors go back through the pipe), so
  never takes a lock one of them may have held at the fork (matplotlib's, openpyxl's, a
  module they were importing, the console's), and
  ends with ``os._exit`` (no exit handlers of this process run twice, no buffered output
  written twice); it closes every inherited file descriptor but its pipe and stdio (a
  simulation pool's pipes must see their end when this process closes them).
- Python state: the execution layer's executor and shared pools are per process id
  (sim.execution), so the job opens its own pool; signals as below.

Elsewhere, or with ``PEAKDESK_JOB_START=spawn``, it runs in a fresh interpreter started with
:mod:`subprocess` (nothing of this process copied).

Clean stops, as for the simulation pools (sim.pool):

- the job ignores SIGINT (a terminal's Ctrl-C reaches the whole process group: the caller
  alone handles it) and takes SIGTERM's default action; both are blocked in the caller
  while the job starts, so neither lands before the job's own handlers are set;
- the job dies with the caller (Linux: ``PR_SET_PDEATHSIG``; elsewhere a watchdog);
- :meth:`Background.stop` (also on leaving a ``with`` block, normally or by an exception,
  KeyboardInterrupt and the CLI's SIGTERM included) ends it at once: SIGTERM, then SIGKILL;
  nobody waits for work that is no longer wanted;
- an exception in the job is sent back and raised again by :meth:`Background.receive`;
  a job that died without answering raises :class:`JobLost`.

The job may also send notes (:meth:`Link.note`, e.g. one per finished replication): a
reader thread in the caller hands each to ``on_note`` as it arrives, in the caller's
context (its ``sim.execution`` observers: the progress display counts the job's
replications while the caller is busy with other work).
"""

from __future__ import annotations

import contextlib
import contextvars
import multiprocessing
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from sim.pool import signals_blocked

#: how often the caller looks up while waiting for an answer (Ctrl-C stays prompt)
WAIT_SLICE_S = 0.1
#: how long a stopped job may take to end after SIGTERM before SIGKILL
STOP_WAIT_S = 5.0
#: how long a fork waits for another thread's import to end
FORK_WAIT_S = 5.0
_BOOT = ("import sys; from scenarios.background import _main; "
         "_main(int(sys.argv[1]), int(sys.argv[2]))")
#: environment variable: "fork" (the default where os.fork exists) or "spawn" (a fresh
#: interpreter) — how a job starts (module docstring)
START_ENV = "PEAKDESK_JOB_START"


class JobLost(RuntimeError):
    """The background job ended without answering (killed, out of memory)."""


class Link:
    """The job's end of the pipe."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def receive(self) -> Any:
        """The caller's next message; None when the caller has closed its end."""
        try:
            return self._conn.recv()
        except (EOFError, OSError):
            return None

    def send(self, value: Any) -> None:
        self._conn.send(("ok", value))

    def note(self) -> None:
        """Tell the caller of some progress (its ``on_note``, e.g. a replication done)."""
        self._conn.send(("note", None))


def _main(fd: int, parent: int) -> None:
    """The job's entry point (in the fresh interpreter): read the target, run it."""
    from multiprocessing.connection import Connection

    from sim.pool import worker_init

    worker_init(parent, "peakdesk-job")  # SIGINT ignored, SIGTERM default, dies with
    conn = Connection(fd)  # the parent
    try:
        target, args = conn.recv()
    except (EOFError, OSError):
        conn.close()
        return
    _run(conn, target, args)


def _forked(conn: Any, parent: int, target: Callable[..., None], args: tuple) -> None:
    """The job's entry point in a forked child: the target and its inputs are at hand."""
    from sim.pool import worker_init

    worker_init(parent, "peakdesk-job")  # SIGINT ignored, SIGTERM default, dies with
    keep = sorted({0, 1, 2, conn.fileno()})
    for lo, hi in zip(keep, keep[1:] + [_max_fd()], strict=True):
        os.closerange(lo + 1, hi)  # inherited pipes and files of this process's objects
    _run(conn, target, args)


def _max_fd() -> int:
    try:
        return max(int(f) for f in os.listdir("/proc/self/fd")) + 1
    except (OSError, ValueError):
        return os.sysconf("SC_OPEN_MAX")


def _quiet_highs() -> None:
    """Shut HiGHS's global thread pool down (joined) before a fork: the child inherits
    none (each solve starts one again, planning.solver)."""
    highspy = sys.modules.get("highspy")
    if highspy is not None:
        with contextlib.suppress(Exception):
            highspy.Highs.resetGlobalScheduler(True)


def _run(conn: Any, target: Callable[..., None], args: tuple) -> None:
    try:
        target(Link(conn), *args)
    except BaseException as exc:  # noqa: BLE001 - handed to the caller
        try:
            conn.send(("error", exc))
        except Exception:  # noqa: BLE001 - an exception that does not pickle
            with contextlib.suppress(Exception):
                conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
    finally:
        with contextlib.suppress(Exception):
            conn.close()


class _Child:
    """A forked job seen from here, with the subprocess.Popen methods Background uses."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            with contextlib.suppress(ChildProcessError):
                pid, status = os.waitpid(self.pid, os.WNOHANG)
                if pid == 0:
                    return None
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        while self.poll() is None:
            if time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.01)
        return self.returncode  # type: ignore[return-value]

    def terminate(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)


def _importing_elsewhere() -> bool:
    """Whether another thread holds a module's import lock right now (is importing): a
    lock held at the fork stays held in the job (CPython's per-module locks; private
    attributes read defensively: False when they are not there)."""
    try:
        import importlib._bootstrap as boot

        me = threading.get_ident()
        for ref in list(boot._module_locks.values()):
            lock = ref()
            owner = getattr(lock, "owner", None)
            if lock is not None and owner not in (None, 0, me) and getattr(lock, "count", 0):
                return True
    except Exception:  # noqa: BLE001 - another Python's internals: no check
        return False
    return False


def _fork(theirs: Any, ours: Any, target: Callable[..., None], args: tuple) -> _Child:
    """Fork the job (module docstring: what makes it safe); this process gets its pid."""
    parent = os.getpid()
    deadline = time.monotonic() + FORK_WAIT_S
    while _importing_elsewhere() and time.monotonic() < deadline:
        time.sleep(0.01)  # not while another thread is importing (e.g. matplotlib)
    with signals_blocked():
        _quiet_highs()
        pid = os.fork()
        if pid == 0:  # the job: never returns
            code = 1
            try:
                ours.close()
                _forked(theirs, parent, target, args)
                code = 0
            finally:
                os._exit(code)
    return _Child(pid)


class Background:
    """``target(link, *args)`` running in a process of its own (see the module
    docstring: forked, or a fresh interpreter for which ``target`` and ``args`` must
    pickle, ``target`` a module-level function; ``start`` "fork" or "spawn", default
    :data:`START_ENV`'s or "fork").
    ``on_note()`` is called (from a reader thread, in the context of this call) for each
    :meth:`Link.note` of the job.

    Started with :mod:`subprocess` rather than multiprocessing's ``spawn``, which runs the
    caller's main script again in the job (a script calling the planner without an
    ``if __name__ == "__main__":`` guard would fail there): the job imports the target's
    module alone, on this process's ``sys.path``."""

    def __init__(self, target: Callable[..., None], *args: Any,
                 on_note: Callable[[], None] | None = None,
                 start: str | None = None) -> None:
        ours, theirs = multiprocessing.Pipe()
        self._conn = ours
        start = start or os.environ.get(START_ENV, "").strip().lower() or "fork"
        if start != "spawn" and hasattr(os, "fork"):
            self._proc: Any = _fork(theirs, ours, target, args)
            first: tuple | None = None
        else:
            path = os.pathsep.join(p or os.getcwd() for p in sys.path)
            with signals_blocked():
                self._proc = subprocess.Popen(
                    [sys.executable, "-c", _BOOT, str(theirs.fileno()), str(os.getpid())],
                    pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL,
                    env={**os.environ, "PYTHONPATH": path})
            first = (target, args)
        theirs.close()
        self.pid: int = self._proc.pid
        self._stopped = False
        # a fresh interpreter: the first message waits in the pipe until the job has
        # imported what unpickling it needs (seconds): written from a helper thread so
        # that the caller goes on
        # (a forked job has its target already: no such thread)
        self._first: threading.Thread | None = None
        if first:
            self._first = threading.Thread(target=self._write, args=(first,),
                                           name="job-start", daemon=True)
            self._first.start()
        # answers and errors for receive(); notes go to on_note as they arrive
        self._answers: queue.Queue[tuple[str, Any]] = queue.Queue()
        self._reader = threading.Thread(target=self._read,
                                        args=(contextvars.copy_context(), on_note),
                                        name="job-read", daemon=True)
        self._reader.start()

    def _read(self, ctx: contextvars.Context, on_note: Callable[[], None] | None) -> None:
        """The reader thread: every message of the job until its end of the pipe closes
        (then ("lost", None))."""
        while True:
            try:
                kind, value = self._conn.recv()
            except (EOFError, OSError):
                self._answers.put(("lost", None))
                return
            except Exception as exc:  # noqa: BLE001 - an answer that does not unpickle
                self._answers.put(("error", exc))
                continue
            if kind == "note":
                if on_note is not None:
                    with contextlib.suppress(Exception):  # a display must not end the job
                        ctx.run(on_note)
            else:
                self._answers.put((kind, value))

    def _write(self, value: Any) -> None:
        with contextlib.suppress(Exception):  # the job ended or was stopped meanwhile
            self._conn.send(value)

    def send(self, value: Any) -> None:
        """Hand the job its next message (a job that already ended — by an exception it
        sent back, or killed — says so at :meth:`receive`)."""
        if self._first is not None:
            self._first.join()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._conn.send(value)

    def receive(self) -> Any:
        """The job's next answer (waits; interruptible by Ctrl-C). Raises the job's own
        exception, or JobLost when it ended without answering."""
        while True:
            try:
                kind, value = self._answers.get(timeout=WAIT_SLICE_S)
                break
            except queue.Empty:
                if self._proc.poll() is not None:  # ended: what it sent is read soon
                    self._reader.join(STOP_WAIT_S)  # (its forked workers die with it)
                    try:
                        kind, value = self._answers.get_nowait()
                    except queue.Empty:
                        kind, value = "lost", None
                    break
        if kind == "lost":
            raise JobLost(f"the background job ended (exit code {self._proc.poll()}) "
                          "without answering")
        if kind == "error":
            raise value
        return value

    def stop(self) -> None:
        """End the job now (it is not waited for): SIGTERM, then SIGKILL. Idempotent."""
        if self._stopped:
            return
        self._stopped = True
        p = self._proc
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(STOP_WAIT_S)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(STOP_WAIT_S)
        if self._first is not None:  # its write ends with the job (broken pipe)
            self._first.join(STOP_WAIT_S)
        self._reader.join(STOP_WAIT_S)  # its read ends with the job (end of file)
        with contextlib.suppress(Exception):
            self._conn.close()

    def __enter__(self) -> Background:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
