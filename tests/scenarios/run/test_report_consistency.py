"""Every headline of summary.json, and the numbers of the decision summary, re-derived from
the CSV files of the same results folder.

Reference: the CSVs, read back with the csv module and summed or averaged by hand here
(independent of the stages' own arithmetic). One pay computation: each policy's mean pay
and cost are the mean and the per-replication sum of its rows of pay.csv; the cost per
extra contact is the difference of those costs over the difference of the answered
contacts of policy_channels.csv.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from .conftest import FLAGSHIP, MINI, read_rows
from .judge_ref import judged_from_periods

REL = 1e-9



def _close(a: float, b: float, rel: float = REL) -> bool:
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))


@pytest.fixture(params=["mini", "flagship"])
def folder(request: pytest.FixtureRequest) -> Path:
    if request.param == "mini":
        return request.getfixturevalue("mini_runs")["en"]
    return request.getfixturevalue("flagship_run")


def _pay_by_policy(folder: Path) -> dict[str, dict[str, float]]:
    rows = read_rows(folder / "pay.csv")
    out: dict[str, dict[str, float]] = {}
    by: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        by[r["policy"]].append(r)
    for name, mine in by.items():
        reps = {r["replication"] for r in mine}
        total = [float(r["total_pay"]) for r in mine]
        out[name] = {"mean": sum(total) / len(total), "sum": sum(total),
                     "cost_per_period": sum(total) / len(reps),
                     "cost_horizon": sum(float(r["horizon_pay"]) for r in mine) / len(reps),
                     "replications": len(reps)}
        # horizon pay = period pay × hours on duty ÷ the period's paid hours (174 h a month)
        for r in mine[:50]:
            assert _close(float(r["horizon_pay"]),
                          float(r["total_pay"]) * float(r["hours_on_duty"]) / 174.0)
    return out


def test_headlines_from_csvs(folder: Path) -> None:
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    h = summary["headlines"]
    demand = read_rows(folder / "demand.csv")
    assert _close(h["demand.contacts"], sum(float(r["expected_contacts"]) for r in demand))
    staffing = read_rows(folder / "staffing.csv")
    assert h["requirements.peak_scheduled"] == max(int(r["scheduled_total"]) for r in staffing)
    roster = read_rows(folder / "roster.csv")
    shifts = [r for r in roster if r["kind"] == "shift"]  # one row per person and shift
    assert h["mix.agent_shifts"] == sum(int(r["agents"]) for r in shifts) == len(shifts)
    reps = read_rows(folder / "sim_replications.csv")
    for ch in summary["stages"]["simulation"]["summary"]["targets"]:
        mine = [r for r in reps if r["channel"] == ch]
        sl = [float(r["service_level"]) for r in mine]
        assert _close(h[f"simulation.{ch}.service_level"], sum(sl) / len(sl))
        ab = [float(r["abandon_rate"]) for r in mine]
        assert _close(h[f"simulation.{ch}.abandon_rate"], sum(ab) / len(ab))
    met, held, n = judged_from_periods(folder, FLAGSHIP if "double11" in str(folder) else MINI)
    assert h["simulation.targets_held"] == held
    for (ch, kpi), k in met.items():
        assert h[f"simulation.{ch}.{kpi}_met"] == k
    pay = _pay_by_policy(folder)
    paid = summary["stages"]["pay"]["summary"]["policies"]
    for name, s in paid.items():
        assert _close(s["mean"], pay[name]["mean"])
        assert _close(s["cost_per_period"], pay[name]["cost_per_period"])
        assert _close(s["cost_horizon"], pay[name]["cost_horizon"])
        if f"pay.{name}.mean" in h:
            assert _close(h[f"pay.{name}.mean"], pay[name]["mean"])
            assert _close(h[f"pay.{name}.cost_horizon"], pay[name]["cost_horizon"])
    policies = read_rows(folder / "policies.csv")
    days = 14 if "double11" in str(folder) else 2
    for key, value in h.items():
        if key.startswith("policies.") and key.endswith(".answered_per_agent_day"):
            name = key.split(".")[1]
            row = next(r for r in policies if r["policy"] == name and r["block"] == "per_agent"
                       and r["metric"] == "answered")
            assert _close(value, float(row["diff_mean"]) / days)
    # every headline is checked above (no unchecked number among the key figures)
    checked = ("demand.", "requirements.peak_scheduled", "requirements.short_intervals",
               "requirements.missing_agent_hours", "mix.", "simulation.", "pay.", "policies.")
    assert all(k.startswith(checked) for k in h), [k for k in h if not k.startswith(checked)]


def test_requirements_headlines_from_staffingread_rows(folder: Path) -> None:
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    h = summary["headlines"]
    rows = read_rows(folder / "staffing.csv")
    if "requirements.short_intervals" not in h:
        pytest.skip("no staffed pools")
    short = [int(r["shortfall"]) for r in rows]
    assert h["requirements.short_intervals"] == sum(s > 0 for s in short)
    hours = 0.5 if "double11" in str(folder) else 1.0
    assert _close(h["requirements.missing_agent_hours"], sum(short) * hours)


def test_decision_numbers_from_csvs(folder: Path) -> None:
    """The recommendation's cost per extra contact from pay.csv and policy_channels.csv;
    the roster line's agent-shifts from roster.csv; the verdict's counts from
    sim_replications.csv."""
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    lines = summary["decision"]
    assert 1 <= len(lines) <= 8
    basis = summary["decision_basis"]
    rec = basis["recommendation"]
    pay = _pay_by_policy(folder)
    runs = read_rows(folder / "policy_channels.csv")
    answered: dict[str, float] = defaultdict(float)
    n_rep: dict[str, set[str]] = defaultdict(set)
    for r in runs:
        answered[r["policy"]] += float(r["answered"])
        n_rep[r["policy"]].add(r["replication"])
    mean_answered = {p: answered[p] / len(n_rep[p]) for p in answered}
    for name, e in rec["policies"].items():
        assert _close(e["answered"], mean_answered[name])
        assert _close(e["cost_horizon"], pay[name]["cost_horizon"])
        if e["per_extra_answered"] is not None:
            extra = pay[name]["cost_horizon"] - pay["baseline"]["cost_horizon"]
            more = mean_answered[name] - mean_answered["baseline"]
            assert _close(e["per_extra_answered"], extra / more, 1e-9)
        if name != "baseline":  # net of the repeat contacts the policy causes (policies.csv)
            rep = next(float(r["diff_mean"]) for r in read_rows(folder / "policies.csv")
                       if r["policy"] == name and r["block"] == "team"
                       and r["metric"] == "repeat_contacts")
            extra = pay[name]["cost_horizon"] - pay["baseline"]["cost_horizon"]
            net = mean_answered[name] - mean_answered["baseline"] - rep
            if net > 0:
                assert _close(e["per_extra_answered_net"], extra / net, 1e-6)
                assert f"{extra / net:,.0f} CNY per extra contact answered" in " ".join(lines)
            else:
                assert e["per_extra_answered_net"] is None
    roster = read_rows(folder / "roster.csv")
    n = sum(int(r["agents"]) for r in roster if r["kind"] == "shift")
    assert any(line.startswith(f"Roster: {n:,} in-house agent-shifts") for line in lines)
    met, held, n = judged_from_periods(folder, FLAGSHIP if "double11" in str(folder) else MINI)
    for m in basis["misses"] + basis["held"]:
        assert m["met"] == met[(m["channel"], m["target"])] and m["units"] == n
    verdict = "does NOT meet" if held < 0.9 * n - 1e-9 else "meets every target"
    assert verdict in lines[0]
    assert f" {held} of {n} " in lines[0]
    # the same runs as the plan check's last round: the same verdict (one number)
    check = summary["plan_check"]
    if check is not None and summary["stages"]["simulation"]["summary"]["verdict"]["unit"] \
            == "demand_scenario":
        assert (check["scenarios_held"], check["scenarios"]) == (held, n)
        assert check["holds"] == (held >= 0.9 * n - 1e-9)


def test_flat_pay_baseline_is_the_simulated_team(mini_runs: dict[str, Path]) -> None:
    """The policies stage's flat-pay baseline runs the simulation stage's replications
    (each demand scenario with its own recourse, the same customers: offered equal per
    replication). Reference: sim_replications.csv; the paired 95% CI of the service-level
    difference contains 0 (the behaviour model's agents are the simulated team)."""
    from sim.stats import mean_ci

    folder = mini_runs["en"]
    sim = {(r["replication"], r["channel"]): r for r in read_rows(folder / "sim_replications.csv")}
    base = [r for r in read_rows(folder / "policy_channels.csv") if r["policy"] == "baseline"]
    assert {(r["replication"], r["channel"]) for r in base} == set(sim)
    for r in base:
        assert float(r["offered"]) == float(sim[(r["replication"], r["channel"])]["offered"])
    for ch in {c for _, c in sim}:
        diff = [float(r["service_level"]) - float(sim[(r["replication"], ch)]["service_level"])
                for r in base if r["channel"] == ch]
        m, lo, hi = mean_ci(diff)
        assert lo - 1e-12 <= 0 <= hi + 1e-12, (ch, m, lo, hi)
