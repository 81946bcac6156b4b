"""Policies stage: the scenario's incentive policies compared with the behaviour model
(``peakdesk compare``, docs/behavior.md) on the staffing the simulation stage ran.

For every policy the same agents (skills drawn once) choose their levers against its pay,
with the simulator in the loop; then the final replications with common random numbers,
paired with the flat-pay baseline. The stage shows the comparison table with significance
marks, the levers and the pay component that drives each, pay distributions and the
ranking's reliability, and hands the pay stage each policy's simulated agent table
(:class:`scenarios.run.stages.pay.PolicyResponses`: ``Comparison.agents_horizon``).
"""

from __future__ import annotations

import dataclasses
import math
import os
from typing import Any

import numpy as np

from scenarios.reading.errors import InputError
from scenarios.run.stage import Headline, ReportTable, RunContext, StageResult, Table
from scenarios.run.stages.pay import policies_skip_reason
from scenarios.run.stages.simulation import QUICK_REPLICATIONS, Simulated
from scenarios.words.i18n import channel_label, kpi_name, number
from scenarios.words.labels import policy_label, pool_label

# --quick: at most this many in-the-loop rounds, loop replications and noise draws
QUICK_SIM_ROUNDS = 1
QUICK_LOOP_REPLICATIONS = 1
QUICK_NOISE_DRAWS = 8
QUICK_EQUILIBRIUM_ROUNDS = 12  # best-response rounds per equilibrium (default 40)

# rows of the report's comparison table after the per-channel rows (service level,
# abandonment and ASA per channel: scenarios.run.policy_effects): (block, metric). Pay and
# cost are in the pay stage's section, from the one pay computation (pay_ledger).
TABLE_ROWS = (
    ("team", "answer_rate"), ("team", "aht_s"), ("team", "fcr"),
    ("team", "repeat_contacts"), ("team", "complaints"),
    ("per_agent", "answered"), ("per_agent", "outbound_calls"),
    ("per_agent", "service_volume"))
_PERCENT = {"answer_rate", "service_level", "abandon_rate", "fcr", "occupancy"}
BLOCKS = ("team", "per_agent")  # pay and cost: pay.csv (the pay stage, one computation)


def _fmt(metric: str, x: float | None, signed: bool = False) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if metric in _PERCENT:
        return f"{100 * x:+.1f} pp" if signed else f"{100 * x:.1f}%"
    ax = abs(x)
    digits = 0 if ax >= 100 else 1 if ax >= 10 else 2
    s = f"{x:,.{digits}f}"
    return f"+{s}" if signed and x > 0 else s


def _component(name: str | None, lang: str, t: Any) -> str:
    """A pay component of the why (``commission:answered``, ``ranking``, ``item:aht_s``,
    ``cap``) in words."""
    if name is None:
        return "—"
    kind, _, metric = name.partition(":")
    if kind in ("commission", "item", "event", "bonus") and metric:
        return t(f"policies.component.{kind}", metric=kpi_name(metric, lang))
    key = f"policies.component.{kind}"
    from scenarios.words.i18n import MESSAGES

    return t(key, metric=metric) if key in MESSAGES else name


def spread(n: int, k: int) -> list[int]:
    """``k`` indices spread evenly over ``range(n)`` (all of them when k ≥ n): with the
    simulation's round robin over demand scenarios, a spread of scenarios, not the first."""
    if k >= n:
        return list(range(n))
    return [int(i) for i in np.linspace(0, n - 1, k).round()]


