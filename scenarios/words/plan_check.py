"""The plan check's sentences: whether the checked mix holds, on how many runs, where it
misses, what stands in the way (the in-house limit, the routing) and what each way out
costs and does, simulated — the report's mix section and decision, and ``peakdesk plan``'s
first line, in English and Chinese. ``ctx`` is anything with ``t(key, **params)`` and
``lang`` (a run's context, or :func:`english`)."""

from __future__ import annotations

from typing import Any

from scenarios.words.i18n import join, number


def fix_sentence(ctx: Any, val: dict, cur: str) -> str:
    """What stands in the way and what would meet the targets, from the plan check's
    ``validation``: the in-house headcount limit (in-house-first routing), the same plan
    with overflow at once, the plan made for overflow at once and the cheapest change
    keeping the routing — each simulated."""
    probe = val.get("routing_probe")
    period = ctx.t("sim.period." + val.get("targets_over", "day"))
    rem = remedy_sentence(ctx, val.get("remedy"), cur, val.get("remedy_simulated"), period)
    at_once = val.get("at_once_plan")
    if rem and ((probe and probe["holds"]) or (at_once and at_once["holds"])):
        rem = ctx.t("mix.keep_routing", remedy=rem[:1].lower() + rem[1:])
    parts = [limit_sentence(ctx, val.get("in_house_limit")),
             probe_sentence(ctx, probe, val.get("targets_over", "day")),
             at_once_sentence(ctx, at_once, val, cur, period), rem]
    return " ".join(p for p in parts if p)


def _at(ctx: Any, iso: str) -> str:
    """An interval start as the report writes it ("11 Nov 00:00"), not ISO."""
    from datetime import datetime

    from scenarios.words.i18n import when

    return when(datetime.fromisoformat(iso), ctx.lang, True)


def _on(ctx: Any, iso_day: str) -> str:
    """A date as the report writes it ("11 Nov")."""
    return _at(ctx, f"{iso_day}T00:00")[:-6]


def limit_sentence(ctx: Any, lim: dict | None) -> str:
    """Where the in-house headcount cannot give the in-house agents' own row."""
    if not lim:
        return ""
    w = lim["worst"]
    return ctx.t("mix.in_house_limit", wait=number(lim["overflow_after_s"], ctx.lang, 0),
                 intervals=lim["intervals"], interval=_at(ctx, w["interval"]),
                 short=number(w["agents_short"], ctx.lang, 1), scenarios=w["scenarios"],
                 hours=number(lim["agent_hours"], ctx.lang, 0),
                 days=join([_on(ctx, d["day"]) for d in lim["days"][:3]], ctx.lang),
                 holds=number(lim["overflow_wait_that_holds_s"], ctx.lang, 0))


def at_once_sentence(ctx: Any, x: dict | None, val: dict, cur: str, period: str) -> str:
    """The plan made for overflow at once, priced and simulated beside this one."""
    if not x:
        return ""
    this = val["final"]["objective"]
    out = ctx.t("mix.at_once_plan", cost=f"{number(x['cost'], ctx.lang, 0)} {cur}",
                delta=f"{x['cost'] - this:+,.0f} {cur}", period=period,
                held=x["scenarios_held"], n=x["scenarios"], share=f"{x['share_held']:.0%}")
    if x.get("status") == "time_limit":  # its solve stopped on the clock: load-dependent
        out += ctx.t("mix.at_once_clock")
    return out


def basis_sentence(ctx: Any, val: dict) -> str:
    """How many runs the verdict rests on, on which streams, with which spread."""
    if not val.get("fresh_streams") or not val.get("runs"):
        return ""
    how = "replications" if val.get("replications_per_scenario", 1) > 1 else "batches"
    return ctx.t("mix.verdict_basis", runs=val["runs"], reps=val["replications_per_scenario"],
                 how=ctx.t("mix.spread." + how))


