"""Simulation and pay stages of ``peakdesk run`` against independent references.

References: ``peakdesk simulate --json/--out`` for the same scenario, seed and
replications (a separate code path through the CLI: team metrics, per-day agent rows);
``peakdesk pay`` on the agents CSV the run wrote (rules through the CLI's KPI-table
reader); hand arithmetic for the pay-period scaling (174 paid hours a month) and for
the behaviour hook; the scenario's own numbers for the --quick replication count and
for the mix-plan hook.
"""

from __future__ import annotations

import csv
import html
import json
import math
from pathlib import Path

import numpy as np
import pytest

from scenarios import load_scenario
from scenarios.reading.errors import InputError
from scenarios.run.pay_ledger import PAY_COLUMNS
from scenarios.run.pay_table import PERIOD_HOURS
from scenarios.run.pipeline import run_stages
from scenarios.run.stage import RunContext, StageResult
from scenarios.run.stages import default_stages
from scenarios.run.stages.simulation import QUICK_REPLICATIONS

from .conftest import ROOT, WEEK, cli
from .judge_ref import judged_from_periods

POLICIES = ROOT / "rules" / "policies"


def _csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _summary(out: Path) -> dict:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


def test_team_metrics_equal_peakdesk_simulate(week_run: Path, tmp_path: Path) -> None:
    summary = _summary(week_run)
    sim = summary["stages"]["simulation"]["summary"]
    assert sim["replications"] == QUICK_REPLICATIONS < sim["replications_asked"] == 20
    ref = tmp_path / "sim.json"
    res = cli("simulate", WEEK, "--replications", QUICK_REPLICATIONS, "--seed", 11,
              "--json", ref, "--out", tmp_path / "sim", "--quiet")
    assert res.exit_code == 0, res.output
    want = json.loads(ref.read_text())
    assert sim["channels"] == want["channels"]
    assert sim["team"] == want["team"]
    assert sim["demand_scenarios"] == [d["scenario"] for d in want["demand"]]
    # "met in k of n": k from the per-replication table, whose mean is simulate's mean
    reps = _csv(week_run / "sim_replications.csv")
    sc = load_scenario(WEEK)
    for ch, spec in sc.channels.items():
        sl = [float(r["service_level"]) for r in reps if r["channel"] == ch]
        assert len(sl) == QUICK_REPLICATIONS
        assert math.isclose(np.mean(sl), want["channels"][ch]["service_level"]["mean"],
                            rel_tol=1e-12)
        # "met on every day in k of n": the check's rule re-derived from sim_periods.csv
        met, _, n = judged_from_periods(week_run, WEEK)
        assert n == QUICK_REPLICATIONS  # today's roster: each replication judged on its own
        target = summary["stages"]["simulation"]["summary"]["targets"][ch]["service_level"]
        assert target["met"] == met[(ch, "service_level")]
        name = f"{spec.service_level.target * 100:g}/{spec.service_level.within_s:g}"
        findings = summary["stages"]["simulation"]["findings"]
        k = met[(ch, "service_level")]
        assert any(f"{ch} {name}: met on every day in {k} of {n} replications" in s
                   for s in findings)
        if k < n:
            assert any(f"{name} missed on at least one day" in w for w in summary["warnings"])
        # the largest demand scenario drawn: mean of its replications, by hand
        top = max(float(r["multiplier"]) for r in reps)
        mine = [float(r["service_level"]) for r in reps
                if r["channel"] == ch and float(r["multiplier"]) == top]
        label = next(r["demand_scenario"] for r in reps if float(r["multiplier"]) == top)
        if len({r["demand_scenario"] for r in reps}) > 1:
            assert any(s.startswith(f"In the largest demand scenario drawn ({label}: volume "
                                    f"× {top:.2f} in every interval; simulated {len(mine)} "
                                    "time(s)): ")
                       and s.endswith(f"; {ch} service level over the whole horizon "
                                      f"{100 * np.mean(mine):.1f}%.")
                       for s in findings)
    report = html.unescape((week_run / "report.html").read_text(encoding="utf-8"))
    assert f"Quick run: {QUICK_REPLICATIONS} replications instead of the scenario's 20" \
        in report


def test_interval_csv_means_and_bands(week_run: Path) -> None:
    """Interval means are simulate's per-interval means; with demand scenarios the band is
    the lowest..highest scenario mean, so it contains the overall mean."""
    rows = _csv(week_run / "sim_intervals.csv")
    sc = load_scenario(WEEK)
    assert len(rows) == sc.horizon.n_intervals * 2
    for r in rows:
        if r["service_level"] == "":
            continue
        lo, mid, hi = (float(r[k]) for k in ("service_level_low", "service_level",
                                             "service_level_high"))
        assert 0 <= lo <= mid + 1e-12 and mid <= hi + 1e-12 and hi <= 1


