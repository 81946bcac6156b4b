"""One job on the machine's other core: a process that works beside the caller and never
outlives it.

The mix stage is mostly serial — one HiGHS solve at a time, single-threaded — while the
machine has two cores or more. A :class:`Background` job runs ``target(link, *args)`` in a
fresh interpreter (nothing of this process is forked: no HiGHS or numba thread state is
copied); ``target`` talks to the caller through ``link`` (:class:`Link`: ``receive()``
the caller's messages, ``send()`` answers).

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
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any

from sim.pool import signals_blocked

#: how often the caller looks up while waiting for an answer (Ctrl-C stays prompt)
WAIT_SLICE_S = 0.1
#: how long a stopped job may take to end after SIGTERM before SIGKILL
STOP_WAIT_S = 5.0
_BOOT = ("import sys; from scenarios.background import _main; "
         "_main(int(sys.argv[1]), int(sys.argv[2]))")


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

    worker_init(parent)  # SIGINT ignored, SIGTERM default, dies with the parent
    conn = Connection(fd)
    try:
        try:
            target, args = conn.recv()
        except (EOFError, OSError):
            return
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


class Background:
    """``target(link, *args)`` running in a fresh interpreter (see the module docstring);
    ``target`` and ``args`` must pickle (``target`` a module-level function).
    ``on_note()`` is called (from a reader thread, in the context of this call) for each
    :meth:`Link.note` of the job.

    Started with :mod:`subprocess` rather than multiprocessing's ``spawn``, which runs the
    caller's main script again in the job (a script calling the planner without an
    ``if __name__ == "__main__":`` guard would fail there): the job imports the target's
    module alone, on this process's ``sys.path``."""

    def __init__(self, target: Callable[..., None], *args: Any,
                 on_note: Callable[[], None] | None = None) -> None:
        ours, theirs = multiprocessing.Pipe()
        self._conn = ours
        path = os.pathsep.join(p or os.getcwd() for p in sys.path)
        with signals_blocked():
            self._proc = subprocess.Popen(
                [sys.executable, "-c", _BOOT, str(theirs.fileno()), str(os.getpid())],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL,
                env={**os.environ, "PYTHONPATH": path})
        theirs.close()
        self.pid: int = self._proc.pid
        self._stopped = False
        # the first message waits in the pipe until the job has imported what unpickling
        # it needs (seconds): written from a helper thread so that the caller goes on
        self._first = threading.Thread(target=self._write, args=((target, args),),
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
        self._first.join(STOP_WAIT_S)  # its write ends with the job (broken pipe)
        self._reader.join(STOP_WAIT_S)  # its read ends with the job (end of file)
        with contextlib.suppress(Exception):
            self._conn.close()

    def __enter__(self) -> Background:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
