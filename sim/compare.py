"""Compare incentive schemes before rollout: behaviour model + simulator + rules engine.

For every policy, the same agents (skills drawn once: common random numbers) choose their
levers against the policy's pay (``sim.behavior.solve``), with the simulator in the loop:
simulate the team at the chosen levers, refresh the state the agents face, re-solve
(``sim_rounds`` rounds). Then ``replications`` final replications per policy with the same
seed (common random numbers: same customers, same draws), KPI tables scaled from the
simulated days to the policy's pay period, paid by the policy. Differences to the flat-pay
baseline are paired over replications. Pure: typed objects in, a typed
:class:`Comparison` out; no file I/O (the CLI and ``scenarios`` read files).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field, replace

import numpy as np

from sim import execution
from sim.behavior import (
    LEVERS,
    Agents,
    BehaviorParams,
    BehaviorResult,
    FlatPay,
    PayFunction,
    SkillDistribution,
    SolverSettings,
    SystemState,
    draw_agents,
    draw_noise,
    pay_distribution,
    ranking_noise,
    scheme_diagnostics,
    simulator_levers,
    solve,
)
from sim.behavior.params import lever_effects
from sim.behavior.pay import is_relative
from sim.levers import Levers
from sim.model import OutboundModel, SimModel
from sim.runner import Demand, ReplicationOutput, prepare_kernel, simulate
from sim.sizes import check_size, expected_contacts
from sim.stats import mean_ci

BASELINE = "baseline"

#: team metrics (docs/formats.md §5 names plus answer_rate, fcr, repeat_contacts, complaints)
TEAM_METRICS = ("offered", "answered", "abandoned", "answer_rate", "abandon_rate",
                "service_level", "asa_s", "aht_s", "occupancy", "fcr", "repeat_contacts",
                "complaints", "outbound_calls")
#: per-agent means over the focus agents, per simulated horizon
PER_AGENT_METRICS = ("answered", "outbound_calls", "service_volume", "aht_s", "talk_time_s",
                     "answer_rate", "fcr", "occupancy", "online_rate", "repeat_contacts",
                     "complaints")

# per-agent KPI columns that add up over days and scale with the pay period
_COUNTS = ("offered", "answered", "missed_rings", "outbound_calls", "outbound_connects",
           "contacts", "service_volume", "staffed_s", "idle_s", "ready_s", "busy_s",
           "outbound_s", "talk_time_s", "repeat_contacts", "complaints", "violations",
           "named_good_reviews", "bad_reviews", "received_uv", "paid_uv", "sales_amount",
           "returns", "exchanges", "refunds")
# ratios averaged over days weighted by answered contacts
_PER_ANSWERED = ("aht_s", "acw_s", "fcr", "qa_score", "satisfaction", "first_response_s")


@dataclass(frozen=True)
class PolicyEntry:
    """One scheme to compare: a pay function with its period, base pay and scope."""

    name: str
    pay_fn: PayFunction
    period: str = "month"                     # day | week | month
    base_pay: float = 0.0
    applies_to: tuple[str, ...] | None = None  # pools it pays (None: all)
    ranking_bottom: float | None = None        # bottom band share, for the noise diagnostics


@dataclass(frozen=True)
class CompareSettings:
    replications: int = 10
    seed: int = 0                             # simulation seed (common to all policies)
    skills_seed: int = 0                      # agents' skills and count-noise draws
    workers: int = 1
    sim_rounds: int = 3
    loop_replications: int = 2
    noise_draws: int = 16
    # paid hours of one full-time agent per period (the same convention as `peakdesk
    # run`'s pay stage, scenarios/run/pay_table.py): 8-hour days, a month of 21.75 days
    period_hours: Mapping[str, float] = field(
        default_factory=lambda: {"day": 8.0, "week": 40.0, "month": 174.0})
    baseline_pay: float = 3000.0
    baseline_period: str = "month"
    include_baseline: bool = True
    sourcing_per_hour: Mapping[str, float] = field(default_factory=dict)
    params: BehaviorParams = field(default_factory=BehaviorParams)
    solver: SolverSettings = field(default_factory=SolverSettings)


@dataclass(frozen=True)
class Stat:
    """Mean and 95% CI over replications; ``diff`` = paired difference to the baseline."""

    mean: float
    ci95: tuple[float, float]
    diff: tuple[float, float, float] | None = None   # (mean, lo, hi)

    @property
    def significant(self) -> bool:
        if self.diff is None:
            return False
        _, lo, hi = self.diff
        return bool(lo > 0 or hi < 0)


@dataclass(frozen=True)
class PolicyOutcome:
    name: str
    period: str
    team: dict[str, Stat]
    per_agent: dict[str, Stat]
    levers: dict[str, float]
    pay: dict[str, Stat]
    pay_distribution: dict[str, float]
    cost: dict[str, Stat]
    why: dict[str, dict[str, float]]              # lever -> component -> marginal pay
    why_main: dict[str, str | None]               # lever -> component that drives it
    ranking_noise: dict[str, float] | None
    converged: bool
    equilibrium_rounds: tuple[int, ...]
    sim_residual: float
    # the last equilibrium (the one the levers come from): converged ⇔ max_regret_share ≤
    # the tolerance; max_regret: the largest exact best-response gain of an agent (money
    # per period); max_regret_share: that gain / the agent's effort-cost scale
    equilibrium: dict[str, float | int | bool] = field(default_factory=dict)
    behavior: BehaviorResult | None = None
    raw: dict[str, np.ndarray] = field(default_factory=dict)   # per-replication series
    # replication 0's whole-horizon agent KPI table at the chosen levers (the layout of
    # ReplicationOutput.agents_horizon), for `peakdesk run`'s pay stage
    agents_horizon: dict[str, np.ndarray] = field(default_factory=dict)
    # every final replication without its per-interval and per-day tables (per-channel
    # team KPIs and the whole-horizon agent table), for pay and per-channel reporting
    runs: tuple[ReplicationOutput, ...] = ()


@dataclass(frozen=True)
class Comparison:
    policies: dict[str, PolicyOutcome]
    replications: int
    seed: int
    focus_pools: tuple[str, ...]
    n_agents: int
    solve_s: float
    simulate_s: float    # waiting for replications (the solves run while the workers do)
    simulated: int = 0   # replications run: each (levers, replication) once

    @property
    def agents_horizon(self) -> dict[str, dict[str, np.ndarray]]:
        """Per policy name: replication 0's whole-horizon agent KPI table at the agents'
        response (``scenarios.run.stages.pay.PolicyResponses``); the baseline is left out
        (the pay stage pays natural behaviour on its own table)."""
        return {k: o.agents_horizon for k, o in self.policies.items() if k != BASELINE}


# ---- agents and models -----------------------------------------------------------------

def slot_counts(model: SimModel) -> list[tuple[str, int]]:
    """(pool, slots) in the simulator's agent order (slot = rostered position)."""
    return [(p.name, p.size) for p in model.pools]