def where_sentence(ctx: Any, val: dict) -> str:
    """Misses per day and hour band (the most scenarios first, at most five)."""
    items = val.get("where_missed") or []
    if not items:
        return ""
    shown = [ctx.t("mix.where_item", target=f"{b['channel']} {ctx.t('mix.kpi.' + b['target'])}",
                   day=b["day"][5:], hours=b["hours"], scenarios=b["scenarios"],
                   worst=(f"{b['worst']:.1%}" if b["target"] != "asa_s"
                          else f"{b['worst']:.0f} s")) for b in items[:5]]
    return ctx.t("mix.where_missed", items="; ".join(shown))


def probe_sentence(ctx: Any, probe: dict | None, period: str) -> str:
    """The checked plan with contacts overflowing at once (scenarios.checked_mix)."""
    if not probe:
        return ""
    return ctx.t("mix.routing_probe", wait=number(probe["overflow_after_s"], ctx.lang, 0),
                 period=ctx.t("sim.period." + period), held=probe["scenarios_held"],
                 n=probe["scenarios"], share=f"{probe['share_held']:.0%}")


def remedy_sentence(ctx: Any, rem: dict | None, cur: str, sim: dict | None = None,
                    period: str = "") -> str:
    """The plan check's remedy as a sentence: the cheapest change (with its simulated
    result when it was simulated), or why none."""
    if rem is None:
        return ""
    if not rem["feasible"]:
        w = rem.get("worst")
        if w is None:
            return ctx.t("mix.remedy_other", reason=rem["reason"])
        if rem["reason"] == "joint_limits":
            return ctx.t("mix.remedy_joint", interval=_at(ctx, w["interval"]),
                         scenario=w["scenario"], needs=number(w["needs"], ctx.lang, 1),
                         most=number(w["most"], ctx.lang, 1),
                         hours=number(rem["short_agent_hours"], ctx.lang, 0))
        return ctx.t("mix.remedy_limits", interval=_at(ctx, w["interval"]),
                     scenario=w["scenario"],
                     needs=number(w["needs"], ctx.lang, 1), most=number(w["most"], ctx.lang, 1))
    parts = [ctx.t("mix.remedy_size." + k, n=v) for k, v in rem["sizes"].items() if v]
    parts += [ctx.t("mix.remedy_day", hours=f"{d['agent_hours']:+,.0f}", day=_on(ctx, d["day"]),
                    pool=ctx.t("mix.pool." + d["pool"])) for d in rem["days"][:3]]
    what = ", ".join(parts) or ctx.t("mix.remedy_same")
    if sim is not None:
        return ctx.t("mix.remedy_change_sim", what=what, cost=f"{rem['cost_delta']:+,.0f} {cur}",
                     period=period, held=sim["scenarios_held"], n=sim["scenarios"],
                     share=f"{sim['share_held']:.0%}")
    return ctx.t("mix.remedy_change", what=what, cost=f"{rem['cost_delta']:+,.0f} {cur}")


def check_verdict(ctx: Any, doc: dict) -> str:
    """Whether the checked plan meets the targets; if not, the remedy or the reason — the
    mix section's lead and ``peakdesk plan``'s first line (``ctx``: anything with ``t``
    and ``lang``, e.g. :func:`english`)."""
    val = doc.get("validation")
    if not val:
        return ctx.t("mix.not_checked")
    common = dict(held=val["scenarios_held"], n=val["scenarios"],
                  share=f"{val['share_held']:.0%}", asked=f"{val['share_asked']:.0%}",
                  period=ctx.t("sim.period." + val["targets_over"]))
    basis = basis_sentence(ctx, val)
    if val["holds"]:
        return " ".join(p for p in (ctx.t("mix.verdict_holds", **common), basis) if p)
    kinds = ", ".join(ctx.t("mix.kpi." + k) for k in sorted({m["target"]
                                                             for m in val["misses"]}))
    remedy = " ".join(p for p in (basis, where_sentence(ctx, val),
                                  fix_sentence(ctx, val, doc["currency"])) if p)
    return ctx.t("mix.verdict_misses", kinds=kinds, remedy=remedy, **common)


def english() -> Any:
    """A text context for the messages in English outside a run (``peakdesk plan``)."""
    from types import SimpleNamespace

    from scenarios.words.i18n import t

    return SimpleNamespace(t=lambda key, **params: t(key, "en", **params), lang="en")
