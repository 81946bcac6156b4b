"""The bot stage of the simulator (sim.bot).

References: (1) bit-for-bit identity with the run without a bot when the bot changes
nothing (its draws come from their own stream); (2) conservation of contacts, counted
from an independent redraw of the first attempts (same stream, sim.arrivals); (3) the
steady-state closed form of planning.bot checked against an explicit geometric sum and
against the simulated counts (95% CI).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from planning.bot import BotSpec, bot_flows
from sim.arrivals import nhpp_times
from sim.recorder import KIND_NEW
from sim.streams import Streams
from tests.sim.helpers import run, steady

SPEC = BotSpec(entry_share=0.8, reasons=("presale", "after_sale"), weights=(0.6, 0.4),
               containment=(0.5, 0.3), abandon=0.05, return_p=0.3, return_mean_s=300.0,
               handoff_aht_factor=1.5, bot_time_s=30.0, customer_requested=0.4,
               contained_conversion=0.2)


def _same(a: dict, b: dict) -> bool:
    return all(np.array_equal(np.asarray(a[k]), np.asarray(b[k]), equal_nan=True) for k in a)


@pytest.mark.parametrize("kernel", ["auto", "events"])
def test_bot_that_changes_nothing_is_bit_for_bit(kernel: str) -> None:
    """Entry 0, or containment 0 with no bot time, abandonment or factor: the same run
    (the FCFS recursion and the event desk alike)."""
    m, d = steady(14, 200, 200, 120, hours=3, contact_log=True, kernel=kernel)
    base = run(m, d, 2, seed=5)
    for spec in (BotSpec(entry_share=0.0), BotSpec(entry_share=1.0, containment=(0.0,))):
        other = run(dataclasses.replace(m, bot={"voice": spec}), d, 2, seed=5)
        for o0, o1 in zip(base.outputs, other.outputs, strict=True):
            assert _same(o0.channels["voice"], o1.channels["voice"])
            assert _same(o0.team, o1.team)
            assert _same(o0.intervals["voice"], o1.intervals["voice"])
            assert _same(o0.agents, o1.agents)
            for f in dataclasses.fields(o0.contacts):
                assert np.array_equal(getattr(o0.contacts, f.name),
                                      getattr(o1.contacts, f.name), equal_nan=True)


def test_agents_see_skips_plus_handoffs_counted_per_contact() -> None:
    """Contacts reaching the agents = exogenous first attempts + returns − bot entries +
    hand-offs in the horizon; the exogenous count comes from a fresh draw of the
    replication's arrival stream, not from the bot stage."""
    m, d = steady(14, 200, 200, 120, hours=3, warmup_h=0.0, contact_log=True)
    res = run(dataclasses.replace(m, bot={"voice": SPEC}), d, 3, seed=11)
    for o in res.outputs:
        exo = len(nhpp_times(d.rates["voice"], m.interval_s,
                             Streams(11, o.replication)["arrivals"]))
        s = o.bot_sessions
        entered, returned = len(s), int(s.returned.sum())
        handed_in = int(((s.outcome == 1) & (s.end_t < m.horizon_s)).sum())
        new = int((o.contacts.kind == KIND_NEW).sum())
        assert new == exo + returned - entered + handed_in
        b = o.bot["voice"]
        assert b["entered"] == entered == b["contained"] + b["handed_off"] + b["abandoned"]


def test_closed_form_equals_geometric_sum() -> None:
    """Λ = λ / (1 − e(1 − a)c̄p): each generation of returns is e(1 − a)c̄p of the one
    before; summed explicitly here."""
    lam = np.array([100.0, 250.0])
    f = bot_flows(lam, SPEC)
    c = 0.6 * 0.5 + 0.4 * 0.3
    gen, total = lam.copy(), np.zeros(2)
    for _ in range(200):
        total += gen
        gen = gen * 0.8 * 0.95 * c * 0.3
    assert np.allclose(f.first_attempts, total, rtol=1e-12)
    assert np.allclose(f.to_agents, total * 0.2 + total * 0.8 * 0.95 * (1 - c))
    # conservation: the agents see every first attempt (exogenous + returns) except
    # those the bot contained or lost
    assert np.allclose(f.to_agents, f.first_attempts - f.contained - f.abandoned)
    assert np.allclose(f.returned, f.first_attempts - lam)


def test_simulated_counts_match_the_closed_form() -> None:
    """Steady case (bot time and return delay short against 12 h): the mean counts per
    replication lie within their 95% CI (widened by 4 s.e. of the edge effects) of the
    closed form."""
    spec = dataclasses.replace(SPEC, bot_time_s=5.0, return_mean_s=60.0)
    m, d = steady(40, 400, 200, 120, hours=12, warmup_h=0.0)
    res = run(dataclasses.replace(m, bot={"voice": spec}), d, 6, seed=3)
    f = bot_flows(np.array([400.0 * 12]), spec)
    summ = res.bot_summary()["voice"]
    for metric, expect in (("entered", f.entered), ("contained", f.contained),
                           ("handed_off", f.handed_off), ("abandoned", f.abandoned),
                           ("returned", f.returned)):
        mean, lo, hi = summ[metric]
        half = max(hi - mean, 3 * math.sqrt(float(expect[0])) / math.sqrt(6))
        assert abs(mean - float(expect[0])) <= half, (metric, mean, float(expect[0]))
    offered = np.mean([o.channels["voice"]["offered"] for o in res.outputs])
    assert abs(offered - float(f.to_agents[0])) <= 3 * math.sqrt(float(f.to_agents[0]))


def test_handoff_factor_lengthens_only_handoffs() -> None:
    """Escalated AHT ≈ factor × mean handle time (exponential 200 s); the others ≈ 200 s."""
    m, d = steady(40, 300, 200, None, hours=6, warmup_h=0.0, contact_log=True)
    spec = BotSpec(entry_share=0.5, containment=(0.4,), handoff_aht_factor=2.0)
    res = run(dataclasses.replace(m, bot={"voice": spec}), d, 2, seed=9)
    esc = np.mean([o.bot["voice"]["escalated_aht_s"] for o in res.outputs])
    assert abs(esc - 400.0) < 4 * 400.0 / math.sqrt(300 * 6 * 0.5 * 0.6 * 2)


def test_bot_degraded_scenario() -> None:
    """Degraded with probability 1 and factor 0: nothing is contained (every session that
    does not leave is handed off); with probability 0 the run equals the plain bot's."""
    m, d = steady(14, 200, 200, 120, hours=2, warmup_h=0.0)
    spec = BotSpec(entry_share=1.0, containment=(0.6,), abandon=0.1)
    always = dataclasses.replace(spec, degraded_p=1.0, degraded_factor=0.0)
    res = run(dataclasses.replace(m, bot={"voice": always}), d, 2, seed=4)
    for o in res.outputs:
        b = o.bot["voice"]
        assert b["contained"] == 0 and b["bot_degraded"] == 1.0
        assert b["handed_off"] == b["entered"] - b["abandoned"]
    never = dataclasses.replace(spec, degraded_p=0.0, degraded_factor=0.0)
    a = run(dataclasses.replace(m, bot={"voice": never}), d, 2, seed=4)
    b = run(dataclasses.replace(m, bot={"voice": spec}), d, 2, seed=4)
    for oa, ob in zip(a.outputs, b.outputs, strict=True):
        assert _same(oa.bot["voice"], ob.bot["voice"])
