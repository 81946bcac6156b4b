"""`peakdesk demand` and `peakdesk forecast` end to end (click CliRunner)."""

from __future__ import annotations

import csv
import json
from importlib import resources

import numpy as np
from click.testing import CliRunner

import cli
from planning.demand.synth import example_params, synthetic_history
from scenarios.reading.history import read_history

EXAMPLES = resources.files("scenarios").joinpath("examples")


def test_demand_prints_and_writes(tmp_path):
    sc = str(EXAMPLES.joinpath("double11.yaml"))
    res = CliRunner().invoke(cli.main, ["demand", sc, "--csv", str(tmp_path / "d.csv"),
                                        "--json", str(tmp_path / "d.json"),
                                        "--plot", str(tmp_path / "d.svg")])
    assert res.exit_code == 0, res.output
    assert "demand scenarios: s1 p=0.050" in res.output and "2026-11-11" in res.output
    assert (tmp_path / "d.svg").read_text().lstrip().startswith("<?xml")
    rows = list(csv.DictReader(open(tmp_path / "d.csv", encoding="utf-8")))
    assert len(rows) == 2 * 14 * 48  # two channels, a fortnight of 30-minute intervals
    doc = json.loads((tmp_path / "d.json").read_text())
    probs = [s["probability"] for s in doc["scenarios"]]
    # Conservation: probability-weighted mean of the written scenarios = written point.
    for r in rows:
        mean = sum(p * float(r[f"s{i + 1}"]) for i, p in enumerate(probs))
        assert abs(mean - float(r["point"])) <= 1e-9 * max(1.0, float(r["point"]))


def test_demand_bad_scenario_exit_2(tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text(EXAMPLES.joinpath("double11.yaml").read_text("utf-8").replace(
        "intraday: ordinary_day\n    intraday_by_date", "intraday: ordnary_day\n    intraday_by_date", 1))
    res = CliRunner().invoke(cli.main, ["demand", str(p)])
    assert res.exit_code == 2
    assert f"error: {p}:" in res.output and "did you mean 'ordinary_day'" in res.output


def test_bundled_history_is_the_generator_output(tmp_path):
    # Golden: the bundled CSV is synthetic_history(example_params()); regenerate with
    # write_history('scenarios/examples/history.csv', synthetic_history(example_params())).
    bundled = read_history(str(EXAMPLES.joinpath("history.csv")))
    fresh = synthetic_history(example_params())
    for ch in fresh.channels:
        np.testing.assert_array_equal(bundled.channels[ch].contacts, fresh.channels[ch].contacts)
        np.testing.assert_array_equal(bundled.channels[ch].orders, fresh.channels[ch].orders)


def test_forecast_json_contract_and_outputs(tmp_path):
    hist = str(EXAMPLES.joinpath("history.csv"))
    out, js, plot = tmp_path / "d.yaml", tmp_path / "f.json", tmp_path / "f.svg"
    res = CliRunner().invoke(cli.main, ["forecast", hist, "--holdout", "7", "--out", str(out),
                                        "--json", str(js), "--plot", str(plot)])
    assert res.exit_code == 0, res.output
    doc = json.loads(js.read_text())
    b = doc["backtest"]
    assert b["holdout_days"] == 7 and 0 < b["wape"] < 0.2 and abs(b["bias"]) < 0.05
    # Known truth of the bundled example (demand_synth.example_params): presale ×2.0 voice.
    assert abs(doc["channels"]["voice"]["event_uplifts"]["presale"] / 2.0 - 1) < 0.1
    assert "demand:" in out.read_text() and plot.exists()


def test_forecast_holdout_too_long(tmp_path):
    hist = str(EXAMPLES.joinpath("history.csv"))
    res = CliRunner().invoke(cli.main, ["forecast", hist, "--holdout", "65"])
    assert res.exit_code == 2 and "at least 7 are needed" in res.output
