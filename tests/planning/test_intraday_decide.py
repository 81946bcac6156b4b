"""Decisions on the day (planning/intraday/decide.py): the mix model with the first stage
fixed, the decisions already due fixed and the probabilities replaced by the posterior.

References: optima computed by hand on the reserve-only case of test_information.py, and
the plan's own recourse rule (the same model solved with the prior) where the contacts seen
say nothing new (metamorphic: the same problem must give the same answer)."""

from __future__ import annotations

import numpy as np
import pytest

from planning.intraday.decide import FirstStage, decide, plan_recourse
from planning.intraday.posterior import scenario_posterior
from planning.mix_inputs import DemandCase, MixInputs, Outsourced, Reserve, SolverOptions, Temps
from tests.planning.test_information import reserve_only

EXACT = SolverOptions(time_limit_s=30, mip_gap=0.0, threads=1)


def three_levers(before: int = 4, level: float = 30.0) -> MixInputs:
    """12 one-hour intervals, three scenarios whose volumes are equal before ``before`` and
    then part (×1, ×1.6, ×2.4); requirement follows the volume from interval 4 on. Reserve
    (4-h call-outs, 2 h notice), surge seats (4-h blocks, 3 h notice), temps (1 h notice);
    distinct prices so that the optimum is unique."""
    vol = np.full(12, level)
    req = np.array([0, 0, 0, 0, 3, 4, 5, 6, 6, 5, 4, 3], dtype=float)
    cases = []
    for i, (f, p) in enumerate(((1.0, 0.5), (1.6, 0.3), (2.4, 0.2))):
        v = vol.copy()
        v[before:] *= f
        cases.append(DemandCase(f"s{i + 1}", p, req * f, volume=v))
    return MixInputs(
        interval_minutes=60, n_intervals=12, cases=tuple(cases),
        outsourced=Outsourced(price_per_hour=30.0, capacity=0.0, block=4, block_step=4,
                              productivity=0.8, surge_capacity=3.0, surge_price_per_hour=47.0,
                              surge_from=3, surge_notice=3),
        reserve=Reserve(max_size=6, cost_per_agent=20.0, activation_per_hour=31.0,
                        show_up=0.7, productivity=0.9, callout=4, available_from=2, notice=2),
        temps=Temps(capacity=4.0, price_per_hour=83.0, productivity=0.6, available_from=1,
                    notice=1),
        shortfall_penalty_per_hour=200.0)


def first_stage() -> FirstStage:
    return FirstStage(in_house=np.array([2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3], float),
                      outsourced=np.zeros(12), reserve_pool=5)


def test_hand_case_told_apart_calls_out_each_scenarios_own_block() -> None:
    # reference: by hand (test_information.py): notice 0, pool R = 4, the block at 4..7 is
    # called at 4. Seen the volumes of [0, 4) of scenario b (40 a interval from 2 on): the
    # posterior is b → call out 4 agents (u = 4, show-up 1), cost 4 × 4 h × 10 = 160.
    inp = reserve_only(notice=0)
    fs = FirstStage(np.zeros(8), np.zeros(8), 4)
    post = scenario_posterior(inp.probabilities, inp.volume[:, :4], inp.volume[1, :4])
    assert post.probability[1] > 1 - 1e-9
    dec = decide(inp, fs, 4, post.probability, EXACT)
    [a] = dec.actions
    assert (a.lever, a.send_by, a.start, a.end, a.agents) == ("reserve_callout", 4, 4, 8, 4)
    assert a.cost == pytest.approx(160.0) and a.firm
    # one interval earlier nothing is told apart yet: half a, half b → one decision for
    # both, 2 or 4 equally good... the hand optimum: each of the first 2 agents saves 80
    # in both scenarios for 40, the next 2 save 0.5 × 80 = 40 for 40 → 2..4; provisional
    early = decide(inp, fs, 3, np.array([0.5, 0.5]), EXACT)
    [b] = early.actions
    assert b.send_by == 4 and not b.firm and (b.low, b.high) == (2.0, 4.0)


