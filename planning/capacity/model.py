"""The weekly capacity plan as a Pyomo MILP: hiring classes (integer), overtime, outsourced
hours and shortfall (continuous). One function per constraint family.

Notation (week t, hiring week c; matrices from planning.capacity.cohorts):
  h_c ∈ ℤ ∩ [0, H]   hires in week c        o_t ≥ 0  overtime hours
  x_t ∈ [0, X_t]     outsourced hours       s_t ≥ 0  shortfall hours
  N_t  = S₀(1−a)^t + Σ_c P[t,c]·h_c   everyone on staff (trainees included)
  A_t  = S₀(1−a)^t + Σ_c Q[t,c]·h_c   agents past training (ramping included)
  E_t  = S₀(1−a)^t + Σ_c R[t,c]·h_c   proficient-equivalent agents (survivors × ramp)
with hours per week η_w, productive share φ, outsourcing productivity η_x.

This is the average-learning, average-turnover linear model of Gans & Zhou (2002,
*Oper. Res.* 50(6)), which they find within about 1% of the optimal state-dependent
policy unless overtime and outsourcing are expensive or unavailable; cohorts shrink
geometrically (expected survivors, continuous), hires are whole people.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
from pyomo.core.expr.numeric_expr import LinearExpression

from planning.capacity.cohorts import Cohorts, cohorts
from planning.capacity.inputs import CapacityInputs


def build_model(inp: CapacityInputs) -> pyo.ConcreteModel:
    """The whole model, one constraint family per call (a table of contents)."""
    co = cohorts(inp)
    m = pyo.ConcreteModel(name="capacity")
    add_hires(m, inp)
    add_overtime(m, inp, co)
    add_outsourcing(m, inp)
    add_headcount_cap(m, inp, co)
    add_cover(m, inp, co)
    add_objective(m, inp, co)
    return m


def _linear(coefs: np.ndarray, var: pyo.Var, extra: list[tuple[float, pyo.Var]] = (),
            constant: float = 0.0) -> LinearExpression:
    """Σ_c coefs[c]·var[c] (non-zero terms only) + Σ extra + constant."""
    nz = np.flatnonzero(coefs)
    terms = [(float(coefs[c]), var[int(c)]) for c in nz] + list(extra)
    return LinearExpression(constant=constant, linear_coefs=[c for c, _ in terms],
                            linear_vars=[v for _, v in terms])


def add_hires(m: pyo.ConcreteModel, inp: CapacityInputs) -> None:
    """h_c ∈ ℤ, 0 ≤ h_c ≤ H (max_per_week) from the first hiring week on, else h_c = 0.
    Without hiring terms every h_c is fixed at 0."""
    w, hr = inp.weeks, inp.hiring
    m.h = pyo.Var(range(w), domain=pyo.NonNegativeIntegers)
    for c in range(w):
        cap = 0 if hr is None or c < hr.first_week else int(hr.max_per_week)
        m.h[c].setlb(0)
        m.h[c].setub(cap)


def add_overtime(m: pyo.ConcreteModel, inp: CapacityInputs, co: Cohorts) -> None:
    """o_t ≤ σ·η_w·A_t  (σ = overtime max_share; no overtime terms: o_t = 0).

    Overtime is worked by agents past training (starting staff and every class's survivors
    from week c+T on, ramping included)."""
    w, ot = inp.weeks, inp.overtime
    m.o = pyo.Var(range(w), domain=pyo.NonNegativeReals,
                  bounds=(0, None) if ot is not None and ot.max_share > 0 else (0, 0))
    if ot is None or ot.max_share <= 0:
        return
    k = ot.max_share * inp.hours_per_week
    m.overtime_cap = pyo.Constraint(range(w), rule=lambda m, t: (
        _linear(-k * co.past_training[t], m.h, [(1.0, m.o[t])]) <= k * float(co.staff[t])))


def add_outsourcing(m: pyo.ConcreteModel, inp: CapacityInputs) -> None:
    """0 ≤ x_t ≤ X_t, with X_t = max_hours_per_week[t] and X_t = 0 for t < notice_weeks
    (no outsourcing terms: x_t = 0)."""
    w, ox = inp.weeks, inp.outsourcing
    cap = ox.cap() if ox is not None else np.zeros(w)
    m.x = pyo.Var(range(w), domain=pyo.NonNegativeReals)
    for t in range(w):
        m.x[t].setlb(0)
        m.x[t].setub(float(cap[t]))


def add_headcount_cap(m: pyo.ConcreteModel, inp: CapacityInputs, co: Cohorts) -> None:
    """Σ_c P[t,c]·h_c ≤ max(0, N^max − S₀(1−a)^t): hires never push everyone on staff above
    the seat / budget cap (the starting staff is never cut, so a cap below it only stops
    hiring)."""
    if inp.max_headcount is None or inp.hiring is None:
        return
    room = np.maximum(0.0, inp.max_headcount - co.staff)
    m.headcount_cap = pyo.Constraint(range(inp.weeks), rule=lambda m, t: (
        _linear(co.on_staff[t], m.h) <= float(room[t])))


def add_cover(m: pyo.ConcreteModel, inp: CapacityInputs, co: Cohorts) -> None:
    """η_w·φ·E_t + φ·o_t + η_x·x_t + s_t ≥ ρ_t  (ρ = required productive hours).

    Written with the starting staff's constant moved to the right-hand side."""
    w = inp.weeks
    m.s = pyo.Var(range(w), domain=pyo.NonNegativeReals)
    k = inp.hours_per_week * inp.productive_share
    eta_x = inp.outsourcing.productivity if inp.outsourcing is not None else 0.0
    req = np.asarray(inp.required_hours, dtype=np.float64)
    rhs = req - k * co.staff

    def rule(m: pyo.ConcreteModel, t: int) -> object:
        extra = [(inp.productive_share, m.o[t]), (eta_x, m.x[t]), (1.0, m.s[t])]
        return _linear(k * co.productive[t], m.h, extra) >= float(rhs[t])

    m.cover = pyo.Constraint(range(w), rule=rule)


def add_objective(m: pyo.ConcreteModel, inp: CapacityInputs, co: Cohorts) -> None:
    """min Σ_t [ω·η_w·N_t + κ·h_t + ω·π_o·o_t + p_x·x_t + π·s_t]

    (ω wage per hour, κ cost per hire, π_o overtime premium, p_x outsourcing price per
    hour, π shortfall penalty per hour). The starting staff's wages are a constant, kept so
    that the objective equals the plan's total cost."""
    w, hr = inp.weeks, inp.hiring
    wage_week = inp.wage_per_hour * inp.hours_per_week
    per_hire = wage_week * co.on_staff.sum(axis=0) + (hr.cost_per_hire if hr else 0.0)
    premium = inp.overtime.premium if inp.overtime is not None else 0.0
    price = inp.outsourcing.price_per_hour if inp.outsourcing is not None else 0.0
    # every variable gets a term (a zero coefficient too), so HiGHS knows all of them
    terms = ([(float(per_hire[c]), m.h[c]) for c in range(w)]
             + [(inp.wage_per_hour * premium, m.o[t]) for t in range(w)]
             + [(price, m.x[t]) for t in range(w)]
             + [(inp.shortfall_penalty_per_hour, m.s[t]) for t in range(w)])
    expr = LinearExpression(constant=float(wage_week * co.staff.sum()),
                            linear_coefs=[c for c, _ in terms],
                            linear_vars=[v for _, v in terms])
    m.cost = pyo.Objective(expr=expr, sense=pyo.minimize)
