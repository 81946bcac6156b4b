"""Simulation stage: the scenario's staffing (or the mix stage's plan) simulated over the
demand scenarios with the scenario's replications (sim.run_replications).

Shows service level and abandonment per interval with their band, the team KPI table
with 95 % confidence intervals, how many replications met each target, and hands the
simulated per-agent KPI table (whole horizon) to the pay stage.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from scenarios.run.figures import horizon_figure
from scenarios.run.plots import Series
from scenarios.run.stage import Headline, ReportTable, RunContext, StageResult, Table
from scenarios.run.stages.bot_report import bot_kpi_table
from scenarios.run.stages.demand import Demand
from scenarios.run.target_check import Layout, equally_likely, round_robin
from scenarios.words.i18n import channel_label, join, number, when
from sim.model import SimModel
from sim.runner import SimResult

QUICK_REPLICATIONS = 4  # --quick: at most this many replications
#: a rate plotted per interval needs at least this many contacts offered (mean over the
#: replications): below, one abandoned call of two reads 50% and hides the target line
MIN_CONTACTS_FOR_RATE = 5.0
# the team KPI table's rows, in this order (sim/kpi.py team_metrics names)
TEAM_METRICS = ("offered", "answered", "abandon_rate", "service_level", "asa_s", "aht_s",
                "occupancy", "fcr")


class MixPlan(Protocol):
    """What this stage reads from the mix stage's payload (``ctx.results["mix"].data``):
    agents on duty per pool and interval (int arrays of the horizon's length), with the
    same meaning as a pool's ``agents:`` (see ``simulation.apply_shrinkage``)."""

    staffing: dict[str, np.ndarray]


@dataclass(frozen=True)
class Simulated:
    """Payload for later stages (pay, a policies comparison)."""

    result: SimResult
    model: SimModel  # the model of replication 0 (each replication's: ``models``)
    staffing: dict[str, np.ndarray]
    source: str  # "mix" (the plan of the mix stage) or "pools" (the scenario's pools)
    demand_names: list[str]  # demand scenario of each replication
    models: list[SimModel] | None = None  # per replication when staffing follows the scenario
    layout: Layout | None = None  # how replications map to demand scenarios and are judged
    demands: list | None = None  # the demand each replication ran (sim.runner.Demand)


def mix_staffing(ctx: RunContext) -> dict[str, np.ndarray] | None:
    """The mix stage's per-pool plan when that stage ran and gives one (MixPlan)."""
    mix = ctx.ran("mix")
    plan = getattr(mix.data, "staffing", None) if mix is not None else None
    return {p: np.asarray(v, dtype=np.int64) for p, v in plan.items()} if plan else None


def scenario_staffing_plan(ctx: RunContext) -> dict[str, dict[str, np.ndarray]] | None:
    """The mix plan's staffing per demand scenario (its own recourse), if the mix ran."""
    mix = ctx.ran("mix")
    return getattr(mix.data, "by_scenario", None) if mix is not None else None


def check_runs(ctx: RunContext, demands: list, layout: Layout) -> list | None:
    """The plan check's replications of the final plan, when they are exactly the runs
    this stage would simulate — the same layout (run i = demand scenario i mod S), count,
    seed and demand — else None. Their outputs are then identical to a new simulation
    (same models, demands and streams; tested), so they are reused, relabelled with this
    stage's demand names and multipliers (reporting only)."""
    from dataclasses import replace

    mix = ctx.ran("mix")
    runs = list(getattr(mix.data, "check_runs", ()) if mix is not None else ())
    if (not runs or layout.unit != "demand_scenario" or len(runs) != len(demands)
            or ctx.seed != ctx.scenario.simulation.seed):
        return None
    out = []
    for o, d in zip(runs, demands, strict=True):
        if o.demand_name != d.name:
            return None
        mult = d.multiplier if d.scenario_multiplier is None else d.scenario_multiplier
        out.append(replace(o, demand_name=d.name, multiplier=float(mult)))
    return out


def check_models(ctx: RunContext) -> dict[str, SimModel]:
    """The models of the plan check's replications per demand scenario (with
    :func:`check_runs`: what this stage would build for them)."""
    mix = ctx.ran("mix")
    return dict(getattr(mix.data, "check_models", None) or {}) if mix is not None else {}


def check_replications(ctx: RunContext) -> int:
    """Replications per demand scenario of the mix stage's plan check (its round robin)."""
    from scenarios.run.stages.mix import QUICK_CHECK_REPLICATIONS

    asked = ctx.scenario.planning.check_replications
    return QUICK_CHECK_REPLICATIONS if ctx.quick else asked


def replications(ctx: RunContext) -> int:
    """The scenario's replications, at most QUICK_REPLICATIONS with --quick."""
    reps = ctx.scenario.simulation.replications
    return min(reps, QUICK_REPLICATIONS) if ctx.quick else reps


def _band_ci(stack: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-column 95 % Student t interval of the mean over rows, ignoring NaN rows."""
    from scipy import stats  # here: importing it costs every run's start-up ~0.45 CPU s
    ok = ~np.isnan(stack)
    n = ok.sum(0)
    x = np.where(ok, stack, 0.0)
    mean = x.sum(0) / np.maximum(n, 1)
    var = np.where(ok, (stack - mean) ** 2, 0.0).sum(0) / np.maximum(n - 1, 1)
    half = stats.t.ppf(0.975, np.maximum(n - 1, 1)) * np.sqrt(var / np.maximum(n, 1))
    half = np.where(n > 1, half, 0.0)
    mean = np.where(n > 0, mean, np.nan)
    return mean - half, mean + half


def _band_scenarios(stack: np.ndarray, names: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Per column, the lowest and highest demand-scenario mean (NaN-aware)."""
    means = []
    for name in dict.fromkeys(names):
        rows = stack[[i for i, n in enumerate(names) if n == name]]
        ok = ~np.isnan(rows)
        cnt = ok.sum(0)
        means.append(np.where(cnt > 0, np.where(ok, rows, 0).sum(0) / np.maximum(cnt, 1),
                              np.nan))
    m = np.vstack(means)
    empty = np.isnan(m).all(0)
    filled = np.where(np.isnan(m), np.inf, m)
    lo = np.where(empty, np.nan, filled.min(0))
    hi = np.where(empty, np.nan, np.where(np.isnan(m), -np.inf, m).max(0))
    return lo, hi


def _num(x: float) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def _pct(x: float | None, lang: str, digits: int = 1) -> str:
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else \
        f"{100 * x:.{digits}f}%"


class SimulationStage:
    """Replications of the event-driven simulator (docs/simulation.md)."""

    name = "simulation"

    def title(self, ctx: RunContext) -> str:
        return ctx.t("stage.simulation")

    def skip_reason(self, ctx: RunContext) -> str | None:
        sc = ctx.scenario
        if ctx.ran("demand") is None:
            return ctx.t("demand.no_demand")
        if not any(c.kind != "outbound" for c in sc.channels.values()):
            return ctx.t("req.no_inbound")
        if mix_staffing(ctx) is None and not sc.pools:
            return ctx.t("sim.no_pools")
        return None

    def run(self, ctx: RunContext) -> StageResult:
        from scenarios.adapters.to_sim import sim_model
        from scenarios.reading.plan import staffing as pool_staffing
        from sim.runner import Demand as SimDemand
        from sim.runner import run_replications, sample_demands
        from sim.tables import summary_json

        sc = ctx.scenario
        dem: Demand = ctx.results["demand"].data
        plan = mix_staffing(ctx)
        source = "mix" if plan is not None else "pools"
        staffing = plan if plan is not None else pool_staffing(sc, ctx.scenario_path)
        if plan is not None and getattr(ctx.results["mix"].data, "scheduled", False):
            # the plan counts scheduled (paid) agents: each is not ready for the
            # shrinkage share of every interval (simulation.apply_shrinkage)
            sc = sc.model_copy(update={"simulation": sc.simulation.model_copy(
                update={"apply_shrinkage": True})})
        duties = getattr(ctx.results["mix"].data, "duties", None) if plan is not None else None
        model = sim_model(sc, staffing, duties)
        reps = replications(ctx)
        options = [(SimDemand(d.rates, handle_time_factor=d.handle_time_factor, name=d.name,
                              scenario_multiplier=d.multiplier), d.probability)
                   for d in dem.scenarios]
        per = scenario_staffing_plan(ctx) if plan is not None else None
        probs = [p for _, p in options]
        if per and all(d.name in per for d, _ in options) and equally_likely(probs):
            # the plan check's layout: replication i runs scenario i mod S (target_check)
            layout = round_robin(probs, reps, check_replications(ctx))
            reps = len(layout.order)
            demand = [options[k][0] for k in layout.order]
        else:
            demand = options[0][0] if len(options) == 1 else sample_demands(options, reps,
                                                                            ctx.seed)
            layout = Layout(list(range(reps)), reps, np.full(reps, 1.0 / reps), "replication")
        demands = [demand] * reps if isinstance(demand, SimDemand) else demand
        models = None
        reused = check_runs(ctx, demands, layout)
        if per and all(d.name in per for d in demands):
            # each replication runs the plan with its demand scenario's own recourse; the
            # plan check's runs come with the models they ran (the same models: tested)
            kept = check_models(ctx) if reused else {}
            built = {name: kept[name] if name in kept else sim_model(sc, st, duties)
                     for name, st in per.items()}
            models = [built[d.name] for d in demands]
            model = models[0]
        workers = min(os.cpu_count() or 1, reps)
        result = (SimResult(ctx.seed, reused) if reused else
                  run_replications(models or model, demand, reps, ctx.seed, workers=workers))
        names = [o.demand_name for o in result.outputs]
        data = Simulated(result, model, staffing, source, names, models, layout, demands)
        res = StageResult(self.name, self.title(ctx), data=data)
        team = summary_json(result, 0.0)
        res.summary = {"replications": reps, "replications_asked": sc.simulation.replications,
                       "runs_from_plan_check": bool(reused),
                       "seed": ctx.seed, "staffing_source": source,
                       "channels": team["channels"], "team": team["team"],
                       "demand_scenarios": names}
        res.paragraphs.append(ctx.t("sim.intro", n=reps, seed=ctx.seed,
                                    source=ctx.t(f"sim.source_{source}")))
        if reps < sc.simulation.replications:
            res.paragraphs.append(ctx.t("sim.quick", n=reps, asked=sc.simulation.replications))
        by_scenario = len(set(names)) > 1
        if layout.unit == "demand_scenario":
            res.paragraphs.append(ctx.t("sim.band_round_robin", k=layout.units,
                                        r=len(layout.order) // layout.units))
        else:
            res.paragraphs.append(ctx.t("sim.band_scenarios" if by_scenario else "sim.band_ci"))
        self._targets(ctx, sc, data, res)
        self._figures(ctx, dem, data, by_scenario, res)
        self._team_table(ctx, team, res, shared_agents(data.model))
        bot_kpi_table(ctx, team.get("bot", {}), res)  # a bot in front (docs/bot.md)
        if len(options) > 1:
            self._scenario_table(ctx, data, dem, res)
        res.assumptions += [ctx.t("sim.assumption_model"), ctx.t("sim.assumption_count")]
        return res

    # ---- targets: the plan check's rule on these replications (scenarios.run.target_check)
    def _targets(self, ctx: RunContext, sc: Any, data: Simulated, res: StageResult) -> None:
        from scenarios.run.target_check import PERIOD_COLUMNS, judge, period_rows, verdict_json

        lang, outs = ctx.lang, data.result.outputs
        layout = data.layout
        a, spec, results = judge(sc, outs, layout)
        names = ([outs[k].demand_name for k in range(layout.units)]
                 if layout.unit == "demand_scenario" else [str(o.replication) for o in outs])
        verdict = verdict_json(sc, a, spec, layout, results, names)
        res.summary["verdict"] = verdict
        period = ctx.t(f"sim.period.{sc.planning.targets_over}")
        units = ctx.t(f"sim.unit.{layout.unit}")
        res.headlines.append(Headline(
            "simulation.targets_held", ctx.t("sim.headline_held", period=period, units=units),
            verdict["units_held"],
            f"{verdict['units_held']} / {layout.units} ({a.share:.0%})"))
        starts = sc.horizon.interval_starts()
        channel_summary = res.summary["channels"]
        targets: dict[str, dict[str, Any]] = {}
        for r in results:
            label = channel_label(r.channel, lang)
            what = target_label(ctx, r.channel, r.kpi, r.goal)
            entry = {"goal": r.goal, "met": r.met, "units": r.units, "unit": layout.unit,
                     "worst": r.worst}
            if r.kpi == "service_level":
                entry["within_s"] = sc.channels[r.channel].service_level.within_s
            targets.setdefault(r.channel, {})[r.kpi] = entry
            mean = (channel_summary.get(r.channel, {}).get(r.kpi) or {})
            res.decisions.append(ctx.t(
                "sim.decision_target", target=what, period=period, met=r.met, n=r.units,
                units=units, mean=_mean_text(ctx, r.kpi, mean)))
            res.headlines.append(Headline(
                f"simulation.{r.channel}.{r.kpi}_met",
                ctx.t("sim.headline_met", target=what, period=period, units=units), r.met,
                f"{r.met} / {r.units}"))
            if r.met < r.units:
                res.warnings.append(ctx.t(
                    "sim.warn_target", target=what, period=period, missed=r.units - r.met,
                    n=r.units, units=units, worst=kpi_value(ctx, r.kpi, r.worst),
                    when=when(starts[r.worst_start], lang, sc.horizon.days > 1)))
            if r.kpi == "service_level":
                self._interval_warning(ctx, data, r.channel, r.goal, res)
            if r.kpi in ("service_level", "abandon_rate") and mean.get("mean") is not None:
                res.headlines.append(Headline(
                    f"simulation.{r.channel}.{r.kpi}",
                    ctx.t("sim.headline_sl" if r.kpi == "service_level"
                          else "sim.headline_abandon", channel=label),
                    mean["mean"], _pct(mean["mean"], lang)))
        res.summary["targets"] = targets
        rows: list[list[Any]] = []
        for ch in channel_summary:
            for o in outs:
                c = o.channels[ch]
                rows.append([o.replication, o.demand_name, float(o.multiplier), ch,
                             _num(c["service_level"]), _num(c["abandon_rate"]),
                             _num(c["asa_s"]), int(c["offered"])])
        res.tables.append(Table("sim_replications", ctx.t("sim.table_replications"),
                                ["replication", "demand_scenario", "multiplier", "channel",
                                 "service_level", "abandon_rate", "asa_s", "offered"], rows))
        res.tables.append(Table("sim_periods", ctx.t("sim.table_periods", period=period),
                                PERIOD_COLUMNS, period_rows(sc, outs, layout)))

    def _interval_warning(self, ctx: RunContext, data: Simulated, ch: str, goal: float,
                          res: StageResult) -> None:
        means = data.result.interval_means()[ch]["service_level"]
        low = np.flatnonzero(~np.isnan(means) & (means < goal))
        if not len(low):
            return
        worst = int(low[np.argmin(means[low])])
        starts = ctx.scenario.horizon.interval_starts()
        prev = res.summary.get("worst_interval")
        if prev is None or means[worst] < prev["service_level"]:
            res.summary["worst_interval"] = {
                "channel": ch, "interval": starts[worst].isoformat(timespec="minutes"),
                "when": when(starts[worst], ctx.lang, ctx.scenario.horizon.days > 1),
                "service_level": float(means[worst]), "intervals_below": int(len(low)),
                "intervals": int(len(means))}
        res.warnings.append(ctx.t(
            "sim.warn_intervals", channel=channel_label(ch, ctx.lang), k=len(low),
            n=len(means), worst=_pct(float(means[worst]), ctx.lang),
            when=when(starts[worst], ctx.lang, ctx.scenario.horizon.days > 1)))

    # ---- per-interval plots and CSV
    def _figures(self, ctx: RunContext, dem: Demand, data: Simulated, by_scenario: bool,
                 res: StageResult) -> None:
        sc, lang, outs = ctx.scenario, ctx.lang, data.result.outputs
        means = data.result.interval_means()
        cols = ["interval_start", "interval", "channel", "offered", "answered", "abandoned",
                "service_level", "service_level_low", "service_level_high", "abandon_rate",
                "abandon_rate_low", "abandon_rate_high", "asa_s", "occupancy", "agents"]
        rows: list[list[Any]] = []
        bands: dict[str, dict[str, tuple[np.ndarray, np.ndarray]]] = {}
        for ch, m in means.items():
            bands[ch] = {}
            for metric in ("service_level", "abandon_rate"):
                stack = np.vstack([o.intervals[ch][metric] for o in outs])
                lo, hi = (_band_scenarios(stack, data.demand_names) if by_scenario
                          else _band_ci(stack))
                bands[ch][metric] = (np.clip(lo, 0, 1), np.clip(hi, 0, 1))
            for i, s in enumerate(dem.starts):
                b = bands[ch]
                rows.append([s.isoformat(timespec="minutes"), i, ch,
                             *[_num(float(m[k][i])) for k in ("offered", "answered",
                                                              "abandoned", "service_level")],
                             _num(float(b["service_level"][0][i])),
                             _num(float(b["service_level"][1][i])),
                             _num(float(m["abandon_rate"][i])),
                             _num(float(b["abandon_rate"][0][i])),
                             _num(float(b["abandon_rate"][1][i])),
                             *[_num(float(m[k][i])) for k in ("asa_s", "occupancy", "agents")]])
            label = channel_label(ch, lang)
            spec = sc.channels[ch]
            band_name = ctx.t("sim.band_label_scenarios" if by_scenario else "sim.band_label_ci")
            # rates in %; intervals with too few contacts for a rate are left out (a night
            # interval of two calls swings from 0 to 100%) and the caption says how many
            few = np.asarray(m["offered"], float) < MIN_CONTACTS_FOR_RATE
            caption = ctx.t("sim.few_contacts", k=int(few.sum()), n=MIN_CONTACTS_FOR_RATE) \
                if few.any() else ""
            sl = [percent_series(ctx.t("sim.mean_with_band", band=band_name),
                                 m["service_level"], few, bands[ch]["service_level"])]
            if spec.service_level is not None:
                sl.append(Series(ctx.t("sim.target"),
                                 np.full(len(dem.starts), 100 * spec.service_level.target),
                                 dashed=True))
            res.figures.append(horizon_figure(ctx, f"sim-sl-{ch}",
                                              ctx.t("sim.figure_sl", channel=label), sl,
                                              ctx.t("sim.ylabel_sl"), height=2.6,
                                              caption=caption, ylim=(0.0, 100.0)))
            ab = [percent_series(ctx.t("sim.mean_with_band", band=band_name),
                                 m["abandon_rate"], few, bands[ch]["abandon_rate"])]
            top = None
            if spec.max_abandon_rate is not None:
                cap = 100 * spec.max_abandon_rate
                ab.append(Series(ctx.t("sim.max"), np.full(len(dem.starts), cap), dashed=True))
                shown = ab[0].values[~np.isnan(ab[0].values)]
                # the cap stays in view: at least 3 × the cap, at most 100%
                top = min(100.0, max(3 * cap, float(shown.max()) * 1.1 if shown.size else 0))
            res.figures.append(horizon_figure(ctx, f"sim-abandon-{ch}",
                                              ctx.t("sim.figure_abandon", channel=label), ab,
                                              ctx.t("sim.ylabel_abandon"), height=2.6,
                                              caption=caption,
                                              ylim=(0.0, top) if top else None))
        res.tables.append(Table("sim_intervals", ctx.t("sim.table_intervals"), cols, rows))

    def _team_table(self, ctx: RunContext, team: dict[str, Any], res: StageResult,
                    shared: bool = False) -> None:
        from scenarios.words.i18n import kpi_name

        lang = ctx.lang
        chans = list(team["channels"])
        rows = []
        for metric in TEAM_METRICS:
            if metric == "occupancy" and shared and len(chans) > 1:
                # occupancy is of the agents skilled for a channel: the same blended agents
                # serve every channel, so the per-channel figures are one figure
                res.paragraphs.append(ctx.t(
                    "sim.occupancy_shared", channels=join([channel_label(c, lang)
                                                           for c in chans], lang),
                    value=_fmt_ci(metric, team["channels"][chans[0]].get(metric), lang)))
                continue
            row = [kpi_name(metric, lang)]
            for ch in chans:
                v = team["channels"][ch].get(metric)
                row.append(_fmt_ci(metric, v, lang))
            rows.append(row)
        res.report_tables.append(ReportTable(
            ctx.t("sim.table_team"),
            [ctx.t("sim.col.metric"), *[channel_label(c, lang) for c in chans]], rows))
        csv_rows = [[ch, m, v["mean"], v["ci95"][0], v["ci95"][1]]
                    for ch, block in team["channels"].items() for m, v in block.items()]
        csv_rows += [["team", m, v["mean"], v["ci95"][0], v["ci95"][1]]
                     for m, v in team["team"].items()]
        res.tables.append(Table("sim_team", ctx.t("sim.table_team"),
                                ["channel", "metric", "mean", "ci95_lo", "ci95_hi"], csv_rows))

    def _scenario_table(self, ctx: RunContext, data: Simulated, dem: Demand,
                        res: StageResult) -> None:
        lang, outs = ctx.lang, data.result.outputs
        chans = list(res.summary["channels"])
        rows, summary = [], []
        for d in dem.scenarios:
            drew = [o for o in outs if o.demand_name == d.name]
            entry: dict[str, Any] = {"name": d.name, "probability": d.probability,
                                     "multiplier": d.multiplier, "replications": len(drew)}
            cells = []
            for ch in chans:
                sl = [o.channels[ch]["service_level"] for o in drew]
                v = float(np.nanmean(sl)) if drew and not all(map(math.isnan, sl)) else None
                entry[ch] = v
                cells.append(_pct(v, lang))
            summary.append(entry)
            rows.append([d.name, number(d.probability * 100, lang, 0) + "%",
                         number(d.multiplier, lang, 2), str(len(drew)), *cells])
        res.summary["by_demand_scenario"] = summary
        drawn = [e for e in summary if e["replications"]]
        top = max(drawn, key=lambda e: e["multiplier"])
        verdict = res.summary.get("verdict") or {}
        for e, row in zip(summary, rows, strict=True):  # judged on the verdict's runs
            e["misses"] = scenario_misses(verdict, data, e["name"]) if e["replications"] \
                else None
            row.append(_held_cell(ctx, e["misses"]) if e["misses"] is not None else "—")
        for ch in chans:
            if top[ch] is None or len(drawn) < 2:
                continue
            res.decisions.append(top_scenario_sentence(ctx, res.summary["targets"], top, ch))
        res.report_tables.append(ReportTable(
            ctx.t("sim.table_scenarios"),
            [ctx.t("sim.col.scenario"), ctx.t("sim.col.probability"),
             ctx.t("sim.col.multiplier"), ctx.t("sim.col.replications"),
             *[ctx.t("sim.col.sl", channel=channel_label(c, lang)) for c in chans],
             ctx.t("sim.col.held", period=ctx.t(
                 f"sim.period.{ctx.scenario.planning.targets_over}"))], rows, wrap=(len(chans) + 4,),
            note=ctx.t("sim.scenarios_note")))


def percent_series(label: str, values: np.ndarray, few: np.ndarray,
                   band: tuple[np.ndarray, np.ndarray]) -> Series:
    """A share per interval as a percentage line, blank where ``few`` contacts."""
    def pct(x: np.ndarray) -> np.ndarray:
        return np.where(few, np.nan, 100 * np.asarray(x, float))
    return Series(label, pct(values), band=(pct(band[0]), pct(band[1])))


def scenario_misses(verdict: dict, data: Simulated, name: str) -> list[dict[str, Any]]:
    """The periods a demand scenario misses, as the verdict judged them: its own unit's
    misses (round robin), or those of every replication that drew it."""
    by_unit = verdict.get("misses_by_unit") or {}
    if verdict.get("unit") == "demand_scenario":
        return list(by_unit.get(name, []))
    return [m for o in data.result.outputs if o.demand_name == name
            for m in by_unit.get(str(o.replication), [])]


def _days(ctx: RunContext, misses: list[dict[str, Any]]) -> str:
    from datetime import datetime

    starts = sorted({m["period_start"] for m in misses})
    multi = ctx.scenario.horizon.days > 1
    shown = [when(datetime.fromisoformat(x), ctx.lang, True)[:-6] if multi and
             ctx.scenario.planning.targets_over == "day" else
             when(datetime.fromisoformat(x), ctx.lang, multi) for x in starts[:3]]
    more = len(starts) - len(shown)
    return join(shown, ctx.lang) + (ctx.t("sim.more_periods", n=more) if more > 0 else "")


def target_verdicts(ctx: Any, targets: dict[str, Any], channel: str,
                    misses: list[dict[str, Any]], only_missed: bool = False) -> list[str]:
    """Each target of ``channel`` (the stage's summary ``targets``): met every period, or
    missed on which periods (worst); ``only_missed``: the missed ones alone."""
    period = ctx.t(f"sim.period.{ctx.scenario.planning.targets_over}")
    out = []
    for kpi, t in (targets.get(channel) or {}).items():
        what = target_label(ctx, channel, kpi, t["goal"])
        mine = [m for m in misses if m["channel"] == channel and m["target"] == kpi]
        if not mine:
            if not only_missed:
                out.append(ctx.t("sim.target_met_every", target=what, period=period))
            continue
        sense = 1 if kpi == "service_level" else -1
        worst = min(mine, key=lambda m: sense * m["value"])
        out.append(ctx.t("sim.target_missed_on", target=what, days=_days(ctx, mine),
                         worst=kpi_value(ctx, kpi, worst["value"])))
    return out


def top_scenario_sentence(ctx: RunContext, targets: dict[str, Any], top: dict[str, Any],
                          channel: str) -> str:
    """The largest demand scenario drawn, for one channel: each target's verdict from the
    judged runs (the decision's), then the horizon's mean service level for context."""
    return ctx.t("sim.decision_top_scenario", channel=channel_label(channel, ctx.lang),
                 name=top["name"], multiplier=number(top["multiplier"], ctx.lang, 2),
                 k=top["replications"], sl=_pct(top[channel], ctx.lang),
                 verdicts=join(target_verdicts(ctx, targets, channel, top["misses"] or []),
                               ctx.lang))


def _held_cell(ctx: RunContext, misses: list[dict[str, Any]]) -> str:
    if not misses:
        return ctx.t("sim.held_yes")
    names = sorted({(m["channel"], m["target"]) for m in misses})
    return ctx.t("sim.held_no", targets=join(
        [target_label(ctx, ch, k, next(m["goal"] for m in misses
                                       if (m["channel"], m["target"]) == (ch, k)))
         for ch, k in names], ctx.lang))


_PERCENT = {"abandon_rate", "service_level", "occupancy", "fcr", "answer_rate", "utilization",
            "p_wait", "satisfaction", "conversion_rate"}


def target_label(ctx: RunContext, channel: str, kpi: str, goal: float) -> str:
    """"voice 80/20", "voice abandonment ≤ 5%", "chat ASA ≤ 30 s", "voice occupancy ≤ 90%"."""
    ch = ctx.scenario.channels[channel]
    if kpi == "service_level":
        value = f"{goal * 100:g}/{ch.service_level.within_s:g}"
    else:
        value = kpi_value(ctx, kpi, goal)
    return ctx.t(f"sim.target.{kpi}", channel=channel_label(channel, ctx.lang), goal=value)


def kpi_value(ctx: RunContext, kpi: str, v: float | None) -> str:
    if v is None:
        return "—"
    if kpi == "asa_s":
        return f"{number(v, ctx.lang, 0)}{' 秒' if ctx.lang == 'zh' else ' s'}"
    return f"{100 * v:.1f}%".replace(".0%", "%") if kpi != "service_level" else _pct(v,
                                                                                    ctx.lang)


def _mean_text(ctx: RunContext, kpi: str, mean: dict[str, Any]) -> str:
    """"; mean 95.1% (95% CI 94.8–95.4%)" over the replications, or ""."""
    if not mean or mean.get("mean") is None:
        return ""
    lo, hi = (mean.get("ci95") or [None, None])
    if kpi in _PERCENT:
        lo, hi = _clip(lo), _clip(hi)
    v = (lambda x: kpi_value(ctx, kpi, x) if kpi != "abandon_rate" else _pct(x, ctx.lang))  # noqa: E731
    return ctx.t("sim.mean_ci", mean=v(mean["mean"]), lo=v(lo), hi=v(hi))


def _clip(x: float | None) -> float | None:
    """A share's confidence bound cut to [0, 1]."""
    return None if x is None else min(max(x, 0.0), 1.0)


def shared_agents(model: SimModel) -> bool:
    """Whether every channel is served by the same pools (blended agents)."""
    serving = {c.name: frozenset(p.name for p in model.pools if c.name in p.skills)
               for c in model.channels}
    return len(set(serving.values())) == 1


def _fmt_ci(metric: str, v: dict[str, Any] | None, lang: str) -> str:
    if v is None or v["mean"] is None:
        return "—"
    lo, hi = v["ci95"]
    if metric in _PERCENT:  # a share: its interval is cut at 0 and 100%
        lo, hi = max(lo, 0.0), min(hi, 1.0)
        return f"{_pct(v['mean'], lang)} ({_pct(lo, lang)}–{_pct(hi, lang)})"
    if metric.endswith("_s"):
        lo = max(lo, 0.0)
        unit = " 秒" if lang == "zh" else " s"
        return (f"{number(v['mean'], lang, 1)} ({number(lo, lang, 1)}–"
                f"{number(hi, lang, 1)}){unit}")
    digits = 0
    return (f"{number(v['mean'], lang, digits)} ({number(lo, lang, digits)}–"  # type: ignore[arg-type]
            f"{number(hi, lang, digits)})")  # type: ignore[arg-type]
