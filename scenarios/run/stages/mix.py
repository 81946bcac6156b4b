"""Mix stage: the cost-optimal sourcing mix (planning.mix, two-stage MILP solved by HiGHS)
when the scenario prices its pools, with the single-source baselines.

The plan is checked and corrected by simulation first (scenarios.checked_mix, the same
loop as ``peakdesk plan``, ``planning.validation_rounds`` rounds): everything this stage
shows is the checked plan, and its first sentence says whether it meets the targets.

Its payload (:class:`MixResult`) gives the simulation stage the plan's rostered agents per
pool and interval for each demand scenario: first-stage in-house and contracted outsourced
seats as planned, plus that scenario's recourse (reserve call-outs ÷ show-up, surge seats,
temps); ``staffing`` is the same with the recourse at its expectation. The plan counts
scheduled (paid) agents, so the simulation applies shrinkage to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from planning.mix import MixComparison, MixPlan
from scenarios.run.figures import horizon_figure
from scenarios.run.plots import Series
from scenarios.run.roster import roster_section
from scenarios.run.stage import Headline, ReportTable, RunContext, StageResult, Table
from scenarios.words.i18n import join, number
from scenarios.words.labels import pool_label
from scenarios.words.plan_check import check_verdict

QUICK_TIME_LIMIT_S = 60.0  # per HiGHS solve with --quick (the in-house tier row and the
# roster rules made the flagship's first plan take 46 s at load 9.5)
QUICK_GAP = 0.02
QUICK_ROUNDS = 1  # --quick: at most this many check-and-tighten re-solves
QUICK_CHECK_REPLICATIONS = 1

PLAN_COLUMNS = ["interval_start", "requirement", "in_house", "outsourced", "outsourced_surge",
                "reserve", "temps", "shortfall", "coverage", "in_house_shortfall"]


@dataclass(frozen=True)
class MixResult:
    """Payload for later stages (the simulation stage reads ``staffing``)."""

    comparison: MixComparison
    staffing: dict[str, np.ndarray]  # rostered agents per pool and interval (expected recourse)
    scheduled: bool = True  # agents are scheduled, not on-duty: shrinkage applies
    # demand scenario name → rostered agents per pool with that scenario's own recourse
    by_scenario: dict[str, dict[str, np.ndarray]] | None = None
    # the plan check's replications of this plan (scenarios.checked_mix.CheckedMix.runs)
    check_runs: tuple = ()
    # their models per demand scenario (scenarios.checked_mix.CheckedMix.run_models)
    check_models: dict | None = None
    # the in-house people on their rostered shifts (scenarios.adapters.to_roster.PeopleRoster)
    people: Any = None
    duties: dict | None = None  # pool → sim.model.Duty, for the simulator


def expected_staffing(plan: MixPlan, reserve_show_up: float) -> dict[str, np.ndarray]:
    """Rostered agents per pool with the recourse (surge, temps, reserve call-outs) at its
    probability-weighted expectation over the demand scenarios."""
    from scenarios.adapters.plan_check import rostered

    e = plan.expected
    return rostered(plan, e(plan.surge), e(plan.reserve), e(plan.temps), reserve_show_up)


class MixStage:
    """Plan the mix of in-house shifts, outsourced blocks and a trained reserve."""

    name = "mix"

    def title(self, ctx: RunContext) -> str:
        return ctx.t("stage.mix")

    def skip_reason(self, ctx: RunContext) -> str | None:
        from scenarios.reading.planning_checks import TERMS

        sc = ctx.scenario
        if not any(getattr(p, TERMS[n]) is not None for n, p in sc.pools.items()):
            return ctx.t("mix.no_terms")
        if ctx.ran("requirements") is None:
            return ctx.t("mix.no_requirements")
        return None

    def run(self, ctx: RunContext) -> StageResult:
        from planning.solver import PlanError
        from scenarios.adapters.plan_check import reserve_show_up, staffing_by_scenario
        from scenarios.adapters.to_mix import solver_options
        from scenarios.checked_mix import checked_mix
        from scenarios.intraday import recourse_table
        from scenarios.writing.plan_output import (
            RECOURSE_HEADER,
            plan_json,
            plan_rows,
            recourse_rows,
        )

        sc, lang = ctx.scenario, ctx.lang
        opts = solver_options(sc, QUICK_TIME_LIMIT_S if ctx.quick else None,
                              max(QUICK_GAP, sc.planning.solver.mip_gap) if ctx.quick else None)
        rounds = sc.planning.validation_rounds
        try:
            mixed = checked_mix(
                sc, opts, rounds=min(rounds, QUICK_ROUNDS) if ctx.quick else rounds,
                replications=QUICK_CHECK_REPLICATIONS if ctx.quick else None)
        except PlanError as exc:  # infeasible or no plan in time: say so, don't stop the run
            res = StageResult(self.name, self.title(ctx))
            res.warnings.append(ctx.t("mix.failed", error=str(exc)))
            res.status = "skipped"
            res.reason = ctx.t("mix.failed", error=str(exc))
            return res
        cmp = mixed.comparison
        plan = cmp.plan
        show_up = reserve_show_up(sc)
        staffing = expected_staffing(plan, show_up)
        per = staffing_by_scenario(sc, plan)
        people = duties = None
        if plan.shifts and sc.pools.get("in_house") and sc.pools["in_house"].employment:
            from scenarios.adapters.to_roster import people_roster

            people = people_roster(sc, plan)
            duties = {"in_house": people.duty(sc.horizon.interval_s)}
        res = StageResult(self.name, self.title(ctx), data=MixResult(
            cmp, staffing, by_scenario=dict(zip(plan.scenario_names, per, strict=True)),
            check_runs=mixed.runs, check_models=mixed.run_models, people=people,
            duties=duties))
        doc = plan_json(sc, cmp, mixed.checked, mixed.remedy, mixed.check,
                    mixed.probe, mixed)
        for key in ("plan", "build_s", "solve_s"):  # rows go to CSV; timings aren't reproducible
            doc.pop(key, None)
        res.summary = doc
        res.lead.append(check_verdict(ctx, doc))
        res.tables.append(Table("plan", ctx.t("stage.mix"), PLAN_COLUMNS, plan_rows(sc, plan)))
        # each demand scenario's own recourse: with plan.csv, what `simulate --plan` runs
        res.tables.append(Table("recourse", ctx.t("stage.mix"), RECOURSE_HEADER,
                                recourse_rows(sc, plan)))
        # the recourse per demand scenario, for `peakdesk intraday` (docs/intraday.md)
        res.tables.append(Table(recourse_table.NAME, ctx.t("stage.mix"), recourse_table.HEADER,
                                recourse_table.recourse_rows(plan, sc.horizon.interval_starts())))
        roster_section(ctx, res, plan, doc, people)
        cur = sc.currency
        money = (lambda x: f"{number(x, lang, 0)} {cur}")  # noqa: E731
        cash = plan.cost.cash
        res.headlines.append(Headline("mix.cash_cost", ctx.t("mix.headline_cash"), cash,
                                      money(cash)))
        res.headlines.append(Headline("mix.expected_cost", ctx.t("mix.headline_cost"),
                                      plan.objective, money(plan.objective)))
        res.headlines.append(Headline("mix.reserve_pool", ctx.t("mix.headline_reserve"),
                                      plan.reserve_pool, str(plan.reserve_pool)))
        peak_in_house = int(plan.in_house.max()) if plan.in_house.size else 0
        peak_out = int(plan.outsourced.max()) if plan.outsourced.size else 0
        met = int(plan.met.sum()) if plan.met.size else sum(
            1 for s in doc["scenarios"] if s["met"])
        res.lead.append(ctx.t(  # the report opens with the verdict, then the mix
            "mix.decision", in_house=peak_in_house, shifts=len(plan.shifts),
            outsourced=peak_out, blocks=len(plan.outsourced_blocks),
            reserve=plan.reserve_pool, cost=money(plan.objective), met=met,
            n=len(plan.scenario_names)))
        val = doc.get("validation")
        if val:
            for r in val["rounds"]:
                missed = ", ".join(f"{ctx.t('mix.kpi.' + k)} {v}"
                                   for k, v in r["missed_periods"].items() if v) or "—"
                res.paragraphs.append(ctx.t(
                    "mix.check_round", round=r["round"] + 1, cost=money(r["objective"]),
                    held=r["scenarios_held"], n=val["scenarios"], missed=missed,
                    raised=r["raised"], period=ctx.t("sim.period." + val["targets_over"])))
            res.paragraphs.append(ctx.t("mix.before_check",
                                        cost=money(val["before_check"]["objective"]),
                                        reserve=val["before_check"]["reserve_pool"]))
        gap = peak_gap(sc, plan)
        doc["peak_gap"] = gap
        if gap is not None:
            res.headlines.append(Headline(
                "mix.peak_short", ctx.t("mix.headline_gap"), gap["short"],
                f"{number(gap['short'], lang, 0)} / {number(gap['requirement'], lang, 0)} "
                f"({gap_when(ctx, gap)})"))
            res.decisions.append(gap_sentence(ctx, gap))
        cost_tables(ctx, doc, res, money)
        self._figure(ctx, plan, res)
        if plan.status == "time_limit":
            res.warnings.append(ctx.t("mix.time_limit", gap=f"{plan.gap:.2%}"))
        if ctx.quick:
            res.paragraphs.append(ctx.t("mix.quick", limit=f"{QUICK_TIME_LIMIT_S:g}",
                                        gap=f"{opts.mip_gap:.1%}"))
        res.paragraphs.append(ctx.t("mix.intro", n=len(plan.scenario_names)))
        res.assumptions += [ctx.t("mix.assumption_model"), ctx.t("mix.assumption_sim")]
        return res

    def _figure(self, ctx: RunContext, plan: MixPlan, res: StageResult) -> None:
        """Requirement against the pools, all in in-house-equivalent agents (each pool's
        agents × its productivity), as ``peakdesk plan``'s plot."""
        e = plan.expected

        def eta(pool: str) -> float:
            return float(plan.productivity.get(pool, 1.0))

        need = Series(ctx.t("mix.series.requirement"), e(plan.requirement),
                      band=(plan.requirement.min(axis=0), plan.requirement.max(axis=0)))
        pools = [Series(ctx.t("mix.series.in_house"), plan.in_house * eta("in_house")),
                 Series(ctx.t("mix.series.outsourced"),
                        (plan.outsourced + e(plan.surge)) * eta("outsourced")),
                 Series(ctx.t("mix.series.reserve"), e(plan.reserve) * eta("reserve")),
                 Series(ctx.t("mix.series.temps"), e(plan.temps) * eta("temps"))]
        res.figures.append(horizon_figure(ctx, "mix-plan", ctx.t("mix.figure"), [need],
                                          ctx.t("mix.ylabel"), stacked=pools, height=2.8))


