"""Plan the sourcing mix: build the model, hand it to HiGHS, read back a plain plan.

``plan_mix(inputs, options)`` returns a :class:`MixPlan` (numpy arrays and numbers, no
Pyomo). ``compare_mix`` adds the single-source baselines and the value of one more agent
by re-solving the same HiGHS instance with a few bounds changed (persistent interface).

A solve starts from the LP relaxation: the MIP restricted to the integers' floors and
ceilings of their LP values usually finds, within seconds, a plan within the gap of the LP
bound — certified without HiGHS's full branch and bound, which then runs only when it
does not (from that plan, for the time left).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace

import highspy
import numpy as np
import pyomo.environ as pyo

from planning.mix_inputs import DemandCase, MixInputs, SolverOptions
from planning.mix_layout import MixLayout, mix_layout
from planning.mix_model import block_paid_hours, build_model, salaried_pay, shortfall_steps
from planning.solver import (
    HighsSession,
    PlanError,
    PlanInfeasible,
    PlanNotFound,
    SolveOutcome,
    value,
    values,
)


@dataclass(frozen=True)
class CostBreakdown:
    """Money over the horizon; recourse terms are expectations over demand scenarios."""

    first_stage: float
    expected_recourse: float
    by_pool: dict[str, float]  # each pool's cash and quality charge together
    shortfall_penalty: float
    # the quality charge (κ × agent-hours of outsourced, reserve and temps: a price on
    # complaints and repeat contacts, not money paid), in total and by pool
    quality: float = 0.0
    quality_by_pool: dict[str, float] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return self.first_stage + self.expected_recourse

    @property
    def cash(self) -> float:
        """The money paid: the total less the notional charges (quality, shortfall)."""
        return self.total - self.quality - self.shortfall_penalty


@dataclass(frozen=True)
class MixPlan:
    """A solved plan. Arrays are per interval (T) or per scenario × interval (S, T)."""

    # optimal | time_limit: a step of the solve (LP relaxation, neighbourhood, MIP) stopped
    # at the time limit — the plan may then depend on the machine's load
    status: str
    objective: float
    gap: float
    build_s: float
    solve_s: float
    scenario_names: tuple[str, ...]
    probabilities: np.ndarray  # (S,)
    requirement: np.ndarray  # (S, T) in-house-equivalent scheduled agents
    shifts: list[tuple[int, int, int, int]]  # (day, pattern index, start interval, agents)
    hires: int
    in_house: np.ndarray  # (T,) agents on the queue
    outsourced_blocks: list[tuple[int, int]]  # (start interval, seats)
    outsourced: np.ndarray  # (T,) contracted seats
    reserve_pool: int
    reserve: np.ndarray  # (S, T) reserve agents called out
    surge: np.ndarray  # (S, T) surge outsourced seats
    temps: np.ndarray  # (S, T)
    shortfall: np.ndarray  # (S, T) missing in-house-equivalent agents
    coverage: np.ndarray  # (S, T) in-house-equivalent agents staffed
    cost: CostBreakdown
    met: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # (S,)
    productivity: dict[str, float] = field(default_factory=dict)  # by pool
    # in-house-first routing: in-house requirement (S, T) and the in-house agents the
    # headcount cannot give (S, T), in-house-equivalent scheduled agents; empty: no row
    in_house_requirement: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    in_house_shortfall: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    bound: float = float("nan")  # no plan costs less (the LP relaxation's or HiGHS's bound)

    def expected(self, arr: np.ndarray) -> np.ndarray:
        """Probability-weighted mean over scenarios of an (S, T) array."""
        return self.probabilities @ arr

    @property
    def expected_shortfall_hours(self) -> np.ndarray:
        """Missing agent-intervals per scenario (S,), in intervals × agents."""
        return self.shortfall.sum(axis=1)


def check_inputs(inp: MixInputs) -> None:
    """Programming errors in the typed inputs (the scenario loader reports user errors)."""
    if not inp.cases:
        raise ValueError("at least one demand case is needed")
    p = inp.probabilities
    if np.any(p < 0) or abs(p.sum() - 1.0) > 1e-6:
        raise ValueError(f"demand case probabilities must be ≥ 0 and sum to 1 (sum {p.sum()})")
    for c in inp.cases:
        if np.asarray(c.requirement).shape != (inp.n_intervals,):
            raise ValueError(f"case {c.name!r}: requirement must have {inp.n_intervals} values")
        if not np.all(np.isfinite(c.requirement)) or np.any(np.asarray(c.requirement) < 0):
            raise ValueError(f"case {c.name!r}: requirement must be finite and ≥ 0")


def uncoverable(inp: MixInputs) -> list[tuple[str, int, float, float]]:
    """(scenario, interval, requirement, most coverage) where even every pool at its limit
    falls short — the plain explanation of an infeasible hard-coverage plan."""
    lay = mix_layout(inp)
    cap = np.zeros(inp.n_intervals)
    if inp.in_house:
        ih = inp.in_house
        on = np.zeros(inp.n_intervals, dtype=bool)
        for sh in lay.shifts:
            on[list(sh.cover)] = True
        cap += on * ih.productivity * (ih.headcount + ih.max_hires)
    o = inp.outsourced
    if o:
        cap[o.available_from:] += o.productivity * o.capacity
        if lay.surge is not None:
            cap += (lay.surge.of_interval >= 0) * o.productivity * o.surge_capacity
    r = inp.reserve
    if r and lay.callout is not None:
        cap += (lay.callout.of_interval >= 0) * r.productivity * r.show_up * r.max_size
    if inp.temps and lay.temp_intervals.size:
        cap[lay.temp_intervals] += inp.temps.productivity * inp.temps.capacity
    req = inp.requirement
    out = []
    for s, t in zip(*np.nonzero(req > cap[None, :] + 1e-9), strict=True):
        out.append((inp.cases[s].name, int(t), float(req[s, t]), float(cap[t])))
    return out


# the neighbourhood MIP's own gap, as a share of the options' gap: small enough that it
# does not stop on its own bound before reaching the gap of the LP bound
NEAR_GAP_SHARE = 0.2
# the neighbourhoods tried in turn: an integer at a whole LP value may move this much
# either way (a fractional one always goes to its floor or ceiling). Held at the value
# first — a small MIP that reaches the gap on every flagship solve — and only when that
# does not certify a plan, widened by 1 from its plan. Measured on the flagship (issue 25,
# docs/performance.md "HiGHS in the mix stage"): ± 1 at once took 13.8
# CPU s in the plan for overflow at once's neighbourhood (root cut rounds, then a
# sub-MIP) and 8.6 s in the no-reserve baseline's; held, 1.4 s and 1.0 s, plans within
# the gap of the LP bound
NEAR_WIDENINGS = (0, 1)


# how a cold LP relaxation is solved: interior point + crossover ('ipm'), or HiGHS's
# default ('choose': dual simplex). Measured on the flagship's first model, load 8: the LP
# 19.0 → 8.9 s, the same objective and basis-valid vertex; the first solve with the value
# of one more agent and a baseline 29.4 → 23.2 s, the same plan and values
COLD_LP_METHOD = "ipm"
# the cold LP relaxation of the plan's own model and of its outsourced-only variant by
# the dual simplex instead (MixSolver(cold_lp=...), VARIANT_COLD_LP): measured on the
# flagship (issue 25, docs/performance.md "The mix stage's critical path") the plan's LP
# 4.7 → 3.8 CPU s and the outsourced-only baseline's 1.0 → 0.5 s, the same plans (the
# same vertex); not for the plan for overflow at once (6.0 → 8.5 s), the in-house-only
# baseline or the mean-value plan (other plans within the gap, and slower or no faster)
PLAN_COLD_LP = "choose"
VARIANT_COLD_LP = {"outsourced_only": "choose"}
# a variant moving at most this many bounds starts its LP relaxation from the plan's final
# LP basis. Measured on the flagship (load 6.5): no reserve (one bound) LP 8.4 → 2.6 s
# (13,967 → 2,522 simplex iterations), the same plan; in-house only (thousands of columns
# zeroed) 4.5 → 10.3 s — HiGHS skips presolve when given a basis, and the unpresolved LP
# of a much-changed model runs slower than a presolved cold one
WARM_VARIANT_BOUNDS = 8


class MixSolver:
    """The model of one MixInputs in one HiGHS instance; variants change bounds only."""

    def __init__(self, inp: MixInputs, options: SolverOptions,
                 cold_lp: str | None = None) -> None:
        check_inputs(inp)
        t0 = time.perf_counter()
        self.inp, self.options = inp, options
        # how this model's cold LP relaxation is solved (COLD_LP_METHOD when None)
        self.cold_lp = cold_lp or COLD_LP_METHOD
        self._lp_method: str | None = None  # a variant's own (VARIANT_COLD_LP)
        self.lay: MixLayout = mix_layout(inp)
        self._hand_off(build_model(inp, self.lay), HighsSession)
        self.build_s = time.perf_counter() - t0
        self._lp_values: dict[str, float] | None = None  # see marginal_values
        self._variant = False  # bounds changed for a variant: its LP is not the model's
        self._lp_basis = None  # the LP relaxation's final basis (a warm start for the next)
        self._warm_basis = None  # a basis to start this model's LP relaxation from
        self.warm_lp = False  # whether the last solve's LP started from another's basis

    def _hand_off(self, m: pyo.ConcreteModel, session_type: type) -> None:
        self._m: pyo.ConcreteModel | None = m
        self._session: HighsSession | None = session_type(m, self.options)
        self._ints = self._session.integer_vars()

    @property
    def m(self) -> pyo.ConcreteModel:
        """The Pyomo model (built again if :meth:`moved_to` passed it on)."""
        if self._m is None:
            self._hand_off(build_model(self.inp, self.lay), HighsSession)
        return self._m

    @property
    def session(self) -> HighsSession:
        """The HiGHS instance holding the model (built again if :meth:`moved_to` passed
        it on)."""
        if self._session is None:
            self._hand_off(build_model(self.inp, self.lay), HighsSession)
        return self._session

    def moved_to(self, inp: MixInputs) -> MixSolver:
        """The solver of ``inp``: these inputs with another requirement (the loop's next
        round, MixInputs.with_requirement). Where the requirement rows are the same (the
        same scenario-intervals above zero), this model and HiGHS instance are passed on
        and only the rows' bounds (and the chance links' coefficients, the in-house row's
        step lengths and prices, the objective's constant) change in place — no new
        Pyomo model, no new hand-off; the LP relaxation starts from this one's
        final basis (as :meth:`start_from`). Otherwise a new solver, started from this
        basis. This solver stays usable: it builds its model again if asked to solve.

        After the move, the Pyomo constraints of the requirement rows and the Pyomo
        objective keep this round's numbers; HiGHS (and the session's form) holds the new
        ones (tested against a model built for ``inp``)."""
        t0 = time.perf_counter()
        moves = self._requirement_moves(inp)
        if moves is None:
            solver = MixSolver(inp, self.options)  # another model: the default method
            solver.start_from(self)
            return solver
        session = self.session
        for rows, shift in moves.bounds:
            session.shift_row_bounds(rows, shift)
        for rows, var, factor in moves.coefficients:
            session.scale_coefficients(rows, var, factor)
        for cols, upper, cost in moves.columns:
            session.set_bounds([(v, 0.0, float(u)) for v, u in
                                zip(cols, upper.tolist(), strict=True)])
            session.set_costs(cols, cost)
        if moves.offset:
            session.shift_offset(moves.offset)
        session.clear_start()  # what HiGHS kept from this round: not a start for the next
        new = MixSolver.__new__(MixSolver)
        new.inp, new.options, new.lay = inp, self.options, self.lay
        new.cold_lp, new._lp_method = self.cold_lp, None
        new._m, new._session, new._ints = self._m, session, self._ints
        new._lp_values, new._variant, new._lp_basis = None, False, None
        new._warm_basis, new.warm_lp = self._lp_basis, False
        self._m = self._session = None  # passed on: built again if this one is used
        self._ints = []
        new.build_s = time.perf_counter() - t0
        return new

    def _requirement_moves(self, inp: MixInputs) -> _Moves | None:
        """The row changes that turn this model into ``inp``'s, or None when they are not
        bound changes alone (another pool, horizon or layout; a requirement row added or
        removed; rows not in the form ``coverage ≥ requirement`` as handed over)."""
        old_inp = self.inp
        if not _same_but_requirement(old_inp, inp):
            return None
        m, form = self.m, self.session.form
        moves = _Moves([], [], [])
        pairs = [("coverage", old_inp.requirement, inp.requirement)]
        old_h, new_h = old_inp.in_house_requirement, inp.in_house_requirement
        if (old_h is None) != (new_h is None):
            return None
        if old_h is not None and hasattr(m, "gh"):  # the steps: new lengths and prices
            if old_h.shape != new_h.shape or not np.array_equal(old_h > 0, new_h > 0):
                return None
            p, price = inp.probabilities, inp.interval_h * inp.shortfall_penalty_per_hour
            old_s, new_s = (shortfall_steps(old_h, p), shortfall_steps(new_h, p))
            moves.columns.append((list(m.gh.values()), new_s.length, -price * new_s.weight))
            moves.offset += price * (new_s.expected - old_s.expected)
        for name, old, new in pairs:
            if old.shape != new.shape or not np.array_equal(old > 0, new > 0):
                return None
            if not hasattr(m, name):
                continue
            con = getattr(m, name)
            keys = np.fromiter(con.keys(), dtype=np.int64, count=len(con))
            rows = list(con.values())
            at = [form.row_of[id(c)] for c in rows]
            # as built: lower bound = the requirement, no upper bound
            if not (np.allclose(form.row_lower[at], old.ravel()[keys], rtol=0, atol=1e-9)
                    and np.all(np.isinf(form.row_upper[at]))):
                return None
            moves.bounds.append((rows, new.ravel()[keys] - old.ravel()[keys]))
        if hasattr(m, "chance_link"):  # q_j ≤ ρ_j·z_ω: the coefficient of z moves with ρ
            keys = np.fromiter(m.chance_link.keys(), dtype=np.int64, count=len(m.chance_link))
            old_r, new_r = old_inp.requirement.ravel()[keys], inp.requirement.ravel()[keys]
            n = inp.n_intervals
            moves.coefficients.append((list(m.chance_link.values()),
                                       [m.z[int(j) // n] for j in keys], new_r / old_r))
        return moves

    def start_from(self, other: MixSolver) -> None:
        """Start the LP relaxation from the final basis of ``other``'s (a model of the same
        shape with other requirements: the loop's previous round). The simplex then moves
        from the last vertex instead of starting afresh — 1.6 s instead of 8.5 s on the
        flagship with the requirement moved ±10% (docs/performance.md, "The mix stage").
        Ignored when the shapes differ (a requirement turned zero removes its row)."""
        mine, theirs = self.session.highs, other.session.highs
        if other._lp_basis is not None and (mine.getNumRow(), mine.getNumCol()) == (
                theirs.getNumRow(), theirs.getNumCol()):
            self._warm_basis = other._lp_basis

    # ------------------------------------------------------------------ solving
    def solve(self, warm_start: bool = True) -> MixPlan:
        """Solve and read the plan; raises a PlanError subclass. With ``warm_start`` (the
        default) the LP relaxation leads (see :meth:`_from_lp`); without, HiGHS alone."""
        limit = self.options.time_limit_s
        lp_bound = None
        self._clocked = False
        try:
            if warm_start and self._ints:
                out, lp_bound = self._from_lp()
            else:
                out = self.session.solve()
                self._clocked = self.session.clock_stopped
        except PlanInfeasible:
            bad = uncoverable(self.inp)
            raise PlanInfeasible(_explain_infeasible(self.inp, bad)) from None
        finally:
            self.session.use_start(False)
            self.session.stop_at(None)
            self.session.set_time_limit(limit)
        # HiGHS 1.16 can report the objective of a presolved MIP start while returning the
        # unreduced start: trust only the objective of the values actually returned.
        actual = self.session.objective_of_values()  # = pyo.value(m.cost), in one product
        if abs(actual - out.objective) > 1e-6 * max(1.0, abs(out.objective)):
            if warm_start:
                self.session.clear_start()  # HiGHS would reuse the stored start
                return self.solve(warm_start=False)
            raise PlanError(f"HiGHS returned a plan costing {actual:,.2f} while reporting "
                            f"{out.objective:,.2f}")
        if lp_bound is not None:
            out = _against(out, lp_bound, self.options.mip_gap)
        if self._clocked:  # a step stopped on the clock: the plan may depend on the load
            out = replace(out, status="time_limit")
        return self._read(out)

    def _from_lp(self) -> tuple[SolveOutcome, float | None]:
        """LP relaxation → the MIP restricted to the LP's neighbourhood → the full MIP only
        if needed. Returns the outcome (solve_s: all three) and the LP bound.

        The neighbourhood (RINS, Danna, Rothberg & Le Pape 2005, here around the LP
        solution alone) bounds every integer to the floor and ceiling of its LP value
        (held at a whole value, then ± 1 from that plan: NEAR_WIDENINGS). That MIP stops
        as soon as its plan is within ``mip_gap`` of the LP bound — a bound on every plan,
        so the plan is then certified without the full search. Otherwise the full MIP
        starts from the neighbourhoods' plan for the time left; the time limit covers
        all of them."""
        limit, gap = self.options.time_limit_s, self.options.mip_gap
        t0 = time.perf_counter()

        def left() -> float:
            return max(limit - (time.perf_counter() - t0), 0.05 * limit, 0.5)

        self.warm_lp = False
        with self._relaxed():
            if self._warm_basis is not None:
                self.warm_lp = self.session.highs.setBasis(self._warm_basis) == \
                    highspy.HighsStatus.kOk
                self._warm_basis = None
            lp = self._solve_lp(cold=not self.warm_lp)
            self._clocked |= lp.status != "optimal" or self.session.clock_stopped
            if lp.status == "optimal":
                if not self._variant:
                    self._lp_values = self._agent_reduced_costs()
                    self._lp_basis = self.session.highs.getBasis()
                lp_x = [(v, v.value or 0.0) for v in self._ints]
        if lp.status != "optimal":  # the LP stopped at the limit: no bound, HiGHS alone
            self.session.set_time_limit(left())
            out = self.session.solve()
            self._clocked = True  # the LP's stop on the clock chose this path
            return replace(out, solve_s=time.perf_counter() - t0), None
        bound = lp.objective
        found = None
        for widen in NEAR_WIDENINGS:
            found = self._near(lp_x, widen, bound, found, left)
            if found is not None and found.gap <= gap:
                return replace(found, solve_s=time.perf_counter() - t0), bound
        self.session.use_start(found is not None)  # its values are the variables' now
        self.session.set_time_limit(left())
        try:
            out = self.session.solve()
        finally:
            self._clocked |= self.session.clock_stopped
        return replace(out, solve_s=time.perf_counter() - t0), bound

    def _near(self, lp_x: list[tuple[pyo.Var, float]], widen: int, bound: float,
              start: SolveOutcome | None, left: Callable[[], float]
              ) -> SolveOutcome | None:
        """The MIP in the LP's neighbourhood: every integer bounded to the floor and ceiling
        of its LP value, ± ``widen`` at a whole value; stopped as soon as a plan is within
        the gap of the LP ``bound``. ``start``: the plan of a smaller neighbourhood (the
        variables' values), given as the MIP start; without one, the LP's integers rounded
        to the nearest are the start, HiGHS completing the continuous columns (on the
        flagship's loop re-solve this neighbourhood took 10.8 CPU s without it, HiGHS's
        own roundings 0.72–0.79% above the LP bound and its sub-MIP only after three cut
        rounds; 0.45 s with it, 0.27%; the other flagship solves the same plans).
        Returns the best plan with its gap against ``bound`` — ``start`` again when this
        one found none — or None."""
        gap = self.options.mip_gap
        near = []
        for v, x in lp_x:
            step = widen if _whole(x) else 0
            near.append((v, max(np.floor(x + 1e-6) - step, v.lb or 0.0),
                         min(np.ceil(x - 1e-6) + step, np.inf if v.ub is None else v.ub)))
        saved = [(v, v.lb, v.ub) for v, _, _ in near]
        found = start
        self.session.set_bounds(near)
        if start is None:  # the LP's integers rounded to the nearest, the rest to HiGHS
            self.session.partial_start([v for v, _, _ in near], np.clip(
                np.round([x for _, x in lp_x]), [lo for _, lo, _ in near],
                [hi for _, _, hi in near]))
        try:
            # its own bound holds for the neighbourhood only: it must not stop at the gap
            # measured against it, but when the plan is within the gap of the LP bound
            self.session.set_gap(NEAR_GAP_SHARE * gap)
            self.session.stop_at(bound / (1.0 - gap) if bound > 0 else bound)
            self.session.set_time_limit(left())
            self.session.use_start(start is not None)
            found = self.session.solve()
        except PlanError:  # no plan here: the variables keep ``start``'s values
            pass
        finally:
            self._clocked |= self.session.clock_stopped
            self.session.use_start(False)
            self.session.partial_start(None)
            self.session.set_gap(gap)
            self.session.stop_at(None)
            self.session.set_bounds(saved)
        if found is None:
            return None
        # its bound holds for the neighbourhood only: the LP's
        return _against(replace(found, bound=bound), bound, gap)

    def _solve_lp(self, cold: bool) -> SolveOutcome:
        """The LP relaxation (inside :meth:`_relaxed`): by simplex from a given basis;
        cold, by interior point and crossover (COLD_LP_METHOD) — a basis and reduced costs
        all the same, in half the simplex's time on the flagship (the same vertex there,
        hence the same plan and values of one more agent); by simplex again should the
        interior point stop without an answer. Stopped at the time limit with no point:
        'time_limit' (no bound: :meth:`_from_lp` leaves the MIP to HiGHS alone)."""
        t0 = time.perf_counter()
        method = self._lp_method or self.cold_lp
        try:
            if not cold or method == "choose":
                return self.session.solve()
            self.session.set_lp_method(method)
            try:
                return self.session.solve()
            except (PlanInfeasible, PlanNotFound):
                raise
            except PlanError:  # e.g. a numerical failure of the interior point
                self.session.set_lp_method("choose")
                return self.session.solve()
            finally:
                self.session.set_lp_method("choose")
        except PlanNotFound:  # stopped at the limit with no point (the interior point
            # has none until it ends): no bound; the MIP alone gets the time left
            nan = float("nan")
            return SolveOutcome("time_limit", nan, nan, nan, time.perf_counter() - t0)

    @contextmanager
    def _relaxed(self) -> Iterator[None]:
        """Integers made continuous (LP relaxation) inside the block, restored after."""
        saved = [(v, v.domain, v.lb, v.ub) for v in self._ints]
        try:
            for v in self._ints:
                v.domain = pyo.NonNegativeReals
            self.session.update_vars(self._ints)
            yield
        finally:
            for v, dom, lb, ub in saved:
                v.domain = dom
                v.setlb(lb)
                v.setub(ub)
            self.session.update_vars(self._ints)

    def _agent_reduced_costs(self) -> dict[str, float]:
        """Reduced costs of the headcount ('hb') and reserve size ('R') after an LP
        relaxation solve, by name (they outlive a model built again: see moved_to)."""
        wanted = {k: getattr(self.m, k) for k in ("hb", "R") if hasattr(self.m, k)}
        rc = self.session.reduced_costs(list(wanted.values())) if wanted else {}
        return {k: rc[id(v)] for k, v in wanted.items()}

    def marginal_values(self) -> tuple[float | None, float | None]:
        """Value of one more in-house headcount (net of its pay when salaried) and one more
        reserve agent (net of its retainer and training) from the LP relaxation's reduced
        costs: −∂cost/∂h_b and −∂cost/∂R. Zero when the LP does not want more (R interior,
        headcount slack). The LP relaxation solved for the plan serves when there was one
        (the model has not changed since: variants restore their bounds); otherwise it is
        solved here."""
        rc = self._lp_values
        if rc is None:
            try:
                with self._relaxed():
                    out = self.session.solve()
                    if out.status != "optimal":
                        return None, None
                    rc = self._agent_reduced_costs()
            except PlanError:
                return None, None
        v_ih = -rc["hb"] if "hb" in rc else None
        v_r = -rc["R"] if "R" in rc else None
        ih = self.inp.in_house
        if v_ih is not None and ih.salaried:  # net of the extra agent's salaried pay
            hire_day = -(-ih.hires_from // self.inp.intervals_per_day)
            v_ih -= ih.cost_per_paid_hour * sum(
                block_paid_hours(self.inp, days, hire_day)[0] for days in self.lay.week_blocks)
        return v_ih, v_r

    def _read(self, out: SolveOutcome) -> MixPlan:
        inp, lay, m = self.inp, self.lay, self.m
        n, n_w = inp.n_intervals, len(inp.cases)
        dt = inp.interval_h
        p = inp.probabilities
        by_pool: dict[str, float] = {}
        quality: dict[str, float] = {}
        first = 0.0
        shifts: list[tuple[int, int, int, int]] = []
        in_house = np.zeros(n)
        hires = 0
        if hasattr(m, "x"):
            x = np.round(values(m.x)).astype(int)
            hires = int(round(value(m.hire)))
            ih = inp.in_house
            c = 0.0
            for i, sh in enumerate(lay.shifts):
                if x[i] > 0:
                    shifts.append((sh.day, sh.pattern, sh.start, int(x[i])))
                    in_house[list(sh.cover)] += x[i]
                    c += ih.cost_per_paid_hour * sh.paid_hours * x[i]
            if ih.salaried:  # employed agents cost their paid hours, rostered or not
                staff, per_hire = salaried_pay(inp, lay)
                c = staff + per_hire * hires
            c += ih.hire_cost * hires
            by_pool["in_house"] = c
            first += c
        blocks: list[tuple[int, int]] = []
        outsourced = np.zeros(n)
        o = inp.outsourced
        if hasattr(m, "b"):
            b = np.round(values(m.b)).astype(int)
            for k, s in enumerate(lay.block_starts.tolist()):
                if b[k] > 0:
                    blocks.append((s, int(b[k])))
                    outsourced[s:min(s + o.block, n)] += b[k]
            c = float(b.sum()) * o.block * dt * (o.price_per_hour + o.quality_cost_per_hour)
            quality["outsourced"] = float(b.sum()) * o.block * dt * o.quality_cost_per_hour
            by_pool["outsourced"] = c
            first += c
        reserve = np.zeros((n_w, n))
        pool = 0
        r = inp.reserve
        if hasattr(m, "R"):
            pool = int(round(value(m.R)))
            u = lay.u_cols.expand(values(m.u))
            of = lay.callout.of_interval
            reserve[:, of >= 0] = u[:, of[of >= 0]]
            fixed_c = r.cost_per_agent * pool
            called_h = dt * float(p @ (u @ lay.callout.hours_factor))
            act = (r.activation_per_hour + r.quality_cost_per_hour) * called_h
            quality["reserve"] = r.quality_cost_per_hour * called_h
            by_pool["reserve"] = fixed_c + act
            first += fixed_c
        surge = np.zeros((n_w, n))
        rec = 0.0
        if hasattr(m, "R"):
            rec += by_pool["reserve"] - r.cost_per_agent * pool
        if hasattr(m, "v"):
            v = lay.v_cols.expand(values(m.v))
            of = lay.surge.of_interval
            surge[:, of >= 0] = v[:, of[of >= 0]]
            surge_h = dt * float(p @ (v @ lay.surge.hours_factor))
            c = (o.surge_price_per_hour + o.quality_cost_per_hour) * surge_h
            quality["outsourced_surge"] = o.quality_cost_per_hour * surge_h
            by_pool["outsourced_surge"] = c
            rec += c
        temps = np.zeros((n_w, n))
        if hasattr(m, "w"):
            w = lay.w_cols.expand(values(m.w))
            temps[:, lay.temp_intervals] = w
            tp = inp.temps
            temp_h = dt * float(p @ w.sum(axis=1))
            c = (tp.price_per_hour + tp.quality_cost_per_hour) * temp_h
            quality["temps"] = tp.quality_cost_per_hour * temp_h
            by_pool["temps"] = c
            rec += c
        q = values(m.q).reshape(n_w, n)
        qh = np.zeros((0, 0))
        if hasattr(m, "gh"):  # the in-house agents the headcount cannot give, from H_t
            on = np.zeros(n)
            on[np.fromiter(m.H.keys(), dtype=np.int64, count=len(m.H))] = values(m.H)
            qh = np.maximum(inp.in_house_requirement - on[None, :], 0.0)
        missing = np.zeros(n_w) if inp.hard_coverage else q.sum(axis=1)
        if qh.size:
            missing = missing + qh.sum(axis=1)
        penalty = dt * inp.shortfall_penalty_per_hour * float(p @ missing)
        rec += penalty
        eta = {k: getattr(getattr(inp, k), "productivity", 0.0) if getattr(inp, k) else 0.0
               for k in ("in_house", "outsourced", "reserve", "temps")}
        coverage = (eta["in_house"] * in_house + eta["outsourced"] * outsourced)[None, :] + \
            eta["reserve"] * reserve + eta["outsourced"] * surge + eta["temps"] * temps
        met = (values(m.z) < 0.5) if hasattr(m, "z") else (q.sum(axis=1) <= 1e-6)
        if qh.size:  # a scenario short of in-house agents' own row is not met either
            met = met & (qh.sum(axis=1) <= 1e-6)
        req_h = inp.in_house_requirement if qh.size else None
        return MixPlan(
            status=out.status, objective=out.objective, gap=out.gap, build_s=self.build_s,
            solve_s=out.solve_s, bound=out.bound,
            scenario_names=tuple(c.name for c in inp.cases), probabilities=p,
            requirement=inp.requirement, shifts=shifts, hires=hires, in_house=in_house,
            outsourced_blocks=blocks, outsourced=outsourced, reserve_pool=pool,
            reserve=reserve, surge=surge, temps=temps, shortfall=q, coverage=coverage,
            cost=CostBreakdown(first, rec, by_pool, penalty, sum(quality.values()), quality),
            met=met, productivity=eta,
            in_house_requirement=req_h if req_h is not None else np.zeros((0, 0)),
            in_house_shortfall=qh)

    # ------------------------------------------------------------------ variants
    def bound_changes(self, variant: str) -> list[tuple[pyo.Var, float | None, float | None]]:
        """Bounds that turn the mix into a variant: in_house_only, outsourced_only,
        no_reserve, one_more_in_house, reserve_plus_one:R (R = the optimal pool size)."""
        m = self.m
        zero: list[pyo.Var] = []
        if variant in ("in_house_only",):
            zero += [v for name in ("b", "u", "v", "w") if hasattr(m, name)
                     for v in getattr(m, name).values()]
            zero += [m.R] if hasattr(m, "R") else []
        elif variant == "outsourced_only":
            zero += [v for name in ("x", "u", "w") if hasattr(m, name)
                     for v in getattr(m, name).values()]
            zero += [m.R] if hasattr(m, "R") else []
            zero += [m.hb, m.hire] if hasattr(m, "x") else []
        elif variant == "no_reserve":
            zero += [m.R] if hasattr(m, "R") else []
        elif variant == "one_more_in_house":
            if hasattr(m, "hb"):
                return [(m.hb, 0.0, float(self.inp.in_house.headcount) + 1.0)]
            return []
        elif variant.startswith("reserve_plus_one:"):
            if not hasattr(m, "R"):
                return []
            size = float(variant.split(":")[1]) + 1.0
            return [(m.R, size, size)]
        else:
            raise ValueError(f"unknown variant {variant!r}")
        return [(v, 0.0, 0.0) for v in zero]

    def solve_variant(self, variant: str) -> MixPlan | None:
        """Solve a variant, then restore the original bounds. None if it has no plan.
        A variant moving a few bounds (no reserve, one more agent) starts its LP
        relaxation from the plan's own final LP basis (see WARM_VARIANT_BOUNDS)."""
        changes = self.bound_changes(variant)
        saved = [(v, v.lb, v.ub) for v, _, _ in changes]
        self.session.set_bounds(changes)
        self._variant = True
        warm = len(changes) <= WARM_VARIANT_BOUNDS and self._lp_basis is not None
        if warm:
            self._warm_basis = self._lp_basis
        self._lp_method = VARIANT_COLD_LP.get(variant, COLD_LP_METHOD)
        try:
            return self.solve(warm_start=True)
        except PlanError:
            return None
        finally:
            self._variant = False
            self._lp_method = None
            if warm:
                self._warm_basis = None
            self.session.set_bounds(saved)

    def evaluate_first_stage(self, other: MixPlan) -> MixPlan | None:
        """This model's scenarios with the first stage (shifts, blocks, reserve size,
        hires) fixed to ``other``'s — e.g. the mean-value plan's expected cost under the
        demand scenarios. ``other`` must come from inputs with the same pools and horizon.
        None if no recourse can complete it (hard coverage)."""
        changes = self._first_stage_bounds(other)
        saved = [(v, v.lb, v.ub) for v, _, _ in changes]
        self.session.set_bounds(changes)
        self._variant = True
        try:
            return self.solve(warm_start=False)
        except PlanError:
            return None
        finally:
            self._variant = False
            self.session.set_bounds(saved)

    def _first_stage_bounds(self, other: MixPlan) -> list[tuple[pyo.Var, float, float]]:
        """Bounds fixing shifts, hires, contracted blocks and the reserve size to
        ``other``'s (same pools and horizon)."""
        m, lay = self.m, self.lay
        changes: list[tuple[pyo.Var, float | None, float | None]] = []
        if hasattr(m, "x"):
            where = {(sh.start, sh.pattern): i for i, sh in enumerate(lay.shifts)}
            count = dict.fromkeys(range(len(lay.shifts)), 0.0)
            for _, j, start, k in other.shifts:
                count[where[(start, j)]] = float(k)
            changes += [(m.x[i], c, c) for i, c in count.items()]
            changes.append((m.hire, float(other.hires), float(other.hires)))
        if hasattr(m, "b"):
            where_b = {int(s): k for k, s in enumerate(lay.block_starts)}
            seats = dict.fromkeys(range(lay.block_starts.size), 0.0)
            for start, k in other.outsourced_blocks:
                seats[where_b[start]] = float(k)
            changes += [(m.b[k], c, c) for k, c in seats.items()]
        if hasattr(m, "R"):
            changes.append((m.R, float(other.reserve_pool), float(other.reserve_pool)))
        return changes


