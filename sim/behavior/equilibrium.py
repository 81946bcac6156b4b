"""Equilibrium of best responses and the simulation-in-the-loop driver.

Absolute schemes: one best-response pass is the answer (an agent's pay does not depend on
the others' levers). Rank-order schemes (ranking bands, forced distribution): an ε-Nash
equilibrium — no agent gains more than ``regret_tol`` of its effort-cost scale from its
exact best response to the others (the tournament of Lazear & Rosen 1981 with
heterogeneous agents). Rounds of exact best responses to the others' current levers,
taken whole; after the first round at most a fixed share of the team changes basin (give
up ↔ compete) a round, so the rounds needed do not grow with the team (in a large team
one agent barely moves a band edge: a mean-field view).
Best responses are exact (no logit smoothing): expected band pay is averaged over own ×
others' noise draws (:mod:`sim.behavior.tournament`).
Every equilibrium reports each agent's regret — the exact best response's gain over the
reported levers on the pay actually used — whether or not it converged.
Then, if a state update is given (the simulator), the agents' levers are simulated, the
state they face is refreshed and the equilibrium is solved again, for a few rounds.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from sim.behavior.agents import Agents, effort_cost
from sim.behavior.mixed import Mixture, mixed_play, mixers_of
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
    others at ``levers`` — or, for a mixed equilibrium (``mixture``: agents that randomise
    between two lever points; ``levers`` are then the expected levers), over the expected
    pay of its own play against the others' mixture; regret_share: that gain / the agent's effort-cost scale
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
    mixture: Mixture | None = None

    @property
    def mixed(self) -> bool:
        """True when the levers are a mixed profile's expected levers (``mixture``; the
        regret is then against that mixture, sim/behavior/mixed.py)."""
        return self.mixture is not None

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
    """Absolute schemes: one certifying best response. Rank-order schemes: rounds of exact
    best responses (``best_response_play``) until max regret share ≤ regret_tol (certified
    by the thorough search) or max_rounds; the regret is computed at the levers returned
    either way."""
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
    return best_response_play(ev, lv, act, scale)


def best_response_play(ev: Evaluator, lv: np.ndarray, act: np.ndarray, scale: np.ndarray
                       ) -> Equilibrium:
    """Rounds of exact best responses to the others' current levers until no agent gains
    more than regret_tol (certified by the thorough search) or max_rounds.

    Each round every agent's best response to the others as they are is computed (coarse
    search; the thorough one when the coarse finds no gain above regret_tol, and at the
    last round — its best responses are then the moves). Agents gaining more than
    ``move_above`` × regret_tol move, to their best response whole (no damping: a point
    between two optima, "compete" and "give up", is neither). All of them move at once,
    except that after the first round at most ``jump_share`` of the team changes basin (a
    best response further than ``jump`` of a lever's range), the largest gains first.
    Why a share of the team and not one agent at a time: in a large team one agent's move
    shifts a band edge by about one place of n, so a fixed share of movers moves the field
    (the others' band edges per noise draw, what every agent responds to) by a bounded
    amount whatever n — the mean-field view of a large tournament — and the rounds needed
    do not grow with the team (asynchronous / inertial best-response dynamics; fictitious
    play's logic, Brown 1951, Robinson 1951: respond to what the others actually do).
    Returns the certified levers with the least max regret share."""
    s = ev.settings
    n = ev.agents.n
    span = np.ptp(ev.params.bounds(), axis=1)
    quota = max(1, int(np.ceil(s.jump_share * n)))
    history: list[float] = []
    window: list[np.ndarray] = []
    best = None
    for t in range(1, s.max_rounds + 1):
        # move on the coarse search; certify with the thorough one (a coarse grid misses
        # the narrow peaks of rank-order pay) when the coarse one says done, and at the end
        gain, br = regret(ev, lv, act, False)
        share = gain / scale
        last = t == s.max_rounds
        if share.max(initial=0.0) <= s.regret_tol or last:
            gain, br = regret(ev, lv, act, True)
            share = gain / scale
            top = float(share.max(initial=0.0))
            if best is None or top < best[0]:
                best = (top, lv, gain, share)
            if top <= s.regret_tol or last:
                history.append(top)
                top, lv, gain, share = best    # the least-regret certified levers seen
                pure = Equilibrium(lv, t, top <= s.regret_tol, True, gain, share,
                                   tuple(history))
                if pure.converged or s.mixed_rounds <= 0 or len(window) < s.cycle_window:
                    return pure
                return mixed_or_pure(ev, pure, np.array(window[-s.cycle_window:]), act,
                                     scale)
        history.append(float(share.max(initial=0.0)))
        gaining = share > s.move_above * s.regret_tol
        far = gaining & (np.max(np.abs(br - lv) / span, axis=1) > s.jump)
        if t > 1 and far.sum() > quota:
            keep = np.argsort(-np.where(far, share, -np.inf), kind="stable")[:quota]
            far = np.zeros(n, bool)
            far[keep] = True
        move = (gaining & ~(np.max(np.abs(br - lv) / span, axis=1) > s.jump)) | far
        lv = np.where(move[:, None], br, lv)
        window = (window + [lv])[-s.cycle_window:]
    raise AssertionError("unreachable: the last round returns")


def mixed_or_pure(ev: Evaluator, pure: Equilibrium, window: np.ndarray, act: np.ndarray,
                  scale: np.ndarray) -> Equilibrium:
    """A play that cycles: the agents who changed basin in ``window`` (the last rounds'
    levers) mix between their two points (:func:`sim.behavior.mixed.mixed_play`); the
    mixed equilibrium is returned when its certified max regret share is below the pure
    play's (a small tournament may have no pure equilibrium, Nash 1951), else the pure
    one. Rounds: both plays'."""
    s = ev.settings
    mix = mixers_of(window, np.ptp(ev.params.bounds(), axis=1), s.jump)
    if mix is None:
        return pure
    mix, gain, share, ok, used = mixed_play(ev, mix, act, scale, s.mixed_rounds)
    top = float(share.max(initial=0.0))
    if top >= pure.max_regret_share:
        return replace(pure, rounds=pure.rounds + used)
    return Equilibrium(mix.mean_levers(), pure.rounds + used, ok, True, gain, share,
                       pure.history + (top,), mix)


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
    lv = start = agents.natural_levers()
    sim_residual = 0.0
    rounds = max(1, sim_rounds) if update_state is not None else 1
    for j in range(rounds):
        ev = Evaluator(pay_fn, agents, state, noise, p, s)
        eq = equilibrium(ev, start=start)
        sim_residual = float(np.max(np.abs(eq.levers - lv) / span)) if j else sim_residual
        lv = eq.levers
        start = eq.mixture.likeliest() if eq.mixed else lv   # the next play starts pure
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
