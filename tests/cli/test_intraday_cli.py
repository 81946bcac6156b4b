"""End-to-end: ``peakdesk intraday`` — the --json contract (docs/formats.md §10), the files,
located errors (exit 2), and the replay's "without the orders" case against a plain
``peakdesk simulate`` of the same roster (an independent path through the file layer)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from cli import main

DATA = Path(__file__).parent / "data"
DAY = DATA / "intraday_day.yaml"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("intraday") / "plan"
    res = run("plan", str(DAY), "--out", str(out))
    assert res.exit_code == 0, res.output
    return out


def actuals(path: Path, rates: list[float], factor: float, upto: int,
            present: int | None = None) -> Path:
    """Hourly voice counts at ``factor`` × the rates, for the first ``upto`` hours."""
    rows = ["interval_start,channel,offered,answered,abandoned,agents_present"]
    for i in range(24):
        off = int(round(rates[i] * factor))
        pres = "" if present is None else str(present)
        rows.append(f"2026-11-11T{i:02d}:00,voice,{off},{off},0,{pres if i < upto else ''}")
    path.write_text("\n".join(rows) + "\n")
    return path


RATES = [20, 10, 10, 10, 10, 10, 20, 60, 120, 200, 240, 240,
         220, 200, 200, 220, 240, 260, 300, 320, 280, 200, 100, 50]


def test_json_contract_files_and_pages(planned: Path, tmp_path: Path) -> None:
    act = actuals(tmp_path / "act.csv", RATES, 1.35, 24)
    res = run("intraday", str(planned), "--actuals", str(act), "--now", "2026-11-11T09:30",
              "--json", str(tmp_path / "d.json"), "--out", str(tmp_path / "out"))
    assert res.exit_code == 0, res.output
    doc = json.loads((tmp_path / "d.json").read_text())
    assert doc["now"] == "2026-11-11T09:30"
    # scenario names are those of `peakdesk demand --json`
    run("demand", str(DAY), "--json", str(tmp_path / "demand.json"))
    names = [s["name"] for s in json.loads((tmp_path / "demand.json").read_text())["scenarios"]]
    assert [p["scenario"] for p in doc["posterior"]] == names
    assert sum(p["probability"] for p in doc["posterior"]) == pytest.approx(1.0, abs=1e-5)
    for a in doc["actions"]:
        assert {"lever", "send_by", "start", "end", "agents", "cost"} <= set(a)
        assert a["send_by"] >= doc["now"]  # ISO strings of one format compare as times
        assert a["lever"] in ("reserve_callout", "outsourced_surge", "temps")
    assert doc["actions"], "counts 35% above the plan's expectation ask for recourse"
    for r in doc["releases"]:  # stood down before the start, never after now
        assert r["send_by"] == r["start"] >= doc["now"] and r["agents"] > 0
    for case in ("with_actions", "without_actions"):
        assert set(doc["replay"][case]) == {"voice"}
        kpi = doc["replay"][case]["voice"]
        assert 0 <= kpi["service_level"] <= 1 and 0 <= kpi["abandon_rate"] <= 1
    # the orders help: better service in the replay (same random streams)
    assert (doc["replay"]["with_actions"]["voice"]["service_level"]
            >= doc["replay"]["without_actions"]["voice"]["service_level"])
    # 35% above the mean: the posterior leans to the larger scenarios
    post = [p["probability"] for p in doc["posterior"]]
    assert post[-1] + post[-2] > 0.8
    assert doc["seen"]["rows_after_now_ignored"] == 15
    with open(tmp_path / "out" / "actions.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(doc["actions"]) + len(doc["releases"])
    assert rows[0]["send_by"] == doc["actions"][0]["send_by"]
    html = (tmp_path / "out" / "intraday.html").read_text()
    assert "Orders to send" in html and "<script" not in html
    res = run("intraday", str(planned), "--actuals", str(act), "--now", "2026-11-11T09:30",
              "--out", str(tmp_path / "zh"), "--lang", "zh", "-r", "1")
    assert res.exit_code == 0, res.output
    assert "需要发出的指令" in (tmp_path / "zh" / "intraday.html").read_text()


def test_counts_outside_every_scenario_are_flagged(planned: Path, tmp_path: Path) -> None:
    act = actuals(tmp_path / "act.csv", RATES, 4.0, 10)
    res = run("intraday", str(planned), "--actuals", str(act), "--now", "2026-11-11T10:00",
              "--json", str(tmp_path / "d.json"), "-r", "1")
    assert res.exit_code == 0, res.output
    doc = json.loads((tmp_path / "d.json").read_text())
    assert doc["seen"]["outside_every_scenario"]
    assert "outside every demand scenario" in " ".join(res.output.split())


@pytest.mark.parametrize(("row", "where"), [
    ("2026-11-11T01:00,phone,5,5,0,", "act.csv:3: channel: unknown channel 'phone'"),
    ("2026-11-11T01:10,voice,5,5,0,", "act.csv:3: interval_start: 2026-11-11T01:10 is not"),
    ("2026-11-11T01:00,voice,-5,0,0,", "act.csv:3: offered: offered must be a number ≥ 0"),
    ("2026-11-11T01:00,voice,5,9,0,", "act.csv:3: answered: answered + abandoned (9)"),
    ("2026-11-11T00:00,voice,5,5,0,", "act.csv:3: interval_start: 2026-11-11T00:00 voice "
                                      "given twice (first on line 2)"),
])
def test_bad_actuals_exit_2_with_file_line_and_field(planned: Path, tmp_path: Path, row: str,
                                                     where: str) -> None:
    act = tmp_path / "act.csv"
    act.write_text("interval_start,channel,offered,answered,abandoned,agents_present\n"
                   f"2026-11-11T00:00,voice,20,20,0,\n{row}\n")
    res = run("intraday", str(planned), "--actuals", str(act), "--now", "2026-11-11T03:00")
    assert res.exit_code == 2
    assert where in res.output and "Traceback" not in res.output


def test_bad_now_and_missing_folder_exit_2(planned: Path, tmp_path: Path) -> None:
    act = actuals(tmp_path / "act.csv", RATES, 1.0, 24)
    res = run("intraday", str(planned), "--actuals", str(act), "--now", "2026-11-13T03:00")
    assert res.exit_code == 2 and "outside the plan's horizon" in res.output
    res = run("intraday", str(planned), "--actuals", str(act), "--now", "tomorrow")
    assert res.exit_code == 2 and "--now" in res.output
    res = run("intraday", str(planned), "--actuals", str(act), "--now", "2026-11-11T00:30")
    assert res.exit_code == 2 and "no interval finished before --now" in res.output
    (tmp_path / "bad.csv").write_text("interval_start,chanel,offered\n")
    res = run("intraday", str(planned), "--actuals", str(tmp_path / "bad.csv"), "--now",
              "2026-11-11T03:00")
    assert res.exit_code == 2
    assert "bad.csv:1: header: missing column(s) channel; unknown column(s) chanel" in res.output
    res = run("intraday", str(tmp_path / "nope"), "--actuals", str(act), "--now",
              "2026-11-11T03:00")
    assert res.exit_code == 2 and "results folder not found" in res.output


def test_replay_without_orders_equals_a_plain_simulation_of_the_roster(tmp_path: Path) -> None:
    """Reference: ``peakdesk simulate`` on a scenario file written independently — the same
    channel, the rest of the day's rates, the roster (plan.csv's in-house agents and seats
    from 01:00, an empty last hour), the same seed and replications."""
    text = DAY.read_text()
    point = text.replace("uncertainty:\n  peak_multiplier: {dist: lognormal, cv: 0.3}\n"
                         "  scenarios: 4\n  method: quantiles\n", "")
    assert point != text
    sc = tmp_path / "point.yaml"
    sc.write_text(point)
    assert run("plan", str(sc), "--out", str(tmp_path / "plan")).exit_code == 0
    with open(tmp_path / "plan" / "plan.csv", newline="") as fh:
        plan = list(csv.DictReader(fh))
    act = actuals(tmp_path / "act.csv", RATES, 1.0, 1)
    res = run("intraday", str(tmp_path / "plan"), "--actuals", str(act), "--now",
              "2026-11-11T01:00", "--json", str(tmp_path / "d.json"))
    assert res.exit_code == 0, res.output
    doc = json.loads((tmp_path / "d.json").read_text())
    assert [p["scenario"] for p in doc["posterior"]] == ["point"]
    agents = doc["replay_details"]["agents"]["without_actions"]
    in_house = [int(r["in_house"]) for r in plan[1:]] + [0]
    seats = [int(r["outsourced"]) for r in plan[1:]] + [0]
    assert agents["in_house"] == sum(in_house) and agents["outsourced"] == sum(seats)
    assert agents.get("reserve", 0) == 0 and agents.get("temps", 0) == 0
    plain = (point.replace("horizon: {start: 2026-11-11T00:00, days: 1, interval_minutes: 60}",
                           "horizon: {start: 2026-11-11T01:00, days: 1, interval_minutes: 60}")
             .replace("rates_per_hour: [20, 10,", "rates_per_hour: [10,")
             .replace("100, 50]", "100, 50, 0]")
             .replace("  in_house:\n", f"  in_house:\n    agents: {in_house}\n")
             .replace("  outsourced:\n", f"  outsourced:\n    agents: {seats}\n")
             .replace("  reserve:\n", "  reserve:\n    agents: 0\n")
             .replace("  temps:\n", "  temps:\n    agents: 0\n")
             .replace("simulation: {replications: 2, seed: 5, warmup_minutes: 0}",
                      "simulation: {replications: 4, seed: 5, warmup_minutes: 0, "
                      "apply_shrinkage: true}"))
    (tmp_path / "plain.yaml").write_text(plain)
    res = run("simulate", str(tmp_path / "plain.yaml"), "--json", str(tmp_path / "s.json"),
              "-q")
    assert res.exit_code == 0, res.output
    sim = json.loads((tmp_path / "s.json").read_text())["channels"]["voice"]
    mine = doc["replay"]["without_actions"]["voice"]
    for k in ("service_level", "abandon_rate", "offered", "answered"):
        assert mine[k] == pytest.approx(sim[k]["mean"], rel=1e-6), k
    assert np.isfinite(mine["service_level"])


def test_a_run_folder_reads_like_a_plan_folder(planned: Path, tmp_path: Path) -> None:
    """A ``peakdesk run`` folder (summary.json, manifest.json, plan.csv with the run's
    column names, a roster.csv of any shape) gives the same answer as the plan folder it
    was made from. Reference: the plan folder's own answer."""
    import hashlib

    run_dir = tmp_path / "run"
    run_dir.mkdir()
    with open(planned / "plan.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with open(run_dir / "plan.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["interval_start", "requirement", "in_house", "outsourced"])
        for r in rows:
            w.writerow([r["interval_start"], r["requirement_expected"], r["in_house"],
                        r["outsourced"]])
    pool = json.loads((planned / "plan.json").read_text())["reserve_pool"]
    (run_dir / "summary.json").write_text(json.dumps(
        {"stages": {"mix": {"summary": {"reserve_pool": pool}}}}))
    (run_dir / "manifest.json").write_text(json.dumps(
        {"scenario": {"path": str(DAY), "sha256": hashlib.sha256(DAY.read_bytes()).hexdigest(),
                      "copy": "scenario.yaml"}, "options": {}}))
    (run_dir / "roster.csv").write_text("person_id,date,shift\nA1,2026-11-11,day8\n")
    act = actuals(tmp_path / "act.csv", RATES, 1.2, 24)
    docs = []
    for folder in (planned, run_dir):
        res = run("intraday", str(folder), "--actuals", str(act), "--now", "2026-11-11T08:00",
                  "--json", str(tmp_path / "d.json"), "-r", "1")
        assert res.exit_code == 0, res.output
        docs.append(json.loads((tmp_path / "d.json").read_text()))
    assert docs[1]["results_folder"] == "run" and docs[0]["results_folder"] == "plan"
    assert docs[0]["actions"] == docs[1]["actions"]
    assert docs[0]["posterior"] == docs[1]["posterior"]


