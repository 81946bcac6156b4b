"""The contact-centre simulator: typed model in (:mod:`sim.model`), seeded replications out.

A pure core: no files (but numba's on-disk cache of the compiled loop, and its marker,
:mod:`~sim.compiled`), no printing, no global random state. It imports ``rules`` (to pay
agents) and never ``scenarios``, ``planning`` or ``cli``. Inside: :mod:`~sim.model` (what
the simulator needs), :mod:`~sim.kernel` / :mod:`~sim.fcfs` (the event-driven dispatcher and
its single-queue fast path), :mod:`~sim.compiled` / :mod:`~sim.compiled_loop` (the
dispatcher's event loop compiled with numba, same numbers, chosen automatically), :mod:`~sim.arrivals`, :mod:`~sim.agents`, :mod:`~sim.routing`,
:mod:`~sim.levers`, :mod:`~sim.outcomes`, :mod:`~sim.recorder`, :mod:`~sim.kpi` (KPIs as
pure functions of the records), :mod:`~sim.tables`, :mod:`~sim.stats`, :mod:`~sim.streams`
(named random streams), :mod:`~sim.runner` (replications), :mod:`~sim.execution` (where they run: a local
process pool, or an executor such as a Dask cluster's set for a block);
:mod:`~sim.bot` / :mod:`~sim.bot_model` (a bot in front of a channel: the stage before
the desk, docs/bot.md); :mod:`sim.behavior` (agents' response to incentive schemes) and :mod:`~sim.compare`
(policies side by side).

    from sim import Demand, run_replications
    model = SimModel(...)        # or, from a scenario file, the file layer's to_sim adapter
    result = run_replications(model, Demand(rates), 10, seed=7, workers=2)
    result.channel_summary()["voice"]["service_level"]   # (mean, ci95 lo, ci95 hi)

See docs/simulation.md for the model, its assumptions and sources. Below the runner:
:mod:`~sim.demand` (the demand one replication runs) and :mod:`~sim.sizes` (the memory
bound checked before any work).
"""

from sim.levers import LeverEffects, Levers
from sim.model import (
    ChannelModel,
    Duration,
    OutboundModel,
    PoolModel,
    Quality,
    SalesModel,
    SimModel,
)
from sim.routing import InHouseFirst, Pooled, Router, Tier
from sim.runner import Demand, ReplicationOutput, SimResult, run_replications, sample_demands
from sim.runner import simulate as simulate_replication

__all__ = [
    "ChannelModel", "Demand", "Duration", "InHouseFirst", "LeverEffects", "Levers",
    "OutboundModel", "PoolModel", "Pooled", "Quality", "ReplicationOutput", "Router",
    "SalesModel", "SimModel", "SimResult", "Tier", "run_replications", "sample_demands",
    "simulate_replication",
]
