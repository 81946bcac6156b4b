"""CLI end to end: ``peakdesk pay`` (table, --json per docs/formats.md §5, --csv), ``rules lint``
and ``rules calibrate``; exit codes 0 / 2 with located messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli

POLICIES = Path(__file__).resolve().parents[2] / "rules" / "policies"
TMALL = str(POLICIES / "reviews_tmall.yaml")
PRESALE = str(POLICIES / "kpis_presale.csv")


def invoke(*args):
    return CliRunner().invoke(cli.main, [str(a) for a in args])


def test_pay_json_matches_formats_section_5(tmp_path):
    out = tmp_path / "pay.json"
    csv_out = tmp_path / "pay.csv"
    res = invoke("pay", TMALL, PRESALE, "--json", out, "--csv", csv_out)
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert set(doc) == {"agents", "warnings"}
    assert len(doc["agents"]) == 20
    for a in doc["agents"]:
        assert list(a) == ["agent_id", "score", "performance_pay", "ranking_pay", "commission",
                           "event_pay", "variable_pay", "total_pay"]
    p06 = next(a for a in doc["agents"] if a["agent_id"] == "P06")
    assert p06["total_pay"] == 3680 and p06["event_pay"] == 180     # see test_rules_bundled
    header = csv_out.read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("agent_id,pool,score,rank,base_pay")
    assert "total pay" in res.output and "p90" in res.output and "variable share" in res.output


def test_pay_explain(tmp_path):
    res = invoke("pay", TMALL, PRESALE, "--explain", "P03")
    assert res.exit_code == 0
    assert "2 offset by 50 named_good_reviews" in res.output


def test_pay_division_by_zero_warns(tmp_path):
    pol = tmp_path / "p.yaml"
    pol.write_text("policy: x\nmetrics: {conv: paid_uv / received_uv}\n"
                   "commission: {per: conv, rate: 100}\n", encoding="utf-8")
    kpis = tmp_path / "k.csv"
    kpis.write_text("agent_id,pool,paid_uv,received_uv\nz1,in_house,1,0\nz2,in_house,1,4\n",
                    encoding="utf-8")
    out = tmp_path / "o.json"
    res = invoke("pay", pol, kpis, "--json", out)
    assert res.exit_code == 0
    warnings = json.loads(out.read_text())["warnings"]
    assert len(warnings) == 1 and "z1" in warnings[0] and "conv" in warnings[0]


def test_pay_missing_column_and_unknown_metric_exit_2(tmp_path):
    kpis = tmp_path / "k.csv"
    kpis.write_text("agent_id,pool,named_good_reviews\na,in_house,3\n", encoding="utf-8")
    res = invoke("pay", TMALL, kpis)
    assert res.exit_code == 2
    assert f"{kpis}:1:1: bad_reviews: no column 'bad_reviews'" in res.output
    assert "Traceback" not in res.output
    pol = tmp_path / "p.yaml"
    pol.write_text("policy: x\ncommission: {per: answred, rate: 1}\n", encoding="utf-8")
    res = invoke("pay", pol, PRESALE)
    assert res.exit_code == 2 and f"{pol}:2:19: commission.0.per" in res.output
    assert "did you mean 'answered'" in res.output


def test_pay_empty_cell_located(tmp_path):
    kpis = tmp_path / "k.csv"
    kpis.write_text("agent_id,pool,named_good_reviews,bad_reviews,named_good_review_rate,tenure_months\n"
                    "a,in_house,3,,0.1,5\n", encoding="utf-8")
    res = invoke("pay", TMALL, kpis)
    assert res.exit_code == 2
    assert f"{kpis}:2:14: bad_reviews: empty value" in res.output


def test_pay_no_agent_in_pools(tmp_path):
    kpis = tmp_path / "k.csv"
    kpis.write_text("agent_id,pool,answered,outbound_calls\na,outsourced,3,4\n", encoding="utf-8")
    res = invoke("pay", POLICIES / "commission_phase2.yaml", kpis)
    assert res.exit_code == 2 and "applies_to" in res.output


def test_lint_findings_located(tmp_path):
    pol = tmp_path / "p.yaml"
    pol.write_text("""\
policy: x
scorecard:
  pay_base: 100
  items:
    - {metric: conversion_rate, weight: 0.5, target: 0.9}
    - {metric: satisfaction, weight: 0.3, target: 0.5}
commission:
  - per: sales_amount
    tiers: [{from: 0, rate: 0.03}, {from: 100000, rate: 0.02}]
events:
  - {per: bad_reviews, pay: -50, when: "1 > 2"}
  - {per: named_good_reviews, pay: 5, when: "named_good_review_rate > 0.5"}
""", encoding="utf-8")
    res = invoke("rules", "lint", pol, "--kpis", PRESALE)
    assert res.exit_code == 0
    out = res.output
    assert f"{pol}:5:5: scorecard.items: weights sum to 0.8 (80%), not 100%" in out
    assert f"{pol}:5:41: scorecard.items.0.weight: weight 50%" in out
    assert "no agent reaches the target 0.9 of 'conversion_rate'" in out
    assert "every agent beats the target 0.5 of 'satisfaction'" in out
    assert "tier rates out of order" in out
    assert f"{pol}:11:40: events.0.when: '1 > 2' is always false" in out
    assert "events.1.when: the event fires for no agent" in out
    assert invoke("rules", "lint", pol, "--strict").exit_code == 1


def test_lint_bundled_clean():
    res = invoke("rules", "lint", POLICIES / "forced_ranking_phase1.yaml")
    assert res.exit_code == 0 and "ok:" in res.output


def test_calibrate_writes_fragment_that_loads(tmp_path):
    frag = tmp_path / "frag.yaml"
    res = invoke("rules", "calibrate", "--pay-range", 5000, 9000, "--base", 3000,
                 "--incentives", 300, "--benefits", 500, "--kpis", PRESALE, "--output", frag)
    assert res.exit_code == 0, res.output
    pol = tmp_path / "p.yaml"
    pol.write_text("policy: calibrated\nbase_pay: 3000\n" + frag.read_text(), encoding="utf-8")
    assert invoke("validate", pol).exit_code == 0


@pytest.mark.parametrize("args", [
    ["--pay-range", 9000, 5000, "--base", 3000, "--sales-mean", 1e5, "--sales-cv", 0.4],
    ["--pay-range", 3000, 5000, "--base", 3000, "--sales-mean", 1e5, "--sales-cv", 0.4],
])
def test_calibrate_bad_input_exit_2(args):
    res = invoke("rules", "calibrate", *args)
    assert res.exit_code == 2 and "error:" in res.output
