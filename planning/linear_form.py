"""A linear Pyomo model as arrays: the hand-off to HiGHS in one call.

``compile_linear(model)`` reads each active constraint once — a row that is one
LinearExpression directly (:func:`plain_terms`, what planning.mix_model builds), any other
with Pyomo's own linear walker (pyomo.repn.linear.LinearRepnVisitor, the core of Pyomo's
matrix writers), both giving the walker's terms — and returns the constraint matrix row
by row (CSR), the row bounds with every body constant moved into them, the objective's
costs and constant, and the column ↔ variable map. The Pyomo model stays the definition
of the model; these arrays are what HiGHS receives (``highspy.Highs.passModel``), instead
of one Python call per constraint and variable through the persistent interface
(docs/performance.md, "The mix stage"; "The mix models' builds").

Conventions (those of Pyomo's persistent HiGHS interface, so both hand the same model):
- columns: every variable of the model, in the order of first appearance in the
  constraints, then in the objective, then the rest in declaration order (the persistent
  interface's order: HiGHS receives the very same model, and takes the same path); a
  fixed variable stays a column with both bounds at its value (so unfixing it later is a
  bound change, not a new matrix);
- rows: every active constraint with a bound, in declaration order, one row each
  (an equality has lower = upper; a ranged constraint keeps both bounds in one row);
- the objective: the single active objective, its sense kept (HiGHS reports the
  objective and bound in the model's own sense, constant included).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC
from pyomo.common.numeric_types import native_numeric_types, native_types
from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression
from pyomo.repn.linear import LinearRepnVisitor

INF = highspy.kHighsInf


@dataclass
class LinearForm:
    """min/max cost·x + offset  s.t.  row_lower ≤ A·x ≤ row_upper, bounds on x.

    A is row-wise (CSR: ``start``, ``index``, ``value``); ``columns[j]`` is the Pyomo
    variable of column j, ``rows[i]`` the constraint of row i."""

    columns: list  # VarData per column
    col_of: dict[int, int]  # id(VarData) → column
    rows: list  # ConstraintData per row
    row_of: dict[int, int]  # id(ConstraintData) → row
    start: np.ndarray  # (rows + 1,) int32
    index: np.ndarray  # (nnz,) int32
    value: np.ndarray  # (nnz,) float64
    row_lower: np.ndarray
    row_upper: np.ndarray
    cost: np.ndarray  # (columns,)
    offset: float
    maximize: bool

    @property
    def n_cols(self) -> int:
        return len(self.columns)

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    def dense(self) -> np.ndarray:
        """A as a dense array (tests and small models only)."""
        a = np.zeros((self.n_rows, self.n_cols))
        for i in range(self.n_rows):
            s, e = self.start[i], self.start[i + 1]
            a[i, self.index[s:e]] = self.value[s:e]
        return a

    def columns_of(self, variables: list) -> np.ndarray:
        """The columns of ``variables`` (VarData), as an int32 array."""
        col = self.col_of
        return np.fromiter((col[id(v)] for v in variables), dtype=np.int32,
                           count=len(variables))

    def to_highs(self, state: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
                 ) -> highspy.HighsLp:
        """The HiGHS model: matrix, row bounds, costs, and the columns' current bounds
        and integrality read from the variables (``state``: :func:`column_state` of the
        columns, when the caller has it already)."""
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = self.n_cols, self.n_rows
        lp.col_cost_ = self.cost
        lp.offset_ = self.offset
        lp.sense_ = highspy.ObjSense.kMaximize if self.maximize else highspy.ObjSense.kMinimize
        lower, upper, integer = state or column_state(self.columns)
        lp.col_lower_, lp.col_upper_ = lower, upper
        lp.row_lower_, lp.row_upper_ = self.row_lower, self.row_upper
        # row-wise, as the persistent interface leaves it (HiGHS: the same model)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = self.n_cols, self.n_rows
        lp.a_matrix_.start_ = self.start
        lp.a_matrix_.index_ = self.index
        lp.a_matrix_.value_ = self.value
        if integer.any():
            lp.integrality_ = integrality(integer)
        return lp


def integrality(integer: np.ndarray) -> list:
    """HiGHS variable types from a boolean 'is integer' array."""
    kinds = (highspy.HighsVarType.kContinuous, highspy.HighsVarType.kInteger)
    return [kinds[int(b)] for b in integer.tolist()]


def column_state(variables: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(lower, upper, is integer) of ``variables`` as HiGHS sees them: the domain and
    bounds together (Var.bounds), ±inf for none, both at the value when fixed.

    Var.bounds and Var.is_integer ask the domain each time; here each domain is asked
    once, and a variable's own bounds, when plain finite numbers or None, are put
    together with the domain's as Var.bounds puts them (the tighter: max of the lower
    ones, min of the upper ones, the variable's own first); any other bound goes
    through Var.bounds itself."""
    n = len(variables)
    lower = np.empty(n)
    upper = np.empty(n)
    integer = np.zeros(n, dtype=bool)
    domains: dict[int, tuple] = {}  # id(domain) → (its lower, its upper, integer)
    numbers = native_numeric_types
    for j, v in enumerate(variables):
        domain = v.domain
        kind = domains.get(id(domain))
        if kind is None:
            kind = domains[id(domain)] = (*domain.bounds(), v.is_integer())
        d_lb, d_ub, integer[j] = kind
        if v.fixed:
            lower[j] = upper[j] = v.value
            continue
        lb, ub = v._lb, v._ub
        if ((lb is None or (lb.__class__ in numbers and lb - lb == 0))
                and (ub is None or (ub.__class__ in numbers and ub - ub == 0))):
            lb = d_lb if lb is None else lb if d_lb is None else max(lb, d_lb)
            ub = d_ub if ub is None else ub if d_ub is None else min(ub, d_ub)
        else:
            lb, ub = v.bounds  # a Param, an expression, an infinity: Pyomo's own reading
        lower[j] = -INF if lb is None else lb
        upper[j] = INF if ub is None else ub
    return lower, upper, integer


