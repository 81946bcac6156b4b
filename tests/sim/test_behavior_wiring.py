"""The five simulator/behaviour-model mismatches, fixed (issue 5 wiring).

1. skills fed in (hand-computed handle times), 2. outbound takes ready time (conservation
of staffed time, Poisson mean of attempts, capacity halved on an overloaded queue),
3. missed rings (hand-computed expectation), 4. talk_time_s is the period total (the
contact log), 5. pay-period scaling (hand-computed commission pay).
"""

import dataclasses

import numpy as np

from sim.compare import agent_table, period_factor, scale_to_period
from sim.levers import Levers
from sim.model import Duration, OutboundModel
from sim.runner import run_replications
from tests.sim.helpers import steady


def _one_pool(model, **kw):
    return dataclasses.replace(model, pools=(dataclasses.replace(model.pools[0], **kw),))


def test_behaviour_skills_replace_the_simulators_draw():
    # Reference: hand computation — deterministic 100 s handle time × the given natural
    # pace × the speed lever; resolution follows the given natural FCR (1.0 and 0.0).
    model, demand = steady(2, 20, 100, None, hours=4, warmup_h=0)
    ch = dataclasses.replace(model.channels[0], handle=Duration("deterministic", 100.0))
    model = dataclasses.replace(model, channels=(ch,), contact_log=True)
    model = _one_pool(model, speed_cv=0.3, natural_pace=np.array([2.0, 0.5]),
                      natural_fcr=np.array([1.0, 0.0]), levers=Levers(speed=0.9))
    out = run_replications(model, demand, 1, seed=3).outputs[0]
    c = out.contacts
    done = c.agent >= 0
    for a, pace, fcr in ((0, 2.0, 1.0), (1, 0.5, 0.0)):
        mine = done & (c.agent == a)
        assert mine.sum() > 5
        np.testing.assert_allclose(c.work_s[mine], 100.0 * pace * 0.9)
        finished = mine & ~np.isnan(c.end_t)
        # rushing (speed 0.9) lowers FCR: 1 × (1 − 0.6 × 0.1) = 0.94; 0 stays 0
        expect = 0.94 if fcr == 1.0 else 0.0
        assert abs(c.resolved[finished].mean() - expect) < 0.12


def test_outbound_takes_ready_time():
    # Reference: conservation (staffed = inbound-ready + outbound + aux, per agent) and
    # the Poisson mean of attempts = outbound time / attempt time (hand computed); an
    # overloaded queue (infinite patience) is served at half the rate when half of the
    # ready time goes to outbound work.
    ob = OutboundModel(calls_per_hour=20, connect_rate=0.6, mode="ready_time")
    model, demand = steady(4, 200, 240, None, hours=8, warmup_h=0, outbound=ob, drain=False)
    half = _one_pool(model, levers=Levers(availability=0.9, outbound_effort=0.5))
    none = _one_pool(model, levers=Levers(availability=0.9, outbound_effort=0.0))
    r_half = run_replications(half, demand, 3, seed=5).outputs
    r_none = run_replications(none, demand, 3, seed=5).outputs
    staffed = 8 * 3600.0
    attempts, expected = 0.0, 0.0
    for o in r_half:
        t = agent_table(o, 4)
        np.testing.assert_allclose(t["outbound_s"], staffed * 0.9 * 0.5)
        np.testing.assert_allclose(t["ready_s"], staffed * 0.9 * 0.5, rtol=1e-6)
        np.testing.assert_allclose(t["online_rate"], 0.9, rtol=1e-6)
        attempts += t["outbound_calls"].sum()
        expected += (t["outbound_s"] / ob.attempt_s(np.ones(4))).sum()
    assert abs(ob.attempt_s(np.ones(1))[0] - 180.0) < 1e-9        # 3600 / 20 per hour
    assert abs(attempts - expected) < 4 * np.sqrt(expected)
    ans_half = sum(o.channels["voice"]["answered"] for o in r_half)
    ans_none = sum(o.channels["voice"]["answered"] for o in r_none)
    assert abs(ans_half / ans_none - 0.5) < 0.06


def test_missed_rings_make_agent_answer_rate_meaningful():
    # Reference: hand computation. One agent, ready half of every hour, rung while not
    # ready at ring_unready_share × the contacts per ready hour: E[missed] = 0.5 h × (λ /
    # 0.5 h) × 0.3 = 0.3 × offered; the agent answer rate is answered / (answered + missed).
    model, demand = steady(1, 6, 60, None, hours=200, warmup_h=0, ring_unready_share=0.3)
    model = _one_pool(model, levers=Levers(availability=0.5))
    o = run_replications(model, demand, 1, seed=9).outputs[0]
    t = agent_table(o, 1)
    offered = o.intervals["voice"]["offered"].sum()
    expect = 0.3 * offered
    assert abs(t["missed_rings"][0] - expect) < 4 * np.sqrt(expect)
    np.testing.assert_allclose(t["answer_rate"], t["answered"] / (t["answered"]
                                                                  + t["missed_rings"]))
    assert t["answer_rate"][0] < 0.85
    # default (not modelled): answer rate 1 for the same agent
    plain = dataclasses.replace(model, ring_unready_share=0.0)
    assert agent_table(run_replications(plain, demand, 1, seed=9).outputs[0], 1
                       )["answer_rate"][0] == 1.0


def test_talk_time_is_the_period_total():
    # Reference: the contact log — the sum of the agent's talk times (catalogue 通时:
    # total talk time in the period), not a per-contact mean.
    model, demand = steady(3, 30, 200, 120, hours=3, warmup_h=0, contact_log=True)
    o = run_replications(model, demand, 1, seed=2).outputs[0]
    c = o.contacts
    rows = o.agents
    for j, a in enumerate(rows["agent"].astype(int)):
        assert abs(rows["talk_time_s"][j] - np.nansum(c.talk_s[c.agent == a])) < 1e-6


def test_daily_kpis_scaled_to_the_pay_period():
    # Reference: hand computation — an 8-hour simulated day scaled to a 176-hour period
    # (factor 22): counts and staffed time × 22, ratios unchanged; a commission of 1 per
    # answered then pays 22 × daily answered.
    from rules.pay import pay
    from rules.schema import Policy

    model, demand = steady(3, 30, 200, 120, hours=8, warmup_h=0)
    o = run_replications(model, demand, 1, seed=4).outputs[0]
    day = agent_table(o, 3)
    factor = period_factor(day["staffed_s"], 176.0)
    np.testing.assert_allclose(factor, 22.0)
    month = scale_to_period(day, factor)
    np.testing.assert_allclose(month["answered"], 22 * day["answered"])
    np.testing.assert_allclose(month["staffed_s"] / 3600, 22 * 8.0)
    np.testing.assert_allclose(month["aht_s"], day["aht_s"])
    pol = Policy.model_validate({"policy": "p", "base_pay": 1000,
                                 "commission": [{"per": "answered", "rate": 1.0}]})
    table = {k: np.asarray(v, float) for k, v in month.items()}
    table["agent_id"] = np.array(["a", "b", "c"])
    table["pool"] = np.array(["in_house"] * 3)
    np.testing.assert_allclose(pay(pol, table).total_pay, 1000 + 22 * day["answered"])
