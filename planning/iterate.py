"""Check a plan against every target and tighten it where it misses (iterative staffing).

The loop (Feldman, Mandelbaum, Massey & Whitt 2008 in spirit): solve the mix → evaluate it
with a *validator* over the demand scenarios → where a target misses (service level,
abandonment cap, ASA cap, occupancy cap) raise those scenario-intervals' requirements →
re-solve; stop when the targets hold in demand scenarios of at least ``share`` of the
probability, when nothing more can be raised, or after ``rounds`` rounds. The last plan
solved is always the last plan checked.

A validator is anything with ``validate(plan) -> Observed``: per channel, arrays (demand
scenarios × intervals) of contacts offered and answered and the achieved KPIs.
``erlang_validator`` is stationary Erlang A at the planned staffing (no noise; a stand-in
and an independent check of the requirement interpolation); the simulator plugs in from
``scenarios.plan_check`` (the core never imports the file layer).

When is a target met? Over a *period* (each interval, each day, or the horizon): the
period's KPI (offered-weighted service level and abandonment, answered-weighted ASA,
agent-weighted occupancy) must not be worse than the target by more than ``z`` standard
errors of its estimate (binomial √(g(1−g)/n) at the target g for shares, g/√n for ASA;
``z`` = 0 for an exact validator). A demand scenario *holds* when no target of any
channel misses in any period.

What is raised? In every missed period, each interval whose own KPI is worse than the
target: its requirement becomes the plan's coverage there plus max(``step`` agents,
share × coverage), with share = ``gap_gain`` × the interval's relative distance from the
target (abandonment 7.5% against a 5% cap: 0.5 × 0.5 = 25%, capped at 20%; at least
``step_share``), doubled for each consecutive round the interval missed (so a deep miss
closes in a few rounds). Intervals where the plan already knowingly falls
short (shortfall > 0) are not raised: raising cannot buy what the solver chose not to
buy; :mod:`planning.remedy` prices them instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from planning.channel import ChannelStaffing
from planning.chat import chat_capacity
from planning.mix import MixPlan, MixSolver
from planning.mix_inputs import DemandCase, MixInputs, SolverOptions
from planning.requirements import Targets, queue_metrics
from planning.solver import PlanError

#: KPI name → (the Targets attribute that caps or floors it, +1 higher is better / −1 lower)
TARGET_KPIS: dict[str, tuple[str, int]] = {
    "service_level": ("service_level", +1),
    "abandon_rate": ("max_abandon_rate", -1),
    "asa_s": ("max_asa_s", -1),
    "occupancy": ("max_occupancy", -1),
}
#: one-sided 95%: a period misses when it is worse than its target by more than this many
#: standard errors of its estimate (simulation noise)
DEFAULT_Z = 1.645


@dataclass(frozen=True)
class Observed:
    """What a check saw. ``channels[c][k]`` is an array (scenarios, intervals) for k in
    offered, answered (contacts), service_level, abandon_rate, asa_s, occupancy, agents
    (agents serving the channel: the occupancy weight). Intervals without contacts (or
    excluded, e.g. the warm-up) have offered = 0."""

    channels: dict[str, dict[str, np.ndarray]]


Validator = Callable[[MixPlan], Observed]


def period_labels(n_intervals: int, intervals_per_day: int, over: str) -> np.ndarray:
    """Period of each interval: itself ("interval"), its day ("day") or one ("horizon")."""
    t = np.arange(n_intervals)
    if over == "interval":
        return t
    if over == "day":
        return t // intervals_per_day
    if over == "horizon":
        return np.zeros(n_intervals, dtype=np.int64)
    raise ValueError(f"unknown period {over!r}")


@dataclass(frozen=True)
class CheckSpec:
    """What the plan must meet: targets per channel, the share of demand-scenario
    probability in which all must hold, the period they are measured over (labels per
    interval, see :func:`period_labels`) and the noise allowance ``z``."""

    targets: dict[str, Targets]
    periods: np.ndarray
    share: float = 0.9
    z: float = DEFAULT_Z


@dataclass(frozen=True)
class Miss:
    """One missed target: scenario, channel, KPI, period (first interval), value, goal."""

    scenario: int
    channel: str
    kpi: str
    start: int  # first interval of the period
    value: float
    goal: float


@dataclass(frozen=True)
class Assessment:
    """A plan against the targets: which scenarios hold, which periods miss, which
    scenario-intervals to raise."""

    holds: np.ndarray  # (S,) bool
    share: float  # probability of the scenarios that hold
    misses: list[Miss]
    cells: np.ndarray  # (S, T) bool: intervals to raise (own KPI worse than a missed target)
    gap: np.ndarray | None = None  # (S, T) largest relative distance from a missed target

    def count(self, kpi: str) -> int:
        return sum(1 for m in self.misses if m.kpi == kpi)

    def worst(self, kpi: str) -> float | None:
        vals = [m.value for m in self.misses if m.kpi == kpi]
        if not vals:
            return None
        return min(vals) if TARGET_KPIS[kpi][1] > 0 else max(vals)


def _weights(kpi: str, obs: dict[str, np.ndarray]) -> np.ndarray:
    if kpi == "asa_s":
        return obs["answered"]
    if kpi == "occupancy":
        return np.where(obs["offered"] > 0, obs.get("agents", obs["offered"]), 0.0)
    return obs["offered"]


def _noise(kpi: str, goal: float, n: np.ndarray) -> np.ndarray:
    """Standard error of a period's KPI estimated from n contacts, at the target."""
    n = np.maximum(n, 1.0)
    if kpi == "asa_s":
        return goal / np.sqrt(n)  # waits roughly exponential: sd ≈ mean
    return np.sqrt(goal * (1.0 - goal) / n)


