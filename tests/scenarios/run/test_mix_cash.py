"""Cash apart from the notional charges (issue 24): the mix's cash, quality charge and
shortfall penalty each re-derived from the results folder's CSVs and the scenario's
prices, and cash + quality + penalty = the expected cost the MILP minimised.

Reference: the MILP's own terms (docs/planning.md, planning/mix_model.add_objective),
priced here by hand from the files a planner has — roster.csv (outsourced blocks),
recourse_orders.csv (each demand scenario's call-outs, surge seats and temps per
interval), plan.csv (expected shortfall per interval, both rows), summary.json (the reserve's
size, the hires, the scenarios' probabilities) — and the scenario's prices; nothing is
taken from the cost the stage computed. Run on the shared mini-peak run and on the
flagship's --quick run.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from pathlib import Path

import pytest

from scenarios import load_scenario

from .conftest import read_rows


def by_hand(folder: Path, scenario: Path) -> dict[str, float]:
    """Cash, quality charge and shortfall penalty of the plan in ``folder``."""
    sc = load_scenario(scenario)
    mix = json.loads((folder / "summary.json").read_text(encoding="utf-8"))[
        "stages"]["mix"]["summary"]
    dt = sc.horizon.interval_minutes / 60.0
    prob = {s["name"]: s["probability"] for s in mix["scenarios"]}
    pools = sc.pools
    cash = quality = 0.0
    # in-house, salaried: every employed agent's paid hours over the 7-day blocks of the
    # horizon (W × min(D, days in the block) / D); each hire costs its hiring cost and its
    # paid hours from its first day the same way: the plan is decided decided_days_before
    # the start, a hire starts hire_lead_days after that decision
    e = pools["in_house"].employment
    days, w, d = sc.horizon.days, e.paid_hours_per_week, e.max_days_per_week
    blocks = [range(k, min(k + 7, days)) for k in range(0, days, 7)]
    assert e.pay == "salaried"  # both bundled cases
    employed = sum(w * min(d, len(b)) / d for b in blocks)
    first = math.ceil(max(0.0, e.hire_lead_days - sc.planning.decided_days_before) - 1e-9)
    hired = sum(w * min(d, sum(1 for x in b if x >= first)) / d for b in blocks)
    cash += e.cost_per_paid_hour * (e.headcount * employed + mix["hires"] * hired)
    cash += e.hire_cost * mix["hires"]
    # outsourced blocks: seats × block hours × (price + quality charge)
    o = pools["outsourced"]
    seats = sum(int(r["agents"]) for r in read_rows(folder / "roster.csv")
                if r["kind"] == "outsourced_block")
    block_h = o.contract.block_hours
    cash += seats * block_h * o.contract.price
    quality += seats * block_h * o.quality_cost_per_hour
    # the reserve: retainer and training per trained agent; call-outs per agent-hour
    r = pools["reserve"]
    cash += (r.on_call.retainer + r.on_call.training_cost) * mix["reserve_pool"]
    hours: dict[str, float] = defaultdict(float)
    for row in read_rows(folder / "recourse_orders.csv"):
        p = prob[row["scenario"]] * dt
        for pool in ("reserve", "outsourced_surge", "temps"):
            hours[pool] += p * float(row[pool])
    cash += hours["reserve"] * r.on_call.activation_per_hour
    quality += hours["reserve"] * r.quality_cost_per_hour
    cash += hours["outsourced_surge"] * o.contract.price * o.contract.surge_premium
    quality += hours["outsourced_surge"] * o.quality_cost_per_hour
    t = pools["temps"]
    cash += hours["temps"] * t.temp_hire.price_per_hour
    quality += hours["temps"] * t.quality_cost_per_hour
    # shortfall: expected missing agents per interval, both rows, × penalty per hour
    plan = read_rows(folder / "plan.csv")
    short = sum(float(x["shortfall"]) + float(x["in_house_shortfall"]) for x in plan)
    penalty = short * dt * sc.planning.shortfall_penalty_per_hour
    # plan.csv rounds to 4 decimals: the penalty's allowance
    tol = len(plan) * 2 * 0.5e-4 * dt * sc.planning.shortfall_penalty_per_hour + 1.0
    return {"cash": cash, "quality": quality, "penalty": penalty, "tol": tol}


def test_cash_quality_penalty_add_up_to_the_expected_cost(mini_and_flagship: tuple[Path, Path]) -> None:
    folder, scenario = mini_and_flagship
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    cost = summary["stages"]["mix"]["summary"]["cost"]
    ref = by_hand(folder, scenario)
    assert cost["cash"] == pytest.approx(ref["cash"], abs=1.0)
    assert cost["quality"] == pytest.approx(ref["quality"], abs=1.0)
    assert cost["shortfall_penalty"] == pytest.approx(ref["penalty"], abs=ref["tol"])
    total = ref["cash"] + ref["quality"] + ref["penalty"]
    assert summary["stages"]["mix"]["summary"]["objective"] == pytest.approx(
        total, abs=ref["tol"] + 2.0)
    assert summary["headlines"]["mix.cash_cost"] == pytest.approx(ref["cash"], abs=1.0)
    assert summary["headlines"]["mix.expected_cost"] == pytest.approx(total,
                                                                      abs=ref["tol"] + 2.0)


def test_report_shows_cash_and_total_on_their_own_lines(mini_and_flagship: tuple[Path, Path]) -> None:
    """The decision line and the cost table carry cash, quality charge and penalty each,
    and every single-source plan is compared on cash and on the total."""
    folder, _ = mini_and_flagship
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    mix = summary["stages"]["mix"]["summary"]
    c = mix["cost"]
    line = next(x for x in summary["decision"] if x.startswith("Mix: "))
    for v in (c["cash"], c["quality"], c["shortfall_penalty"], c["total"]):
        assert f"{v:,.0f} CNY" in line
    findings = summary["stages"]["mix"]["findings"]
    for name, det in mix["baseline_details"].items():
        if det is None:
            continue
        b = det["cost"]
        assert b["cash"] + b["quality"] + b["shortfall_penalty"] == pytest.approx(b["total"],
                                                                                abs=0.05)
        assert f"{b['cash']:,.0f} CNY cash / {b['total']:,.0f} CNY total" in line
        said = next(f for f in findings if f.startswith("Against "
                                                           + name.replace("_", " ")
                                                           .replace("in house", "in-house")))
        for diff in (b["cash"] - c["cash"], b["total"] - c["total"]):
            if abs(diff) >= 0.5:
                word = "less" if diff > 0 else "more"
                assert f"{abs(diff):,.0f} CNY {word}" in said, (said, diff)


def test_largest_gap_from_planread_rows(mini_and_flagship: tuple[Path, Path]) -> None:
    """The plan's largest gap (a key figure and a finding) is plan.csv's interval with the
    largest expected shortfall, with its requirement and coverage (reference: plan.csv)."""
    folder, _ = mini_and_flagship
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    plan = read_rows(folder / "plan.csv")
    worst = max(plan, key=lambda r: float(r["shortfall"]))
    gap = summary["stages"]["mix"]["summary"]["peak_gap"]
    if float(worst["shortfall"]) < 0.05:
        assert gap is None and "mix.peak_short" not in summary["headlines"]
        return
    assert gap["interval"] == worst["interval_start"]
    assert gap["short"] == pytest.approx(float(worst["shortfall"]), abs=1e-4)
    assert gap["requirement"] == pytest.approx(float(worst["requirement"]), abs=1e-4)
    assert gap["coverage"] == pytest.approx(float(worst["coverage"]), abs=1e-4)
    assert summary["headlines"]["mix.peak_short"] == pytest.approx(gap["short"])
    said = [f for f in summary["stages"]["mix"]["findings"] if "largest gap" in f]
    assert said and (f"needs {float(worst['requirement']):,.0f} agents and covers "
                     f"{float(worst['coverage']):,.0f}") in said[0]
