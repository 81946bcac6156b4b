"""End-to-end: ``peakdesk capacity`` (exit codes 0/2, the --json contract, --out files).

References: the contract re-read in plain Python (tests/planning/capacity_reference.py)
applied to the JSON the command wrote, with the numbers of the scenario file; the CSV and
JSON written by the same run must agree row by row."""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import numpy as np
from click.testing import CliRunner

from cli import main
from tests.planning.capacity_reference import Case, recheck

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "scenarios" / "examples" / "double11_capacity.yaml"
WEEK_KEYS = {"week_start", "required_hours", "hires", "on_staff", "in_training",
             "productive_hours", "overtime_hours", "outsourced_hours", "shortfall_hours", "cost"}

SMALL = """\
name: small capacity
horizon: {start: 2026-11-09T00:00, days: 1, interval_minutes: 60}
channels:
  voice:
    handle_time: {dist: exponential, mean_s: 240}
    service_level: {target: 0.8, within_s: 20}
demand:
  voice: {rate_per_hour: 100}
capacity:
  start: 2026-10-05
  weeks: 6
  required_hours: [600, 600, 650, 700, 1400, 600]
  shortfall_penalty_per_hour: 300
  in_house:
    on_staff: 20
    productive_share: 0.75
    attrition_per_week: 0.05
    wage_per_hour: 40
    hiring: {max_per_week: 4, cost_per_hire: 2000, training_weeks: 1, ramp: [0.6]}
    overtime: {max_share: 0.15, premium: 1.5}
  outsourced: {price_per_hour: 30, productivity: 0.7, max_hours_per_week: [0, 0, 100, 100, 300, 100], notice_weeks: 1}
"""


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def small_case() -> Case:
    """The SMALL file's numbers, typed in again for the reference."""
    return Case(required=[600.0, 600.0, 650.0, 700.0, 1400.0, 600.0], on_staff=20,
                hours=40.0, share=0.75, attrition=0.05, wage=40.0, penalty=300.0,
                max_hires=4, cost_per_hire=2000.0, training=1, ramp=[0.6], ot_share=0.15,
                ot_premium=1.5, vendor_price=30.0, vendor_eta=0.7,
                vendor_cap=[0.0, 0.0, 100.0, 100.0, 300.0, 100.0], notice=1)


def as_plan(doc: dict) -> SimpleNamespace:
    """The JSON weeks as the arrays the reference re-checks."""
    weeks = doc["weeks"]

    def col(key: str) -> np.ndarray:
        return np.array([w[key] for w in weeks])

    return SimpleNamespace(
        hires=col("hires"), on_staff=col("on_staff"), in_training=col("in_training"),
        past_training=col("past_training"), productive_hours=col("productive_hours"),
        overtime_hours=col("overtime_hours"), outsourced_hours=col("outsourced_hours"),
        shortfall_hours=col("shortfall_hours"), cost=col("cost"), total_cost=doc["total_cost"])


def test_json_contract_rechecked_and_files_agree(tmp_path: Path) -> None:
    sc = tmp_path / "small.yaml"
    sc.write_text(SMALL, encoding="utf-8")
    res = run("capacity", sc, "--json", tmp_path / "cap.json", "--out", tmp_path / "out")
    assert res.exit_code == 0, res.output
    doc = json.loads((tmp_path / "cap.json").read_text())
    assert {"weeks", "total_cost", "total_hires"} <= set(doc)
    assert len(doc["weeks"]) == 6 and all(WEEK_KEYS <= set(w) for w in doc["weeks"])
    mondays = [date.fromisoformat(w["week_start"]) for w in doc["weeks"]]
    assert mondays == [date(2026, 10, 5) + timedelta(weeks=k) for k in range(6)]
    assert doc["total_hires"] == sum(w["hires"] for w in doc["weeks"])
    assert isinstance(doc["total_hires"], int)
    assert abs(doc["total_cost"] - sum(w["cost"] for w in doc["weeks"])) < 1e-6
    assert recheck(small_case(), as_plan(doc)) == []
    # the --out folder: the same JSON, a CSV with the same numbers, a PNG
    assert json.loads((tmp_path / "out" / "capacity.json").read_text()) == doc
    with open(tmp_path / "out" / "capacity.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row, week in zip(rows, doc["weeks"], strict=True):
        for k in WEEK_KEYS - {"week_start"}:
            assert float(row[k]) == week[k], k
    assert (tmp_path / "out" / "capacity.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # the planner's answers are printed and in the JSON
    assert "last class that can still help the peak" in res.output
    assert doc["answers"]["peak_week_start"] == "2026-11-02"
    assert doc["answers"]["attrition_plus_one_point"]["extra_cost"] is not None


def test_short_plan_says_how_many_hours_and_which_lever(tmp_path: Path) -> None:
    sc = tmp_path / "short.yaml"
    # week 4 needs far more than the levers give; at a penalty of 5,000 an hour every lever
    # is used to its limit first
    sc.write_text(SMALL.replace("[600, 600, 650, 700, 1400, 600]", "[600, 600, 650, 700, 4000, 600]")
                  .replace("penalty_per_hour: 300", "penalty_per_hour: 5000"), encoding="utf-8")
    res = run("capacity", sc, "--json", tmp_path / "c.json")
    assert res.exit_code == 0, res.output
    doc = json.loads((tmp_path / "c.json").read_text())
    short = doc["shortfall"]["weeks"]
    assert [w["week_start"] for w in short] == ["2026-11-02"]
    assert set(short[0]["exhausted"]) == {"hiring_cap", "overtime_cap", "outsourcing_cap"}
    assert short[0]["missing_hours"] == doc["weeks"][4]["shortfall_hours"] > 0
    out = " ".join(res.output.split())
    assert "hours missing" in out and "hiring at its cap of 4 a week" in out
    assert "infeasible" not in out.lower()


def test_bundled_example_runs(tmp_path: Path) -> None:
    res = run("capacity", EXAMPLE, "--json", tmp_path / "c.json")
    assert res.exit_code == 0, res.output
    doc = json.loads((tmp_path / "c.json").read_text())
    assert doc["required_hours_source"] == "derived" and doc["total_hires"] > 0


def test_bad_input_exit_2_located(tmp_path: Path) -> None:
    sc = tmp_path / "bad.yaml"
    sc.write_text(SMALL.replace("start: 2026-10-05", "start: 2026-10-06"), encoding="utf-8")
    res = run("capacity", sc, "--json", tmp_path / "c.json")
    assert res.exit_code == 2
    assert f"{sc}:10:10: capacity.start: 2026-10-06 is a Tuesday" in res.output
    assert "Traceback" not in res.output and not (tmp_path / "c.json").exists()
    no_section = tmp_path / "none.yaml"
    no_section.write_text(SMALL.split("capacity:")[0], encoding="utf-8")
    res = run("capacity", no_section)
    assert res.exit_code == 2 and "has no capacity: section" in res.output
