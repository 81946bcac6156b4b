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
