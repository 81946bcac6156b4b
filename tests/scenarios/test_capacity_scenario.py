"""The ``capacity:`` section: located errors, the adapter, and the weekly requirement
derived from the demand.

References: the per-interval requirement of planning.requirements (checked against exact
Erlang formulas in tests/planning) for one interval of a constant demand — every day of
such a demand is the same, so each week must be 7 × 24 × that interval's hours; hand
arithmetic for an event window and for partial days; golden error text."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from planning.requirements import Targets, requirements
from scenarios import InputError, load_scenario
from scenarios.adapters.to_capacity import capacity_inputs
from scenarios.capacity.requirement import weekly_required_hours

ROOT = Path(__file__).parents[2]

BASE = """\
name: t
horizon: {{start: {start}, days: {days}, interval_minutes: 60}}
channels:
  voice:
    handle_time: {{dist: exponential, mean_s: 240}}
    service_level: {{target: 0.8, within_s: 20}}
demand:
  voice: {{rate_per_hour: 100}}
{extra}staffing: {{shrinkage: 0.25}}
capacity:
  start: 2026-10-26
  weeks: 3
{capacity}  in_house:
    on_staff: 10
    wage_per_hour: 45
{in_house}"""


def write(tmp_path: Path, *, start: str = "2026-11-02T00:00", days: int = 7, extra: str = "",
          capacity: str = "", in_house: str = "") -> Path:
    f = tmp_path / "s.yaml"
    f.write_text(BASE.format(start=start, days=days, extra=extra, capacity=capacity,
                             in_house=in_house), encoding="utf-8")
    return f


def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as exc:
        load_scenario(path)
    return [str(p).replace(str(path), "s.yaml") for p in exc.value.problems]


def hour_of(rate: float) -> float:
    """Agent-hours on the queue in one hour at ``rate`` (planning.requirements, Erlang C)."""
    r = requirements(np.array([rate]), 240.0, np.inf, Targets(service_level=0.8, within_s=20))
    return float(r.fractional[0])


# ---------------------------------------------------------------- derived requirement
def test_constant_demand_gives_seven_equal_days_in_every_week(tmp_path: Path) -> None:
    sc = load_scenario(write(tmp_path))  # horizon = the week of 2 Nov; weeks 26 Oct..15 Nov
    d = weekly_required_hours(sc)
    day = 24 * hour_of(100.0)
    assert d.baseline_day_hours == pytest.approx(day, rel=1e-12)
    assert d.hours == pytest.approx([7 * day] * 3, rel=1e-12)
    assert list(d.horizon_days) == [0.0, 7.0, 0.0]


def test_event_adds_to_its_week_only_and_not_to_the_baseline(tmp_path: Path) -> None:
    ev = ("events:\n  - {name: promo, start: 2026-11-04T12:00, peak_minutes: 120, "
          "uplift: 2}\n")
    d = weekly_required_hours(load_scenario(write(tmp_path, extra=ev)))
    day = 24 * hour_of(100.0)
    assert d.baseline_day_hours == pytest.approx(day, rel=1e-12)  # event-free median day
    # two hours at twice the rate replace two ordinary hours in week 1
    assert d.hours == pytest.approx([7 * day, 7 * day + 2 * (hour_of(200.0) - hour_of(100.0)),
                                     7 * day], rel=1e-12)


def test_partial_days_are_topped_up_with_baseline_hours(tmp_path: Path) -> None:
    # 24 hours from Wed 12:00: two half days, no whole one; the baseline day is the
    # busier partial day scaled to 24 h — with constant demand, a full day again
    d = weekly_required_hours(load_scenario(write(tmp_path, start="2026-11-04T12:00", days=1)))
    day = 24 * hour_of(100.0)
    assert d.baseline_day_hours == pytest.approx(day, rel=1e-12)
    assert d.hours == pytest.approx([7 * day] * 3, rel=1e-12)
    assert list(d.horizon_days) == [0.0, 1.0, 0.0]


def test_given_baseline_week_fills_the_weeks_outside(tmp_path: Path) -> None:
    d = weekly_required_hours(load_scenario(write(
        tmp_path, capacity="  baseline_hours_per_week: 700\n")))
    assert d.hours == pytest.approx([700.0, 7 * 24 * hour_of(100.0), 700.0], rel=1e-12)


def test_adapter_defaults(tmp_path: Path) -> None:
    sc = load_scenario(write(tmp_path, capacity="  required_hours: [100, 200, 300]\n"
                                                 "  outsourced: {price_per_hour: 30, "
                                                 "max_hours_per_week: 50, notice_weeks: 1}\n"))
    inp, derived = capacity_inputs(sc)
    assert derived is None
    assert list(inp.required_hours) == [100.0, 200.0, 300.0]
    assert inp.productive_share == pytest.approx(0.75)  # 1 − staffing.shrinkage
    assert list(inp.outsourcing.cap()) == [0.0, 50.0, 50.0]  # notice week closed
    assert inp.week_labels == ("2026-10-26", "2026-11-02", "2026-11-09")
    assert inp.hiring is None and inp.overtime is None


# ---------------------------------------------------------------- located errors
def test_start_must_be_a_monday(tmp_path: Path) -> None:
    f = write(tmp_path)
    f.write_text(f.read_text().replace("start: 2026-10-26", "start: 2026-10-27"))
    assert problems(f) == [
        "s.yaml:11:10: capacity.start: 2026-10-27 is a Tuesday; capacity weeks start on a "
        "Monday (the week's Monday is 2026-10-26) (got 2026-10-27)"]


def test_lists_must_have_one_value_per_week(tmp_path: Path) -> None:
    f = write(tmp_path, capacity="  required_hours: [1, 2]\n  outsourced: {price_per_hour: 3, "
                                 "max_hours_per_week: [1, 2, 3, 4]}\n")
    assert problems(f) == [
        "s.yaml:13:19: capacity.required_hours: has 2 values; capacity.weeks is 3",
        "s.yaml:14:55: capacity.outsourced.max_hours_per_week: has 4 values; capacity.weeks "
        "is 3 (or give one number for every week)"]


def test_unknown_key_and_bad_ramp_are_located(tmp_path: Path) -> None:
    f = write(tmp_path, in_house="    hiring: {max_per_week: 3, trainig_weeks: 2, "
                                 "ramp: [0.5, 1.2]}\n")
    assert problems(f) == [
        "s.yaml:16:31: capacity.in_house.hiring.trainig_weeks: unknown key 'trainig_weeks' "
        "(did you mean 'training_weeks'?); expected one of: cost_per_hire, max_per_week, "
        "ramp, training_weeks",
        "s.yaml:16:61: capacity.in_house.hiring.ramp.1: Input should be less than or equal "
        "to 1 (got 1.2)"]


def test_derived_requirement_needs_service_targets(tmp_path: Path) -> None:
    f = write(tmp_path)
    f.write_text(f.read_text().replace("    service_level: {target: 0.8, within_s: 20}\n", ""))
    assert problems(f) == [
        "s.yaml:4:3: channels.voice: capacity.required_hours is derived from the service "
        "targets: give this channel service_level, max_asa_s, max_abandon_rate or "
        "max_occupancy (or give capacity.required_hours)"]


def test_bundled_example_derives_a_peak_in_the_double11_week() -> None:
    sc = load_scenario(ROOT / "scenarios" / "examples" / "double11_capacity.yaml")
    inp, derived = capacity_inputs(sc)
    assert derived is not None and inp.weeks == 12
    assert inp.label(int(np.argmax(inp.required_hours))) == "2026-11-09"  # the week of 11.11
    assert inp.attrition == pytest.approx(1 / 21.7, abs=5e-4)  # seed 003: tenure ≈ 5 months


def test_time_limited_plan_says_so(tmp_path: Path) -> None:
    from dataclasses import replace

    from planning.capacity import capacity_report
    from scenarios.capacity.text import sentences

    sc = load_scenario(write(tmp_path, capacity="  required_hours: [100, 200, 300]\n"))
    rep = capacity_report(capacity_inputs(sc)[0])
    assert not any("time limit" in s for s in sentences(rep, "CNY", "en"))
    cut = replace(rep, plan=replace(rep.plan, status="time_limit", gap=0.0123))
    assert "within 1.23% of the optimum" in " ".join(sentences(cut, "CNY", "en"))
