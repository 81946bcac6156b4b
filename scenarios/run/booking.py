"""The booking sheet as a file and a report section: booking.csv (and sheet ``booking`` of
results.xlsx), built by planning.booking from the plan, the roster and the scenario's
notice and lead times (docs/formats.md §1, "Booking sheet"; docs/report.md).

The report shows it in two tables: what to sign before the peak (salaries and hires,
vendor blocks per day with their order-by times, the reserve with its training date),
then every call-out in the order its decision is due, with the trigger that decides it,
its probability and its cash.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from planning.booking import BookingRow, RosteredShift, booking_rows
from planning.mix import MixPlan
from scenarios.schema import Scenario

COLUMNS = ["pool", "kind", "date", "start", "end", "order_by", "pattern", "people",
           "people_expected", "agent_hours", "cash", "quality_charge", "probability",
           "trigger", "seen_from", "trigger_contacts", "trigger_per_hour",
           "trigger_vs_forecast", "seen_called", "seen_other", "trigger_mismatch"]
RECOURSE = ("reserve_callout", "outsourced_surge", "temps")
#: call-out lines the report lists before pointing to booking.csv for the rest
MAX_CALLOUT_LINES = 40


def _iso(t: datetime | None) -> str | None:
    return None if t is None else t.isoformat(timespec="minutes")


def _r(x: float | None, nd: int = 6) -> float | None:
    return None if x is None else round(float(x), nd)


def csv_rows(rows: list[BookingRow]) -> list[list[Any]]:
    """booking.csv rows in ``COLUMNS`` order."""
    out = []
    for b in rows:
        g = b.trigger
        out.append([b.pool, b.kind, b.start.date().isoformat(), _iso(b.start), _iso(b.end),
                    _iso(b.order_by), b.pattern or None, _r(b.people), _r(b.people_expected),
                    _r(b.agent_hours), _r(b.cash), _r(b.quality_charge), _r(b.probability),
                    g.rule, _iso(g.seen_from), _r(g.contacts, 2), _r(g.per_hour, 2),
                    _r(g.vs_forecast), _r(g.seen_called, 2), _r(g.seen_other, 2),
                    _r(g.mismatch)])
    return out


def build_booking(sc: Scenario, plan: MixPlan, shifts: list[RosteredShift]
                  ) -> list[BookingRow]:
    """The plan's booking rows (scenarios.adapters.to_booking for the terms and the volumes;
    ``shifts``: the roster's, scenarios.run.roster.rostered_shifts)."""
    from scenarios.adapters.to_booking import booking_inputs, scenario_volumes

    volume = scenario_volumes(sc, plan.scenario_names) if len(plan.scenario_names) > 1 \
        else None
    return booking_rows(plan, booking_inputs(sc, volume), shifts)


def booking_summary(rows: list[BookingRow]) -> dict[str, Any]:
    """summary.json's numbers: cash and quality charge by pool, rows and triggers by kind."""
    by_pool: dict[str, dict[str, float]] = {}
    for b in rows:
        d = by_pool.setdefault(b.pool, {"cash": 0.0, "quality_charge": 0.0})
        d["cash"] += b.cash
        d["quality_charge"] += b.quality_charge
    kinds: dict[str, dict[str, int]] = {}
    for b in rows:
        k = kinds.setdefault(b.kind, {"rows": 0})
        k["rows"] += 1
        if b.kind in RECOURSE:
            k[b.trigger.rule] = k.get(b.trigger.rule, 0) + 1
    reserve = next((b for b in rows if b.kind == "reserve_pool"), None)
    return {"cash": round(sum(d["cash"] for d in by_pool.values()), 2),
            "reserve_train_by": reserve.order_by.isoformat() if reserve else None,
            "quality_charge": round(sum(d["quality_charge"] for d in by_pool.values()), 2),
            "by_pool": {p: {k: round(v, 2) for k, v in d.items()} for p, d in by_pool.items()},
            "kinds": kinds}


# ---- the report section ---------------------------------------------------------------

def moment(t: datetime, lang: str) -> str:
    """A date and time as the report writes it (``11 Nov 08:00``, ``11月11日 08:00``)."""
    if lang == "zh":
        return f"{t.month}月{t.day}日 {t:%H:%M}"
    return f"{t.day} {t:%b %H:%M}"


def _span(a: datetime, b: datetime, lang: str) -> str:
    same = (b - a).total_seconds() <= 86400 and (a.date() == b.date() or b.strftime(
        "%H:%M") == "00:00")
    return f"{moment(a, lang)}–{b:%H:%M}" if same else f"{moment(a, lang)} – {moment(b, lang)}"


