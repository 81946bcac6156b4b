"""The command side of the execution layer: ``--scheduler tcp://HOST:8786`` for every
command that runs replications (``run``, ``plan``, ``compare``, ``simulate``, ``sweep``).

:func:`execution` connects to the Dask scheduler (the optional extra ``peakdesk[dist]``),
checks that its workers run this peakdesk, and sets the cluster as the executor of every
replication started in the block (:func:`sim.execution.executing`); without a scheduler
the replications use the local process pool. The numbers are the same either way: each
replication's random streams depend only on the seed and its index.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from scenarios.reading.errors import CommandError
from sim.execution import executing, shared_pools

INSTALL_HINT = "pip install 'peakdesk[dist]'"
CONNECT_TIMEOUT_S = 10
WORKERS_TIMEOUT_S = 30


def peakdesk_version() -> str:
    """This installation's version (run on each worker to compare with the client's)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("peakdesk")
    except PackageNotFoundError:
        return "unknown"


def connect(scheduler: str) -> Any:
    """A Dask client of ``scheduler``, with at least one worker running this peakdesk.

    Every failure is a :class:`CommandError` saying what to do: Dask missing (how to
    install it), the scheduler unreachable, no worker, a worker without peakdesk or with
    another version of it.
    """
    try:
        from distributed import Client
    except ImportError:
        raise CommandError(f"--scheduler needs Dask, an optional extra: {INSTALL_HINT} "
                           f"(on this machine and on every worker)") from None
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError, ValueError) as exc:
        raise CommandError(f"cannot reach the Dask scheduler {scheduler}: {exc} (is "
                           f"`dask scheduler` running there, and the port open?)") from None
    try:
        _check_workers(client, scheduler)
    except BaseException:
        client.close()
        raise
    return client


def _check_workers(client: Any, scheduler: str) -> None:
    try:
        client.wait_for_workers(1, timeout=WORKERS_TIMEOUT_S)
    except (TimeoutError, OSError):
        raise CommandError(f"no worker joined the Dask scheduler {scheduler} within "
                           f"{WORKERS_TIMEOUT_S} s (start one: dask worker {scheduler})"
                           ) from None
    try:
        versions = client.run(peakdesk_version)
    except Exception as exc:  # noqa: BLE001 - a worker that cannot import peakdesk
        raise CommandError(f"a worker of {scheduler} cannot run peakdesk ({type(exc).__name__}:"
                           f" {exc}); install the same peakdesk on every worker: "
                           f"{INSTALL_HINT}") from None
    mine = peakdesk_version()
    other = {w: v for w, v in versions.items() if v != mine}
    if other:
        listed = ", ".join(f"{w} has {v}" for w, v in sorted(other.items()))
        raise CommandError(f"workers of {scheduler} run another peakdesk than this machine "
                           f"({mine}): {listed}; install the same version everywhere")


@contextlib.contextmanager
def execution(scheduler: str | None = None,
              on_replication: Callable[[], None] | None = None) -> Iterator[Any]:
    """Run the block's replications on the Dask cluster at ``scheduler`` (yields the
    client) or, without one, on local processes (yields None): one pool per command
    (sim.execution.shared_pools), created at the first simulation with the compiled desk
    loaded before its workers fork, reused by every later one."""
    if scheduler is None:
        with executing(None, on_replication), shared_pools():
            yield None
        return
    client = connect(scheduler)
    try:
        with executing(client.get_executor(pure=False), on_replication):
            yield client
    finally:
        client.close()
