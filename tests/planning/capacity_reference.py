"""An independent reading of the capacity contract in plain Python (loops, no numpy, no
solver): re-check a plan, recompute its cost, and find the optimum of tiny cases by
enumerating every hiring vector.

Written from the contract's text, not from planning.capacity: a class of h_c hires made
in week c trains in weeks c..c+T−1 (paid, not productive, no attrition), then in week
c+T+k works at ramp[k] (1 after the ramp) and shrinks by (1 − a) a week from week c+T;
the starting staff is S₀(1 − a)^t. Given the hires, the weeks are independent and each
week's cheapest cover is a fractional knapsack: fill the missing productive hours from
the cheapest lever per productive hour (overtime ω·π_o/φ, vendor p_x/η_x, penalty π),
each up to its cap.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field


@dataclass
class Case:
    """A capacity problem in plain numbers (mirrors the scenario keys)."""

    required: list[float]
    on_staff: float
    hours: float = 40.0
    share: float = 0.7
    attrition: float = 0.03
    wage: float = 45.0
    penalty: float = 400.0
    max_hires: int | None = 2  # None: no hiring terms
    cost_per_hire: float = 3000.0
    training: int = 1
    ramp: list[float] = field(default_factory=lambda: [0.5])
    ot_share: float | None = 0.1  # None: no overtime
    ot_premium: float = 1.5
    vendor_price: float | None = 32.0  # None: no outsourcing
    vendor_eta: float = 0.8
    vendor_cap: list[float] | None = None  # per week; None: 500 every week
    notice: int = 1

    @property
    def weeks(self) -> int:
        return len(self.required)

    def cap(self, t: int) -> float:
        if self.vendor_price is None or t < self.notice:
            return 0.0
        return self.vendor_cap[t] if self.vendor_cap is not None else 500.0


def survivors(case: Case, c: int, t: int) -> float:
    """People of one hire made in week c still on staff in week t."""
    if t < c:
        return 0.0
    if t < c + case.training:
        return 1.0
    return (1.0 - case.attrition) ** (t - c - case.training)


def weight(case: Case, c: int, t: int) -> float:
    """Productivity of a survivor of a class from week c in week t (0 in training)."""
    if t < c + case.training:
        return 0.0
    k = t - c - case.training
    return case.ramp[k] if k < len(case.ramp) else 1.0


def headcount(case: Case, hires: list[int], t: int) -> dict[str, float]:
    """Week t's people: everyone on staff, in training, past training, proficient equiv."""
    staff = case.on_staff * (1.0 - case.attrition) ** t
    on, training, past, eff = staff, 0.0, staff, staff
    for c, h in enumerate(hires):
        if h == 0 or c > t:
            continue
        s = h * survivors(case, c, t)
        on += s
        if t < c + case.training:
            training += s
        else:
            past += s
            eff += s * weight(case, c, t)
    return {"on_staff": on, "in_training": training, "past_training": past,
            "productive": case.hours * case.share * eff}


def overtime_cap(case: Case, hires: list[int], t: int) -> float:
    if case.ot_share is None:
        return 0.0
    return case.ot_share * case.hours * headcount(case, hires, t)["past_training"]


def week_cost(case: Case, hires: list[int], t: int, o: float, x: float, s: float) -> float:
    hc = headcount(case, hires, t)
    return (case.wage * case.hours * hc["on_staff"]
            + (case.cost_per_hire * hires[t] if case.max_hires is not None else 0.0)
            + case.wage * case.ot_premium * o + (case.vendor_price or 0.0) * x
            + case.penalty * s)


