"""Equilibrium of best responses and the simulation-in-the-loop driver.

Absolute schemes: one best-response pass is the answer (an agent's pay does not depend on
the others' levers). Relative schemes (ranking bands, forced distribution): damped
best-response iteration l ← l + λ (BR(l) − l) until the largest change |BR(l) − l|, as a
share of each lever's range, is below ``tol`` (docs/behavior.md). Then, if a state update is
given (the simulator), the agents' levers are simulated, the state they face is refreshed
and the equilibrium is solved again, for a few rounds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.behavior.agents import Agents, effort_cost
from sim.behavior.params import BehaviorParams, SolverSettings
from sim.behavior.pay import PayFunction
from sim.behavior.response import Evaluator, active_levers, best_response
from sim.behavior.state import StateUpdate, SystemState
from sim.behavior.surrogate import expected_kpis
from sim.behavior.why import Why, explain


@dataclass(frozen=True)
class Equilibrium:
    """Levers (n, 4) at the end of the iteration and how it got there."""

    levers: np.ndarray
    rounds: int
    residual: float
    converged: bool
    residuals: tuple[float, ...]
    relative: bool
    regret: float = 0.0                # max over agents of (best value − value at levers)


def equilibrium(ev: Evaluator, start: np.ndarray | None = None) -> Equilibrium:
    """Damped best-response iteration (one pass for absolute schemes)."""
    s = ev.settings
    lv = ev.agents.natural_levers() if start is None else np.array(start, dtype=float)
    span = np.ptp(ev.params.bounds(), axis=1)
    if not ev.relative:
        br, _ = best_response(ev, lv)
        return Equilibrium(br, 1, 0.0, True, (0.0,), False)
    residuals: list[float] = []
    regret_scale = s.regret_tol * ev.agents.cost_per_hour * np.asarray(ev.state.staffed_hours)
    lam = s.damping
    regret = 0.0
    act = active_levers(ev, lv)           # which levers the pay reacts to (structural)
    for t in range(1, s.max_rounds + 1):
        br, best = best_response(ev, lv, act, s.temperature)
        gain = best - ev.objective(lv, lv[:, None, :])[:, 0]
        regret = float(np.max(gain)) if lv.size else 0.0
        resid = float(np.max(np.abs(br - lv) / span)) if lv.size else 0.0
        residuals.append(resid)
        if resid <= s.tol:      # lv is (within tol) a fixed point of the best response
            return Equilibrium(lv, t, resid, True, tuple(residuals), True, regret)
        if np.all(gain <= regret_scale):
            return Equilibrium(lv, t, resid, True, tuple(residuals), True, regret)
        if len(residuals) > 1 and resid >= residuals[-2]:
            lam = max(lam * 0.7, 0.1)          # oscillation: damp harder
        lv = lv + lam * (br - lv)
    return Equilibrium(lv, s.max_rounds, residuals[-1], False, tuple(residuals), True, regret)


@dataclass(frozen=True)
class BehaviorResult:
    """The agents' chosen levers under one pay function, with KPIs, pay and the why."""

    levers: np.ndarray
    state: SystemState                 # the state the levers were solved against
    states: tuple[SystemState, ...]    # initial state, then one per simulation round
    equilibria: tuple[Equilibrium, ...]
    kpis: dict[str, np.ndarray]        # expected (noise-free) KPIs at the levers
    expected_pay: np.ndarray           # E[total pay] under count noise
    effort_cost: np.ndarray
    why: Why
    sim_residual: float                # largest lever change in the last simulation round
    components: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def converged(self) -> bool:
        return all(e.converged for e in self.equilibria)


def solve(pay_fn: PayFunction, agents: Agents, state: SystemState, noise: np.ndarray,
          params: BehaviorParams | None = None, settings: SolverSettings | None = None,
          update_state: StateUpdate | None = None, sim_rounds: int = 3) -> BehaviorResult:
    """Agents' levers under ``pay_fn``: equilibrium, refreshed ``sim_rounds`` times from
    ``update_state(levers) -> SystemState`` when given (simulation in the loop)."""
    p, s = params or BehaviorParams(), settings or SolverSettings()
    span = np.ptp(p.bounds(), axis=1)
    states = [state]
    eqs: list[Equilibrium] = []
    lv = agents.natural_levers()
    sim_residual = 0.0
    rounds = max(1, sim_rounds) if update_state is not None else 1
    for j in range(rounds):
        ev = Evaluator(pay_fn, agents, state, noise, p, s)
        eq = equilibrium(ev, start=lv)
        sim_residual = float(np.max(np.abs(eq.levers - lv) / span)) if j else sim_residual
        lv = eq.levers
        eqs.append(eq)
        if update_state is not None and j < rounds - 1:
            state = update_state(lv)
            states.append(state)
    ev = Evaluator(pay_fn, agents, state, noise, p, s)
    pay, comps = ev.pay(lv, lv[:, None, :])
    return BehaviorResult(
        levers=lv, state=state, states=tuple(states), equilibria=tuple(eqs),
        kpis=expected_kpis(agents, lv, state, p), expected_pay=pay[:, 0],
        effort_cost=effort_cost(agents, lv, state.staffed_hours, p),
        why=explain(ev, lv), sim_residual=sim_residual,
        components={k: v[:, 0] for k, v in comps.items()})
