"""The decision summary at the top of the report: at most eight lines, in a fixed order.

1. Does the plan meet the targets — and if not, what would. When the mix stage checked
   its plan by simulation (``validation`` in its summary, with ``holds`` and ``remedy``),
   that verdict is used; otherwise it is derived here from the simulation stage's
   per-channel results against the scenario's targets (:func:`targets_verdict`, the one
   place a later plan check feeds).
2. The mix and its cost against the single-source plans.
3. The roster headline (agent-shifts, hires, outsourced blocks, reserve).
4. The pay-policy recommendation with service per channel, quality (FCR, complaints) and
   the cost per extra contact (scenarios.run.policy_effects).
5. Risks.

Every number comes from a stage's summary (what summary.json holds), so the lines and
the files agree by construction; tests re-derive them from the CSVs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scenarios.run.stage import RunContext, StageResult
from scenarios.words.i18n import channel_label, join, number
from scenarios.words.labels import policy_label

MAX_LINES = 8
DEFAULT_SHARE = 0.9  # targets must hold in this share of replications (demand draws)


@dataclass(frozen=True)
class Miss:
    """One target and in how many judged units (demand scenarios or replications) it is
    met in every period."""

    channel: str
    target: str  # service_level | abandon_rate | asa_s | occupancy
    met: int
    units: int
    goal: float
    worst: float | None


@dataclass(frozen=True)
class Verdict:
    """Whether the plan meets the targets, and the numbers behind it."""

    meets: bool | None  # None: nothing was simulated
    source: str  # "simulation" (the simulation stage) or "plan_check" (no simulation stage)
    share_asked: float
    misses: list[Miss] = field(default_factory=list)
    held: list[Miss] = field(default_factory=list)
    remedy: dict[str, Any] | None = None  # the plan check's ``validation`` (probe, remedy)
    text: str | None = None  # a verdict sentence a plan check already wrote
    judged: dict[str, Any] | None = None  # the simulation stage's ``verdict``


def targets_verdict(ctx: RunContext, results: dict[str, StageResult]) -> Verdict:
    """Meets the targets? The simulation stage's verdict when it ran — the plan check's rule
    on the run's replications, the very runs of the check's last round when the layouts
    agree (scenarios.run.target_check) — with the plan check's remedy; else the plan
    check's own verdict."""
    share = float(getattr(ctx.scenario.planning, "targets_share", None) or DEFAULT_SHARE)
    mix = results.get("mix")
    val = mix.summary.get("validation") if mix is not None and mix.status == "ok" else None
    sim = results.get("simulation")
    judged = sim.summary.get("verdict") if sim is not None and sim.status == "ok" else None
    if judged is None:
        if val and "holds" in val:
            lead = getattr(mix, "lead", None) or []
            return Verdict(bool(val["holds"]), "plan_check",
                           float(val.get("share_asked", share)), remedy=val.get("remedy"),
                           text=lead[0] if lead else None)
        return Verdict(None, "simulation", share)
    misses, held = [], []
    for t in judged["targets"]:
        m = Miss(t["channel"], t["target"], int(t["met"]), int(t["units"]), float(t["goal"]),
                 t["worst"])
        (held if m.met == m.units else misses).append(m)
    remedy = val if val and not judged["holds"] else None  # the check: probe, remedy
    return Verdict(bool(judged["holds"]), "simulation", float(judged["share_asked"]), misses,
                   held, remedy, judged=judged)


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}%"


def _money(ctx: RunContext, x: float) -> str:
    return f"{number(x + 0.0, ctx.lang, 0)} {ctx.scenario.currency}".replace("-0 ", "0 ")


def _target_text(ctx: RunContext, m: Miss) -> str:
    from scenarios.run.stages.simulation import kpi_value, target_label

    return ctx.t("decision.target", target=target_label(ctx, m.channel, m.target, m.goal),
                 met=m.met, n=m.units, worst=kpi_value(ctx, m.target, m.worst))


def verdict_lines(ctx: RunContext, v: Verdict, results: dict[str, StageResult]) -> list[str]:
    """Line 1 (and the fix, when the targets miss)."""
    if v.meets is None:
        return []
    subject = ctx.t("decision.subject_mix" if results.get("mix") is not None
                    and results["mix"].status == "ok" else "decision.subject_pools")
    if v.judged is None:  # no simulation stage: the mix stage's check decided
        return [v.text] if v.text else []
    j = v.judged
    common = dict(subject=subject, held=j["units_held"], n=j["units"],
                  units=ctx.t(f"sim.unit.{j['unit']}"),
                  period=ctx.t(f"sim.period.{j['targets_over']}"),
                  share=f"{j['share_held']:.0%}", asked=f"{j['share_asked']:.0%}")
    if v.meets:
        return [ctx.t("decision.verdict_meets", **common)]
    return [ctx.t("decision.verdict_misses", targets=join([_target_text(ctx, m)
                                                           for m in v.misses], ctx.lang),
                  **common), _fix_line(ctx, v, results)]


