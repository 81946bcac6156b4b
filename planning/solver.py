"""HiGHS for a Pyomo model: hand-off once as arrays, solve, re-solve in place.

The model is compiled once to a matrix (planning.linear_form: one pass over the rows)
and handed to HiGHS in one call; later variants (a pool switched off, one more agent,
the LP relaxation) change bounds and integrality of columns in bulk, and a new
requirement changes row bounds in place, instead of rebuilding. Solutions come back to
the Pyomo variables in one pass. HiGHS's termination states become domain errors here —
callers never see a solver status code.
"""

from __future__ import annotations

import io
import signal
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.common.tee import capture_output

from planning.linear_form import LinearForm, column_state, compile_linear, integrality
from planning.mix_inputs import SolverOptions

T = TypeVar("T")
Status = highspy.HighsModelStatus

WAIT_SLICE_S = 0.05   # how often the main thread looks up from waiting for HiGHS
STOP_WAIT_S = 30.0    # the longest wait for HiGHS to honour an interrupt request
# HiGHS stopped early (time, iterations, the objective target, our interrupt): a plan
# if it found one
_STOPPED = {Status.kTimeLimit, Status.kIterationLimit, Status.kObjectiveBound,
            Status.kObjectiveTarget, Status.kInterrupt,
            getattr(Status, "kSolutionLimit", Status.kIterationLimit)}


#: a run that used this share of its time budget or more counts as stopped on the clock
CLOCK_SHARE = 0.99


class PlanError(Exception):
    """The plan could not be made; ``str(exc)`` is a plain explanation for a planner."""


class PlanInfeasible(PlanError):
    """No plan meets the hard constraints with the pools' limits."""


class PlanNotFound(PlanError):
    """The time limit passed before any feasible plan was found."""


@dataclass(frozen=True)
class SolveOutcome:
    """What HiGHS reports: 'optimal' (within the gap) or 'time_limit' (best plan so far)."""

    status: str
    objective: float
    bound: float
    gap: float
    solve_s: float


def outcome_status(status: highspy.HighsModelStatus, has_plan: bool) -> str:
    """'optimal' or 'time_limit' for a HiGHS model status; raises PlanInfeasible /
    PlanNotFound / PlanError for the others (``has_plan``: HiGHS holds a feasible
    solution)."""
    if status in (Status.kInfeasible, Status.kUnboundedOrInfeasible):
        raise PlanInfeasible("no plan meets the constraints with the pools' limits")
    if status == Status.kOptimal:
        return "optimal"
    if status in _STOPPED:
        if not has_plan:
            raise PlanNotFound("no feasible plan found within the time limit; allow more "
                               "time (--time-limit or planning.solver.time_limit_s)")
        return "time_limit"
    if status == Status.kUnbounded:
        raise PlanError("the model is unbounded (a cost is negative?)")
    name = str(status).rsplit(".", 1)[-1]
    raise PlanError(f"HiGHS stopped without a plan ({name})")


_banner = {"captured": False}


def _quiet_highs() -> highspy.Highs:
    """A HiGHS instance that prints nothing: its banner (written to the process's stdout
    by the first instance of a process, never again) is captured at the file-descriptor
    level, as Pyomo's persistent interface does, and its log is off."""
    if _banner["captured"]:
        h = highspy.Highs()
    else:
        try:
            with capture_output(io.StringIO(), capture_fd=True):
                h = highspy.Highs()
        except OSError:  # no descriptor to capture at (e.g. a forked background job whose
            # inherited stdout was a test runner's capture file, closed there): as is
            h = highspy.Highs()
        _banner["captured"] = True
    h.setOptionValue("output_flag", False)
    return h


