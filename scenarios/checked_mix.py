"""The sourcing mix of a scenario, checked and corrected by simulation — the one path used
by ``peakdesk plan`` and by the run's mix stage.

solve → simulate every demand scenario with its own recourse on the loop's random streams
→ carry the gap between simulated and modelled KPIs into the requirement, both ways →
re-solve (planning.iterate), keep the best plan, and judge it once more on fresh streams
(the scenario's ``simulation.seed``: the runs ``peakdesk run``'s simulation stage reuses)
— that is the verdict. Then the single-source baselines and the value of one more agent
on the kept plan's HiGHS instance; if the targets still miss, where the in-house
headcount cannot give the in-house agents' own row (in-house-first routing, planning.tier)
and what overflow wait would hold, the cheapest change keeping the routing
(planning.remedy) and the plan made for overflow at once — each simulated on the
verdict's streams before it is printed.

The plan made for overflow at once depends on the scenario alone until its verdict: on a
large model with two workers or more it is solved from the start in a background process
on the other core (scenarios.background), which later runs its simulations while this
process runs the baselines (see :func:`checked_mix`); that process also computes first
the loop's model need per target and, asked at the loop's first correction, the
mean-value plan (both depend on the scenario alone). The numbers are the same.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from planning.iterate import (
    TARGET_KPIS,
    Assessment,
    CheckedPlan,
    CheckRound,
    CheckSpec,
    assess,
    check_and_tighten,
    period_labels,
)
from planning.mix import (
    PLAN_COLD_LP,
    MixComparison,
    MixPlan,
    MixSolver,
    compare_mix,
    mean_value_plan,
)
from planning.mix_inputs import MixInputs, SolverOptions
from planning.remedy import Remedy, remedy
from scenarios.schema import Scenario

if TYPE_CHECKING:
    from planning.solver import PlanError
    from scenarios.background import Background, Link

    #: the at-once plan's first solve, made beforehand (or the PlanError it raised)
    AtOnceSolved = tuple[MixInputs, MixSolver, MixPlan] | PlanError | None

#: per checker: the noise allowance z (standard errors) — the simulator is noisy, Erlang A not
CHECK_Z = {"sim": 1.645, "erlang": 0.0}


#: the smallest model (demand scenarios × intervals) whose at-once plan is solved in the
#: background by default: the job's own start (a fresh interpreter importing the planner
#: and the simulator, ~3 s of one core) costs more than a smaller model's solves take
BACKGROUND_MIN_CELLS = 2000
#: environment variable: "1" runs that job whatever the model's size (with 2+ workers),
#: "0" never (everything in this process); unset: by size
BACKGROUND_ENV = "PEAKDESK_MIX_BACKGROUND"
#: the caller's request for the mean-value plan the background job solved
MEAN_VALUE = "mean_value"


def loop_seed(seed: int) -> int:
    """The seed of the loop's random streams: derived from the scenario's, never equal to
    it, so that the verdict on ``seed`` runs on streams the loop never tuned on."""
    return int(np.random.SeedSequence([seed, 22]).generate_state(1)[0])


@dataclass(frozen=True)
class Simulated:
    """A plan simulated on the verdict's streams and judged by the check's rule."""

    cost: float
    held: int
    scenarios: int
    share_held: float
    holds: bool
    misses: dict[str, int]
    # the plan's solver status: 'time_limit' when a step of its solve stopped on the clock
    # (the plan may then depend on the machine's load, planning.mix.MixPlan.status)
    status: str = "optimal"

    @staticmethod
    def of(plan: MixPlan, a: Assessment, share: float) -> Simulated:
        return Simulated(plan.objective, int(a.holds.sum()), len(a.holds), a.share,
                         a.share >= share - 1e-9, {k: a.count(k) for k in TARGET_KPIS},
                         plan.status)


@dataclass(frozen=True)
class InHouseLimit:
    """Where the in-house headcount cannot give the in-house agents' own row: contacts
    wait ``overflow_after_s`` for in-house agents, and in these intervals too few are
    employed to keep abandonment in that wait within its share of the cap.
    ``wait_that_holds``: the longest overflow wait (whole seconds) at which the planned
    in-house agents would give the row in every one of these intervals."""

    overflow_after_s: float
    agent_hours: float  # expected in-house agent-hours missing
    intervals: int  # intervals short in at least one demand scenario
    worst: tuple[str, int, float]  # interval, scenarios short there, most agents short
    days: list[tuple[str, float]]  # (day, expected agent-hours missing), largest first
    wait_that_holds: float


@dataclass(frozen=True)
class CheckedMix:
    """The final (checked) plan with its comparison, the check's rounds and, when it still
    misses, the remedy. ``checked`` is None when no check ran (0 rounds)."""

    comparison: MixComparison  # .plan is the final plan
    checked: CheckedPlan | None
    remedy: Remedy | None
    check: str  # "sim" | "erlang" | "none"
    probe: RoutingProbe | None = None  # the final plan with contacts overflowing at once
    # the verdict's replications of the final plan (round robin: run i = scenario i mod S,
    # stream i of simulation.seed), for the run's simulation stage to reuse
    runs: tuple = ()
    limit: InHouseLimit | None = None  # where headcount cannot give the in-house row
    remedy_check: Simulated | None = None  # the remedy's plan, simulated
    at_once: Simulated | None = None  # the plan made for overflow at once, simulated
    # the simulator's model of the final plan per demand scenario, that ``runs`` ran
    run_models: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RoutingProbe:
    """The checked plan simulated again on the check's runs with one change: contacts
    overflow from in-house agents to the other pools at once (``routing.overflow_after_s:
    0``) instead of after the scenario's wait. Run when the plan misses and the routing
    makes contacts wait for in-house agents: while a contact waits, its caller may hang up
    (exponential patience θ: a share 1 − exp(−wait / θ) of those who wait that long), and
    no staffing the requirement model buys changes that, since the requirement assumes
    any free agent answers (Erlang A)."""

    overflow_after_s: float  # the scenario's wait before other pools may answer
    held: int
    scenarios: int
    share_held: float
    holds: bool
    misses: dict[str, int]  # missed periods per KPI with overflow at once


def check_spec(sc: Scenario, z: float) -> CheckSpec:
    from scenarios.adapters.to_staffing import scenario_staffing

    targets = {c: s.targets for c, s in scenario_staffing(sc).items()}
    per_day = 24 * 60 // sc.horizon.interval_minutes
    return CheckSpec(targets, period_labels(sc.horizon.n_intervals, per_day,
                                            sc.planning.targets_over),
                     share=sc.planning.targets_share, z=z, intervals_per_day=per_day)


def checked_mix(sc: Scenario, options: SolverOptions, *, rounds: int | None = None,
                check: str = "sim", replications: int | None = None, z: float | None = None,
                workers: int | None = None,
                on_round: Callable[[CheckRound], None] | None = None,
                background: bool | None = None) -> CheckedMix:
    """Plan the mix of ``sc`` and check it (``rounds`` defaults to
    ``planning.validation_rounds``, ``replications`` to ``planning.check_replications``).
    Raises planning.solver.PlanError when no plan can be made.

    ``background`` (default: with ``workers`` > 1, no executor set around the call —
    sim.execution — and a model of at least :data:`BACKGROUND_MIN_CELLS`; the
    environment's :data:`BACKGROUND_ENV` overrides the size): the plan made for overflow
    at once is solved in a background process from the start (:func:`at_once_job`; it
    depends on the scenario alone), beside the first solve and the check loop, and the
    simulations after the loop that need it (the routing probe, its verdict, its
    correction round) run there while this process runs the baselines. Stopped unasked
    when the checked plan holds. The numbers are the same either way (same inputs, same
    solves, same random streams)."""
    from scenarios.adapters.to_mix import demand_cases, mix_inputs, requirement_cases
    from sim import execution

    rates = demand_cases(sc)
    cases = requirement_cases(sc, rates)
    inp = mix_inputs(sc, cases)
    n_rounds = sc.planning.validation_rounds if rounds is None else rounds
    workers = workers or min(2, os.cpu_count() or 1)
    reps = sc.planning.check_replications if replications is None else replications
    if background is None:
        forced = os.environ.get(BACKGROUND_ENV, "").strip().lower()
        background = (workers > 1 and execution.current() is None
                      and (len(inp.cases) * inp.n_intervals >= BACKGROUND_MIN_CELLS
                           if forced not in ("0", "1") else forced == "1"))
    job = None
    if background and n_rounds > 0 and check == "sim" and waits_for_in_house(sc):
        from scenarios.background import Background

        # the compiled desk loaded before the job is forked: the job, its pool and this
        # process's pool (forked later) all inherit it — one load for the whole command
        execution.preload_kernel()
        # the job's replications reach this process's observers (the progress display)
        spec = check_spec(sc, CHECK_Z[check] if z is None else z)
        job = Background(at_once_job, sc, rates, cases, options, reps, workers, spec,
                         on_note=execution.replication_done)
    try:
        return _checked_mix(sc, options, rates, cases, inp, n_rounds, check, reps, z,
                            workers, on_round, job)
    finally:
        if job is not None:
            job.stop()


def _checked_mix(sc: Scenario, options: SolverOptions, rates: list, cases: tuple,
                 inp: MixInputs, n_rounds: int, check: str, reps: int, z: float | None,
                 workers: int, on_round: Callable[[CheckRound], None] | None,
                 job: Background | None) -> CheckedMix:
    """checked_mix's work, with the at-once ``job`` when one runs."""
    from planning.iterate import erlang_model, erlang_validator
    from scenarios.adapters.to_mix import mean_case
    from scenarios.adapters.to_staffing import scenario_staffing
    from sim import execution

    solver = MixSolver(inp, options, cold_lp=PLAN_COLD_LP)
    first = (solver, solver.solve())
    checked = fix = probe = limit = fix_sim = at_once = None
    mean_asked = False
    runs: tuple = ()
    run_models: dict = {}
    if n_rounds > 0 and check != "none":
        spec = check_spec(sc, CHECK_Z[check] if z is None else z)
        interval_h = sc.horizon.interval_minutes / 60.0
        model = erlang_model([r for _, _, r in rates], cases, scenario_staffing(sc),
                             sc.staffing.shrinkage, interval_h)
        verdict = None
        if check == "sim":
            from scenarios.adapters.plan_check import sim_validator

            validator = sim_validator(sc, rates, reps, loop_seed(sc.simulation.seed),
                                      workers=workers)
            verdict = sim_validator(sc, rates, reps, sc.simulation.seed, workers=workers)
        else:
            validator = erlang_validator([r for _, _, r in rates], cases,
                                         scenario_staffing(sc), sc.staffing.shrinkage,
                                         interval_h)
        # up to n_rounds re-solves; every plan solved is checked; the kept plan is judged
        # again on fresh streams (the verdict)
        needs = _NeedsFromJob(job) if job is not None else None
        # the corrections: a channel's factors in the simulation pool's idle worker while
        # this process computes another's (the pool the check's simulations made)
        spread = (functools.partial(execution.spare_pool, min(workers, os.cpu_count() or 1))
                  if check == "sim" and workers > 1 else None)
        checked = check_and_tighten(inp, options, validator, spec, model, rounds=n_rounds,
                                    first=first, on_round=on_round, verdict=verdict,
                                    needs=needs, spread=spread)
        if needs is not None:
            needs.pull()  # the job's first answer, read before any other
        runs = tuple(getattr(verdict, "runs", ()))
        run_models = dict(getattr(verdict, "models", {}))
        first = (checked.solver, checked.final)
        limit = in_house_limit(sc, checked.inputs, checked.final)
        if checked.holds and job is not None:
            job.stop()  # its plan is not needed: not waited for
            job = None
        if not checked.holds:
            fix = remedy(checked, options)
            if verdict is not None and fix.feasible and fix.plan is not None:
                fix_sim = Simulated.of(fix.plan, assess(verdict(fix.plan), spec,
                                                        fix.plan.probabilities), spec.share)
            if check == "sim" and job is not None:  # the job takes it from here, while
                # this process runs the baselines (one simulation at a time: the job
                # starts simulating only now, after this process's last one); it answers
                # first with the mean-value plan, asked for at the loop's first
                # correction (_NeedsFromJob.pull)
                job.send((checked.final, spec, n_rounds))
                mean_asked = True
            elif check == "sim":
                probe, at_once = routing_alternatives(sc, checked.final, spec, rates, cases,
                                                      options, reps, workers, n_rounds)
        inp = checked.inputs
    mean_solved = None
    if mean_asked:
        from scenarios.background import JobLost

        with contextlib.suppress(JobLost):  # lost: solved here by compare_mix
            mean_solved = job.receive()
    # the mean demand's requirement only when the mean-value plan is solved here
    cmp = compare_mix(inp, options,
                      mean_case=mean_case(sc, rates) if mean_solved is None else None,
                      solved=first, mean_solved=mean_solved)
    if job is not None and checked is not None and not checked.holds:
        from scenarios.background import JobLost

        try:
            probe, at_once = job.receive()
        except JobLost:  # the job was killed (e.g. out of memory): do its work here
            probe, at_once = routing_alternatives(sc, checked.final, spec, rates, cases,
                                                  options, reps, workers, n_rounds)
    return CheckedMix(cmp, checked, fix, check if checked is not None else "none", probe,
                      runs, limit, fix_sim, at_once, run_models)


def waits_for_in_house(sc: Scenario) -> bool:
    """Contacts wait for in-house agents before other pools may answer."""
    return sc.routing.policy == "in_house_first" and sc.routing.overflow_after_s > 0


def routing_alternatives(sc: Scenario, plan: MixPlan, spec: CheckSpec, rates: list,
                         cases: tuple, options: SolverOptions, replications: int,
                         workers: int, rounds: int, solved: AtOnceSolved = None
                         ) -> tuple[RoutingProbe | None, Simulated | None]:
    """The checked ``plan`` with overflow at once (the routing probe), then the plan made
    for overflow at once — corrected one round only when the probe misses (when it
    holds, the switch alone is a way out, and the re-plan is priced as solved: two
    simulations fewer). One validator for both: when the re-plan is the checked plan, its
    verdict is the probe's runs, not simulated again. ``solved``: the at-once plan's
    first solve when already made (:func:`solve_at_once`, or the PlanError it raised)."""
    from scenarios.adapters.plan_check import sim_validator

    at_once_check = sim_validator(overflow_at_once(sc), rates, replications,
                                  sc.simulation.seed, workers=workers, keep_runs=False)
    probe = routing_probe(sc, plan, spec, at_once_check)
    at_once = at_once_plan(sc, rates, cases, options, spec, replications, workers,
                           rounds=0 if probe is not None and probe.holds else min(1, rounds),
                           verdict=at_once_check, solved=solved)
    return probe, at_once


def solve_at_once(sc: Scenario, cases: tuple, options: SolverOptions
                  ) -> tuple[MixInputs, MixSolver, MixPlan]:
    """The first solve of the plan made for overflow at once: its inputs (the pooled
    requirement alone, see :func:`at_once_plan`), its solver and its plan."""
    from scenarios.adapters.to_mix import mix_inputs

    inp = mix_inputs(overflow_at_once(sc), tuple(c.overflowing_at_once() for c in cases))
    solver = MixSolver(inp, options)
    return inp, solver, solver.solve()


class _NeedsFromJob(dict):
    """The check loop's model need per target (planning.iterate.model_needs), computed by
    the background job at its start: fetched on first use (the loop's first correction),
    then a plain dict; when the job is lost, left empty — the loop computes them.

    Fetching them also asks the job for the mean-value plan (:data:`MEAN_VALUE`): the job
    solves it then, beside this process's correction and re-solve, which leave the other
    core idle — not beside the loop's first simulation, which needs both."""

    def __init__(self, job: Background) -> None:
        super().__init__()
        self._job: Background | None = job

    def pull(self) -> None:
        """Read the job's answer once (it is the job's first), then ask it for the
        mean-value plan."""
        if self._job is None:
            return
        from scenarios.background import JobLost

        job, self._job = self._job, None
        try:
            self.update(job.receive())
        except JobLost:
            return
        job.send(MEAN_VALUE)

    def __contains__(self, key: object) -> bool:
        self.pull()
        return super().__contains__(key)


def at_once_job(link: Link, sc: Scenario, rates: list, cases: tuple,
                options: SolverOptions, replications: int, workers: int,
                spec: CheckSpec) -> None:
    """The background job of :func:`checked_mix` (scenarios.background): first the check
    loop's model need per target (sent at once: the caller's loop reads it at its first
    correction), then solve the plan made for overflow at once, then the mean-value plan
    when asked with :data:`MEAN_VALUE` (at the caller's first correction); then, if
    asked — with (the checked plan, the check spec, the rounds) when the checked plan
    misses — answer :func:`routing_alternatives` from that solve. The caller stops the job unasked when
    the checked plan holds."""
    from planning.iterate import erlang_model, model_needs
    from planning.solver import PlanError
    from scenarios.adapters.to_mix import mean_case, mix_inputs
    from scenarios.adapters.to_staffing import scenario_staffing

    # the same model and shape as _checked_mix's loop (the requirement is S × T)
    model = erlang_model([r for _, _, r in rates], cases, scenario_staffing(sc),
                         sc.staffing.shrinkage, sc.horizon.interval_minutes / 60.0)
    link.send(model_needs((len(cases), sc.horizon.n_intervals), model, spec))
    solved: AtOnceSolved
    try:
        solved = solve_at_once(sc, cases, options)
    except PlanError as exc:  # at_once_plan reads it as "no such plan" (None)
        solved = exc
    asked = link.receive()
    if asked == MEAN_VALUE:  # asked at the caller's first correction (its other core idle)
        # the mean-value plan of compare_mix: it depends on the scenario alone (any
        # round's inputs give the same, see planning.mix.mean_value_plan), solved here
        # while the caller runs the check loop; (None,) when it has no plan, None: not
        # made here
        link.send((mean_value_plan(mix_inputs(sc, cases), options, mean_case(sc, rates)),)
                  if len(cases) > 1 else None)
        asked = link.receive()
    if asked is None:  # the caller closed its end: not needed
        return
    plan, spec, rounds = asked
    from sim.execution import executing, shared_pools

    # counted by the caller's observers; one pool for the job's simulations
    with executing(None, on_replication=link.note), shared_pools():
        out = routing_alternatives(sc, plan, spec, rates, cases, options, replications,
                                   workers, rounds, solved)
    link.send(out)


def overflow_at_once(sc: Scenario) -> Scenario:
    """The scenario with contacts overflowing from in-house agents at once."""
    return sc.model_copy(update={"routing": sc.routing.model_copy(
        update={"overflow_after_s": 0.0})})


def routing_probe(sc: Scenario, plan: MixPlan, spec: CheckSpec, validate: Callable
                  ) -> RoutingProbe | None:
    """Simulate ``plan`` with contacts overflowing at once (see RoutingProbe) with
    ``validate`` (the verdict's streams, ``overflow_at_once(sc)``); None when the routing
    has no wait for in-house agents."""
    routing = sc.routing
    if routing.policy != "in_house_first" or routing.overflow_after_s <= 0:
        return None
    a = assess(validate(plan), spec, plan.probabilities)
    return RoutingProbe(routing.overflow_after_s, int(a.holds.sum()), len(a.holds), a.share,
                        a.share >= spec.share - 1e-9, {k: a.count(k) for k in TARGET_KPIS})


def at_once_plan(sc: Scenario, rates: list, cases: tuple, options: SolverOptions,
                 spec: CheckSpec, replications: int, workers: int, rounds: int = 1,
                 verdict: Callable | None = None, solved: AtOnceSolved = None
                 ) -> Simulated | None:
    """The cheapest plan made for overflow at once (no wait for in-house agents: the
    pooled requirement alone — ``cases``' own, computed once with the routed rows, see
    DemandCase.pooled), checked and corrected like the scenario's own plan (at most
    ``rounds`` re-solves, loop streams) and judged with that routing on the verdict's
    streams — priced beside the plan keeping the scenario's routing. With ``rounds`` = 0
    the plan as solved goes straight to the verdict (no loop simulation: it would only
    feed a correction that is not made). ``verdict``: the verdict's validator with that
    routing (made here when not given). ``solved``: the first solve when already made
    (:func:`solve_at_once`, or the PlanError it raised; the background job's). None
    without a wait."""
    from planning.iterate import erlang_model
    from planning.solver import PlanError
    from scenarios.adapters.plan_check import sim_validator
    from scenarios.adapters.to_staffing import scenario_staffing

    if not waits_for_in_house(sc):
        return None
    other = overflow_at_once(sc)
    verdict = verdict or sim_validator(other, rates, replications, sc.simulation.seed,
                                       workers=workers, keep_runs=False)
    try:
        if isinstance(solved, PlanError):
            raise solved
        inp, solver, plan = solved or solve_at_once(sc, cases, options)
        if rounds == 0:
            return Simulated.of(plan, assess(verdict(plan), spec, plan.probabilities),
                                spec.share)
        model = erlang_model([r for _, _, r in rates],
                             tuple(c.overflowing_at_once() for c in cases),
                             scenario_staffing(other),
                             other.staffing.shrinkage, other.horizon.interval_minutes / 60.0)
        out = check_and_tighten(
            inp, options,
            sim_validator(other, rates, replications, loop_seed(sc.simulation.seed),
                          workers=workers),
            spec, model, rounds=rounds, first=(solver, plan), verdict=verdict)
    except PlanError:
        return None
    return Simulated.of(out.final, out.assessment, spec.share)


def in_house_limit(sc: Scenario, inp: MixInputs, plan: MixPlan) -> InHouseLimit | None:
    """Where the plan's in-house agents fall short of the in-house row (None: nowhere)."""
    if not plan.in_house_shortfall.size:
        return None
    short = plan.in_house_shortfall > 0.05
    if not short.any():
        return None
    exp = plan.probabilities @ plan.in_house_shortfall
    per_day = inp.intervals_per_day
    days = []
    for d in range(-(-inp.n_intervals // per_day)):
        h = float(exp[d * per_day:(d + 1) * per_day].sum() * inp.interval_h)
        if h > 0.05:
            days.append((inp.label(d * per_day)[:10], h))
    days.sort(key=lambda x: -x[1])
    most = plan.in_house_shortfall.max(axis=0)
    t = int(np.argmax(most))
    return InHouseLimit(
        sc.routing.overflow_after_s, float(exp.sum() * inp.interval_h),
        int(short.any(axis=0).sum()), (inp.label(t), int(short[:, t].sum()), float(most[t])),
        days, wait_that_holds(sc, inp, plan, short))


def wait_that_holds(sc: Scenario, inp: MixInputs, plan: MixPlan, short: np.ndarray) -> float:
    """The longest overflow wait, in whole seconds below the scenario's, at which the
    plan's in-house agents keep abandonment in the wait within its share of the cap in
    every scenario-interval now short (planning.tier.in_house_need per channel; 0 always
    does: nobody waits)."""
    from planning.chat import chat_capacity
    from planning.tier import in_house_need
    from scenarios.adapters.to_demand import interval_aht
    from scenarios.adapters.to_staffing import scenario_staffing

    specs = scenario_staffing(sc)
    aht = interval_aht(sc)
    skills = sc.pools["in_house"].skills or list(specs)
    s_idx, t_idx = np.nonzero(short)
    have = inp.in_house.productivity * plan.in_house[t_idx]
    keep = 1.0 - sc.staffing.shrinkage
    tau = sc.routing.overflow_after_s

    # per channel with an abandonment cap: (arrivals/h, hold time, patience, cap share,
    # sessions) at the short scenario-intervals, gathered once for every candidate wait
    chans = []
    for c, spec in specs.items():
        if c not in skills or spec.targets.max_abandon_rate is None:
            continue
        cap = chat_capacity(1.0, spec.concurrency, spec.concurrency_slowdown)
        rate = np.stack([np.asarray(case.staffed[c], float) for case in inp.cases])[s_idx,
                                                                                   t_idx]
        chans.append((rate, aht[c][t_idx] * cap.session_time_s, spec.patience_s,
                      sc.routing.in_house_abandon_share * spec.targets.max_abandon_rate,
                      cap.sessions))

    def holds(wait: int) -> bool:
        need = np.zeros(t_idx.size)
        for rate, hold, patience, share, sessions in chans:
            need += in_house_need(rate, hold, patience, float(wait), share) / sessions / keep
        return bool(np.all(need <= have + 1e-6))

    # the in-house need grows with the wait (more callers hang up while waiting longer):
    # bisect over the candidate waits (0 always holds, so never computed)
    waits = sorted({int(w) for w in np.linspace(0, tau, 9)[:-1]})
    lo, hi = 0, len(waits)  # waits[lo] holds; waits[hi:] do not
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if holds(waits[mid]) else (lo, mid)
    return float(waits[lo])
