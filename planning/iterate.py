"""Check a plan's service level and tighten where it falls short (iterative staffing).

The loop (Feldman, Mandelbaum, Massey & Whitt 2008 in spirit): solve the mix, evaluate the
achieved service level per channel × demand scenario × interval with a *validator*, raise
the requirement of every interval that misses its target by one scheduled agent, re-solve;
stop when nothing misses (or nothing more can be done) or after ``rounds`` rounds.

The validator is any callable ``validate(plan) -> {channel: SL array (scenarios,
intervals)}``. ``erlang_validator`` is the stationary Erlang A model evaluated at the
planned staffing (a stand-in for the simulator, and an independent check of the
fractional requirement interpolation); the simulator plugs in with the same signature.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from planning.channel import ChannelStaffing
from planning.chat import chat_capacity
from planning.mix import MixPlan, MixSolver
from planning.mix_inputs import DemandCase, MixInputs, SolverOptions
from planning.requirements import queue_metrics

Validator = Callable[[MixPlan], dict[str, np.ndarray]]


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
                     specs: dict[str, ChannelStaffing], shrinkage: float) -> Validator:
    """Service level of each channel under the plan from stationary Erlang A (chat on
    agents × K* virtual servers), with ``rates[s][channel]`` the arrivals of scenario s."""

    def validate(plan: MixPlan) -> dict[str, np.ndarray]:
        agents = channel_split(plan, cases, shrinkage)
        out = {}
        for c, spec in specs.items():
            cap = chat_capacity(1.0, spec.concurrency, spec.concurrency_slowdown)
            lam = np.vstack([r[c] for r in rates])
            n = agents[c] * cap.sessions
            sl = np.ones(lam.shape)
            busy = lam > 0
            m = queue_metrics(np.maximum(n[busy], 1e-9), lam[busy],
                              np.full(busy.sum(), spec.aht_s * cap.session_time_s),
                              np.full(busy.sum(), spec.patience_s),
                              np.full(busy.sum(), spec.targets.within_s), with_asa=False)
            sl[busy] = np.nan_to_num(m.service_level, nan=0.0)
            out[c] = sl
        return out

    return validate


@dataclass(frozen=True)
class ValidationRound:
    round: int
    objective: float
    misses: int  # (scenario, interval, channel) cells below target
    worst_service_level: float
    raised: int  # (scenario, interval) requirements raised after this round


@dataclass(frozen=True)
class ValidatedPlan:
    first: MixPlan
    final: MixPlan
    rounds: list[ValidationRound]


def tighten(inp: MixInputs, options: SolverOptions, validate: Validator,
            targets: dict[str, float], rounds: int = 3, step: float = 1.0,
            tolerance: float = 1e-3, first: MixPlan | None = None) -> ValidatedPlan:
    """Solve (unless ``first`` is the plan of ``inp`` already), validate, raise missed
    requirements by ``step`` agents, re-solve."""
    plan = first = first if first is not None else MixSolver(inp, options).solve()
    log: list[ValidationRound] = []
    for r in range(rounds + 1):
        sl = validate(plan)
        miss = np.zeros(plan.requirement.shape, dtype=bool)
        n_miss, worst = 0, 1.0
        for c, arr in sl.items():
            bad = (arr < targets[c] - tolerance) & (plan.requirement > 0)
            miss |= bad
            n_miss += int(bad.sum())
            worst = min(worst, float(arr[plan.requirement > 0].min(initial=1.0)))
        fixable = miss & (plan.shortfall <= 1e-6)  # a known shortfall is not fixed by raising
        done = r == rounds or not fixable.any()
        log.append(ValidationRound(r, plan.objective, n_miss, worst,
                                   0 if done else int(fixable.sum())))
        if done:
            break
        req = plan.requirement + step * fixable
        inp = replace(inp, cases=tuple(replace(c, requirement=req[i])
                                       for i, c in enumerate(inp.cases)))
        plan = MixSolver(inp, options).solve()
    return ValidatedPlan(first, plan, log)
