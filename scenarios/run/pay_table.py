"""The simulated per-agent KPI table, scaled to a policy's pay period (pure).

With a mix plan the in-house agents are the rostered people (docs/roster.md), each with
their own fortnight; other pools' agents are *slots* (slot j on duty whenever the pool has
more than j agents). A pay policy judges one person over one pay period (its targets are
e.g. "1,800 answered a month"), so each agent's counts are scaled to the paid hours of
one full-time agent:

    scale = PERIOD_HOURS[period] / hours the agent was on duty in the simulation

Additive columns (counts, sums, seconds) are multiplied by ``scale``; ratios and
averages (aht_s, fcr, satisfaction, ...) are kept: the agent works the period at the pace
and quality it showed over the horizon. Its pay over the horizon is then its period pay ×
its hours on duty ÷ PERIOD_HOURS (scenarios.run.pay_ledger).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

import numpy as np

from sim.model import SimModel
from sim.runner import ReplicationOutput

# paid hours of one full-time agent per period: 8-hour days; a month is 21.75 days (the
# statutory monthly average of working days in China, 劳社部发〔2008〕3号) = 174 h
PERIOD_HOURS = {"day": 8.0, "week": 40.0, "month": 174.0}

# columns of sim.kpi.agent_kpis that add up over time (scaled); every other one is a ratio
ADDITIVE = frozenset({
    "staffed_s", "offered", "answered", "outbound_calls", "outbound_connects", "contacts",
    "service_volume", "idle_s", "repeat_contacts", "complaints", "violations",
    "named_good_reviews", "bad_reviews", "received_uv", "paid_uv", "sales_amount",
    "returns", "exchanges", "refunds"})


@dataclasses.dataclass(frozen=True)
class PeriodTable:
    """One row per agent: ``columns`` for the CSV and ``arrays`` for ``rules.pay``."""

    period: str
    columns: list[str]
    rows: list[list[Any]]
    arrays: dict[str, np.ndarray]


def period_table(output: ReplicationOutput, model: SimModel, start: datetime,
                 period: str, horizon: dict[str, np.ndarray] | None = None) -> PeriodTable:
    """``output``'s whole-horizon agent KPI table (or ``horizon``, the same layout, e.g.
    from a behaviour comparison) scaled to ``period``. Adds ``simulated_hours`` (hours
    the slot was on duty) and ``period_scale`` columns; ``period`` is the policy's.

    The columns of sim.tables.agent_rows, computed a column at a time (numpy: the same
    float operations on each cell, so the same numbers bit for bit) rather than a cell
    at a time; a NaN cell is None in ``rows`` and NaN in ``arrays``."""
    table = output.agents_horizon if horizon is None else horizon
    skip = {"agent", "pool_index", "day"}
    metrics = [k for k in table if k not in skip]
    columns = ["agent_id", "pool", "period", *metrics, "simulated_hours", "period_scale"]
    pool_index = np.asarray(table["pool_index"], dtype=np.int64)
    agent = np.asarray(table["agent"], dtype=np.int64)
    n = len(agent)
    first = np.cumsum([0] + [p.size for p in model.pools])  # a pool's first slot
    ids = [model.pools[p].agent_id(j) for p, j in
           zip(pool_index.tolist(), (agent - first[pool_index]).tolist(), strict=True)]
    names = [p.name for p in model.pools]
    pools = [names[p] for p in pool_index.tolist()]
    sim_hours = np.asarray(table["staffed_s"], dtype=float) / 3600.0
    if n and not np.all(sim_hours):
        raise ZeroDivisionError("an agent of the pay table was never on duty")
    scale = PERIOD_HOURS[period] / sim_hours
    arrays: dict[str, np.ndarray] = {"agent_id": np.array(ids, dtype=str),
                                     "pool": np.array(pools, dtype=str),
                                     "period": np.array([period] * n, dtype=str)}
    cells: list[list[Any]] = [ids, pools, [period] * n]
    for name in metrics:
        col = np.asarray(table[name], dtype=float)
        if name in ADDITIVE:
            col = col * scale
        arrays[name] = col
        cells.append(_cells(col))
    arrays["simulated_hours"], arrays["period_scale"] = sim_hours, scale
    cells += [sim_hours.tolist(), scale.tolist()]
    rows = [list(r) for r in zip(*cells, strict=True)] if n else []
    return PeriodTable(period, columns, rows, arrays)


def _cells(col: np.ndarray) -> list[Any]:
    """A float column as table cells: Python floats, None where NaN."""
    nan = np.isnan(col)
    if not nan.any():
        return col.tolist()
    out = col.astype(object)
    out[nan] = None
    return out.tolist()
