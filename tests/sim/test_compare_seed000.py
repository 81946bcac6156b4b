"""Seed 000 through the FULL pipeline: behaviour model + simulator in the loop + rules engine.

Reference: the directions seed 000 (多点生活, 三无团队的KPI制定) observed against the
time before each phase — forced ranking on industry metrics: 接通率↑ 人均服务量↑
人均接听量↑ 人均外呼量↓ 平均通话时长↓; commission: 人均服务量↑ 人均接听量↑ 人均外呼量↑
平均通话时长↓ — and docs/behavior.md's speed–quality trade-off (Holmström & Milgrom 1991) for
the AHT-heavy vs FCR-heavy scorecards. Each direction is asserted on the difference paired
over replications (common random numbers): its 95% CI must exclude zero.
The bundled policies and other policies of the same kind written here to docs/formats.md §2.
"""

from pathlib import Path

import numpy as np
import pytest

from scenarios.adapters.to_compare import compare_inputs, run_compare
from sim.stats import mean_ci

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios/examples/new_team_kpi_phases.yaml"
RANKING = ROOT / "rules/policies/forced_ranking_phase1.yaml"
COMMISSION = ROOT / "rules/policies/commission_phase2.yaml"

RANKING_VARIANT = """\
policy: ranking-variant
period: month
applies_to: [in_house]
base_pay: 2500
scorecard:
  pay_base: 1500
  floor: 0.5
  cap: 1.5
  items:
    - {metric: answer_rate, weight: 0.40, target: 0.97, direction: higher}
    - {metric: aht_s,       weight: 0.30, target: 280,  direction: lower}
    - {metric: answered,    weight: 0.30, target: 1600, direction: higher}
ranking:
  by: score
  bands:
    - {top: 0.30, pay: 500}
    - {bottom: 0.15, pay: -300}
"""
COMMISSION_VARIANT = """\
policy: commission-variant
period: month
applies_to: [in_house]
base_pay: 2000
commission:
  - {per: answered, rate: 1.0}
  - {per: outbound_calls, rate: 0.8}
"""
AHT_HEAVY = """\
policy: aht-heavy
period: month
applies_to: [in_house]
base_pay: 3000
scorecard:
  pay_base: 1500
  floor: 0.5
  cap: 1.5
  items:
    - {metric: aht_s, weight: 0.7, target: 300,  direction: lower}
    - {metric: fcr,   weight: 0.3, target: 0.85, direction: higher}
"""
FCR_HEAVY = AHT_HEAVY.replace("aht-heavy", "fcr-heavy").replace("weight: 0.7", "weight: 0.1") \
    .replace("weight: 0.3", "weight: 0.9")

REPS = 6


@pytest.fixture(scope="module")
def seed_case(tmp_path_factory):
    d = tmp_path_factory.mktemp("policies")
    (d / "rv.yaml").write_text(RANKING_VARIANT)
    (d / "cv.yaml").write_text(COMMISSION_VARIANT)
    inputs = compare_inputs(SCENARIO, [RANKING, COMMISSION, d / "rv.yaml", d / "cv.yaml"],
                            replications=REPS)
    return run_compare(inputs)


def _up(stat):
    m, lo, hi = stat.diff
    assert lo > 0, (m, lo, hi)


def _down(stat):
    m, lo, hi = stat.diff
    assert hi < 0, (m, lo, hi)


@pytest.mark.parametrize("name", ["forced-ranking-phase-1", "ranking-variant"])
def test_forced_ranking_directions(seed_case, name):
    o = seed_case.policies[name]
    assert o.converged
    _up(o.team["answer_rate"])
    _up(o.per_agent["answer_rate"])
    _up(o.per_agent["service_volume"])
    _up(o.per_agent["answered"])
    _down(o.per_agent["outbound_calls"])
    _down(o.per_agent["aht_s"])
    _down(o.team["aht_s"])
    assert o.why_main["outbound"] is not None


