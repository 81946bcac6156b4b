"""Replications: one seeded run per replication, batched onto a concurrent.futures
executor (a local process pool by default); results identical for 1 or N workers.

Each replication's numbers depend only on (master seed, replication index) through
:class:`sim.streams.Streams`; results are gathered by index, so the order in which workers
finish never matters.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field

import numpy as np

from sim import fcfs
from sim.agents import build_agents
from sim.kernel import Desk
from sim.kpi import agent_kpis, busy_time, interval_metrics, team_metrics
from sim.model import SimModel
from sim.outcomes import draw_outcomes
from sim.recorder import ContactRecords, Recorder
from sim.stats import mean_ci
from sim.streams import Streams


@dataclass(frozen=True)
class Demand:
    """Arrival rates (per hour, per interval) by channel name, and a multiplier (a demand
    scenario: forecast uncertainty) applied to all of them. ``arrivals`` (arrival times in
    seconds by channel) replays a trace instead of drawing Poisson arrivals."""

    rates: dict[str, np.ndarray]
    multiplier: float = 1.0
    arrivals: dict[str, np.ndarray] | None = None
    handle_time_factor: dict[str, np.ndarray] | None = None  # per interval, by arrival
    name: str = ""
    # the demand scenario's peak multiplier when ``rates`` already include it (reporting)
    scenario_multiplier: float | None = None


@dataclass
class ReplicationOutput:
    """What one replication returns (small: arrays, no simulation objects)."""

    replication: int
    multiplier: float
    demand_name: str
    channels: dict[str, dict[str, float]]
    team: dict[str, float]
    intervals: dict[str, dict[str, np.ndarray]]
    agents: dict[str, np.ndarray]
    contacts: ContactRecords | None = None
    waiting_at_end: dict[str, int] = field(default_factory=dict)


def simulate(model: SimModel, demand: Demand, seed: int, replication: int,
             recorder: Recorder | None = None) -> ReplicationOutput:
    """Run one replication and compute its KPIs (pure: no I/O, no global random state)."""
    st = Streams(seed, replication)
    agents = build_agents(model, st["agents"])
    rec = recorder or Recorder()
    rates = [np.asarray(demand.rates[c.name], float) * demand.multiplier
             for c in model.channels]
    use_fcfs = model.kernel == "auto" and fcfs.applies(model, agents.availability)
    trace = None if demand.arrivals is None else [
        np.asarray(demand.arrivals.get(c.name, ()), float) for c in model.channels]
    htf = None if demand.handle_time_factor is None else [
        np.asarray(demand.handle_time_factor.get(c.name, np.ones(model.n_intervals)), float)
        for c in model.channels]
    desk = (fcfs.FcfsDesk if use_fcfs else Desk)(model, rates, agents, st, rec, trace, htf)
    desk.run()
    records = rec.records()
    outcomes = draw_outcomes(model, agents, records, st["outcomes"])
    busy = busy_time(model, records, len(agents))
    rng = st["outbound"]
    effort = agents.outbound_effort[:, None]
    outbound = rng.poisson(desk.idle_s * effort * model.outbound.calls_per_hour / 3600.0)
    connects = rng.binomial(outbound, model.outbound.connect_rate)
    src = np.asarray(desk.repeat_sources, float).reshape(-1, 2)
    caused = np.zeros_like(desk.idle_s)
    if len(src):
        iv = np.minimum((src[:, 1] // model.interval_s).astype(int), model.n_intervals - 1)
        np.add.at(caused, (src[:, 0].astype(int), iv), 1.0)
    day = max(1, int(round(86400 / model.interval_s)))
    first = int(np.ceil(model.warmup_s / model.interval_s - 1e-9))
    team = {
        "outbound_calls": float(outbound[:, first:].sum()),
        "outbound_connects": float(connects[:, first:].sum()),
        "agents_showed": float(agents.showed.sum()),
        "lost_beyond_horizon": float(desk.lost_beyond_horizon),
        "contacts_simulated": float(len(records)),
    }
    return ReplicationOutput(
        replication=replication,
        multiplier=(demand.multiplier if demand.scenario_multiplier is None
                    else demand.scenario_multiplier),
        demand_name=demand.name,
        channels=team_metrics(model, records, outcomes, agents, busy, desk.ready_s),
        team=team,
        intervals=interval_metrics(model, records, agents, busy, desk.ready_s),
        agents=agent_kpis(model, records, outcomes, agents, busy, desk.ready_s, desk.idle_s,
                          outbound, connects, caused, day),
        contacts=records if model.contact_log else None,
        waiting_at_end=dict(zip([c.name for c in model.channels], desk.waiting(),
                                strict=True)),
    )


def sample_demands(options: Sequence[tuple[Demand, float]], replications: int, seed: int
                   ) -> list[Demand]:
    """One demand scenario per replication, drawn with the scenarios' probabilities from
    the replication's own ``demand`` stream (so the draw does not depend on the workers)."""
    probs = np.array([p for _, p in options], float)
    probs = probs / probs.sum()
    out = []
    for r in range(replications):
        k = int(np.searchsorted(np.cumsum(probs), Streams(seed, r)["demand"].random(),
                                side="right"))
        out.append(options[min(k, len(options) - 1)][0])
    return out


