"""Replications: one seeded run per replication, batched onto a concurrent.futures
executor (a local process pool by default); results identical for 1 or N workers.

Each replication's numbers depend only on (master seed, replication index) through
:class:`sim.streams.Streams`; results are gathered by index, so the order in which workers
finish never matters.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, as_completed
from dataclasses import dataclass, field

import numpy as np

from sim import bot as bot_stage
from sim import compiled, execution, fcfs
from sim.agents import build_agents
from sim.compiled import CompiledDesk
from sim.demand import Demand
from sim.kernel import Desk
from sim.kpi import agent_tables as agent_kpi_tables
from sim.kpi import (
    busy_time,
    contact_intervals,
    interval_index,
    interval_metrics,
    overtime,
    queue_time,
    team_metrics,
)
from sim.model import SimModel
from sim.outcomes import draw_outcomes
from sim.recorder import KIND_NEW, ContactRecords, Recorder
from sim.sizes import check_size, expected_contacts
from sim.stats import mean_ci
from sim.streams import Streams


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
    # the agent KPI table over the whole horizon: one row per agent who worked (pay stages)
    agents_horizon: dict[str, np.ndarray] = field(default_factory=dict)
    # a bot in front of channels (sim.bot): channel -> bot KPI -> value; sessions when the
    # contact log is on
    bot: dict[str, dict[str, float]] = field(default_factory=dict)
    bot_sessions: bot_stage.BotSessions | None = None


def simulate(model: SimModel, demand: Demand, seed: int, replication: int,
             recorder: Recorder | None = None, kernel: str | None = None,
             job_contacts: float | None = None, agent_tables: bool = True,
             queue_only: bool = False) -> ReplicationOutput:
    """Run one replication and compute its KPIs (no global random state; no I/O but the
    compiled desk's one-off cache marker and background compile, sim.compiled).
    ``kernel`` ("auto", "compiled", "python") overrides PEAKDESK_KERNEL; ``job_contacts``
    (the contacts of the whole job this replication belongs to, default its own) tells
    "auto" whether compiling the fast desk pays (:func:`event_desk`). ``agent_tables``
    False leaves the agent KPI tables (``agents``, ``agents_horizon``) empty — for a
    caller that reads only the queue's KPIs (the plan check's loop): the other numbers
    are the same. ``queue_only`` True computes only the per-interval queue KPIs
    (``intervals``, ``waiting_at_end``): no outcome draws, team and channel metrics,
    overtime, outbound work, missed rings, bot KPIs or agent tables (``channels`` and
    ``team`` empty) — for a caller that reads nothing else (the plan check's runs that are
    not kept, scenarios.adapters.plan_check.observed). The intervals are the same bit for
    bit: every stream is its own generator (sim.streams), so the draws left out shift no
    other draw."""
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
    bot_run = None
    if model.bot is not None:  # the bot stage on the arrival side (sim.bot)
        names = [c.name for c in model.channels]
        bot_run = bot_stage.run_bot(model.bot, names, rates, trace, model.interval_s,
                                    model.n_intervals, st["arrivals"], st["bot"])
        trace = bot_run.arrivals
    if job_contacts is None:
        job_contacts = expected_contacts(model, demand)
    desk_type = fcfs.FcfsDesk if use_fcfs else event_desk(model, recorder, job_contacts,
                                                          kernel)
    desk = desk_type(model, rates, agents, st, rec, trace, htf)
    if bot_run is not None:
        bot_stage.scale_handoffs(desk, bot_run, [
            model.bot[c.name].handoff_aht_factor if c.name in model.bot else 1.0
            for c in model.channels])
    desk.run()
    records = desk.records if desk_type is CompiledDesk else None
    idle_s, ready_s, lost = desk.idle_s, desk.ready_s, desk.lost_beyond_horizon
    src = np.asarray(desk.repeat_sources, float).reshape(-1, 2)
    waiting = dict(zip([c.name for c in model.channels], desk.waiting(), strict=True))
    # the desk's pre-drawn contacts go before the records are built, the recorder's
    # buffers right after: each stage then holds only what it needs (docs/performance.md)
    del desk
    if records is None:
        records = rec.records()
    del rec
    ivs = contact_intervals(model, records)  # the floor divisions the KPI passes share
    if queue_only:
        busy = busy_time(model, records, len(agents), iv=ivs)[:len(agents)]
        return ReplicationOutput(
            replication=replication,
            multiplier=(demand.multiplier if demand.scenario_multiplier is None
                        else demand.scenario_multiplier),
            demand_name=demand.name, channels={}, team={},
            intervals=interval_metrics(model, records, agents, busy, ready_s,
                                       queue_time(model, records, iv=ivs), iv=ivs),
            agents={}, contacts=records if model.contact_log else None,
            waiting_at_end=waiting)
    outcomes = draw_outcomes(model, agents, records, st["outcomes"])
    # busy_time keeps one row even for no agents (its bincount needs a size): a desk with
    # no agent at all (every pool at 0) has zero rows, like every other agent table
    busy = busy_time(model, records, len(agents), iv=ivs)[:len(agents)]
    outbound, connects, out_s, out_talk = _outbound(model, agents, idle_s, st["outbound"])
    missed = _missed_rings(model, agents, records, ready_s, st["rings"], ivs.arrival)
    caused = np.zeros_like(idle_s)
    if len(src):
        iv = interval_index(src[:, 1], model.interval_s, model.n_intervals)
        # repeat contacts caused per agent and interval: counts (a bincount's integers are
        # the same numbers as adding 1.0 at each pair in turn)
        caused = np.bincount(src[:, 0].astype(int) * caused.shape[1] + iv,
                             minlength=caused.size).astype(float).reshape(caused.shape)
    day = max(1, int(round(86400 / model.interval_s)))
    first = int(np.ceil(model.warmup_s / model.interval_s - 1e-9))
    team = {
        "outbound_calls": float(outbound[:, first:].sum()),
        "outbound_connects": float(connects[:, first:].sum()),
        "agents_showed": float(agents.showed.sum()),
        "lost_beyond_horizon": float(lost),
        "contacts_simulated": float(len(records)),
    }
    # hours worked past shift end (finishing the contact in hand), per pool and in total
    over_h = overtime(model, records, agents, iv=ivs) / 3600.0
    for p, pool in enumerate(model.pools):
        team[f"overtime_hours_{pool.name}"] = float(over_h[agents.pool == p].sum())
    team["overtime_hours"] = float(over_h.sum())
    qtime = queue_time(model, records, iv=ivs)  # contact-seconds waiting: team and interval KPIs
    # the agent tables per day and over the whole horizon (the pay stages), in one pass
    tables = agent_kpi_tables(
        model, records, outcomes, agents, busy, ready_s, idle_s, outbound, connects, caused,
        (day, model.n_intervals), missed=missed, outbound_s=out_s, outbound_talk=out_talk,
        iv=ivs) if agent_tables else [{}, {}]
    return ReplicationOutput(
        replication=replication,
        multiplier=(demand.multiplier if demand.scenario_multiplier is None
                    else demand.scenario_multiplier),
        demand_name=demand.name,
        channels=team_metrics(model, records, outcomes, agents, busy, ready_s, qtime),
        team=team,
        intervals=interval_metrics(model, records, agents, busy, ready_s, qtime, iv=ivs),
        agents=tables[0], agents_horizon=tables[1],
        contacts=records if model.contact_log else None,
        bot={} if bot_run is None else bot_stage.bot_kpis(
            model.bot, [c.name for c in model.channels], bot_run, records, KIND_NEW),
        bot_sessions=bot_run.sessions if bot_run is not None and model.contact_log else None,
        waiting_at_end=waiting,
    )


def event_desk(model: SimModel, recorder: Recorder | None = None,
               job_contacts: float = 0.0, kernel: str | None = None) -> type:
    """The event desk for ``model``. Both give the same numbers bit for bit; the compiled
    one (sim.compiled) is several times faster once numba has compiled it (once per
    machine). It runs when numba is there, it covers every feature the model uses, no
    recorder hooks are asked for, and — under "auto", the default — its code is already
    compiled or the job's ``job_contacts`` repay the compile (sim.compiled.use_compiled;
    otherwise the compile starts in the background for the next jobs). Else the readable
    sim.kernel.Desk. PEAKDESK_KERNEL (or ``kernel``) = python|compiled forces one (a model
    the compiled desk does not cover still runs the readable one)."""
    want = kernel or compiled.choice()
    if (want == "python" or recorder is not None or not compiled.available()
            or not compiled.supports(model)):
        return Desk
    if want == "compiled" or compiled.use_compiled(job_contacts):
        return CompiledDesk
    return Desk


def prepare_kernel(models: Sequence[SimModel], job_contacts: float, parallel: bool) -> None:
    """Before a parallel job that will run the compiled desk with its code not yet
    compiled: compile it once here, so the workers load it instead of each compiling it."""
    want = compiled.choice()
    if not parallel or want == "python" or not compiled.available() or compiled.warm():
        return
    if want == "auto" and job_contacts < compiled.PAYBACK_CONTACTS:
        return
    if any(compiled.supports(m) for m in models):
        compiled.warm_up()


def _outbound(model: SimModel, agents, idle_s: np.ndarray, rng: np.random.Generator
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Outbound attempts, connects, time on outbound work and connected talk time, per
    agent and interval. "idle" mode: filler in ready idle time; "ready_time" mode: the
    ``online × outbound_effort`` share of each staffed interval (docs/simulation.md)."""
    ob = model.outbound
    if ob.mode == "ready_time" and compiled.passes():  # the means in one compiled pass
        from sim.compiled_kpi import outbound_means

        duty = np.ascontiguousarray(agents.duty, np.bool_)
        per = np.ascontiguousarray(ob.attempt_s(agents.pace), float)
        out_s, pos, lam = outbound_means(
            duty, float(model.interval_s),
            np.ascontiguousarray(agents.online * agents.outbound_effort, float), per)
        calls = rng.poisson(lam)
        outbound = _scatter(pos, calls, duty.shape)
        # binomial_nonzero's draws: the non-zero attempts, in the same (C) order
        some = calls != 0
        at, got = pos[some], rng.binomial(calls[some], ob.connect_rate)
        connects = _scatter(at, got, duty.shape)
        talk_s = np.asarray(ob.talk_s * agents.pace, float)
        if np.all(np.isfinite(talk_s) & (talk_s >= 0)):  # elsewhere 0 × talk_s = +0.0
            talk = _scatter(at, got * talk_s[at // duty.shape[1]], duty.shape, float)
        else:
            talk = connects * talk_s[:, None]
        return outbound, connects, out_s, talk
    if ob.mode == "ready_time":
        out_s = agents.duty * model.interval_s * (agents.online * agents.outbound_effort)[:, None]
        per = ob.attempt_s(agents.pace)[:, None]
        lam = np.divide(out_s, per, out=np.zeros_like(out_s), where=per > 0)
        outbound = poisson_nonzero(rng, lam)
        connects = binomial_nonzero(rng, outbound, ob.connect_rate)
        talk = connects * (ob.talk_s * agents.pace)[:, None]
        return outbound, connects, out_s, talk
    effort = agents.outbound_effort[:, None]
    outbound = poisson_nonzero(rng, idle_s * effort * ob.calls_per_hour / 3600.0)
    connects = binomial_nonzero(rng, outbound, ob.connect_rate)
    zero = np.zeros(idle_s.shape)
    return outbound, connects, zero, zero


# numpy's Generator returns 0 for a Poisson mean of 0 and for a binomial of 0 trials
# without drawing from the stream, so drawing only the other entries (in the same C
# order) gives the same numbers and leaves the stream in the same state as one draw of
# the whole matrix (tests/sim/test_kpi_fast.py) — most agent-intervals are off duty.
def poisson_nonzero(rng: np.random.Generator, lam: np.ndarray) -> np.ndarray:
    """``rng.poisson(lam)``, drawing only where ``lam`` ≠ 0."""
    lam = np.ascontiguousarray(lam, float)
    out = np.zeros(lam.shape, np.int64)
    nz = lam != 0
    out[nz] = rng.poisson(lam[nz])
    return out


def _scatter(pos: np.ndarray, values: np.ndarray, shape: tuple, dtype: type = np.int64
             ) -> np.ndarray:
    """A zero matrix of ``shape`` with ``values`` at the flat C-order positions ``pos``."""
    out = np.zeros(shape, dtype)
    out.reshape(-1)[pos] = values
    return out


def binomial_nonzero(rng: np.random.Generator, n: np.ndarray, p: float) -> np.ndarray:
    """``rng.binomial(n, p)``, drawing only where ``n`` ≠ 0."""
    n = np.ascontiguousarray(n)
    out = np.zeros(n.shape, np.int64)
    nz = n != 0
    out[nz] = rng.binomial(n[nz], p)
    return out


def _missed_rings(model: SimModel, agents, records, ready_s: np.ndarray,
                  rng: np.random.Generator, arrival_iv: np.ndarray) -> np.ndarray:
    """Rings an agent misses per interval: while on duty but not ready (aux, outbound
    work) the agent is rung at ``ring_unready_share`` × the rate at which the interval's
    contacts of its channels reached a ready agent (offered / ready agent-time). Missed
    rings make the agent answer rate answered / (answered + missed) meaningful (KPI catalogue:
    agent answer rate = answered / rung); the customer is not delayed (not modelled).
    ``arrival_iv``: the contacts' arrival intervals (sim.kpi.contact_intervals). Floats —
    integers (the same numbers) where the passes run compiled."""
    shape = ready_s.shape
    if model.ring_unready_share <= 0 or len(agents) == 0:
        return np.zeros(shape)
    L, n = model.interval_s, model.n_intervals
    if compiled.passes() and n > 1:  # the same means in compiled passes, non-zero ones only
        from sim import compiled_kpi as ck

        nc = len(model.channels)
        offered = ck.channel_interval_counts(arrival_iv, np.asarray(records.channel, np.int64),
                                             nc, n)
        skill = np.array([[ch.name in model.pools[p].skills for p in agents.pool]
                          for ch in model.channels], bool).reshape(nc, len(agents))
        ready_s = np.ascontiguousarray(ready_s, float)
        per = np.zeros((nc, n))
        for k in range(nc):
            ready = ck.skilled_column_sums(ready_s, 1.0, skill[k])  # = ready_s[rows].sum(0)
            np.divide(offered[k], ready, out=per[k], where=ready > 0)
        pos, lam = ck.ring_means(np.ascontiguousarray(agents.duty, np.bool_), ready_s, float(L),
                                 skill, per, float(model.ring_unready_share))
        # integers (the agent tables sum them per day as integers: sim.kpi's day sums)
        return _scatter(pos, rng.poisson(lam), shape)
    not_ready = np.clip(agents.duty * L - ready_s, 0.0, None)
    rate = np.zeros(shape)
    for k, ch in enumerate(model.channels):
        skilled = np.array([ch.name in model.pools[p].skills for p in agents.pool], bool)
        offered = np.bincount(arrival_iv[records.channel == k], minlength=n).astype(float)
        ready = ready_s[skilled].sum(0)
        per = np.divide(offered, ready, out=np.zeros(n), where=ready > 0)
        rate[skilled] += per[None, :]
    return poisson_nonzero(rng, not_ready * rate * model.ring_unready_share).astype(float)


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


def _task(args: tuple[SimModel, Demand, int, int, float, bool, bool]) -> ReplicationOutput:
    model, demand, seed, r, job, tables, queue = args
    return simulate(model, demand, seed, r, job_contacts=job, agent_tables=tables,
                    queue_only=queue)


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

    def bot_summary(self) -> dict[str, dict[str, tuple[float, float, float]]]:
        """channel with a bot -> bot KPI -> (mean, ci95 lo, ci95 hi) across replications."""
        first = self.outputs[0].bot
        return {ch: {m: mean_ci([o.bot[ch][m] for o in self.outputs]) for m in first[ch]}
                for ch in first}

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


def run_replications(model: SimModel | Sequence[SimModel], demand: Demand | Sequence[Demand],
                     replications: int, seed: int, workers: int = 1,
                     executor: Executor | None = None,
                     progress: Callable[[int], None] | None = None,
                     agent_tables: bool = True, queue_only: bool = False) -> SimResult:
    """Run ``replications`` replications; ``demand`` is one :class:`Demand` for all or one
    per replication, and so is ``model`` (e.g. the staffing each demand scenario's
    recourse gives). ``workers`` > 1 uses a local process pool unless ``executor`` is
    given (any concurrent.futures executor, e.g. a Dask client's ``get_executor()``)
    or set around the call (:func:`sim.execution.executing`). ``progress(k)`` is called
    after each finished replication. ``agent_tables`` False: no agent KPI tables;
    ``queue_only`` True: the per-interval queue KPIs alone (:func:`simulate`)."""
    if executor is None:
        executor = execution.current()
    progress = execution.observed(progress)
    demands = [demand] * replications if isinstance(demand, Demand) else list(demand)
    models = [model] * replications if isinstance(model, SimModel) else list(model)
    if len(demands) != replications or len(models) != replications:
        raise ValueError(f"{len(demands)} demands and {len(models)} models for "
                         f"{replications} replications")
    unique_demands = list({id(d): d for d in demands}.values())
    # replications in memory at once: one in this process, a local pool's workers, or
    # the given executor's (a remote cluster's own memory is not seen from here)
    at_once = (getattr(executor, "_max_workers", 1) if executor is not None
               else min(workers, os.cpu_count() or 1, replications) if workers > 1 else 1)
    for m in {id(m): m for m in models}.values():
        check_size(m, unique_demands, at_once, replications)
    job = sum(expected_contacts(models[r], demands[r]) for r in range(replications))
    parallel = executor is not None or workers > 1
    prepare_kernel(list({id(m): m for m in models}.values()), job, parallel)
    tasks = [(models[r], demands[r], seed, r, job, agent_tables, queue_only)
             for r in range(replications)]
    outputs: list[ReplicationOutput | None] = [None] * replications
    if executor is None and workers <= 1:
        for r, t in enumerate(tasks):
            outputs[r] = _task(t)
            if progress:
                progress(r + 1)
        return SimResult(seed, outputs)  # type: ignore[arg-type]
    def gather(ex: Executor) -> SimResult:
        futures = {ex.submit(_task, t): r for r, t in enumerate(tasks)}
        for done, fut in enumerate(as_completed(futures), start=1):
            outputs[futures[fut]] = fut.result()
            if progress:
                progress(done)
        return SimResult(seed, outputs)  # type: ignore[arg-type]

    if executor is not None:
        return gather(executor)
    with execution.local_pool(min(workers, os.cpu_count() or 1, replications)) as ex:
        return gather(ex)
