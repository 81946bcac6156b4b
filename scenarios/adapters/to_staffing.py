"""Turn a scenario's channels into the staffing math's typed inputs (planning.channel)."""

from __future__ import annotations

import math

import numpy as np

from planning.channel import ChannelStaffing
from planning.requirements import Targets
from planning.returns import Delay, Returns
from scenarios.schema import Channel, Distribution, Pool, Scenario

REFERENCE_POOL = "in_house"  # requirements count in-house agents (the mix converts pools)


def delay(d: Distribution) -> Delay:
    cv = 1.0 if d.dist == "exponential" else (0.0 if d.dist == "deterministic" else d.cv)
    return Delay(d.dist, float(d.mean_s), float(cv if cv is not None else 1.0))


def reference_fcr(scenario: Scenario) -> float:
    """First-contact resolution of the agent a requirement counts: the in-house pool's
    (its own quality.fcr, else the pool default). Other pools' lower FCR enters the mix
    as a lower productivity (scenarios.adapters.to_mix)."""
    pool = scenario.pools.get(REFERENCE_POOL) or Pool()
    return pool.default(REFERENCE_POOL, "fcr")


def repeat_factor(scenario: Scenario, name: str) -> float:
    """Work per contact a pool answers, relative to an in-house agent's, once repeat
    contacts are counted: a first attempt brings 1 / (1 − u) contacts in all, u = q(1 − f)
    the chance a contact comes back (q: the channel's repeat probability, f: the answering
    pool's FCR; de Véricourt & Zhou 2005). A pool with lower FCR therefore does
    (1 − u_pool) / (1 − u_in_house) of an in-house agent's resolved work per contact
    handled — its productivity in the mix is multiplied by this, averaged over the
    channels that have repeat contacts."""
    if not scenario.staffing.returns:
        return 1.0
    qs = [c.repeat.probability for c in scenario.channels.values()
          if c.kind != "outbound" and c.repeat is not None]
    if not qs:
        return 1.0
    f_ref = reference_fcr(scenario)
    f = (scenario.pools.get(name) or Pool()).default(name, "fcr")
    return float(np.mean([(1.0 - q * (1.0 - f)) / (1.0 - q * (1.0 - f_ref)) for q in qs]))


def channel_returns(ch: Channel, fcr: float) -> Returns | None:
    """Redials and repeat contacts of one channel (None when it has neither)."""
    if ch.retrial is None and ch.repeat is None:
        return None
    kw: dict[str, object] = {"fcr": fcr}
    if ch.retrial is not None:
        kw.update(retrial_p=ch.retrial.probability, retrial_delay=delay(ch.retrial.delay))
    if ch.repeat is not None:
        kw.update(repeat_p=ch.repeat.probability, repeat_delay=delay(ch.repeat.delay))
    return Returns(**kw)  # type: ignore[arg-type]


def channel_staffing(name: str, ch: Channel, model: str, fcr: float = 1.0,
                     with_returns: bool = True) -> ChannelStaffing:
    """Staffing inputs of one channel. Non-exponential patience enters Erlang A by its mean
    (Whitt 2006: performance is relatively insensitive to the patience law beyond its
    mean, far less than to λ or μ)."""
    patience = math.inf
    if ch.patience is not None and model != "erlang_c":
        patience = ch.patience.mean_s
    sl = ch.service_level
    targets = Targets(
        service_level=sl.target if sl else None,
        within_s=sl.within_s if sl else 20.0,
        max_asa_s=ch.max_asa_s,
        max_abandon_rate=ch.max_abandon_rate,
        max_occupancy=ch.max_occupancy,
    )
    return ChannelStaffing(name=name, aht_s=ch.aht_s, patience_s=patience, targets=targets,
                           concurrency=ch.concurrency,
                           concurrency_slowdown=ch.concurrency_slowdown,
                           returns=channel_returns(ch, fcr) if with_returns else None)


def scenario_staffing(scenario: Scenario) -> dict[str, ChannelStaffing]:
    """Staffing inputs for every inbound channel (outbound work is done in idle time and
    is not staffed by a queue model). The loader has checked targets and patience."""
    fcr = reference_fcr(scenario)
    st = scenario.staffing
    return {name: channel_staffing(name, ch, st.model, fcr, st.returns)
            for name, ch in scenario.channels.items() if ch.kind != "outbound"}


def requirement_options(scenario: Scenario) -> dict[str, object]:
    """Keyword arguments of planning.channel.channel_requirements from the scenario."""
    return {"interval_s": scenario.horizon.interval_s, "method": scenario.staffing.method}