def _fix_line(ctx: RunContext, v: Verdict, results: dict[str, StageResult]) -> str:
    """What would meet the targets: the plan check's remedy when there is one; else where
    the plan falls short and what one more agent is worth in the plan's own terms."""
    if v.remedy and (v.remedy.get("remedy") or v.remedy.get("routing_probe")):
        from scenarios.words.plan_check import fix_sentence

        return fix_sentence(ctx, v.remedy, ctx.scenario.currency)
    sim = results.get("simulation")
    worst = sim.summary.get("worst_interval") if sim is not None else None
    mix = results.get("mix")
    value = ((mix.summary.get("value_of_one_more") or {}).get("in_house_agent")
             if mix is not None and mix.status == "ok" else None)
    where = ctx.t("decision.fix_where", channel=channel_label(worst["channel"], ctx.lang),
                  k=worst["intervals_below"], n=worst["intervals"], when=worst["when"],
                  sl=_pct(worst["service_level"])) if worst else ""
    return ctx.t("decision.fix_unsized", where=where,
                 value=ctx.t("decision.fix_value", value=_money(ctx, value))
                 if value else "")


def mix_line(ctx: RunContext, mix: StageResult) -> str | None:
    s = mix.summary
    if "objective" not in s:
        return None
    parts = []
    for name, det in (s.get("baseline_details") or {}).items():
        label = ctx.t(f"mix.baseline.{name}")
        parts.append(ctx.t("decision.baseline", plan=label,
                           cash=_money(ctx, det["cost"]["cash"]),
                           cost=_money(ctx, det["cost"]["total"])) if det
                     else f"{label} {ctx.t('mix.no_plan')}")
    c = s["cost"]
    g = s.get("peak_gap")
    gap = ""
    if g:
        from scenarios.run.stages.mix import gap_when

        gap = ctx.t("decision.gap", when=gap_when(ctx, g), req=number(g["requirement"], ctx.lang),
                    cov=number(g["coverage"], ctx.lang), short=number(g["short"], ctx.lang),
                    pct=f"{g['share_short']:.0%}")
    return ctx.t("decision.mix", gap=gap, cash=_money(ctx, c["cash"]),
                 quality=_money(ctx, c["quality"]),
                 penalty=_money(ctx, c["shortfall_penalty"]), cost=_money(ctx, c["total"]),
                 horizon=_horizon(ctx), baselines=join(parts, ctx.lang))


def _horizon(ctx: RunContext) -> str:
    d = ctx.scenario.horizon.days
    return ctx.t("pay.horizon_days", days=d) if d != 1 else ctx.t("pay.horizon_day")


def roster_line(ctx: RunContext, mix: StageResult) -> str | None:
    r = mix.summary.get("roster")
    if not r:
        return None
    from datetime import date

    peak = ""
    if r.get("peak_day"):
        d = date.fromisoformat(r["peak_day"])
        day = f"{d.month}月{d.day}日" if ctx.lang == "zh" else d.strftime("%d %b").lstrip("0")
        peak = ctx.t("decision.roster_peak", day=day, n=number(r["peak_day_agent_shifts"],
                                                                  ctx.lang))
    return ctx.t("decision.roster", shifts=number(r["agent_shifts"], ctx.lang),
                 starts=r["shift_starts"], peak=peak, hires=r["hires"],
                 headcount=r["headcount"], blocks=r["outsourced_blocks"],
                 seat_hours=number(r["outsourced_seat_hours"], ctx.lang),
                 reserve=r["reserve_pool"], train=_reserve_train(ctx, mix))


def _reserve_train(ctx: RunContext, mix: StageResult) -> str:
    """When to sign and train the reserve, from the booking sheet (empty without one)."""
    book = mix.summary.get("booking") or {}
    if not book.get("reserve_train_by"):
        return ""
    from datetime import datetime

    from scenarios.run.booking import moment

    blocks = book.get("kinds", {}).get("reserve_callout", {}).get("rows", 0)
    return ctx.t("decision.reserve_train", blocks=blocks,
                 by=moment(datetime.fromisoformat(book["reserve_train_by"]), ctx.lang))


