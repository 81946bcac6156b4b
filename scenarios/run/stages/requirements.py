"""Requirements stage: required and scheduled agents per interval × channel (Erlang A/C),
and the scheduled total against the agents the scenario's pools put on duty."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planning.channel import ChannelStaffing, channel_requirements
from planning.requirements import Requirement
from scenarios.adapters.blending import blended
from scenarios.adapters.to_bot import agents_rates
from scenarios.adapters.to_demand import interval_aht
from scenarios.adapters.to_staffing import requirement_options, scenario_staffing
from scenarios.run.figures import horizon_figure
from scenarios.run.plots import Series
from scenarios.run.stage import Headline, ReportTable, RunContext, StageResult, Table
from scenarios.run.stages.bot_report import containment_steps
from scenarios.run.stages.demand import Demand
from scenarios.schema import Scenario
from scenarios.words.i18n import channel_label, join, number, when
from scenarios.writing.requirements_table import requirements_rows, requirements_summary


@dataclass(frozen=True)
class Staffed:
    """Agents on duty per interval for each pool given as a number or a list."""

    pools: dict[str, np.ndarray]
    plan_pools: dict[str, str]  # pools given by a plan file (not read here): name -> path

    @property
    def total(self) -> np.ndarray | None:
        return sum(self.pools.values()) if self.pools else None  # type: ignore[return-value]


@dataclass(frozen=True)
class Requirements:
    """Payload for later stages (the mix plan, the simulation)."""

    specs: dict[str, ChannelStaffing]
    by_channel: dict[str, Requirement]
    scheduled_total: np.ndarray  # int agents per interval, channels added
    staffed: Staffed
    # groups of channels served by the same (blended) agents: counted once in the total
    shared: tuple[tuple[str, ...], ...] = ()


def staffed_agents(sc: Scenario) -> Staffed:
    """Agents on duty per interval from each pool's ``agents`` (constant or list)."""
    n = sc.horizon.n_intervals
    pools: dict[str, np.ndarray] = {}
    plans: dict[str, str] = {}
    for name, pool in sc.pools.items():
        if pool.plan is not None:
            plans[name] = pool.plan
        elif isinstance(pool.agents, list):
            pools[name] = np.asarray(pool.agents, dtype=np.int64)
        elif pool.agents is not None:
            pools[name] = np.full(n, int(pool.agents), dtype=np.int64)
    return Staffed(pools, plans)


def _mix_follows(sc: Scenario) -> bool:
    """The mix stage will plan this scenario (a pool has planning terms: its skip rule)."""
    from scenarios.reading.planning_checks import TERMS

    return any(getattr(p, TERMS[n], None) is not None for n, p in sc.pools.items()
               if n in TERMS)


