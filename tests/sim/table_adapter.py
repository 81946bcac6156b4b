"""The adapters that let a frozen reference's functions stand in for today's — not part of
any frozen code: ``agent_kpis`` (one agent table a call) for ``sim.kpi.agent_tables`` (a
day and the horizon together), shared by tests/sim/reference_kpi.py and
reference_replication.py; and :func:`as_today` for the arguments today's runner passes
that the frozen functions compute themselves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def per_table(agent_kpis: Callable[..., Any]) -> Callable[..., list]:
    """``agent_kpi_tables`` answered by ``agent_kpis``, one call per table."""

    def agent_kpi_tables(model, rec, out, agents, busy, ready, idle, outbound, connects,
                         repeats_caused, day_intervals, iv=None, **kw) -> list:
        return [agent_kpis(model, rec, out, agents, busy, ready, idle, outbound, connects,
                           repeats_caused, d, **kw) for d in day_intervals]

    return agent_kpi_tables


def as_today(f: Callable[..., Any], drop_last: bool = False) -> Callable[..., Any]:
    """Frozen ``f`` called as today's runner calls its function: the contacts' intervals
    (``iv=``, sim.kpi.contact_intervals) left out — the frozen code computes its own — and
    with ``drop_last`` the last positional argument too (the waiting time, ``qtime``)."""

    def call(*args, iv=None, **kw):
        return f(*(args[:-1] if drop_last else args), **kw)

    return call
