"""Best response: each agent's levers maximising E[pay] − effort cost.

E[pay] is the pay function on the surrogate's KPI table averaged over common noise draws.
Absolute schemes (``relative`` False) pay every candidate row in one stacked table;
relative ones pay unilateral deviations: agent i's row at the candidate, every other
agent at its current levers (the same noise draw for all rows of a table).
Search: levers the pay does not react to stay at the natural point (they only cost
effort); the others are searched on a product grid, then refined by a pattern search
(3^d neighbourhood, step halving).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from sim.behavior.agents import Agents, effort_cost
from sim.behavior.params import BehaviorParams, SolverSettings
from sim.behavior.pay import PayFunction, is_relative, pay_tables
from sim.behavior.state import SystemState
from sim.behavior.surrogate import noisy_kpis


@dataclass
class Evaluator:
    """Expected pay of candidate levers for one pay function, agent set and state."""

    pay_fn: PayFunction
    agents: Agents
    state: SystemState
    noise: np.ndarray                  # (R, n, channels), common across policies
    params: BehaviorParams
    settings: SolverSettings

    @property
    def relative(self) -> bool:
        return is_relative(self.pay_fn)

    def _ids(self, shape: tuple[int, ...], axis: int) -> tuple[np.ndarray, np.ndarray]:
        """agent_id and pool columns broadcast to ``shape`` with agents along ``axis``."""
        idx = [1] * len(shape)
        idx[axis] = self.agents.n
        ids = np.broadcast_to(self.agents.agent_id.reshape(idx), shape)
        pool = np.broadcast_to(self.agents.pool.reshape(idx), shape)
        return ids, pool

    def pay(self, current: np.ndarray, cand: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """E[total pay] (n, K) and E[component] (n, K) for candidates ``cand`` (n, K, 4)."""
        if self.relative:
            return self._pay_relative(current, cand)
        return self._pay_stacked(cand)

    def _pay_stacked(self, cand: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        kpis = noisy_kpis(self.agents, cand, self.state, self.noise, self.params)  # (R, n, K)
        shape = next(iter(kpis.values())).shape
        ids, pool = self._ids(shape, 1)
        table = {k: v.reshape(1, -1) for k, v in kpis.items()}
        table["agent_id"], table["pool"] = ids.reshape(1, -1), pool.reshape(1, -1)
        out = pay_tables(self.pay_fn, table)
        comps = {k: v.reshape(shape).mean(axis=0) for k, v in out.components.items()}
        return out.total.reshape(shape).mean(axis=0), comps

    def _pay_relative(self, current: np.ndarray,
                      cand: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        n, k = cand.shape[:2]
        r = self.noise.shape[0]
        base = noisy_kpis(self.agents, current, self.state, self.noise, self.params)  # (R, n)
        mine = noisy_kpis(self.agents, cand, self.state, self.noise, self.params)     # (R, n, K)
        total = np.zeros((n, k))
        comps: dict[str, np.ndarray] = {}
        step = max(1, self.settings.chunk // max(r, 1))
        for i in range(n):
            for lo in range(0, k, step):
                hi = min(k, lo + step)
                kk = hi - lo
                table = {}
                for name, col in base.items():
                    t = np.repeat(col[:, None, :], kk, axis=1)          # (R, kk, n)
                    t[:, :, i] = mine[name][:, i, lo:hi]
                    table[name] = t.reshape(r * kk, n)
                ids, pool = self._ids((r * kk, n), 1)
                table["agent_id"], table["pool"] = ids, pool
                out = pay_tables(self.pay_fn, table)
                total[i, lo:hi] = out.total[:, i].reshape(r, kk).mean(axis=0)
                for name, v in out.components.items():
                    comps.setdefault(name, np.zeros((n, k)))[i, lo:hi] = \
                        v[:, i].reshape(r, kk).mean(axis=0)
        return total, comps

    def objective(self, current: np.ndarray, cand: np.ndarray) -> np.ndarray:
        """E[pay] − effort cost, (n, K)."""
        total, _ = self.pay(current, cand)
        return total - effort_cost(self.agents, cand, self.state.staffed_hours, self.params)


def lever_grids(params: BehaviorParams, settings: SolverSettings) -> list[np.ndarray]:
    b = params.bounds()
    return [np.linspace(b[j, 0], b[j, 1], settings.grid[j]) for j in range(4)]


def active_levers(ev: Evaluator, current: np.ndarray) -> np.ndarray:
    """Levers whose single-lever moves from ``current`` change someone's E[pay]."""
    grids = lever_grids(ev.params, ev.settings)
    cands = [current[:, None, :].copy()]
    owner = [-1]
    for j, g in enumerate(grids):
        c = np.repeat(current[:, None, :], len(g), axis=1)
        c[:, :, j] = g
        cands.append(c)
        owner += [j] * len(g)
    pay, _ = ev.pay(current, np.concatenate(cands, axis=1))
    owner_arr = np.array(owner)
    scale = 1e-9 * (1.0 + np.abs(pay[:, :1]))
    moved = np.abs(pay - pay[:, :1]) > scale
    return np.array([bool(moved[:, owner_arr == j].any()) for j in range(4)])