def assess(observed: Observed, spec: CheckSpec, probabilities: np.ndarray) -> Assessment:
    """Which (scenario, channel, target, period) miss, and the intervals to raise."""
    labels = np.asarray(spec.periods)
    n_p = int(labels.max()) + 1 if labels.size else 0
    first = np.array([int(np.flatnonzero(labels == p)[0]) for p in range(n_p)])
    misses: list[Miss] = []
    cells: np.ndarray | None = None
    for ch, obs in observed.channels.items():
        tg = spec.targets.get(ch)
        if tg is None:
            continue
        if cells is None:
            cells = np.zeros(obs["offered"].shape, dtype=bool)
            gap = np.zeros(obs["offered"].shape)
        for kpi, (attr, sense) in TARGET_KPIS.items():
            goal = getattr(tg, attr)
            if goal is None or kpi not in obs:
                continue
            w = _weights(kpi, obs)
            val = np.nan_to_num(obs[kpi], nan=0.0)
            has = (w > 0) & ~np.isnan(obs[kpi])
            wsum = np.zeros((w.shape[0], n_p))
            vsum = np.zeros((w.shape[0], n_p))
            nsum = np.zeros((w.shape[0], n_p))
            for s in range(w.shape[0]):
                wsum[s] = np.bincount(labels, np.where(has[s], w[s], 0.0), n_p)
                vsum[s] = np.bincount(labels, np.where(has[s], w[s] * val[s], 0.0), n_p)
                nsum[s] = np.bincount(labels, np.where(has[s], obs["answered" if kpi == "asa_s"
                                                                   else "offered"][s], 0), n_p)
            with np.errstate(invalid="ignore", divide="ignore"):
                period_val = np.where(wsum > 0, vsum / wsum, np.nan)
            allow = spec.z * _noise(kpi, goal, nsum)
            bad = (wsum > 0) & (sense * (period_val - goal) < -allow - 1e-12)
            for s, p in zip(*np.nonzero(bad), strict=True):
                misses.append(Miss(int(s), ch, kpi, int(first[p]), float(period_val[s, p]),
                                   float(goal)))
                in_p = labels == p
                mark = in_p & has[s] & (sense * (val[s] - goal) < 0)
                cells[s] |= mark
                rel = np.abs(val[s] - goal) / max(abs(goal), 1e-9)
                gap[s] = np.maximum(gap[s], np.where(mark, rel, 0.0))
    n_s = len(probabilities)
    if cells is None:
        cells = np.zeros((n_s, labels.size), dtype=bool)
        gap = np.zeros((n_s, labels.size))
    holds = np.ones(n_s, dtype=bool)
    for m in misses:
        holds[m.scenario] = False
    return Assessment(holds, float(np.asarray(probabilities)[holds].sum()), misses, cells, gap)