def policy_lines(ctx: RunContext, rec: dict[str, Any] | None,
                 missed: set[tuple[str, str]] = frozenset()) -> list[str]:
    """The recommendation with service per channel, quality and cost per extra contact;
    then, in one line, the same for the alternatives. ``missed``: (channel, target) pairs
    the plan misses, said where a policy's abandonment meets them."""
    if not rec:
        return []
    from sim.compare import BASELINE

    pol = rec["policies"]
    best = rec["recommended"]
    lang = ctx.lang
    others = [ctx.t("decision.alternative", policy=policy_label(n, lang),
                    text=_policy_detail(ctx, e, missed))
              for n, e in pol.items() if n not in (best, BASELINE)]
    if best == BASELINE:
        out = [ctx.t("decision.keep_flat")]
    else:
        e = pol[best]
        out = [ctx.t("decision.recommend", policy=policy_label(best, lang),
                     detail=_policy_detail(ctx, e, missed), horizon=_horizon(ctx),
                     extra=_money(ctx, e["extra_cost"]) if e.get("extra_cost") is not None
                     else "—")]
    if others:
        out.append(ctx.t("decision.alternatives", others=ctx.t("decision.sep").join(others)))
    return out


def _abandon_text(ctx: RunContext, e: dict[str, Any], missed: set[tuple[str, str]]) -> str:
    """Abandonment per channel against its cap, saying when the policy reaches a cap or
    meets one the plan misses."""
    parts = []
    for ch, v in (e.get("abandon_rate") or {}).items():
        spec = ctx.scenario.channels.get(ch)
        cap = getattr(spec, "max_abandon_rate", None)
        note = ""
        if cap is not None and v["mean"] >= cap:
            note = ctx.t("decision.abandon_over", cap=_pct(cap).replace(".0%", "%"))
        elif cap is not None and (ch, "abandon_rate") in missed:
            note = ctx.t("decision.abandon_missed", cap=_pct(cap).replace(".0%", "%"))
        parts.append(ctx.t("decision.abandon_part", channel=channel_label(ch, ctx.lang),
                           ab=_pct(v["mean"]), dab=f"{100 * v['diff']:+.1f} pp", note=note))
    return join(parts, ctx.lang)


def _policy_detail(ctx: RunContext, e: dict[str, Any],
                   missed: set[tuple[str, str]] = frozenset()) -> str:
    """Service level and abandonment per channel (change vs flat pay), contacts resolved at
    first contact (direction and size) and complaints against flat pay, and the cost per
    extra contact answered net of the repeat contacts the policy causes / per extra
    contact resolved at first contact."""
    lang = ctx.lang
    service = join([ctx.t("policies.part.sl", channel=channel_label(ch, lang),
                          sl=_pct(v["mean"]), dsl=f"{100 * v['diff']:+.1f} pp")
                    for ch, v in e["service_level"].items()], lang)
    a, r = e.get("per_extra_answered_net"), e.get("per_extra_resolved")
    reps = e.get("repeat_contacts_change", 0.0)
    repeats = ctx.t("decision.repeats", n=f"{reps:+,.0f}") if abs(reps) >= 0.5 else ""
    if a is None:
        answered = ctx.t("decision.no_net_answered", repeats=repeats)
    else:
        answered = ctx.t("decision.per_answered_net", answered=_money(ctx, a), repeats=repeats)
    if r is None or not e.get("resolved_more_significant"):
        cost = ctx.t("decision.no_more_resolved", answered=answered)
    else:
        cost = ctx.t("decision.per_contact", answered=answered, resolved=_money(ctx, r))
    res_to = e.get("resolved", 0.0)
    res_from = res_to - e.get("resolved_change", 0.0)
    return ctx.t("decision.detail", service=service, abandon=_abandon_text(ctx, e, missed),
                 res_from=number(res_from, lang), res_to=number(res_to, lang),
                 res_diff=f"{res_to - res_from:+,.0f}", fcr_from=_pct(e["fcr_baseline"]),
                 fcr_to=_pct(e["fcr"]),
                 complaints=f"{e['complaints_change']:+.0%}"
                 if e.get("complaints_change") is not None else "—", cost=cost)


