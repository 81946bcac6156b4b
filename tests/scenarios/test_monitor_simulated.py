"""Rehearsing the monitoring on simulated agents: simulator KPI tables laid end to end as
one history (scenarios/monitor/simulated.py), and ``peakdesk monitor --simulated`` on what
``peakdesk simulate`` writes — a steady team, then the same team after a change that
doubles complaints. Reference: the change is known (the scenario's complaint probability),
so the team and most agents must be flagged from the first changed day, and a steady
history must stay nearly flag-free."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from scenarios.monitor.simulated import simulated_history

STEADY = Path(__file__).resolve().parents[2] / "scenarios" / "examples" / "steady_voice.yaml"
SPEC = """period: day
core:
  - {name: complaint_rate, ratio: [complaints, answered], target: 0.03, better: lower}
auxiliary:
  - {name: answer_rate, ratio: [answered, offered], target: 0.95, better: higher}
baseline_periods: 8
"""


def invoke(*args):
    return CliRunner().invoke(cli.main, [str(a) for a in args])


def test_tables_laid_end_to_end(tmp_path):
    a = tmp_path / "a.csv"
    a.write_text("replication,agent_id,pool,period,answered\n"
                 "0,x,p,2026-11-09,1\n0,x,p,2026-11-10,2\n1,x,p,2026-11-09,3\n"
                 "1,y,p,2026-11-10,4\n", encoding="utf-8")
    b = tmp_path / "b.csv"
    b.write_text("agent_id,pool,period,answered,complaints\n"
                 "x,p,2026-11-09,5,0\nx,p,2026-11-11,6,1\n", encoding="utf-8")
    header, rows = simulated_history([a, b])
    assert header == ["date", "agent_id", "pool", "answered", "complaints"]
    assert rows == [["2026-11-09", "x", "p", "1", ""], ["2026-11-10", "x", "p", "2", ""],
                    ["2026-11-11", "x", "p", "3", ""], ["2026-11-12", "y", "p", "4", ""],
                    ["2026-11-13", "x", "p", "5", "0"], ["2026-11-15", "x", "p", "6", "1"]]


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    d = tmp_path_factory.mktemp("sim")
    changed = d / "complaints_up.yaml"
    text = STEADY.read_text(encoding="utf-8")
    changed.write_text(text.replace("    agents: 90\n",
                                    "    agents: 90\n    quality: {complaint: 0.04}\n"),
                       encoding="utf-8")
    spec = d / "monitor.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    (d / "own.yaml").write_text(SPEC + "judge_agents: own\n", encoding="utf-8")
    for name, scen in (("before", STEADY), ("after", changed)):
        res = invoke("simulate", scen, "-r", 10, "-w", 1, "-q", "--out", d / name)
        assert res.exit_code == 0, res.output
    return d


def test_rehearsal_flags_the_change(simulated):
    d = simulated
    res = invoke("monitor", d / "before" / "agents_all.csv", d / "after" / "agents_all.csv",
                 "--simulated", "--spec", d / "monitor.yaml", "--json", d / "m.json",
                 "--out", d / "out")
    assert res.exit_code == 0, res.output
    doc = json.loads((d / "m.json").read_text(encoding="utf-8"))
    dates = sorted({r["date"] for r in doc["team"]})
    assert len(dates) == 20 and dates[10] == "2026-11-11"
    team = [f for f in doc["flags"] if f["agent_id"] is None and f["metric"] == "complaint_rate"]
    # the change point estimate (the chart last at zero) within two days of the change
    assert [f["kind"] for f in team] == ["decline"]
    assert "2026-11-09" <= team[0]["since"] <= "2026-11-13"
    agents = {f["agent_id"] for f in doc["flags"] if f["agent_id"] and f["kind"] == "decline"
              and f["metric"] == "complaint_rate"}
    # every agent moved with the scheme: judged against the team's day, that is the
    # team's shift, not 90 agents' (at most a few flags of chance)
    assert len(agents) <= 3
    res = invoke("monitor", d / "before" / "agents_all.csv", d / "after" / "agents_all.csv",
                 "--simulated", "--spec", d / "own.yaml", "--json", d / "own.json")
    assert res.exit_code == 0, res.output
    own = json.loads((d / "own.json").read_text(encoding="utf-8"))
    agents = {f["agent_id"] for f in own["flags"] if f["agent_id"] and f["kind"] == "decline"
              and f["metric"] == "complaint_rate"}
    assert len(agents) >= 60                 # own baselines: of 90 agents, after 10 days
    steady_rows = [r for r in doc["team"] if r["metric"] == "complaint_rate"
                   and r["date"] < team[0]["since"]]
    assert all(r["status"] != "decline" for r in steady_rows)
    assert (d / "out" / "history.csv").read_text(encoding="utf-8").startswith(
        "date,agent_id,pool,")


def test_steady_history_stays_quiet(simulated):
    d = simulated
    res = invoke("monitor", d / "before" / "agents_all.csv", "--simulated", "--spec",
                 d / "monitor.yaml", "--json", d / "steady.json")
    assert res.exit_code == 0, res.output
    doc = json.loads((d / "steady.json").read_text(encoding="utf-8"))
    # 90 agents × 2 metrics × 2 monitored days × 0.001: nothing expected
    assert len([f for f in doc["flags"] if f["kind"] != "below_floor"]) <= 1


def test_pay_period_table_is_refused(tmp_path):
    """A run's agents_<policy>.csv is one row per agent per pay period, not a day series."""
    f = tmp_path / "agents_flat.csv"
    f.write_text("agent_id,pool,period,answered,complaints\nx,p,month,1800.5,3\n",
                 encoding="utf-8")
    s = tmp_path / "m.yaml"
    s.write_text(SPEC, encoding="utf-8")
    res = invoke("monitor", f, "--simulated", "--spec", s)
    assert res.exit_code == 2
    assert "agents_flat.csv:2:5: period: expected a date, got 'month'" in res.output
