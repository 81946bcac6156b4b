"""The policies stage of ``peakdesk run`` (behaviour comparison) against ``peakdesk
compare --json`` on the same scenario, seed and replications (an independent path: the
CLI command loads its own inputs and runs with one worker, the stage uses the simulation
stage's model and a process pool); its CSVs against that JSON; the pay stage paying the
responses; --quick's caps against the scenario's own settings."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path

import pytest

from scenarios import load_scenario
from scenarios.run.stages.policies import QUICK_SIM_ROUNDS

from .conftest import EXAMPLES, cli, read_rows

NEW_TEAM = EXAMPLES / "new_team_kpi_phases.yaml"


@pytest.fixture(scope="module")
def new_team(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    base = tmp_path_factory.mktemp("policies")
    res = cli("run", NEW_TEAM, "--out", base / "run")
    assert res.exit_code == 0, res.output
    reps = load_scenario(NEW_TEAM).simulation.replications
    ref = cli("compare", NEW_TEAM, "--json", base / "compare.json", "--replications", reps)
    assert ref.exit_code == 0, ref.output
    return base / "run", json.loads((base / "compare.json").read_text(encoding="utf-8"))


def _summary(out: Path) -> dict:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


def test_numbers_equal_peakdesk_compare_json(new_team: tuple[Path, dict]) -> None:
    out, want = new_team
    want = copy.deepcopy(want)
    stage = _summary(out)["stages"]["policies"]
    assert stage["status"] == "ok"
    got = stage["summary"]["comparison"]
    for k in ("solve_s", "simulate_s"):  # wall time, left out of the reproducible summary
        want.pop(k)
    for entry in want["policies"].values():  # pay and cost: the pay stage (pay.csv)
        for k in ("pay", "cost", "pay_distribution"):
            entry.pop(k, None)
    assert got == want
    assert list(got["policies"]) == ["baseline", "forced-ranking-phase-1",
                                     "commission-phase-2"]


def test_csv_tables_equal_the_json(new_team: tuple[Path, dict]) -> None:
    out, want = new_team
    rows = read_rows(out / "policies.csv")
    seen = 0
    for r in rows:
        pol = want["policies"][r["policy"]]
        if r["block"] == "levers":
            assert float(r["mean"]) == pol["levers"][r["metric"]]
            continue
        if r["block"] == "equilibrium":        # converged, rounds, max_regret(_share)
            assert float(r["mean"]) == float(pol["equilibrium"][r["metric"]])
            continue
        st = pol[r["block"]][r["metric"]]
        assert float(r["mean"]) == st["mean"]
        assert [float(r["ci95_lo"]), float(r["ci95_hi"])] == st["ci95"]
        d = st.get("diff_vs_baseline")
        if d is None:
            assert r["diff_mean"] == "" and r["policy"] == "baseline"
        else:
            assert float(r["diff_mean"]) == d["mean"]
            assert (r["significant"] == "True") == d["significant"]
        seen += 1
    # every team and per-agent statistic of every policy is in the CSV (pay and cost are
    # in pay.csv, from the pay stage's one computation)
    assert seen == sum(len([k for k, v in p[b].items() if isinstance(v, dict)
                            and k != "distribution"])
                       for p in want["policies"].values()
                       for b in ("team", "per_agent"))
    assert not any(r["block"] in ("pay", "cost") for r in rows)
    levers = read_rows(out / "levers.csv")
    for r in levers:
        pol = want["policies"][r["policy"]]
        base = want["policies"]["baseline"]["levers"][r["lever"]]
        assert math.isclose(float(r["change_vs_baseline"]),
                            pol["levers"][r["lever"]] - base, abs_tol=1e-15)
        assert (r["driver"] or None) == pol["why_main"][r["lever"]]
        assert float(r["marginal_pay"]) == pol["why"][r["lever"]]["total"]


def test_pay_stage_pays_the_responses(new_team: tuple[Path, dict]) -> None:
    out, want = new_team
    summary = _summary(out)
    pay = summary["stages"]["pay"]["summary"]["policies"]
    assert {p["behaviour"] for n, p in pay.items() if n != "baseline"} == {"response"}
    assert pay["baseline"]["behaviour"] == "flat"
    assert set(pay) == set(want["policies"])
    # the same pay and cost as `peakdesk compare --json` (its own pay path: the behaviour
    # model paying the day-summed agent table of every final replication)
    for name, p in pay.items():
        assert math.isclose(p["mean"], want["policies"][name]["pay"]["mean"]["mean"],
                            rel_tol=1e-9)
        assert math.isclose(p["cost_per_period"],
                            want["policies"][name]["cost"]["total"]["mean"], rel_tol=1e-9)
    # the policies stage's finding quotes the per-agent difference per day (a 1-day horizon)
    d = want["policies"]["commission-phase-2"]["per_agent"]["answered"]["diff_vs_baseline"]
    findings = summary["stages"]["policies"]["findings"]
    sentence = next(s for s in findings
                    if s.startswith("Under commission-phase-2, compared with flat pay"))
    digits = 0 if abs(d["mean"]) >= 10 else 1
    assert f"answer {abs(d['mean']):,.{digits}f} {'more' if d['mean'] > 0 else 'fewer'}" \
        in sentence
    assert summary["headlines"]["policies.commission-phase-2.answered_per_agent_day"] == \
        d["mean"]


def test_quick_caps_rounds_and_says_so(tmp_path: Path) -> None:
    res = cli("run", NEW_TEAM, "--out", tmp_path / "q", "--quick", "--lang", "zh")
    assert res.exit_code == 0, res.output
    stage = _summary(tmp_path / "q")["stages"]["policies"]
    sc = load_scenario(NEW_TEAM)
    assert stage["summary"]["sim_rounds"] == QUICK_SIM_ROUNDS < sc.behavior.sim_rounds
    assert stage["summary"]["replications"] < sc.simulation.replications
    report = (tmp_path / "q" / "report.html").read_text(encoding="utf-8")
    assert "快速运行" in report and "各方案与固定工资对比" in report