def test_agents_table_is_the_simulated_horizon_scaled_to_a_month(week_run: Path,
                                                                 tmp_path: Path) -> None:
    """Per-day agent rows of ``peakdesk simulate --out`` (replication 0) summed by hand,
    times 174 h / hours on duty, equal the run's agents.csv rows of replication 0."""
    res = cli("simulate", WEEK, "--replications", 1, "--seed", 11, "--out",
              tmp_path / "sim", "--quiet")
    assert res.exit_code == 0, res.output
    days = _csv(tmp_path / "sim" / "agents.csv")
    table = _csv(week_run / "agents.csv")
    # every policy is paid at its response: the natural table is replication 0 only
    assert {r["replication"] for r in table} == {"0"}
    agents = {r["agent_id"]: r for r in table if r["replication"] == "0"}
    per_agent: dict[str, list[dict[str, str]]] = {}
    for r in days:
        per_agent.setdefault(r["agent_id"], []).append(r)
    assert set(per_agent) == set(agents)
    for aid, rows in per_agent.items():
        a = agents[aid]
        staffed = sum(float(r["staffed_s"]) for r in rows)
        scale = PERIOD_HOURS["month"] * 3600 / staffed
        assert math.isclose(float(a["period_scale"]), scale, rel_tol=1e-12)
        assert math.isclose(float(a["staffed_s"]), 174 * 3600, rel_tol=1e-12)
        assert a["period"] == "month"
        answered = sum(float(r["answered"]) for r in rows)
        assert math.isclose(float(a["answered"]), answered * scale, rel_tol=1e-12)
        calls = sum(float(r["outbound_calls"]) for r in rows)
        assert math.isclose(float(a["outbound_calls"]), calls * scale, rel_tol=1e-12,
                            abs_tol=1e-9)
        if answered:  # a ratio is kept: the answered-weighted mean of the days
            aht = sum(float(r["aht_s"]) * float(r["answered"]) for r in rows
                      if r["aht_s"]) / answered
            assert math.isclose(float(a["aht_s"]), aht, rel_tol=1e-9)


def _replication_csv(table: Path, rep: str, out: Path) -> Path:
    """One replication's rows of a results-folder KPI table, without the replication
    column: the KPI table format `peakdesk pay` and `peakdesk rules lint` read."""
    rows = _csv(table)
    cols = [c for c in rows[0] if c != "replication"]
    with open(out, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, cols, extrasaction="ignore")
        w.writeheader()
        w.writerows(r for r in rows if r["replication"] == rep)
    return out


def test_pay_equals_peakdesk_pay_on_the_written_agents_csv(week_run: Path,
                                                           tmp_path: Path) -> None:
    """Each replication's rows of pay.csv are `peakdesk pay` on that replication's rows of
    the KPI table the policy paid; the policy's mean pay and cost are the mean and the
    per-replication sum of all its rows."""
    summary = _summary(week_run)
    paid = summary["stages"]["pay"]["summary"]["policies"]
    assert set(paid) == {"forced-ranking-phase-1", "commission-phase-2", "baseline"}
    pay_rows = _csv(week_run / "pay.csv")
    for name, file in (("forced-ranking-phase-1", "forced_ranking_phase1.yaml"),
                       ("commission-phase-2", "commission_phase2.yaml")):
        # each policy pays the tables of its agents' response (the policies stage ran)
        assert paid[name]["behaviour"] == "response"
        assert paid[name]["table"] == f"agents_{name}"
        mine = [r for r in pay_rows if r["policy"] == name]
        reps = sorted({r["replication"] for r in mine}, key=int)
        assert len(reps) == paid[name]["replications"] == QUICK_REPLICATIONS
        for rep in (reps[0], reps[-1]):
            kpis = _replication_csv(week_run / f"{paid[name]['table']}.csv", rep,
                                    tmp_path / f"{name}-{rep}.csv")
            ref = tmp_path / f"{name}-{rep}.json"
            res = cli("pay", POLICIES / file, kpis, "--json", ref)
            assert res.exit_code == 0, res.output
            want = {a["agent_id"]: a for a in json.loads(ref.read_text())["agents"]}
            got = {r["agent_id"]: r for r in mine if r["replication"] == rep}
            assert set(got) == set(want)
            for aid, w in want.items():
                for k in ("score", "performance_pay", "ranking_pay", "commission",
                          "event_pay", "variable_pay", "total_pay"):
                    assert math.isclose(float(got[aid][k]), w[k], rel_tol=1e-12,
                                        abs_tol=1e-9)
        total = np.array([float(r["total_pay"]) for r in mine])
        variable = np.array([float(r["variable_pay"]) for r in mine])
        assert math.isclose(paid[name]["mean"], total.mean(), rel_tol=1e-12)
        assert math.isclose(paid[name]["cost_per_period"], total.sum() / len(reps),
                            rel_tol=1e-12)
        assert math.isclose(paid[name]["variable_share"], variable.sum() / total.sum(),
                            rel_tol=1e-12)
    assert "pay-distribution" in summary["stages"]["pay"]["figures"]


