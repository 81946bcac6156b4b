"""The pay stage's section, CSVs and summary, all from the pay ledger (one computation).

Files: ``pay.csv`` (one row per policy × replication × agent), ``agents.csv`` (the
simulation's agent KPI tables scaled to a month: every replication when a policy is paid
at natural behaviour on it, else replication 0 for reference) and ``agents_<policy>.csv``
for each policy paid at its response (the rows it paid). ``peakdesk pay POLICY`` on one replication's rows reproduces that
replication's rows of pay.csv.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scenarios.run.figures import drawn_later
from scenarios.run.pay_ledger import PAY_COLUMNS, PolicyPay
from scenarios.run.pay_table import PERIOD_HOURS, period_table
from scenarios.run.plots import box_chart
from scenarios.run.stage import Headline, ReportTable, RunContext, StageResult, Table
from scenarios.words.i18n import number
from scenarios.words.labels import policy_label, pool_label
from sim.model import SimModel


def money(x: float, currency: str, lang: str) -> str:
    """``509,058 CNY``: every money figure carries its currency."""
    return f"{number(x, lang, 0)} {currency}"


def horizon_words(ctx: RunContext) -> str:
    days = ctx.scenario.horizon.days
    return ctx.t("pay.horizon_days", days=days) if days != 1 else ctx.t("pay.horizon_day")


def kpi_tables(ctx: RunContext, ledger: dict[str, PolicyPay], natural: list[Any],
               model: SimModel, start: datetime) -> tuple[list[Table], dict[str, str]]:
    """The KPI tables the policies paid, with a leading ``replication`` column; which
    table each policy paid."""
    out, which = [], {}
    if not any(p.behaviour == "natural" for p in ledger.values()):
        natural = natural[:1]  # no policy paid on it: replication 0, for reference
    nat = [period_table(o, model, start, "month") for o in natural]
    head = ["replication", *nat[0].columns]
    out.append(Table("agents", ctx.t("pay.table_agents", period=ctx.t("pay.period.month")),
                     head, [[o.replication, *r] for o, t in zip(natural, nat, strict=True)
                            for r in t.rows]))
    for i, (name, paid) in enumerate(ledger.items(), start=1):
        if paid.behaviour != "response":
            which[name] = "agents" if paid.behaviour == "natural" else ""
            continue
        tname = response_table_name(name, i)
        rows = [[rep, *r] for rep, t in zip(paid.table_reps, paid.tables, strict=True)
                for r in t.rows]
        out.append(Table(tname, ctx.t("pay.table_response", policy=name,
                                      period=ctx.t(f"pay.period.{paid.period}")), head, rows))
        which[name] = tname
    return out, which


def response_table_name(policy: str, index: int) -> str:
    """``agents_<policy>`` (a CSV and an xlsx sheet: at most 31 characters, no []:*?/\\),
    else ``agents_response_<index>``."""
    name = f"agents_{policy}"
    if len(name) <= 31 and not set(name) & set("[]:*?/\\"):
        return name
    return f"agents_response_{index}"


def pay_section(ctx: RunContext, ledger: dict[str, PolicyPay], natural: list[Any],
                model: SimModel, start: datetime, res: StageResult) -> None:
    """Fill the pay stage's result from the ledger."""
    from sim.compare import BASELINE

    lang = ctx.lang
    tables, which = kpi_tables(ctx, ledger, natural, model, start)
    summary: dict[str, Any] = {}
    rows: list[list[Any]] = []
    report_rows: list[list[str]] = []
    groups = []
    span = horizon_words(ctx)
    for name, paid in ledger.items():
        _warn(ctx, paid, res)
        s = paid.summary()
        if not s.get("agents"):
            continue
        rows += paid.rows
        s.update({"file": getattr(paid, "file", None), "table": which.get(name) or None,
                  "pools": sorted({r[3] for r in paid.rows})})
        summary[name] = s
        cur, label = s["currency"], policy_label(name, lang)
        period = ctx.t(f"pay.period.{s['period']}")
        report_rows.append([
            label, period, str(s["agents"]), str(s["replications"]),
            money(s["mean"], cur, lang), number(s["p10"], lang), number(s["p50"], lang),
            number(s["p90"], lang), f"{s['variable_share']:.0%}",
            money(s["cost_per_period"], cur, lang), money(s["cost_horizon"], cur, lang)])
        groups.append((label, paid.per_agent_mean()))
        if name == BASELINE:
            continue
        pools = ", ".join(pool_label(p, lang) for p in s["pools"])
        res.decisions.append(ctx.t(
            "pay.decision", policy=label, n=s["agents"], pools=pools, period=period,
            mean=money(s["mean"], cur, lang), p10=number(s["p10"], lang),
            p90=number(s["p90"], lang), share=f"{s['variable_share']:.0%}",
            reps=s["replications"], cost=money(s["cost_per_period"], cur, lang),
            hours=f"{PERIOD_HOURS[s['period']]:g}", horizon=span,
            cost_horizon=money(s["cost_horizon"], cur, lang)))
        res.headlines.append(Headline(f"pay.{name}.mean", ctx.t("pay.headline", policy=label,
                                                                 period=period),
                                      s["mean"], money(s["mean"], cur, lang)))
        res.headlines.append(Headline(f"pay.{name}.cost_horizon",
                                      ctx.t("pay.headline_horizon", policy=label,
                                            horizon=span),
                                      s["cost_horizon"], money(s["cost_horizon"], cur, lang)))
    res.summary = {"policies": summary, "horizon_days": ctx.scenario.horizon.days}
    res.tables += tables
    res.paragraphs.append(ctx.t("pay.intro", horizon=span))
    if not rows:
        return
    res.tables.append(Table("pay", ctx.t("stage.pay"), PAY_COLUMNS, rows))
    res.report_tables.append(ReportTable(
        ctx.t("pay.table"), [ctx.t(f"pay.col.{k}") for k in (
            "policy", "period", "agents", "replications", "mean", "p10", "p50", "p90",
            "variable", "cost_period", "cost_horizon")], report_rows,
        note=ctx.t("pay.table_note", horizon=span)))
    currency = next(iter(summary.values()))["currency"]
    res.figures.append(drawn_later(  # drawn beside the writing of the results
        "pay-distribution", ctx.t("pay.figure"), box_chart, "pay-distribution", groups,
        ctx.t("pay.xlabel", currency=currency), caption=ctx.t("pay.figure_caption")))
    answered = [policy_label(p, lang) for p, e in summary.items()
                if e["behaviour"] == "response"]
    if answered:
        res.paragraphs.append(ctx.t("pay.response", policies=", ".join(answered)))
    res.assumptions += [ctx.t("pay.assumption_scale"),
                        ctx.t("pay.assumption_response" if answered else
                              "pay.assumption_natural")]
    _cost_section(ctx, ledger, res)


