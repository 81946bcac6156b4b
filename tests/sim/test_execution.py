"""The execution layer (sim/execution.py): an executor set for a block carries every
replication started in it, the numbers equal the serial run's (the reference: the same
replications one after another in this process), observers hear each replication, and a
forked pool worker never inherits the parent's executor."""

from __future__ import annotations

import os
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np

from sim import execution
from sim.runner import run_replications
from tests.sim.helpers import steady


class Counting(ThreadPoolExecutor):
    """A thread pool that counts what it is given."""

    def __init__(self) -> None:
        super().__init__(2)
        self.submitted = 0

    def submit(self, fn, /, *args, **kwargs) -> Future:  # type: ignore[override]
        self.submitted += 1
        return super().submit(fn, *args, **kwargs)


def test_block_executor_carries_the_replications_with_the_serial_numbers():
    model, demand = steady(5, 60, 240, 120, hours=3)
    serial = run_replications(model, demand, 6, seed=3, workers=1)
    seen = []
    with Counting() as ex, execution.executing(ex, on_replication=lambda: seen.append(1)):
        pooled = run_replications(model, demand, 6, seed=3, workers=1)
        assert execution.current() is ex
    assert ex.submitted == 6 and len(seen) == 6
    # NaN-aware equality (a metric undefined in a replication is NaN in both)
    np.testing.assert_equal([o.channels for o in pooled.outputs],
                            [o.channels for o in serial.outputs])
    np.testing.assert_equal([o.agents for o in pooled.outputs],
                            [o.agents for o in serial.outputs])
    assert execution.current() is None  # the block is over


def test_nested_block_keeps_the_outer_executor_and_observers():
    outer, inner = [], []
    with Counting() as ex, execution.executing(ex, on_replication=lambda: outer.append(1)):
        with execution.executing(None, on_replication=lambda: inner.append(1)):
            assert execution.current() is ex
            execution.replication_done()
    assert outer == [1] and inner == [1]


def test_a_forked_child_does_not_inherit_the_executor():
    with Counting() as ex, execution.executing(ex):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: the block's executor belongs to the parent
            os.write(w, b"none" if execution.current() is None else b"inherited")
            os._exit(0)
        os.waitpid(pid, 0)
        assert os.read(r, 16) == b"none"
        os.close(r)
        os.close(w)


def _outputs_equal(a, b) -> None:
    """NaN-aware equality of every replication's KPIs (channels, team, intervals, agents)."""
    for field in ("channels", "team", "intervals", "agents", "agents_horizon"):
        np.testing.assert_equal([getattr(o, field) for o in a.outputs],
                                [getattr(o, field) for o in b.outputs])


def test_shared_pool_is_created_once_and_gives_the_serial_numbers():
    """Reference: the same replications one after another in this process, and a fresh
    pool per call (the behaviour outside a shared_pools block)."""
    model, demand = steady(5, 60, 240, 120, hours=3)
    serial = run_replications(model, demand, 6, seed=3, workers=1)
    fresh = run_replications(model, demand, 6, seed=3, workers=2)
    forks = []
    with execution.shared_pools(before_fork=lambda: forks.append(1)):
        with execution.local_pool(2) as pool:
            pool.submit(os.getpid).result()
        first = run_replications(model, demand, 6, seed=3, workers=2)
        # the pool's workers once it has run a job (a process pool starts them on demand:
        # one quick task after another may all go to its first worker)
        pids = set(pool._processes)
        second = run_replications(model, demand, 6, seed=3, workers=2)
        with execution.local_pool(2) as again:
            assert again is pool  # the same pool, the same workers
            assert set(again.submit(os.getpid).result() for _ in range(8)) <= pids
            assert set(again._processes) == pids  # none replaced or added
    assert forks == [1]  # the hook ran once, before the one pool forked
    assert pool._shutdown_thread  # ended with the block
    for res in (fresh, first, second):
        _outputs_equal(res, serial)


def test_shared_pool_left_by_an_exception_is_replaced():
    with execution.shared_pools(before_fork=lambda: None):
        try:
            with execution.local_pool(2) as pool:
                pool.submit(os.getpid).result()
                raise KeyboardInterrupt
        except KeyboardInterrupt:
            pass
        assert pool._shutdown_thread  # terminated, not left running
        with execution.local_pool(2) as other:
            assert other is not pool and other.submit(int, "7").result() == 7


def test_a_forked_child_opens_its_own_pool():
    """A process forked inside a shared_pools block (a pool worker, a background job)
    never submits to the parent's pool: it gets its own."""
    with execution.shared_pools(before_fork=lambda: None):
        with execution.local_pool(2) as pool:
            pool.submit(os.getpid).result()
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            ok = execution._shared() is None
            os.write(w, b"own" if ok else b"parent's")
            os._exit(0)
        os.close(w)
        said = os.read(r, 16)
        os.waitpid(pid, 0)
    assert said == b"own"


def _desk_loaded() -> bool:
    """In a worker: whether the compiled loop's machine code is already in this process
    (numba's dispatcher holds its compiled overloads), before any replication ran here."""
    import sys

    loop = sys.modules.get("sim.compiled_loop")
    return loop is not None and len(loop.run_desk.overloads) > 0


def test_shared_pool_workers_inherit_the_loaded_desk():
    """The default hook loads the compiled desk in this process before the pool forks:
    a worker finds it loaded without running anything (reference: numba's dispatcher
    state in the worker)."""
    import pytest

    from sim import compiled

    if not compiled.available() or not compiled.warm() or compiled.choice() == "python":
        pytest.skip("the compiled desk is not in numba's cache here")
    with execution.shared_pools():
        with execution.local_pool(2) as pool:
            assert all(pool.submit(_desk_loaded).result() for _ in range(4))


def test_signals_deferred_raise_after_the_block():
    """A Ctrl-C during the desk's load (which imports numba beside the run's figures
    thread) is raised when the load ends, not inside an import (where it left a module
    lock held and the run hung at exit: reproduced with `peakdesk run --quick` and a
    Ctrl-C 0.2 s into the simulation stage)."""
    import signal

    import pytest

    from sim.pool import signals_deferred

    done = []
    with pytest.raises(KeyboardInterrupt):
        with signals_deferred():
            signal.raise_signal(signal.SIGINT)
            done.append("the block ran to its end")
    assert done == ["the block ran to its end"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_spare_pool_is_the_shared_one_or_none():
    """spare_pool gives the block's shared pool (the one the simulations use), and None
    outside a shared_pools block or under an executor set around the call (a Dask
    cluster's replications are not this machine's idle workers)."""
    assert execution.spare_pool(2) is None
    with execution.shared_pools(before_fork=lambda: None):
        pool = execution.spare_pool(2)
        assert pool is not None
        with execution.local_pool(2) as used:
            assert used is pool
        assert pool.submit(os.getpid).result() != os.getpid()
        with ThreadPoolExecutor(1) as ex, execution.executing(ex):
            assert execution.spare_pool(2) is None
    assert execution.spare_pool(2) is None
