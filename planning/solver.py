"""HiGHS through Pyomo's persistent interface (appsi): hand-off once, solve, re-solve.

The persistent interface loads the model into HiGHS once; later variants (a pool switched
off, one more agent) change a few bounds in place instead of rebuilding. HiGHS's
termination states become domain errors here — callers never see a solver status code.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.contrib.appsi.base import TerminationCondition
from pyomo.contrib.appsi.solvers.highs import Highs

from planning.mix_inputs import SolverOptions

T = TypeVar("T")


def _not_our_interrupt(record: logging.LogRecord) -> bool:
    """appsi warns about HiGHS's 'interrupt' status, which only our Ctrl-C stop causes."""
    return "kInterrupt" not in record.getMessage()


logging.getLogger("pyomo.contrib.appsi.solvers.highs").addFilter(_not_our_interrupt)
WAIT_SLICE_S = 0.05   # how often the main thread looks up from waiting for HiGHS
STOP_WAIT_S = 30.0    # the longest wait for HiGHS to honour an interrupt request


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


class HighsSession:
    """One Pyomo model handed to one HiGHS instance; bound changes re-solve in place."""

    def __init__(self, model: pyo.ConcreteModel, options: SolverOptions) -> None:
        self._model = model
        self._opt = Highs()
        self._opt.config.load_solution = False
        self._opt.config.mip_gap = options.mip_gap
        self._time_limit = options.time_limit_s
        # a fixed seed: HiGHS's randomised heuristics draw the same numbers every run
        self._options: dict = {"random_seed": 0}
        if options.threads:
            self._options["threads"] = int(options.threads)
        uc = self._opt.update_config
        for flag in ("check_for_new_or_removed_constraints", "check_for_new_or_removed_vars",
                     "check_for_new_or_removed_params", "check_for_new_objective",
                     "update_constraints", "update_vars", "update_params",
                     "update_named_expressions", "update_objective"):
            setattr(uc, flag, False)
        t0 = time.perf_counter()
        self._opt.set_instance(model)
        self.handoff_s = time.perf_counter() - t0
        self._stop = threading.Event()
        highs = self._opt._solver_model
        for hook in (highs.cbSimplexInterrupt, highs.cbIpmInterrupt, highs.cbMipInterrupt):
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
        return self._opt._solver_model

    def update_vars(self, variables: list[pyo.Var]) -> None:
        """Push changed bounds / domains of ``variables`` to HiGHS."""
        self._opt.update_variables(variables)

    def use_start(self, on: bool) -> None:
        """Give HiGHS the variables' current values as its MIP start on the next solves."""
        self._opt.config.warmstart = on

    def clear_start(self) -> None:
        """Forget any stored solution / MIP start (HiGHS keeps them between runs)."""
        self._opt.config.warmstart = False
        self._opt._solver_model.clearSolver()

    def set_time_limit(self, seconds: float) -> None:
        self._time_limit = seconds

    def set_gap(self, gap: float) -> None:
        """The relative MIP gap at which HiGHS stops the next solves."""
        self._opt.config.mip_gap = gap

    def reduced_costs(self, variables: list[pyo.Var]) -> dict[int, float]:
        """Reduced costs after an LP solve, keyed by id(var)."""
        rc = self._opt.get_reduced_costs(variables)
        return {id(v): float(rc[v]) for v in variables}

    def set_bounds(self, changes: list[tuple[pyo.Var, float | None, float | None]]) -> None:
        """Change variable bounds (lb, ub) in the model and in HiGHS."""
        for var, lb, ub in changes:
            var.setlb(lb)
            var.setub(ub)
        self._opt.update_variables([v for v, _, _ in changes])

    def solve(self) -> SolveOutcome:
        """Run HiGHS; raise PlanInfeasible / PlanNotFound / PlanError on failure."""
        # HiGHS keeps one thread pool per process and refuses a run whose 'threads' option
        # differs from it: reset the pool so every session gets its own setting.
        highspy.Highs.resetGlobalScheduler(True)
        # HiGHS checks 'time_limit' against its run clock, which keeps running over every
        # run of this instance: the limit of this run is the clock now + the budget.
        clock = float(self._opt._solver_model.getRunTime())
        self._opt.highs_options = {**self._options, "time_limit": clock + self._time_limit}
        t0 = time.perf_counter()
        res = self._interruptible(lambda: self._opt.solve(self._model))  # getRunTime is cumulative
        solve_s = time.perf_counter() - t0
        tc = res.termination_condition
        if tc in (TerminationCondition.infeasible, TerminationCondition.infeasibleOrUnbounded):
            raise PlanInfeasible("no plan meets the constraints with the pools' limits")
        if tc == TerminationCondition.optimal:
            status = "optimal"
        elif tc in (TerminationCondition.maxTimeLimit, TerminationCondition.maxIterations,
                    TerminationCondition.objectiveLimit, TerminationCondition.interrupted):
            if res.best_feasible_objective is None:
                raise PlanNotFound("no feasible plan found within the time limit; allow more "
                                   "time (--time-limit or planning.solver.time_limit_s)")
            status = "time_limit"
        elif tc == TerminationCondition.unbounded:
            raise PlanError("the model is unbounded (a cost is negative?)")
        else:
            raise PlanError(f"HiGHS stopped without a plan ({tc.name})")
        obj = float(res.best_feasible_objective)
        bound = res.best_objective_bound
        bound = obj if bound is None else float(bound)
        gap = abs(obj - bound) / max(abs(obj), 1e-9)
        res.solution_loader.load_vars()
        return SolveOutcome(status, obj, bound, gap, solve_s)


def values(var: pyo.Var) -> np.ndarray:
    """Values of an indexed variable in index order (after a solve), as floats."""
    return np.array([0.0 if v.value is None else float(v.value) for v in var.values()],
                    dtype=np.float64)


def value(var: pyo.Var) -> float:
    return 0.0 if var.value is None else float(var.value)