@dataclass
class _Moves:
    """Changes in place: rows (constraints, shift of both bounds); coefficients
    (constraints, variable of each, factor on its coefficient); columns (variables, new
    upper bound, new cost — the in-house row's steps); the objective's constant."""

    bounds: list[tuple[list, np.ndarray]]
    coefficients: list[tuple[list, list, np.ndarray]]
    columns: list[tuple[list, np.ndarray, np.ndarray]]
    offset: float = 0.0


def plan_mix(inp: MixInputs, options: SolverOptions | None = None) -> MixPlan:
    """The cost-optimal plan (raises PlanInfeasible / PlanNotFound with a plain message)."""
    return MixSolver(inp, options or SolverOptions()).solve()


@dataclass(frozen=True)
class MixComparison:
    """The plan, the single-source baselines and the value of one more agent."""

    plan: MixPlan
    baselines: dict[str, MixPlan | None]  # in_house_only, outsourced_only, no_reserve
    value_in_house_agent: float | None  # cost saved by one more in-house headcount (LP)
    value_reserve_agent: float | None  # saved by one more reserve agent, net of its cost (LP)
    mean_value: MixPlan | None = None  # the plan for the mean demand alone
    mean_value_expected: MixPlan | None = None  # its first stage under every scenario

    @property
    def value_of_stochastic_solution(self) -> float | None:
        """Expected cost of planning for the mean minus that of the stochastic plan."""
        if self.mean_value_expected is None:
            return None
        return self.mean_value_expected.objective - self.plan.objective