@pytest.mark.parametrize("name", ["commission-phase-2", "commission-variant"])
def test_commission_directions(seed_case, name):
    o = seed_case.policies[name]
    _up(o.per_agent["service_volume"])
    _up(o.per_agent["answered"])
    _up(o.per_agent["outbound_calls"])
    _down(o.per_agent["aht_s"])
    assert o.why_main["availability"].startswith("commission:")


def test_same_agents_and_customers_for_every_policy(seed_case):
    # common random numbers: the baseline's levers are the agents' natural point and the
    # flat-pay baseline pays every focus agent exactly the baseline pay
    b = seed_case.policies["baseline"]
    assert b.levers["speed"] == 1.0 and b.levers["sales_push"] == 0.0
    assert b.pay["mean"].mean == pytest.approx(3000.0)
    assert all(len(o.raw["team.offered"]) == REPS for o in seed_case.policies.values())


def test_aht_weight_makes_agents_rush_and_why_says_so(tmp_path):
    (tmp_path / "a.yaml").write_text(AHT_HEAVY)
    (tmp_path / "f.yaml").write_text(FCR_HEAVY)
    inputs = compare_inputs(SCENARIO, [tmp_path / "a.yaml", tmp_path / "f.yaml"],
                            replications=REPS, baseline=False)
    c = run_compare(inputs)
    a, f = c.policies["aht-heavy"], c.policies["fcr-heavy"]

    def diff(key):
        return mean_ci(a.raw[key] - f.raw[key])

    assert diff("team.aht_s")[2] < 0                 # faster
    assert diff("per_agent.aht_s")[2] < 0
    assert diff("team.fcr")[2] < 0                   # lower FCR
    assert diff("team.repeat_contacts")[1] > 0       # more repeat contacts
    assert a.levers["speed"] < f.levers["speed"]
    assert a.why_main["speed"] == "item:aht_s"
    assert a.why["speed"]["item:aht_s"] < 0          # slowing down costs pay: rush
    assert np.isfinite(a.why["speed"]["cost"])


@pytest.mark.parametrize("name", ["baseline", "forced-ranking-phase-1", "commission-phase-2"])
def test_surrogate_matches_the_simulated_queue_after_the_loop(seed_case, name):
    # Reference: the simulator (an independent, event-level model of the same agents at
    # the same levers). After the simulation-in-the-loop rounds the behaviour model's
    # expected per-agent KPIs (a 174-hour month) agree with the simulated means of the
    # 9-hour day (09:00-18:00) scaled to those hours.
    o = seed_case.policies[name]
    k = o.behavior.kpis
    month = 174.0 / 9.0
    for m, scale, tol in (("answered", month, 0.05), ("outbound_calls", month, 0.08),
                          ("aht_s", 1, 0.03), ("answer_rate", 1, 0.03), ("fcr", 1, 0.03)):
        predicted, simulated = float(np.mean(k[m])), o.per_agent[m].mean * scale
        assert abs(predicted / simulated - 1) < tol, (m, predicted, simulated)


def test_same_result_for_one_or_two_workers():
    # Reference: determinism (docs/simulation.md, Randomness) — numbers depend on the seed, not on the workers.
    from sim.compare import comparison_json

    def run(workers):
        inp = compare_inputs(SCENARIO, [COMMISSION], replications=2, workers=workers)
        data = comparison_json(run_compare(inp))
        data.pop("solve_s"), data.pop("simulate_s")
        return data

    assert run(1) == run(2)


def test_pay_period_convention_is_peakdesk_runs():
    # Reference: scenarios/run/pay_table.py (the `peakdesk run` pay stage) — one convention
    # for "a month of one agent" across the product.
    from scenarios.run.pay_table import PERIOD_HOURS
    from scenarios.schema import Behavior
    from sim.compare import CompareSettings

    assert dict(Behavior().period_hours) == PERIOD_HOURS
    assert dict(CompareSettings().period_hours) == PERIOD_HOURS
