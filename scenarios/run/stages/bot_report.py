"""The bot in the run's report: its KPIs (simulation stage) and the containment steps a
planner asks for (requirements stage, when a channel's bot lists ``containment_steps``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from scenarios.run.stage import ReportTable, RunContext, StageResult, Table
from scenarios.words.i18n import channel_label, number

KPIS = ("entered", "contained", "handed_off", "handed_off_customer", "handed_off_bot",
        "abandoned", "returned", "containment", "handoff_rate", "bot_abandon_rate",
        "return_rate_24h", "escalated_aht_s", "bot_orders", "bot_degraded")
SHARES = {"containment", "handoff_rate", "bot_abandon_rate", "return_rate_24h", "bot_degraded"}


def _cell(metric: str, v: dict[str, Any] | None, lang: str) -> str:
    if v is None or v["mean"] is None:
        return "—"
    m, (lo, hi) = v["mean"], v["ci95"]
    if metric in SHARES:
        return f"{100 * m:.1f}% ({100 * max(lo, 0):.1f}–{100 * min(hi, 1):.1f}%)"
    if metric.endswith("_s"):
        unit = " 秒" if lang == "zh" else " s"
        return f"{number(m, lang, 0)} ({number(max(lo, 0), lang, 0)}–{number(hi, lang, 0)}){unit}"
    return f"{number(m, lang, 0)} ({number(max(lo, 0), lang, 0)}–{number(hi, lang, 0)})"


def bot_kpi_table(ctx: RunContext, bots: dict[str, dict[str, Any]], res: StageResult) -> None:
    """The simulated bot KPIs per channel with a bot (``bots``: summary_json's "bot")."""
    if not bots:
        return
    lang, chans = ctx.lang, list(bots)
    res.summary["bot"] = bots
    rows = [[ctx.t(f"bot.kpi.{m}"), *[_cell(m, bots[c].get(m), lang) for c in chans]]
            for m in KPIS]
    res.report_tables.append(ReportTable(
        ctx.t("bot.table"), [ctx.t("bot.col.kpi"), *[channel_label(c, lang) for c in chans]],
        rows, note=ctx.t("bot.note")))
    res.tables.append(Table("sim_bot", ctx.t("bot.table"),
                            ["channel", "metric", "mean", "ci95_lo", "ci95_hi"],
                            [[c, m, v["mean"], v["ci95"][0], v["ci95"][1]]
                             for c, block in bots.items() for m, v in block.items()]))


def containment_steps(ctx: RunContext, rates: dict[str, np.ndarray], res: StageResult
                      ) -> None:
    """Per channel whose bot lists ``containment_steps``: the requirement at each step."""
    from planning.channel import channel_requirements
    from scenarios.adapters.to_bot import agents_rates
    from scenarios.adapters.to_demand import interval_aht
    from scenarios.adapters.to_staffing import requirement_options, scenario_staffing

    sc, lang = ctx.scenario, ctx.lang
    specs = scenario_staffing(sc)
    emp = sc.pools["in_house"].employment if "in_house" in sc.pools else None
    hour_cost = emp.cost_per_paid_hour if emp is not None else None
    step_h = sc.horizon.interval_minutes / 60.0
    out: dict[str, list[dict[str, Any]]] = {}
    for ch, bot in sc.bot.items():
        if not (bot.containment_steps or bot.degraded) or ch not in specs:
            continue
        rows, entries = [], []
        steps = [(float(c), f"{100 * c:.0f}%") for c in bot.containment_steps]
        if bot.degraded is not None:  # the "bot degraded" scenario as one more step
            c = bot.mean_containment() * bot.degraded.containment_factor
            steps.append((c, ctx.t("bot.degraded_step", value=f"{100 * c:.0f}%")))
        for c, label in steps:
            changed = sc.model_copy(update={"bot": {**sc.bot, ch: bot.model_copy(
                update={"containment": float(c), "reasons": bot.reasons})}})
            r, aht = agents_rates(changed, {ch: rates[ch]}, {ch: interval_aht(sc)[ch]})
            req = channel_requirements({ch: r[ch]}, {ch: specs[ch]}, sc.staffing.shrinkage,
                                       aht_by_interval=aht, **requirement_options(sc))[ch]
            offered = r[ch] * step_h
            sl = req.metrics.service_level
            ok = offered > 0
            sl_mean = float(np.sum(sl[ok] * offered[ok]) / offered[ok].sum()) if ok.any() \
                else float("nan")
            hours = float(req.scheduled_fractional.sum() * step_h)
            cost = hours * hour_cost if hour_cost is not None else None
            entries.append({"containment": float(c), "contacts_to_agents": float(offered.sum()),
                            "peak_required": int(req.agents.max(initial=0)),
                            "agent_hours_scheduled": hours, "cost": cost,
                            "service_level": sl_mean})
            rows.append([label, number(offered.sum(), lang),
                         number(int(req.agents.max(initial=0)), lang), number(hours, lang, 0),
                         "—" if cost is None else f"{number(cost, lang)} {sc.currency}",
                         f"{100 * sl_mean:.1f}%"])
        out[ch] = entries
        res.report_tables.append(ReportTable(
            ctx.t("bot.steps_table", channel=channel_label(ch, lang)),
            [ctx.t("bot.col.step"), ctx.t("bot.col.to_agents"), ctx.t("bot.col.peak"),
             ctx.t("bot.col.hours"), ctx.t("bot.col.cost"), ctx.t("bot.col.sl")], rows,
            note=ctx.t("bot.steps_note")))
    if out:
        res.summary["bot_containment_steps"] = out
