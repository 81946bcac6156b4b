"""Memory: the chunked outcome draws give the one-draw numbers bit for bit; one
replication's peak memory per contact stays under sim.sizes.BYTES_PER_CONTACT (measured
with tracemalloc in a fresh process); the size guard's rule, with the free memory stubbed."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from sim import sizes
from sim.agents import build_agents
from sim.levers import Levers
from sim.model import ChannelModel, Duration, PoolModel, Quality, SalesModel, SimModel
from sim.outcomes import QA_SD, Outcomes, agent_probabilities, draw_outcomes
from sim.runner import Demand, run_replications, simulate
from sim.sizes import SimulationTooLarge, check_size
from sim.streams import Streams


def one_draw_outcomes(model, agents, rec, rng) -> Outcomes:
    """The reference: every contact's uniforms and normals in one draw each (the
    implementation before the draws were chunked, kept verbatim)."""
    n = len(rec)
    u = rng.random((n, 11))
    z = rng.standard_normal((n, 2))
    answered = rec.agent >= 0
    a = np.where(answered, rec.agent, 0)
    p = {k: v[a] if len(v) else np.zeros(n) for k, v in agent_probabilities(model,
                                                                           agents).items()}
    ch = rec.channel
    sales = [c.sales for c in model.channels]
    share = np.array([s.presale_share for s in sales])[ch]
    conv = np.clip(np.array([s.conversion for s in sales])[ch] * p["conversion_factor"], 0, 1)
    ret = np.clip(np.array([s.return_rate for s in sales])[ch] * p["returns_factor"], 0, 1)
    exc = np.clip(np.array([s.exchange_rate for s in sales])[ch] * p["returns_factor"], 0, 1)
    ref = np.clip(np.array([s.refund_rate for s in sales])[ch] * p["returns_factor"], 0, 1)
    mean = np.array([s.order_mean for s in sales])[ch]
    cv = np.array([s.order_cv for s in sales])[ch]
    s2 = np.log1p(cv ** 2)
    value = mean * np.exp(z[:, 0] * np.sqrt(s2) - s2 / 2)
    rated = answered & (u[:, 0] < p["rating_rate"])
    presale = answered & (u[:, 7] < share)
    paid = presale & (u[:, 8] < conv)
    return Outcomes(
        rated=rated, satisfied=rated & (u[:, 1] < p["satisfaction"]),
        named_good_review=answered & (u[:, 2] < p["named_good_review"]),
        bad_review=answered & (u[:, 3] < p["bad_review"]),
        complaint=answered & (u[:, 4] < p["complaint"]),
        violation=answered & (u[:, 5] < p["violation"]),
        qa_score=np.where(answered, np.clip(p["qa_mean"] + QA_SD * z[:, 1], 0, 100), np.nan),
        presale=presale, paid=paid, order_value=np.where(paid, value, 0.0),
        returned=paid & (u[:, 9] < ret), exchanged=paid & ~(u[:, 9] < ret) & (u[:, 10] < exc),
        refunded=paid & (u[:, 6] < ref))


def two_channel_model() -> tuple[SimModel, Demand]:
    """Voice + chat with sales, two pools with different quality and levers, abandonment
    (so some contacts are never answered: agent -1)."""
    voice = ChannelModel("voice", Duration("lognormal", 240.0, 0.8),
                         patience=Duration("exponential", 60.0),
                         sales=SalesModel(presale_share=0.3, conversion=0.4, order_mean=180,
                                          order_cv=0.6, return_rate=0.1, exchange_rate=0.05,
                                          refund_rate=0.03))
    chat = ChannelModel("chat", Duration("exponential", 400.0), concurrency=2,
                        patience=Duration("exponential", 200.0),
                        sales=SalesModel(presale_share=0.6, conversion=0.2, order_mean=90,
                                         order_cv=1.0, return_rate=0.2))
    own = PoolModel("in_house", np.full(3, 12), ("voice", "chat"),
                    quality=Quality(complaint=0.02, rating_rate=0.4, satisfaction=0.85))
    bpo = PoolModel("outsourced", np.full(3, 6), ("voice", "chat"), productivity=1.5,
                    levers=Levers(speed=1.2, sales_push=0.5))
    model = SimModel((voice, chat), (own, bpo), 3600.0, 3, contact_log=True)
    return model, Demand({"voice": np.full(3, 300.0), "chat": np.full(3, 250.0)})


@pytest.mark.parametrize("chunk", [1, 7, 1000, 65_536])
def test_chunked_outcomes_equal_the_one_draw(chunk: int) -> None:
    """Reference: the one-draw implementation above, on the same contacts and stream —
    every outcome array equal bit for bit, and the stream left in the same state."""
    model, demand = two_channel_model()
    out = simulate(model, demand, 3, 1)
    rec = out.contacts
    assert len(rec) > 1500 and (rec.agent < 0).any() and (rec.agent >= 0).any()
    agents = build_agents(model, Streams(3, 1)["agents"])
    ref_rng, rng = Streams(3, 1)["outcomes"], Streams(3, 1)["outcomes"]
    want = one_draw_outcomes(model, agents, rec, ref_rng)
    got = draw_outcomes(model, agents, rec, rng, chunk=chunk)
    for f in dataclasses.fields(Outcomes):
        a, b = getattr(want, f.name), getattr(got, f.name)
        assert a.dtype == b.dtype and np.array_equal(a, b, equal_nan=True), f.name
    assert ref_rng.bit_generator.state == rng.bit_generator.state
    assert np.array_equal(ref_rng.random(5), rng.random(5))


def test_outcomes_of_no_contacts() -> None:
    model, demand = two_channel_model()
    out = simulate(model, Demand({"voice": np.zeros(3), "chat": np.zeros(3)}), 3, 1)
    agents = build_agents(model, Streams(3, 1)["agents"])
    got = draw_outcomes(model, agents, out.contacts, Streams(3, 1)["outcomes"])
    assert all(len(getattr(got, f.name)) == 0 for f in dataclasses.fields(Outcomes))


PROBE = textwrap.dedent("""
    import json, os, sys, tracemalloc
    import numpy as np
    os.environ["PEAKDESK_KERNEL"] = sys.argv[1]
    sys.path.insert(0, "tests/sim")
    from test_memory import two_channel_model
    from sim.runner import Demand, simulate
    model, _ = two_channel_model()
    # about 120,000 contacts over a day of 30-minute intervals, 162 agents
    model = type(model)(model.channels, tuple(
        type(p)(p.name, np.full(48, int(p.staffing[0]) * 9), p.skills,
                productivity=p.productivity, quality=p.quality, levers=p.levers)
        for p in model.pools), 1800.0, 48)
    demand = Demand({"voice": np.full(48, 2600.0), "chat": np.full(48, 2200.0)})
    simulate(model, Demand({"voice": np.full(48, 5.0), "chat": np.full(48, 5.0)}), 1, 0)
    tracemalloc.start()
    out = simulate(model, demand, 1, 0)
    peak = tracemalloc.get_traced_memory()[1]
    print(json.dumps({"contacts": out.team["contacts_simulated"], "peak": peak,
                      "agents": len(out.agents_horizon["agent"])}))