def mean_value_plan(inp: MixInputs, options: SolverOptions, mean_case: DemandCase
                    ) -> MixPlan | None:
    """The plan for the mean demand alone (``mean_case``: the requirement at the mean
    arrival rates) with ``inp``'s pools and horizon; None when it has no plan. It does not
    depend on ``inp``'s requirements: the inputs of any round of the check give the same
    plan (MixInputs.with_requirement changes the cases alone)."""
    mean_inp = replace(inp, cases=(replace(mean_case, probability=1.0),),
                       chance_min_share=None)
    try:
        return MixSolver(mean_inp, options).solve()
    except PlanError:
        return None


def compare_mix(inp: MixInputs, options: SolverOptions | None = None,
                values_of_agents: bool = True,
                mean_case: DemandCase | None = None,
                solved: tuple[MixSolver, MixPlan] | None = None,
                mean_solved: tuple[MixPlan | None] | None = None) -> MixComparison:
    """plan_mix plus baselines and marginal values, all on one HiGHS instance; with
    ``mean_case`` (the requirement at the mean demand) also the mean-value plan and its
    expected cost under the scenarios (Robbins & Harrison 2010: the stochastic plan costs
    more as planned and less in expectation). ``solved``: the solver of ``inp`` and its
    plan, already solved (e.g. the last round of the check). ``mean_solved``: (the
    mean-value plan or None,) when already solved (:func:`mean_value_plan`, e.g. in a
    background process beside the check): then ``mean_case`` is not needed."""
    options = options or SolverOptions()
    solver, plan = solved if solved is not None else (MixSolver(inp, options), None)
    plan = plan if plan is not None else solver.solve()
    baselines = {name: solver.solve_variant(name)
                 for name in ("in_house_only", "outsourced_only", "no_reserve")}
    v_ih = v_r = None
    if values_of_agents:
        v_ih, v_r = solver.marginal_values()
    mv = mv_exp = None
    if (mean_case is not None or mean_solved is not None) and len(inp.cases) > 1:
        mv = mean_solved[0] if mean_solved is not None else mean_value_plan(
            inp, options, mean_case)
        mv_exp = solver.evaluate_first_stage(mv) if mv is not None else None
    return MixComparison(plan, baselines, v_ih, v_r, mv, mv_exp)