def team_agents(model: SimModel, skills: Mapping[str, SkillDistribution], seed: int,
                params: BehaviorParams) -> Agents:
    """One behaviour agent per simulator slot, skills drawn once from ``seed`` (common to
    every policy); natural pace includes the pool's productivity, ids as the simulator's
    KPI table (``in_house-001``).

    The same team as ``model``: each pool's ready share of staffed time at the natural
    point is the model's (its ``levers.availability``, which carries the shrinkage the
    simulation applies): ready = ready_factor × availability lever, ready_factor = that
    share / the pool's mean natural availability, so an agent who cuts its aux time by
    10% is ready 10% more. With ``outbound.mode: idle`` the model's outbound work is
    filler that takes no inbound time; the behaviour model's outbound work takes ready
    time (``ready_time``), so the natural outbound share is added to the time online
    (ready_factor / (1 − natural outbound)) and inbound capacity at the natural point is
    the model's."""
    counts = slot_counts(model)
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(7001,)))
    ag = draw_agents([(name, n, skills.get(name, SkillDistribution())) for name, n in counts],
                     rng, params)
    prod = np.concatenate([np.full(n, p.productivity) for p, (_, n) in
                           zip(model.pools, counts, strict=True)]) if counts else np.zeros(0)
    ids = np.array([p.agent_id(j) for p in model.pools for j in range(p.size)])
    factor = np.ones(ag.n)
    start = 0
    for p, (_, n) in zip(model.pools, counts, strict=True):
        sl = slice(start, start + n)
        start += n
        if n == 0:
            continue
        ready = float(np.mean(p.levers.availability))
        online = ready / (1.0 - ag.outbound_natural[sl]) if model.outbound.mode == "idle" \
            else np.full(n, ready)
        factor[sl] = online / float(np.mean(ag.availability[sl]))
    return replace(ag, speed=ag.speed * prod, agent_id=ids, ready_factor=factor)


def union_model(models: Sequence[SimModel]) -> SimModel:
    """One model whose pools have, per interval, the most agents any of ``models`` rosters
    (the same pools; e.g. one model per demand scenario with its own recourse): its slots
    hold every model's, so one team of behaviour agents serves them all."""
    first = models[0]
    if len(models) == 1:
        return first
    pools = tuple(replace(p, staffing=np.max(np.vstack([np.asarray(m.pools[i].staffing)
                                                        for m in models]), axis=0))
                  for i, p in enumerate(first.pools))
    return replace(first, pools=pools)


def _offsets(model: SimModel) -> np.ndarray:
    """Index of each pool's first slot in the simulator's agent order."""
    counts = [n for _, n in slot_counts(model)]
    return np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)


def to_union_slots(out: ReplicationOutput, model: SimModel, union: SimModel
                   ) -> ReplicationOutput:
    """``out`` (run with ``model``) with its agent rows numbered as ``union``'s slots."""
    if model is union:
        return out
    own, big = _offsets(model), _offsets(union)
    idx = np.asarray(out.agents["agent"], dtype=np.int64)
    pool = np.searchsorted(own, idx, side="right") - 1
    agents = dict(out.agents)
    agents["agent"] = (idx - own[pool] + big[pool]).astype(out.agents["agent"].dtype)
    return replace(out, agents=agents)