def _cost_section(ctx: RunContext, ledger: dict[str, PolicyPay], res: StageResult) -> None:
    """The in-house cost of the plan and of each policy from one definition (pay_cost)."""
    from scenarios.run.pay_cost import cost_table, cost_view

    view = cost_view(ctx, ledger)
    if view is None:
        return
    res.summary["in_house_cost"] = view
    header, rows = cost_table(ctx, view)
    lang, cur = ctx.lang, ctx.scenario.currency
    res.report_tables.append(ReportTable(ctx.t("pay.cost.title"), header, rows, note=ctx.t(
        "pay.cost.note", c=number(view["cost_per_paid_hour"], lang, 2),
        o=number(view["on_costs_per_paid_hour"], lang, 2),
        w=number(view["wage_per_paid_hour"], lang, 2), cur=cur,
        hours=number(view["paid_hours"], lang, 0))))


def _warn(ctx: RunContext, paid: PolicyPay, res: StageResult) -> None:
    dropped: set[str] = set()
    for kind, _rep, what in paid.warnings:
        if kind == "incomplete":
            dropped.update(what)
        elif kind == "missing":
            res.warnings.append(ctx.t("pay.missing", policy=paid.name, names=", ".join(what)))
        else:
            msg = ctx.t("pay.rules_warning", policy=paid.name, message=what)
            if msg not in res.warnings:
                res.warnings.append(msg)
    if dropped:
        ids = sorted(dropped)
        res.warnings.append(ctx.t("pay.incomplete", policy=paid.name, n=len(ids),
                                  agents=", ".join(ids[:5])))