def _same_but_requirement(a: MixInputs, b: MixInputs) -> bool:
    """Whether ``a`` and ``b`` differ at most in their requirements (pools, horizon,
    penalties, scenario names, probabilities and volumes the same)."""
    for f in fields(MixInputs):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if f.name == "cases" or x is y:
            continue
        try:
            if x != y:
                return False
        except (TypeError, ValueError):  # arrays inside: not compared, not the same
            return False
    if len(a.cases) != len(b.cases):
        return False
    for c, d in zip(a.cases, b.cases, strict=True):
        if c.name != d.name or c.probability != d.probability:
            return False
        if (c.volume is None) != (d.volume is None) or (
                c.volume is not None and not np.array_equal(c.volume, d.volume)):
            return False
    return True


def _whole(x: float) -> bool:
    return abs(x - round(x)) <= 1e-6


def _against(out: SolveOutcome, lp_bound: float, gap: float) -> SolveOutcome:
    """``out`` with its bound raised to the LP bound when that is higher, its gap measured
    against it, and 'optimal' when that gap is within ``gap``."""
    bound = max(out.bound, lp_bound)
    g = max(out.objective - bound, 0.0) / max(abs(out.objective), 1e-9)
    return replace(out, bound=bound, gap=g, status="optimal" if g <= gap else out.status)


def _explain_infeasible(inp: MixInputs, bad: list[tuple[str, int, float, float]]) -> str:
    if not bad:
        rules = ["shift", "days-off", "headcount"]
        if inp.reserve is not None and inp.reserve.max_hours_per_agent is not None:
            rules.append("reserve hours")
        if inp.chance_min_share is not None and not inp.hard_coverage:
            rules.append("chance-constraint")
        return ("no plan meets every constraint: the pools could cover each interval on "
                f"its own, but not all at once under the {', '.join(rules)} rules — allow "
                "more hires, more shift starts or a shortfall penalty")
    ivs = sorted({t for _, t, _, _ in bad})
    worst = max(bad, key=lambda b: b[2] - b[3])
    shown = ", ".join(inp.label(t) for t in ivs[:8]) + (" …" if len(ivs) > 8 else "")
    return (f"{len(ivs)} interval(s) cannot be covered even with every pool at its limit "
            f"({shown}); worst: scenario {worst[0]!r}, interval {inp.label(worst[1])} "
            f"needs {worst[2]:.1f} in-house-equivalent agents, the pools give at most "
            f"{worst[3]:.1f}")