class PoliciesStage:
    """The behaviour comparison of the scenario's policies (docs/behavior.md)."""

    name = "policies"

    def title(self, ctx: RunContext) -> str:
        return ctx.t("stage.policies")

    def skip_reason(self, ctx: RunContext) -> str | None:
        return policies_skip_reason(ctx)

    def run(self, ctx: RunContext) -> StageResult:
        from scenarios.adapters.to_behavior import skill_distribution
        from scenarios.adapters.to_compare import compare_inputs, run_compare
        from sim.compare import BASELINE, comparison_json, team_agents, union_model

        sim: Simulated = ctx.results["simulation"].data
        # the simulation stage's replications (with --quick at most QUICK_REPLICATIONS of
        # them, spread over its demand scenarios)
        reps = len(sim.result.outputs)
        if ctx.quick:
            reps = min(reps, QUICK_REPLICATIONS)
        workers = max(1, min(os.cpu_count() or 1, reps))
        try:
            inputs = compare_inputs(ctx.scenario_path, None, replications=reps,
                                    workers=workers, seed=ctx.seed, scenario=ctx.scenario)
        except InputError as exc:
            return StageResult(self.name, self.title(ctx), status="skipped",
                               reason="; ".join(p.message for p in exc.problems))
        s = inputs.settings
        asked = (s.sim_rounds, s.loop_replications, s.noise_draws)
        if ctx.quick:
            s = dataclasses.replace(
                s, sim_rounds=min(s.sim_rounds, QUICK_SIM_ROUNDS),
                loop_replications=min(s.loop_replications, QUICK_LOOP_REPLICATIONS),
                noise_draws=min(s.noise_draws, QUICK_NOISE_DRAWS),
                solver=dataclasses.replace(s.solver, max_rounds=min(
                    s.solver.max_rounds, QUICK_EQUILIBRIUM_ROUNDS)))
        # the agents are the slots the simulation stage ran (the mix plan or the pools),
        # so the pay stage's tables have the same rows
        # and, when the simulation ran each demand scenario with its own recourse, the same
        # replications: models and demands of evenly spread simulation replications
        model: Any = sim.model
        if sim.models is not None and sim.demands is not None:
            pick = spread(len(sim.models), reps)
            model = [sim.models[i] for i in pick]
            inputs = dataclasses.replace(inputs, demand=[sim.demands[i] for i in pick])
        skills = {p.name: skill_distribution(inputs.scenario, p.name) for p in sim.model.pools}
        agents = team_agents(union_model(model if isinstance(model, list) else [model]),
                             skills, s.skills_seed, s.params)
        inputs = dataclasses.replace(inputs, model=model, agents=agents, settings=s)
        c = run_compare(inputs, executor=None, progress=None)
        doc = comparison_json(c)
        for k in ("solve_s", "simulate_s"):  # wall time: not reproducible
            doc.pop(k, None)
        for entry in doc.get("policies", {}).values():  # pay and cost: the pay stage's
            for k in ("pay", "cost", "pay_distribution"):
                entry.pop(k, None)
        res = StageResult(self.name, self.title(ctx), data=c)
        res.summary = {"comparison": doc, "replications": reps,
                       "replications_asked": ctx.scenario.simulation.replications,
                       "sim_rounds": s.sim_rounds, "loop_replications": s.loop_replications,
                       "noise_draws": s.noise_draws,
                       "equilibrium_max_rounds": s.solver.max_rounds, "quick": ctx.quick,
                       "staffing_source": sim.source, "baseline_pay": s.baseline_pay,
                       "baseline_period": s.baseline_period}
        days = ctx.scenario.horizon.days
        res.paragraphs.append(ctx.t(
            "policies.intro", n=reps, seed=c.seed, agents=c.n_agents,
            pools=", ".join(pool_label(p, ctx.lang) for p in c.focus_pools),
            rounds=s.sim_rounds,
            horizon=ctx.t("policies.horizon_days", days=days) if days != 1
            else ctx.t("policies.horizon_day")))
        if ctx.quick:
            res.paragraphs.append(ctx.t(
                "policies.quick", n=reps, asked=ctx.scenario.simulation.replications,
                rounds=s.sim_rounds, rounds_asked=asked[0], draws=s.noise_draws,
                draws_asked=asked[2], eq=s.solver.max_rounds))
        names = list(c.policies)
        self._comparison(ctx, c, names, res)
        from scenarios.run.policy_effects import RUN_COLUMNS, runs_rows

        res.tables.append(Table("policy_channels", ctx.t("policies.table_channels"),
                                RUN_COLUMNS, runs_rows(c)))
        self._levers(ctx, c, names, res)
        base = c.policies.get(BASELINE)
        self._figure(ctx, c, names, days, res)
        for name in names:
            if name == BASELINE:
                continue
            self._decision(ctx, c.policies[name], base, days, res)
            o = c.policies[name]
            eq = o.equilibrium
            if eq and not eq["converged"]:
                res.warnings.append(ctx.t(
                    "policies.not_converged", policy=name,
                    regret=number(eq["max_regret"], ctx.lang, 0),
                    period=ctx.t(f"pay.period.{o.period}"),
                    share=f"{eq['max_regret_share']:.1%}"))
        self._pay(ctx, c, names, res)  # after the decisions: its sentence comes last
        res.assumptions += [ctx.t("policies.assumption_model"),
                            ctx.t("policies.assumption_crn")]
        return res

    # ---- the comparison table (and policies.csv)
    def _comparison(self, ctx: RunContext, c: Any, names: list[str], res: StageResult
                    ) -> None:
        from scenarios.run.policy_effects import policy_effects

        effects = policy_effects(c, None)
        rows = []
        for ch in next(iter(c.policies.values())).runs[0].channels if names and \
                c.policies[names[0]].runs else ():
            for metric in ("service_level", "abandon_rate", "asa_s"):
                rows.append([ctx.t("policies.block.channel", channel=channel_label(ch, ctx.lang),
                                   metric=kpi_name(metric, ctx.lang)),
                             *[self._cell(metric, effects[n].stats.get(f"{ch}.{metric}"))
                               if n in effects else "" for n in names]])
        for block, metric in TABLE_ROWS:
            label = ctx.t(f"policies.block.{block}", metric=kpi_name(metric, ctx.lang)
                          if block in ("team", "per_agent") else
                          ctx.t(f"policies.metric.{block}.{metric}"))
            row = [label]
            for name in names:
                st = getattr(c.policies[name], block).get(metric)
                row.append(self._cell(metric, st))
            rows.append(row)
        for lever in next(iter(c.policies.values())).levers:
            rows.append([ctx.t("policies.block.lever", lever=ctx.t(f"policies.lever.{lever}")),
                         *[f"{c.policies[n].levers[lever]:.3f}" for n in names]])
        rows.append([ctx.t("policies.block.equilibrium"),
                     *[self._equilibrium_cell(ctx, c.policies[n].equilibrium) for n in names]])
        res.report_tables.append(ReportTable(
            ctx.t("policies.table"), [ctx.t("policies.col.metric"),
                                      *[policy_label(n, ctx.lang) for n in names]], rows))
        csv = []
        for name in names:
            o = c.policies[name]
            for block in BLOCKS:
                for metric, st in getattr(o, block).items():
                    d = st.diff
                    csv.append([name, block, metric, _f(st.mean), _f(st.ci95[0]),
                                _f(st.ci95[1]), *(map(_f, d) if d else (None,) * 3),
                                bool(st.significant) if d else None])
            for lever, v in o.levers.items():
                csv.append([name, "levers", lever, float(v), None, None, None, None, None,
                            None])
            for key, v in o.equilibrium.items():
                csv.append([name, "equilibrium", key, float(v), None, None, None, None, None,
                            None])
        res.tables.append(Table("policies", ctx.t("policies.table"),
                                ["policy", "block", "metric", "mean", "ci95_lo", "ci95_hi",
                                 "diff_mean", "diff_lo", "diff_hi", "significant"], csv))
        res.paragraphs.append(ctx.t("policies.marks"))

    @staticmethod
    def _equilibrium_cell(ctx: RunContext, eq: dict) -> str:
        if not eq:
            return "—"
        return ctx.t("policies.equilibrium_cell", mark="✓" if eq["converged"] else "✗",
                     regret=number(eq["max_regret"], ctx.lang, 0),
                     share=f"{eq['max_regret_share']:.1%}", rounds=eq["rounds"])

    @staticmethod
    def _cell(metric: str, st: Any) -> str:
        if st is None:
            return ""
        lo, hi = st.ci95
        half = (hi - lo) / 2 if not (math.isnan(lo) or math.isnan(hi)) else 0.0
        text = _fmt(metric, st.mean)
        if half > 0:
            text += f" ±{100 * half:.1f}" if metric in _PERCENT else f" ±{_fmt(metric, half)}"
        if metric.endswith("_s"):
            text += " s"
        if st.significant:
            text += " ▲" if st.diff[0] > 0 else " ▼"
        return text

    # ---- the per-agent differences to flat pay, per day
    def _figure(self, ctx: RunContext, c: Any, names: list[str], days: int,
                res: StageResult) -> None:
        from scenarios.run.figures import drawn_later
        from scenarios.run.plots import interval_chart

        rows = []
        for name in names:
            for metric in ("answered", "outbound_calls"):
                st = c.policies[name].per_agent.get(metric)
                if st is None or st.diff is None or any(math.isnan(x) for x in st.diff):
                    continue
                m, lo, hi = (x / max(days, 1) for x in st.diff)
                rows.append((f"{policy_label(name, ctx.lang)}: {kpi_name(metric, ctx.lang)}",
                             m, lo, hi))
        if rows:
            # drawn by the figures' drawer while the pay stage goes on (the same SVG text:
            # reading it waits for the drawing, scenarios.run.figures)
            res.figures.append(drawn_later("policies-diff", ctx.t("policies.figure"),
                                           interval_chart, "policies-diff", rows,
                                           ctx.t("policies.xlabel"),
                                           caption=ctx.t("policies.figure_caption")))

    # ---- levers and why (levers.csv)
    def _levers(self, ctx: RunContext, c: Any, names: list[str], res: StageResult) -> None:
        from sim.compare import BASELINE

        base = c.policies.get(BASELINE)
        rows, csv = [], []
        for name in names:
            o = c.policies[name]
            for lever, v in o.levers.items():
                change = v - base.levers[lever] if base is not None else None
                why = o.why.get(lever, {})
                main = o.why_main.get(lever)
                csv.append([name, lever, float(v), change, _f(why.get("total")),
                            _f(why.get("cost")), main,
                            _f(why.get(main)) if main is not None else None])
                if name == BASELINE or main is None:
                    continue
                rows.append([policy_label(name, ctx.lang), ctx.t(f"policies.lever.{lever}"),
                             f"{v:.3f}",
                             lever_change(ctx, lever, v, base.levers[lever])
                             if base is not None else "—",
                             _fmt("x", why.get("total"), True),
                             _fmt("x", why.get("cost"), True),
                             f"{_component(main, ctx.lang, ctx.t)} "
                             f"({_fmt('x', why.get(main), True)})"])
        res.tables.append(Table("levers", ctx.t("policies.table_levers"),
                                ["policy", "lever", "level", "change_vs_baseline",
                                 "marginal_pay", "marginal_cost", "driver",
                                 "driver_marginal_pay"], csv))
        if rows:
            res.report_tables.append(ReportTable(
                ctx.t("policies.table_levers"),
                [ctx.t(f"policies.col.{k}", currency=ctx.scenario.currency)
                 for k in ("policy", "lever", "level", "change", "marginal_pay",
                           "marginal_cost", "driver")], rows))
            res.paragraphs.append(ctx.t("policies.why_explained"))

    # ---- pay distributions and ranking reliability
    def _pay(self, ctx: RunContext, c: Any, names: list[str], res: StageResult) -> None:
        noise = []
        for name in names:
            o = c.policies[name]
            r = o.ranking_noise
            if r:
                noise.append([policy_label(name, ctx.lang), f"{r['skill_pay_rank_corr']:.2f}",
                              f"{r['bottom_below_median']:.0%}", f"{r['bottom_repeat']:.0%}",
                              f"{r['bottom_share']:.0%}"])
                res.decisions.append(ctx.t(
                    "policies.decision_ranking", policy=policy_label(name, ctx.lang),
                    corr=f"{r['skill_pay_rank_corr']:.2f}",
                    below=f"{r['bottom_below_median']:.0%}",
                    repeat=f"{r['bottom_repeat']:.0%}", chance=f"{r['bottom_share']:.0%}"))
        if noise:
            res.report_tables.append(ReportTable(
                ctx.t("policies.table_ranking"),
                [ctx.t(f"policies.col.{k}") for k in ("policy", "rank_corr", "below_median",
                                                      "repeat", "chance")], noise))
            res.paragraphs.append(ctx.t("policies.ranking_explained"))

    # ---- decision sentences and headlines
    def _decision(self, ctx: RunContext, o: Any, base: Any, days: int,
                  res: StageResult) -> None:
        lang = ctx.lang
        per = max(days, 1)
        parts = []
        for metric in ("answered", "outbound_calls"):
            st = o.per_agent.get(metric)
            if st is None or st.diff is None or (metric == "outbound_calls"
                                                 and not st.significant):
                continue
            m, lo, hi = (x / per for x in st.diff)
            key = "more" if m >= 0 else "fewer"
            if m < 0:
                lo, hi = -hi, -lo
            sig = "" if st.significant else ctx.t("policies.not_significant")
            digits = 0 if abs(m) >= 10 else 1
            parts.append(ctx.t(f"policies.part.{metric}.{key}", d=number(abs(m), lang, digits),
                               lo=number(lo, lang, digits), hi=number(hi, lang, digits),
                               sig=sig))
        driver = None
        if base is not None:
            lever = max(o.levers, key=lambda k: abs(o.levers[k] - base.levers[k]))
            if abs(o.levers[lever] - base.levers[lever]) > 1e-3:
                driver = (lever, o.why_main.get(lever))
        because = ""
        if driver is not None and driver[1] is not None:
            because = ctx.t("policies.decision_driver",
                            component=_component(driver[1], lang, ctx.t),
                            lever=ctx.t(f"policies.lever.{driver[0]}"),
                            change=lever_change(ctx, driver[0], o.levers[driver[0]],
                                                base.levers[driver[0]]))
        text = ctx.t("policies.decision", policy=policy_label(o.name, lang),
                     what=ctx.t("policies.and").join(parts) or ctx.t("policies.no_change"),
                     driver=because)
        text += self._quality(ctx, o, base)
        res.decisions.append(text)
        ans = o.per_agent.get("answered")
        if ans is not None and ans.diff is not None:
            res.headlines.append(Headline(
                f"policies.{o.name}.answered_per_agent_day",
                ctx.t("policies.headline_answered", policy=policy_label(o.name, lang)),
                ans.diff[0] / per, _fmt("x", ans.diff[0] / per, True)))

    @staticmethod
    def _quality(ctx: RunContext, o: Any, base: Any) -> str:
        """Service per channel and quality (FCR, complaints) against flat pay."""
        from types import SimpleNamespace

        from scenarios.run.policy_effects import policy_effects
        from sim.compare import BASELINE

        if base is None or not o.runs or not base.runs:
            return ""
        pair = SimpleNamespace(policies={BASELINE: base, o.name: o})
        eff = policy_effects(pair, None)[o.name]
        parts = []
        for ch in o.runs[0].channels:
            st = eff.stats[f"{ch}.service_level"]
            parts.append(ctx.t("policies.part.sl", channel=channel_label(ch, ctx.lang),
                               sl=_fmt("service_level", st.mean),
                               dsl=_fmt("service_level", st.diff[0], True)))
        fcr, comp = eff.stats["all.fcr"], eff.stats["all.complaints"]
        b_fcr = fcr.mean - fcr.diff[0]
        b_comp = comp.mean - comp.diff[0]
        return ctx.t("policies.decision_quality", service=ctx.t("list.sep").join(parts),
                     fcr_from=_fmt("fcr", b_fcr), fcr_to=_fmt("fcr", fcr.mean),
                     complaints=f"{comp.diff[0] / b_comp:+.0%}" if b_comp > 0 else "—")


def lever_change(ctx: RunContext, lever: str, level: float, base: float) -> str:
    """A lever's change against flat pay in words: the speed lever multiplies handle
    time (0.73 = 27% faster), availability is a share of time, the others are effort
    levels on 0–1."""
    if lever == "speed" and base > 0:
        return ctx.t("policies.change.speed", pct=f"{level / base - 1:+.0%}")
    if lever == "availability":
        return ctx.t("policies.change.availability", pp=f"{100 * (level - base):+.1f}")
    return ctx.t("policies.change.effort", d=f"{level - base:+.2f}")


def _f(x: Any) -> float | None:
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x