def compile_linear(model: pyo.ConcreteModel) -> LinearForm:
    """The model as arrays (see the module docstring). Raises ValueError for a nonlinear
    term or anything but one active objective."""
    # the walk makes and drops many small objects: the collector would scan the whole
    # model's objects again and again (Pyomo's own writers pause it the same way)
    with PauseGC():
        return _compile(model)


def _compile(model: pyo.ConcreteModel) -> LinearForm:
    declared = list(model.component_data_objects(pyo.Var, descend_into=True))
    by_id = {id(v): v for v in declared}
    fixed = [v for v in declared if v.fixed]
    for v in fixed:  # the walker folds fixed variables into constants: keep them columns
        v.unfix()
    try:
        walker = LinearRepnVisitor({})
        form = _compile_by_arrays(model, walker, by_id)
        if form is None:
            form = _compile_by_dict(model, walker)
        objectives = list(model.component_data_objects(pyo.Objective, active=True,
                                                       descend_into=True))
        if len(objectives) != 1:
            raise ValueError(f"the model has {len(objectives)} active objectives, not one")
        obj = objectives[0]
        col_of = form.col_of
        linear, form.offset = terms_of(obj.expr, walker, "objective", obj)
        costs = [(col_of.setdefault(vid, len(col_of)), coef)
                 for vid, coef in linear.items()]
        for v in declared:
            col_of.setdefault(id(v), len(col_of))
        form.columns = [by_id[vid] for vid in col_of]
        form.cost = cost = np.zeros(len(form.columns))
        for j, coef in costs:
            cost[j] += coef
        form.maximize = obj.sense == pyo.maximize
    finally:
        for v in fixed:
            v.fix()
    return form


def _rows(model: pyo.ConcreteModel) -> Iterator[tuple[object, object, object, object]]:
    """(constraint, lower, body, upper) of every active constraint with a bound."""
    for con in model.component_data_objects(pyo.Constraint, active=True, descend_into=True):
        lb, body, ub = con.to_bounded_expression(evaluate_bounds=True)
        if lb is not None or ub is not None:
            yield con, lb, body, ub


def _form(rows: list, start: np.ndarray, index: np.ndarray, value: list, lower: list,
          upper: list, col_of: dict[int, int]) -> LinearForm:
    """The rows' part of a LinearForm (columns, costs and sense filled in after)."""
    return LinearForm(
        columns=[], col_of=col_of, rows=rows,
        row_of={id(c): i for i, c in enumerate(rows)},
        start=np.asarray(start, dtype=np.int32),
        index=np.asarray(index, dtype=np.int32),
        value=np.asarray(value, dtype=np.float64),
        row_lower=np.asarray(lower, dtype=np.float64),
        row_upper=np.asarray(upper, dtype=np.float64),
        cost=np.zeros(0), offset=0.0, maximize=False)


def _compile_by_dict(model: pyo.ConcreteModel, walker: LinearRepnVisitor) -> LinearForm:
    """The rows one by one: each row's terms as the walker gives them (:func:`terms_of`),
    each variable's column at its first appearance."""
    col_of: dict[int, int] = {}  # filled in order of first appearance
    rows, start, index, value, lower, upper = [], [0], [], [], [], []
    for con, lb, body, ub in _rows(model):
        linear, const = terms_of(body, walker, "constraint", con)
        for vid, coef in linear.items():
            if coef:
                index.append(col_of.setdefault(vid, len(col_of)))
                value.append(coef)
        start.append(len(index))
        rows.append(con)
        lower.append(-INF if lb is None else float(lb) - const)
        upper.append(INF if ub is None else float(ub) - const)
    return _form(rows, start, index, value, lower, upper, col_of)