class RequirementsStage:
    """Fewest agents meeting every target per interval (planning.requirements), after
    shrinkage, compared with the staffed pools."""

    name = "requirements"

    def title(self, ctx: RunContext) -> str:
        return ctx.t("stage.requirements")

    def skip_reason(self, ctx: RunContext) -> str | None:
        if not scenario_staffing(ctx.scenario):
            return ctx.t("req.no_inbound")
        if ctx.ran("demand") is None:
            return ctx.t("demand.no_demand")
        return None

    def run(self, ctx: RunContext) -> StageResult:
        sc = ctx.scenario
        if _mix_follows(sc):  # the mix stage's requirement cases, on the other core now
            from scenarios.adapters.to_mix import requirement_cases_ahead

            requirement_cases_ahead(sc)
        dem: Demand = ctx.results["demand"].data
        specs = scenario_staffing(sc)
        rates = {ch: dem.rates_per_hour[ch] for ch in specs}
        aht = dem.aht_s or interval_aht(sc)
        rates, aht = agents_rates(sc, rates, aht)  # a bot in front: the contacts agents see
        reqs = channel_requirements(rates, specs, sc.staffing.shrinkage, aht_by_interval=aht,
                                    **requirement_options(sc))
        staffed = staffed_agents(sc)
        # blended agents: one pooled requirement per group of channels (scenarios.adapters.blending)
        groups = blended(sc, specs, reqs, aht)
        sched_total = sum(b.scheduled.astype(np.int64) for b in groups)
        data = Requirements(specs, reqs, np.asarray(sched_total), staffed,
                            tuple(tuple(b.channels) for b in groups if len(b.channels) > 1))
        res = StageResult(self.name, self.title(ctx), data=data)
        multi_day = sc.horizon.days > 1
        header, rows = requirements_rows(sc, specs, rates, aht, reqs)
        res.tables.append(Table("intervals", ctx.t("stage.requirements"), header, rows))
        summary = requirements_summary(sc, specs, rates, reqs)
        for ch, s in summary.items():
            i = int(np.argmax(reqs[ch].agents))
            s["peak_binding"] = str(reqs[ch].binding[i])
        res.summary["channels"] = summary
        res.paragraphs.append(ctx.t("req.intro", shrinkage=f"{sc.staffing.shrinkage:.0%}"))
        for ch, s in summary.items():
            if s["redials"] > 0 or s["repeats"] > 0:
                res.paragraphs.append(ctx.t(
                    "req.load", channel=channel_label(ch, ctx.lang),
                    first=number(s["contacts"], ctx.lang), redials=number(s["redials"], ctx.lang),
                    repeats=number(s["repeats"], ctx.lang),
                    iterations=s["fixed_point_iterations"]))
        if sc.staffing.method == "mol":
            res.paragraphs.append(ctx.t("req.method_mol"))
        self._channel_figures(ctx, dem, reqs, res)
        self._channel_table(ctx, summary, res, multi_day)
        self._versus_staffed(ctx, dem, data, res, multi_day)
        containment_steps(ctx, {ch: dem.rates_per_hour[ch] for ch in specs}, res)  # bot what-if
        res.assumptions += [ctx.t("req.assumption_erlang"), ctx.t("req.assumption_sum")]
        if any(s.concurrency > 1 for s in specs.values()):
            res.assumptions.append(ctx.t("req.assumption_chat"))
        return res

    def _channel_figures(self, ctx: RunContext, dem: Demand, reqs: dict[str, Requirement],
                         res: StageResult) -> None:
        for ch, r in reqs.items():
            label = channel_label(ch, ctx.lang)
            res.figures.append(horizon_figure(
                ctx, f"req-{ch}", ctx.t("req.figure_channel", channel=label),
                [Series(ctx.t("req.required"), r.agents),
                 Series(ctx.t("req.scheduled"), r.scheduled)], ctx.t("req.ylabel"),
                height=2.6))

    def _channel_table(self, ctx: RunContext, summary: dict[str, dict[str, object]],
                       res: StageResult, multi_day: bool) -> None:
        from datetime import datetime

        lang = ctx.lang
        rows = []
        for ch, s in summary.items():
            rows.append([channel_label(ch, lang), str(s["model"]).replace("_", " ").title(),
                         number(s["peak_required"], lang), number(s["peak_scheduled"], lang),  # type: ignore[arg-type]
                         when(datetime.fromisoformat(str(s["peak_interval"])), lang, multi_day),
                         ctx.t(f"binding.{s['peak_binding']}"),
                         number(s["agent_hours_required"], lang, 1),  # type: ignore[arg-type]
                         number(s["agent_hours_scheduled"], lang, 1)])  # type: ignore[arg-type]
        keys = ("channel", "model", "peak_required", "peak_scheduled", "peak_at", "binding",
                "hours_required", "hours_scheduled")
        res.report_tables.append(ReportTable(
            ctx.t("req.table"),
            [ctx.t("demand.col.channel") if k == "channel" else ctx.t(f"req.col.{k}")
             for k in keys], rows))

    def _versus_staffed(self, ctx: RunContext, dem: Demand, data: Requirements,
                        res: StageResult, multi_day: bool) -> None:
        lang, hours, st = ctx.lang, dem.hours, data.staffed
        sched = data.scheduled_total
        peak = int(np.argmax(sched))
        peak_when = when(dem.starts[peak], lang, multi_day)
        hours_sched = float(sched.sum() * hours)
        res.summary["total"] = {"peak_scheduled": int(sched[peak]),
                                "peak_interval": dem.starts[peak].isoformat(timespec="minutes"),
                                "agent_hours_scheduled": hours_sched}
        parts = [ctx.t("part.channel_agents", channel=channel_label(ch, lang),
                       n=int(r.scheduled[peak])) for ch, r in data.by_channel.items()]
        own = sum(int(r.scheduled[peak]) for r in data.by_channel.values())
        shared = [c for g in data.shared for c in g]
        label = ctx.t("req.headline_peak_blended" if shared else "req.col.peak_scheduled")
        res.headlines.append(Headline("requirements.peak_scheduled", label, int(sched[peak]),
                                      f"{number(sched[peak], lang)} ({peak_when})"))
        if shared and own != int(sched[peak]):  # say why the parts do not add up
            res.decisions.append(ctx.t(
                "req.decision_peak_blended", when=peak_when, total=int(sched[peak]),
                parts=join(parts, lang), sum=own,
                channels=join([channel_label(c, lang) for c in shared], lang)))
        else:
            res.decisions.append(ctx.t("req.decision_peak", when=peak_when,
                                       total=int(sched[peak]), parts=join(parts, lang)))
        for pool, plan in st.plan_pools.items():
            res.warnings.append(ctx.t("req.warn_plan", pool=ctx.t(f"pool.{pool}"), plan=plan))
        staffed = st.total
        cols = ["interval_start", *[f"scheduled_{ch}" for ch in data.by_channel],
                "scheduled_total"]
        series = [Series(ctx.t("req.scheduled"), sched)]
        if staffed is None:
            res.decisions.append(ctx.t("req.decision_no_pools", hours=number(hours_sched, lang)))
            table_rows = [[s.isoformat(timespec="minutes"),
                           *[int(r.scheduled[i]) for r in data.by_channel.values()],
                           int(sched[i])] for i, s in enumerate(dem.starts)]
        else:
            gap = sched - staffed
            short = gap > 0
            worst = int(np.argmax(gap))
            missing = float(np.clip(gap, 0, None).sum() * hours)
            pools = {p: {"min_agents": int(a.min()), "max_agents": int(a.max()),
                         "agent_hours": float(a.sum() * hours)} for p, a in st.pools.items()}
            res.summary["staffed"] = {
                "pools": pools, "agent_hours": float(staffed.sum() * hours),
                "short_intervals": int(short.sum()), "intervals": int(sched.size),
                "max_shortfall": int(max(gap[worst], 0)),
                "max_shortfall_interval": (dem.starts[worst].isoformat(timespec="minutes")
                                           if short.any() else None),
                "missing_agent_hours": missing}
            res.headlines.append(Headline("requirements.short_intervals",
                                          ctx.t("req.staffing_short"), int(short.sum()),
                                          f"{int(short.sum())} / {sched.size}"))
            res.headlines.append(Headline("requirements.missing_agent_hours",
                                          ctx.t("req.staffing_missing"), missing,
                                          number(missing, lang, 1)))
            staffed_text = join([ctx.t("part.pool_agents", pool=ctx.t(f"pool.{p}"),
                                       n=_range_text(v["min_agents"], v["max_agents"]))
                                 for p, v in pools.items()], lang)
            if short.any():
                res.decisions.append(ctx.t(
                    "req.decision_short", staffed=staffed_text, short=int(short.sum()),
                    n=sched.size, gap=int(gap[worst]),
                    when=when(dem.starts[worst], lang, multi_day),
                    hours=number(missing, lang, 1)))
            else:
                res.decisions.append(ctx.t("req.decision_covered", staffed=staffed_text,
                                           n=sched.size))
            series.append(Series(ctx.t("req.staffed"), staffed, dashed=True))
            cols += [*[f"staffed_{p}" for p in st.pools], "staffed_total", "shortfall"]
            table_rows = [[s.isoformat(timespec="minutes"),
                           *[int(r.scheduled[i]) for r in data.by_channel.values()],
                           int(sched[i]), *[int(a[i]) for a in st.pools.values()],
                           int(staffed[i]), int(max(gap[i], 0))]
                          for i, s in enumerate(dem.starts)]
            res.report_tables.append(ReportTable(
                ctx.t("req.staffing_table"),
                [ctx.t("req.col.pool"), ctx.t("req.col.agents"), ctx.t("req.col.agent_hours")],
                [[ctx.t(f"pool.{p}"), _range_text(v["min_agents"], v["max_agents"]),
                  number(v["agent_hours"], lang, 1)] for p, v in pools.items()]))
        res.tables.append(Table("staffing", ctx.t("req.figure_total"), cols, table_rows))
        stacked = [Series(ctx.t("req.scheduled_channel", channel=channel_label(ch, lang)),
                          r.scheduled) for ch, r in data.by_channel.items()]
        res.figures.append(horizon_figure(ctx, "req-total", ctx.t("req.figure_total"),
                                          series[1:], ctx.t("req.ylabel"), stacked=stacked))


def _range_text(lo: int, hi: int) -> str:
    return str(lo) if lo == hi else f"{lo}–{hi}"
