"""Staffing to the requirement and simulating meets the targets (the simulator as the
independent reference: redials, repeat contacts, slower pools, blended agents).

Each case simulates 10 replications (independent seeded streams) of an 8-hour day after a
1-hour warm-up and checks the target lies inside or below the 95% confidence interval of
the simulated service level; the first-attempt-only requirement is shown to miss, so the
checks can fail.
"""

from __future__ import annotations

import numpy as np
import pytest

from planning.blend import blend
from planning.channel import ChannelStaffing, channel_requirements
from planning.requirements import Targets
from planning.returns import Delay, Returns
from sim.model import ChannelModel, Duration, PoolModel, Quality, SimModel
from sim.runner import Demand, run_replications

L, N_INT, REPS = 1800.0, 18, 10
VOICE_T = Targets(service_level=0.8, within_s=20)
CHAT_T = Targets(service_level=0.8, within_s=30)


def voice_model(retrial=0.4, repeat=0.8) -> ChannelModel:
    return ChannelModel("voice", Duration("exponential", 270.0),
                        patience=Duration("exponential", 120.0), within_s=20,
                        retrial_p=retrial, retrial_delay=Duration("exponential", 600.0),
                        repeat_p=repeat, repeat_delay=Duration("exponential", 3600.0))


def chat_model(retrial=0.3, repeat=0.6) -> ChannelModel:
    return ChannelModel("chat", Duration("exponential", 420.0),
                        patience=Duration("exponential", 300.0), within_s=30, concurrency=3,
                        slowdown=0.15, retrial_p=retrial,
                        retrial_delay=Duration("exponential", 600.0), repeat_p=repeat,
                        repeat_delay=Duration("exponential", 1800.0))


def voice_spec(fcr: float, returns: bool = True) -> ChannelStaffing:
    ret = Returns(0.4, Delay("exponential", 600.0), 0.8, Delay("exponential", 3600.0), fcr)
    return ChannelStaffing("voice", 270.0, 120.0, VOICE_T, returns=ret if returns else None)


def chat_spec(fcr: float, returns: bool = True) -> ChannelStaffing:
    ret = Returns(0.3, Delay("exponential", 600.0), 0.6, Delay("exponential", 1800.0), fcr)
    return ChannelStaffing("chat", 420.0, 300.0, CHAT_T, 3, 0.15,
                           returns=ret if returns else None)


def simulate(channels, pools, rates, priority=None):
    model = SimModel(tuple(channels), tuple(pools), L, N_INT, warmup_s=3600.0,
                     priority=priority)
    return run_replications(model, Demand(rates), REPS, seed=2026).channel_summary()


def requirement(spec, rate):
    return channel_requirements({spec.name: np.full(N_INT, rate)}, {spec.name: spec}, 0.0,
                                interval_s=L)[spec.name]


@pytest.mark.parametrize("case", ["voice", "chat"])
def test_redials_and_repeats_staffed_for(case):
    """The issue's cases: voice 600/h (redial 0.4, repeat 0.8), chat 900/h (retrial 0.3,
    repeat 0.6), FCR 0.85: the requirement with the day's own load meets 80/20 (80/30);
    the first-attempt requirement misses it."""
    ch, spec, rate = ((voice_model(), voice_spec, 600.0) if case == "voice"
                      else (chat_model(), chat_spec, 900.0))
    for returns in (True, False):
        req = requirement(spec(0.85, returns), rate)
        pool = PoolModel("in_house", req.agents, (case,), quality=Quality(fcr=0.85))
        s = simulate([ch], [pool], {case: np.full(N_INT, rate)})[case]
        mean, lo, hi = s["service_level"]
        if returns:
            assert hi >= 0.8, (case, s["service_level"])
            # the contacts staffed for are the contacts that came (within 3%)
            planned = req.load.total[2:].sum() * L / 3600.0
            assert s["offered"][0] == pytest.approx(planned, rel=0.03)
        else:
            assert hi < 0.8, (case, s["service_level"])


def test_slower_lower_fcr_pool_converted_by_eta_and_repeats():
    """A mixed team — half the requirement's in-house agents, the rest as outsourced agents
    1.35× slower with FCR 0.72 — sized by the mix's conversion (η = 1/1.35 times the
    repeat factor (1 − q(1 − 0.72)) / (1 − q(1 − 0.85))) meets the target."""
    req = requirement(voice_spec(0.85), 600.0)
    q = 0.8
    eta = (1 / 1.35) * (1 - q * 0.28) / (1 - q * 0.15)
    n_ih = req.agents // 2
    n_out = np.ceil((req.fractional - n_ih) / eta).astype(np.int64)
    pools = [PoolModel("in_house", n_ih, ("voice",), quality=Quality(fcr=0.85)),
             PoolModel("outsourced", n_out, ("voice",), productivity=1.35,
                       quality=Quality(fcr=0.72))]
    s = simulate([voice_model()], pools, {"voice": np.full(N_INT, 600.0)})["voice"]
    assert s["service_level"][2] >= 0.8, s["service_level"]
    assert eta < 1 / 1.35


def test_blended_pool_at_the_pooled_requirement():
    """Voice 600/h + chat 900/h served by one blended team at the pooled requirement
    (planning.blend, at most the sum of the channels' requirements), voice first: both
    channels meet their targets within noise."""
    specs = {"voice": voice_spec(0.85), "chat": chat_spec(0.85)}
    rates = {"voice": np.full(N_INT, 600.0), "chat": np.full(N_INT, 900.0)}
    reqs = channel_requirements(rates, specs, 0.0, interval_s=L)
    b = blend(reqs, specs, {"voice": 270.0, "chat": 420.0}, 0.0)
    assert np.all(b.agents <= reqs["voice"].agents + reqs["chat"].agents)
    pool = PoolModel("in_house", b.agents, ("voice", "chat"), quality=Quality(fcr=0.85))
    s = simulate([voice_model(), chat_model()], [pool], rates, priority=("voice", "chat"))
    for ch in ("voice", "chat"):
        assert s[ch]["service_level"][2] >= 0.8, (ch, s[ch]["service_level"])
    # oldest-first at the same staffing starves voice (chat holds the agents)
    s_old = simulate([voice_model(), chat_model()], [pool], rates, priority=None)
    assert s_old["voice"]["service_level"][2] < 0.8
