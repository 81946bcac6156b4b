"""The mix plan as a roster a team lead can hand out: one row per employee and shift
(``kind`` shift: pattern, start, end, break, paid hours, hours on duty), the contracted
outsourced blocks (start, end, seats) and the windows when the recourse may be called
(reserve call-outs, surge seats, temps) — roster.csv (docs/formats.md).

The people and their shifts come from scenarios.adapters.to_roster (planning.roster's assignment);
**agent-shifts** count person-shifts. The report shows the roster per day and per person,
and any rule the headcount could not keep (which rule, whom, which days).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from planning.booking import RosteredShift
from planning.mix import MixPlan
from scenarios.schema import Scenario

COLUMNS = ["employee_id", "date", "kind", "pattern", "start", "end", "break_start",
           "break_end", "paid_hours", "hours_on_duty", "agents", "agents_max", "probability"]
# column positions (rows are lists in COLUMNS order)
EMP, DATE, KIND, PATTERN, START, END, B0, B1, PAID, DUTY, AGENTS, MOST, PROB = range(13)
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


def _row(**kw: Any) -> list[Any]:
    out: list[Any] = [None] * len(COLUMNS)
    for k, v in kw.items():
        out[COLUMNS.index(k)] = v
    return out


def _shift_times(sc: Scenario, pattern: int, start: int) -> tuple[datetime, datetime,
                                                                  datetime | None,
                                                                  datetime | None, float]:
    """Start, end, break start/end and paid hours of one shift of ``pattern``."""
    spec = sc.pools["in_house"].employment.shifts[pattern]
    t0 = sc.horizon.start + start * timedelta(minutes=sc.horizon.interval_minutes)
    # (= interval_starts()[start] without listing the horizon's intervals for every shift)
    end = t0 + timedelta(hours=spec.hours)
    b0 = b1 = None
    if spec.break_after_hours is not None and spec.break_minutes > 0:
        b0 = t0 + timedelta(hours=spec.break_after_hours)
        b1 = b0 + timedelta(minutes=spec.break_minutes)
    unpaid = 0.0 if spec.break_paid or b0 is None else spec.break_minutes / 60.0
    return t0, end, b0, b1, spec.hours - unpaid


def person_rows(sc: Scenario, people: Any) -> list[list[Any]]:
    """One row per employee and shift (``people``: scenarios.adapters.to_roster.PeopleRoster)."""
    inp, res = people.inputs, people.result
    names = [s.name for s in sc.pools["in_house"].employment.shifts]
    step_h = sc.horizon.interval_minutes / 60.0
    rows = []
    for person, mine in zip(inp.people, res.schedules, strict=True):
        for k in mine:
            sh = inp.shifts[k]
            t0, end, b0, b1, paid = _shift_times(sc, sh.pattern, sh.start)
            rows.append(_row(employee_id=person.employee_id, date=t0.date().isoformat(),
                             kind="shift", pattern=names[sh.pattern], start=_iso(t0),
                             end=_iso(end), break_start=_iso(b0) if b0 else None,
                             break_end=_iso(b1) if b1 else None, paid_hours=paid,
                             hours_on_duty=len(sh.cover) * step_h, agents=1, agents_max=1,
                             probability=1.0))
    return rows


def shift_rows(sc: Scenario, plan: MixPlan) -> list[list[Any]]:
    """Without people (no roster made): one row per (day, pattern, start) of the plan
    with its agents, kind ``in_house_shift``."""
    if not plan.shifts:
        return []
    names = [s.name for s in sc.pools["in_house"].employment.shifts]
    rows = []
    for _day, p, s, k in sorted(plan.shifts, key=lambda x: (x[2], x[1])):
        t0, end, b0, b1, paid = _shift_times(sc, p, s)
        on_h = (end - t0).total_seconds() / 3600.0 - (
            (b1 - b0).total_seconds() / 3600.0 if b0 else 0.0)
        rows.append(_row(date=t0.date().isoformat(), kind="in_house_shift",
                         pattern=names[p], start=_iso(t0), end=_iso(end),
                         break_start=_iso(b0) if b0 else None,
                         break_end=_iso(b1) if b1 else None, paid_hours=float(k) * paid,
                         hours_on_duty=float(k) * on_h, agents=int(k),
                         agents_max=int(k), probability=1.0))
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
        h = float(seats) * (end - t0).total_seconds() / 3600.0
        rows.append(_row(date=t0.date().isoformat(), kind="outsourced_block", start=_iso(t0),
                         end=_iso(end), paid_hours=h, hours_on_duty=h, agents=int(seats),
                         agents_max=int(seats), probability=1.0))
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
        rows.append(_row(date=starts[t].date().isoformat(), kind=kind, start=_iso(starts[t]),
                         end=_iso(starts[e - 1] + step),
                         paid_hours=float(expected.sum() * h),
                         hours_on_duty=float(expected.sum() * h),
                         agents=float(np.ceil(expected.max() - EPS)),
                         agents_max=float(np.ceil(seg.max() - EPS)),
                         probability=round(p_used, 6)))
        t = e
    return rows


def build_roster(sc: Scenario, plan: MixPlan, reserve_show_up: float,
                 people: Any = None) -> Roster:
    """The roster rows (time order, people's shifts first within a start time) and its
    headline numbers; ``people`` (scenarios.adapters.to_roster.PeopleRoster) gives one row per
    person and shift, else the plan's counts are shown per shift start."""
    shifts = person_rows(sc, people) if people is not None else shift_rows(sc, plan)
    blocks = block_rows(sc, plan)
    recourse: list[list[Any]] = []
    arrays = {"reserve": plan.reserve, "surge": plan.surge, "temps": plan.temps}
    for kind, key in RECOURSE:
        per = reserve_show_up if key == "reserve" else 1.0
        recourse += window_rows(sc, plan, kind, arrays[key], max(per, 1e-9))
    rows = sorted(shifts + blocks + recourse,
                  key=lambda r: (r[START], _ORDER[r[KIND]], r[EMP] or ""))
    by_day: dict[str, int] = {}
    for r in shifts:
        by_day[r[DATE]] = by_day.get(r[DATE], 0) + r[AGENTS]
    peak_day = max(by_day, key=lambda d: by_day[d]) if by_day else None
    emp = sc.pools["in_house"].employment if "in_house" in sc.pools else None
    summary = {
        "shift_starts": len({(r[START], r[PATTERN]) for r in shifts}),
        "agent_shifts": int(sum(r[AGENTS] for r in shifts)),
        "in_house_paid_hours": float(sum(r[PAID] for r in shifts)),
        "agent_shifts_by_day": by_day,
        "peak_day": peak_day,
        "peak_day_agent_shifts": by_day.get(peak_day, 0) if peak_day else 0,
        "headcount": emp.headcount if emp is not None else 0,
        "hires": int(plan.hires),
        "outsourced_blocks": len(blocks),
        "outsourced_seat_blocks": int(sum(r[AGENTS] for r in blocks)),
        "outsourced_seat_hours": float(sum(r[PAID] for r in blocks)),
        "reserve_pool": int(plan.reserve_pool),
        "windows": {kind: sum(1 for r in recourse if r[KIND] == kind) for kind, _ in RECOURSE},
    }
    if people is not None:
        summary.update(people_summary(sc, people))
    return Roster(rows, summary)


def people_summary(sc: Scenario, people: Any) -> dict[str, Any]:
    """The people's numbers: how many, hours on duty, the rules and any rule broken."""
    from dataclasses import asdict

    inp, res = people.inputs, people.result
    hours = people.hours_on_duty()
    day0 = sc.horizon.start.date()

    def dates(days: tuple[int, ...]) -> list[str]:
        return [(day0 + timedelta(days=d)).isoformat() for d in days]

    return {
        "people": len(inp.people),
        "people_rostered": int(sum(1 for m in res.schedules if m)),
        "hours_on_duty": {"min": float(hours.min()) if hours.size else 0.0,
                          "max": float(hours.max()) if hours.size else 0.0,
                          "total": float(hours.sum())},
        "rules": {k: v for k, v in asdict(inp.rules).items()
                  if k not in ("night_end_hour", "on_leave")},
        "roster_status": res.status,
        "rule_violations": [{"rule": v.rule, "employee_id": v.employee_id,
                             "dates": dates(v.days), "amount": v.amount}
                            for v in res.violations],
    }


_ORDER = {"shift": 0, "in_house_shift": 0, "outsourced_block": 1, "reserve_callout": 2,
          "outsourced_surge": 3, "temps": 4}


# ---- the report's view: one line per day ----------------------------------------------

def _clock(iso: str) -> str:
    return iso[11:16]


def _end_clock(start: str, end: str, lang: str) -> str:
    """The end time, marked when it falls on a later day (not at midnight)."""
    from scenarios.words.i18n import t

    later = end[:10] > start[:10] and end[11:16] != "00:00"
    return t("roster.next_day", lang, clock=_clock(end)) if later else _clock(end)


def day_table(roster: Roster, lang: str, booking: list[Any] = (), currency: str = ""
              ) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the report's roster table: per day, in-house agent-shifts and
    the shift starts by pattern, the vendor blocks and the most seats on duty at once, and
    that day's own call-out blocks from the booking sheet (planning.booking.BookingRow:
    the most agents, expected agent-hours and cash, the probabilities)."""
    from scenarios.words.i18n import number, t

    calls_by = ("reserve_callout", "outsourced_surge", "temps")
    days = sorted({r[DATE] for r in roster.rows} | {b.start.date().isoformat()
                                                    for b in booking if b.kind in calls_by})
    out = []
    for d in days:
        rows = [r for r in roster.rows if r[DATE] == d]
        shifts = [r for r in rows if r[KIND] in ("shift", "in_house_shift")]
        by_pattern: dict[str, dict[str, int]] = {}
        for r in shifts:
            starts = by_pattern.setdefault(r[PATTERN], {})
            starts[_clock(r[START])] = starts.get(_clock(r[START]), 0) + r[AGENTS]
        shift_text = " · ".join(f"{p}: {', '.join(f'{c} ×{n}' for c, n in v.items())}"
                                for p, v in by_pattern.items()) or "—"
        blocks = [r for r in rows if r[KIND] == "outsourced_block"]
        block_text = ", ".join(f"{_clock(r[START])}–{_clock(r[END])} ×{r[AGENTS]}"
                               for r in blocks) or "—"
        calls = []
        for kind in calls_by:
            mine = [b for b in booking if b.kind == kind and b.start.date().isoformat() == d]
            if not mine:
                continue
            lo, hi = min(b.probability for b in mine), max(b.probability for b in mine)
            p = f"{100 * lo:.0f}%" if round(100 * lo) == round(100 * hi) else \
                f"{100 * lo:.0f}–{100 * hi:.0f}%"
            calls.append(t("roster.day.callouts", lang, lever=t(f"booking.lever.{kind}", lang),
                           blocks=len(mine), most=f"{max(b.people for b in mine):.0f}",
                           hours=number(sum(b.agent_hours for b in mine), lang, 1),
                           cash=f"{number(sum(b.cash for b in mine), lang, 0)} {currency}",
                           p=p))
        out.append([_date(d, lang), str(sum(r[AGENTS] for r in shifts)), shift_text,
                    str(_most_at_once(blocks)), block_text, "; ".join(calls) or "—"])
    header = [t(f"roster.col.{k}", lang) for k in ("date", "agent_shifts", "shifts",
                                                    "seats_most", "blocks", "callouts_day")]
    return header, out


def _most_at_once(blocks: list[list[Any]]) -> int:
    """The most seats on duty at one time among contracted blocks (overlapping blocks
    add up; blocks one after another do not)."""
    return max((sum(b[AGENTS] for b in blocks if b[START] <= a[START] < b[END])
                for a in blocks), default=0)


def rostered_shifts(roster_rows: list[list[Any]]) -> list[RosteredShift]:
    """The employees' shifts from roster.csv's rows (scenarios.run.roster.COLUMNS); a
    roster without people (``in_house_shift`` rows of k agents) gives k shifts."""
    out = []
    for r in roster_rows:
        if r[KIND] not in ("shift", "in_house_shift"):
            continue
        k = int(r[AGENTS])
        for _ in range(k):
            out.append(RosteredShift(r[EMP] or "", r[PATTERN], datetime.fromisoformat(r[START]),
                                     datetime.fromisoformat(r[END]), float(r[PAID]) / k))
    return out


PEOPLE_COLUMNS = ["employee_id", "first_date", "days", "nights", "paid_hours",
                  "hours_on_duty", "longest_run_days", "shortest_rest_hours", "shifts"]


def people_rows(sc: Scenario, people: Any, roster: Roster) -> list[list[Any]]:
    """people.csv / the workbook's per-person sheet: one row per employee (rostered or
    not) with their fortnight in numbers and their shifts as ``date start–end`` text."""
    day0 = sc.horizon.start.date()
    mine: dict[str, list[list[Any]]] = {}
    for r in roster.rows:
        if r[KIND] == "shift":
            mine.setdefault(r[EMP], []).append(r)
    out = []
    for person in people.inputs.people:
        rows = sorted(mine.get(person.employee_id, []), key=lambda r: r[START])
        dates = sorted({datetime.fromisoformat(r[DATE]).date() for r in rows})
        run = best = 0
        for i, d in enumerate(dates):
            run = run + 1 if i and (d - dates[i - 1]).days == 1 else 1
            best = max(best, run)
        rests = [(datetime.fromisoformat(b[START]) - datetime.fromisoformat(a[END]))
                 .total_seconds() / 3600 for a, b in zip(rows, rows[1:], strict=False)]
        out.append([person.employee_id,
                    (day0 + timedelta(days=person.first_day)).isoformat(), len(rows),
                    sum(1 for r in rows if _is_night(r)), sum(r[PAID] for r in rows),
                    sum(r[DUTY] for r in rows), best, min(rests) if rests else None,
                    "; ".join(f"{r[DATE][5:]} {_clock(r[START])}–{_clock(r[END])}"
                              for r in rows)])
    return out


def person_table(roster: Roster, lang: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the report's per-person table: each employee's start time per
    date ("—" off), their days, nights and paid hours — the fortnight a team lead hands
    out."""
    from scenarios.words.i18n import t

    shifts = [r for r in roster.rows if r[KIND] == "shift"]
    days = sorted({r[DATE] for r in roster.rows})
    by_person: dict[str, dict[str, list[Any]]] = {}
    for r in shifts:
        by_person.setdefault(r[EMP], {})[r[DATE]] = r
    out = []
    for pid in sorted(by_person):
        mine = by_person[pid]
        cells = [_clock(mine[d][START]) if d in mine else "—" for d in days]
        nights = sum(1 for r in mine.values() if _is_night(r))
        out.append([pid, *cells, str(len(mine)), str(nights),
                    f"{sum(r[PAID] for r in mine.values()):g}"])
    header = [t("roster.col.employee", lang), *[_short_date(d, lang) for d in days],
              t("roster.col.days", lang), t("roster.col.nights", lang),
              t("roster.col.paid_hours", lang)]
    return header, out


