"""HiGHS termination states → domain errors (planning/solver.py), on real tiny models."""

from __future__ import annotations

from types import SimpleNamespace

import pyomo.environ as pyo
import pytest
from pyomo.contrib.appsi.base import TerminationCondition

from planning.mix_inputs import SolverOptions
from planning.solver import HighsSession, PlanError, PlanInfeasible, PlanNotFound


def model(rhs: float) -> pyo.ConcreteModel:
    m = pyo.ConcreteModel()
    m.x = pyo.Var(domain=pyo.NonNegativeIntegers, bounds=(0, 3))
    m.c = pyo.Constraint(expr=m.x >= rhs)
    m.cost = pyo.Objective(expr=2 * m.x)
    return m


def test_optimal_and_bound_change_in_place() -> None:
    m = model(1.5)
    s = HighsSession(m, SolverOptions(time_limit_s=5, mip_gap=0.0, threads=1))
    out = s.solve()
    assert out.status == "optimal" and out.objective == 4.0 and m.x.value == 2.0  # by hand
    s.set_bounds([(m.x, 3.0, 3.0)])
    assert s.solve().objective == 6.0


def test_infeasible_is_a_domain_error() -> None:
    s = HighsSession(model(5.0), SolverOptions(time_limit_s=5, mip_gap=0.0, threads=1))
    with pytest.raises(PlanInfeasible):
        s.solve()


def test_time_limit_without_solution_is_plan_not_found(monkeypatch) -> None:
    s = HighsSession(model(1.0), SolverOptions(time_limit_s=5, mip_gap=0.0))
    fake = SimpleNamespace(termination_condition=TerminationCondition.maxTimeLimit,
                           best_feasible_objective=None, best_objective_bound=None)
    monkeypatch.setattr(s._opt, "solve", lambda model: fake)
    with pytest.raises(PlanNotFound, match="time limit"):
        s.solve()
    fake.termination_condition = TerminationCondition.error
    with pytest.raises(PlanError, match="HiGHS stopped without a plan"):
        s.solve()
