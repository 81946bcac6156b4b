"""A linear Pyomo model as arrays: the hand-off to HiGHS in one call.

``compile_linear(model)`` walks each active constraint once with Pyomo's own linear
walker (pyomo.repn.linear.LinearRepnVisitor, the core of Pyomo's matrix writers) and
returns the constraint matrix row by row (CSR), the row bounds with every body constant
moved into them, the objective's costs and constant, and the column ↔ variable map. The
Pyomo model stays the definition of the model; these arrays are what HiGHS receives
(``highspy.Highs.passModel``), instead of one Python call per constraint and variable
through the persistent interface (docs/performance.md, "The mix stage").

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

from dataclasses import dataclass

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC
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

    def to_highs(self) -> highspy.HighsLp:
        """The HiGHS model: matrix, row bounds, costs, and the columns' current bounds
        and integrality read from the variables."""
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = self.n_cols, self.n_rows
        lp.col_cost_ = self.cost
        lp.offset_ = self.offset
        lp.sense_ = highspy.ObjSense.kMaximize if self.maximize else highspy.ObjSense.kMinimize
        lower, upper, integer = column_state(self.columns)
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
    bounds together (Var.bounds), ±inf for none, both at the value when fixed."""
    n = len(variables)
    lower = np.empty(n)
    upper = np.empty(n)
    integer = np.zeros(n, dtype=bool)
    for j, v in enumerate(variables):
        if v.fixed:
            lower[j] = upper[j] = v.value
        else:
            lb, ub = v.bounds  # domain and bounds together, one call
            lower[j] = -INF if lb is None else lb
            upper[j] = INF if ub is None else ub
        integer[j] = v.is_integer()
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
    col_of: dict[int, int] = {}  # filled in order of first appearance
    fixed = [v for v in declared if v.fixed]
    for v in fixed:  # the walker folds fixed variables into constants: keep them columns
        v.unfix()
    try:
        walker = LinearRepnVisitor({})
        rows, start, index, value, lower, upper = [], [0], [], [], [], []
        for con in model.component_data_objects(pyo.Constraint, active=True,
                                                descend_into=True):
            lb, body, ub = con.to_bounded_expression(evaluate_bounds=True)
            if lb is None and ub is None:
                continue
            repn = walker.walk_expression(body)
            if repn.nonlinear is not None:
                raise ValueError(f"constraint {con.name} is not linear")
            const = float(repn.constant)
            for vid, coef in repn.linear.items():
                if coef:
                    index.append(col_of.setdefault(vid, len(col_of)))
                    value.append(coef)
            start.append(len(index))
            rows.append(con)
            lower.append(-INF if lb is None else float(lb) - const)
            upper.append(INF if ub is None else float(ub) - const)
        objectives = list(model.component_data_objects(pyo.Objective, active=True,
                                                       descend_into=True))
        if len(objectives) != 1:
            raise ValueError(f"the model has {len(objectives)} active objectives, not one")
        obj = objectives[0]
        repn = walker.walk_expression(obj.expr)
        if repn.nonlinear is not None:
            raise ValueError(f"objective {obj.name} is not linear")
        costs = [(col_of.setdefault(vid, len(col_of)), coef)
                 for vid, coef in repn.linear.items()]
        offset = float(repn.constant)
        for v in declared:
            col_of.setdefault(id(v), len(col_of))
        columns = [by_id[vid] for vid in col_of]
        cost = np.zeros(len(columns))
        for j, coef in costs:
            cost[j] += coef
    finally:
        for v in fixed:
            v.fix()
    return LinearForm(
        columns=columns, col_of=col_of, rows=rows,
        row_of={id(c): i for i, c in enumerate(rows)},
        start=np.asarray(start, dtype=np.int32),
        index=np.asarray(index, dtype=np.int32),
        value=np.asarray(value, dtype=np.float64),
        row_lower=np.asarray(lower, dtype=np.float64),
        row_upper=np.asarray(upper, dtype=np.float64),
        cost=cost, offset=offset, maximize=obj.sense == pyo.maximize)