def peak_gap(sc: Any, plan: MixPlan) -> dict[str, Any] | None:
    """The interval with the largest expected shortfall (plan.csv's ``shortfall``): what it
    needs and covers (expected, agents at in-house speed), and, in the demand scenario
    short most there, each pool's agents against its limit; None when nothing is short."""
    if not plan.shortfall.size:
        return None
    e = plan.expected
    short = e(plan.shortfall)
    t = int(np.argmax(short))
    if short[t] < 0.05:
        return None
    s = int(np.argmax(plan.shortfall[:, t]))
    pools = sc.pools
    limits: list[dict[str, Any]] = []
    if "in_house" in pools and pools["in_house"].employment:
        limits.append({"pool": "in_house", "agents": float(plan.in_house[t]),
                       "limit": float(pools["in_house"].employment.headcount + plan.hires)})
    if "outsourced" in pools and pools["outsourced"].contract:
        c = pools["outsourced"].contract
        limits.append({"pool": "outsourced", "agents": float(plan.outsourced[t]),
                       "limit": float(c.capacity)})
        if c.surge_capacity:
            limits.append({"pool": "outsourced_surge", "agents": float(plan.surge[s, t]),
                           "limit": float(c.surge_capacity)})
    if "reserve" in pools and pools["reserve"].on_call:
        show = pools["reserve"].default("reserve", "show_up")
        limits.append({"pool": "reserve", "agents": float(plan.reserve[s, t]),
                       "limit": float(plan.reserve_pool * show)})
    if "temps" in pools and pools["temps"].temp_hire:
        limits.append({"pool": "temps", "agents": float(plan.temps[s, t]),
                       "limit": float(pools["temps"].temp_hire.capacity)})
    start = sc.horizon.interval_starts()[t]
    req, cov = float(e(plan.requirement)[t]), float(e(plan.coverage)[t])
    return {"interval": start.isoformat(timespec="minutes"), "requirement": req,
            "coverage": cov, "short": float(short[t]),
            "share_short": float(short[t] / req) if req > 0 else 0.0,
            "scenario": plan.scenario_names[s],
            "scenario_requirement": float(plan.requirement[s, t]),
            "scenario_coverage": float(plan.coverage[s, t]), "pools": limits,
            "at_limit": all(x["agents"] >= x["limit"] - 0.5 for x in limits)}


