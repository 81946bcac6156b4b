"""Capacity stage: the weekly hiring / overtime / outsourcing plan before the peak
(planning.capacity) when the scenario has a ``capacity:`` section — the same plan and
sentences as ``peakdesk capacity``, in the run's language."""

from __future__ import annotations

from datetime import datetime, timedelta

from scenarios.run.plots import Series, step_chart
from scenarios.run.stage import Figure, Headline, ReportTable, RunContext, StageResult, Table
from scenarios.words.i18n import number


class CapacityStage:
    """Plan the weeks before the peak: hiring classes, overtime, vendor hours."""

    name = "capacity"

    def title(self, ctx: RunContext) -> str:
        return ctx.t("stage.capacity")

    def skip_reason(self, ctx: RunContext) -> str | None:
        return None if ctx.scenario.capacity is not None else ctx.t("capacity.no_section")

    def run(self, ctx: RunContext) -> StageResult:
        from planning.capacity import capacity_report
        from planning.solver import PlanError
        from scenarios.adapters.to_capacity import capacity_inputs, capacity_solver_options
        from scenarios.capacity.output import CSV_HEADER, capacity_json, csv_rows
        from scenarios.capacity.text import answer_rows, header, intro, sentences, week_rows

        sc, lang = ctx.scenario, ctx.lang
        res = StageResult(self.name, self.title(ctx))
        inp, derived = capacity_inputs(sc)
        try:
            rep = capacity_report(inp, capacity_solver_options(sc))
        except PlanError as exc:  # no plan in time: say so, don't stop the run
            res.status, res.reason = "skipped", ctx.t("capacity.failed", error=str(exc))
            return res
        said = sentences(rep, sc.currency, lang)
        res.data = rep
        res.summary = capacity_json(rep, sc.name, sc.currency, derived, said)
        res.paragraphs.append(intro(rep, derived, lang))
        res.decisions += said
        if rep.answers.shortfall.weeks:
            res.warnings.append(said[-1])
        if rep.plan.status == "time_limit":
            res.warnings.append(ctx.t("capacity.time_limit", gap=f"{rep.plan.gap:.2%}"))
        money = (lambda x: f"{number(x, lang, 0)} {sc.currency}")  # noqa: E731
        p = rep.plan
        res.headlines += [
            Headline("capacity.total_cost", ctx.t("capacity.headline_cost"), p.total_cost,
                     money(p.total_cost)),
            Headline("capacity.total_hires", ctx.t("capacity.headline_hires"),
                     p.total_hires, str(p.total_hires))]
        res.report_tables += [
            ReportTable(ctx.t("capacity.table"), header(lang), week_rows(rep)),
            ReportTable(ctx.t("capacity.table_answers"),
                        [ctx.t("capacity.col.question"), ctx.t("capacity.col.answer")],
                        answer_rows(rep, sc.currency, lang))]
        res.tables.append(Table("capacity", ctx.t("stage.capacity"), CSV_HEADER, csv_rows(rep)))
        res.figures.append(self._figure(ctx, rep))
        res.assumptions.append(ctx.t("capacity.assumption"))
        return res

    def _figure(self, ctx: RunContext, rep) -> Figure:
        from scenarios.capacity.output import headcount_series

        s = headcount_series(rep)
        mondays = [datetime.fromisoformat(rep.inputs.label(t)) for t in range(rep.inputs.weeks)]
        stacked = [Series(ctx.t(f"capacity.series.{k}"), s[k])
                   for k in ("in_house", "overtime", "vendor", "shortfall")]
        lines = [Series(ctx.t("capacity.series.required"), s["required"]),
                 Series(ctx.t("capacity.series.on_staff"), s["on_staff"]),
                 Series(ctx.t("capacity.series.past_training"), s["past_training"],
                        dashed=True)]
        svg = step_chart("capacity", mondays, timedelta(days=7), lines, ctx.t("req.ylabel"),
                         stacked=stacked, height=3.0)
        return Figure("capacity", ctx.t("capacity.figure"), svg)
