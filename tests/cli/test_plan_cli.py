"""End-to-end: ``peakdesk plan`` (exit codes 0/2, the --json contract, --out files)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
from click.testing import CliRunner

from cli import main

ROOT = Path(__file__).parents[2]

SMALL = """\
name: small promo day
horizon: {start: 2026-11-11T00:00, days: 1, interval_minutes: 60}
channels:
  voice:
    handle_time: {dist: exponential, mean_s: 240}
    patience: {dist: exponential, mean_s: 120}
    service_level: {target: 0.8, within_s: 20}
demand:
  voice:
    rates_per_hour: [20, 10, 10, 10, 10, 10, 20, 60, 120, 200, 240, 240,
                     220, 200, 200, 220, 240, 260, 300, 320, 280, 200, 100, 50]
pools:
  in_house:
    employment:
      headcount: 12
      cost_per_paid_hour: 45
      shifts:
        - {name: day8, hours: 8, starts: ["07:00", "09:00", "11:00", "13:00", "15:00"]}
        - {name: night8, hours: 8, starts: ["23:00"]}
  outsourced:
    contract: {per: contact, price: 8, contacts_per_hour: 4, block_hours: 4, capacity: 10,
               surge_capacity: 4, surge_notice_hours: 0}
  reserve:
    show_up: 0.6
    on_call: {max_size: 20, retainer: 100, training_cost: 50, activation_per_hour: 40,
              callout_hours: 4, notice_hours: 0}
  temps:
    temp_hire: {capacity: 5, price_per_hour: 70, notice_hours: 0}