def _is_night(r: list[Any]) -> bool:
    """The shift's span meets 00:00–05:00 of some day (docs/formats.md's night)."""
    t0, t1 = datetime.fromisoformat(r[START]), datetime.fromisoformat(r[END])
    day = datetime(t0.year, t0.month, t0.day)
    while day < t1:
        if t0 < day + timedelta(hours=5) and t1 > day:
            return True
        day += timedelta(days=1)
    return False


def _short_date(iso: str, lang: str) -> str:
    d = datetime.fromisoformat(iso)
    return f"{d.month}/{d.day}" if lang == "zh" else d.strftime("%d %b")


def _date(iso: str, lang: str) -> str:
    d = datetime.fromisoformat(iso)
    if lang == "zh":
        return f"{d.month}月{d.day}日（{'一二三四五六日'[d.weekday()]}）"
    return d.strftime("%a %d %b")


def roster_section(ctx: Any, res: Any, plan: MixPlan, doc: dict[str, Any],
                   people: Any = None) -> Roster:
    """Add the roster (table, roster.csv / sheet, headline, summary) and the plan's key
    facts (hires, the value of one more agent, the value of the stochastic solution) to
    the mix stage's result."""
    from scenarios.adapters.plan_check import reserve_show_up
    from scenarios.run.stage import Headline, ReportTable, Table
    from scenarios.words.i18n import number

    sc, lang, cur = ctx.scenario, ctx.lang, ctx.scenario.currency
    from scenarios.run.booking import booking_section

    roster = build_roster(sc, plan, reserve_show_up(sc), people)
    s = roster.summary
    res.summary["roster"] = s
    res.tables.append(Table("roster", ctx.t("roster.title"), COLUMNS, roster.rows))
    booking = booking_section(ctx, res, plan, rostered_shifts(roster.rows))
    header, rows = day_table(roster, lang, booking, cur)
    res.report_tables.append(ReportTable(ctx.t("roster.title"), header, rows, wrap=(2, 4, 5),
                                         note=ctx.t("roster.note_booking")))
    if people is not None:
        rule_warnings(ctx, res, s)
        res.tables.append(Table("people", ctx.t("roster.people_title"), PEOPLE_COLUMNS,
                                people_rows(sc, people, roster)))
        header, rows = person_table(roster, lang)
        res.report_tables.append(ReportTable(
            ctx.t("roster.people_title"), header, rows,
            note=ctx.t("roster.people_note", people=s["people"],
                       rest=f"{s['rules']['min_rest_hours']:g}",
                       days=s["rules"]["max_consecutive_days"],
                       nights=s["rules"]["max_nights_in_a_row"],
                       hours=f"{s['rules']['max_paid_hours_per_week']:g}",
                       broken=len(s["rule_violations"]))))
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
              ctx.t("roster.fact.outsourced_most", blocks=s["outsourced_blocks"],
                    most=_most_at_once([r for r in roster.rows
                                        if r[KIND] == "outsourced_block"]),
                    hours=number(s["outsourced_seat_hours"], lang))],
             [ctx.t("roster.fact.reserve"), reserve_fact(ctx, s["reserve_pool"], booking)]]
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