@pytest.mark.parametrize("now", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
def test_no_action_is_proposed_after_its_notice_has_passed(now: int) -> None:
    # reference: the rule itself — every proposed action's decision interval (start −
    # notice) is at or after now, and every decision due before now keeps the plan's value
    inp = three_levers()
    plan = plan_recourse(inp, first_stage(), EXACT)
    post = np.array([0.2, 0.3, 0.5])
    dec = decide(inp, first_stage(), now, post, EXACT, plan)
    notice = {"reserve_callout": 2, "outsourced_surge": 3, "temps": 1}
    for a in dec.actions:
        assert a.send_by >= now and a.send_by == a.start - notice[a.lever]
    starts = {"reserve_callout": np.array([4, 8]), "outsourced_surge": np.array([4, 8]),
              "temps": np.arange(1, 12)}
    for lever, st in starts.items():
        due = st - notice[lever] < now
        started = due & (st < now)  # under way: as ordered
        assert dec.recourse.cols[lever][:, started] == pytest.approx(
            plan.cols[lever][:, started])
        waiting = due & (st >= now)  # ordered, not started: may only be stood down
        assert np.all(dec.recourse.cols[lever][:, waiting]
                      <= plan.cols[lever][:, waiting] + 1e-9)
    for r in dec.releases:  # a release is told before the start, never after
        assert r.send_by == r.start >= now


def test_actuals_at_the_expectation_give_the_plans_recourse() -> None:
    # metamorphic reference: the scenarios' volumes are equal before now (4), the actuals
    # are exactly that expectation → the posterior is the prior, and the open decisions
    # are the plan's recourse rule (the same problem)
    inp = three_levers(before=4)
    plan = plan_recourse(inp, first_stage(), EXACT)
    post = scenario_posterior(inp.probabilities, inp.volume[:, :4], inp.volume[0, :4])
    assert post.probability == pytest.approx(inp.probabilities, rel=1e-12)
    dec = decide(inp, first_stage(), 4, post.probability, EXACT, plan)
    for lever in plan.cols:
        assert dec.recourse.cols[lever] == pytest.approx(plan.cols[lever], abs=1e-6)
    assert dec.recourse.reserve == pytest.approx(plan.reserve, abs=1e-6)
    assert dec.actions  # the plan's recourse is not empty here: the test can fail
    assert sum(plan.cols[lv].sum() for lv in plan.cols) > 0


def test_actuals_of_one_group_give_the_plans_recourse_for_that_group() -> None:
    # metamorphic reference: scenarios 2 and 3 are equal until interval 8 (×1.6 from 2 on),
    # scenario 1 (×1) is told apart from interval 2; actuals = the expectation of {2, 3} over [0, 4) →
    # the posterior is the prior within the group, ~0 on scenario 1, and the open
    # decisions for 2 and 3 are the plan's recourse for them
    inp = three_levers(before=2, level=300.0)
    cases = list(inp.cases)
    v3 = cases[1].volume.copy()
    v3[8:] *= 1.5
    cases[2] = type(cases[2])(cases[2].name, cases[2].probability, cases[2].requirement,
                              volume=v3)
    inp = type(inp)(**{**inp.__dict__, "cases": tuple(cases)})
    plan = plan_recourse(inp, first_stage(), EXACT)
    post = scenario_posterior(inp.probabilities, inp.volume[:, :4], inp.volume[1, :4])
    assert post.probability[0] < 1e-6
    assert post.probability[1:] / post.probability[1:].sum() == pytest.approx([0.6, 0.4])
    dec = decide(inp, first_stage(), 4, post.probability, EXACT, plan)
    for lever in plan.cols:
        assert dec.recourse.cols[lever][1:] == pytest.approx(plan.cols[lever][1:], abs=1e-4)


def test_an_order_not_needed_any_more_is_released_before_it_starts() -> None:
    # reference: by hand on the reserve-only case. Notice 2: the block 4..7 is called at 2
    # for both scenarios (u = 2, see test_information.py). Seen by 3 that we are in
    # scenario a (needs 2) nothing is released; were the need gone (requirement 0 in a),
    # the 2 agents would be stood down before 4, saving 2 × 4 h × 10 = 80.
    inp = reserve_only(notice=2)
    fs = FirstStage(np.zeros(8), np.zeros(8), 2)
    plan = plan_recourse(inp, fs, EXACT)
    dec = decide(inp, fs, 3, np.array([1.0, 0.0]), EXACT, plan)
    assert dec.releases == [] and dec.actions == []
    cases = (type(inp.cases[0])("a", 0.5, np.zeros(8), volume=inp.cases[0].volume),
             inp.cases[1])
    quiet = type(inp)(**{**inp.__dict__, "cases": cases})
    dec = decide(quiet, fs, 3, np.array([1.0, 0.0]), EXACT, plan)
    [r] = dec.releases
    assert (r.lever, r.send_by, r.start, r.end, r.agents) == ("reserve_callout", 4, 4, 8, 2)
    assert r.cost == pytest.approx(80.0)
    # once the block has started (now 5) it is under way: no release
    assert decide(quiet, fs, 5, np.array([1.0, 0.0]), EXACT, plan).releases == []