class HighsSession:
    """One Pyomo model handed to one HiGHS instance as arrays; bound, integrality and row
    bound changes re-solve in place."""

    def __init__(self, model: pyo.ConcreteModel, options: SolverOptions) -> None:
        t0 = time.perf_counter()
        self._model = model
        self.form: LinearForm = compile_linear(model)
        state = column_state(self.form.columns)
        self._integer = state[2]  # as handed over (integer_vars)
        self._highs = _quiet_highs()
        status = self._highs.passModel(self.form.to_highs(state))
        if status == highspy.HighsStatus.kError:
            raise PlanError("HiGHS refused the model (passModel)")
        self.handoff_s = time.perf_counter() - t0
        self._gap = float(options.mip_gap)
        self._time_limit = options.time_limit_s
        # a fixed seed: HiGHS's randomised heuristics draw the same numbers every run
        self._options: dict[str, Any] = {"random_seed": 0, "objective_target": -np.inf}
        if options.threads:
            self._options["threads"] = int(options.threads)
        self._start = False
        self._partial: tuple[np.ndarray, np.ndarray] | None = None  # see partial_start
        # whether the last run stopped on the clock (its time limit), not on its gap,
        # objective target or an answer: what it returned depended on the machine's speed
        self.clock_stopped = False
        self._used_budget = False
        self._solution: highspy.HighsSolution | None = None
        self._x = np.zeros(self.form.n_cols)  # the values of the last solve
        self._stop = threading.Event()
        h = self._highs
        for hook in (h.cbSimplexInterrupt, h.cbIpmInterrupt, h.cbMipInterrupt):
            hook.subscribe(self._interrupt_if_asked)

    def _interrupt_if_asked(self, event: Any) -> None:
        """HiGHS's interrupt callback (called often during a solve): stop when asked. The
        flag is set both ways: HiGHS keeps it from one run to the next."""
        event.interrupt(self._stop.is_set())

    def stop_at(self, target: float | None) -> None:
        """Stop the next MIP solves as soon as a plan costing at most ``target`` is found
        (HiGHS's objective_target; None: run to the gap or the time limit). Such a run
        reports 'time_limit' with its bound."""
        # set both ways: HiGHS keeps an option from one run to the next
        self._options["objective_target"] = -np.inf if target is None else float(target)

    def _interruptible(self, run: Callable[[], T]) -> T:
        """``run()`` on a helper thread; a KeyboardInterrupt (Ctrl-C, the CLI's SIGTERM)
        reaching the waiting main thread stops HiGHS and is raised once it has stopped."""
        if threading.current_thread() is not threading.main_thread():
            return run()  # no signal can reach this thread: nothing to watch for
        box: dict[str, Any] = {}
        done = threading.Event()

        def target() -> None:
            try:
                # signals go to the main thread only (HiGHS's threads start from this one)
                signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
                box["value"] = run()
            except BaseException as exc:  # noqa: BLE001 - handed to the main thread
                box["error"] = exc
            finally:  # this thread's HiGHS worker state dies with it (as highspy does)
                highspy.Highs.resetThreadScheduler(False)
                done.set()

        self._stop.clear()
        threading.Thread(target=target, name="highs-solve", daemon=True).start()
        # an Event, not Thread.join: in Python 3.11 a KeyboardInterrupt inside join() marks
        # the thread as finished while it still runs, and the interpreter then exits under
        # a running HiGHS (abort)
        try:
            while not done.wait(WAIT_SLICE_S):
                pass
        except BaseException:
            self._stop.set()
            done.wait(STOP_WAIT_S)
            raise
        if "error" in box:
            raise box["error"]
        return box["value"]

    @property
    def highs(self) -> highspy.Highs:
        """The HiGHS instance itself (basis hand-over between instances)."""
        return self._highs

    @property
    def model(self) -> pyo.ConcreteModel:
        return self._model

    def integer_vars(self) -> list:
        """The model's integer variables (as handed over), in column order."""
        return [v for v, i in zip(self.form.columns, self._integer.tolist(), strict=True)
                if i]

    def update_vars(self, variables: Sequence[Any]) -> None:
        """Push changed bounds / domains / fixing of ``variables`` to HiGHS, in bulk."""
        if not variables:
            return
        cols = self.form.columns_of(list(variables))
        lower, upper, integer = column_state(list(variables))
        h = self._highs
        h.changeColsBounds(cols.size, cols, lower, upper)
        h.changeColsIntegrality(cols.size, cols, np.asarray(integrality(integer)))

    def _rows(self, constraints: Sequence[Any]) -> np.ndarray:
        row = self.form.row_of
        return np.fromiter((row[id(c)] for c in constraints), dtype=np.int32,
                           count=len(constraints))

    def shift_row_bounds(self, constraints: Sequence[Any], shift: np.ndarray) -> None:
        """Move both bounds of the rows of ``constraints`` (ConstraintData, as handed
        over) by ``shift`` — in HiGHS and in :attr:`form`; the Pyomo constraints keep
        their own numbers (see MixSolver.moved_to)."""
        rows = self._rows(constraints)
        form = self.form
        form.row_lower[rows] += shift
        form.row_upper[rows] += shift  # ±inf stays
        self._highs.changeRowsBounds(rows.size, rows, form.row_lower[rows],
                                     form.row_upper[rows])

    def scale_coefficients(self, constraints: Sequence[Any], variables: Sequence[Any],
                           factor: np.ndarray) -> None:
        """Multiply the coefficient of ``variables[k]`` in the row of ``constraints[k]``
        by ``factor[k]`` — in HiGHS and in :attr:`form` (not in the Pyomo constraints)."""
        form, h = self.form, self._highs
        rows, cols = self._rows(constraints), form.columns_of(list(variables))
        for r, c, f in zip(rows.tolist(), cols.tolist(), np.asarray(factor).tolist(),
                           strict=True):
            s, e = form.start[r], form.start[r + 1]
            at = s + int(np.flatnonzero(form.index[s:e] == c)[0])
            form.value[at] *= f
            h.changeCoeff(r, c, float(form.value[at]))

    def set_costs(self, variables: Sequence[Any], cost: np.ndarray) -> None:
        """New objective costs of ``variables`` — in HiGHS and in :attr:`form` (not in the
        Pyomo objective; see MixSolver.moved_to)."""
        cols = self.form.columns_of(list(variables))
        cost = np.asarray(cost, dtype=np.float64)
        self.form.cost[cols] = cost
        self._highs.changeColsCost(cols.size, cols, cost)

    def shift_offset(self, delta: float) -> None:
        """Add ``delta`` to the objective's constant — in HiGHS and in :attr:`form`."""
        self.form.offset += float(delta)
        self._highs.changeObjectiveOffset(self.form.offset)

    def use_start(self, on: bool) -> None:
        """Give HiGHS the variables' current values as its MIP start on the next solves."""
        self._start = on

    def partial_start(self, variables: Sequence[Any] | None,
                      values: np.ndarray | None = None) -> None:
        """Give HiGHS ``values`` of ``variables`` alone as its MIP start on the next solves
        (HiGHS completes the other columns itself, a small search of its own; None: no
        such start). A full start (:meth:`use_start`) takes precedence."""
        if variables is None:
            self._partial = None
            return
        self._partial = (self.form.columns_of(list(variables)).astype(np.int32),
                         np.asarray(values, dtype=np.float64))

    def clear_start(self) -> None:
        """Forget any stored solution / MIP start (HiGHS keeps them between runs)."""
        self._start = False
        self._highs.clearSolver()

    def set_time_limit(self, seconds: float) -> None:
        self._time_limit = seconds

    def set_gap(self, gap: float) -> None:
        """The relative MIP gap at which HiGHS stops the next solves."""
        self._gap = float(gap)

    def set_lp_method(self, method: str) -> None:
        """How HiGHS solves the next LPs: 'choose' (its default: simplex), 'simplex' or
        'ipm' (interior point, then crossover to a basis)."""
        self._options["solver"] = method

    def reduced_costs(self, variables: list[pyo.Var]) -> dict[int, float]:
        """Reduced costs after an LP solve, keyed by id(var)."""
        if self._solution is None or not self._solution.dual_valid:
            raise PlanError("no reduced costs: the last solve gave no LP duals")
        dual = np.asarray(self._solution.col_dual)
        cols = self.form.columns_of(list(variables))
        return {id(v): float(dual[j]) for v, j in zip(variables, cols.tolist(), strict=True)}

    def set_bounds(self, changes: list[tuple[pyo.Var, float | None, float | None]]) -> None:
        """Change variable bounds (lb, ub) in the model and in HiGHS."""
        for var, lb, ub in changes:
            var.setlb(lb)
            var.setub(ub)
        self.update_vars([v for v, _, _ in changes])

    def _give_start(self) -> None:
        """The variables' current values as HiGHS's start (a variable without a value
        counts as 0), as Pyomo's persistent interface gives them."""
        cols = self.form.columns
        if all(v.value is None for v in cols):
            return
        start = highspy.HighsSolution()
        start.col_value = np.fromiter((0.0 if v.value is None else v.value for v in cols),
                                      dtype=np.float64, count=len(cols))
        start.value_valid = True
        start.dual_valid = False
        self._highs.setSolution(start)

    def solve(self) -> SolveOutcome:
        """Run HiGHS; raise PlanInfeasible / PlanNotFound / PlanError on failure. The
        plan's values go to the Pyomo variables."""
        h = self._highs
        # HiGHS keeps one thread pool per process and refuses a run whose 'threads' option
        # differs from it: reset the pool so every session gets its own setting.
        highspy.Highs.resetGlobalScheduler(True)
        # HiGHS checks 'time_limit' against its run clock, which keeps running over every
        # run of this instance: the limit of this run is the clock now + the budget.
        clock = float(h.getRunTime())
        for key, val in {**self._options, "mip_rel_gap": self._gap,
                         "time_limit": clock + self._time_limit}.items():
            h.setOptionValue(key, val)
        if self._start:
            self._give_start()
        elif self._partial is not None:
            cols, vals = self._partial
            h.setSolution(cols.size, cols, vals)
        t0 = time.perf_counter()
        self._interruptible(h.run)
        solve_s = time.perf_counter() - t0
        # a run that used its whole budget ran into the clock even when HiGHS reports
        # another status: its sub-MIP heuristics get the time left as their own limit
        # (HighsPrimalHeuristics::solveSubMip), and one stopped there may still hand over
        # a plan below the objective target (status kObjectiveTarget)
        self._used_budget = float(h.getRunTime()) - clock >= CLOCK_SHARE * self._time_limit
        return self._outcome(solve_s)

    def _outcome(self, solve_s: float) -> SolveOutcome:
        """Read HiGHS's status and solution after a run (see outcome_status)."""
        h = self._highs
        status = h.getModelStatus()
        self.clock_stopped = status == Status.kTimeLimit or self._used_budget
        self._solution = sol = h.getSolution()
        has_plan = status == Status.kOptimal or (status in _STOPPED and sol.value_valid)
        label = outcome_status(status, has_plan)
        info = h.getInfo()
        obj = float(info.objective_function_value)
        # an LP (no branch and bound: mip_node_count −1) is its own bound
        bound = obj if info.mip_node_count == -1 else float(info.mip_dual_bound)
        if not np.isfinite(bound):
            bound = obj
        gap = abs(obj - bound) / max(abs(obj), 1e-9)
        self._load(np.asarray(sol.col_value))
        return SolveOutcome(label, obj, bound, gap, solve_s)

    def _load(self, x: np.ndarray) -> None:
        """The solution's values into the Pyomo variables, in one pass."""
        self._x = x
        for v, val in zip(self.form.columns, x.tolist(), strict=True):
            v.set_value(val, skip_validation=True)

    def objective_of_values(self) -> float:
        """The objective at the values the last solve returned, computed here from the
        handed-over costs (not HiGHS's report of it)."""
        return float(self.form.cost @ self._x + self.form.offset)


def values(var: pyo.Var) -> np.ndarray:
    """Values of an indexed variable in index order (after a solve), as floats."""
    return np.array([0.0 if v.value is None else float(v.value) for v in var.values()],
                    dtype=np.float64)


def value(var: pyo.Var) -> float:
    return 0.0 if var.value is None else float(var.value)