def test_lint_findings_equal_peakdesk_rules_lint(week_run: Path, tmp_path: Path) -> None:
    """Every finding of `peakdesk rules lint POLICY --kpis TABLE` (replication 0 of the
    table the policy paid) is in the report's warnings with the same line:col, field and
    message."""
    summary = _summary(week_run)
    warnings = summary["warnings"]
    paid = summary["stages"]["pay"]["summary"]["policies"]
    found = 0
    for name, file in (("forced-ranking-phase-1", "forced_ranking_phase1.yaml"),
                       ("commission-phase-2", "commission_phase2.yaml")):
        table = _replication_csv(week_run / f"{paid[name]['table']}.csv", "0",
                                 tmp_path / f"{name}.csv")
        res = cli("rules", "lint", POLICIES / file, "--kpis", table)
        assert res.exit_code == 0, res.output
        for line in res.output.splitlines():
            if not line.startswith("warning: "):
                continue
            found += 1
            tail = line.split(f"{file}:", 1)[1]  # "17:51 scorecard.items.1.target: ..."
            assert any(f"lint ../../rules/policies/{file}:{tail}" in w for w in warnings), line
    assert found >= 1  # the flagship's in-house slots never reach 1,800 answered a month


SMALL = """
name: small desk
horizon: {{start: 2026-11-11T08:00, days: 1, interval_minutes: 60}}
channels:
  voice:
    handle_time: {{dist: exponential, mean_s: 180}}
    service_level: {{target: 0.8, within_s: 20}}
    max_abandon_rate: 0.05
    patience: {{dist: exponential, mean_s: 120}}
demand:
  voice: {{rate_per_hour: 60}}
pools:
  in_house: {{agents: 5, levers: {{outbound_effort: 0.2}}}}
simulation: {{seed: 5, replications: 3}}
{extra}
"""


def _write(tmp_path: Path, extra: str = "", name: str = "s.yaml") -> Path:
    p = tmp_path / name
    p.write_text(SMALL.format(extra=extra), encoding="utf-8")
    return p


def test_policies_key_errors_are_located(tmp_path: Path) -> None:
    bad = tmp_path / "bad_policy.yaml"
    bad.write_text("policy: broken\nperiod: fortnight\n", encoding="utf-8")
    p = _write(tmp_path, "policies:\n  - missing.yaml\n  - bad_policy.yaml\n")
    with pytest.raises(InputError) as exc:
        load_scenario(p)
    probs = exc.value.problems
    first = next(x for x in probs if x.field == "policies.0")
    assert (first.file, first.line, first.col) == (str(p), 16, 5)
    assert "policy file not found: missing.yaml" in first.message
    assert any(x.field == "policies.1" and x.line == 17 for x in probs)
    assert any(x.file == str(bad) and x.field == "period" and x.line == 2 for x in probs)
    res = cli("run", p, "--out", tmp_path / "r")
    assert res.exit_code == 2
    assert f"error: {p}:16:5: policies.0: policy file not found" in res.output
    assert not (tmp_path / "r").exists()


def _ctx(path: Path, quick: bool = False) -> RunContext:
    sc = load_scenario(path)
    return RunContext(sc, path, "en", quick=quick, seed=sc.simulation.seed)


class _FakeMix:
    """A mix stage giving a per-pool plan (the MixPlan contract)."""

    name = "mix"

    def __init__(self, plan: dict[str, np.ndarray]):
        self.plan = plan

    def title(self, ctx: RunContext) -> str:
        return "mix"

    def skip_reason(self, ctx: RunContext) -> str | None:
        return None

    def run(self, ctx: RunContext) -> StageResult:
        class Plan:
            staffing = self.plan
        return StageResult(self.name, "mix", data=Plan())


def test_simulation_uses_the_mix_plan_when_one_ran(tmp_path: Path) -> None:
    """The interval CSV's `agents` (agents on duty skilled for the channel) is the plan's
    in-house headcount (in-house show-up is 1), not the scenario's constant 5."""
    plan = {"in_house": np.array([3, 4, 5, 6, 7, 8, 8, 8, 7, 6, 5, 4, 3, 3, 3, 3, 3, 3, 3,
                                  3, 3, 3, 3, 3])}
    # stand-ins replace the mix and the behaviour comparison
    stages = [s for s in default_stages() if s.name not in ("mix", "policies")]
    ctx = _ctx(_write(tmp_path))
    res = {r.name: r for r in run_stages([*stages[:2], _FakeMix(plan), *stages[2:]], ctx)}
    sim = res["simulation"]
    assert sim.summary["staffing_source"] == "mix"
    assert "the mix plan" in sim.paragraphs[0]
    table = next(t for t in sim.tables if t.name == "sim_intervals")
    agents = [row[table.columns.index("agents")] for row in table.rows]
    assert agents == [float(v) for v in plan["in_house"]]


