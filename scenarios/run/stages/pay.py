"""Pay stage: every policy listed under the scenario's ``policies:`` pays the simulated
agents (``rules.pay``) on the per-agent KPI table scaled to the policy's pay period.

Agents work at their natural behaviour (the pool's levers). When a ``policies`` stage ran
before this one and gives per-policy KPI tables (:class:`PolicyResponses`, the agents'
response to each policy from the behaviour model), each policy pays its own table instead:
see :func:`behaviour_tables` and docs/report.md.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np

from scenarios.load import policy_path
from scenarios.run.i18n import number
from scenarios.run.pay_table import PERIOD_HOURS, PeriodTable, period_table
from scenarios.run.plots import box_chart
from scenarios.run.stage import Figure, Headline, ReportTable, RunContext, StageResult, Table
from scenarios.run.stages.simulation import Simulated

PAY_COLUMNS = ["policy", "agent_id", "pool", "score", "rank", "base_pay", "performance_pay",
               "ranking_pay", "commission", "event_pay", "variable_pay", "total_pay"]


class PolicyResponses(Protocol):
    """The hook for a behaviour comparison stage named ``policies``: for each policy name
    (the policy file's ``policy:``), the whole-horizon agent KPI table (the layout of
    ``ReplicationOutput.agents_horizon``, replication 0) simulated with the agents'
    levers at their response to that policy. Policies it leaves out are paid on the
    natural-behaviour table."""

    agents_horizon: dict[str, dict[str, np.ndarray]]


def behaviour_tables(ctx: RunContext) -> dict[str, dict[str, np.ndarray]]:
    """Per-policy agent tables from a ``policies`` stage that ran, else none."""
    stage = ctx.ran("policies")
    tables = getattr(stage.data, "agents_horizon", None) if stage is not None else None
    return dict(tables) if tables else {}


def policies_skip_reason(ctx: RunContext) -> str | None:
    """Why a stage about the scenario's policies can't run: none listed, or nothing
    simulated to pay (shared by the policies and pay stages)."""
    if not ctx.scenario.policies:
        return ctx.t("pay.no_policies")
    if ctx.ran("simulation") is None:
        return ctx.t("pay.no_simulation")
    return None


def _money(x: float, lang: str) -> str:
    return number(x, lang, 0)


class PayStage:
    """Pay per agent under each of the scenario's incentive policies (docs/rules.md)."""

    name = "pay"

    def title(self, ctx: RunContext) -> str:
        return ctx.t("stage.pay")

    def skip_reason(self, ctx: RunContext) -> str | None:
        return policies_skip_reason(ctx)

    def run(self, ctx: RunContext) -> StageResult:
        from rules.lint import lint
        from rules.pay import MissingMetrics, compute
        from scenarios.policy_file import load_policy_located
        from scenarios.yamlio import position

        sc, lang = ctx.scenario, ctx.lang
        sim: Simulated = ctx.results["simulation"].data
        out0 = sim.result.outputs[0]
        start = sc.horizon.start
        responses = behaviour_tables(ctx)
        res = StageResult(self.name, self.title(ctx))
        tables: dict[str, PeriodTable] = {}  # natural behaviour, one per pay period
        pay_rows: list[list[Any]] = []
        policies: dict[str, dict[str, Any]] = {}
        groups: list[tuple[str, np.ndarray]] = []
        report_rows: list[list[str]] = []
        response_tables: list[Table] = []  # the table each response-paid policy paid
        columns = period_table(out0, sim.model, start, "month").columns  # same every period
        for rel in sc.policies:
            path = policy_path(ctx.scenario_path, rel)
            compiled, root = load_policy_located(path, columns)
            pol = compiled.policy
            period = str(pol.period)
            if period not in tables:
                tables[period] = period_table(out0, sim.model, start, period)
            table = tables[period]
            behaviour = "natural"
            table_name = None  # "agents" or "agents_<period>", set below
            if pol.policy in responses:
                table = period_table(out0, sim.model, start, period, responses[pol.policy])
                behaviour = "response"
                table_name = _response_table_name(pol.policy, len(response_tables) + 1)
                response_tables.append(Table(table_name, ctx.t(
                    "pay.table_response", policy=pol.policy,
                    period=ctx.t(f"pay.period.{period}")), table.columns, table.rows))
            for f in lint(compiled, table.arrays):
                line, col = position(root, f.loc)
                where = f"{rel}:{line}:{col}" if line is not None else rel
                res.warnings.append(ctx.t("pay.lint", where=where,
                                          field=".".join(map(str, f.loc)), message=f.message))
            arrays, dropped = _complete_rows(table.arrays, compiled.needed,
                                             pol.applies_to)
            if dropped:
                res.warnings.append(ctx.t("pay.incomplete", policy=pol.policy,
                                          n=len(dropped), agents=", ".join(dropped[:5])))
            try:
                result = compute(compiled, arrays)
            except MissingMetrics as exc:
                res.warnings.append(ctx.t("pay.missing", policy=pol.policy,
                                          names=", ".join(exc.names)))
                continue
            res.warnings += [ctx.t("pay.rules_warning", policy=pol.policy, message=w)
                             for w in result.warnings]
            if len(result) == 0:
                res.warnings.append(ctx.t("pay.nobody", policy=pol.policy,
                                          pools=", ".join(pol.applies_to or [])))
                continue
            totals = result.totals()
            policies[pol.policy] = {
                "file": rel, "period": period, "period_hours": PERIOD_HOURS[period],
                "currency": pol.currency, "behaviour": behaviour, "table": table_name,
                "pools": sorted(set(result.pool.tolist())), **totals,
                "mean_variable": float(result.variable_pay.mean()),
                "min": float(result.total_pay.min()), "max": float(result.total_pay.max())}
            for i in range(len(result)):
                pay_rows.append([pol.policy, str(result.agent_id[i]), str(result.pool[i]),
                                 float(result.score[i]),
                                 int(result.rank[i]) if result.rank is not None else None,
                                 *[float(getattr(result, c)[i]) for c in PAY_COLUMNS[5:]]])
            groups.append((pol.policy, result.total_pay))
            period_word = ctx.t(f"pay.period.{period}")
            report_rows.append([
                pol.policy, period_word, str(totals["agents"]),
                _money(totals["mean"], lang), _money(totals["p10"], lang),
                _money(totals["p50"], lang), _money(totals["p90"], lang),
                f"{totals['variable_share']:.0%}", _money(totals["sum"], lang)])
            res.decisions.append(ctx.t(
                "pay.decision", policy=pol.policy, n=totals["agents"],
                pools=", ".join(ctx.t(f"pool.{p}") if f"pool.{p}" in _POOL_KEYS else p
                                for p in policies[pol.policy]["pools"]),
                period=period_word, mean=_money(totals["mean"], lang),
                p10=_money(totals["p10"], lang), p90=_money(totals["p90"], lang),
                share=f"{totals['variable_share']:.0%}", currency=pol.currency))
            res.headlines.append(Headline(f"pay.{pol.policy}.mean",
                                          ctx.t("pay.headline", policy=pol.policy),
                                          totals["mean"],
                                          f"{_money(totals['mean'], lang)} {pol.currency}"))
        for period, table in tables.items():
            name = "agents" if len(tables) == 1 else f"agents_{period}"
            res.tables.append(Table(name, ctx.t("pay.table_agents",
                                                period=ctx.t(f"pay.period.{period}")),
                                    table.columns, table.rows))
            for entry in policies.values():
                if entry["table"] is None and entry["period"] == period:
                    entry["table"] = name
        res.tables += response_tables
        res.summary = {"replication": out0.replication, "demand_scenario": out0.demand_name,
                       "policies": policies}
        res.paragraphs.append(ctx.t("pay.intro", demand=out0.demand_name or "—"))
        if pay_rows:
            res.tables.append(Table("pay", ctx.t("stage.pay"), PAY_COLUMNS, pay_rows))
            res.report_tables.append(ReportTable(
                ctx.t("pay.table"), [ctx.t(f"pay.col.{k}") for k in (
                    "policy", "period", "agents", "mean", "p10", "p50", "p90", "variable",
                    "sum")], report_rows))
            currency = next(iter(policies.values()))["currency"]
            res.figures.append(Figure("pay-distribution", ctx.t("pay.figure"), box_chart(
                "pay-distribution", groups, ctx.t("pay.xlabel", currency=currency)),
                caption=ctx.t("pay.figure_caption")))
            best = max(policies, key=lambda p: policies[p]["mean"])
            if len(policies) > 1:
                res.decisions.append(ctx.t("pay.decision_highest", policy=best))
        answered = [p for p, e in policies.items() if e["behaviour"] == "response"]
        if answered:
            res.paragraphs.append(ctx.t("pay.response", policies=", ".join(answered)))
        res.assumptions += [ctx.t("pay.assumption_scale"),
                            ctx.t("pay.assumption_response" if answered and
                                  len(answered) == len(policies) else
                                  "pay.assumption_natural")]
        return res


def _response_table_name(policy: str, index: int) -> str:
    """``agents_<policy>`` (a CSV and an xlsx sheet: at most 31 characters, no []:*?/\\),
    else ``agents_response_<index>``."""
    name = f"agents_{policy}"
    if len(name) <= 31 and not set(name) & set("[]:*?/\\"):
        return name
    return f"agents_response_{index}"


_POOL_KEYS = {"pool.in_house", "pool.outsourced", "pool.reserve", "pool.temps"}


def _complete_rows(arrays: dict[str, np.ndarray], needed: Any, pools: list[str] | None
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
