"""Heterogeneous agents: skills drawn once per pool (common random numbers across policies)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sim.behavior.params import AVAILABILITY, OUTBOUND, SPEED, BehaviorParams, SkillDistribution


@dataclass(frozen=True)
class Agents:
    """Skills per agent (arrays of length n). ``speed`` multiplies the base handle time."""

    agent_id: np.ndarray
    pool: np.ndarray
    speed: np.ndarray
    fcr: np.ndarray
    availability: np.ndarray
    sales: np.ndarray
    cost_per_hour: np.ndarray
    outbound_natural: np.ndarray
    #: ready share of staffed time per unit of the availability lever (None: 1): maps the
    #: agents' availability onto the team the simulation stage ran (shrinkage, the pool's
    #: availability) — see ``sim.compare.team_agents``
    ready_factor: np.ndarray | None = None

    @property
    def n(self) -> int:
        return len(self.speed)

    def ready_share(self, availability: np.ndarray) -> np.ndarray:
        """Share of staffed time ready (inbound or outbound work) at the availability
        lever, ``availability`` (n, ...): min(ready_factor × a, 1)."""
        if self.ready_factor is None:
            return availability
        k = self.ready_factor.reshape((self.n,) + (1,) * (np.ndim(availability) - 1))
        return np.minimum(k * availability, 1.0)

    def natural_levers(self) -> np.ndarray:
        """The natural point l⁰ = (1, availability_i, outbound_natural_i, 0), shape (n, 4)."""
        lv = np.zeros((self.n, 4))
        lv[:, SPEED] = 1.0
        lv[:, AVAILABILITY] = self.availability
        lv[:, OUTBOUND] = self.outbound_natural
        return lv


def _beta(rng: np.random.Generator, mean: float, concentration: float, n: int) -> np.ndarray:
    return rng.beta(mean * concentration, (1.0 - mean) * concentration, n)


def _lognormal_mean(rng: np.random.Generator, mean: float, cv: float, n: int) -> np.ndarray:
    sigma2 = np.log1p(cv * cv)
    return mean * rng.lognormal(-0.5 * sigma2, np.sqrt(sigma2), n)


def draw_agents(pools: Sequence[tuple[str, int, SkillDistribution]], rng: np.random.Generator,
                params: BehaviorParams | None = None) -> Agents:
    """Draw skills for ``count`` agents of each ``(pool, count, distribution)``.

    Use a dedicated child stream (e.g. ``SeedSequence.spawn``) so that every policy
    compared faces the same agents. Draw order is fixed per pool: speed, fcr,
    availability, sales, cost.
    """
    p = params or BehaviorParams()
    lo, hi = p.availability_bounds
    cols: dict[str, list[np.ndarray]] = {k: [] for k in
                                         ("pool", "speed", "fcr", "availability", "sales",
                                          "cost_per_hour", "outbound_natural")}
    for name, count, d in pools:
        cols["pool"].append(np.full(count, name, dtype=object))
        cols["speed"].append(_lognormal_mean(rng, 1.0, d.speed_cv, count))
        cols["fcr"].append(_beta(rng, d.fcr_mean, d.fcr_concentration, count))
        cols["availability"].append(np.clip(rng.normal(d.availability_mean, d.availability_sd,
                                                       count), lo, hi))
        cols["sales"].append(_beta(rng, d.sales_mean, d.sales_concentration, count))
        cols["cost_per_hour"].append(_lognormal_mean(rng, d.cost_per_hour, d.cost_cv, count))
        cols["outbound_natural"].append(np.full(count, float(d.outbound_natural)))
    arrays = {k: np.concatenate(v) if v else np.zeros(0) for k, v in cols.items()}
    pool = arrays.pop("pool").astype(str)
    ids = np.array([f"A{i + 1:03d}" for i in range(len(pool))])
    return Agents(agent_id=ids, pool=pool, **arrays)


def effort_cost(agents: Agents, levers: np.ndarray, staffed_hours: float | np.ndarray,
                params: BehaviorParams) -> np.ndarray:
    """C_i(l) = cost_per_hour_i × T × Σ_k w_k (l_k − l⁰_k)²; ``levers`` shape (n, ..., 4)."""
    extra = levers.ndim - 2
    nat = agents.natural_levers().reshape((agents.n,) + (1,) * extra + (4,))
    scale = (agents.cost_per_hour * np.asarray(staffed_hours, dtype=float))
    scale = np.broadcast_to(scale, (agents.n,)).reshape((agents.n,) + (1,) * extra)
    return scale * ((levers - nat) ** 2 @ params.weights())


def marginal_effort_cost(agents: Agents, levers: np.ndarray, staffed_hours: float | np.ndarray,
                         params: BehaviorParams) -> np.ndarray:
    """∂C/∂l_k = 2 cost_per_hour_i T w_k (l_k − l⁰_k), shape (n, 4)."""
    scale = np.broadcast_to(agents.cost_per_hour * np.asarray(staffed_hours, dtype=float),
                            (agents.n,))
    return 2.0 * scale[:, None] * params.weights() * (levers - agents.natural_levers())


def simulator_levers(levers: np.ndarray, agents: Agents | None = None
                     ) -> dict[str, np.ndarray]:
    """Levers (n, 4) as the simulator's per-agent inputs (``sim.levers.Levers`` fields);
    availability as the ready share of staffed time (``Agents.ready_share``)."""
    a = levers[:, AVAILABILITY].copy()
    return {"speed": levers[:, SPEED].copy(),
            "availability": agents.ready_share(a) if agents is not None else a,
            "outbound_effort": levers[:, OUTBOUND].copy(), "sales_push": levers[:, 3].copy()}