""")


@pytest.mark.parametrize("kernel", ["python", "auto"])
def test_peak_memory_per_contact_under_the_documented_constant(kernel: str) -> None:
    """One replication in a fresh process, ~120,000 contacts: tracemalloc's peak (numpy
    and Python allocations; the agent × interval tables are counted at their own rate)
    per contact stays under BYTES_PER_CONTACT — the constant the size guard uses."""
    res = subprocess.run([sys.executable, "-c", PROBE, kernel], capture_output=True,
                         text=True, check=True)
    m = json.loads(res.stdout.strip().splitlines()[-1])
    assert m["contacts"] > 100_000
    tables = m["agents"] * 48 * sizes.BYTES_PER_AGENT_INTERVAL
    per_contact = (m["peak"] - tables) / m["contacts"]
    assert 50 < per_contact < sizes.BYTES_PER_CONTACT, per_contact


# ---- the size guard's rule, with the free memory stubbed
def plain(agents: int = 100, intervals: int = 48, **kw) -> SimModel:
    voice = ChannelModel("voice", Duration("exponential", 240.0), **kw)
    pool = PoolModel("in_house", np.full(intervals, agents), ("voice",),
                     quality=Quality(fcr=0.75))
    return SimModel((voice,), (pool,), 1800.0, intervals)


def need(model: SimModel, contacts: float, at_once: int, reps: int) -> float:
    """The rule written out by hand (sim/sizes.py's docstring) for a 1-day model."""
    agents, n = model.pools[0].size, model.n_intervals
    follow = sizes.follow_up_factor(model)
    logged = reps * contacts * follow * sizes.BYTES_PER_LOGGED_CONTACT if model.contact_log else 0
    return (at_once * (contacts * follow * sizes.BYTES_PER_CONTACT
                       + agents * n * sizes.BYTES_PER_AGENT_INTERVAL
                       + (sizes.BYTES_PER_WORKER if at_once > 1 else 0))
            + reps * agents * 2 * sizes.BYTES_PER_AGENT_DAY + logged)


def test_follow_up_factor_is_the_geometric_chain() -> None:
    """No redials or repeats: 1; redials with p = 0.4: 1/(1 − 0.4); repeats of the
    unresolved 25% with p = 0.8: q = 0.2 < 0.4, so still 1/0.6."""
    assert sizes.follow_up_factor(plain()) == 1.0
    assert sizes.follow_up_factor(plain(retrial_p=0.4)) == pytest.approx(1 / 0.6)
    assert sizes.follow_up_factor(plain(retrial_p=0.4, repeat_p=0.8)) == pytest.approx(1 / 0.6)
    assert sizes.follow_up_factor(plain(repeat_p=1.0)) == pytest.approx(1 / 0.75)


@pytest.mark.parametrize("at_once, reps, log", [(1, 1, False), (2, 20, False), (2, 5, True)])
def test_the_limit_is_the_free_memory_over_the_rule(monkeypatch, at_once: int, reps: int,
                                                    log: bool) -> None:
    """With 1 GiB free the largest demand that passes uses 80% of it by the rule; 1% more
    is refused with the located numbers; twice the workers halve the room per replication."""
    free = 2**30
    monkeypatch.setattr(sizes, "available_memory", lambda: free)
    model = dataclasses.replace(plain(retrial_p=0.3), contact_log=log)
    # contacts that exactly fill 80% of the free memory (the rule is linear in contacts)
    fixed = need(model, 0.0, at_once, reps)
    fits = (sizes.USABLE_SHARE * free - fixed) / (need(model, 1.0, at_once, reps) - fixed)
    per_hour = fits / 24.0
    check_size(model, [Demand({"voice": np.full(48, per_hour * 0.99)})], at_once, reps)
    with pytest.raises(SimulationTooLarge) as exc:
        check_size(model, [Demand({"voice": np.full(48, per_hour * 1.01)})], at_once, reps)
    assert f"at most {fits:,.0f} fit in memory" in str(exc.value)
    assert "1.0 GB is free" in str(exc.value)


def test_run_replications_counts_its_workers(monkeypatch) -> None:
    """A demand that fits one replication at a time but not two is refused with two
    workers before any replication runs."""
    free = 2**30
    monkeypatch.setattr(sizes, "available_memory", lambda: free)
    model = plain()
    one = (sizes.USABLE_SHARE * free - need(model, 0, 1, 2)) / sizes.BYTES_PER_CONTACT
    demand = Demand({"voice": np.full(48, one * 0.7 / 24.0)})
    check_size(model, [demand], 1, 2)
    with pytest.raises(SimulationTooLarge, match="2 replications at a time"):
        run_replications(model, demand, 2, 1, workers=2)
