"""Outbound work, repeat contacts and per-contact outcomes against hand-computed
expectations (binomial / Poisson means with their standard errors) and conservation."""

from __future__ import annotations

import dataclasses

import numpy as np

from sim.levers import Levers
from sim.model import (
    ChannelModel,
    Duration,
    OutboundModel,
    PoolModel,
    Quality,
    SalesModel,
    SimModel,
)
from sim.runner import Demand, run_replications, simulate


def test_outbound_calls_from_idle_time():
    """No inbound contacts: idle = staffed = 10 h; calls ~ Poisson(36000 × 0.5 × 12 / 3600)
    = Poisson(60) per agent; connects ~ Binomial(calls, 0.6)."""
    ch = ChannelModel("voice", Duration("exponential", 300.0))
    pool = PoolModel("in_house", np.full(10, 4), ("voice",), levers=Levers(outbound_effort=0.5))
    model = SimModel((ch,), (pool,), 3600.0, 10, outbound=OutboundModel(12.0, 0.6))
    res = run_replications(model, Demand({"voice": np.zeros(10)}), 10, 1)
    calls = np.array([o.team["outbound_calls"] for o in res.outputs])
    conn = np.array([o.team["outbound_connects"] for o in res.outputs])
    assert abs(calls.mean() - 240) < 4 * np.sqrt(240 / 10)
    assert abs(conn.sum() / calls.sum() - 0.6) < 4 * np.sqrt(0.24 / calls.sum())
    agents = res.outputs[0].agents
    assert np.all(agents["idle_s"] == 36000) and np.all(agents["service_volume"]
                                                       == agents["outbound_calls"])


def test_repeat_contacts_conserved_and_at_rate_one_minus_fcr():
    ch = ChannelModel("voice", Duration("exponential", 200.0), repeat_p=1.0,
                      repeat_delay=Duration("exponential", 600.0))
    pool = PoolModel("in_house", np.full(8, 60), ("voice",), quality=Quality(fcr=0.7))
    model = SimModel((ch,), (pool,), 3600.0, 8)
    out = simulate(model, Demand({"voice": np.full(8, 600.0)}), 2, 0)
    caused = out.agents["repeat_contacts"].sum()
    m = out.channels["voice"]
    # every repeat caused either arrived inside the horizon or fell beyond it
    assert caused == m["repeat_contacts"] + out.team["lost_beyond_horizon"]
    finished = m["answered"]  # infinite patience, drained: all answered contacts finish
    assert abs(caused / finished - 0.3) < 4 * np.sqrt(0.21 / finished)


def test_outcome_rates_follow_pool_quality_and_levers():
    sales = SalesModel(presale_share=0.5, conversion=0.4, order_mean=200, order_cv=0.5,
                       return_rate=0.1)
    ch = ChannelModel("chat", Duration("exponential", 300.0), sales=sales)
    q = Quality(fcr=0.8, complaint=0.02, rating_rate=0.5, satisfaction=0.9)
    base = PoolModel("in_house", np.full(4, 200), ("chat",), quality=q)
    model = SimModel((ch,), (base,), 3600.0, 4)
    demand = Demand({"chat": np.full(4, 3000.0)})
    a = simulate(model, demand, 3, 0).channels["chat"]
    n = a["answered"]
    assert abs(a["complaints"] / n - 0.02) < 4 * np.sqrt(0.02 * 0.98 / n)
    assert abs(a["satisfaction"] - 0.9) < 4 * np.sqrt(0.09 / (0.5 * n))
    assert abs(a["received_uv"] / n - 0.5) < 4 * np.sqrt(0.25 / n)
    assert abs(a["conversion_rate"] - 0.4) < 4 * np.sqrt(0.24 / a["received_uv"])
    assert abs(a["sales_amount"] / a["paid_uv"] - 200) < 4 * 200 * 0.5 / np.sqrt(a["paid_uv"])
    # rushing (speed 0.8): complaints × (1 + 2 × 0.2) = × 1.4; sales push 1: conversion × 1.3
    pushed = dataclasses.replace(model, pools=(dataclasses.replace(
        base, levers=Levers(speed=0.8, sales_push=1.0)),))
    b = simulate(pushed, demand, 3, 0).channels["chat"]
    assert abs(b["complaints"] / b["answered"] - 0.028) < 4 * np.sqrt(0.028 / b["answered"])
    assert abs(b["conversion_rate"] - 0.52) < 4 * np.sqrt(0.25 / b["received_uv"])


def test_handle_time_factor_scales_by_arrival_interval():
    """An event's aht_factor 1.5 in interval 1: contacts arriving then take 1.5 × as long
    (same draws: common random numbers)."""
    ch = ChannelModel("voice", Duration("exponential", 200.0))
    pool = PoolModel("in_house", np.full(3, 500), ("voice",))
    model = SimModel((ch,), (pool,), 3600.0, 3, contact_log=True)
    rates = {"voice": np.full(3, 400.0)}
    plain = simulate(model, Demand(rates), 4, 0).contacts
    slow = simulate(model, Demand(rates, handle_time_factor={"voice": np.array([1, 1.5, 1])}),
                    4, 0).contacts
    f = np.where((plain.arrival_t >= 3600) & (plain.arrival_t < 7200), 1.5, 1.0)
    np.testing.assert_allclose(slow.talk_s, plain.talk_s * f)


def test_demand_scenarios_sampled_by_probability_per_replication():
    from sim.runner import sample_demands

    a, b = Demand({"voice": np.ones(1)}, name="low"), Demand({"voice": np.ones(1)}, name="high")
    picks = sample_demands([(a, 0.2), (b, 0.8)], 400, 9)
    assert picks == sample_demands([(a, 0.2), (b, 0.8)], 400, 9)   # seeded
    share = sum(p.name == "high" for p in picks) / 400
    assert abs(share - 0.8) < 4 * np.sqrt(0.16 / 400)
