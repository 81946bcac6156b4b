"""Rosters of people in a run's results folder (docs/formats.md, rosters of people).

References: tests/roster_csv.py — an independent reader of roster.csv (datetime
arithmetic on the rows; not planning.roster, which built the roster) — for the rules;
plan.csv for the coverage the plan counts; pay.csv for what the simulator and the pay
rules saw per person."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from scenarios import load_scenario
from tests.roster_csv import breaches, read, shifts_by_person

MINI = Path(__file__).parent / "data" / "mini_peak.yaml"
FLAGSHIP = Path(__file__).parents[3] / "scenarios" / "examples" / "double11.yaml"


@pytest.fixture(params=["mini", "flagship"])
def run(request: pytest.FixtureRequest) -> tuple[Path, Path]:
    if request.param == "mini":
        return request.getfixturevalue("mini_runs")["en"], MINI
    return request.getfixturevalue("flagship_run"), FLAGSHIP


def test_every_schedule_keeps_every_rule(run: tuple[Path, Path]) -> None:
    folder, scenario = run
    sc = load_scenario(scenario)
    emp = sc.pools["in_house"].employment
    rules = {**emp.rules.model_dump(), "max_days_per_week": emp.max_days_per_week}
    assert breaches(folder / "roster.csv", sc.horizon.start.date(), rules) == []
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["stages"]["mix"]["summary"]["roster"]["rule_violations"] == []


def test_coverage_from_people_equals_the_plan(run: tuple[Path, Path]) -> None:
    """Each person is on the queue from start to end less the break; summed per interval
    over everyone it equals plan.csv's in-house column."""
    folder, _ = run
    plan = read(folder / "plan.csv")
    starts = [datetime.fromisoformat(r["interval_start"]) for r in plan]
    cover = np.zeros(len(starts), int)
    for shifts in shifts_by_person(read(folder / "roster.csv")).values():
        for s in shifts:
            for i, t in enumerate(starts):
                if s["start"] <= t < s["end"] and not (s["b0"] and s["b0"] <= t < s["b1"]):
                    cover[i] += 1
    assert np.array_equal(cover, [int(r["in_house"]) for r in plan])


def test_simulated_hours_and_pay_are_the_rosters(run: tuple[Path, Path]) -> None:
    """pay.csv's hours on duty per in-house person (the simulator's staffed time) equal
    the roster's Σ(end − start − break) inside the horizon; the horizon pay is the
    period pay pro rata to those hours (month: 174 h)."""
    folder, scenario = run
    sc = load_scenario(scenario)
    end = sc.horizon.start + timedelta(minutes=sc.horizon.interval_minutes
                                       * sc.horizon.n_intervals)
    hours = {}
    for pid, shifts in shifts_by_person(read(folder / "roster.csv")).items():
        h = 0.0
        for s in shifts:
            on = (min(s["end"], end) - s["start"]).total_seconds()
            if s["b0"]:
                on -= (min(s["b1"], end) - min(s["b0"], end)).total_seconds()
            h += on / 3600
        hours[pid] = h
    pay = [r for r in read(folder / "pay.csv") if r["pool"] == "in_house"]
    assert pay
    seen = defaultdict(set)
    for r in pay:
        assert r["agent_id"] in hours, r["agent_id"]  # an employee, not a slot
        assert float(r["hours_on_duty"]) == pytest.approx(hours[r["agent_id"]], abs=1e-9)
        assert float(r["horizon_pay"]) == pytest.approx(
            float(r["total_pay"]) * hours[r["agent_id"]] / 174.0, rel=1e-9)
        seen[(r["policy"], r["replication"])].add(r["agent_id"])
    for ids in seen.values():  # every rostered person is paid, none twice
        assert ids == set(hours)


