"""The plan check's sentences: whether the checked mix plan meets the targets and, if not,
what would (the routing probe, the remedy) — the first line of ``peakdesk plan`` and the
lead of the report's mix section, in the run's language.

Here, below both users, so the command does not import the run's stages to print the same
sentence. ``ctx`` is anything with ``t(key, **params)`` and ``lang`` (a run's context, or
:func:`english` outside a run).
"""

from __future__ import annotations

from typing import Any

from scenarios.words.i18n import number, t


def fix_sentence(ctx: Any, val: dict, cur: str) -> str:
    """What would meet the targets, from the plan check's ``validation``: the routing
    probe's result (when it ran), then the remedy."""
    probe = val.get("routing_probe")
    rem = remedy_sentence(ctx, val.get("remedy"), cur)
    if rem and probe and probe["holds"]:  # the remedy is then for keeping the routing
        rem = ctx.t("mix.keep_routing", remedy=rem[:1].lower() + rem[1:])
    parts = [probe_sentence(ctx, probe, val.get("targets_over", "day")), rem]
    return " ".join(p for p in parts if p)


def probe_sentence(ctx: Any, probe: dict | None, period: str) -> str:
    """The checked plan with contacts overflowing at once (scenarios.checked_mix)."""
    if not probe:
        return ""
    return ctx.t("mix.routing_probe", wait=number(probe["overflow_after_s"], ctx.lang, 0),
                 period=ctx.t("sim.period." + period), held=probe["scenarios_held"],
                 n=probe["scenarios"], share=f"{probe['share_held']:.0%}")


def remedy_sentence(ctx: Any, rem: dict | None, cur: str) -> str:
    """The plan check's remedy as a sentence: the cheapest change, or why none."""
    if rem is None:
        return ""
    if not rem["feasible"]:
        w = rem.get("worst")
        if w is None:
            return ctx.t("mix.remedy_other", reason=rem["reason"])
        return ctx.t("mix.remedy_limits", interval=w["interval"], scenario=w["scenario"],
                     needs=number(w["needs"], ctx.lang, 1), most=number(w["most"], ctx.lang, 1))
    parts = [ctx.t("mix.remedy_size." + k, n=v) for k, v in rem["sizes"].items() if v]
    parts += [ctx.t("mix.remedy_day", hours=f"{d['agent_hours']:+,.0f}", day=d["day"],
                    pool=ctx.t("mix.pool." + d["pool"])) for d in rem["days"][:3]]
    return ctx.t("mix.remedy_change", what=", ".join(parts) or ctx.t("mix.remedy_same"),
                 cost=f"{rem['cost_delta']:+,.0f} {cur}")


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
    if val["holds"]:
        return ctx.t("mix.verdict_holds", **common)
    kinds = ", ".join(ctx.t("mix.kpi." + k) for k in sorted({m["target"]
                                                             for m in val["misses"]}))
    return ctx.t("mix.verdict_misses", kinds=kinds,
                 remedy=fix_sentence(ctx, val, doc["currency"]), **common)


def english() -> Any:
    """A text context for the messages in English outside a run (``peakdesk plan``)."""
    from types import SimpleNamespace

    return SimpleNamespace(t=lambda key, **params: t(key, "en", **params), lang="en")
