"""Demand and requirements stages on a small hand-made scenario.

References: hand arithmetic from the scenario's numbers (contacts, peak, staffed pools,
shortfall) and the exact Erlang C of tests/planning/reference.py (mpmath) for the fewest
agents meeting 80/20 — independent of planning.erlang.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from scenarios import load_scenario
from scenarios.run.pipeline import run_stages
from scenarios.run.stage import RunContext
from scenarios.run.stages import default_stages
from tests.planning import reference as R

RATES = [100] * 20 + [700] + [100] * 3  # 24 one-hour intervals, peak at 20:00
OUTSOURCED = [0] * 19 + [5, 5, 5] + [0] * 2

SCENARIO = f"""
name: small <b>test</b>
language: zh
horizon: {{start: 2026-11-11T00:00, days: 1, interval_minutes: 60}}
channels:
  voice:
    handle_time: {{dist: exponential, mean_s: 180}}
    service_level: {{target: 0.8, within_s: 20}}
demand:
  voice: {{rates_per_hour: {RATES}}}
pools:
  in_house: {{agents: 8}}
  outsourced: {{agents: {OUTSOURCED}}}
  reserve: {{plan: reserve_plan.csv}}
staffing: {{shrinkage: 0.0}}
simulation: {{seed: 3}}
"""


def _ctx(tmp_path: Path, text: str = SCENARIO, lang: str = "en") -> RunContext:
    p = tmp_path / "s.yaml"
    p.write_text(text, encoding="utf-8")
    return RunContext(load_scenario(p), p, lang)  # type: ignore[arg-type]


def _required_erlang_c(rate: float) -> int:
    """Fewest agents with SL(20 s) >= 0.8, exact Erlang C (mpmath reference)."""
    n = math.floor(rate * 180 / 3600) + 1
    while R.erlang_c(n, rate, 180, 20)["service_level"] < 0.8:
        n += 1
    return n


@pytest.fixture()
def results(tmp_path: Path) -> dict:
    ctx = _ctx(tmp_path)
    # demand and requirements only: the reserve's plan file is deliberately absent here
    return {r.name: r for r in run_stages(default_stages()[:2], ctx)}


def test_demand_numbers_by_hand(results: dict) -> None:
    d = results["demand"].summary
    assert d["contacts"] == 3000.0  # 23 × 100 + 700 contacts in one-hour intervals
    ch = d["channels"]["voice"]
    assert ch["peak_rate_per_hour"] == 700.0 and ch["peak_interval"] == "2026-11-11T20:00"
    assert ch["peak_to_mean"] == pytest.approx(700 / 125)
    table = results["demand"].tables[0]
    assert table.columns == ["interval_start", "channel", "rate_per_hour", "expected_contacts"]
    assert [row[2] for row in table.rows] == RATES


def test_requirements_match_exact_erlang_c_and_pools_by_hand(results: dict) -> None:
    base, peak = _required_erlang_c(100), _required_erlang_c(700)
    req = results["requirements"]
    intervals = {(r[0], r[1]): r for r in req.tables[0].rows}
    col = req.tables[0].columns.index("required_agents")
    assert intervals[("2026-11-11T00:00", "voice")][col] == base
    assert intervals[("2026-11-11T20:00", "voice")][col] == peak
    staffing = req.tables[1]
    assert staffing.columns == ["interval_start", "scheduled_voice", "scheduled_total",
                                "staffed_in_house", "staffed_outsourced", "staffed_total",
                                "shortfall"]
    need = [peak if r == 700 else base for r in RATES]  # shrinkage 0: scheduled = required
    staffed = [8 + o for o in OUTSOURCED]
    short = [max(0, n - s) for n, s in zip(need, staffed, strict=True)]
    assert [r[2] for r in staffing.rows] == need
    assert [r[5] for r in staffing.rows] == staffed
    assert [r[6] for r in staffing.rows] == short
    s = req.summary["staffed"]
    assert s["short_intervals"] == sum(x > 0 for x in short)
    assert s["missing_agent_hours"] == float(sum(short))
    assert s["pools"]["outsourced"] == {"min_agents": 0, "max_agents": 5, "agent_hours": 15.0}
    assert req.summary["total"]["peak_scheduled"] == peak
    # the pool given by a plan file is named in a warning, not silently counted
    assert any("reserve_plan.csv" in w for w in req.warnings)
    assert {f.name for f in req.figures} == {"req-voice", "req-total"}


def test_outbound_only_scenario_skips_requirements_and_says_why(tmp_path: Path) -> None:
    text = """
name: outbound only
horizon: {start: 2026-11-11T00:00}
channels:
  calls: {kind: outbound, handle_time: {dist: exponential, mean_s: 60}}
demand:
  calls: {rate_per_hour: 10}
"""
    ctx = _ctx(tmp_path, text, "zh")
    res = {r.name: r for r in run_stages(default_stages(), ctx)}
    assert res["demand"].status == "ok"
    assert res["requirements"].status == "skipped"
    assert res["requirements"].reason == "场景没有需要排班的呼入渠道"


def test_no_pools_decision_states_hours(tmp_path: Path) -> None:
    text = SCENARIO.split("pools:")[0] + "staffing: {shrinkage: 0.0}\n"
    ctx = _ctx(tmp_path, text)
    res = {r.name: r for r in run_stages(default_stages(), ctx)}
    hours = 23 * _required_erlang_c(100) + _required_erlang_c(700)
    assert f"{hours:,} agent-hours must be scheduled" in " ".join(res["requirements"].decisions)
    assert "staffed" not in res["requirements"].summary


def test_constant_demand_is_called_flat() -> None:
    """steady_voice.yaml: 1000/h all day (docs/formats.md §1) — no 'peak' sentence."""
    p = Path(__file__).parents[3] / "scenarios" / "examples" / "steady_voice.yaml"
    ctx = RunContext(load_scenario(p), p, "en")
    res = run_stages(default_stages()[:1], ctx)[0]
    assert res.decisions == ["Demand on voice is flat at about 1,000 contacts per hour."]
    assert res.summary["contacts"] == 24_000.0  # 1000/h × 24 h