def raise_share(a: Assessment, step_share: float, gap_gain: float,
                max_share: float = 0.2) -> np.ndarray:
    """Share of coverage to add per scenario-interval: ``gap_gain`` × the relative distance
    from the missed target, between ``step_share`` and ``max_share``."""
    gap = a.gap if a.gap is not None else np.zeros(a.cells.shape)
    return np.clip(gap_gain * gap, step_share, max(step_share, max_share))


@dataclass(frozen=True)
class CheckRound:
    """One round: the plan checked, what missed, what was raised and what it changed."""

    round: int
    objective: float
    share_held: float
    scenarios_held: int
    misses: dict[str, int]  # missed periods per KPI
    worst: dict[str, float | None]  # worst missed period per KPI
    raised: int  # scenario-intervals raised after this round (0 in the last)
    raised_agent_hours: float  # requirement added, in-house-equivalent agent-hours
    changes: dict[str, float] = field(default_factory=dict)  # vs the previous round's plan


@dataclass(frozen=True)
class CheckedPlan:
    """The first plan, the last (checked) plan, its inputs and solver, and every round."""

    first: MixPlan
    final: MixPlan
    inputs: MixInputs  # the final plan's inputs (raised requirements)
    solver: MixSolver  # the final plan's HiGHS instance (baselines, variants)
    rounds: list[CheckRound]
    assessment: Assessment  # of the final plan
    spec: CheckSpec
    stopped: str  # "holds" | "rounds" | "nothing_to_raise" | "solver" (a re-solve failed)

    @property
    def holds(self) -> bool:
        return self.assessment.share >= self.spec.share - 1e-9


def plan_changes(before: MixPlan, after: MixPlan, interval_h: float) -> dict[str, float]:
    """First-stage and expected-recourse differences, after − before."""
    e_b, e_a = before.expected, after.expected
    return {
        "cost": after.objective - before.objective,
        "hires": float(after.hires - before.hires),
        "reserve_pool": float(after.reserve_pool - before.reserve_pool),
        "in_house_agent_hours": float((after.in_house - before.in_house).sum() * interval_h),
        "outsourced_seat_hours": float((after.outsourced - before.outsourced).sum()
                                       * interval_h),
        "expected_recourse_agent_hours": float(
            (e_a(after.reserve + after.surge + after.temps)
             - e_b(before.reserve + before.surge + before.temps)).sum() * interval_h),
    }


def check_and_tighten(inp: MixInputs, options: SolverOptions, validate: Validator,
                      spec: CheckSpec, rounds: int = 3, step: float = 1.0,
                      step_share: float = 0.03, gap_gain: float = 0.5,
                      first: tuple[MixSolver, MixPlan] | None = None,
                      on_round: Callable[[CheckRound], None] | None = None) -> CheckedPlan:
    """Solve (unless ``first`` gives the solver and plan of ``inp``), check, raise, re-solve.

    ``rounds`` = how many re-solves at most; every plan solved is checked.
    """
    solver, plan = first if first is not None else _solve(inp, options)
    first_plan, prev = plan, None
    log: list[CheckRound] = []
    mult = np.ones(inp.requirement.shape)
    last_cells = np.zeros(inp.requirement.shape, dtype=bool)
    for r in range(rounds + 1):
        a = assess(validate(plan), spec, plan.probabilities)
        fixable = a.cells & (plan.shortfall <= 1e-6)
        if a.share >= spec.share - 1e-9:
            stopped = "holds"
        elif not fixable.any():
            stopped = "nothing_to_raise"
        elif r == rounds:
            stopped = "rounds"
        else:
            stopped = ""
        mult = np.where(fixable & last_cells, mult * 2.0, np.where(fixable, 1.0, mult))
        cover = np.maximum(plan.requirement, plan.coverage)
        share = raise_share(a, step_share, gap_gain)
        add = np.where(fixable, np.maximum(step, share * cover) * mult, 0.0)
        done = bool(stopped)
        entry = CheckRound(
            r, plan.objective, a.share, int(a.holds.sum()),
            {k: a.count(k) for k in TARGET_KPIS}, {k: a.worst(k) for k in TARGET_KPIS},
            0 if done else int(fixable.sum()),
            0.0 if done else float(add.sum() * inp.interval_h),
            plan_changes(prev, plan, inp.interval_h) if prev is not None else {})
        log.append(entry)
        if on_round is not None:
            on_round(entry)
        if done:
            return CheckedPlan(first_plan, plan, inp, solver, log, a, spec, stopped)
        last_cells = fixable
        raised = inp.with_requirement(np.where(fixable, cover + add, plan.requirement))
        try:
            next_solver, next_plan = _solve(raised, options)
        except PlanError:  # e.g. no plan within the time limit: keep the plan checked last
            log[-1] = replace(entry, raised=0, raised_agent_hours=0.0)
            return CheckedPlan(first_plan, plan, inp, solver, log, a, spec, "solver")
        inp, prev, solver, plan = raised, plan, next_solver, next_plan
    raise AssertionError("unreachable")


