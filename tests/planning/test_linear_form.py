"""The hand-off of a Pyomo model to HiGHS as arrays (planning/linear_form.py,
planning/solver.py HighsSession).

References, independent of the code under test:
- the matrix: Pyomo's older standard representation (pyomo.repn.standard_repn
  ``generate_standard_repn``, another walker than the one compiled with), constraint by
  constraint: coefficients, body constant moved into the bounds, the bounds themselves;
- the optimum: brute-force enumeration of every integer point of small pure-integer
  models, and Pyomo's persistent HiGHS interface (appsi, the replaced hand-off: one Python
  call per constraint) on random mixed-integer models.
"""

from __future__ import annotations

import itertools

import numpy as np
import pyomo.environ as pyo
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyomo.contrib.appsi.solvers.highs import Highs
from pyomo.repn.standard_repn import generate_standard_repn

from planning.linear_form import compile_linear
from planning.mix_inputs import SolverOptions
from planning.solver import HighsSession, PlanInfeasible

EXACT = SolverOptions(time_limit_s=30, mip_gap=0.0, threads=1)


def awkward() -> pyo.ConcreteModel:
    """Everything a hand-off can get wrong: constants on both sides of a constraint, a
    ranged row, equalities (one written backwards), a fixed variable, a variable in no
    constraint, a variable whose terms cancel, a Binary, an objective constant,
    maximisation, a deactivated row, an indexed family."""
    m = pyo.ConcreteModel()
    m.x = pyo.Var(range(3), domain=pyo.NonNegativeIntegers, bounds=(0, 7))
    m.y = pyo.Var(bounds=(-2, 5))
    m.f = pyo.Var(bounds=(0, 10))
    m.f.fix(3.0)
    m.idle = pyo.Var(bounds=(1, 4))
    m.b = pyo.Var(domain=pyo.Binary)
    m.c1 = pyo.Constraint(expr=3 + m.x[0] + 2 * m.x[1] - m.x[0] >= 1 + m.y - 4 * m.b)
    m.c2 = pyo.Constraint(expr=pyo.inequality(1.5, m.x[0] + m.f + 0.5 * m.y, 9))
    m.c3 = pyo.Constraint(expr=2 * m.x[2] + 1 == m.x[1] - m.y)
    m.c4 = pyo.Constraint(expr=4 == m.x[0] + m.x[2] + m.b)
    m.gone = pyo.Constraint(expr=m.x[0] >= 100)
    m.gone.deactivate()
    m.fam = pyo.Constraint(range(2), rule=lambda m, i: m.x[i] - m.f * (i + 1) <= 2 * i + 1)
    m.obj = pyo.Objective(expr=7 + 3 * m.x[0] + 2 * m.x[1] - m.y + m.x[2] + 5 * m.b + 2 * m.f,
                          sense=pyo.maximize)
    return m


def test_matrix_row_by_row_equals_pyomo_standard_repn() -> None:
    m = awkward()
    form = compile_linear(m)
    a = form.dense()
    # every variable once; first those of the rows in order of first appearance (c1's
    # x[1], y, b come first: x[0] cancels), the idle one last
    assert sorted(v.name for v in form.columns) == sorted(
        v.name for v in m.component_data_objects(pyo.Var))
    assert [v.name for v in form.columns[:3]] == ["y", "b", "x[1]"] or [
        v.name for v in form.columns[:3]] == ["x[1]", "y", "b"]
    assert form.columns[-1] is m.idle
    assert m.f.fixed  # the compile leaves fixing as it found it
    active = list(m.component_data_objects(pyo.Constraint, active=True))
    assert form.rows == active and m.gone not in form.rows
    col = {id(v): j for j, v in enumerate(form.columns)}
    for i, con in enumerate(active):
        m.f.unfix()  # the reference sees f as a variable too (it stays a column)
        repn = generate_standard_repn(con.body, compute_values=True)
        m.f.fix()
        assert repn.is_linear()
        ref = np.zeros(form.n_cols)
        for v, c in zip(repn.linear_vars, repn.linear_coefs, strict=True):
            ref[col[id(v)]] += c
        assert a[i] == pytest.approx(ref, abs=1e-12), con.name
        lo = -np.inf if con.lower is None else pyo.value(con.lower) - repn.constant
        hi = np.inf if con.upper is None else pyo.value(con.upper) - repn.constant
        assert (form.row_lower[i], form.row_upper[i]) == pytest.approx((lo, hi)), con.name
    obj = generate_standard_repn(m.obj.expr, compute_values=False)
    ref = np.zeros(form.n_cols)
    for v, c in zip(obj.linear_vars, obj.linear_coefs, strict=True):
        ref[col[id(v)]] += c
    m.f.unfix()
    obj_f = generate_standard_repn(m.obj.expr, compute_values=True)
    m.f.fix()
    assert form.cost == pytest.approx(ref + 2.0 * (np.arange(form.n_cols) == col[id(m.f)]))
    assert form.offset == pytest.approx(obj_f.constant) and form.maximize
    lp = form.to_highs()
    j_f, j_idle = col[id(m.f)], col[id(m.idle)]
    assert lp.col_lower_[j_f] == lp.col_upper_[j_f] == 3.0  # fixed: both bounds at its value
    assert (lp.col_lower_[j_idle], lp.col_upper_[j_idle]) == (1.0, 4.0)
    assert a[:, j_idle].tolist() == [0.0] * form.n_rows