def best_response(ev: Evaluator, current: np.ndarray, active: np.ndarray | None = None,
                  temperature: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Levers (n, 4) maximising E[pay] − cost given the others at ``current``; and the value.

    ``temperature`` > 0 (a share of each agent's effort-cost scale): the logit-smoothed
    best response instead — the mean of the grid candidates (no pattern search)
    weighted by exp((V − V_best) / τ) (smooth fictitious play; McKelvey & Palfrey 1995
    quantal response), used for relative schemes whose exact best response jumps.
    """
    p, s = ev.params, ev.settings
    n = ev.agents.n
    natural = ev.agents.natural_levers()
    act = active_levers(ev, current) if active is None else active
    if not act.any():
        return natural, ev.objective(current, natural[:, None, :])[:, 0]
    grids = lever_grids(p, s)
    on = np.flatnonzero(act)
    combos = np.array(list(itertools.product(*[grids[j] for j in on])))      # (G, d)
    cand = np.repeat(natural[:, None, :], len(combos) + 2, axis=1)
    cand[:, :len(combos), on] = combos[None]
    cand[:, -1, on] = current[:, on]                                          # stay put
    value = ev.objective(current, cand)
    grid_cand, grid_value = cand, value
    pick = np.argmax(value, axis=1)
    best = cand[np.arange(n), pick]
    best_value = value[np.arange(n), pick]
    bounds = p.bounds()
    step = np.array([(bounds[j, 1] - bounds[j, 0]) / max(s.grid[j] - 1, 1) / 2 for j in on])
    offsets = np.array(list(itertools.product((-1.0, 0.0, 1.0), repeat=len(on))))
    span = bounds[on, 1] - bounds[on, 0]
    rounds = int(np.ceil(np.log2(max(float(np.max(step / span)) / s.resolution, 1.0)))) + 1
    if temperature > 0:
        rounds = 0            # the logit mean over the grid is already continuous
    for _ in range(rounds):
        cand = np.repeat(best[:, None, :], len(offsets), axis=1)
        cand[:, :, on] = np.clip(best[:, None, on] + offsets[None] * step,
                                 bounds[on, 0], bounds[on, 1])
        value = ev.objective(current, cand)
        pick = np.argmax(value, axis=1)
        better = value[np.arange(n), pick] > best_value
        best = np.where(better[:, None], cand[np.arange(n), pick], best)
        best_value = np.where(better, value[np.arange(n), pick], best_value)
        step = step / 2.0
    if temperature > 0:
        tau = temperature * ev.agents.cost_per_hour * np.asarray(ev.state.staffed_hours)
        tau = np.broadcast_to(tau, (n,))[:, None]
        allc = np.concatenate([best[:, None, :], grid_cand], axis=1)
        allv = np.concatenate([best_value[:, None], grid_value], axis=1)
        w = np.exp((allv - best_value[:, None]) / tau)
        smooth = (w[:, :, None] * allc).sum(axis=1) / w.sum(axis=1)[:, None]
        return smooth, best_value
    return best, best_value
