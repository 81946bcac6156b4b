"""Solve the capacity model with HiGHS and read back a plain plan (numpy arrays, no Pyomo).

Every reported number is recomputed from the decisions (hires, overtime, outsourced hours)
with the contract's arithmetic (planning.capacity.cohorts), not read from solver
expressions; the shortfall is what the decisions leave uncovered.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pyomo.environ as pyo

from planning.capacity.cohorts import cohorts
from planning.capacity.inputs import CapacityInputs, check_inputs
from planning.capacity.model import build_model
from planning.mix_inputs import SolverOptions
from planning.solver import HighsSession, PlanError, values

EPS = 1e-7  # solver noise below this is zero (hours)


@dataclass(frozen=True)
class CapacityPlan:
    """A plan, week by week (arrays of length W), and what it costs."""

    status: str  # optimal | time_limit
    gap: float
    solve_s: float
    required_hours: np.ndarray
    hires: np.ndarray  # int
    on_staff: np.ndarray  # everyone on staff, trainees included
    in_training: np.ndarray
    past_training: np.ndarray  # starting staff + classes past training (ramping included)
    productive_hours: np.ndarray  # in-house regular hours on the queue
    overtime_hours: np.ndarray  # paid overtime hours
    outsourced_hours: np.ndarray  # vendor hours bought
    shortfall_hours: np.ndarray  # required productive hours left uncovered
    overtime_cap: np.ndarray  # most overtime hours allowed
    outsourcing_cap: np.ndarray  # most vendor hours allowed (0 inside the notice)
    covered_hours: np.ndarray  # productive hours from every lever
    cost_parts: dict[str, np.ndarray]  # wages, hiring, overtime, outsourcing, shortfall

    @property
    def paid_hours(self) -> np.ndarray:
        return self.cost_parts["paid_hours"]

    @property
    def cost(self) -> np.ndarray:
        """Cost per week: Σ of the money parts."""
        return sum(v for k, v in self.cost_parts.items() if k != "paid_hours")

    @property
    def total_cost(self) -> float:
        return float(self.cost.sum())

    @property
    def total_hires(self) -> int:
        return int(self.hires.sum())

    @property
    def total_shortfall(self) -> float:
        return float(self.shortfall_hours.sum())


def evaluate(inp: CapacityInputs, hires: np.ndarray, overtime: np.ndarray,
             outsourced: np.ndarray, *, status: str = "given", gap: float = 0.0,
             solve_s: float = 0.0) -> CapacityPlan:
    """The plan of these decisions under the contract (overtime and outsourced hours are
    clipped to their caps; the shortfall covers whatever is left)."""
    co = cohorts(inp)
    h = np.asarray(hires, dtype=np.int64)
    hf = h.astype(np.float64)
    on_staff = co.staff + co.on_staff @ hf
    in_training = co.in_training @ hf
    past = co.staff + co.past_training @ hf
    productive = inp.hours_per_week * inp.productive_share * (co.staff + co.productive @ hf)
    ot, ox = inp.overtime, inp.outsourcing
    ot_cap = (ot.max_share * inp.hours_per_week * past if ot is not None
              else np.zeros(inp.weeks))
    ox_cap = ox.cap() if ox is not None else np.zeros(inp.weeks)
    o = np.clip(np.where(np.asarray(overtime) < EPS, 0.0, overtime), 0.0, ot_cap)
    x = np.clip(np.where(np.asarray(outsourced) < EPS, 0.0, outsourced), 0.0, ox_cap)
    eta_x = ox.productivity if ox is not None else 0.0
    covered = productive + inp.productive_share * o + eta_x * x
    req = np.asarray(inp.required_hours, dtype=np.float64)
    short = np.maximum(0.0, req - covered)
    short = np.where(short < EPS * max(1.0, float(req.max(initial=0.0))), 0.0, short)
    paid = inp.hours_per_week * on_staff
    parts = {
        "paid_hours": paid,
        "wages": inp.wage_per_hour * paid,
        "hiring": (inp.hiring.cost_per_hire if inp.hiring else 0.0) * hf,
        "overtime": inp.wage_per_hour * (ot.premium if ot else 0.0) * o,
        "outsourcing": (ox.price_per_hour if ox else 0.0) * x,
        "shortfall": inp.shortfall_penalty_per_hour * short,
    }
    return CapacityPlan(status, gap, solve_s, req, h, on_staff, in_training, past, productive,
                        o, x, short, ot_cap, ox_cap, covered, parts)


class CapacitySolver:
    """The model of one CapacityInputs in one HiGHS instance; variants change bounds."""

    def __init__(self, inp: CapacityInputs, options: SolverOptions | None = None) -> None:
        check_inputs(inp)
        self.inp = inp
        self.options = options or SolverOptions(time_limit_s=60.0, mip_gap=1e-4, threads=1)
        t0 = time.perf_counter()
        self.m = build_model(inp)
        self.session = HighsSession(self.m, self.options)
        self.build_s = time.perf_counter() - t0

    def solve(self) -> CapacityPlan:
        """The cost-optimal plan (raises a PlanError subclass when HiGHS finds none)."""
        out = self.session.solve()
        m = self.m
        h = np.round(values(m.h)).astype(np.int64)
        plan = evaluate(self.inp, h, values(m.o), values(m.x), status=out.status,
                        gap=out.gap, solve_s=out.solve_s)
        # the contract's shortfall is the least the decisions leave, so the plan can only
        # cost less than the model's objective (by the solver's slack)
        model_cost = float(pyo.value(m.cost))
        if plan.total_cost - model_cost > 1e-6 * max(1.0, abs(model_cost)) + 1e-3:
            raise PlanError(f"HiGHS returned a plan costing {model_cost:,.2f} by the model "
                            f"but {plan.total_cost:,.2f} by the contract")
        return plan

    def solve_hiring_from(self, week: int) -> CapacityPlan:
        """The best plan when no class may be hired before ``week`` (bounds restored)."""
        hs = [self.m.h[c] for c in range(min(week, self.inp.weeks))]
        saved = [(v, v.lb, v.ub) for v in hs]
        self.session.set_bounds([(v, 0.0, 0.0) for v in hs])
        try:
            return self.solve()
        finally:
            self.session.set_bounds(saved)


def plan_capacity(inp: CapacityInputs, options: SolverOptions | None = None) -> CapacityPlan:
    """The cost-optimal capacity plan of ``inp``."""
    return CapacitySolver(inp, options).solve()
