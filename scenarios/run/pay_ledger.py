"""One pay computation for every pay and cost figure of the run (report, summary, CSVs).

Each policy pays the **same simulated agents over the same replications** it is judged
on: with a behaviour comparison (the policies stage), every final replication of that
policy's comparison run, at the agents' response; without one, every replication of the
simulation stage, at natural behaviour. Each replication's whole-horizon agent table is
scaled to the policy's pay period (scenarios.run.pay_table) and paid by ``rules.pay``.

From the rows (one per policy × replication × agent) follow, and nothing else feeds:

- pay per agent and period: mean over agents and replications; p10/p50/p90 across agents
  of each agent's mean over replications;
- cost per pay period: the period pay of the policy's agents, summed, mean over
  replications (each slot stands for one full-time agent working the whole period);
- cost over the horizon: each agent's period pay × its hours on duty in the horizon ÷ the
  period's paid hours (pay pro rata to the hours worked), summed, mean over replications.
  A 14-day horizon is not a month: this is the figure to compare with the horizon's
  contacts.

The flat-pay comparison of the behaviour model (``baseline``) is paid the same way: its
base pay for every agent of the compared pools that worked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from scenarios.run.pay_table import PERIOD_HOURS, PeriodTable, period_table
from sim.model import SimModel
from sim.runner import ReplicationOutput

PAY_COLUMNS = ["policy", "replication", "agent_id", "pool", "score", "rank", "base_pay",
               "performance_pay", "ranking_pay", "commission", "event_pay", "variable_pay",
               "total_pay", "hours_on_duty", "horizon_pay"]


@dataclass
class PolicyPay:
    """The pay of one policy over its replications, and the numbers derived from it."""

    name: str
    period: str
    currency: str
    behaviour: str  # "response" (behaviour comparison) or "natural" or "flat"
    replications: int
    rows: list[list[Any]] = field(default_factory=list)  # PAY_COLUMNS
    tables: list[PeriodTable] = field(default_factory=list)  # the KPI table each rep paid
    table_reps: list[int] = field(default_factory=list)  # the replication of each table
    warnings: list[str] = field(default_factory=list)

    def _col(self, name: str) -> np.ndarray:
        i = PAY_COLUMNS.index(name)
        return np.array([r[i] for r in self.rows], float)

    def per_agent_mean(self) -> np.ndarray:
        """Each agent's mean total pay over the replications it was paid in."""
        ids = [r[2] for r in self.rows]
        pay = self._col("total_pay")
        sums: dict[str, list[float]] = {}
        for a, p in zip(ids, pay, strict=True):
            sums.setdefault(a, []).append(float(p))
        return np.array([np.mean(v) for v in sums.values()], float)

    def summary(self) -> dict[str, Any]:
        """The numbers the report shows (see the module docstring)."""
        if not self.rows:
            return {"agents": 0, "replications": self.replications}
        total, var = self._col("total_pay"), self._col("variable_pay")
        horizon, hours = self._col("horizon_pay"), self._col("hours_on_duty")
        reps = [r[1] for r in self.rows]
        n_rep = len(set(reps))
        dist = self.per_agent_mean()
        return {
            "period": self.period, "period_hours": PERIOD_HOURS[self.period],
            "currency": self.currency, "behaviour": self.behaviour,
            "replications": n_rep, "agents": len(dist),
            "mean": float(total.mean()), "p10": float(np.percentile(dist, 10)),
            "p50": float(np.percentile(dist, 50)), "p90": float(np.percentile(dist, 90)),
            "variable_share": float(var.sum() / total.sum()) if total.sum() else 0.0,
            "cost_per_period": float(total.sum() / n_rep),
            "cost_horizon": float(horizon.sum() / n_rep),
            "hours_horizon": float(hours.sum() / n_rep),
        }

    def cost_horizon_by_replication(self) -> dict[int, float]:
        out: dict[int, float] = {}
        for r in self.rows:
            out[r[1]] = out.get(r[1], 0.0) + r[PAY_COLUMNS.index("horizon_pay")]
        return out