def gap_when(ctx: Any, gap: dict[str, Any]) -> str:
    from datetime import datetime

    from scenarios.words.i18n import when

    return when(datetime.fromisoformat(gap["interval"]), ctx.lang,
                ctx.scenario.horizon.days > 1)


def gap_sentence(ctx: Any, gap: dict[str, Any]) -> str:
    """The plan's largest gap in words: needed against covered, and the pools' limits."""
    lang = ctx.lang
    pools = join([ctx.t("mix.gap_pool", pool=pool_label(x["pool"], lang),
                        n=number(x["agents"], lang, 0), limit=number(x["limit"], lang, 0))
                  for x in gap["pools"]], lang)
    return ctx.t("mix.gap", when=gap_when(ctx, gap), req=number(gap["requirement"], lang, 0),
                 cov=number(gap["coverage"], lang, 0), short=number(gap["short"], lang, 0),
                 pct=f"{gap['share_short']:.0%}", scenario=gap["scenario"],
                 s_req=number(gap["scenario_requirement"], lang, 0),
                 s_cov=number(gap["scenario_coverage"], lang, 0), pools=pools,
                 limit=ctx.t("mix.gap_all_limits") if gap["at_limit"] else "")


def cost_parts(c: dict) -> tuple[float, float, float]:
    """(cash, quality charge, shortfall penalty) of a plan's ``cost`` (plan_output.cost_json);
    the three add up to its ``total``."""
    return c["cash"], c["quality"], c["shortfall_penalty"]


