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
from sim.tables import agent_rows

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
    the slot was on duty) and ``period_scale`` columns; ``period`` is the policy's."""
    table = output.agents_horizon if horizon is None else horizon
    head, rows = agent_rows([dataclasses.replace(output, agents=table)], model, start, False)
    hours = PERIOD_HOURS[period]
    i_staffed = head.index("staffed_s")
    out_rows = []
    for row in rows:
        sim_hours = float(row[i_staffed]) / 3600.0
        scale = hours / sim_hours
        new = [(v * scale if (name in ADDITIVE and v is not None) else v)
               for name, v in zip(head, row, strict=True)]
        new[head.index("period")] = period
        out_rows.append([*new, sim_hours, scale])
    columns = [*head, "simulated_hours", "period_scale"]
    arrays: dict[str, np.ndarray] = {}
    for k, name in enumerate(columns):
        col = [r[k] for r in out_rows]
        if name in ("agent_id", "pool", "period"):
            arrays[name] = np.array(col, dtype=str)
        else:
            arrays[name] = np.array([np.nan if v is None else v for v in col], dtype=float)
    return PeriodTable(period, columns, out_rows, arrays)