class _FakeResponses:
    """A `policies` stage giving, for one policy, the agents' KPI table at their response:
    here the natural table with 10 more outbound calls per slot over the horizon."""

    name = "policies"

    def title(self, ctx: RunContext) -> str:
        return "policies"

    def skip_reason(self, ctx: RunContext) -> str | None:
        return None

    def run(self, ctx: RunContext) -> StageResult:
        import dataclasses
        from types import SimpleNamespace

        runs = []
        for o in ctx.results["simulation"].data.result.outputs:
            table = dict(o.agents_horizon)
            table["outbound_calls"] = table["outbound_calls"] + 10.0
            runs.append(dataclasses.replace(o, agents_horizon=table))
        data = SimpleNamespace(policies={"commission-phase-2": SimpleNamespace(runs=runs)},
                               focus_pools=("in_house",))
        return StageResult(self.name, "policies", data=data)


def test_pay_uses_a_behaviour_stage_tables_when_one_ran(tmp_path: Path) -> None:
    """commission-phase-2 pays 1.0 per outbound call (rules/policies): 10 more calls over
    the horizon are 10 × 174 h / hours on duty more calls a month, hence that much more
    commission per agent (answered unchanged; cap_total 8,000 not reached)."""
    extra = f"policies: ['{POLICIES / 'commission_phase2.yaml'}']\n"
    p = _write(tmp_path, extra)
    # stand-ins replace the mix and the behaviour comparison
    stages = [s for s in default_stages() if s.name not in ("mix", "policies")]
    natural = {r.name: r for r in run_stages(stages, _ctx(p))}["pay"]
    ctx = _ctx(p)
    before_pay = [s for s in stages if s.name != "pay"]
    res = {r.name: r for r in run_stages([*before_pay, _FakeResponses(), stages[-1]], ctx)}
    moved = res["pay"]
    assert moved.summary["policies"]["commission-phase-2"]["behaviour"] == "response"
    assert natural.summary["policies"]["commission-phase-2"]["behaviour"] == "natural"
    # paid at natural behaviour: agents.csv holds every replication it was paid on
    nat = next(t for t in natural.tables if t.name == "agents")
    assert {r[0] for r in nat.rows} == {0, 1, 2}
    hours = 24  # 24 one-hour intervals, every slot on duty all day
    extra_pay = 10 * PERIOD_HOURS["month"] / hours
    a = {(r[1], r[2]): r for r in next(t for t in natural.tables if t.name == "pay").rows}
    b = {(r[1], r[2]): r for r in next(t for t in moved.tables if t.name == "pay").rows}
    assert set(a) == set(b) and len(a) == 5 * 3  # 5 agents × 3 replications
    i = PAY_COLUMNS.index("commission")
    for aid in a:
        assert math.isclose(b[aid][i] - a[aid][i], extra_pay, rel_tol=1e-12)


def test_quick_caps_replications_and_missing_metrics_are_warned(tmp_path: Path) -> None:
    extra = ("policies:\n"
             f"  - '{POLICIES / 'aftersales_40_40_20.yaml'}'\n"
             f"  - '{POLICIES / 'forced_ranking_phase1.yaml'}'\n")
    p = tmp_path / "s.yaml"
    p.write_text(SMALL.format(extra=extra).replace("replications: 3", "replications: 9"),
                 encoding="utf-8")
    res = {r.name: r for r in run_stages(default_stages(), _ctx(p, quick=True))}
    assert res["simulation"].summary["replications"] == QUICK_REPLICATIONS
    assert res["simulation"].summary["replications_asked"] == 9
    assert any("instead of the scenario's 9" in s for s in res["simulation"].paragraphs)
    # the behaviour model does not predict reply_rate: the comparison is skipped, saying so
    assert res["policies"].status == "skipped"
    assert "does not predict" in res["policies"].reason
    assert "reply_rate" in res["policies"].reason
    pay = res["pay"]
    assert list(pay.summary["policies"]) == ["forced-ranking-phase-1"]
    assert pay.summary["policies"]["forced-ranking-phase-1"]["behaviour"] == "natural"
    assert any("aftersales-40-40-20 needs metrics the simulation does not produce "
               "(avg_response_s, reply_rate)" in w for w in pay.warnings)


def test_pay_skipped_without_policies_and_says_why(tmp_path: Path) -> None:
    res = {r.name: r for r in run_stages(default_stages(), _ctx(_write(tmp_path)))}
    assert res["simulation"].status == "ok"
    assert res["pay"].status == "skipped"
    assert "no incentive policies" in res["pay"].reason
