"""``peakdesk monitor`` end to end on the bundled example: the --json contract, the known
events the example was generated with (scenarios/monitor/example.py), the --out folder,
both languages, and bad inputs (exit 2, one located message per problem, no traceback)."""

from __future__ import annotations

import json
import string
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import cli
from rules.monitor import STATUSES
from scenarios.monitor.example import example_rows
from scenarios.monitor.i18n import MESSAGES
from scenarios.writing.output import csv_text

EXAMPLES = Path(__file__).resolve().parents[2] / "scenarios" / "examples"
HISTORY = EXAMPLES / "monitor_history.csv"
SPEC = EXAMPLES / "monitor.yaml"


def invoke(*args):
    return CliRunner().invoke(cli.main, [str(a) for a in args])


@pytest.fixture(scope="module")
def example_run(tmp_path_factory):
    d = tmp_path_factory.mktemp("monitor")
    res = invoke("monitor", HISTORY, "--spec", SPEC, "--json", d / "m.json", "--out", d / "out")
    assert res.exit_code == 0, res.output
    return d, res, json.loads((d / "m.json").read_text(encoding="utf-8"))


def test_json_contract(example_run):
    _, _, doc = example_run
    assert set(doc) == {"team", "flags"}
    assert len(doc["team"]) == 56 * 3
    for row in doc["team"]:
        assert list(row) == ["date", "metric", "value", "status"]
        assert row["status"] in STATUSES
        assert row["value"] is None or 0 <= row["value"] <= 1
    assert [r["metric"] for r in doc["team"][:3]] == ["conversion", "complaint_rate", "qa_pass"]
    for f in doc["flags"]:
        assert list(f) == ["agent_id", "metric", "kind", "since", "evidence"]
        assert f["kind"] in ("decline", "improvement", "below_floor")
        assert isinstance(f["evidence"], str) and f["evidence"]


def test_example_known_events(example_run):
    """The generator's events from 2026-04-06: A03 declines, A08 improves, A12's QA falls
    below the floor; A14 (weak but steady) and A05 (0 of 2 QA on one day) are noise. No
    other flag stands."""
    _, _, doc = example_run
    got = {(f["agent_id"], f["metric"], f["kind"]): f["since"] for f in doc["flags"]}
    assert set(got) == {("A03", "conversion", "decline"), ("A08", "conversion", "improvement"),
                        ("A12", "qa_pass", "below_floor")}
    for key in (("A03", "conversion", "decline"), ("A08", "conversion", "improvement")):
        assert "2026-04-03" <= got[key] <= "2026-04-09"


def test_out_folder(example_run):
    d, res, doc = example_run
    out = d / "out"
    for name in ("monitor.html", "days.csv", "weeks.csv", "months.csv", "flags.csv",
                 "episodes.csv", "ranking.csv", "charts.csv", "monitor.xlsx", "monitor.json"):
        assert (out / name).is_file(), name
    assert json.loads((out / "monitor.json").read_text(encoding="utf-8")) == doc
    wb = load_workbook(out / "monitor.xlsx", read_only=True)
    assert wb.sheetnames == ["days", "weeks", "months", "flags", "episodes", "ranking",
                             "charts"]
    days = (out / "days.csv").read_text(encoding="utf-8").splitlines()
    assert days[0] == ("date,agent_id,metric,successes,trials,value,lcl,ucl,cusum_decline,"
                       "cusum_improvement,status")
    team_days = [r for r in days[1:] if r.split(",")[1] == "team"]
    assert len(team_days) == 56 * 3
    html = (out / "monitor.html").read_text(encoding="utf-8")
    assert "real decline" in html and "A03" in html and "http://" not in html
    assert "A03" in res.output and "decline" in res.output


def test_chinese_page(tmp_path):
    res = invoke("monitor", HISTORY, "--spec", SPEC, "--out", tmp_path, "--lang", "zh")
    assert res.exit_code == 0, res.output
    html = (tmp_path / "monitor.html").read_text(encoding="utf-8")
    for word in ("确有下滑", "咨询转化率", "监听合格率", "核心数据", "底线数据", "团队：周报"):
        assert word in html


def test_bundled_example_is_the_generators_output():
    """Golden: the bundled CSV is exactly what the documented generator writes."""
    assert HISTORY.read_text(encoding="utf-8") == csv_text(*example_rows())


def test_messages_have_both_languages():
    for key, msg in MESSAGES.items():
        assert set(msg) == {"en", "zh"}, key
        fields = [{f for _, f, _, _ in string.Formatter().parse(msg[lang]) if f}
                  for lang in ("en", "zh")]
        assert fields[0] == fields[1], key


# ---------------------------------------------------------------- bad inputs
SPEC_OK = ("period: day\ncore:\n  - {name: conversion, ratio: [paid_uv, received_uv], "
           "target: 0.35, better: higher}\n")
HIST_OK = "date,agent_id,received_uv,paid_uv\n" + "".join(
    f"2026-03-{d:02d},A{a},40,{12 + a}\n" for d in range(1, 11) for a in range(3))


def _bad(tmp_path, history: str = HIST_OK, spec: str = SPEC_OK, *extra):
    h = tmp_path / "h.csv"
    s = tmp_path / "m.yaml"
    h.write_text(history, encoding="utf-8")
    s.write_text(spec, encoding="utf-8")
    res = invoke("monitor", h, "--spec", s, *extra)
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    return res.output


