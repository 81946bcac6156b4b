"""What a planner asks of a capacity plan, answered by re-solving variants.

- the peak week and the last week a hiring class can still help it (its first productive
  week — after training and any zero-weight ramp weeks — is no later than the peak);
- the cost of starting hiring one week later than the plan's first class (re-planned with
  no class before that week);
- the cost of one more point of weekly attrition (re-planned with a + 0.01);
- for a plan that leaves hours uncovered: how many, in which weeks, and which lever is
  exhausted there (hiring cap or lead time, headcount cap, overtime cap, outsourcing cap or
  notice) — or, when a lever is still open, that the shortfall penalty is cheaper.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np

from planning.capacity.cohorts import cohorts
from planning.capacity.inputs import CapacityInputs
from planning.capacity.plan import CapacityPlan, CapacitySolver
from planning.mix_inputs import SolverOptions

ATTRITION_STEP = 0.01  # "one point" of weekly attrition
TOL = 1e-6  # hours


@dataclass(frozen=True)
class Variant:
    """A re-planned variant and how it compares with the plan."""

    label: str
    total_cost: float
    extra_cost: float  # variant − plan
    total_shortfall: float
    extra_shortfall: float
    total_hires: int


@dataclass(frozen=True)
class ShortWeek:
    """A week the plan leaves short, and the state of each lever there.

    ``exhausted`` codes: no_hiring, hiring_lead_time, hiring_cap, headcount_cap,
    no_overtime, overtime_cap, no_outsourcing, outsourcing_notice, outsourcing_cap.
    ``open``: levers with room left (hiring, overtime, outsourcing) — the plan prefers
    paying the shortfall penalty to using them."""

    week: int
    required_hours: float
    missing_hours: float
    exhausted: tuple[str, ...]
    open: tuple[str, ...]


@dataclass(frozen=True)
class Shortfall:
    """Every short week of a plan (empty tuple: the requirement is met)."""

    weeks: tuple[ShortWeek, ...]

    @property
    def total_hours(self) -> float:
        return float(sum(w.missing_hours for w in self.weeks))

    @property
    def worst(self) -> ShortWeek:
        return max(self.weeks, key=lambda w: w.missing_hours)


@dataclass(frozen=True)
class PlannerAnswers:
    peak_week: int
    last_useful_hire_week: int | None  # None: no class can be productive by the peak
    first_hire_week: int | None  # None: the plan hires nobody
    hire_one_week_later: Variant | None  # None when the plan hires nobody
    attrition_plus_one_point: Variant
    shortfall: Shortfall


@dataclass(frozen=True)
class CapacityReport:
    """The plan and the planner's answers (everything plain: numpy arrays and numbers)."""

    inputs: CapacityInputs
    plan: CapacityPlan
    answers: PlannerAnswers
    build_s: float
    solve_s: float


def peak_week(inp: CapacityInputs) -> int:
    """The week with the largest requirement (the first of equals)."""
    return int(np.argmax(np.asarray(inp.required_hours)))


def last_useful_hire_week(inp: CapacityInputs, peak: int) -> int | None:
    """The last hiring week whose class is productive in the peak week, if any."""
    h = inp.hiring
    if h is None or h.max_per_week <= 0:
        return None
    last = peak - h.weeks_to_productive
    return last if last >= h.first_week else None


def cost_per_productive_hour(inp: CapacityInputs) -> dict[str, float]:
    """Marginal cost of one productive hour from overtime and outsourcing (for messages)."""
    out: dict[str, float] = {}
    if inp.overtime is not None:
        out["overtime"] = inp.wage_per_hour * inp.overtime.premium / inp.productive_share
    if inp.outsourcing is not None:
        out["outsourcing"] = inp.outsourcing.price_per_hour / inp.outsourcing.productivity
    return out


def diagnose(inp: CapacityInputs, plan: CapacityPlan) -> Shortfall:
    """The state of every lever in each week the plan leaves short."""
    co = cohorts(inp)
    hr, ot, ox = inp.hiring, inp.overtime, inp.outsourcing
    room = (None if inp.max_headcount is None
            else np.maximum(0.0, inp.max_headcount - co.staff) - co.on_staff @ plan.hires)
    weeks = []
    for t in np.flatnonzero(plan.shortfall_hours > TOL):
        t = int(t)
        exhausted: list[str] = []
        still: list[str] = []
        if hr is None or hr.max_per_week <= 0:
            exhausted.append("no_hiring")
        else:
            helpful = range(hr.first_week, t - hr.weeks_to_productive + 1)
            below = [c for c in helpful if plan.hires[c] < hr.max_per_week]
            if len(helpful) == 0:
                exhausted.append("hiring_lead_time")
            elif not below:
                exhausted.append("hiring_cap")
            elif room is not None and all(
                    np.any(co.on_staff[:, c] > room + TOL) for c in below):
                exhausted.append("headcount_cap")
            else:
                still.append("hiring")
        if ot is None or ot.max_share <= 0:
            exhausted.append("no_overtime")
        elif plan.overtime_hours[t] >= plan.overtime_cap[t] - TOL:
            exhausted.append("overtime_cap")
        else:
            still.append("overtime")
        if ox is None or float(np.max(ox.max_hours, initial=0.0)) <= 0:
            exhausted.append("no_outsourcing")
        elif t < ox.notice_weeks:
            exhausted.append("outsourcing_notice")
        elif plan.outsourced_hours[t] >= plan.outsourcing_cap[t] - TOL:
            exhausted.append("outsourcing_cap")
        else:
            still.append("outsourcing")
        weeks.append(ShortWeek(t, float(plan.required_hours[t]),
                               float(plan.shortfall_hours[t]), tuple(exhausted), tuple(still)))
    return Shortfall(tuple(weeks))


def _variant(label: str, plan: CapacityPlan, other: CapacityPlan) -> Variant:
    return Variant(label, other.total_cost, other.total_cost - plan.total_cost,
                   other.total_shortfall, other.total_shortfall - plan.total_shortfall,
                   other.total_hires)


def capacity_report(inp: CapacityInputs, options: SolverOptions | None = None
                    ) -> CapacityReport:
    """Solve the plan and answer the planner's questions (three solves at most)."""
    t0 = time.perf_counter()
    solver = CapacitySolver(inp, options)
    build_s = solver.build_s
    plan = solver.solve()
    peak = peak_week(inp)
    first = int(np.flatnonzero(plan.hires)[0]) if plan.total_hires > 0 else None
    later = None
    if first is not None:
        later = _variant(f"no class before week {first + 1}", plan,
                         solver.solve_hiring_from(first + 1))
    a2 = min(inp.attrition + ATTRITION_STEP, 0.99)
    worse = CapacitySolver(replace(inp, attrition=a2), solver.options).solve()
    answers = PlannerAnswers(
        peak_week=peak, last_useful_hire_week=last_useful_hire_week(inp, peak),
        first_hire_week=first, hire_one_week_later=later,
        attrition_plus_one_point=_variant(f"attrition {a2:.1%} a week", plan, worse),
        shortfall=diagnose(inp, plan))
    return CapacityReport(inp, plan, answers, build_s, time.perf_counter() - t0 - build_s)
