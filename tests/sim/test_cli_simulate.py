"""``peakdesk simulate`` end to end (click CliRunner): exit codes, the docs/formats.md §5 JSON
contract, CSV outputs, plan CSVs and located input errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli

ROOT = Path(__file__).resolve().parents[2]
STEADY = ROOT / "scenarios" / "examples" / "steady_voice.yaml"
PROMO = ROOT / "scenarios" / "examples" / "promo_day_full.yaml"


def invoke(*args: str):
    return CliRunner().invoke(cli.main, list(args), catch_exceptions=False)


def test_json_contract(tmp_path):
    out = tmp_path / "s.json"
    r = invoke("simulate", str(STEADY), "--replications", "3", "--workers", "1", "--seed",
               "5", "--json", str(out), "--quiet")
    assert r.exit_code == 0, r.output
    data = json.loads(out.read_text())
    assert data["replications"] == 3 and data["seed"] == 5 and data["wall_s"] >= 0
    voice = data["channels"]["voice"]
    for metric in ("offered", "answered", "abandoned", "abandon_rate", "service_level",
                   "asa_s", "occupancy"):
        lo, hi = voice[metric]["ci95"]
        assert lo <= voice[metric]["mean"] <= hi, metric
    # the scenario's offered load: 1000/h over 23 h after a 1 h warm-up
    assert abs(voice["offered"]["mean"] - 23_000) < 600
    assert voice["offered"]["mean"] == voice["answered"]["mean"] + voice["abandoned"]["mean"]


def test_outputs_and_same_result_for_any_worker_count(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    r1 = invoke("simulate", str(PROMO), "-r", "2", "-w", "1", "--json", str(a), "--out",
                str(tmp_path / "out"), "--contact-log", "--quiet")
    r2 = invoke("simulate", str(PROMO), "-r", "2", "-w", "2", "--json", str(b), "--quiet")
    assert r1.exit_code == 0 and r2.exit_code == 0, r1.output + r2.output
    ja, jb = json.loads(a.read_text()), json.loads(b.read_text())
    assert ja["channels"] == jb["channels"] and ja["team"] == jb["team"]
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == ["agents.csv", "agents_all.csv", "contacts.csv", "intervals.csv",
                     "summary.csv"]
    head = (tmp_path / "out" / "agents.csv").read_text().splitlines()[0].split(",")
    assert head[:3] == ["agent_id", "pool", "period"] and "answered" in head
    assert {"outbound_calls", "named_good_reviews", "bad_reviews", "fcr"} <= set(head)
    # interval rows add up to the whole horizon; the contact log has one row per contact
    import csv

    rows = list(csv.DictReader((tmp_path / "out" / "intervals.csv").open()))
    assert len(rows) == 2 * 48 and {r["channel"] for r in rows} == {"voice", "chat"}
    contacts = list(csv.DictReader((tmp_path / "out" / "contacts.csv").open()))
    for ch in ("voice", "chat"):
        per_interval = sum(float(r["offered"]) for r in rows if r["channel"] == ch)
        n_rep0 = sum(1 for c in contacts if c["channel"] == ch)
        assert per_interval > 0 and n_rep0 > 0
    agents = list(csv.DictReader((tmp_path / "out" / "agents.csv").open()))
    answered_by_agents = sum(float(a["answered"]) for a in agents)
    assert answered_by_agents == sum(1 for c in contacts if c["answer_s"] != "")


def test_plan_csv_overrides_staffing(tmp_path):
    plan = tmp_path / "plan.csv"
    plan.write_text("interval,in_house\n" + "".join(f"{i},{60}\n" for i in range(48)))
    out = tmp_path / "s.json"
    r = invoke("simulate", str(STEADY), "--plan", str(plan), "-r", "2", "-w", "1", "--json",
               str(out), "--quiet")
    assert r.exit_code == 0, r.output
    # 60 agents for 66.7 Erlangs: overloaded, unlike the scenario's 90
    assert json.loads(out.read_text())["channels"]["voice"]["abandon_rate"]["mean"] > 0.05


def test_bad_plan_is_a_located_input_error(tmp_path):
    plan = tmp_path / "plan.csv"
    plan.write_text("interval,in_hose,in_house\n0,5,3\n1,5,-2\n")
    r = CliRunner().invoke(cli.main, ["simulate", str(STEADY), "--plan", str(plan)])
    assert r.exit_code == 2
    assert f"{plan}:1:2: in_hose: unknown pool 'in_hose' (did you mean 'in_house'?)" in r.output
    assert f"{plan}:3:3: in_house: agents must be a whole number 0..100,000 (got '-2')" in r.output
    assert "Traceback" not in r.output


def test_unknown_skill_is_located(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(STEADY.read_text().replace("agents: 90", "agents: 90\n    skills: [voise]"))
    r = CliRunner().invoke(cli.main, ["simulate", str(bad)])
    assert r.exit_code == 2
    assert "pools.in_house.skills.0: unknown channel 'voise' (did you mean 'voice'?)" in r.output


def test_missing_scenario_exit_2():
    r = CliRunner().invoke(cli.main, ["simulate", "/nonexistent.yaml"])
    assert r.exit_code == 2 and "file not found" in r.output


@pytest.mark.slow
def test_dask_scheduler_on_loopback_gives_the_same_result(tmp_path):
    """--scheduler: a local Dask scheduler and two worker processes on 127.0.0.1; the
    result equals the local process pool's (same seed ⇒ same numbers anywhere)."""
    distributed = pytest.importorskip("distributed")
    local, remote = tmp_path / "local.json", tmp_path / "dask.json"
    args = ["simulate", str(STEADY), "-r", "4", "--seed", "3", "--quiet"]
    assert invoke(*args, "-w", "2", "--json", str(local)).exit_code == 0
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        r = invoke(*args, "--scheduler", cluster.scheduler_address, "--json", str(remote))
    assert r.exit_code == 0, r.output
    a, b = json.loads(local.read_text()), json.loads(remote.read_text())
    assert a["channels"] == b["channels"] and a["team"] == b["team"]


@pytest.mark.slow
def test_unreachable_scheduler_exit_1():
    """Nothing listens on port 9: a short message and exit 1 after the connect timeout."""
    r = CliRunner().invoke(cli.main, ["simulate", str(STEADY), "-r", "1", "--scheduler",
                                      "tcp://127.0.0.1:9", "--quiet"])
    assert r.exit_code == 1 and "Traceback" not in r.output


def test_apply_shrinkage_makes_pool_agents_scheduled(tmp_path):
    """shrinkage 0.3 applied: each agent ready 70% of its staffed time (online_rate)."""
    sc = tmp_path / "s.yaml"
    sc.write_text(STEADY.read_text().replace("simulation:", "staffing: {shrinkage: 0.3}\n"
                                             "simulation:\n  apply_shrinkage: true"))
    r = invoke("simulate", str(sc), "-r", "1", "-w", "1", "--out", str(tmp_path / "o"), "-q")
    assert r.exit_code == 0, r.output
    import csv

    rows = list(csv.DictReader((tmp_path / "o" / "agents.csv").open()))
    assert all(abs(float(a["online_rate"]) - 0.7) < 1e-9 for a in rows)