def behavior_model(model: SimModel, agents: Agents, levers: np.ndarray,
                   params: BehaviorParams, union: SimModel | None = None) -> SimModel:
    """The simulator model with the behaviour agents' skills and levers per slot, outbound
    taking ready time and missed rings modelled (the surrogate's assumptions). ``agents``
    are ``union``'s slots (default: ``model``'s); each pool of ``model`` takes its first
    slots of that pool."""
    lv = simulator_levers(levers, agents)
    pools = []
    firsts = _offsets(union if union is not None else model)
    for i, p in enumerate(model.pools):
        n = p.size
        start = int(firsts[i])
        sl = slice(start, start + n)
        pools.append(replace(
            p, natural_pace=agents.speed[sl].copy(), natural_fcr=agents.fcr[sl].copy(),
            levers=Levers(lv["speed"][sl], lv["availability"][sl], lv["outbound_effort"][sl],
                          lv["sales_push"][sl])))
    ob = model.outbound
    return replace(model, pools=tuple(pools), effects=lever_effects(params),
                   ring_unready_share=params.ring_unready_share,
                   outbound=OutboundModel(ob.calls_per_hour, ob.connect_rate, "ready_time",
                                          params.dial_s))


def agent_table(out: ReplicationOutput, n: int) -> dict[str, np.ndarray]:
    """Per-slot KPIs over the whole horizon (days summed; ratios recomputed), length n;
    slots that never worked get zeros."""
    a = out.agents
    idx = a["agent"].astype(np.int64)
    t: dict[str, np.ndarray] = {}
    for k in _COUNTS:
        t[k] = np.bincount(idx, weights=np.nan_to_num(a[k]), minlength=n)[:n]
    for k in _PER_ANSWERED:
        w = np.bincount(idx, weights=np.nan_to_num(a[k] * a["answered"]), minlength=n)[:n]
        t[k] = _div(w, t["answered"])
    busy_all = t["busy_s"] + t["outbound_s"]
    t["answer_rate"] = _div(t["answered"], t["offered"])
    t["outbound_connect_rate"] = _div(t["outbound_connects"], t["outbound_calls"])
    t["occupancy"] = _div(busy_all, t["staffed_s"])       # catalogue: busy / staffed
    t["utilization"] = _div(busy_all, t["staffed_s"])
    t["online_rate"] = _div(t["ready_s"] + t["outbound_s"], t["staffed_s"])
    t["named_good_review_rate"] = _div(t["named_good_reviews"], t["answered"])
    t["conversion_rate"] = _div(t["paid_uv"], t["received_uv"])
    for k, base in (("return_rate", "returns"), ("exchange_rate", "exchanges"),
                    ("refund_rate", "refunds")):
        t[k] = _div(t[base], t["paid_uv"])
    t["orders"], t["returned_orders"] = t["paid_uv"], t["returns"]
    return t


def period_factor(staffed_s: np.ndarray, period_hours: float) -> np.ndarray:
    """Per slot: the pay period's hours / the hours the slot was on duty (0 if never): a
    slot stands for one full-time agent working the period at the pace it showed."""
    hours = np.asarray(staffed_s, float) / 3600.0
    return np.divide(period_hours, hours, out=np.zeros_like(hours), where=hours > 0)


def scale_to_period(table: Mapping[str, np.ndarray], factor: float | np.ndarray
                    ) -> dict[str, np.ndarray]:
    """Counts and staffed time × ``factor`` (per slot, :func:`period_factor`); ratios kept."""
    out = dict(table)
    for k in (*_COUNTS, "orders", "returned_orders"):
        if k in out:
            out[k] = np.asarray(out[k], float) * factor
    return out