def test_good_small_inputs_run(tmp_path):
    h = tmp_path / "h.csv"
    s = tmp_path / "m.yaml"
    h.write_text(HIST_OK, encoding="utf-8")
    s.write_text(SPEC_OK, encoding="utf-8")
    assert invoke("monitor", h, "--spec", s).exit_code == 0


@pytest.mark.parametrize("history,expected", [
    (HIST_OK.replace("paid_uv", "paid"), "h.csv:1:1: paid_uv: no column 'paid_uv' (did you "
                                         "mean 'paid'?)"),
    (HIST_OK.replace("2026-03-05,A1", "2026-03-32,A1"), "h.csv:15:1: date: not an ISO date"),
    (HIST_OK.replace("2026-03-02,A2,40,14", "2026-03-02,A1,40,14"),
     "h.csv:7:12: agent_id: agent 'A1' has two rows for 2026-03-02 (first on line 6)"),
    (HIST_OK.replace("2026-03-03,A0,40,12", "2026-03-03,A0,40,-1"),
     "h.csv:8:18: paid_uv: expected a count ≥ 0, got '-1'"),
    (HIST_OK.replace("2026-03-03,A0,40,12", "2026-03-03,A0,40,12.5"),
     "h.csv:8:18: paid_uv: a count must be a whole number, got 12.5"),
    (HIST_OK.replace("2026-03-03,A0,40,12", "2026-03-03,A0,,12"),
     "h.csv:8:15: received_uv: empty while 'paid_uv' is 12"),
    (HIST_OK.replace("2026-03-03,A0,40,12", "2026-03-03,A0,40,12,7"),
     "h.csv:8:1: 5 values, the header has 4 columns"),
    ("date,agent_id,received_uv,paid_uv\n", "h.csv:2: no rows after the header"),
])
def test_bad_history(tmp_path, history, expected):
    assert expected in _bad(tmp_path, history=history)


@pytest.mark.parametrize("spec,expected", [
    (SPEC_OK.replace("target:", "targt:"), "m.yaml:3:55: core.0.targt: unknown key 'targt' "
                                           "(did you mean 'target'?)"),
    (SPEC_OK.replace("target: 0.35, ", ""), "m.yaml:3:5: core.0: core metric 'conversion' "
                                            "needs a target"),
    (SPEC_OK.replace("0.35", "1.5"), "m.yaml:3:63: core.0.target: 1.5 is not a share"),
    (SPEC_OK.replace("higher", "up"), "m.yaml:3:77: core.0.better: Input should be 'higher' "
                                      "or 'lower'"),
    (SPEC_OK + "floor:\n  - {name: qa, ratio: [paid_uv, received_uv], better: higher}\n",
     "m.yaml:5:5: floor.0: floor metric 'qa' needs a floor"),
    (SPEC_OK + "auxiliary:\n  - {name: conversion, ratio: [paid_uv, received_uv], "
               "better: higher}\n", "m.yaml:5:12: auxiliary.0.name: metric 'conversion' is "
                                    "already defined at core[0]"),
    (SPEC_OK + "baseline_periods: 10\n", "m.yaml:4:19: baseline_periods: baseline_periods 10 "
                                         "leaves no period to judge"),
    (SPEC_OK + "core: [\n", "m.yaml:"),
    # sane ranges (issue 17): no infinity, bounded windows and seeds
    (SPEC_OK.replace("0.35", ".inf"), "m.yaml:3:63: core.0.target:"),
    (SPEC_OK + "rank_window: 100000\n", "m.yaml:4:14: rank_window:"),
    (SPEC_OK + "seed: 99999999999999999999999\n", "m.yaml:4:7: seed:"),
    (SPEC_OK.replace("better: higher", "better: higher, model: binomial").replace(
        "paid_uv, received_uv", "received_uv, paid_uv"), "h.csv:2:15: received_uv: 40 is "
                                                         "more than 'paid_uv' (12)"),
])
def test_bad_spec(tmp_path, spec, expected):
    out = _bad(tmp_path, spec=spec)
    assert expected in out, out


def test_missing_files_and_several_histories(tmp_path):
    s = tmp_path / "m.yaml"
    s.write_text(SPEC_OK, encoding="utf-8")
    res = invoke("monitor", tmp_path / "nope.csv", "--spec", s)
    assert res.exit_code == 2 and "nope.csv: file not found" in res.output
    res = invoke("monitor", tmp_path / "a.csv", tmp_path / "b.csv", "--spec", s)
    assert res.exit_code == 2 and "--simulated" in res.output
    h = tmp_path / "sim.csv"
    h.write_text("replication,agent_id,pool,period,answered\n0,a,p,2026-01-01,3\n",
                 encoding="utf-8")
    res = invoke("monitor", h, "--spec", s)
    assert res.exit_code == 2 and "--simulated" in res.output


def test_validate_and_schema_know_the_spec(tmp_path):
    res = invoke("validate", SPEC)
    assert res.exit_code == 0 and "(monitor)" in res.output
    bad = tmp_path / "m.yaml"
    bad.write_text(SPEC_OK.replace("higher", "up"), encoding="utf-8")
    res = invoke("validate", bad)
    assert res.exit_code == 2 and "m.yaml:3:77: core.0.better" in res.output
    res = invoke("schema", "monitor")
    assert res.exit_code == 0 and '"false_alarm_rate"' in res.output