def recommendation(ctx: RunContext, results: dict[str, StageResult]) -> dict[str, Any] | None:
    """The policy recommendation and its numbers (summary.json ``recommendation``)."""
    from scenarios.run.policy_effects import policy_effects, recommend
    from sim.compare import BASELINE

    pol = results.get("policies")
    if pol is None or pol.status != "ok" or not hasattr(pol.data, "policies"):
        return None
    pay = results.get("pay")
    costs = None
    if pay is not None and pay.status == "ok":
        costs = {n: e["cost_horizon"] for n, e in pay.summary.get("policies", {}).items()}
    effects = policy_effects(pol.data, costs)
    if not effects:
        return None
    out: dict[str, Any] = {}
    for name, e in effects.items():
        sl = {k.split(".")[0]: {"mean": st.mean, "diff": st.diff[0] if st.diff else 0.0}
              for k, st in e.stats.items() if k.endswith(".service_level")}
        fcr, comp = e.stats["all.fcr"], e.stats["all.complaints"]
        base_comp = comp.mean - comp.diff[0] if comp.diff else comp.mean
        resolved, repeats = e.stats["all.resolved"], e.stats["all.repeat_contacts"]
        ab = {k.split(".")[0]: {"mean": st.mean, "diff": st.diff[0] if st.diff else 0.0}
              for k, st in e.stats.items() if k.endswith(".abandon_rate")}
        out[name] = {
            "service_level": sl, "fcr": fcr.mean,
            "fcr_baseline": fcr.mean - fcr.diff[0] if fcr.diff else fcr.mean,
            "complaints": comp.mean,
            "complaints_change": (comp.diff[0] / base_comp) if comp.diff and base_comp > 0
            else None,
            "answered": e.stats["all.answered"].mean, "resolved": resolved.mean,
            "resolved_change": resolved.diff[0] if resolved.diff else 0.0,
            "repeat_contacts_change": repeats.diff[0] if repeats.diff else 0.0,
            "abandon_rate": ab, "per_extra_answered_net": e.per_extra_answered_net,
            "resolved_more_significant": e.significant_more_resolved(),
            "cost_horizon": e.cost_horizon, "extra_cost": e.extra_cost,
            "per_extra_answered": e.per_extra_answered,
            "per_extra_resolved": e.per_extra_resolved}
    return {"recommended": recommend(effects), "rule": "lowest cost per extra contact "
            "resolved at first contact among policies resolving significantly more than "
            f"{BASELINE}; else {BASELINE}", "policies": out}


def risk_line(ctx: RunContext, results: dict[str, StageResult]) -> str | None:
    risks = []
    sim = results.get("simulation")
    if sim is not None and sim.status == "ok":
        top = _top_scenario(sim)
        if top:
            risks.append(top(ctx))
    pol = results.get("policies")
    if pol is not None and pol.status == "ok" and hasattr(pol.data, "policies"):
        stuck = [policy_label(n, ctx.lang) for n, o in pol.data.policies.items()
                 if not getattr(o, "converged", True)]
        if stuck:
            risks.append(ctx.t("decision.risk_equilibrium", policies=join(stuck, ctx.lang)))
    mix = results.get("mix")
    if mix is not None and mix.status == "ok" and mix.summary.get("status") == "time_limit":
        risks.append(ctx.t("decision.risk_gap", gap=f"{mix.summary.get('gap', 0):.1%}"))
    if ctx.quick:
        risks.append(ctx.t("decision.risk_quick"))
    return ctx.t("decision.risks", risks=ctx.t("decision.risk_sep").join(risks)) if risks \
        else None


def _top_scenario(sim: StageResult):
    """The largest demand scenario drawn when the judged runs (the verdict's) miss a target
    in it (a closure formatting it, each channel's targets as judged), or None."""
    from scenarios.run.stages.simulation import target_verdicts

    rows = [e for e in sim.summary.get("by_demand_scenario", []) or [] if e["replications"]]
    targets = sim.summary.get("targets", {})
    if len(rows) < 2:
        return None
    top = max(rows, key=lambda e: e["multiplier"])
    misses = top.get("misses") or []
    if not misses:
        return None
    channels = list(dict.fromkeys(m["channel"] for m in misses))

    def text(ctx: RunContext) -> str:
        parts = [ctx.t("decision.risk_channel", channel=channel_label(ch, ctx.lang),
                       verdicts=join(target_verdicts(ctx, targets, ch, misses, only_missed=True),
                                     ctx.lang)) for ch in channels]
        return ctx.t("decision.risk_scenario", name=top["name"],
                     multiplier=f"{top['multiplier']:.2f}",
                     p=f"{top['probability']:.0%}", channels=join(parts, ctx.lang))
    return text


def decision_lines(ctx: RunContext, results: list[StageResult]
                   ) -> tuple[list[str], dict[str, Any]]:
    """The summary's lines (at most MAX_LINES) and the numbers behind them."""
    by = {r.name: r for r in results}
    verdict = targets_verdict(ctx, by)
    lines = verdict_lines(ctx, verdict, by)
    mix = by.get("mix")
    if mix is not None and mix.status == "ok":
        lines += [x for x in (mix_line(ctx, mix), roster_line(ctx, mix)) if x]
    rec = recommendation(ctx, by)
    lines += policy_lines(ctx, rec, {(m.channel, m.target) for m in verdict.misses})
    risk = risk_line(ctx, by)
    if risk:
        lines.append(risk)
    basis = {"meets_targets": verdict.meets, "source": verdict.source,
             "share_asked": verdict.share_asked,
             "judged": verdict.judged,
             "misses": [m.__dict__ for m in verdict.misses],
             "held": [m.__dict__ for m in verdict.held],
             "recommendation": rec}
    return lines[:MAX_LINES], basis