def recheck(case: Case, plan, tol: float = 1e-6) -> list[str]:
    """Everything wrong with ``plan`` (a planning.capacity.CapacityPlan) under the contract;
    an empty list when it holds. Relative tolerance ``tol``."""
    bad = []
    w = case.weeks

    def near(a: float, b: float) -> bool:
        return abs(a - b) <= tol * max(1.0, abs(a), abs(b))

    hires = [int(h) for h in plan.hires]
    for t in range(w):
        h = hires[t]
        if h < 0 or (case.max_hires is None and h != 0) or \
                (case.max_hires is not None and h > case.max_hires):
            bad.append(f"week {t}: {h} hires outside [0, {case.max_hires}]")
        if plan.hires[t] != int(plan.hires[t]):
            bad.append(f"week {t}: hires not whole")
        hc = headcount(case, hires, t)
        for key, got in (("on_staff", plan.on_staff[t]), ("in_training", plan.in_training[t]),
                         ("past_training", plan.past_training[t]),
                         ("productive", plan.productive_hours[t])):
            if not near(hc[key], float(got)):
                bad.append(f"week {t}: {key} {got} ≠ contract {hc[key]}")
        o, x, s = (float(plan.overtime_hours[t]), float(plan.outsourced_hours[t]),
                   float(plan.shortfall_hours[t]))
        if o < -tol or o > overtime_cap(case, hires, t) * (1 + tol) + tol:
            bad.append(f"week {t}: overtime {o} above its cap {overtime_cap(case, hires, t)}")
        if x < -tol or x > case.cap(t) * (1 + tol) + tol:
            bad.append(f"week {t}: vendor hours {x} above its cap {case.cap(t)}")
        if s < -tol:
            bad.append(f"week {t}: negative shortfall")
        eta = case.vendor_eta if case.vendor_price is not None else 0.0
        cover = hc["productive"] + case.share * o + eta * x + s
        if cover < case.required[t] * (1 - tol) - tol:
            bad.append(f"week {t}: cover {cover} below the requirement {case.required[t]}")
        if not near(week_cost(case, hires, t, o, x, s), float(plan.cost[t])):
            bad.append(f"week {t}: cost {plan.cost[t]} ≠ contract "
                       f"{week_cost(case, hires, t, o, x, s)}")
    total = sum(week_cost(case, hires, t, float(plan.overtime_hours[t]),
                          float(plan.outsourced_hours[t]), float(plan.shortfall_hours[t]))
                for t in range(w))
    if not near(total, plan.total_cost):
        bad.append(f"total cost {plan.total_cost} ≠ contract {total}")
    return bad


def best_cover_cost(case: Case, hires: list[int], t: int) -> float:
    """Cheapest overtime + vendor + shortfall for week t given the hires (greedy by cost per
    productive hour is optimal for one covering row with bounded columns)."""
    hc = headcount(case, hires, t)
    missing = max(0.0, case.required[t] - hc["productive"])
    levers = [(case.penalty, float("inf"))]  # (cost per productive hour, productive cap)
    if case.ot_share is not None:
        levers.append((case.wage * case.ot_premium / case.share,
                       case.share * overtime_cap(case, hires, t)))
    if case.vendor_price is not None:
        levers.append((case.vendor_price / case.vendor_eta, case.vendor_eta * case.cap(t)))
    cost = 0.0
    for price, cap in sorted(levers):
        take = min(missing, cap)
        cost += price * take
        missing -= take
        if missing <= 0:
            break
    return cost


def total_for_hires(case: Case, hires: list[int]) -> float:
    cost = 0.0
    for t in range(case.weeks):
        cost += week_cost(case, hires, t, 0.0, 0.0, 0.0) + best_cover_cost(case, hires, t)
    return cost


def brute_force(case: Case, no_hire_before: int = 0) -> tuple[float, list[int]]:
    """The least total cost over every hiring vector (and one vector reaching it)."""
    top = case.max_hires if case.max_hires is not None else 0
    ranges = [range(0, (top if c >= no_hire_before else 0) + 1) for c in range(case.weeks)]
    best = (float("inf"), [])
    for hires in itertools.product(*ranges):
        cost = total_for_hires(case, list(hires))
        if cost < best[0]:
            best = (cost, list(hires))
    return best