def brute_force(m: pyo.ConcreteModel) -> float | None:
    """The optimum of a small pure-integer model by trying every point (None: infeasible)."""
    vs = list(m.component_data_objects(pyo.Var))
    best = None
    sense = 1.0 if m.obj.sense == pyo.minimize else -1.0
    for point in itertools.product(*[range(int(v.lb), int(v.ub) + 1) for v in vs]):
        for v, x in zip(vs, point, strict=True):
            v.set_value(x)
        ok = all((c.lower is None or pyo.value(c.body) >= pyo.value(c.lower) - 1e-9)
                 and (c.upper is None or pyo.value(c.body) <= pyo.value(c.upper) + 1e-9)
                 for c in m.component_data_objects(pyo.Constraint, active=True))
        if ok:
            val = pyo.value(m.obj)
            best = val if best is None or sense * val < sense * best else best
    return best


def random_model(seed: int, integer_only: bool) -> pyo.ConcreteModel:
    """A random small MILP with constants in bodies, ranged and equality rows."""
    rng = np.random.default_rng(seed)
    n, k = 4, 3
    m = pyo.ConcreteModel()
    m.x = pyo.Var(range(n), domain=pyo.Integers, bounds=lambda m, j: (int(rng.integers(-2, 1)),
                                                                     int(rng.integers(1, 4))))
    if not integer_only:
        m.y = pyo.Var(range(2), bounds=(-3, 6))
    a = rng.integers(-4, 5, size=(k, n))
    a[np.arange(k), np.arange(k) % n] = rng.choice([-3, -1, 1, 2], size=k)  # a var a row
    const = rng.integers(-3, 4, size=k)
    rhs = rng.integers(-2, 6, size=k)

    def body(m: pyo.ConcreteModel, i: int) -> object:
        e = sum(int(a[i, j]) * m.x[j] for j in range(n)) + int(const[i])
        if not integer_only:
            e = e + float(rng.uniform(-2, 2)) * m.y[i % 2]
        return e

    kinds = rng.integers(0, 4, size=k)
    m.c = pyo.Constraint(range(k), rule=lambda m, i: (
        body(m, i) <= int(rhs[i]) if kinds[i] == 0 else
        body(m, i) >= -int(rhs[i]) if kinds[i] == 1 else
        pyo.inequality(-abs(int(rhs[i])) - 2, body(m, i), abs(int(rhs[i])) + 1) if kinds[i] == 2
        else
        body(m, i) == int(rhs[i]) % 3))
    cost = rng.integers(-5, 6, size=n)
    expr = 2.5 + sum(int(cost[j]) * m.x[j] for j in range(n))
    if not integer_only:
        expr = expr + sum(float(rng.uniform(-1, 1)) * m.y[j] for j in range(2))
    m.obj = pyo.Objective(expr=expr, sense=pyo.minimize if seed % 2 else pyo.maximize)
    return m


@settings(max_examples=40, deadline=None, derandomize=True)
@given(seed=st.integers(0, 10_000))
def test_random_integer_models_reach_the_brute_force_optimum(seed: int) -> None:
    m = random_model(seed, integer_only=True)
    ref = brute_force(m)
    session = HighsSession(m, EXACT)
    if ref is None:
        with pytest.raises(PlanInfeasible):
            session.solve()
        return
    out = session.solve()
    assert out.status == "optimal"
    assert out.objective == pytest.approx(ref, abs=1e-6)
    assert pyo.value(m.obj) == pytest.approx(ref, abs=1e-6)  # the values read back agree


