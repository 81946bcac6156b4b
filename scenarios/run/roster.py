"""The mix plan as a roster a team lead can staff: per day, the in-house shifts (pattern,
start, end, break, agents), the contracted outsourced blocks (start, end, seats) and the
windows when the recourse may be called (reserve call-outs, surge seats, temps).

Counting: a row of the plan's ``shifts`` is one shift *start* holding many agents; the
roster counts **agent-shifts** (the sum of the agents on those rows), the number a team
lead fills. Pure: plan and scenario in, rows and numbers out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from planning.mix import MixPlan
from scenarios.schema import Scenario

COLUMNS = ["date", "kind", "pattern", "start", "end", "break_start", "break_end", "agents",
           "agents_max", "probability", "paid_hours"]
# recourse rows: kind → the plan array (scenario × interval) it is read from
RECOURSE = (("reserve_callout", "reserve"), ("outsourced_surge", "surge"), ("temps", "temps"))
EPS = 1e-6


@dataclass(frozen=True)
class Roster:
    """roster.csv rows (``COLUMNS``) and the headline numbers."""

    rows: list[list[Any]]
    summary: dict[str, Any]


def _iso(t: datetime) -> str:
    return t.isoformat(timespec="minutes")


def shift_rows(sc: Scenario, plan: MixPlan) -> list[list[Any]]:
    """One row per (day, pattern, start) of the plan with its agents, in time order."""
    if not plan.shifts:
        return []
    patterns = sc.pools["in_house"].employment.shifts
    starts = sc.horizon.interval_starts()
    rows = []
    for _day, p, s, n in sorted(plan.shifts, key=lambda x: (x[2], x[1])):
        spec = patterns[p]
        t0 = starts[s]
        end = t0 + timedelta(hours=spec.hours)
        b0 = b1 = None
        if spec.break_after_hours is not None and spec.break_minutes > 0:
            b0 = t0 + timedelta(hours=spec.break_after_hours)
            b1 = b0 + timedelta(minutes=spec.break_minutes)
        unpaid = 0.0 if spec.break_paid or b0 is None else spec.break_minutes / 60.0
        rows.append([t0.date().isoformat(), "in_house_shift", spec.name, _iso(t0), _iso(end),
                     _iso(b0) if b0 else None, _iso(b1) if b1 else None, int(n), int(n),
                     1.0, float(n) * (spec.hours - unpaid)])
    return rows


def block_rows(sc: Scenario, plan: MixPlan) -> list[list[Any]]:
    """One row per contracted outsourced block (seats fixed before the horizon)."""
    pool = sc.pools.get("outsourced")
    if pool is None or pool.contract is None:
        return []
    starts = sc.horizon.interval_starts()
    end_of_horizon = starts[-1] + timedelta(minutes=sc.horizon.interval_minutes)
    hours = pool.contract.block_hours
    rows = []
    for s, seats in sorted(plan.outsourced_blocks):
        t0 = starts[s]
        end = min(t0 + timedelta(hours=hours), end_of_horizon)
        rows.append([t0.date().isoformat(), "outsourced_block", None, _iso(t0), _iso(end),
                     None, None, int(seats), int(seats), 1.0,
                     float(seats) * (end - t0).total_seconds() / 3600.0])
    return rows


def window_rows(sc: Scenario, plan: MixPlan, kind: str, arr: np.ndarray,
                per_agent: float = 1.0) -> list[list[Any]]:
    """Runs of consecutive intervals in which any demand scenario uses the recourse
    ``arr`` (scenario × interval). ``agents``: the largest probability-weighted mean in the
    run; ``agents_max``: the largest over scenarios; ``probability``: the total probability
    of the scenarios that use it in the run; ``paid_hours``: expected agent-hours. Agents
    are divided by ``per_agent`` (the reserve's show-up: call-outs, not arrivals)."""
    if arr.size == 0:
        return []
    used = (arr > EPS).any(axis=0)
    starts = sc.horizon.interval_starts()
    step = timedelta(minutes=sc.horizon.interval_minutes)
    h = step.total_seconds() / 3600.0
    rows = []
    t = 0
    n = len(used)
    while t < n:
        if not used[t]:
            t += 1
            continue
        e = t
        while e < n and used[e]:
            e += 1
        seg = arr[:, t:e] / per_agent
        expected = plan.probabilities @ seg
        p_used = float(plan.probabilities[(seg > EPS).any(axis=1)].sum())
        rows.append([starts[t].date().isoformat(), kind, None, _iso(starts[t]),
                     _iso(starts[e - 1] + step), None, None,
                     float(np.ceil(expected.max() - EPS)), float(np.ceil(seg.max() - EPS)),
                     round(p_used, 6), float(expected.sum() * h)])
        t = e
    return rows


def build_roster(sc: Scenario, plan: MixPlan, reserve_show_up: float) -> Roster:
    """The roster rows (time order within each kind) and its headline numbers."""
    shifts = shift_rows(sc, plan)
    blocks = block_rows(sc, plan)
    recourse: list[list[Any]] = []
    arrays = {"reserve": plan.reserve, "surge": plan.surge, "temps": plan.temps}
    for kind, key in RECOURSE:
        per = reserve_show_up if key == "reserve" else 1.0
        recourse += window_rows(sc, plan, kind, arrays[key], max(per, 1e-9))
    rows = sorted(shifts + blocks + recourse, key=lambda r: (r[3], _ORDER[r[1]]))
    by_day: dict[str, int] = {}
    for r in shifts:
        by_day[r[0]] = by_day.get(r[0], 0) + r[7]
    peak_day = max(by_day, key=lambda d: by_day[d]) if by_day else None
    emp = sc.pools["in_house"].employment if "in_house" in sc.pools else None
    summary = {
        "shift_starts": len(shifts),
        "agent_shifts": int(sum(r[7] for r in shifts)),
        "in_house_paid_hours": float(sum(r[10] for r in shifts)),
        "agent_shifts_by_day": by_day,
        "peak_day": peak_day,
        "peak_day_agent_shifts": by_day.get(peak_day, 0) if peak_day else 0,
        "headcount": emp.headcount if emp is not None else 0,
        "hires": int(plan.hires),
        "outsourced_blocks": len(blocks),
        "outsourced_seat_blocks": int(sum(r[7] for r in blocks)),
        "outsourced_seat_hours": float(sum(r[10] for r in blocks)),
        "reserve_pool": int(plan.reserve_pool),
        "windows": {kind: sum(1 for r in recourse if r[1] == kind) for kind, _ in RECOURSE},
    }
    return Roster(rows, summary)


_ORDER = {"in_house_shift": 0, "outsourced_block": 1, "reserve_callout": 2,
          "outsourced_surge": 3, "temps": 4}


# ---- the report's view: one line per day ----------------------------------------------

def _clock(iso: str) -> str:
    return iso[11:16]


def _end_clock(start: str, end: str, lang: str) -> str:
    """The end time, marked when it falls on a later day (not at midnight)."""
    from scenarios.words.i18n import t

    later = end[:10] > start[:10] and end[11:16] != "00:00"
    return t("roster.next_day", lang, clock=_clock(end)) if later else _clock(end)


def day_table(roster: Roster, lang: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the report's roster table: per day, in-house agent-shifts and
    the shift starts by pattern, outsourced seats by block, recourse windows."""
    from scenarios.words.i18n import t

    days = sorted({r[0] for r in roster.rows})
    out = []
    for d in days:
        rows = [r for r in roster.rows if r[0] == d]
        shifts = [r for r in rows if r[1] == "in_house_shift"]
        by_pattern: dict[str, list[str]] = {}
        for r in shifts:
            by_pattern.setdefault(r[2], []).append(f"{_clock(r[3])} ×{r[7]}")
        shift_text = " · ".join(f"{p}: {', '.join(v)}" for p, v in by_pattern.items()) or "—"
        blocks = [r for r in rows if r[1] == "outsourced_block"]
        block_text = ", ".join(f"{_clock(r[3])}–{_clock(r[4])} ×{r[7]}" for r in blocks) or "—"
        windows = [t("roster.window.reserve_callout", lang, start=_clock(r[3]),
                     end=_end_clock(r[3], r[4], lang), most=f"{r[8]:.0f}",
                     expected=f"{r[7]:.0f}", p=f"{100 * r[9]:.0f}%")
                   for r in rows if r[1] == "reserve_callout"]
        for kind in ("outsourced_surge", "temps"):  # short windows: one phrase a day
            mine = [r for r in rows if r[1] == kind]
            if mine:
                windows.append(t(f"roster.window.{kind}", lang, k=len(mine),
                                 most=f"{max(r[8] for r in mine):.0f}",
                                 p=f"{100 * max(r[9] for r in mine):.0f}%"))
        out.append([_date(d, lang), str(sum(r[7] for r in shifts)), shift_text,
                    str(sum(r[7] for r in blocks)), block_text, "; ".join(windows) or "—"])
    header = [t(f"roster.col.{k}", lang) for k in ("date", "agent_shifts", "shifts", "seats",
                                                    "blocks", "windows")]
    return header, out


def _date(iso: str, lang: str) -> str:
    d = datetime.fromisoformat(iso)
    if lang == "zh":
        return f"{d.month}月{d.day}日（{'一二三四五六日'[d.weekday()]}）"
    return d.strftime("%a %d %b")


def roster_section(ctx: Any, res: Any, plan: MixPlan, doc: dict[str, Any]) -> Roster:
    """Add the roster (table, roster.csv / sheet, headline, summary) and the plan's key
    facts (hires, the value of one more agent, the value of the stochastic solution) to
    the mix stage's result."""
    from scenarios.plan_check import reserve_show_up
    from scenarios.run.stage import Headline, ReportTable, Table
    from scenarios.words.i18n import number

    sc, lang, cur = ctx.scenario, ctx.lang, ctx.scenario.currency
    roster = build_roster(sc, plan, reserve_show_up(sc))
    s = roster.summary
    res.summary["roster"] = s
    res.tables.append(Table("roster", ctx.t("roster.title"), COLUMNS, roster.rows))
    header, rows = day_table(roster, lang)
    res.report_tables.append(ReportTable(ctx.t("roster.title"), header, rows, wrap=(2, 4, 5),
                                         note=ctx.t("roster.note")))
    res.headlines.append(Headline("mix.agent_shifts", ctx.t("roster.headline"),
                                  s["agent_shifts"], number(s["agent_shifts"], lang)))
    def money(x: float) -> str:
        text = number(x, lang, 0)
        return f"{'0' if text == '-0' else text} {cur}"

    facts = [[ctx.t("roster.fact.agent_shifts"),
              ctx.t("roster.fact.agent_shifts_value", n=number(s["agent_shifts"], lang),
                    starts=s["shift_starts"], hours=number(s["in_house_paid_hours"], lang))],
             [ctx.t("roster.fact.hires"), ctx.t("roster.fact.hires_value", hires=s["hires"],
                                                 headcount=s["headcount"])],
             [ctx.t("roster.fact.outsourced"),
              ctx.t("roster.fact.outsourced_value", blocks=s["outsourced_blocks"],
                    seats=number(s["outsourced_seat_blocks"], lang),
                    hours=number(s["outsourced_seat_hours"], lang))],
             [ctx.t("roster.fact.reserve"),
              ctx.t("roster.fact.reserve_value", n=s["reserve_pool"],
                    windows=s["windows"]["reserve_callout"])]]
    v1 = doc.get("value_of_one_more") or {}
    for key in ("in_house_agent", "reserve_agent"):
        if v1.get(key) is not None:
            facts.append([ctx.t(f"roster.fact.value_{key}"), money(v1[key])])
    mv = doc.get("mean_value_plan")
    if mv and mv.get("value_of_stochastic_solution") is not None:
        facts.append([ctx.t("roster.fact.vss"),
                      ctx.t("roster.fact.vss_value",
                            vss=money(mv["value_of_stochastic_solution"]),
                            mean_cost=money(mv["expected_cost"]))])
    res.report_tables.append(ReportTable(ctx.t("roster.facts"),
                                         [ctx.t("roster.col.fact"), ctx.t("roster.col.value")],
                                         facts, wrap=(1,)))
    return roster