def test_a_rule_the_headcount_cannot_meet_is_reported() -> None:
    """mini_peak with every employee on leave on 11 Nov but one, and a plan that needs
    three people then: the roster leaves two places empty and says so — rule, dates — in
    its summary and as a run warning (scenarios.run.roster.rule_warnings)."""
    from types import SimpleNamespace

    from planning.mix import CostBreakdown, MixPlan
    from scenarios.adapters.plan_check import reserve_show_up
    from scenarios.adapters.to_roster import people_roster
    from scenarios.run.roster import build_roster, rule_warnings
    from scenarios.words.i18n import t

    sc = load_scenario(MINI)
    emp = sc.pools["in_house"].employment
    from datetime import date

    from scenarios.schema import PersonSpec

    people = {f"E{i:03d}": PersonSpec(unavailable=[date(2026, 11, 11)]) for i in range(2, 31)}
    sc = sc.model_copy(update={"pools": {**sc.pools, "in_house": sc.pools["in_house"]
                                         .model_copy(update={"employment": emp.model_copy(
                                             update={"people": people})})}})
    n = sc.horizon.n_intervals
    per_day = 24 * 60 // sc.horizon.interval_minutes
    seven = 7 * per_day // 24  # day8 starting at 07:00
    z = np.zeros((1, n))
    plan = MixPlan("optimal", 0.0, 0.0, 0.0, 0.0, ("s",), np.ones(1), z,
                   [(0, 0, seven, 2), (1, 0, per_day + seven, 3)], 0, np.zeros(n), [], np.zeros(n), 0,
                   z, z, z, z, z, CostBreakdown(0.0, 0.0, {}, 0.0))
    roster = build_roster(sc, plan, reserve_show_up(sc), people_roster(sc, plan, 20.0))
    v = roster.summary["rule_violations"]
    assert [(x["rule"], x["dates"], x["amount"]) for x in v] == [
        ("coverage", ["2026-11-11"], 2.0)]
    res = SimpleNamespace(warnings=[])
    ctx = SimpleNamespace(t=lambda key, **kw: t(key, "en", **kw))
    rule_warnings(ctx, res, roster.summary)
    assert res.warnings == [t("roster.unfilled", "en", n=2, dates="2026-11-11")]


def test_one_in_house_cost(run: tuple[Path, Path]) -> None:
    """The plan's in-house cost in the pay section is the mix's in-house cost; each
    policy's is on-costs × paid hours + its pay (recomputed here from pay.csv: horizon pay
    of the in-house people, plus base pay for contracted hours not on duty) + hiring; the
    mix under a policy costs the plan's cost plus the policy's extra pay."""
    folder, scenario = run
    sc = load_scenario(scenario)
    emp = sc.pools["in_house"].employment
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    mix = summary["stages"]["mix"]["summary"]
    view = summary["stages"]["pay"]["summary"]["in_house_cost"]
    assert view["plan"]["in_house_cost"] == pytest.approx(mix["cost"]["by_pool"]["in_house"])
    o, hours = emp.on_costs_per_paid_hour or 0.0, view["paid_hours"]
    pay = [r for r in read(folder / "pay.csv") if r["pool"] == "in_house"]
    for name, v in view["policies"].items():
        mine = [r for r in pay if r["policy"] == name]
        n = len({r["replication"] for r in mine})
        paid = sum(float(r["horizon_pay"]) for r in mine) / n
        duty = sum(float(r["hours_on_duty"]) for r in mine) / n
        paid += float(mine[0]["base_pay"]) * max(hours - duty, 0.0) / 174.0
        assert v["pay"] == pytest.approx(paid, rel=1e-9)
        assert v["in_house_cost"] == pytest.approx(o * hours + paid + view["hiring"])
        assert v["mix_cost"] - view["plan"]["mix_cost"] == pytest.approx(
            paid - view["plan"]["pay"], abs=1e-6)
    if "double11" in str(scenario):  # the flagship's wage is the policies' base pay
        assert view["policies"]["baseline"]["in_house_cost"] == pytest.approx(
            view["plan"]["in_house_cost"], abs=1.0)