def sign_table(ctx: Any, rows: list[BookingRow]) -> tuple[list[str], list[list[str]]]:
    """Before the peak: pay and hires, vendor blocks per day, the reserve."""
    from scenarios.words.i18n import number

    lang, cur = ctx.lang, ctx.scenario.currency

    def money(x: float) -> str:
        return f"{number(x, lang, 0)} {cur}"

    out = []
    shifts = [b for b in rows if b.kind == "in_house_shift"]
    for b in rows:
        if b.kind == "in_house_pay":
            out.append([ctx.t("booking.what.in_house_pay", n=number(b.people, lang),
                              hours=number(b.agent_hours, lang)),
                        moment(b.order_by, lang), money(b.cash)])
        elif b.kind == "hires":
            out.append([ctx.t("booking.what.hires", n=number(b.people, lang),
                              first=moment(b.start, lang)),
                        moment(b.order_by, lang), money(b.cash)])
    if shifts:
        days = sorted({b.start.date() for b in shifts})
        out.append([ctx.t("booking.what.shifts", n=number(sum(b.people for b in shifts), lang),
                          days=len(days)),
                    moment(shifts[0].order_by, lang),
                    money(sum(b.cash for b in shifts)) if any(b.cash for b in shifts)
                    else ctx.t("booking.in_pay")])
    blocks = [b for b in rows if b.kind == "outsourced_block"]
    for day in sorted({b.start.date() for b in blocks}):
        mine = [b for b in blocks if b.start.date() == day]
        text = ", ".join(f"{b.start:%H:%M}–{b.end:%H:%M} ×{b.people:.0f}" for b in mine)
        by = (moment(mine[0].order_by, lang) if len(mine) == 1 else
              f"{moment(mine[0].order_by, lang)} – {moment(mine[-1].order_by, lang)}")
        out.append([ctx.t("booking.what.blocks", day=moment(mine[0].start, lang)[:-6],
                          blocks=text,
                          seat_hours=number(sum(b.agent_hours for b in mine), lang)),
                    by, money(sum(b.cash for b in mine))])
    for b in rows:
        if b.kind == "reserve_pool":
            out.append([ctx.t("booking.what.reserve", n=number(b.people, lang),
                              first=moment(b.start, lang)),
                        moment(b.order_by, lang), money(b.cash)])
    header = [ctx.t(f"booking.col.{k}") for k in ("what", "by", "cash")]
    return header, out


def trigger_text(ctx: Any, b: BookingRow) -> str:
    """The rule that decides a call-out, in words."""
    from scenarios.words.i18n import number

    g, lang = b.trigger, ctx.lang
    if g.rule in ("firm", "known"):
        return ctx.t(f"booking.trigger.{g.rule}")
    if g.contacts is None:  # mixed, and every scenario has seen the same by then
        return ctx.t("booking.trigger.mixed_alike")
    text = ctx.t(f"booking.trigger.{'above' if g.rule == 'mixed' else g.rule}",
                 since=moment(g.seen_from, lang), contacts=number(g.contacts, lang),
                 rate=number(g.per_hour, lang) if g.per_hour is not None else "—",
                 ratio=f"{g.vs_forecast:.2f}" if g.vs_forecast is not None else "—")
    if g.rule == "mixed":
        return ctx.t("booking.trigger.mixed_closest", rule=text,
                     share=f"{100 * g.mismatch:.0f}%")
    return text


def callout_table(ctx: Any, rows: list[BookingRow]
                  ) -> tuple[list[str], list[list[str]], int]:
    """Call-outs in the order their decision is due; consecutive firm blocks of one lever
    are one line (their span, most agents, hours and cash summed). Beyond
    MAX_CALLOUT_LINES lines, those with the most cash. Returns the header, the lines and
    the number of lines left out."""
    from scenarios.words.i18n import number

    lang, cur = ctx.lang, ctx.scenario.currency
    calls = sorted((b for b in rows if b.kind in RECOURSE), key=lambda b: (b.order_by,
                                                                           b.start, b.kind))
    merged: list[list[BookingRow]] = []
    latest: dict[str, list[BookingRow]] = {}  # each lever's latest line
    for b in calls:
        run = latest.get(b.kind)
        if (run is not None and b.trigger.rule == "firm" and run[-1].trigger.rule == "firm"
                and run[-1].end == b.start):
            run.append(b)
        else:
            latest[b.kind] = [b]
            merged.append(latest[b.kind])
    if len(merged) > MAX_CALLOUT_LINES:  # the lines with the most cash, in time order
        cash = sorted((sum(b.cash for b in g) for g in merged), reverse=True)
        floor = cash[MAX_CALLOUT_LINES - 1]
        kept = [g for g in merged if sum(b.cash for b in g) >= floor][:MAX_CALLOUT_LINES]
    else:
        kept = merged
    lines = []
    for group in kept:
        a, z = group[0], group[-1]
        most = max(b.people for b in group)
        lines.append([moment(a.order_by, lang), ctx.t(f"booking.lever.{a.kind}"),
                      _span(a.start, z.end, lang),
                      ctx.t("booking.agents", most=f"{most:.0f}",
                            hours=number(sum(b.agent_hours for b in group), lang, 1)),
                      trigger_text(ctx, a),
                      f"{100 * min(b.probability for b in group):.0f}%",
                      f"{number(sum(b.cash for b in group), lang, 0)} {cur}"])
    header = [ctx.t(f"booking.col.{k}") for k in ("decide_by", "lever", "when", "agents",
                                                   "trigger", "probability", "cash")]
    return header, lines, len(merged) - len(kept)


def booking_section(ctx: Any, res: Any, plan: MixPlan, shifts: list[RosteredShift]
                    ) -> list[BookingRow]:
    """Add booking.csv (and its sheet), the two report tables and the summary numbers to
    the mix stage's result."""
    from scenarios.run.stage import ReportTable, Table
    from scenarios.words.i18n import number

    rows = build_booking(ctx.scenario, plan, shifts)
    res.tables.append(Table("booking", ctx.t("booking.title"), COLUMNS, csv_rows(rows)))
    s = booking_summary(rows)
    res.summary["booking"] = s
    cur = ctx.scenario.currency
    header, sign = sign_table(ctx, rows)
    res.report_tables.append(ReportTable(
        ctx.t("booking.title"), header, sign, wrap=(0,),
        note=ctx.t("booking.note", cash=f"{number(s['cash'], ctx.lang, 0)} {cur}",
                   quality=f"{number(s['quality_charge'], ctx.lang, 0)} {cur}")))
    header, lines, left = callout_table(ctx, rows)
    if lines:
        note = ctx.t("booking.callout_note")
        if left:
            note += " " + ctx.t("booking.more", n=left)
        res.report_tables.append(ReportTable(ctx.t("booking.callouts"), header, lines,
                                             wrap=(2, 4), note=note))
    return rows
