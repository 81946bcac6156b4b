"""Check-and-tighten loop (planning/iterate.py), its Erlang A validator and the remedy when
targets still miss (planning/remedy.py)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from planning.channel import ChannelStaffing
from planning.iterate import (
    CheckSpec,
    Observed,
    assess,
    check_and_tighten,
    erlang_validator,
    period_labels,
)
from planning.mix_inputs import DemandCase, SolverOptions
from planning.remedy import remedy
from planning.requirements import Targets
from tests.planning import reference as R
from tests.planning.test_mix import tiny

OPTS = SolverOptions(time_limit_s=30, mip_gap=0.0, threads=1)


def obs(**kw: list) -> Observed:
    """One channel 'voice', scenarios × intervals from nested lists."""
    return Observed({"voice": {k: np.array(v, dtype=float) for k, v in kw.items()}})


def test_erlang_validator_matches_birth_death_chain() -> None:
    # reference: mpmath M/M/n+M chain (tests/planning/reference.py), voice + chat (K* = 2)
    voice = ChannelStaffing("voice", 240.0, 120.0, Targets(service_level=0.8, within_s=20))
    chat = ChannelStaffing("chat", 400.0, 300.0, Targets(service_level=0.8, within_s=30),
                           concurrency=2, concurrency_slowdown=0.0)
    rates = {"voice": np.array([300.0, 90.0]), "chat": np.array([200.0, 0.0])}
    case = DemandCase("c", 1.0, np.array([8.0, 3.0]),
                      {"voice": np.array([6.0, 3.0]), "chat": np.array([2.0, 0.0])})
    shrink = 0.25
    plan = SimpleNamespace(coverage=np.array([[16.0, 5.0]]) / (1 - shrink))
    out = erlang_validator([rates], (case,), {"voice": voice, "chat": chat}, shrink,
                           interval_h=0.5)(plan).channels
    ref_v0 = R.erlang_a(12, 300.0, 240.0, 120.0, 20.0)
    ref_c0 = R.erlang_a(8, 200.0, 400.0, 300.0, 30.0)  # 4 agents × 2 sessions
    assert out["voice"]["service_level"][0, 0] == pytest.approx(float(ref_v0["service_level"]),
                                                                rel=1e-9)
    assert out["voice"]["abandon_rate"][0, 0] == pytest.approx(float(ref_v0["p_abandon"]),
                                                               rel=1e-9)
    assert out["chat"]["service_level"][0, 0] == pytest.approx(float(ref_c0["service_level"]),
                                                               rel=1e-9)
    assert out["voice"]["offered"][0, 0] == 150.0  # 300 an hour × 0.5 h
    assert out["chat"]["offered"][0, 1] == 0.0  # no chat demand: nothing to miss


SL80 = {"voice": Targets(service_level=0.8, within_s=20)}


def test_assess_periods_and_cells_by_hand() -> None:
    # reference: by hand. SL 0.9, 0.7, 0.8, 0.6 on 100 contacts each; horizon SL 0.75.
    o = obs(offered=[[100] * 4], answered=[[100] * 4], service_level=[[0.9, 0.7, 0.8, 0.6]])
    spec = CheckSpec(SL80, period_labels(4, 4, "horizon"), z=0.0)
    a = assess(o, spec, np.ones(1))
    assert [(m.start, m.value) for m in a.misses] == [(0, pytest.approx(0.75))]
    assert a.cells.tolist() == [[False, True, False, True]] and a.share == 0.0
    # per interval: the two below target miss; 0.8 itself is met
    a = assess(o, CheckSpec(SL80, period_labels(4, 4, "interval"), z=0.0), np.ones(1))
    assert [m.start for m in a.misses] == [1, 3]
    # noise: SE at the target over 400 contacts = √(0.16/400) = 0.02 → allowance 0.0329 <
    # 0.05 → still a miss; over 40 contacts SE 0.0632 → allowance 0.104 > 0.05 → met
    assert assess(o, CheckSpec(SL80, period_labels(4, 4, "horizon")), np.ones(1)).misses
    few = obs(offered=[[10] * 4], answered=[[10] * 4], service_level=[[0.9, 0.7, 0.8, 0.6]])
    assert assess(few, CheckSpec(SL80, period_labels(4, 4, "horizon")), np.ones(1)).share == 1


def test_assess_caps_weights_and_share() -> None:
    # reference: by hand. Two scenarios (p 0.7, 0.3), two days of two intervals.
    tg = {"voice": Targets(max_abandon_rate=0.05, max_asa_s=30.0, max_occupancy=0.9)}
    o = obs(offered=[[100, 300, 100, 100], [100, 100, 100, 100]],
            answered=[[95, 290, 100, 100], [100, 100, 100, 100]],
            abandon_rate=[[0.05, 0.0333, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]],
            asa_s=[[10, 10, 10, 10], [10, 10, 50, 40]],
            occupancy=[[0.8, 0.8, 0.8, 0.8], [0.8, 0.8, 0.95, 0.8]],
            agents=[[10, 10, 10, 10], [10, 10, 30, 10]])
    a = assess(o, CheckSpec(tg, period_labels(4, 2, "day"), z=0.0), np.array([0.7, 0.3]))
    # scenario 0: day 0 abandonment (5 + 10) / 400 = 3.75% ≤ 5% → holds
    # scenario 1: day 1 ASA (50·100 + 40·100) / 200 = 45 > 30; occupancy
    # (0.95·30 + 0.8·10) / 40 = 0.9125 > 0.9 → misses, both intervals raised for ASA
    assert a.holds.tolist() == [True, False] and a.share == pytest.approx(0.7)
    kinds = sorted((m.kpi, m.start, round(m.value, 4)) for m in a.misses)
    assert kinds == [("asa_s", 2, 45.0), ("occupancy", 2, 0.9125)]
    assert a.cells.tolist() == [[False] * 4, [False, False, True, True]]


def truth_validator(true: np.ndarray):
    """Service is met exactly where the plan covers the "true" requirement (100 contacts an
    interval, no noise)."""
    def validate(plan):
        sl = np.where(plan.coverage + 1e-9 >= true, 1.0, 0.0)
        n = np.full(sl.shape, 100.0)
        return obs(offered=n, answered=n, service_level=sl)
    return validate


def test_loop_ends_with_every_target_met_and_reports_rounds() -> None:
    # the "true" requirement is 2 agents above the planned one in intervals 2..4: the loop
    # raises coverage + 1 there each round until the coverage reaches it
    req = [[1, 1, 2, 2, 2, 1, 1, 1]]
    true = np.array(req, dtype=float)
    true[0, 2:5] += 2
    inp = tiny(req, [1.0], shortfall_penalty_per_hour=1000.0)
    spec = CheckSpec(SL80, period_labels(8, 8, "interval"), share=1.0, z=0.0)
    out = check_and_tighten(inp, OPTS, truth_validator(true), spec, rounds=5, step_share=0.0,
                             gap_gain=0.0)
    assert out.holds and out.stopped == "holds"
    assert np.all(out.final.coverage + 1e-9 >= true)
    assert out.rounds[0].misses["service_level"] == 3 and out.rounds[0].raised == 3
    assert out.rounds[-1].misses["service_level"] == 0 and out.rounds[-1].share_held == 1.0
    assert out.rounds[1].changes["cost"] == pytest.approx(out.rounds[1].objective
                                                          - out.rounds[0].objective)
    assert out.final.objective >= out.first.objective
    # the last plan solved is the plan checked: its requirement is the final inputs'
    assert np.array_equal(out.final.requirement, out.inputs.requirement)


def test_share_of_scenarios_is_enough() -> None:
    # two scenarios, p 0.9 / 0.1; only the small one misses → 0.9 ≥ 0.9 holds at once
    inp = tiny([[1] * 8, [2] * 8], [0.9, 0.1], shortfall_penalty_per_hour=1000.0)
    true = np.array([[1.0] * 8, [9.0] * 8])
    spec = CheckSpec(SL80, period_labels(8, 8, "horizon"), share=0.9, z=0.0)
    out = check_and_tighten(inp, OPTS, truth_validator(true), spec, rounds=3)
    assert out.holds and len(out.rounds) == 1 and out.assessment.holds.tolist() == [True, False]


def test_still_missing_gets_the_cheapest_change() -> None:
    # reference: by hand. One round allowed, true need 3 in-house agents in 4..7 vs the
    # planned 1: after one round (+1) it still misses; the remedy covers coverage + 1 = 3
    # there with one more 4-h shift (4 h × 10 = 40 more than the checked plan).
    inp = tiny([[0, 0, 0, 0, 1, 1, 1, 1]], [1.0], shortfall_penalty_per_hour=1000.0,
               outsourced=None)
    true = np.array([[0, 0, 0, 0, 3, 3, 3, 3]], dtype=float)
    spec = CheckSpec(SL80, period_labels(8, 8, "interval"), share=1.0, z=0.0)
    out = check_and_tighten(inp, OPTS, truth_validator(true), spec, rounds=1, step_share=0.0,
                             gap_gain=0.0)
    assert not out.holds and out.stopped == "rounds"
    assert out.final.in_house[4:].tolist() == [2.0] * 4
    fix = remedy(out, OPTS, step_share=0.0, gap_gain=0.0)
    assert fix.feasible and fix.cost_delta == pytest.approx(40.0)
    assert fix.plan.in_house[4:].tolist() == [3.0] * 4
    assert [(c.pool, c.agent_hours) for c in fix.days] == [("in_house", pytest.approx(4.0))]


def test_pools_that_cannot_meet_the_target_are_named_not_claimed() -> None:
    # reference: by hand. 3 agents, 4-h shifts from 0, 2 or 4 and a vendor of 2 seats at
    # productivity 0.5: intervals 6–7 can get at most 3 + 1 = 4; the truth needs 9 there.
    inp = tiny([[1] * 8], [1.0], shortfall_penalty_per_hour=1000.0)
    true = np.array([[1, 1, 1, 1, 1, 1, 9, 9]], dtype=float)
    spec = CheckSpec(SL80, period_labels(8, 8, "interval"), share=1.0, z=0.0)
    out = check_and_tighten(inp, OPTS, truth_validator(true), spec, rounds=4, step_share=0.0,
                             gap_gain=0.0)
    assert not out.holds
    fix = remedy(out, OPTS, step_share=0.0, gap_gain=0.0)
    assert not fix.feasible and fix.reason == "pool_limits"
    scenario, interval, need, most = fix.worst
    assert scenario == "s0" and interval in ("#6", "#7") and most == pytest.approx(4.0)
    assert need > most


def test_raise_follows_the_distance_from_the_target() -> None:
    # reference: by hand. Abandonment 7.5% vs a 5% cap: relative gap 0.5 → half of it,
    # 25%, capped at 20%; 5.5% → 0.1 × 0.5 = 5%; met intervals get nothing.
    from planning.iterate import raise_share

    o = obs(offered=[[1000] * 3], answered=[[900] * 3], abandon_rate=[[0.075, 0.055, 0.01]])
    spec = CheckSpec({"voice": Targets(max_abandon_rate=0.05)}, period_labels(3, 3, "interval"),
                     z=0.0)
    a = assess(o, spec, np.ones(1))
    assert a.cells.tolist() == [[True, True, False]]
    assert raise_share(a, 0.03, 0.5)[0, :2].tolist() == pytest.approx([0.2, 0.05])


def test_a_failed_re_solve_keeps_the_plan_checked_last() -> None:
    # a re-solve that cannot be made (hard coverage beyond the pools) ends the loop with
    # the last plan checked, never an unchecked one
    inp = tiny([[1] * 8], [1.0], hard_coverage=True)
    true = np.array([[1, 1, 1, 1, 1, 1, 9, 9]], dtype=float)
    spec = CheckSpec(SL80, period_labels(8, 8, "interval"), share=1.0, z=0.0)
    out = check_and_tighten(inp, OPTS, truth_validator(true), spec, rounds=6, step_share=0.0,
                            gap_gain=0.0)
    assert out.stopped == "solver" and not out.holds
    assert np.array_equal(out.final.requirement, out.inputs.requirement)
    assert out.rounds[-1].raised == 0 and out.rounds[-1].objective == out.final.objective