staffing: {shrinkage: 0.3}
planning:
  shortfall_penalty_per_hour: 400
  demand_cases:
    multipliers: [0.7, 1.0, 1.5]
    probabilities: [0.3, 0.5, 0.2]
    windows: [{start: 2026-11-11T17:00, end: 2026-11-11T22:00}]
  validation_rounds: 1
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_plan_json_contract_and_files(tmp_path: Path) -> None:
    sc = tmp_path / "small.yaml"
    sc.write_text(SMALL)
    out_json = tmp_path / "plan.json"
    res = run("plan", str(sc), "--json", str(out_json), "--out", str(tmp_path / "out"),
              "--time-limit", "30", "--gap", "0.001")
    assert res.exit_code == 0, res.output
    doc = json.loads(out_json.read_text())
    for key in ("status", "objective", "cost", "plan", "baselines", "build_s", "solve_s",
                "reserve_pool", "validation", "value_of_one_more", "scenarios"):
        assert key in doc
    assert doc["status"] in ("optimal", "time_limit")
    assert doc["validation"]["rounds"][0]["round"] == 0
    mv = doc["mean_value_plan"]
    assert mv["expected_cost"] >= doc["objective"] * (1 - 0.001) - 0.01  # optimality
    assert doc["value_of_one_more"]["in_house_agent"] >= 0
    assert set(doc["baselines"]) == {"in_house_only", "outsourced_only", "no_reserve"}
    pools = {r["pool"] for r in doc["plan"]}
    assert {"in_house", "outsourced", "reserve"} <= pools
    assert len([r for r in doc["plan"] if r["pool"] == "in_house"]) == 24
    # the mix is never worse than a restriction of it (same model, fewer pools)
    for name, cost in doc["baselines"].items():
        assert cost is None or cost >= doc["objective"] * (1 - 0.001) - 1e-6, name
    reserve = [r["agents"] for r in doc["plan"] if r["pool"] == "reserve"]
    assert max(reserve) <= 0.6 * doc["reserve_pool"] + 1e-6  # expected call-out ≤ show-up·R
    assert doc["cost"]["total"] == round(doc["cost"]["first_stage"]
                                         + doc["cost"]["expected_recourse"], 2) or abs(
        doc["cost"]["total"] - doc["cost"]["first_stage"] - doc["cost"]["expected_recourse"]) < 0.02
    with open(tmp_path / "out" / "plan.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 24 and rows[0]["interval_start"] == "2026-11-11T00:00"
    assert (tmp_path / "out" / "plan.png").read_bytes()[:4] == b"\x89PNG"
    assert "mix (this plan)" in res.output
    # issue 14: the value of one more agent is a sentence with units, not a Python dict
    printed = " ".join(res.output.split())  # rich wraps long lines at the terminal width
    assert "{'" not in printed and "None" not in printed
    v = doc["value_of_one_more"]
    assert (f"value of one more agent (expected cost saved over the 1-day horizon): "
            f"in-house headcount {v['in_house_agent']:,.0f} CNY; reserve agent "
            f"{v['reserve_agent']:,.0f} CNY, net of its retainer and training") in printed


def test_value_of_one_more_line_units_and_missing_values() -> None:
    """Reference: the sentences written out by hand (issue 14: units and currency)."""
    from scenarios.commands.plan import value_of_one_more_line

    assert value_of_one_more_line({"in_house_agent": 1234.4, "reserve_agent": 0.0}, "CNY", 14) \
        == ("value of one more agent (expected cost saved over the 14-day horizon): in-house "
            "headcount 1,234 CNY; reserve agent 0 CNY, net of its retainer and training")
    assert value_of_one_more_line({"in_house_agent": None, "reserve_agent": None}, "EUR", 1) \
        == ("value of one more agent (expected cost saved over the 1-day horizon): in-house "
            "headcount not computed; reserve agent not computed, net of its retainer and "
            "training")


def test_plan_terms_on_wrong_pool_exit_2(tmp_path: Path) -> None:
    sc = tmp_path / "bad.yaml"
    sc.write_text(SMALL.replace("  outsourced:\n    contract:", "  outsourced:\n    on_call:"))
    res = run("plan", str(sc))
    assert res.exit_code == 2
    assert f"{sc}:" in res.output and "pools.outsourced.on_call" in res.output
    assert "Traceback" not in res.output


def test_plan_without_planning_terms_exit_2() -> None:
    res = run("plan", str(ROOT / "scenarios" / "examples" / "promo_day.yaml"))
    assert res.exit_code == 2 and "no pool has planning terms" in res.output


def test_plan_bad_probabilities_located(tmp_path: Path) -> None:
    sc = tmp_path / "bad.yaml"
    sc.write_text(SMALL.replace("[0.3, 0.5, 0.2]", "[0.3, 0.5, 0.3]"))
    res = run("plan", str(sc))
    assert res.exit_code == 2 and "planning.demand_cases.probabilities" in res.output
    assert "must sum to 1" in res.output


def test_plan_hard_coverage_infeasible_exit_1(tmp_path: Path) -> None:
    sc = tmp_path / "hard.yaml"
    sc.write_text(SMALL.replace("  shortfall_penalty_per_hour: 400",
                                "  hard_coverage: true").replace("capacity: 10,", "capacity: 0,"))
    res = run("plan", str(sc))
    assert res.exit_code == 1
    assert "cannot be covered" in res.output and "Traceback" not in res.output
    assert "2026-11-11T19:00" in res.output  # the worst interval, by its start time


def test_shift_rules_located(tmp_path: Path) -> None:
    sc = tmp_path / "bad.yaml"
    sc.write_text(SMALL.replace('"07:00", "09:00"', '"07:30", "09:00"')
                  .replace("{name: night8, hours: 8,", "{name: night8, hours: 8.25,"))
    res = run("validate", str(sc))
    assert res.exit_code == 2
    assert "pools.in_house.employment.shifts.0.starts.0: start 07:30 is not on an interval " \
           "boundary (60 minutes)" in res.output
    assert "shifts.1.hours: 8.25 h is not a whole number of 60-minute intervals" in res.output


def test_per_contact_needs_contacts_per_hour(tmp_path: Path) -> None:
    sc = tmp_path / "bad.yaml"
    sc.write_text(SMALL.replace("contacts_per_hour: 4, ", ""))
    res = run("validate", str(sc))
    assert res.exit_code == 2 and "per: contact needs contacts_per_hour" in res.output


def test_plan_tiny_time_limit_plain_message() -> None:
    res = run("plan", str(ROOT / "scenarios" / "examples" / "double11_mix.yaml"),
              "--time-limit", "0.01", "--rounds", "0")
    assert "Traceback" not in res.output
    if res.exit_code == 0:  # a start was found: best plan and its gap
        assert "time limit reached" in res.output
    else:
        assert res.exit_code == 1
        assert "no feasible plan found within the time limit" in res.output


def test_written_plan_is_the_checked_plan(tmp_path: Path) -> None:
    # reference: the plan the loop kept (checked in its round, then judged on fresh
    # streams), re-read from the written CSVs
    from scenarios.commands.plan import plan_scenario, write_plan

    sc_path = tmp_path / "small.yaml"
    sc_path.write_text(SMALL.replace("validation_rounds: 1", "validation_rounds: 2"))
    sc, doc, cmp = plan_scenario(str(sc_path), time_limit=30, gap=0.001)
    val = doc["validation"]
    kept = val["rounds"][val["kept_round"]]
    assert kept["objective"] == doc["objective"] == val["final"]["objective"]
    assert len(val["rounds"]) >= 2 and val["fresh_streams"]
    write_plan(sc, doc, cmp, json_path=str(tmp_path / "p.json"), out_dir=str(tmp_path / "o"))
    with open(tmp_path / "o" / "plan.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    plan = cmp.plan
    e = plan.expected
    assert [int(r["in_house"]) for r in rows] == plan.in_house.astype(int).tolist()
    assert [int(r["outsourced"]) for r in rows] == plan.outsourced.astype(int).tolist()
    for col, arr in (("requirement_expected", e(plan.requirement)),
                     ("reserve_expected", e(plan.reserve)),
                     ("outsourced_surge_expected", e(plan.surge))):
        assert np.allclose([float(r[col]) for r in rows], arr, atol=1e-4), col
    with open(tmp_path / "o" / "shifts.csv", newline="") as fh:
        shifts = [(int(r["day"]), r["start"], int(r["agents"])) for r in csv.DictReader(fh)]
    starts = [s.isoformat(timespec="minutes") for s in sc.horizon.interval_starts()]
    assert shifts == [(d, starts[s], n) for d, _, s, n in plan.shifts]
    written = json.loads((tmp_path / "p.json").read_text())
    assert written["objective"] == doc["objective"] and written["meets_targets"] is not None
    # booking.csv (what to sign and by when): cash + quality charge per pool is the plan's
    # cost by pool, surge seats with the vendor's (conservation; docs/formats.md §1)
    with open(tmp_path / "o" / "booking.csv", newline="") as fh:
        booked: dict[str, float] = {}
        for r in csv.DictReader(fh):
            booked[r["pool"]] = booked.get(r["pool"], 0.0) + float(r["cash"]) + float(
                r["quality_charge"])
    by_pool = dict(doc["cost"]["by_pool"])
    by_pool["outsourced"] = by_pool.get("outsourced", 0.0) + by_pool.pop("outsourced_surge", 0.0)
    assert booked.keys() == by_pool.keys()
    assert all(abs(booked[k] - v) < 0.02 for k, v in by_pool.items()), (booked, by_pool)


def test_plan_says_first_whether_targets_are_met(tmp_path: Path) -> None:
    # the 1.5× peak case needs more than every pool at its limit gives (reference: the
    # requirement vs the pools' most, planning.mix.uncoverable): the verdict says so first
    sc = tmp_path / "small.yaml"
    sc.write_text(SMALL)
    res = run("plan", str(sc), "--time-limit", "30", "--gap", "0.001")
    assert res.exit_code == 0, res.output
    first = res.output.strip().splitlines()[0]
    assert first.startswith("The plan does NOT meet the targets")
    assert "pools cannot meet them" in " ".join(res.output.split())


ROUTED = (SMALL.replace("service_level: {target: 0.8, within_s: 20}",
                        "service_level: {target: 0.8, within_s: 20}\n    max_abandon_rate: 0.05")
          .replace("capacity: 10,", "capacity: 30,")
          .replace("temp_hire: {capacity: 5", "temp_hire: {capacity: 20")
          .replace("  validation_rounds: 1\n", "  validation_rounds: 1\n"
                   "routing: {policy: in_house_first, overflow_after_s: 60}\n"))


def test_a_routing_wait_is_named_as_the_fix(tmp_path: Path) -> None:
    """Calls wait 60 s for in-house agents before other pools may answer (patience 120 s:
    1 − e^(−1/2) = 39% of those who wait that long hang up), and 12 in-house agents cannot
    keep that within the cap. References: (1) the plan made for overflow at once, priced
    and simulated beside this one, is exactly the first plan `peakdesk plan` makes for the
    same scenario edited to overflow at once — which the check finds met; (2) the in-house
    limit is named with a shorter wait that would hold."""
    from scenarios.commands.plan import plan_scenario

    path = tmp_path / "routed.yaml"
    path.write_text(ROUTED)
    sc, doc, cmp = plan_scenario(str(path), time_limit=30, gap=0.001)
    val = doc["validation"]
    assert not val["holds"] and val["rounds"][-1]["missed_periods"]["abandon_rate"] > 0
    lim = val["in_house_limit"]
    assert lim is not None and lim["overflow_after_s"] == 60
    assert 0 <= lim["overflow_wait_that_holds_s"] < 60
    at_once, probe = val["at_once_plan"], val["routing_probe"]
    assert probe is not None and probe["overflow_after_s"] == 60
    fast = tmp_path / "fast.yaml"
    fast.write_text(ROUTED.replace("overflow_after_s: 60", "overflow_after_s: 0"))
    _, doc0, _ = plan_scenario(str(fast), time_limit=30, gap=0.001)
    assert doc0["validation"]["holds"] and doc0["validation"]["at_once_plan"] is None
    # the probe holding, the re-plan is priced as solved (no correction round): it is the
    # plan `peakdesk plan` solves first for the edited scenario
    assert probe["holds"]
    assert at_once["cost"] == doc0["validation"]["before_check"]["objective"]
    assert at_once["cost"] <= doc0["objective"] + 1e-6
    res = run("plan", str(path), "--time-limit", "30", "--gap", "0.001")
    said = " ".join(res.output.split())
    assert "The in-house headcount is the limit: contacts wait 60 s" in said
    assert "A plan made for the other pools answering at once: " \
           f"{doc0['objective']:,.0f}" in said


def test_written_plan_simulates_as_the_check_ran_it(tmp_path: Path) -> None:
    """`peakdesk simulate SCENARIO --plan plan.csv` runs the written plan as the plan check
    ran its verdict: first stage plus each demand scenario's own recourse (recourse.csv),
    replication i = scenario i mod S on stream i. Reference: the verdict's own runs (the
    check's validator, kept in CheckedMix.runs) — identical offered and answered per run
    on the check's seed; on another seed the verdict is recomputed by the same rule."""
    from scenarios.adapters.to_mix import solver_options
    from scenarios.checked_mix import checked_mix, loop_seed
    from scenarios.commands.plan import write_plan
    from scenarios.commands.simulate import simulate_scenario
    from scenarios.reading.load import load_scenario
    from scenarios.writing.plan_output import plan_json

    path = tmp_path / "small.yaml"
    path.write_text(SMALL)
    sc = load_scenario(str(path))
    mixed = checked_mix(sc, solver_options(sc, 30, 0.001), workers=1)
    doc = plan_json(sc, mixed.comparison, mixed.checked, mixed.remedy, mixed.check,
                    mixed.probe, mixed)
    write_plan(sc, doc, mixed.comparison, out_dir=str(tmp_path / "o"))
    plan_csv = tmp_path / "o" / "plan.csv"
    assert (tmp_path / "o" / "recourse.csv").exists()
    sim = simulate_scenario(str(path), plan=str(plan_csv), replications=3, workers=1)
    assert [o.channels["voice"]["offered"] for o in sim.result.outputs] == \
        [o.channels["voice"]["offered"] for o in mixed.runs]
    assert [o.channels["voice"]["answered"] for o in sim.result.outputs] == \
        [o.channels["voice"]["answered"] for o in mixed.runs]
    val = doc["validation"]
    assert sim.plan_check["scenarios_held"] == val["scenarios_held"]
    assert val["fresh_streams"] and loop_seed(sc.simulation.seed) != sc.simulation.seed
    # the verdict's streams are not the loop's: the same plan on the loop's seed differs
    other = simulate_scenario(str(path), plan=str(plan_csv), replications=3, workers=1,
                              seed=loop_seed(sc.simulation.seed))
    assert [o.channels["voice"]["offered"] for o in other.result.outputs] != \
        [o.channels["voice"]["offered"] for o in mixed.runs]
    # the CLI prints the verdict line and exits 0
    res = run("simulate", str(path), "--plan", str(plan_csv), "-r", "3", "--seed", "5")
    assert res.exit_code == 0, res.output
    assert "as the plan check runs it" in " ".join(res.output.split())


def test_plan_csv_duplicated_or_missing_interval_located(tmp_path: Path) -> None:
    # issue 31: a plan CSV giving an interval twice, or leaving one out, is one located
    # message and exit 2 (no traceback)
    sc = tmp_path / "s.yaml"
    sc.write_text(SMALL)
    starts = [f"2026-11-11T{h:02d}:00" for h in range(24)]
    dup = tmp_path / "dup.csv"
    dup.write_text("interval,in_house\n" + "".join(f"{s},5\n" for s in starts)
                   + f"{starts[3]},6\n")
    res = run("simulate", str(sc), "--plan", str(dup), "-r", "1")
    assert res.exit_code == 2
    said = " ".join(res.output.split())
    assert "dup.csv:26:1" in said and "2026-11-11T03:00 (#3) is given twice" in said
    assert "first on line 5" in said and "Traceback" not in res.output
    gap = tmp_path / "gap.csv"
    gap.write_text("interval,pool,agents\n" + "".join(f"{s},in_house,5\n" for s in starts
                                                       if s != starts[7]))
    res = run("simulate", str(sc), "--plan", str(gap), "-r", "1")
    assert res.exit_code == 2
    said = " ".join(res.output.split())
    assert "gap.csv" in said and "first missing: interval 2026-11-11T07:00, #7" in said
    long_dup = tmp_path / "ldup.csv"
    long_dup.write_text("interval,pool,agents\n" + "".join(f"{s},in_house,5\n" for s in starts)
                        + f"{starts[0]},in_house,4\n")
    res = run("simulate", str(sc), "--plan", str(long_dup), "-r", "1")
    assert res.exit_code == 2 and "of pool 'in_house' is given twice" in " ".join(
        res.output.split())
