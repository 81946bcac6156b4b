"""Where replications run: the one execution layer behind every command that simulates.

A replication is a pure task (model, demand, seed, index) → output, so it may run in this
process, in a local process pool or on a Dask cluster and give the same numbers: its
random streams depend only on (seed, index) (:mod:`sim.streams`) and results are gathered
by index. This module holds the choice of *where*:

- by default every :func:`sim.runner.run_replications` call (and :func:`sim.compare.compare`)
  opens a local process pool (:mod:`sim.pool`) sized by its ``workers``;
- inside ``with executing(ex):`` every such call sends its replications to ``ex`` instead
  (any ``concurrent.futures.Executor``: a Dask client's ``get_executor()``, a shared pool),
  however deep in a pipeline it is made — the plan check's rounds, the simulation stage,
  the policies' comparison — so a command needs one line to move all its work to a
  cluster (the same idea as joblib's ``parallel_backend``);
- ``on_replication`` observers (progress displays) hear of every finished replication.

The choice is held per thread (a ``contextvars.ContextVar``) and per process: a forked
pool worker inherits the parent's memory but never the parent's executor (:func:`current`
checks the process id), so a task that itself simulates runs its replications in place.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass, field


@dataclass
class _Ambient:
    executor: Executor | None
    pid: int
    observers: list[Callable[[], None]] = field(default_factory=list)


_AMBIENT: contextvars.ContextVar[_Ambient | None] = contextvars.ContextVar(
    "peakdesk_execution", default=None)


def _here() -> _Ambient | None:
    amb = _AMBIENT.get()
    return amb if amb is not None and amb.pid == os.getpid() else None


def current() -> Executor | None:
    """The executor set by the innermost :func:`executing` block of this process, if any."""
    amb = _here()
    return amb.executor if amb is not None else None


def replication_done() -> None:
    """Tell the block's observers that one replication finished (called by the runner)."""
    amb = _here()
    for fn in amb.observers if amb is not None else ():
        fn()


def observed(progress: Callable[[int], None] | None) -> Callable[[int], None] | None:
    """``progress`` that also tells the block's observers of each finished replication."""
    amb = _here()
    if amb is None or not amb.observers:
        return progress

    def both(k: int) -> None:
        replication_done()
        if progress is not None:
            progress(k)

    return both


@contextlib.contextmanager
def executing(executor: Executor | None,
              on_replication: Callable[[], None] | None = None) -> Iterator[None]:
    """Run every replication started in the block on ``executor`` (None: the default,
    a local process pool per call); ``on_replication()`` is called as each one ends."""
    outer = _here()
    observers = list(outer.observers) if outer is not None else []
    if on_replication is not None:
        observers.append(on_replication)
    if executor is None and outer is not None:
        executor = outer.executor
    token = _AMBIENT.set(_Ambient(executor, os.getpid(), observers))
    try:
        yield
    finally:
        _AMBIENT.reset(token)
