"""The sweep table and JSON from the points' summary.json (a synthetic summary with known
numbers stands in for a run: the expected cells are computed here from it), a listed set
of points from a CSV, and a failed point (marked, the others kept, exit status 1)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from scenarios.reading.errors import CommandError, InputError
from scenarios.sweep import run as sweep_run
from scenarios.sweep.points import read_points

ROOT = Path(__file__).parents[3]
PROMO = ROOT / "scenarios" / "examples" / "promo_day.yaml"


def fake_summary(agents: int) -> dict:
    return {
        "scenario": {"name": "fake"},
        "headlines": {"simulation.targets_held": agents // 10,
                      "simulation.voice.service_level": agents / 100,
                      "simulation.voice.abandon_rate": 1 / agents,
                      "pay.commission.cost_horizon": 1000.0 + agents,
                      "mix.expected_cost": 500.0 * agents},
        "stages": {"mix": {"summary": {"cost": {"total": 500.0 * agents,
                                                "shortfall_penalty": 7.5 * agents},
                                       "reserve_pool": agents - 30}},
                   "simulation": {"summary": {"verdict": {"units": 5}}}},
    }


@pytest.fixture
def fake_runs(monkeypatch):
    """run_local writes a results folder with a fake summary; 45 agents fails."""

    def run_local(point, scenario_file, target, lang, quick, stages):
        agents = point.values["pools.in_house.agents"]
        if agents == 45:
            raise CommandError("no plan found within the time limit")
        target.mkdir(parents=True)
        summary = fake_summary(agents)
        (target / "summary.json").write_text(json.dumps(summary))
        return summary

    monkeypatch.setattr(sweep_run, "run_local", run_local)


def test_table_columns_from_the_summaries(fake_runs, tmp_path):
    r = CliRunner().invoke(main, ["sweep", str(PROMO), "--vary",
                                  "pools.in_house.agents=40,45,50", "--out",
                                  str(tmp_path / "s"), "--json", str(tmp_path / "s.json")])
    assert r.exit_code == 1, r.output  # a point failed
    assert "no plan found within the time limit" in r.output
    rows = list(csv.DictReader((tmp_path / "s" / "sweep.csv").open()))
    assert [row["status"] for row in rows] == ["ok", "failed", "ok"]
    for row in rows:
        a = int(row["pools.in_house.agents"])
        if a == 45:
            assert row["cost_total"] == "" and "no plan found" in row["error"]
            continue
        assert float(row["cost_total"]) == 500.0 * a
        assert float(row["cost_cash"]) == 500.0 * a - 7.5 * a
        assert float(row["reserve_trained"]) == a - 30
        assert int(row["targets_held"]) == a // 10 and int(row["targets_units"]) == 5
        assert float(row["service_level_voice"]) == a / 100
        assert float(row["abandon_rate_voice"]) == 1 / a
        assert float(row["pay_cost_commission"]) == 1000.0 + a
    doc = json.loads((tmp_path / "s.json").read_text())
    assert doc == json.loads((tmp_path / "s" / "sweep.json").read_text())
    assert [p["status"] for p in doc["points"]] == ["ok", "failed", "ok"]
    assert doc["points"][0]["values"] == {"pools.in_house.agents": 40}
    assert doc["points"][0]["headlines"] == fake_summary(40)["headlines"]
    assert doc["points"][1]["headlines"] == {}
    assert Path(doc["points"][2]["results"]).is_absolute()
    html = (tmp_path / "s" / "sweep.html").read_text()
    assert html.count("<svg") == 2  # cost vs the varied key; targets held
    # resume: the failed point is tried again, the others are reused
    calls = []
    orig = sweep_run.run_local
    sweep_run.run_local = lambda p, *a: calls.append(p.values) or orig(p, *a)
    try:
        r = CliRunner().invoke(main, ["sweep", str(PROMO), "--vary",
                                      "pools.in_house.agents=40,45,50", "--out",
                                      str(tmp_path / "s"), "--resume"])
    finally:
        sweep_run.run_local = orig
    assert calls == [{"pools.in_house.agents": 45}]


def test_points_csv_lists_points(fake_runs, tmp_path):
    pts = tmp_path / "points.csv"
    pts.write_text("pools.in_house.agents,peak\n40,1\n50,1.3\n")
    assert read_points(pts) == [{"pools.in_house.agents": 40, "peak": 1},
                                {"pools.in_house.agents": 50, "peak": 1.3}]
    r = CliRunner().invoke(main, ["sweep", str(PROMO), "--points", str(pts), "--out",
                                  str(tmp_path / "s")])
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader((tmp_path / "s" / "sweep.csv").open()))
    assert [(row["pools.in_house.agents"], row["peak"]) for row in rows] == [
        ("40", "1"), ("50", "1.3")]


def test_points_csv_ragged_row_is_located(tmp_path):
    pts = tmp_path / "points.csv"
    pts.write_text("peak,reserve\n1,100\n1.3\n")
    with pytest.raises(InputError, match=r"points.csv:3:1: has 1 cells"):
        read_points(pts)