def test_absent_agents_are_missing_for_the_rest_of_today(planned: Path, tmp_path: Path) -> None:
    """agents_present at half the plan's in-house agents: the replay's roster has half the
    in-house agents from now on (reference: plan.csv halved and rounded by hand), and the
    orders cost at least as much as with everyone present."""
    with open(planned / "plan.csv", newline="") as fh:
        ih = [int(r["in_house"]) for r in csv.DictReader(fh)]
    half = ih[8] // 2
    docs = []
    for present in (None, half):
        act = actuals(tmp_path / "act.csv", RATES, 1.0, 9, present)
        res = run("intraday", str(planned), "--actuals", str(act), "--now", "2026-11-11T09:00",
                  "--json", str(tmp_path / "d.json"), "-r", "1")
        assert res.exit_code == 0, res.output
        docs.append(json.loads((tmp_path / "d.json").read_text()))
    full, absent = docs
    ratio = half / ih[8]
    assert absent["absence"]["in_house_present_ratio"] == pytest.approx(ratio, abs=1e-4)
    expect = sum(int(np.rint(x * ratio)) for x in ih[9:])  # from 09:00 on
    assert absent["replay_details"]["agents"]["without_actions"]["in_house"] == expect
    assert full["replay_details"]["agents"]["without_actions"]["in_house"] == sum(ih[9:])
    assert absent["actions_cost"] >= full["actions_cost"]