def reserve_fact(ctx: Any, size: int, booking: list[Any]) -> str:
    """The reserve in one phrase: its size, its training date and its call-out blocks
    (from the booking sheet)."""
    from scenarios.run.booking import moment

    pool = next((b for b in booking if b.kind == "reserve_pool"), None)
    if pool is None:
        return ctx.t("roster.fact.reserve_none", n=size)
    return ctx.t("roster.fact.reserve_trained", n=size, by=moment(pool.order_by, ctx.lang),
                 blocks=sum(1 for b in booking if b.kind == "reserve_callout"))


def rule_warnings(ctx: Any, res: Any, s: dict[str, Any]) -> None:
    """One warning per rule the roster could not keep: the rule, how many people, the
    dates (never silently broken)."""
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for v in s["rule_violations"]:
        by_rule.setdefault(v["rule"], []).append(v)
    for rule, vs in by_rule.items():
        if rule == "coverage":
            res.warnings.append(ctx.t("roster.unfilled", n=f"{sum(v['amount'] for v in vs):g}",
                                      dates=", ".join(sorted({d for v in vs
                                                              for d in v["dates"]}))))
            continue
        people = sorted({v["employee_id"] for v in vs if v["employee_id"]})
        dates = sorted({d for v in vs for d in v["dates"]})
        res.warnings.append(ctx.t("roster.rule_broken", rule=rule, n=len(people) or len(vs),
                                  who=", ".join(people[:5]) + (" …" if len(people) > 5 else ""),
                                  dates=", ".join(dates)))
