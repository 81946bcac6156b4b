"""HiGHS termination states → domain errors (planning/solver.py), on real tiny models."""

from __future__ import annotations

import highspy
import pyomo.environ as pyo
import pytest

from planning.mix_inputs import SolverOptions
from planning.solver import (
    HighsSession,
    PlanError,
    PlanInfeasible,
    PlanNotFound,
    outcome_status,
)


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


def test_time_limit_without_solution_is_plan_not_found() -> None:
    """Every HiGHS model status a run can end with maps to the same outcome as before
    (through Pyomo's appsi TerminationCondition; the table written out here by hand)."""
    S = highspy.HighsModelStatus
    for st in (S.kTimeLimit, S.kIterationLimit, S.kObjectiveTarget, S.kObjectiveBound,
               S.kInterrupt):
        with pytest.raises(PlanNotFound, match="time limit"):
            outcome_status(st, has_plan=False)
        assert outcome_status(st, has_plan=True) == "time_limit"
    assert outcome_status(S.kOptimal, has_plan=True) == "optimal"
    for st in (S.kInfeasible, S.kUnboundedOrInfeasible):
        with pytest.raises(PlanInfeasible):
            outcome_status(st, has_plan=False)
    with pytest.raises(PlanError, match="unbounded"):
        outcome_status(S.kUnbounded, has_plan=False)
    for st in (S.kSolveError, S.kModelError, S.kNotset, S.kUnknown):
        with pytest.raises(PlanError, match="HiGHS stopped without a plan"):
            outcome_status(st, has_plan=False)


def test_a_highs_instance_where_stdout_cannot_be_captured(monkeypatch) -> None:
    # a forked background job whose inherited stdout descriptor is gone (a test runner's
    # capture file): the banner's capture fails with OSError, the instance is made as is
    # and solves; reference: the LP min x s.t. x >= 2 has the optimum 2
    import planning.solver as solver_module

    def closed(*_a, **_k):
        raise OSError(9, "Bad file descriptor")

    monkeypatch.setitem(solver_module._banner, "captured", False)
    monkeypatch.setattr(solver_module, "capture_output", closed)
    h = solver_module._quiet_highs()
    assert solver_module._banner["captured"]
    inf = highspy.kHighsInf
    h.addVar(2.0, inf)
    h.changeColCost(0, 1.0)
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    assert h.getInfo().objective_function_value == pytest.approx(2.0)


def test_no_interrupt_callback_unless_a_stop_is_asked() -> None:
    """HiGHS calls the session's interrupt callback at every simplex, interior point and
    branch-and-bound iteration when it is on (tens of thousands of calls into Python on
    the flagship's models): it is off until a stop is asked, and the plan is the same
    either way. Reference: the market-split MILP of test_solver_interrupt (a search of
    many nodes), solved on the same node budget with the callback on and off — the same
    values; on, the callback is called (the count shows the switch is what decides), off,
    never. That a stop still stops a run is test_solver_interrupt's."""
    from tests.planning.test_solver_interrupt import market_split

    def solve(on: bool) -> tuple[int, list[float], float]:
        m = market_split(m=3, n=20)
        s = HighsSession(m, SolverOptions(time_limit_s=30, mip_gap=0.0, threads=1))
        s.highs.setOptionValue("mip_max_nodes", 200)
        calls = [0]
        inner = s._interrupt_if_asked

        def counted(event) -> None:
            calls[0] += 1
            inner(event)

        for hook in s._hooks:  # the counting callback in place of the session's
            hook.unsubscribe(inner)
            hook.subscribe(counted)
        s._arm(on)
        s._arm = lambda _on: None  # keep the switch as set for this solve
        s.solve()
        return calls[0], [pyo.value(m.x[j]) for j in range(20)], pyo.value(m.obj)

    on_calls, on_x, on_obj = solve(True)
    off_calls, off_x, off_obj = solve(False)
    assert on_calls > 100 and off_calls == 0
    assert on_x == off_x and on_obj == off_obj


def test_a_new_session_runs_without_its_interrupt_callback(monkeypatch) -> None:
    """A session as made (no stop asked) solves a search of many nodes without one call
    of its interrupt callback."""
    from tests.planning.test_solver_interrupt import market_split

    calls = [0]
    inner = HighsSession._interrupt_if_asked

    def counted(self, event) -> None:
        calls[0] += 1
        inner(self, event)

    monkeypatch.setattr(HighsSession, "_interrupt_if_asked", counted)
    s = HighsSession(market_split(m=3, n=20), SolverOptions(time_limit_s=30, mip_gap=0.0,
                                                            threads=1))
    s.highs.setOptionValue("mip_max_nodes", 200)
    s.solve()
    assert calls[0] == 0
