"""The sourcing mix of a scenario, checked and corrected by simulation — the one path used
by ``peakdesk plan`` and by the run's mix stage.

solve → simulate every demand scenario with its own recourse → raise the requirements of
the scenario-intervals that miss a target → re-solve (planning.iterate), then the
single-source baselines and the value of one more agent on the *final* plan's HiGHS
instance, and, if the targets still miss in too many scenarios, the cheapest change that
would meet them or why the pools cannot (planning.remedy).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from planning.iterate import (
    TARGET_KPIS,
    CheckedPlan,
    CheckRound,
    CheckSpec,
    assess,
    check_and_tighten,
    period_labels,
)
from planning.mix import MixComparison, MixPlan, MixSolver, compare_mix
from planning.mix_inputs import SolverOptions
from planning.remedy import Remedy, remedy
from scenarios.schema import Scenario

#: per checker: the noise allowance z (standard errors) — the simulator is noisy, Erlang A not
CHECK_Z = {"sim": 1.645, "erlang": 0.0}


@dataclass(frozen=True)
class CheckedMix:
    """The final (checked) plan with its comparison, the check's rounds and, when it still
    misses, the remedy. ``checked`` is None when no check ran (0 rounds)."""

    comparison: MixComparison  # .plan is the final plan
    checked: CheckedPlan | None
    remedy: Remedy | None
    check: str  # "sim" | "erlang" | "none"
    probe: RoutingProbe | None = None  # the final plan with contacts overflowing at once
    # the simulator check's replications of the final plan (round robin: run i = scenario
    # i mod S, stream i of simulation.seed), for the run's simulation stage to reuse
    runs: tuple = ()


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
    from scenarios.to_staffing import scenario_staffing

    targets = {c: s.targets for c, s in scenario_staffing(sc).items()}
    per_day = 24 * 60 // sc.horizon.interval_minutes
    return CheckSpec(targets, period_labels(sc.horizon.n_intervals, per_day,
                                            sc.planning.targets_over),
                     share=sc.planning.targets_share, z=z)


def checked_mix(sc: Scenario, options: SolverOptions, *, rounds: int | None = None,
                check: str = "sim", replications: int | None = None, z: float | None = None,
                workers: int | None = None,
                on_round: Callable[[CheckRound], None] | None = None) -> CheckedMix:
    """Plan the mix of ``sc`` and check it (``rounds`` defaults to
    ``planning.validation_rounds``, ``replications`` to ``planning.check_replications``).
    Raises planning.solver.PlanError when no plan can be made."""
    from planning.iterate import erlang_validator
    from scenarios.to_mix import demand_cases, mean_case, mix_inputs, requirement_cases

    rates = demand_cases(sc)
    cases = requirement_cases(sc, rates)
    inp = mix_inputs(sc, cases)
    n_rounds = sc.planning.validation_rounds if rounds is None else rounds
    solver = MixSolver(inp, options)
    first = (solver, solver.solve())
    checked = fix = probe = None
    validator = None
    if n_rounds > 0 and check != "none":
        spec = check_spec(sc, CHECK_Z[check] if z is None else z)
        if check == "sim":
            from scenarios.plan_check import sim_validator

            reps = sc.planning.check_replications if replications is None else replications
            validator = sim_validator(sc, rates, reps, sc.simulation.seed,
                                      workers=workers or min(2, os.cpu_count() or 1))
        else:
            from scenarios.to_staffing import scenario_staffing

            validator = erlang_validator([r for _, _, r in rates], cases,
                                         scenario_staffing(sc), sc.staffing.shrinkage,
                                         sc.horizon.interval_minutes / 60.0)
        # up to n_rounds re-solves; every plan solved is checked
        checked = check_and_tighten(inp, options, validator, spec, rounds=n_rounds,
                                    first=first, on_round=on_round)
        first = (checked.solver, checked.final)
        if not checked.holds:
            fix = remedy(checked, options)
            if check == "sim":
                probe = routing_probe(sc, rates, checked.final, spec, reps,
                                      workers or min(2, os.cpu_count() or 1))
        inp = checked.inputs
    cmp = compare_mix(inp, options, mean_case=mean_case(sc, rates), solved=first)
    runs = tuple(getattr(validator, "runs", ()))
    return CheckedMix(cmp, checked, fix, check if checked is not None else "none", probe, runs)


def routing_probe(sc: Scenario, rates: list, plan: MixPlan, spec: CheckSpec,
                  replications: int, workers: int) -> RoutingProbe | None:
    """Simulate ``plan`` with contacts overflowing at once (see RoutingProbe), on the
    same streams as the check; None when the routing has no wait for in-house agents."""
    from scenarios.plan_check import sim_validator

    routing = sc.routing
    if routing.policy != "in_house_first" or routing.overflow_after_s <= 0:
        return None
    at_once = sc.model_copy(update={"routing": routing.model_copy(
        update={"overflow_after_s": 0.0})})
    a = assess(sim_validator(at_once, rates, replications, sc.simulation.seed,
                             workers=workers)(plan), spec, plan.probabilities)
    return RoutingProbe(routing.overflow_after_s, int(a.holds.sum()), len(a.holds), a.share,
                        a.share >= spec.share - 1e-9, {k: a.count(k) for k in TARGET_KPIS})
