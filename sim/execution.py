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

``with shared_pools():`` (a command's whole run, scenarios.execution) makes every local
pool of the block one pool per size, created at its first use and reused by every later
simulation — the plan check's rounds, the simulation stage, the policies' comparison —
instead of a new pool per call: each new worker loads the compiled desk's machine code from
numba's cache (~0.6–2 CPU s a process). Before forking its workers the pool loads the
compiled desk in this process (:func:`preload_kernel`), so the workers inherit
it. Workers hold no state between tasks that a replication reads (a replication is a pure
function of its arguments), so the numbers are those of a fresh pool.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any


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


_PRELOADED = False


def preload_kernel() -> None:
    """Load the compiled desk's machine code from numba's cache in this process (once),
    before a pool forks its workers: each worker then inherits it instead of loading it
    (~0.6–2 CPU s a process). Nothing when the compiled desk would not run (no numba,
    PEAKDESK_KERNEL=python) or its code is not compiled yet (prepare_kernel compiles it
    when a job repays the compile)."""
    from sim import compiled

    global _PRELOADED
    if _PRELOADED or compiled.choice() == "python" or not compiled.available() \
            or not compiled.warm():
        return
    from sim.pool import signals_deferred

    with signals_deferred():  # it imports numba: a Ctrl-C mid-import could hang the exit
        compiled.warm_up()
    _PRELOADED = True


class _Pools:
    """The local pools of a :func:`shared_pools` block, one per number of workers."""

    def __init__(self, before_fork: Callable[[], None] | None) -> None:
        self.pid = os.getpid()
        self.before_fork = before_fork
        self.pools: dict[int, Any] = {}

    def get(self, workers: int) -> Any:
        from sim.pool import QuietPool

        pool = self.pools.get(workers)
        if pool is not None and not getattr(pool, "_broken", False):
            return pool
        if pool is not None:  # a worker died (e.g. killed for memory): a new pool
            pool.terminate()
        if self.before_fork is not None:
            self.before_fork()
        pool = self.pools[workers] = QuietPool(workers)
        pool.start()
        return pool

    def drop(self, workers: int) -> None:
        """End the pool of ``workers`` now (its queued tasks are dropped)."""
        pool = self.pools.pop(workers, None)
        if pool is not None:
            pool.terminate()

    def close(self, failed: bool) -> None:
        pools, self.pools = list(self.pools.values()), {}
        for pool in pools:
            if failed:
                pool.terminate()
            else:
                pool.shutdown()


_POOLS: contextvars.ContextVar[_Pools | None] = contextvars.ContextVar(
    "peakdesk_pools", default=None)


def _shared() -> _Pools | None:
    pools = _POOLS.get()
    return pools if pools is not None and pools.pid == os.getpid() else None


@contextlib.contextmanager
def shared_pools(before_fork: Callable[[], None] | None = None) -> Iterator[None]:
    """Every :func:`local_pool` of the block (this process) reuses one pool per size,
    created at first use — ``before_fork()`` runs just before its workers are forked
    (default: load the compiled desk here, :func:`preload_kernel`) — and
    ended when the block is left (terminated at once when left by an exception)."""
    if _shared() is not None:  # already inside one: the outer block owns the pools
        yield
        return
    pools = _Pools(preload_kernel if before_fork is None else before_fork)
    token = _POOLS.set(pools)
    try:
        yield
    except BaseException:
        _POOLS.reset(token)
        pools.close(failed=True)
        raise
    _POOLS.reset(token)
    pools.close(failed=False)


def spare_pool(workers: int) -> Any | None:
    """The :func:`shared_pools` pool of ``workers`` (created at first use) when a block of
    those is open in this process and no executor is set around the call, else None: for
    a caller's own work between simulations, when that pool's workers idle (e.g. the mix
    check's corrections, planning.iterate.staffing_factors)."""
    pools = _shared()
    if pools is None or current() is not None:
        return None
    return pools.get(workers)


@contextlib.contextmanager
def local_pool(workers: int) -> Iterator[Any]:
    """A local process pool of ``workers`` for the block: the :func:`shared_pools` one
    when a block of those is open in this process, else a pool of its own (shut down on
    leaving, terminated on an exception: sim.pool.process_pool; a shared one left by an
    exception is terminated too, and replaced at its next use)."""
    pools = _shared()
    if pools is None:
        from sim.pool import process_pool

        with process_pool(workers) as pool:
            yield pool
        return
    pool = pools.get(workers)
    try:
        yield pool
    except BaseException:  # left mid-way: its queued tasks are not wanted, nor the pool
        pools.drop(workers)
        raise