def _compile_by_arrays(model: pyo.ConcreteModel, walker: LinearRepnVisitor,
                       by_id: dict[int, object]) -> LinearForm | None:
    """The same rows and columns as :func:`_compile_by_dict`, the columns numbered by
    numpy: each plain row's terms (:func:`plain_terms`, zero coefficients dropped) listed
    flat, other rows' as the walker merges them; a variable's column is the rank of its
    first term. Equal to the walker's rows where no plain row names a variable twice
    (the walker adds such coefficients: None then, and the rows go one by one) and
    every variable is the model's own (not fixed while compiling)."""
    rows, counts, vids, coefs, lower, upper = [], [], [], [], [], []
    for con, lb, body, ub in _rows(model):
        before = len(vids)
        const = plain_terms(body, vids, coefs)
        if const is None:
            linear, const = terms_of(body, walker, "constraint", con)
            for vid, coef in linear.items():
                if coef:
                    vids.append(vid)
                    coefs.append(coef)
        counts.append(len(vids) - before)
        rows.append(con)
        lower.append(-INF if lb is None else float(lb) - const)
        upper.append(INF if ub is None else float(ub) - const)
    vid = np.asarray(vids, dtype=np.int64)
    n_rows = len(rows)
    row = np.repeat(np.arange(n_rows), counts)
    by_row = np.lexsort((vid, row))  # a variable twice in a row: adjacent here
    if np.any((np.diff(row[by_row]) == 0) & (np.diff(vid[by_row]) == 0)):
        return None
    seen, first, term_of = np.unique(vid, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")  # columns in order of first appearance
    col = np.empty(seen.size, dtype=np.int64)
    col[order] = np.arange(seen.size)
    ids = seen[order].tolist()
    if not by_id.keys() >= set(ids):
        return None  # a variable from elsewhere (perhaps fixed): the walker's
    start = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(counts, out=start[1:])
    return _form(rows, start, col[term_of.ravel()], coefs, lower, upper,
                 dict(zip(ids, range(len(ids)), strict=True)))


def plain_terms(body: object, vids: list[int], coefs: list) -> float | None:
    """Append the terms of ``body`` with a nonzero coefficient to ``vids`` (id of the
    variable) and ``coefs`` in their order, and return its constant — when ``body`` is
    one LinearExpression of numbers, variables and monomials with a number for
    coefficient (what planning.mix_model builds); else None, nothing appended. Repeated
    variables are not merged (the caller checks)."""
    if body.__class__ is not LinearExpression:
        return None
    before = len(vids)
    const = 0
    add_vid, add_coef, monomial = vids.append, coefs.append, MonomialTermExpression
    for arg in body.args:
        cls = arg.__class__
        if cls is monomial:
            coef, var = arg._args_
            if coef.__class__ not in native_types:
                break
            if coef:
                add_vid(id(var))
                add_coef(coef)
        elif cls in native_numeric_types:
            const += arg
        elif arg.is_variable_type():
            add_vid(id(arg))
            add_coef(1)
        else:
            break
    else:
        return float(0 + const)
    del vids[before:], coefs[before:]
    return None


def terms_of(body: object, walker: LinearRepnVisitor, kind: str, owner: object
             ) -> tuple[dict, float]:
    """The linear terms of ``body`` (id(variable) → coefficient, in order of first
    appearance, zero sums dropped) and its constant, as Pyomo's linear walker gives them
    (LinearRepnVisitor: ``repn.linear``, ``float(repn.constant)``); ``kind`` and
    ``owner`` (the constraint or objective) name the error of a nonlinear body.

    A body that is one LinearExpression of numbers, variables and monomials with a number
    for coefficient (what planning.mix_model builds) is read here directly, as the
    walker's own shortcut for LinearExpression reads it (record_monomial: a repeated
    variable's coefficients added in order, a first zero coefficient not recorded, the
    constant summed from 0; zero sums filtered after) — without the walker's dispatch
    per row. Anything else goes through the walker (every variable is unfixed while
    compiling, so no term folds into the constant either way)."""
    if body.__class__ is LinearExpression:
        linear: dict[int, object] = {}
        const = 0
        for arg in body.args:
            cls = arg.__class__
            if cls is MonomialTermExpression:
                coef, var = arg._args_
                if coef.__class__ not in native_types:
                    break  # a Param or an expression as coefficient: the walker's
            elif cls in native_numeric_types:
                const += arg
                continue
            elif arg.is_variable_type():
                coef, var = 1, arg
            else:
                break
            if var.fixed:
                break  # folded into the constant by the walker (not while compiling)
            vid = id(var)
            if vid in linear:
                linear[vid] += coef
            elif coef:
                linear[vid] = coef
        else:
            for vid in [vid for vid, c in linear.items() if not c]:
                del linear[vid]
            return linear, float(0 + const)
    repn = walker.walk_expression(body)
    if repn.nonlinear is not None:
        raise ValueError(f"{kind} {owner.name} is not linear")
    return repn.linear, float(repn.constant)