def test_requirements_cut_at_tomorrow_are_the_plans_first_intervals() -> None:
    """Reference: scenarios.adapters.to_mix.requirement_cases over the whole horizon (the plan's
    own path) — the intraday adapter's cut keeps the first n intervals' numbers exactly.
    (The start is not cut: the reserve's hours cap makes the past's per-scenario
    requirement matter — on the flagship a start cut a day back changed the orders.)"""
    from scenarios.adapters.to_mix import demand_cases, requirement_cases
    from scenarios.intraday.adapter import requirements_upto
    from scenarios.reading.load import load_scenario

    sc = load_scenario(DATA.parents[2] / "tests" / "scenarios" / "run" / "data" /
                       "mini_peak.yaml")
    rates = demand_cases(sc)
    whole = requirement_cases(sc, rates)
    cut = requirements_upto(sc, rates, 30)
    for a, b in zip(whole, cut, strict=True):
        assert b.requirement == pytest.approx(a.requirement[:30], rel=1e-12)
        assert b.volume == pytest.approx(a.volume)


def test_a_channel_outside_every_scenario_is_named(tmp_path: Path) -> None:
    """Two channels of equal expected volume, one far above every scenario and one far
    below: the total looks ordinary, the channels do not. Reference: by construction —
    1.9× and 0.1× the mean over 10 hours, the total exactly the mean."""
    text = DAY.read_text().replace(
        "demand:\n  voice:\n",
        "  chat:\n    kind: chat\n    handle_time: {dist: exponential, mean_s: 300}\n"
        "    patience: {dist: exponential, mean_s: 300}\n"
        "    service_level: {target: 0.8, within_s: 30}\n    concurrency: 2\n"
        "demand:\n  chat:\n    rates_per_hour: [20, 10, 10, 10, 10, 10, 20, 60, 120, 200, "
        "240, 240, 220, 200, 200, 220, 240, 260, 300, 320, 280, 200, 100, 50]\n  voice:\n")
    sc = tmp_path / "two.yaml"
    sc.write_text(text)
    assert run("plan", str(sc), "--out", str(tmp_path / "plan")).exit_code == 0
    rows = ["interval_start,channel,offered"]
    for i in range(10):
        rows.append(f"2026-11-11T{i:02d}:00,voice,{int(RATES[i] * 1.9)}")
        rows.append(f"2026-11-11T{i:02d}:00,chat,{int(RATES[i] * 0.1)}")
    (tmp_path / "act.csv").write_text("\n".join(rows) + "\n")
    res = run("intraday", str(tmp_path / "plan"), "--actuals", str(tmp_path / "act.csv"),
              "--now", "2026-11-11T10:00", "--json", str(tmp_path / "d.json"), "-r", "1")
    assert res.exit_code == 0, res.output
    doc = json.loads((tmp_path / "d.json").read_text())
    assert set(doc["seen"]["channels_outside"]) == {"voice", "chat"}
    assert not doc["seen"]["outside_every_scenario"]
    assert "Outside every scenario on its own" in " ".join(res.output.split())


