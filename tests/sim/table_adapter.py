"""The adapter that lets a frozen reference's ``agent_kpis`` (one agent table a call)
stand in for today's ``sim.kpi.agent_tables`` (a day and the horizon together) — not part
of any frozen code, shared by tests/sim/reference_kpi.py and reference_replication.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def per_table(agent_kpis: Callable[..., Any]) -> Callable[..., list]:
    """``agent_kpi_tables`` answered by ``agent_kpis``, one call per table."""

    def agent_kpi_tables(model, rec, out, agents, busy, ready, idle, outbound, connects,
                         repeats_caused, day_intervals, **kw) -> list:
        return [agent_kpis(model, rec, out, agents, busy, ready, idle, outbound, connects,
                           repeats_caused, d, **kw) for d in day_intervals]

    return agent_kpi_tables