def light(outputs: list[ReplicationOutput]) -> list[ReplicationOutput]:
    """The outputs without their per-interval tables (what the ledger reads)."""
    import dataclasses

    return [dataclasses.replace(o, intervals={}, agents={}, contacts=None) for o in outputs]


def pay_runs(compiled: Any, name: str, currency: str, behaviour: str,
             runs: list[ReplicationOutput], model: SimModel, start: datetime,
             applies_to: list[str] | None) -> PolicyPay:
    """Pay ``compiled`` (a rules CompiledPolicy) on every run's whole-horizon agent table."""
    from rules.pay import MissingMetrics, compute

    period = str(compiled.policy.period)
    out = PolicyPay(name, period, currency, behaviour, len(runs))
    for o in runs:
        table = period_table(o, model, start, period)
        if applies_to is not None:
            table = _only(table, applies_to)
        out.tables.append(table)
        out.table_reps.append(int(o.replication))
        arrays, dropped = complete_rows(table.arrays, compiled.needed, applies_to)
        if dropped:
            out.warnings.append(("incomplete", o.replication, dropped))
        try:
            res = compute(compiled, arrays)
        except MissingMetrics as exc:
            out.warnings.append(("missing", o.replication, exc.names))
            return out
        out.warnings += [("rules", o.replication, w) for w in res.warnings]
        hours = dict(zip(arrays["agent_id"].tolist(), arrays["simulated_hours"].tolist(),
                         strict=True))
        for i in range(len(res)):
            aid = str(res.agent_id[i])
            h = float(hours[aid])
            total = float(res.total_pay[i])
            out.rows.append([name, int(o.replication), aid, str(res.pool[i]),
                             float(res.score[i]),
                             int(res.rank[i]) if res.rank is not None else None,
                             float(res.base_pay[i]), float(res.performance_pay[i]),
                             float(res.ranking_pay[i]), float(res.commission[i]),
                             float(res.event_pay[i]), float(res.variable_pay[i]), total, h,
                             total * h / PERIOD_HOURS[period]])
    return out


def pay_flat(name: str, base_pay: float, period: str, currency: str,
             runs: list[ReplicationOutput], model: SimModel, start: datetime,
             pools: list[str]) -> PolicyPay:
    """Flat pay: ``base_pay`` a period for every agent of ``pools`` who worked."""
    out = PolicyPay(name, period, currency, "flat", len(runs))
    for o in runs:
        table = _only(period_table(o, model, start, period), pools)
        for aid, pool, h in zip(table.arrays["agent_id"], table.arrays["pool"],
                                table.arrays["simulated_hours"], strict=True):
            out.rows.append([name, int(o.replication), str(aid), str(pool), None, None,
                             float(base_pay), 0.0, 0.0, 0.0, 0.0, 0.0, float(base_pay),
                             float(h), float(base_pay) * float(h) / PERIOD_HOURS[period]])
    return out


def _only(table: PeriodTable, pools: list[str]) -> PeriodTable:
    keep = np.isin(table.arrays["pool"], pools)
    rows = [r for r, k in zip(table.rows, keep, strict=True) if k]
    return PeriodTable(table.period, table.columns, rows,
                       {k: v[keep] for k, v in table.arrays.items()})


def complete_rows(arrays: dict[str, np.ndarray], needed: Any, pools: list[str] | None
                  ) -> tuple[dict[str, np.ndarray], list[str]]:
    """The table without the paid agents that have no value for a metric the policy needs
    (e.g. AHT of a slot that answered nothing), and those agents' ids."""
    paid = np.isin(arrays["pool"], pools) if pools is not None else np.ones(
        len(arrays["agent_id"]), bool)
    bad = np.zeros_like(paid)
    for name in needed:
        col = arrays.get(name)
        if col is not None and col.dtype.kind == "f":
            bad |= np.isnan(col)
    bad &= paid
    if not bad.any():
        return arrays, []
    return {k: v[~bad] for k, v in arrays.items()}, arrays["agent_id"][bad].tolist()
