"""Reasons behind each amount of a pay result, as text for people ("why this pay").

Built on demand from the arrays a :class:`rules.pay_result.PayResult` keeps, so paying
stays cheap when nobody asks: ``explain(result, "A07")``.
"""

from __future__ import annotations

import numpy as np

from rules.commission import reached_tier, tier_units
from rules.pay_result import PayResult, Reason


def _fmt(x: float) -> str:
    if not np.isfinite(x):
        return str(x)
    return f"{x:,.4g}" if abs(x) < 1e4 and x != int(x) else f"{x:,.2f}".rstrip("0").rstrip(".")


def explain(r: PayResult, agent: int | str) -> list[Reason]:
    """Reasons for every amount of one agent (by index or agent id), built from the arrays
    kept in the result."""
    i = agent if isinstance(agent, int) else r.index(agent)
    d = r._detail
    pol = r.policy
    out: list[Reason] = []
    tenure = ""
    if d.get("probation") is not None:
        tenure = " (probation)" if d["probation"][i] else " (regular)"
    out.append(Reason("base_pay", float(r.base_pay[i]), f"base pay{tenure}"))
    for it, dirn, vals, a, floor, cap in d.get("items", []):
        v, ai = float(vals[i]), float(a[i])
        ratio = f"{_fmt(v)} / {_fmt(it.target)}" if it.kind == "soft" or dirn == "higher" \
            else f"{_fmt(it.target)} / {_fmt(v)}"
        bounds = f", clipped to [{_fmt(floor or 0)}, {'∞' if cap is None else _fmt(cap)}]"
        out.append(Reason("score", float(r.item_scores[it.name][i]),
                          f"{it.name}: {ratio} = {ai:.4g}{bounds} × weight {_fmt(it.weight)}"))
    for p, units in d.get("points", []):
        u = float(units[i])
        if u:
            out.append(Reason("score", u * p.points * pol.scorecard.points_scale,  # type: ignore[union-attr]
                              f"points {p.label or p.per}: {_fmt(u)} × {_fmt(p.points)} points"))
    if pol.scorecard is not None:
        out.append(Reason("performance_pay", float(r.performance_pay[i]),
                          f"score {r.score[i]:.4f} × pay_base {_fmt(pol.scorecard.pay_base)}"))
    if "ranking" in d:
        rv, bands = d["ranking"]
        n = len(r)
        split = pol.ranking.ties == "split"  # type: ignore[union-attr]
        for b, members, k in bands:
            m = float(members[i])
            if m > 0:
                tie = (f"; tied for the last places: {_fmt(m * 100)}% of the band"
                       if m < 1 else "") if split else ", ties included"
                out.append(Reason("ranking_pay", m * b.pay,
                                  f"rank {r.rank[i]} of {n} by {pol.ranking.by} "  # type: ignore[index,union-attr]
                                  f"({_fmt(float(rv[i]))}): in the {b.side} {_fmt(b.share * 100)}% "
                                  f"({k} places{tie})"))
    for c, units, net, gross, amount, active in d.get("commission", []):
        if active is not None and not active[i]:
            out.append(Reason("commission", 0.0, f"{c.name}: not eligible (when/tenure false)"))
            continue
        text = f"{c.name}: {_fmt(float(units[i]))} units, {c.mode}: " + _tier_text(
            float(net[i]), c.table, c.mode)
        if net is not units:
            text += f" (after clawback of {_fmt(float(units[i] - net[i]))} units, " \
                    f"−{_fmt(float(gross[i] - amount[i]))})"
        out.append(Reason("commission", float(amount[i]), text))
    for e, o, inp in d.get("events", []):
        if inp.active is not None and not inp.active[i]:
            out.append(Reason("event_pay", 0.0, f"{e.name}: not eligible (when/tenure false)"))
            continue
        text = f"{e.per}: {_fmt(float(o.units[i] + o.taken[i]))} units"
        if o.taken[i] > 0:
            text += f", {_fmt(float(o.taken[i]))} used up by offsets"
        if e.offset is not None:
            text += f", {_fmt(float(o.cancelled[i]))} offset by " \
                    f"{_fmt(float(o.by_used[i]))} {e.offset.by} (ratio {_fmt(e.offset.ratio)})"
        text += f"; {_fmt(float(o.paid_units[i]))} paid × {_fmt(e.pay)}"
        out.append(Reason("event_pay", float(o.amount[i]), text))
    if r.capped is not None and r.capped[i]:
        out.append(Reason("variable_pay", float(r.variable_pay[i]),
                          f"variable pay capped at cap_total {_fmt(pol.cap_total)}"))  # type: ignore[arg-type]
    if r.topped_up is not None and r.topped_up[i]:
        out.append(Reason("variable_pay", float(r.variable_pay[i]),
                          f"topped up to the pay floor {_fmt(pol.pay_floor)}"))  # type: ignore[arg-type]
    out.append(Reason("total_pay", float(r.total_pay[i]), "base pay + variable pay"))
    return out


def _tier_text(units: float, table: list[tuple[float, float]], mode: str) -> str:
    arr = np.array([units])
    if mode == "whole":
        idx = int(reached_tier(arr, table)[0])
        rate = table[idx][1] if idx >= 0 else 0.0
        return f"{_fmt(units)} × {_fmt(rate)}"
    parts = [f"{_fmt(float(u[0]))} × {_fmt(rate)}"
             for (_, rate), u in zip(table, tier_units(arr, table), strict=True) if u[0] > 0]
    return " + ".join(parts) or "0"
