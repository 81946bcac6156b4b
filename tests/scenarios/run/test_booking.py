"""The booking sheet (booking.csv) re-derived, row by row, by a reader written here.

References (none of them the code under test):
- roster.csv — the employees' shifts (grouped per start and pattern) and the contracted
  vendor blocks (start, seats);
- recourse_orders.csv — the plan's call-outs, surge seats and temps per demand scenario and
  interval, with the scenarios' probabilities from summary.json; plan.csv's expected
  columns cross-check the expected hours;
- the scenario file's notice and lead times and prices: order-by = start − notice,
  reserve training date = first call-out − training lead, hire-by = first paid day −
  hiring lead, the plan fixed ``decided_days_before`` the start;
- the trigger: the contacts each demand scenario has shown by the decision time, from
  demand.csv (the probability-weighted point forecast) × the scenario's multiplier over
  the forecast (summary.json; ``uncertainty.applies_to: all`` scales every interval), and
  the midpoint between the calling and the other scenarios.
Conservation: cash + quality charge per pool = the plan's cost by pool, and with the
shortfall penalty they make its expected cost.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from scenarios import load_scenario

from .conftest import read_rows

EPS = 1e-6



def _t(text: str) -> datetime:
    return datetime.fromisoformat(text)


def recourse_and_seen(folder: Path, starts: list[datetime]):
    """(scenario names, probabilities, recourse per lever (S, T) from recourse_orders.csv,
    seen_at(decision time) → the contacts each scenario has shown by then: its multiplier
    over the forecast × the point forecast of demand.csv summed over the intervals before,
    nothing before the horizon)."""
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    mix = summary["stages"]["mix"]["summary"]
    names = [s["name"] for s in mix["scenarios"]]
    p = np.array([s["probability"] for s in mix["scenarios"]])
    pos = {s: i for i, s in enumerate(starts)}
    orders = {k: np.zeros((len(names), len(starts)))
              for k in ("reserve", "outsourced_surge", "temps")}
    for r in read_rows(folder / "recourse_orders.csv"):
        for k, arr in orders.items():
            arr[names.index(r["scenario"]), pos[_t(r["interval_start"])]] = float(r[k])
    by_name = {s["name"]: s["multiplier"]
               for s in summary["stages"]["simulation"]["summary"]["by_demand_scenario"]}
    mult = np.array([by_name[n] for n in names]) / float(p @ [by_name[n] for n in names])
    per_interval = defaultdict(float)
    for r in read_rows(folder / "demand.csv"):
        per_interval[_t(r["interval_start"])] += float(r["expected_contacts"])
    point = np.cumsum([0.0] + [per_interval[s] for s in starts])
    step = starts[1] - starts[0]

    def seen_at(decide: datetime) -> np.ndarray:
        d = int(round((decide - starts[0]) / step))
        return mult * point[min(max(d, 0), len(starts))]

    return names, p, orders, seen_at


def expected_rows(folder: Path, scenario: Path) -> dict[tuple, dict]:
    """The booking sheet as this reader derives it: key (kind, start, pattern) → fields."""
    sc = load_scenario(scenario)
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    mix = summary["stages"]["mix"]["summary"]
    plan = read_rows(folder / "plan.csv")
    starts = [_t(r["interval_start"]) for r in plan]
    step = starts[1] - starts[0]
    dt = step.total_seconds() / 3600.0
    end = starts[-1] + step
    decided = starts[0] - timedelta(days=sc.planning.decided_days_before)
    roster = read_rows(folder / "roster.csv")
    out: dict[tuple, dict] = {}

    # in-house: employees per shift start, salaries, hires
    e = sc.pools["in_house"].employment
    salaried = e.pay == "salaried"
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for r in roster:
        if r["kind"] == "shift":
            groups[(r["start"], r["pattern"])].append(r)
    for (start, pattern), rows in groups.items():
        paid = sum(float(r["paid_hours"]) for r in rows)
        out[("in_house_shift", _t(start), pattern)] = dict(
            order_by=decided, end=_t(rows[0]["end"]), people=len(rows), agent_hours=paid,
            cash=0.0 if salaried else e.cost_per_paid_hour * paid, quality_charge=0.0,
            probability=1.0)
    days = (end - starts[0]).days

    def hours_per_agent(first_day: int) -> float:  # salaried: W × min(D, days) / D per week
        total = 0.0
        for w in range(0, days, 7):
            employed = len([d for d in range(w, min(w + 7, days)) if d >= first_day])
            total += e.paid_hours_per_week * min(e.max_days_per_week, employed) / \
                e.max_days_per_week
        return total

    if salaried:
        h = e.headcount * hours_per_agent(0)
        out[("in_house_pay", starts[0], "")] = dict(
            order_by=decided, end=end, people=e.headcount, agent_hours=h,
            cash=e.cost_per_paid_hour * h, quality_charge=0.0, probability=1.0)
    if mix["hires"]:
        first_day = math.ceil(max(0.0, e.hire_lead_days - sc.planning.decided_days_before))
        first = starts[0] + timedelta(days=first_day)
        h = mix["hires"] * hours_per_agent(first_day) if salaried else 0.0
        out[("hires", first, "")] = dict(
            order_by=first - timedelta(days=e.hire_lead_days), end=end, people=mix["hires"],
            agent_hours=h, cash=mix["hires"] * e.hire_cost + e.cost_per_paid_hour * h,
            quality_charge=0.0, probability=1.0)

    # the vendor's contracted blocks: ordered `notice_days` before they start, paid whole
    op = sc.pools["outsourced"]
    c = op.contract
    for r in roster:
        if r["kind"] == "outsourced_block":
            seats, t0 = int(r["agents"]), _t(r["start"])
            h = seats * c.block_hours
            out[("outsourced_block", t0, "")] = dict(
                order_by=t0 - timedelta(days=c.notice_days),
                end=t0 + timedelta(hours=c.block_hours), people=seats, agent_hours=h,
                cash=c.price * h, quality_charge=op.quality_cost_per_hour * h, probability=1.0)

    # the call-outs, per demand scenario and interval, and the contacts seen
    names, p, orders, seen_at = recourse_and_seen(folder, starts)

    def rule(called: np.ndarray, decide: datetime) -> dict:
        if called.all():
            return {"trigger": "firm"}
        seen = seen_at(decide)
        yes, no = seen[called], seen[~called]
        if yes.min() > no.max():
            return {"trigger": "above", "trigger_contacts": (yes.min() + no.max()) / 2}
        if yes.max() < no.min():
            return {"trigger": "below", "trigger_contacts": (yes.max() + no.min()) / 2}
        # no threshold: the "above" rule misjudging the least probability (midpoints)
        order = np.argsort(seen)
        best = min((round(float(p[order[:i]][called[order[:i]]].sum()  # ties: lowest
                                + p[order[i:]][~called[order[i:]]].sum()), 9),
                    (seen[order[i - 1]] + seen[order[i]]) / 2) for i in range(1, len(seen)))
        return {"trigger": "mixed", "trigger_contacts": best[1], "trigger_mismatch": best[0]}

    def add(kind: str, arr: np.ndarray, t: int, e_: int, notice_h: float, price: float,
            quality: float, per_agent: float = 1.0) -> None:
        seg = arr[:, t:e_]
        called = (seg > EPS).any(axis=1)
        hours = float(p @ seg.sum(axis=1)) * dt
        # plan.csv's expected column (rounded to 4 places) gives the same hours
        col = "reserve" if kind == "reserve_callout" else kind
        assert hours == pytest.approx(sum(float(plan[i][col]) for i in range(t, e_)) * dt,
                                      abs=1e-3 * (e_ - t))
        decide = starts[t] - timedelta(hours=notice_h)
        out[(kind, starts[t], "")] = dict(
            order_by=decide, end=starts[e_ - 1] + step,
            people=math.ceil(seg.max() / per_agent - EPS), agent_hours=hours,
            cash=price * hours, quality_charge=quality * hours,
            probability=float(p[called].sum()), **rule(called, decide))

    def blocks(kind: str, arr: np.ndarray, hours: float, notice_h: float, price: float,
               quality: float, per_agent: float = 1.0) -> None:
        n_block = round(hours / dt)
        for t in range(0, len(starts), n_block):
            e_ = min(t + n_block, len(starts))
            if (arr[:, t:e_] > EPS).any():
                add(kind, arr, t, e_, notice_h, price, quality, per_agent)

    blocks("outsourced_surge", orders["outsourced_surge"], c.block_hours,
           c.surge_notice_hours, c.price * c.surge_premium, op.quality_cost_per_hour)
    rp = sc.pools["reserve"]
    oc = rp.on_call
    show_up = rp.default("reserve", "show_up")
    blocks("reserve_callout", orders["reserve"], oc.callout_hours, oc.notice_hours,
           oc.activation_per_hour, rp.quality_cost_per_hour, show_up)
    if mix["reserve_pool"]:
        first = min(k[1] for k in out if k[0] == "reserve_callout")
        out[("reserve_pool", first, "")] = dict(
            order_by=first - timedelta(days=oc.training_lead_days), end=end,
            people=mix["reserve_pool"], agent_hours=0.0,
            cash=mix["reserve_pool"] * (oc.retainer + oc.training_cost), quality_charge=0.0,
            probability=1.0)
    # temps: runs of intervals with temps in the same scenarios
    tp = sc.pools["temps"]
    used = orders["temps"] > EPS
    t = 0
    while t < len(starts):
        if not used[:, t].any():
            t += 1
            continue
        e_ = t + 1
        while e_ < len(starts) and (used[:, e_] == used[:, t]).all():
            e_ += 1
        add("temps", orders["temps"], t, e_, tp.temp_hire.notice_hours,
            tp.temp_hire.price_per_hour, tp.quality_cost_per_hour)
        t = e_
    return out


NUMBERS = ("people", "agent_hours", "cash", "quality_charge", "probability",
           "trigger_contacts", "trigger_mismatch")


def test_booking_sheet_rederived(mini_and_flagship: tuple[Path, Path]) -> None:
    folder, scenario = mini_and_flagship
    want = expected_rows(folder, scenario)
    got = {(r["kind"], _t(r["start"]), r["pattern"]): r for r in read_rows(folder / "booking.csv")}
    assert sorted(got) == sorted(want)
    for key, w in want.items():
        g = got[key]
        assert _t(g["order_by"]) == w["order_by"], key
        assert _t(g["end"]) == w["end"], key
        assert g["date"] == key[1].date().isoformat()
        assert g["trigger"] == w.get("trigger", "firm"), key
        for f in NUMBERS:  # the CSV keeps 6 decimals, contacts 2
            if f in w:
                assert float(g[f]) == pytest.approx(w[f], rel=1e-6, abs=6e-3), (key, f)
    rules = {w.get("trigger", "firm") for w in want.values()}
    assert "above" in rules  # the plan's rule is a volume threshold somewhere


def test_every_call_out_reads_one_volume_threshold(
        mini_and_flagship: tuple[Path, Path]) -> None:
    """The plan's recourse is a monotone rule in the contacts seen by the notice time
    (planning.mix_model.add_monotone_recourse): per decision, the amount each scenario
    calls never falls as the contacts it has shown rise, so one volume threshold reproduces
    every scenario's decision — no `mixed` (nor `below`) row in booking.csv.
    Reference: this module's reader (recourse_orders.csv; contacts seen from demand.csv ×
    the scenario multipliers; blocks aligned on their length from the horizon start,
    decided their notice before), not the plan's own ordering."""
    folder, scenario = mini_and_flagship
    sc = load_scenario(scenario)
    starts = [_t(r["interval_start"]) for r in read_rows(folder / "plan.csv")]
    step_h = (starts[1] - starts[0]).total_seconds() / 3600.0
    _, _, orders, seen_at = recourse_and_seen(folder, starts)
    c = sc.pools["outsourced"].contract
    oc = sc.pools["reserve"].on_call
    levers = {"outsourced_surge": (c.block_hours, c.surge_notice_hours),
              "reserve": (oc.callout_hours, oc.notice_hours),
              "temps": (step_h, sc.pools["temps"].temp_hire.notice_hours)}
    bad = []
    for lever, (block_h, notice_h) in levers.items():
        arr, n_block = orders[lever], round(block_h / step_h)
        for t in np.flatnonzero(arr.max(axis=0) > EPS):
            first = starts[(t // n_block) * n_block]
            seen = seen_at(first - timedelta(hours=notice_h))
            order = np.argsort(seen, kind="stable")
            v, y = seen[order], arr[order, t]
            for i in range(1, v.size):
                if y[i] < y[i - 1] - 1e-5 or (v[i] == v[i - 1] and abs(y[i] - y[i - 1]) > 1e-5):
                    bad.append((lever, starts[t].isoformat(), float(v[i - 1]), float(v[i]),
                                float(y[i - 1]), float(y[i])))
    assert bad == []
    rules = defaultdict(int)
    for r in read_rows(folder / "booking.csv"):
        rules[r["trigger"]] += 1
    assert rules["mixed"] == 0 and rules["below"] == 0, dict(rules)
    assert rules["above"] > 0


def test_booking_cash_is_the_plan_cost(mini_and_flagship: tuple[Path, Path]) -> None:
    """Conservation: Σ cash + quality charge per pool = the plan's cost by pool (the
    vendor's surge seats with its blocks); with the shortfall penalty, the expected cost."""
    folder, _ = mini_and_flagship
    cost = json.loads((folder / "summary.json").read_text(encoding="utf-8"))[
        "stages"]["mix"]["summary"]["cost"]
    by_pool: dict[str, float] = defaultdict(float)
    for r in read_rows(folder / "booking.csv"):
        by_pool[r["pool"]] += float(r["cash"]) + float(r["quality_charge"])
    plan = dict(cost["by_pool"])
    plan["outsourced"] = plan.get("outsourced", 0.0) + plan.pop("outsourced_surge", 0.0)
    assert by_pool.keys() == plan.keys()
    for pool, v in plan.items():
        assert by_pool[pool] == pytest.approx(v, abs=0.02), pool
    assert sum(by_pool.values()) + cost["shortfall_penalty"] == pytest.approx(
        cost["total"], abs=0.05)


def test_booking_sheet_in_the_workbook_and_the_report(mini_runs: dict[str, Path]) -> None:
    """results.xlsx's booking sheet holds the CSV's cells; both reports show the booking
    tables, a trigger sentence for a call-out, and no call-out window in the day table that
    runs past its own day."""
    from openpyxl import load_workbook

    folder = mini_runs["en"]
    rows = read_rows(folder / "booking.csv")
    ws = load_workbook(folder / "results.xlsx", read_only=True)["booking"]
    sheet = [list(r) for r in ws.iter_rows(values_only=True)]
    assert sheet[0] == list(rows[0].keys())
    assert len(sheet) == len(rows) + 1
    for cells, row in zip(sheet[1:], rows, strict=True):  # numbers as numbers
        for c, text in zip(cells, row.values(), strict=True):
            if isinstance(c, int | float):
                assert c == pytest.approx(float(text))
            else:
                assert (c or "") == text
    words = {"en": ("Booking sheet", "Call-outs: when to decide", "contacts since"),
             "zh": ("预订清单", "调用：何时决定", "话务量超过")}
    for lang, needles in words.items():
        html = (mini_runs[lang] / "report.html").read_text(encoding="utf-8")
        for w in needles:
            assert w in html, (lang, w)
        assert "sum over blocks" not in html and "各块合计" not in html


def test_call_out_table_merges_firm_runs_and_keeps_the_most_cash() -> None:
    """Hand-made rows: three consecutive firm reserve blocks make one line (hours and cash
    summed, the most agents); of 45 triggered temps lines the 40 with the most cash stay,
    in the order their decision is due."""
    from types import SimpleNamespace

    from planning.booking import BookingRow, Trigger
    from scenarios.run.booking import MAX_CALLOUT_LINES, callout_table
    from scenarios.words.i18n import t

    ctx = SimpleNamespace(lang="en", scenario=SimpleNamespace(currency="CNY"),
                          t=lambda key, **kw: t(key, "en", **kw))
    t0 = datetime(2026, 11, 11)
    firm = [BookingRow("reserve", "reserve_callout", t0 + timedelta(hours=4 * k),
                       t0 + timedelta(hours=4 * k + 4), t0 + timedelta(hours=4 * k - 2),
                       k + 1, 1.0, 4.0, 160.0, 8.0, 1.0) for k in range(3)]
    above = Trigger("above", t0, 100.0, 10.0, 1.1, 110.0, 90.0)
    temps = [BookingRow("temps", "temps", t0 + timedelta(hours=k), t0 + timedelta(hours=k + 1),
                        t0 + timedelta(hours=k - 4), 1, 0.5, 0.5, float(k), 0.0, 0.5, above)
             for k in range(45)]
    header, lines, left = callout_table(ctx, firm + temps)
    assert len(header) == 7 and len(lines) == MAX_CALLOUT_LINES and left == 6
    merged = [ln for ln in lines if ln[1] == "reserve call-out"]
    assert merged == [["10 Nov 22:00", "reserve call-out", "11 Nov 00:00–12:00",
                       "up to 3; 12.0 agent-hours expected", "always (every demand scenario)",
                       "100%", "480 CNY"]]
    cash = [int(ln[6].split()[0].replace(",", "")) for ln in lines if ln[1] == "temps"]
    assert cash == list(range(6, 45))  # the five smallest (and the merged line's rank) out
    assert "contacts since 11 Nov 00:00 above 100 (10 an hour; 1.10 × the forecast)" in \
        lines[-1][4]


def test_trigger_sentences_for_every_rule() -> None:
    """Each rule gets its sentence in both languages (mixed with and without a closest
    threshold), none of them with a placeholder left."""
    from types import SimpleNamespace

    from planning.booking import BookingRow, Trigger
    from scenarios.run.booking import trigger_text
    from scenarios.words.i18n import t

    t0 = datetime(2026, 11, 11)
    rules = [Trigger("firm"), Trigger("known"), Trigger("mixed", t0, seen_called=5.0,
                                                         seen_other=5.0),
             Trigger("mixed", t0, 100.0, 10.0, 1.1, 90.0, 120.0, 0.25),
             Trigger("above", t0, 100.0, 10.0, 1.1, 110.0, 90.0),
             Trigger("below", t0, 100.0, 10.0, 1.1, 90.0, 110.0)]
    for lang in ("en", "zh"):
        ctx = SimpleNamespace(lang=lang, t=lambda key, lang=lang, **kw: t(key, lang, **kw))
        texts = [trigger_text(ctx, BookingRow("temps", "temps", t0, t0, t0, 1, 1, 1, 1, 0,
                                              0.5, g)) for g in rules]
        assert len(set(texts)) == len(rules) and not any("{" in x for x in texts)
    assert "25%" in texts[3] and "100" in texts[3]
