"""When the checked plan still misses: the cheapest change that would meet the targets, or
why the pools cannot.

The change is priced by one more solve: the requirement the loop's correction would use
next (planning.iterate.next_requirement), and where the verdict found an interval worse
than a missed target at least one agent above the plan's coverage (including where the
plan knowingly falls short), to be covered in full in demand scenarios of at least the
asked share of probability (the SAA chance constraint of Gurvich, Luedtke & Tezcan
2010). Its difference from the checked plan — pool sizes, hires, agent-hours per pool
and day — and its extra expected cost are the answer; the caller simulates its plan
before printing it (scenarios.checked_mix). If the pools cannot cover the raised
requirement even at their limits in enough scenarios, the answer is which intervals and
by how much (planning.mix.uncoverable). If each interval could be covered on its own but
not all of them together (the shift, days-off and headcount rules: an agent works one
shift a day), the answer is found by one more solve with the shortfall priced far above
any pool (:func:`joint_limit`): how many agent-hours the pools fall short together and
the worst interval.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from planning.iterate import CheckedPlan
from planning.mix import MixPlan, MixSolver, uncoverable
from planning.mix_inputs import MixInputs, SolverOptions
from planning.solver import PlanError


@dataclass(frozen=True)
class DayChange:
    """Agent-hours added (or removed) for one pool on one day (expected for recourse)."""

    pool: str
    day: int
    label: str  # the day's first interval label (ISO date-time)
    agent_hours: float


@dataclass(frozen=True)
class Remedy:
    feasible: bool
    cost_delta: float = 0.0
    sizes: dict[str, int] = field(default_factory=dict)  # reserve_pool, hires: deltas
    days: list[DayChange] = field(default_factory=list)  # largest first
    plan: MixPlan | None = None
    reason: str = ""  # when not feasible: "pool_limits", "joint_limits" or a message
    worst: tuple[str, str, float, float] | None = None  # scenario, interval, needs, most
    short_agent_hours: float = 0.0  # joint_limits: expected agent-hours the pools miss


def raised_requirement(checked: CheckedPlan, step: float = 1.0) -> np.ndarray:
    """The requirement the correction would use next, and at least ``step`` agents above
    the plan's coverage where the verdict found an interval worse than a missed target."""
    plan, a = checked.final, checked.assessment
    nxt = checked.next_requirement if checked.next_requirement is not None else \
        plan.requirement
    cover = np.maximum(plan.requirement, plan.coverage)
    return np.where(a.cells, np.maximum(nxt, cover + step), np.maximum(nxt, plan.requirement))


def day_changes(before: MixPlan, after: MixPlan, inp: MixInputs) -> list[DayChange]:
    per_day = inp.intervals_per_day
    e_b, e_a = before.expected, after.expected
    series = {"in_house": (before.in_house, after.in_house),
              "outsourced": (before.outsourced, after.outsourced),
              "outsourced_surge": (e_b(before.surge), e_a(after.surge)),
              "reserve": (e_b(before.reserve), e_a(after.reserve)),
              "temps": (e_b(before.temps), e_a(after.temps))}
    out = []
    for pool, (b, a) in series.items():
        d = (a - b) * inp.interval_h
        for day in range(-(-inp.n_intervals // per_day)):
            h = float(d[day * per_day:(day + 1) * per_day].sum())
            if abs(h) > 0.05:
                out.append(DayChange(pool, day, inp.label(day * per_day), h))
    return sorted(out, key=lambda c: -abs(c.agent_hours))


def remedy(checked: CheckedPlan, options: SolverOptions, step: float = 1.0) -> Remedy:
    """The cheapest change meeting the raised requirement in the asked share, or why not."""
    share = checked.spec.share
    inp = checked.inputs.with_requirement(raised_requirement(checked, step),
                                          checked.next_in_house)
    inp = replace(inp, chance_min_share=max(share, inp.chance_min_share or 0.0),
                  hard_coverage=False)
    bad = uncoverable(inp)
    p = inp.probabilities
    names = [c.name for c in inp.cases]
    lost = {names.index(s) for s, _, _, _ in bad}
    if bad and p[sorted(lost)].sum() > 1.0 - share + 1e-9:
        s, t, need, most = max(bad, key=lambda b: b[2] - b[3])
        return Remedy(False, reason="pool_limits", worst=(s, inp.label(t), need, most))
    try:
        plan = MixSolver(inp, options).solve()
    except PlanError as exc:
        joint = joint_limit(inp, options)
        if joint is None:
            return Remedy(False, reason=str(exc))
        return joint
    fin = checked.final
    return Remedy(True, plan.objective - fin.objective,
                  {"reserve_pool": plan.reserve_pool - fin.reserve_pool,
                   "hires": plan.hires - fin.hires},
                  day_changes(fin, plan, inp), plan)


#: joint_limit: a missing agent-hour costs this many times the dearest pool hour (at
#: least 10,000): the solve minimises the shortfall first, then the cost
SHORTFALL_WEIGHT = 1000.0


def joint_limit(inp: MixInputs, options: SolverOptions) -> Remedy | None:
    """Why no plan meets ``inp``'s requirement in the asked share although each interval
    could be covered on its own: the plan with the smallest shortfall (shortfall priced
    far above any pool, no chance constraint) — its expected missing agent-hours and its
    worst scenario-interval (requirement, coverage). None when that plan misses nothing
    (the rules are not the reason) or cannot be solved."""
    dear = max([10.0, inp.shortfall_penalty_per_hour]
               + [float(getattr(getattr(inp, k), a, 0.0) or 0.0)
                  for k in ("in_house", "outsourced", "reserve", "temps")
                  for a in ("cost_per_paid_hour", "price_per_hour", "surge_price_per_hour",
                            "activation_per_hour")
                  if getattr(inp, k) is not None])
    diag = replace(inp, chance_min_share=None, hard_coverage=False,
                   shortfall_penalty_per_hour=SHORTFALL_WEIGHT * dear)
    try:
        plan = MixSolver(diag, options).solve()
    except PlanError:
        return None
    q = plan.shortfall
    if q.size == 0 or q.max() <= 1e-6:
        return None
    s, t = np.unravel_index(int(np.argmax(q)), q.shape)
    return Remedy(False, reason="joint_limits",
                  worst=(inp.cases[s].name, inp.label(int(t)), float(plan.requirement[s, t]),
                         float(plan.coverage[s, t])),
                  short_agent_hours=float(plan.probabilities @ q.sum(axis=1)) * inp.interval_h)