def _task(args: tuple[SimModel, Demand, int, int]) -> ReplicationOutput:
    return simulate(*args)


@dataclass
class SimResult:
    """All replications, in replication order, with summaries and 95% t intervals."""

    seed: int
    outputs: list[ReplicationOutput]

    @property
    def replications(self) -> int:
        return len(self.outputs)

    def channel_summary(self) -> dict[str, dict[str, tuple[float, float, float]]]:
        """channel -> metric -> (mean, ci95 lo, ci95 hi) across replications."""
        first = self.outputs[0].channels
        return {ch: {m: mean_ci([o.channels[ch][m] for o in self.outputs])
                     for m in first[ch]} for ch in first}

    def team_summary(self) -> dict[str, tuple[float, float, float]]:
        return {m: mean_ci([o.team[m] for o in self.outputs]) for m in self.outputs[0].team}

    def interval_means(self) -> dict[str, dict[str, np.ndarray]]:
        """channel -> metric -> mean per interval across replications (NaN-aware)."""
        first = self.outputs[0].intervals
        out: dict[str, dict[str, np.ndarray]] = {}
        for ch, metrics in first.items():
            out[ch] = {}
            for m in metrics:
                stack = np.vstack([o.intervals[ch][m] for o in self.outputs])
                with np.errstate(invalid="ignore"):
                    ok = ~np.isnan(stack)
                    cnt = ok.sum(0)
                    out[ch][m] = np.where(cnt > 0, np.where(ok, stack, 0).sum(0)
                                          / np.maximum(cnt, 1), np.nan)
        return out


def run_replications(model: SimModel, demand: Demand | Sequence[Demand], replications: int,
                     seed: int, workers: int = 1, executor: Executor | None = None,
                     progress: Callable[[int], None] | None = None) -> SimResult:
    """Run ``replications`` replications; ``demand`` is one :class:`Demand` for all or one
    per replication. ``workers`` > 1 uses a local process pool unless ``executor`` is
    given (any concurrent.futures executor, e.g. a Dask client's ``get_executor()``).
    ``progress(k)`` is called after each finished replication."""
    demands = [demand] * replications if isinstance(demand, Demand) else list(demand)
    if len(demands) != replications:
        raise ValueError(f"{len(demands)} demands for {replications} replications")
    tasks = [(model, demands[r], seed, r) for r in range(replications)]
    outputs: list[ReplicationOutput | None] = [None] * replications
    if executor is None and workers <= 1:
        for r, t in enumerate(tasks):
            outputs[r] = _task(t)
            if progress:
                progress(r + 1)
        return SimResult(seed, outputs)  # type: ignore[arg-type]
    own = executor is None
    ex = executor or ProcessPoolExecutor(max_workers=min(workers, os.cpu_count() or 1,
                                                         replications))
    try:
        futures = {ex.submit(_task, t): r for r, t in enumerate(tasks)}
        for done, fut in enumerate(as_completed(futures), start=1):
            outputs[futures[fut]] = fut.result()
            if progress:
                progress(done)
    finally:
        if own:
            ex.shutdown()
    return SimResult(seed, outputs)  # type: ignore[arg-type]