def _solve(inp: MixInputs, options: SolverOptions) -> tuple[MixSolver, MixPlan]:
    """Solve ``inp`` with the rounding start (measured on double11_mix: starting instead
    from the previous round's first stage made the re-solve slower, its shortfall under
    the raised requirement being a poor incumbent)."""
    solver = MixSolver(inp, options)
    return solver, solver.solve()


# ---------------------------------------------------------------- Erlang A validator
def channel_split(plan: MixPlan, cases: tuple[DemandCase, ...], shrinkage: float
                  ) -> dict[str, np.ndarray]:
    """On-queue agents per channel (S, T): the plan's coverage after shrinkage, shared
    between channels in proportion to their requirements (blended agents)."""
    names = list(cases[0].by_channel)
    req = {c: np.vstack([case.by_channel[c] for case in cases]) for c in names}
    total = np.sum(list(req.values()), axis=0)
    on_queue = plan.coverage * (1.0 - shrinkage)
    with np.errstate(invalid="ignore", divide="ignore"):
        return {c: np.where(total > 0, on_queue * req[c] / total, 0.0) for c in names}


def erlang_validator(rates: list[dict[str, np.ndarray]], cases: tuple[DemandCase, ...],
                     specs: dict[str, ChannelStaffing], shrinkage: float,
                     interval_h: float = 0.5) -> Validator:
    """Every KPI of each channel under the plan from stationary Erlang A (chat on
    agents × K* virtual servers), with ``rates[s][channel]`` the arrivals of scenario s.
    Offered = expected contacts; exact (use z = 0)."""

    def validate(plan: MixPlan) -> Observed:
        agents = channel_split(plan, cases, shrinkage)
        out: dict[str, dict[str, np.ndarray]] = {}
        for c, spec in specs.items():
            cap = chat_capacity(1.0, spec.concurrency, spec.concurrency_slowdown)
            lam = np.vstack([r[c] for r in rates])
            n = agents[c] * cap.sessions
            busy = lam > 0
            kpi = {k: np.zeros(lam.shape) for k in ("service_level", "abandon_rate", "asa_s",
                                                     "occupancy")}
            kpi["service_level"][:] = 1.0
            m = queue_metrics(np.maximum(n[busy], 1e-9), lam[busy],
                              np.full(busy.sum(), spec.aht_s * cap.session_time_s),
                              np.full(busy.sum(), spec.patience_s),
                              np.full(busy.sum(), spec.targets.within_s),
                              with_asa=spec.targets.max_asa_s is not None)
            kpi["service_level"][busy] = np.nan_to_num(m.service_level, nan=0.0)
            kpi["abandon_rate"][busy] = np.nan_to_num(m.p_abandon, nan=1.0)
            if spec.targets.max_asa_s is not None:
                kpi["asa_s"][busy] = np.nan_to_num(m.asa_s, nan=np.inf)
            kpi["occupancy"][busy] = np.nan_to_num(m.occupancy, nan=1.0)
            offered = lam * interval_h
            out[c] = {**kpi, "offered": offered,
                      "answered": offered * (1.0 - kpi["abandon_rate"]), "agents": agents[c]}
        return Observed(out)

    return validate