def cost_tables(ctx: RunContext, doc: dict, res: StageResult, money: Any) -> None:
    """The mix's cost on three lines (cash paid, quality charge, shortfall penalty) by pool,
    and the single-source plans compared on cash and on the total, each saying which."""
    lang = ctx.lang
    c = doc["cost"]
    cash, quality, penalty = cost_parts(c)
    q = c.get("quality_by_pool", {})
    rows = [[pool_label(k, lang), money(v - q.get(k, 0.0)), money(q.get(k, 0.0)), "—",
             money(v)] for k, v in c["by_pool"].items()]
    rows.append([ctx.t("mix.cost.shortfall"), "—", "—", money(penalty), money(penalty)])
    rows.append([ctx.t("mix.cost.total"), money(cash), money(quality), money(penalty),
                 money(c["total"])])
    sc = ctx.scenario
    rates = ", ".join(f"{pool_label(k, lang)} {number(p.quality_cost_per_hour, lang, 0)}"
                      for k, p in sc.pools.items() if p.quality_cost_per_hour) or "0"
    signed = c["first_stage"] - q.get("outsourced", 0.0)
    res.report_tables.append(ReportTable(
        ctx.t("mix.table_cost"),
        [ctx.t("mix.col.item"), ctx.t("mix.col.cash"), ctx.t("mix.col.quality"),
         ctx.t("mix.col.penalty"), ctx.t("mix.col.total")], rows,
        note=ctx.t("mix.cost.note", rates=rates, cur=doc["currency"],
                   penalty=number(sc.planning.shortfall_penalty_per_hour, lang, 0),
                   signed=money(signed), day=money(cash - signed))))
    base_rows = [[ctx.t("mix.this_plan"), money(cash), money(quality), money(penalty),
                  money(c["total"]), number(doc["expected_shortfall_agent_hours"], lang, 1)]]
    for name, det in doc["baseline_details"].items():
        label = ctx.t(f"mix.baseline.{name}")
        if det is None:
            base_rows.append([label, ctx.t("mix.no_plan"), "—", "—", "—", "—"])
            continue
        b_cash, b_quality, b_penalty = cost_parts(det["cost"])
        base_rows.append([label, money(b_cash), money(b_quality), money(b_penalty),
                          money(det["cost"]["total"]),
                          number(det["expected_shortfall_agent_hours"], lang, 1)])
        res.decisions.append(ctx.t(
            "mix.decision_against", baseline=label,
            cash=_difference(ctx, b_cash - cash, money),
            total=_difference(ctx, det["cost"]["total"] - c["total"], money),
            hours=number(det["expected_shortfall_agent_hours"], lang, 0)))
    res.report_tables.append(ReportTable(
        ctx.t("mix.table_baselines"),
        [ctx.t("mix.col.plan"), ctx.t("mix.col.cash"), ctx.t("mix.col.quality"),
         ctx.t("mix.col.penalty"), ctx.t("mix.col.total"), ctx.t("mix.col.shortfall")],
        base_rows, note=ctx.t("mix.baselines_note")))


def _difference(ctx: RunContext, saving: float, money: Any) -> str:
    """"12,000 CNY less" / "3,000 CNY more" (what the mix costs against another plan)."""
    if abs(saving) < 0.5:
        return ctx.t("mix.diff.same")
    return ctx.t("mix.diff.less" if saving > 0 else "mix.diff.more", amount=money(abs(saving)))

