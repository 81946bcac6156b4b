"""Equilibrium of best responses and the simulation-in-the-loop driver.

Absolute schemes: one best-response pass is the answer (an agent's pay does not depend on
the others' levers). Rank-order schemes (ranking bands, forced distribution): damped best
responses, l ← l + λ (BR(l) − l) for the agents who would gain by deviating (a best
response in another basin — give up instead of compete — taken whole by a few agents a
round; late in the iteration one agent at a time), until no agent
gains more than ``regret_tol`` of its effort-cost scale from its exact best response to the
others (an ε-Nash equilibrium, the tournament equilibrium of Lazear & Rosen 1981 with
heterogeneous agents). Best responses are exact (no logit smoothing): expected band pay is
averaged over own × others' noise draws (:mod:`sim.behavior.tournament`), fine enough that
damped play settles (damped / fictitious-play dynamics, Brown 1951, Robinson 1951).
Every equilibrium reports each agent's regret — the exact best response's gain over the
reported levers on the pay actually used — whether or not it converged.
Then, if a state update is given (the simulator), the agents' levers are simulated, the
state they face is refreshed and the equilibrium is solved again, for a few rounds.
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
    """Levers (n, 4) at the end of the iteration, how it got there and how good it is.

    regret (n,): each agent's gain (money per period) from its exact best response to the
    others at ``levers``; regret_share: that gain / the agent's effort-cost scale
    (cost_per_hour × staffed hours). converged ⇔ max regret share ≤ the tolerance.
    history: the max regret share at the start of each round.
    """

    levers: np.ndarray
    rounds: int
    converged: bool
    relative: bool
    regret: np.ndarray
    regret_share: np.ndarray
    history: tuple[float, ...] = ()

    @property
    def max_regret(self) -> float:
        return float(np.max(self.regret)) if self.regret.size else 0.0

    @property
    def max_regret_share(self) -> float:
        return float(np.max(self.regret_share)) if self.regret_share.size else 0.0


def cost_scale(ev: Evaluator) -> np.ndarray:
    """Each agent's effort-cost scale: cost_per_hour × staffed hours in the period (n,)."""
    return np.broadcast_to(ev.agents.cost_per_hour * np.asarray(ev.state.staffed_hours,
                                                                dtype=float), (ev.agents.n,))


def regret(ev: Evaluator, levers: np.ndarray, active: np.ndarray | None = None,
           thorough: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Exact best-response gain per agent at ``levers`` (n,), and the best responses
    (``thorough``: the certifying search, see ``best_response``)."""
    br, best = best_response(ev, levers, active, thorough)
    here = ev.objective(levers, levers[:, None, :])[:, 0]
    return np.maximum(best - here, 0.0), br


def equilibrium(ev: Evaluator, start: np.ndarray | None = None) -> Equilibrium:
    """Damped exact best responses until max regret share ≤ regret_tol (one pass for
    absolute schemes); the regret is computed at the levers returned either way."""
    s = ev.settings
    lv = ev.agents.natural_levers() if start is None else np.array(start, dtype=float)
    scale = np.where(cost_scale(ev) > 0, cost_scale(ev), 1.0)
    act = active_levers(ev, lv)           # which levers the pay reacts to (structural)
    if not ev.relative:
        # one certifying best response: the levers are it, so no agent gains by deviating
        lv, _ = best_response(ev, lv, act, thorough=True)
        gain = np.zeros(ev.agents.n)
        share = gain / scale
        return Equilibrium(lv, 1, bool(np.all(share <= s.regret_tol)), False, gain, share,
                           (float(share.max(initial=0.0)),))
    history: list[float] = []
    lam = np.full(ev.agents.n, s.damping)
    span = np.ptp(ev.params.bounds(), axis=1)
    prev_share = None
    best = None
    for t in range(1, s.max_rounds + 1):
        # move on the coarse search; certify with the thorough one (a coarse grid misses
        # the narrow peaks of rank-order pay) when the coarse one says done, and at the end
        gain, br = regret(ev, lv, act, False)
        share = gain / scale
        certified = share.max(initial=0.0) <= s.regret_tol or t == s.max_rounds
        if certified:
            gain, br = regret(ev, lv, act, True)
            share = gain / scale
            history.append(float(share.max(initial=0.0)))
            if best is None or history[-1] < best[0]:
                best = (history[-1], lv, gain, share)
            if history[-1] <= s.regret_tol or t == s.max_rounds:
                _, lv, gain, share = best   # the least-regret certified levers seen
                return Equilibrium(lv, t, best[0] <= s.regret_tol, True, gain, share,
                                   tuple(history))
        else:
            history.append(float(share.max(initial=0.0)))
        if prev_share is not None:        # an agent whose regret grew overshot: damp harder
            lam = np.where(share > prev_share, np.maximum(lam * 0.7, s.min_damping), lam)
        gaining = share > 0.5 * s.regret_tol  # agents close to their best response stay put
        # a best response in another basin (compete hard ↔ give up) is taken whole, not
        # damped (a point between two optima is neither); after the first round only the
        # agents with the largest regret jump, so the field can answer (asynchronous play)
        far = gaining & (np.max(np.abs(br - lv) / span, axis=1) > s.jump)
        if t > 1 and far.any():
            quota = max(1, int(np.ceil(s.jump_share * ev.agents.n)))
            keep = np.argsort(-np.where(far, share, -np.inf))[:quota]
            far = np.zeros_like(far)
            far[keep] = True
            far &= gaining
        near = gaining & (np.max(np.abs(br - lv) / span, axis=1) <= s.jump)
        step = np.where(far, 1.0, np.where(near, lam, 0.0))
        if t > s.sequential_after * s.max_rounds:
            # still not settled: one agent at a time, the largest regret takes its best
            # response whole (asynchronous best-response dynamics)
            step = np.zeros(ev.agents.n)
            step[int(np.argmax(share))] = 1.0
        lv = lv + step[:, None] * (br - lv)
        prev_share = share
    raise AssertionError("unreachable")


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
    def equilibrium(self) -> Equilibrium:
        """The last equilibrium: the one the levers come from (against the last state)."""
        return self.equilibria[-1]

    @property
    def converged(self) -> bool:
        return self.equilibrium.converged


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