def test_the_plans_written_recourse_and_the_re_solved_one_agree(planned: Path,
                                                               tmp_path: Path) -> None:
    """Reference: the plan's MILP recourse per scenario (recourse_orders.csv of ``plan --out``)
    against the plan's recourse LP re-solved with its first stage fixed (a folder without
    recourse_orders.csv, e.g. one made by an older version): the same decisions already due, so
    the same orders (the test scenario has no plan check: both see the same requirement)."""
    import shutil

    from planning.intraday.decide import plan_recourse, recourse_from_plan
    from scenarios.intraday.adapter import day_inputs
    from scenarios.intraday.folder import read_folder
    from scenarios.intraday.recourse_table import read_recourse
    from scenarios.reading.load import load_scenario

    sc = load_scenario(DAY)
    folder = read_folder(str(planned), None, lambda p: sc.horizon.n_intervals)
    day = day_inputs(sc, folder)
    written = recourse_from_plan(day.mix, read_recourse(planned, day.case_names, day.starts))
    solved = plan_recourse(day.mix, day.first)
    for lever in solved.cols:
        # plan.csv keeps the expected requirement to 4 decimals: agents agree to 1e-3
        assert written.cols[lever] == pytest.approx(solved.cols[lever], abs=1e-3), lever
    assert sum(v.sum() for v in solved.cols.values()) > 1  # the plan does use recourse
    bare = tmp_path / "bare"
    shutil.copytree(planned, bare)
    (bare / "recourse_orders.csv").unlink()
    act = actuals(tmp_path / "act.csv", RATES, 1.3, 24)
    docs = []
    for folder_path in (planned, bare):
        res = run("intraday", str(folder_path), "--actuals", str(act), "--now",
                  "2026-11-11T10:00", "--json", str(tmp_path / "d.json"), "-r", "1")
        assert res.exit_code == 0, res.output
        docs.append(json.loads((tmp_path / "d.json").read_text()))
    assert [d["plan_recourse"] for d in docs] == ["recourse_orders.csv", "re-solved"]
    assert docs[0]["actions"] == docs[1]["actions"]
