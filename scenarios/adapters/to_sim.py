"""Turn a validated :class:`scenarios.schema.Scenario` into the simulator's typed inputs.

Pure (no file reading): staffing per pool comes in as arrays, already resolved from the
scenario, a pool's ``plan`` file or the ``--plan`` CSV by :mod:`scenarios.reading.plan`.
"""

from __future__ import annotations

import numpy as np

from scenarios.adapters.to_bot import bot_specs
from scenarios.schema import Distribution, Patience, Pool, Scenario
from sim import levers as lv
from sim.model import (
    ChannelModel,
    Duration,
    Duty,
    OutboundModel,
    PoolModel,
    Quality,
    SalesModel,
    SimModel,
)
from sim.routing import InHouseFirst, Pooled, Router


def duration(d: Distribution | Patience | None) -> Duration | None:
    if d is None:
        return None
    cv = 1.0 if d.dist == "exponential" else (0.0 if d.dist == "deterministic" else d.cv)
    return Duration(d.dist, float(d.mean_s), float(cv if cv is not None else 1.0))


def channel_model(name: str, scenario: Scenario) -> ChannelModel:
    c = scenario.channels[name]
    s = c.sales
    kw = {}
    if c.retrial is not None:
        kw.update(retrial_p=c.retrial.probability, retrial_delay=duration(c.retrial.delay))
    if c.repeat is not None:
        kw.update(repeat_p=c.repeat.probability, repeat_delay=duration(c.repeat.delay))
    return ChannelModel(
        name=name, handle=duration(c.handle_time), acw_s=c.after_contact_work_s,
        patience=duration(c.patience),
        within_s=c.service_level.within_s if c.service_level else 20.0,
        concurrency=c.concurrency, slowdown=c.concurrency_slowdown,
        sales=SalesModel(s.presale_share, s.conversion, s.order_value.mean, s.order_value.cv,
                         s.return_rate, s.exchange_rate, s.refund_rate),
        **kw)


def router(scenario: Scenario) -> Router:
    r = scenario.routing
    if r.policy == "in_house_first":
        return InHouseFirst(r.overflow_after_s)
    return Pooled()


def sim_model(scenario: Scenario, staffing: dict[str, np.ndarray],
              duties: dict[str, Duty] | None = None) -> SimModel:
    """The simulator's model of ``scenario`` with agents on duty per pool and interval
    (``staffing`` may name pools the scenario does not list: they get the defaults).
    ``duties``: pools whose agents are people on fixed rosters (the in-house roster,
    scenarios.adapters.to_roster), each on duty exactly in their shifts; their staffing is the
    roster's sum."""
    names = [n for n, c in scenario.channels.items() if c.kind != "outbound"]
    duties = duties or {}
    h = scenario.horizon
    staffing = dict(staffing)
    for name, d in duties.items():
        staffing[name] = d.matrix(h.interval_s, h.n_intervals).sum(axis=0)
    pools = []
    for name in staffing:
        pool = scenario.pools.get(name) or Pool()
        q = {k: pool.default(name, k) for k in Quality.__dataclass_fields__}
        lev = pool.levers
        ready = lev.availability * (1.0 - scenario.staffing.shrinkage
                                    if scenario.simulation.apply_shrinkage else 1.0)
        pools.append(PoolModel(
            name=name, staffing=np.asarray(staffing[name], dtype=np.int64),
            skills=tuple(pool.skills or names),
            productivity=pool.default(name, "productivity"),
            show_up=pool.default(name, "show_up"), speed_cv=pool.speed_cv,
            quality=Quality(**q),
            levers=lv.Levers(lev.speed, ready, lev.outbound_effort, lev.sales_push),
            duty=duties.get(name)))
    sim = scenario.simulation
    bots = bot_specs(scenario)
    return SimModel(
        bot={c: b for c, b in bots.items() if c in names} or None,
        channels=tuple(channel_model(n, scenario) for n in names), pools=tuple(pools),
        interval_s=scenario.horizon.interval_s, n_intervals=scenario.horizon.n_intervals,
        warmup_s=60.0 * sim.warmup_minutes, drain=sim.drain, contact_log=sim.contact_log,
        router=router(scenario), priority=scenario.routing.channel_order(scenario.channels),
        outbound=OutboundModel(scenario.outbound.calls_per_hour, scenario.outbound.connect_rate,
                               scenario.outbound.mode))