@settings(max_examples=30, deadline=None, derandomize=True)
@given(seed=st.integers(0, 10_000))
def test_random_mixed_models_agree_with_the_persistent_interface(seed: int) -> None:
    m = random_model(seed, integer_only=False)
    opt = Highs()
    opt.config.load_solution = False
    opt.config.mip_gap = 0.0
    res = opt.solve(m)
    ref = res.best_feasible_objective
    session = HighsSession(m, EXACT)
    if ref is None:
        with pytest.raises(PlanInfeasible):
            session.solve()
        return
    out = session.solve()
    assert out.objective == pytest.approx(ref, rel=1e-7, abs=1e-6)
    assert pyo.value(m.obj) == pytest.approx(ref, rel=1e-7, abs=1e-6)
    assert session.objective_of_values() == pytest.approx(pyo.value(m.obj), rel=1e-12,
                                                          abs=1e-9)


def test_fixed_variable_and_bulk_changes_in_place() -> None:
    # by hand: max 7 + 3x0 + 2x1 − y + x2 + 5b + 2f over the awkward model, then with its
    # fixed variable moved, unfixed, and an integer relaxed — against a fresh hand-off of
    # the model as it stands after each change
    m = awkward()
    s = HighsSession(m, EXACT)
    first = s.solve().objective
    assert first == pytest.approx(HighsSession(awkward(), EXACT).solve().objective)
    changes = [lambda: m.f.fix(1.0), lambda: m.f.unfix(),
               lambda: setattr(m.x[1], "domain", pyo.NonNegativeReals)]
    for change in changes:
        change()
        s.update_vars([m.f, m.x[1]])
        got = s.solve().objective
        assert got == pytest.approx(HighsSession(m, EXACT).solve().objective, abs=1e-9)


def test_reduced_costs_of_an_lp_by_hand() -> None:
    # min 2a + 3b s.t. a + b ≥ 4, a ≤ 3 (a, b ≥ 0): a = 3, b = 1; the cover row's dual is
    # 3 (b's cost), a's reduced cost 2 − 3 = −1 (its upper bound binds), b's 0
    m = pyo.ConcreteModel()
    m.a = pyo.Var(bounds=(0, 3))
    m.b = pyo.Var(bounds=(0, None))
    m.cover = pyo.Constraint(expr=m.a + m.b >= 4)
    m.obj = pyo.Objective(expr=2 * m.a + 3 * m.b)
    s = HighsSession(m, EXACT)
    assert s.solve().objective == pytest.approx(9.0)
    rc = s.reduced_costs([m.a, m.b])
    assert rc[id(m.a)] == pytest.approx(-1.0) and rc[id(m.b)] == pytest.approx(0.0)


def highs_arrays(h) -> dict[str, np.ndarray]:  # noqa: ANN001
    """A HiGHS instance's model as dense arrays (matrix in either storage)."""
    lp = h.getLp()
    mat = lp.a_matrix_
    a = np.zeros((lp.num_row_, lp.num_col_))
    start, index, value = (np.asarray(mat.start_), np.asarray(mat.index_),
                           np.asarray(mat.value_))
    colwise = str(mat.format_).endswith("kColwise")
    for k in range(start.size - 1):
        for p in range(start[k], start[k + 1]):
            a[(index[p], k) if colwise else (k, index[p])] = value[p]
    out = {k: np.asarray(getattr(lp, k), dtype=float) for k in (
        "col_cost_", "col_lower_", "col_upper_", "row_lower_", "row_upper_")}
    out["integrality_"] = np.array([int(x) for x in lp.integrality_])
    return {**out, "a": a, "offset": np.array([lp.offset_])}


def test_a_mix_model_reaches_highs_exactly_as_through_the_persistent_interface() -> None:
    # the replaced hand-off (appsi set_instance) is the reference: HiGHS must receive the
    # very same model — columns and rows in the same order — so it takes the same path
    from dataclasses import replace

    from planning.mix_model import build_model
    from tests.planning.test_mix_solve import day_case, random_req

    inp = day_case(random_req(4, 3, days=2), headcount=10)
    inp = replace(inp, chance_min_share=0.6, cases=tuple(
        replace(c, in_house=0.5 * c.requirement, volume=40.0 * c.requirement)
        for c in inp.cases))  # the in-house row, chance links, monotone recourse rows
    m = build_model(inp)
    assert all(hasattr(m, k) for k in ("in_house_steps", "chance_link", "u_monotone"))
    opt = Highs()
    opt.set_instance(m)
    ref = highs_arrays(opt._solver_model)
    got = highs_arrays(HighsSession(m, EXACT).highs)
    assert ref.keys() == got.keys()
    for k in ref:
        assert np.array_equal(ref[k], got[k]), k