def _div(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    num, den = np.asarray(num, float), np.asarray(den, float)
    return np.divide(num, den, out=np.zeros_like(num), where=den > 0)


def state_from_outputs(outputs: Sequence[ReplicationOutput], model: SimModel, agents: Agents,
                       levers: np.ndarray, scope: np.ndarray, period_hours: float,
                       params: BehaviorParams) -> SystemState:
    """The state the ``scope`` agents faced in simulation (means over replications):
    inbound occupancy, handle time, offered per ready hour, outbound connect rate, staffed
    hours per agent scaled to the pay period, and the load/mix factor on handle time
    (observed AHT / the surrogate's prediction at the same levers)."""
    n = agents.n
    tabs = [agent_table(o, n) for o in outputs]
    tot = {k: float(np.mean([t[k][scope].sum() for t in tabs]))
           for k in ("ready_s", "busy_s", "answered", "outbound_calls", "outbound_connects")}
    staffed = np.where(np.mean([t["staffed_s"] for t in tabs], axis=0) > 0, period_hours, 0.0)
    pools = set(agents.pool[scope].tolist())
    serving = [c for c in model.channels
               if any(c.name in p.skills for p in model.pools if p.name in pools)]
    ch = serving[0] if serving else model.channels[0]
    base_aht = ch.handle.mean_s + ch.acw_s
    skilled = np.array([any(c.name in p.skills for c in serving)
                        for p in model.pools for _ in range(p.size)],
                       bool)
    offered = np.mean([sum(o.intervals[c.name]["offered"].sum() for c in serving)
                       for o in outputs])
    ready_all = np.mean([t["ready_s"][skilled].sum() for t in tabs])
    ans_i = np.mean([t["answered"] for t in tabs], axis=0)[scope]
    pace = agents.speed[scope] * levers[scope, 0]
    predicted = base_aht * (float((ans_i * pace).sum() / ans_i.sum()) if ans_i.sum() > 0 else 1.0)
    observed = tot["busy_s"] / tot["answered"] if tot["answered"] > 0 else predicted
    rho = tot["busy_s"] / tot["ready_s"] if tot["ready_s"] > 0 else 0.0
    connect = (tot["outbound_connects"] / tot["outbound_calls"] if tot["outbound_calls"] > 0
               else model.outbound.connect_rate)
    return SystemState(
        occupancy=float(rho), team_aht_s=float(observed), base_aht_s=float(base_aht),
        offered_per_ready_hour=float(offered / (ready_all / 3600.0)) if ready_all > 0 else 0.0,
        outbound_connect_rate=float(connect), staffed_hours=staffed,
        aht_factor=float(observed / predicted) if predicted > 0 else 1.0)


def subset(agents: Agents, mask: np.ndarray) -> Agents:
    """The agents selected by ``mask`` (every per-agent array sliced)."""
    return Agents(**{f: getattr(agents, f)[mask] for f in Agents.__dataclass_fields__})


def _restrict(state: SystemState, mask: np.ndarray) -> SystemState:
    hours = np.asarray(state.staffed_hours, float)
    return replace(state, staffed_hours=hours[mask] if hours.ndim else hours)


# ---- the comparison --------------------------------------------------------------------

@dataclass
class _Clock:
    solve_s: float = 0.0
    simulate_s: float = 0.0


def _scope(agents: Agents, applies_to: tuple[str, ...] | None) -> np.ndarray:
    return np.ones(agents.n, bool) if applies_to is None else np.isin(agents.pool, applies_to)


def _pay(entry: PolicyEntry, table: Mapping[str, np.ndarray], agents: Agents,
         paid: np.ndarray) -> np.ndarray:
    """Total pay per agent for one period table (agents outside the scope get 0). Only
    the columns the pay function reads (its ``needed``, when it says) are passed on."""
    needed = getattr(entry.pay_fn, "needed", None)
    cols = {k: np.nan_to_num(np.asarray(v, float))[None] for k, v in table.items()
            if needed is None or k in needed or k == "answered"}
    cols["agent_id"], cols["pool"] = agents.agent_id[None], agents.pool[None]
    out = entry.pay_fn(cols)
    return np.where(paid, np.asarray(out.total, float).reshape(-1), 0.0)


def compare(model: SimModel | Sequence[SimModel], demand: Demand | Sequence[Demand],
            agents: Agents,
            policies: Sequence[PolicyEntry], settings: CompareSettings,
            executor: Executor | None = None,
            progress: Callable[[str], None] | None = None) -> Comparison:
    """Solve, simulate and pay every policy (plus the flat-pay baseline) on the same agents
    and customers; see the module docstring. ``model``: one model, or one per replication
    (the same pools, staffing that may differ: each demand scenario's own recourse;
    ``agents`` are then :func:`union_model`'s slots). ``executor``: any concurrent.futures
    executor for the replications (default: one local process pool when workers > 1,
    reused by every simulation of the comparison; or the one set by
    :func:`sim.execution.executing`)."""
    if executor is None:
        executor = execution.current()
    if executor is not None or settings.workers <= 1:
        return _compare(model, demand, agents, policies, settings, executor, progress)
    with execution.local_pool(min(settings.workers, os.cpu_count() or 1)) as own:
        return _compare(model, demand, agents, policies, settings, own, progress)


@dataclass
class _Pending:
    """A replication started (``future``: on the executor) or to make in place (``args``)."""

    args: tuple | None = None
    future: Future | None = None


class _Runs:
    """The comparison's replications of behaviour models, each (levers, replication) run
    once and sent to the workers as soon as its levers are known.

    A replication's numbers depend only on (model, demand, seed, index) (sim.streams), and
    the model only on the levers (:func:`behavior_model`), so one run serves every caller
    with the same levers and index: the flat-pay baseline's final replications at the
    natural levers include the natural point's in-the-loop runs, and a policy's final
    replications include its last in-the-loop round's when its levers did not move.
    ``submit`` returns at once (the runs go to ``executor``, first come first served);
    ``gather`` waits for them — so the next policy's behaviour solve runs in this process
    while the workers simulate the previous one's final replications. Without an executor
    the runs are made in place, in ``gather``'s order: the same numbers."""

    def __init__(self, models: list[SimModel], union: SimModel, agents: Agents,
                 s: CompareSettings, executor: Executor | None, clock: _Clock) -> None:
        self.models, self.union, self.agents, self.s = models, union, agents, s
        self.executor, self.clock = executor, clock
        self._runs: dict[tuple[bytes, int, int], _Pending | ReplicationOutput] = {}
        self._built: dict[bytes, SimModel] = {}
        self._held: dict[bytes, int] = {}   # levers of final runs started, not gathered
        self.simulated = 0          # replications actually run (not served from another)
        self.job = 0.0              # expected contacts of one replication round (kernel)

    def prepare(self, levers: np.ndarray, demands: Sequence[Demand], at_once: int,
                kept: int) -> None:
        """Before any run: the size guard on every replication's model (as
        ``run_replications`` does, with ``kept`` results held here at once) and, for a
        parallel job, the compiled desk ready."""
        reps = self.s.replications
        models = {id(m): m for m in (self.model(levers, r) for r in range(reps))}
        unique = list({id(d): d for d in demands[:reps]}.values())
        for m in models.values():
            check_size(m, unique, at_once, kept)
        self.job = sum(expected_contacts(self.model(levers, r), demands[r])
                       for r in range(reps))
        prepare_kernel(list(models.values()), self.job, self.executor is not None)

    def model(self, levers: np.ndarray, r: int) -> SimModel:
        """Replication ``r``'s model at ``levers``."""
        if len(self.models) == 1:
            key = levers.tobytes()
            if key not in self._built:
                self._built = {key: behavior_model(self.union, self.agents, levers,
                                                   self.s.params)}
            return self._built[key]
        return behavior_model(self.models[r], self.agents, levers, self.s.params, self.union)

    def submit(self, levers: np.ndarray, demands: Sequence[Demand], reps: int,
               hold: bool = False) -> None:
        """Start replications 0..reps-1 at ``levers`` (those not already started);
        ``hold``: final ones, kept (with any already made) until gathered."""
        tag = levers.tobytes()
        if hold:
            self._held[tag] = self._held.get(tag, 0) + 1
        for r in range(reps):
            key = (tag, r, id(demands[r]))
            if key in self._runs:
                continue
            self.simulated += 1
            args = (self.model(levers, r), demands[r], self.s.seed, r)
            self._runs[key] = (_Pending(args=args) if self.executor is None else _Pending(
                future=self.executor.submit(simulate, *args, job_contacts=self.job)))

    def gather(self, levers: np.ndarray, demands: Sequence[Demand], reps: int,
               keep: bool = True,
               each: Callable[[ReplicationOutput], None] | None = None
               ) -> list[ReplicationOutput]:
        """Replications 0..reps-1 at ``levers`` (started now if not yet), in index order,
        with ``union``'s slot numbers; ``keep`` False forgets them here (the final ones:
        the caller holds them). ``each(output)`` is called on each in index order as soon
        as it is in, while the later ones still run (the caller's work on a replication
        then overlaps the workers' on the next ones)."""
        self.submit(levers, demands, reps)
        tag = levers.tobytes()
        t0 = time.perf_counter()
        outs = []
        for r in range(reps):
            key = (tag, r, id(demands[r]))
            run = self._runs[key]
            if isinstance(run, _Pending):
                run = (run.future.result() if run.future is not None
                       else simulate(*run.args, job_contacts=self.job))
                execution.replication_done()
            if keep or self._held.get(tag, 0) > 1:
                self._runs[key] = run
            else:
                del self._runs[key]
            outs.append(run if len(self.models) == 1
                        else to_union_slots(run, self.models[r], self.union))
            if each is not None:
                t1 = time.perf_counter()
                each(outs[-1])
                t0 += time.perf_counter() - t1    # the caller's time is not waiting
        if not keep and tag in self._held:
            self._held[tag] -= 1
            if not self._held[tag]:
                del self._held[tag]
        self.clock.simulate_s += time.perf_counter() - t0
        return outs

    def forget(self) -> None:
        """Drop the finished runs kept for reuse (the in-the-loop rounds'), keep those
        still running or waiting and those of final runs not yet gathered."""
        self._runs = {k: v for k, v in self._runs.items()
                      if isinstance(v, _Pending) or k[0] in self._held}

    def cancel(self) -> None:
        for v in self._runs.values():
            if isinstance(v, _Pending) and v.future is not None:
                v.future.cancel()
        self._runs = {}


def _compare(model: SimModel | Sequence[SimModel], demand: Demand | Sequence[Demand],
             agents: Agents, policies: Sequence[PolicyEntry], settings: CompareSettings,
             executor: Executor | None,
             progress: Callable[[str], None] | None) -> Comparison:
    s = settings
    models = [model] if isinstance(model, SimModel) else list(model)
    if len(models) > 1 and len(models) < s.replications:
        raise ValueError(f"{len(models)} models for {s.replications} replications")
    union = union_model(models)
    model = union
    clock = _Clock()
    focus_pools = _focus(policies, agents)
    focus = np.isin(agents.pool, focus_pools)
    entries = list(policies)
    if s.include_baseline:
        entries.insert(0, PolicyEntry(BASELINE, FlatPay(s.baseline_pay), s.baseline_period,
                                      s.baseline_pay, focus_pools))
    noise = draw_noise(np.random.default_rng(np.random.SeedSequence(s.skills_seed,
                                                                    spawn_key=(7002,))),
                       s.noise_draws, agents.n)
    demands = [demand] * s.replications if isinstance(demand, Demand) else list(demand)
    if len(demands) < s.replications:
        raise ValueError(f"{len(demands)} demands for {s.replications} replications")
    at_once = (getattr(executor, "_max_workers", 1) if executor is not None else 1)
    runs = _Runs(models, union, agents, s, executor, clock)
    natural = agents.natural_levers()
    rate = np.array([s.sourcing_per_hour.get(p, 0.0) for p in agents.pool])  # per hour
    # held here at once: up to HELD_POLICIES policies' final replications (the oldest
    # gathered while the newer ones come in)
    runs.prepare(natural, demands, at_once,
                 s.replications * min(HELD_POLICIES + 1, len(entries)))
    if s.include_baseline:
        # flat pay reacts to no lever: the baseline's levers are the natural point
        # (best_response), so its final replications start now, the in-the-loop runs at
        # the natural point first among them; had its levers differed, they would run
        # their own replications (the key is the levers) and these would be cancelled
        runs.submit(natural, demands, s.replications)
    natural_runs = runs.gather(natural, demands, s.loop_replications)
    outcomes: dict[str, PolicyOutcome] = {}
    base_raw: dict[str, np.ndarray] | None = None

    def finish(entry: PolicyEntry, result: BehaviorResult, levers: np.ndarray,
               sub: np.ndarray, scope: np.ndarray, factor: float) -> None:
        nonlocal base_raw
        paid: list[_PaidRun] = []
        final = runs.gather(levers, demands, s.replications, keep=False,
                            each=lambda o: paid.append(_paid_run(entry, o, agents, focus,
                                                                 scope, factor, rate)))
        outcome = _outcome(entry, result, levers, sub, final, paid, agents, focus, scope,
                           noise, s, base_raw)
        if entry.name == BASELINE:
            base_raw = outcome.raw
        outcomes[entry.name] = outcome

    try:
        waiting: list[tuple] = []   # policies solved, their final replications running
        for entry in solve_order(entries, s.include_baseline):
            if progress:
                progress(entry.name)
            factor = float(s.period_hours.get(entry.period,
                                              s.period_hours.get("month", 174.0)))
            scope = _scope(agents, entry.applies_to)

            # only the agents the policy pays choose levers (the others earn nothing from
            # it and stay at their natural point): the solve scales with the policy's team
            sub = scope if scope.any() else np.ones(agents.n, bool)
            sub_agents = subset(agents, sub)

            def full(levers_sub: np.ndarray, sub=sub) -> np.ndarray:
                lv = natural.copy()
                lv[sub] = levers_sub
                return lv

            def update(levers_sub: np.ndarray, scope=scope, factor=factor, sub=sub,
                       full=full) -> SystemState:
                lv = full(levers_sub)
                outs = runs.gather(lv, demands, s.loop_replications)
                return _restrict(state_from_outputs(outs, model, agents, lv, scope, factor,
                                                    s.params), sub)

            state0 = _restrict(state_from_outputs(natural_runs, model, agents, natural,
                                                  scope, factor, s.params), sub)
            t0 = time.perf_counter()
            sim_before = clock.simulate_s
            flat = isinstance(entry.pay_fn, FlatPay)
            result = solve(entry.pay_fn, sub_agents, state0, noise[:, sub], s.params,
                           s.solver, update_state=None if flat else update,
                           sim_rounds=1 if flat else s.sim_rounds)
            clock.solve_s += (time.perf_counter() - t0) - (clock.simulate_s - sim_before)
            levers = full(result.levers)
            runs.submit(levers, demands, s.replications, hold=True)  # workers start now
            runs.forget()
            waiting.append((entry, result, levers, sub, scope, factor))
            while len(waiting) > HELD_POLICIES:
                finish(*waiting.pop(0))
        while waiting:
            finish(*waiting.pop(0))
    finally:
        runs.cancel()
    outcomes = {e.name: outcomes[e.name] for e in entries}   # the policies' own order
    return Comparison(outcomes, s.replications, s.seed, tuple(focus_pools), int(focus.sum()),
                      clock.solve_s, clock.simulate_s, runs.simulated)


# policies solved whose final replications are not gathered yet, at most: the next
# policy is solved while the pool simulates these
HELD_POLICIES = 2


def solve_order(entries: Sequence[PolicyEntry], baseline_first: bool) -> list[PolicyEntry]:
    """The order in which the comparison solves the policies: the flat-pay baseline first
    (the others' outcomes are paired with it), then the absolute schemes (one best
    response each: quick), then the rank-order ones (rounds of best responses: the long
    solves), each group in the given order. Each policy's final replications go to the
    pool as soon as it is solved, so the quick solves queue theirs first and the pool
    simulates them while this process solves the long ones, instead of waiting for a long
    solve's levers (measured on the flagship: both workers idle ~0.3-0.45 s between the
    baseline's replications and the forced ranking's). A policy's levers, and so its
    replications, do not depend on when it is solved (its solve reads the natural runs,
    the agents and the noise, all fixed before the first solve); the outcomes are
    reported in the given order."""
    head = 1 if baseline_first and entries else 0
    rest = list(entries[head:])
    return [*entries[:head], *sorted(rest, key=lambda e: is_relative(e.pay_fn))]


def _focus(policies: Sequence[PolicyEntry], agents: Agents) -> tuple[str, ...]:
    """Pools any compared policy pays (all pools when one applies to everyone)."""
    pools: list[str] = []
    for p in policies:
        if p.applies_to is None:
            return tuple(dict.fromkeys(agents.pool.tolist()))
        pools += [x for x in p.applies_to if x not in pools]
    return tuple(pools) if pools else tuple(dict.fromkeys(agents.pool.tolist()))


def _team(out: ReplicationOutput, tab: Mapping[str, np.ndarray]) -> dict[str, float]:
    """Team metrics of one replication over all inbound channels."""
    ch = out.channels.values()

    def tot(k: str) -> float:
        return float(sum(np.nan_to_num(c[k]) for c in ch))

    def wmean(k: str, w: str) -> float:
        den = tot(w)
        return float(sum(np.nan_to_num(c[k]) * c[w] for c in ch) / den) if den > 0 else np.nan

    offered, answered = tot("offered"), tot("answered")
    return {
        "offered": offered, "answered": answered, "abandoned": tot("abandoned"),
        "answer_rate": answered / offered if offered else np.nan,
        "abandon_rate": tot("abandoned") / offered if offered else np.nan,
        "service_level": wmean("service_level", "offered"),
        "asa_s": wmean("asa_s", "answered"), "aht_s": wmean("aht_s", "answered"),
        "occupancy": float((tab["busy_s"].sum() + tab["outbound_s"].sum())
                           / tab["staffed_s"].sum()) if tab["staffed_s"].sum() > 0 else np.nan,
        "fcr": wmean("fcr", "answered"), "repeat_contacts": tot("repeat_contacts"),
        "complaints": tot("complaints"), "outbound_calls": float(tab["outbound_calls"].sum()),
    }


@dataclass(frozen=True)
class _PaidRun:
    """One final replication's numbers for its policy's outcome: the team and per-agent
    metrics, pay and cost (``raw``: ``block.metric`` → value, in the outcome's order) and
    each slot's pay (NaN: the slot did not work in this replication)."""

    raw: dict[str, float]
    total: np.ndarray


def _paid_run(entry: PolicyEntry, o: ReplicationOutput, agents: Agents, focus: np.ndarray,
              scope: np.ndarray, factor: float, rate: np.ndarray) -> _PaidRun:
    """``o``'s metrics and pay under ``entry`` (computed as each final replication comes
    in: it depends on that replication alone)."""
    n = agents.n
    raw: dict[str, float] = {}
    tab = agent_table(o, n)
    period = scale_to_period(tab, period_factor(tab["staffed_s"], factor))
    on = tab["staffed_s"] > 0                # slots that worked in this replication
    paid = scope & on
    total = np.full(n, np.nan)
    total[on] = _pay(entry, {k: v[on] for k, v in period.items()}, subset(agents, on),
                     paid[on])
    total[on & ~scope] = 0.0
    for k, v in _team(o, tab).items():
        raw[f"team.{k}"] = v
    worked = focus & (tab["staffed_s"] > 0)
    for k in PER_AGENT_METRICS:
        vals = tab[k][worked & (tab["answered"] > 0)] if k in ("aht_s", "fcr") \
            else tab[k][worked]
        raw[f"per_agent.{k}"] = float(vals.mean()) if len(vals) else np.nan
    wages = entry.base_pay * float(paid.sum())
    hours = period["staffed_s"] / 3600.0
    sourcing = float((hours * rate)[~paid].sum())
    mine = paid & focus
    spent = float(np.nansum(total))
    for k, v in (("pay.mean", total[mine].mean() if mine.any() else np.nan),
                 ("pay.variable", (total[mine] - entry.base_pay).mean()
                  if mine.any() else np.nan),
                 ("cost.wages", wages), ("cost.variable_pay", spent - wages),
                 ("cost.sourcing", sourcing),
                 ("cost.total", spent + sourcing)):
        raw[k] = float(v)
    return _PaidRun(raw, total)


def _outcome(entry: PolicyEntry, result: BehaviorResult, levers: np.ndarray,
             sub: np.ndarray, runs: list[ReplicationOutput], paid: list[_PaidRun],
             agents: Agents, focus: np.ndarray, scope: np.ndarray,
             noise: np.ndarray, s: CompareSettings,
             base: dict[str, np.ndarray] | None) -> PolicyOutcome:
    """The policy's outcome from its final replications ``runs`` and their ``paid``
    numbers (:func:`_paid_run`, one per run in index order)."""
    raw: dict[str, list[float]] = {}
    for p in paid:
        for k, v in p.raw.items():
            raw.setdefault(k, []).append(v)
    realised = [p.total for p in paid]
    arrays = {k: np.asarray(v, float) for k, v in raw.items()}

    def stat(key: str) -> Stat:
        m, lo, hi = mean_ci(arrays[key])
        diff = None
        if base is not None and key in base:
            diff = mean_ci(arrays[key] - base[key])
        return Stat(m, (lo, hi), diff)

    def block(prefix: str) -> dict[str, Stat]:
        return {k.split(".", 1)[1]: stat(k) for k in arrays if k.startswith(prefix + ".")}

    real = np.asarray(realised)                       # (R, n), NaN: did not work
    always = ~np.isnan(real).any(axis=0)
    shown = focus & scope & always
    dist = pay_distribution(real[:, shown].mean(axis=0)) if shown.any() else None
    noise_diag = None
    ranked = scope & always
    if entry.ranking_bottom is not None and ranked.any():
        diag = scheme_diagnostics(entry.pay_fn, subset(agents, sub), result.levers,
                                  result.state, noise[:, sub], s.params, entry.ranking_bottom)
        rn = ranking_noise(diag.true_standing[ranked[sub]], real[:, ranked],
                           entry.ranking_bottom)
        noise_diag = {"skill_pay_rank_corr": rn.skill_pay_rank_corr,
                      "bottom_below_median": rn.bottom_below_median,
                      "bottom_repeat": rn.bottom_repeat, "bottom_share": rn.bottom_share}
    fsub = focus[sub]
    why_team, why_main = _why(result, fsub if fsub.any() else np.ones(int(sub.sum()), bool))
    focus_lv = levers[focus] if focus.any() else levers
    return PolicyOutcome(
        name=entry.name, period=entry.period, team=block("team"),
        per_agent=block("per_agent"),
        levers={k: float(focus_lv[:, j].mean()) for j, k in enumerate(LEVERS)},
        pay=block("pay"),
        pay_distribution={} if dist is None else {
            "mean": dist.mean, "p10": dist.p10, "p50": dist.p50, "p90": dist.p90,
            "gini": dist.gini},
        cost=block("cost"), why=why_team,
        why_main=why_main,
        ranking_noise=noise_diag, converged=result.converged,
        equilibrium_rounds=tuple(e.rounds for e in result.equilibria),
        equilibrium=equilibrium_summary(result),
        sim_residual=result.sim_residual, behavior=result, raw=arrays,
        agents_horizon=dict(runs[0].agents_horizon) if runs else {},
        runs=tuple(replace(o, intervals={}, agents={}, contacts=None) for o in runs))


def equilibrium_summary(result: BehaviorResult) -> dict[str, float | int | bool]:
    """``{converged, rounds, max_regret, max_regret_share, mixed}`` of the last equilibrium
    (mixed: some agents randomise between two lever points, docs/behavior.md)."""
    eq = result.equilibrium
    return {"converged": bool(eq.converged), "rounds": int(eq.rounds),
            "max_regret": float(eq.max_regret), "max_regret_share": float(eq.max_regret_share),
            "mixed": bool(eq.mixed)}


def equilibrium_text(eq: Mapping[str, float | int | bool]) -> str:
    """One cell: "equilibrium, 14 rounds, max regret 23 (0.8% of effort cost)" or "not
    reached ..." — the regret is the largest gain an agent forgoes at the levers shown."""
    if not eq:
        return "—"
    head = ("mixed equilibrium" if eq.get("mixed") else "equilibrium") if eq["converged"] \
        else "NOT reached"
    return (f"{head}, {eq['rounds']} rounds, max regret {float(eq['max_regret']):,.0f} "
            f"({100 * float(eq['max_regret_share']):.1f}% of effort cost)")


def _why(result: BehaviorResult, mask: np.ndarray
         ) -> tuple[dict[str, dict[str, float]], dict[str, str | None]]:
    """Team-mean marginal pay per lever and component over the focus agents, and the
    component that drives each lever (None when the pay does not react to it)."""
    w = result.why
    team: dict[str, dict[str, float]] = {}
    main: dict[str, str | None] = {}
    for j, lever in enumerate(w.levers):
        row = {k: float(v[mask, j].mean()) for k, v in w.marginal_pay.items()}
        row["total"] = float(w.marginal_pay_total[mask, j].mean())
        row["cost"] = float(w.marginal_cost[mask, j].mean())
        team[lever] = row
        comps = {k: v for k, v in row.items() if k not in ("total", "cost")}
        best = max(comps, key=lambda k: abs(comps[k])) if comps else None
        main[lever] = best if best is not None and abs(comps[best]) > 1e-9 else None
    return team, main


# ---- output ----------------------------------------------------------------------------

def _num(x: float) -> float | None:
    x = float(x)
    return None if np.isnan(x) else x


def stat_json(st: Stat) -> dict:
    out: dict = {"mean": _num(st.mean), "ci95": [_num(st.ci95[0]), _num(st.ci95[1])]}
    if st.diff is not None:
        out["diff_vs_baseline"] = {"mean": _num(st.diff[0]),
                                   "ci95": [_num(st.diff[1]), _num(st.diff[2])],
                                   "significant": st.significant}
    return out


def comparison_json(c: Comparison) -> dict:
    """The ``--json`` document: ``{"policies": {NAME: {"team": {METRIC: {"mean", "ci95"}},
    "per_agent": ..., "levers": {LEVER: mean}, "pay": ..., "cost": ...}}}`` (issue 5),
    plus the paired difference to the baseline, the why and the diagnostics."""
    pols = {}
    for name, o in c.policies.items():
        pols[name] = {
            "team": {k: stat_json(v) for k, v in o.team.items()},
            "per_agent": {k: stat_json(v) for k, v in o.per_agent.items()},
            "levers": dict(o.levers),
            "pay": {"period": o.period, **{k: stat_json(v) for k, v in o.pay.items()},
                    "distribution": dict(o.pay_distribution)},
            "cost": {"period": o.period, **{k: stat_json(v) for k, v in o.cost.items()}},
            "why": o.why, "why_main": o.why_main, "ranking_noise": o.ranking_noise,
            "equilibrium": dict(o.equilibrium),
            "converged": o.converged, "equilibrium_rounds": list(o.equilibrium_rounds),
            "sim_residual": o.sim_residual,
        }
    return _clean({"policies": pols, "replications": c.replications, "seed": c.seed,
                   "focus_pools": list(c.focus_pools), "agents": c.n_agents,
                   "solve_s": round(c.solve_s, 3), "simulate_s": round(c.simulate_s, 3)})


def _clean(x):
    """NaN → None (JSON null), numpy scalars → Python numbers, recursively."""
    if isinstance(x, dict):
        return {k: _clean(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_clean(v) for v in x]
    if isinstance(x, float | np.floating):
        return None if np.isnan(x) else float(x)
    if isinstance(x, np.integer):
        return int(x)
    return x
