"""``peakdesk compare`` end to end (click CliRunner): the issue-5 JSON contract, exit codes
and located input errors; the scenario's ``behavior:`` section reaches the model.

References: the issue's JSON contract (names written out here), docs/formats.md §5 exit codes,
the flat baseline's pay (= behavior.baseline_pay, by hand) and the cost identity
wages + variable pay + sourcing = total.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from click.testing import CliRunner

import cli

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios/examples/new_team_kpi_phases.yaml"
RANKING = ROOT / "rules/policies/forced_ranking_phase1.yaml"
COMMISSION = ROOT / "rules/policies/commission_phase2.yaml"


def scenario_text() -> str:
    """The example with its policies: paths made absolute (for copies in tmp_path)."""
    return SCENARIO.read_text().replace("../../rules/policies/",
                                        str(ROOT / "rules/policies") + "/")


def invoke(*args: str):
    return CliRunner().invoke(cli.main, [str(a) for a in args], catch_exceptions=False)


def test_json_contract(tmp_path):
    out = tmp_path / "c.json"
    r = invoke("compare", SCENARIO, "--policy", RANKING, "--policy", COMMISSION,
               "--replications", "3", "--json", out)
    assert r.exit_code == 0, r.output
    data = json.loads(out.read_text())
    assert set(data["policies"]) == {"baseline", "forced-ranking-phase-1",
                                     "commission-phase-2"}
    for name, p in data["policies"].items():
        for block in ("team", "per_agent", "levers", "pay", "cost"):
            assert block in p, (name, block)
        for m in ("answered", "outbound_calls", "service_volume", "aht_s"):
            st = p["per_agent"][m]
            lo, hi = st["ci95"]
            assert lo <= st["mean"] <= hi, (name, m)
        for m in ("offered", "answered", "abandoned", "abandon_rate", "service_level",
                  "asa_s", "occupancy", "answer_rate", "fcr", "repeat_contacts",
                  "complaints", "aht_s"):
            assert set(p["team"][m]) >= {"mean", "ci95"}, (name, m)
        assert set(p["levers"]) == {"speed", "availability", "outbound", "sales_push"}
        eq = p["equilibrium"]                 # issue 13: equilibrium quality, per policy
        assert set(eq) == {"converged", "rounds", "max_regret", "max_regret_share", "mixed"}
        assert eq["converged"] == (eq["max_regret_share"] <= 0.02) and eq["max_regret"] >= 0
        c = p["cost"]
        assert abs(c["wages"]["mean"] + c["variable_pay"]["mean"] + c["sourcing"]["mean"]
                   - c["total"]["mean"]) < 1e-6 * max(1.0, c["total"]["mean"])
    base = data["policies"]["baseline"]
    assert base["pay"]["mean"]["mean"] == 3000.0          # behavior.baseline_pay
    assert base["levers"]["speed"] == 1.0
    diff = data["policies"]["forced-ranking-phase-1"]["team"]["answer_rate"]["diff_vs_baseline"]
    assert set(diff) == {"mean", "ci95", "significant"}
    assert data["policies"]["forced-ranking-phase-1"]["why_main"]["speed"] is not None
    # the table and the why are printed
    assert "forced-ranking-phase-1" in r.output and "why speed" in r.output
    assert "ranking noise" in r.output
    assert "equilibrium" in r.output and "max regret" in r.output


def test_scenario_policies_by_default(tmp_path):
    # the scenario lists the two bundled seed-000 policies under `policies:`
    out = tmp_path / "c.json"
    r = invoke("compare", SCENARIO, "--replications", "2", "--json", out)
    assert r.exit_code == 0, r.output
    assert set(json.loads(out.read_text())["policies"]) == {
        "baseline", "forced-ranking-phase-1", "commission-phase-2"}
    bare = tmp_path / "s.yaml"
    bare.write_text(scenario_text().replace("policies:", "no_policies:"))
    r = invoke("compare", bare)
    assert r.exit_code == 2 and "no_policies" in r.output      # unknown key, located
    bare.write_text("\n".join(line for line in scenario_text().splitlines()
                              if "rules/policies" not in line and not line.startswith("policies:")))
    r = invoke("compare", bare)
    assert r.exit_code == 2 and "no policy to compare" in r.output


def test_run_stage_hook_tables():
    # the `peakdesk run` pay stage's PolicyResponses hook: per policy, replication 0's
    # whole-horizon agent table (agents_horizon layout) at the agents' response
    from scenarios.adapters.to_compare import compare_inputs, run_compare

    c = run_compare(compare_inputs(SCENARIO, [COMMISSION], replications=1))
    tables = c.agents_horizon
    assert list(tables) == ["commission-phase-2"]
    t = tables["commission-phase-2"]
    assert {"agent", "answered", "staffed_s", "talk_time_s", "missed_rings"} <= set(t)
    assert len(t["agent"]) == 12 and t["answered"].sum() > 0     # 12 in-house slots
    np.testing.assert_allclose(t["staffed_s"], 9 * 3600.0)     # 09:00-18:00


def test_no_baseline(tmp_path):
    out = tmp_path / "c.json"
    r = invoke("compare", SCENARIO, "--policy", COMMISSION, "--replications", "2",
               "--no-baseline", "--json", out)
    assert r.exit_code == 0, r.output
    data = json.loads(out.read_text())
    assert list(data["policies"]) == ["commission-phase-2"]
    assert "diff_vs_baseline" not in data["policies"]["commission-phase-2"]["team"]["aht_s"]


def test_bad_inputs_exit_2_with_location(tmp_path):
    r = invoke("compare", SCENARIO, "--policy", tmp_path / "missing.yaml")
    assert r.exit_code == 2
    dup = tmp_path / "dup.yaml"
    dup.write_text(COMMISSION.read_text())
    r = invoke("compare", SCENARIO, "--policy", COMMISSION, "--policy", dup)
    assert r.exit_code == 2 and "also used by" in r.output
    base = tmp_path / "b.yaml"
    base.write_text("policy: baseline\nbase_pay: 1\n")
    r = invoke("compare", SCENARIO, "--policy", base)
    assert r.exit_code == 2 and "reserved" in r.output
    unpredicted = tmp_path / "u.yaml"
    unpredicted.write_text("policy: u\nevents:\n  - {per: disputes, pay: -10}\n")
    r = invoke("compare", SCENARIO, "--policy", unpredicted)
    assert r.exit_code == 2 and "disputes" in r.output
    elsewhere = tmp_path / "e.yaml"
    elsewhere.write_text("policy: e\napplies_to: [reserve]\nbase_pay: 1\n")
    r = invoke("compare", SCENARIO, "--policy", elsewhere)
    assert r.exit_code == 2 and "staffs only in_house" in r.output
    sc = tmp_path / "s.yaml"
    sc.write_text(scenario_text().replace("baseline_pay: 3000",
                                               "baseline_pay: 3000\n  sim_round: 2"))
    r = invoke("compare", sc, "--policy", COMMISSION)
    assert r.exit_code == 2 and "sim_round" in r.output and "sim_rounds" in r.output


def test_behavior_section_overrides_reach_the_model(tmp_path):
    # Reference: the scenario's values, set by hand here, against the defaults.
    from scenarios.adapters.to_compare import compare_inputs

    sc = tmp_path / "s.yaml"
    text = scenario_text()
    marker = "  # natural outbound share and ready share: the pool's levers above"
    assert marker in text
    sc.write_text(text.replace(
        marker,
        "  skills:\n    in_house: {outbound_natural: 0.1, fcr_mean: 0.7, cost_per_hour: 25}\n"
        "  params: {speed_bounds: [0.8, 1.1], rush_fcr: 0.4, ring_unready_share: 0.5}\n"
        "  sim_rounds: 2"))
    inp = compare_inputs(sc, [COMMISSION], replications=2)
    p = inp.settings.params
    assert p.speed_bounds == (0.8, 1.1) and p.rush_fcr == 0.4
    assert p.ring_unready_share == 0.5 and inp.settings.sim_rounds == 2
    assert (inp.agents.outbound_natural == 0.1).all()
    assert abs(inp.agents.fcr.mean() - 0.7) < 0.08
    assert abs(inp.agents.cost_per_hour.mean() - 25) < 6
    default = compare_inputs(SCENARIO, [COMMISSION], replications=2)
    assert default.settings.params.rush_fcr == 0.6
    assert abs(default.agents.fcr.mean() - 0.85) < 0.08    # in-house default (docs/behavior.md)


def test_one_replication_writes_strict_json(tmp_path):
    # Reference: RFC 8259 has no NaN — undefined values (e.g. how often an agent is in the
    # bottom band again, with one replication) must be null.
    out = tmp_path / "c.json"
    r = invoke("compare", SCENARIO, "--policy", RANKING, "--replications", "1", "--json", out)
    assert r.exit_code == 0, r.output

    def no_nan(token):
        raise AssertionError(f"non-JSON constant {token}")

    data = json.loads(out.read_text(), parse_constant=no_nan)
    assert data["policies"]["forced-ranking-phase-1"]["ranking_noise"]["bottom_repeat"] is None
