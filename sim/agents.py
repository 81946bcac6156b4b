"""The agents of one replication: a pool's people (fixed rosters) or its slots.

A pool with a ``duty`` (sim.model.Duty) has one agent per person, on duty exactly in
their rostered spans. Otherwise slot j of a pool works in interval i when j < staffing[i].
Either way an agent works only if it showed up (drawn once per replication with the pool's
show-up rate; seed 000: not every reserve agent turns up). Natural pace and FCR vary between agents (docs/behavior.md); levers then move them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.model import SimModel


@dataclass
class AgentTable:
    """Per-agent arrays (length = total slots over all pools)."""

    pool: np.ndarray          # pool index
    slot: np.ndarray          # slot within the pool
    showed: np.ndarray        # bool
    duty: np.ndarray          # bool [agent, interval]: rostered and showed up
    pace: np.ndarray          # handle-time multiplier: productivity × natural × lever speed
    fcr: np.ndarray           # resolution probability after levers
    availability: np.ndarray  # share of each staffed interval ready for inbound contacts
    online: np.ndarray        # share of each staffed interval ready or on outbound work
    aux_phase: np.ndarray     # where in the interval the not-ready window starts (0..1)
    outbound_effort: np.ndarray
    sales_push: np.ndarray
    speed_lever: np.ndarray

    def __len__(self) -> int:
        return len(self.pool)


def _beta_around(mean: float, sd: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Beta draws with the given mean and sd (sd 0 → the mean itself)."""
    if sd <= 0 or mean <= 0 or mean >= 1:
        return np.full(n, mean)
    var = min(sd * sd, mean * (1 - mean) * 0.99)
    k = mean * (1 - mean) / var - 1
    return rng.beta(mean * k, (1 - mean) * k, n)


def build_agents(model: SimModel, rng: np.random.Generator) -> AgentTable:
    """Draw show-up, natural pace and FCR per slot; apply the levers (``agents`` stream)."""
    parts: dict[str, list[np.ndarray]] = {k: [] for k in AgentTable.__dataclass_fields__}
    for p, pool in enumerate(model.pools):
        staffing = np.asarray(pool.staffing, dtype=np.int64)
        n = pool.size
        showed = rng.random(n) < pool.show_up
        if pool.speed_cv > 0:
            s2 = np.log1p(pool.speed_cv ** 2)
            natural = rng.lognormal(-s2 / 2, np.sqrt(s2), n)
        else:
            natural = np.ones(n)
        fcr0 = _beta_around(pool.quality.fcr, pool.quality.fcr_sd, n, rng)
        phase = rng.random(n)
        lev = pool.levers.per_agent(n)
        pace0 = pool.productivity * natural
        if pool.natural_pace is not None:       # skills from the behaviour model
            pace0 = np.asarray(pool.natural_pace, float)[:n]
        if pool.natural_fcr is not None:
            fcr0 = np.asarray(pool.natural_fcr, float)[:n]
        online = lev["availability"]
        ready = online * (1.0 - lev["outbound_effort"]) if model.outbound.mode == "ready_time" \
            else online
        rostered = (pool.duty.matrix(model.interval_s, model.n_intervals)
                    if pool.duty is not None else np.arange(n)[:, None] < staffing[None, :])
        duty = rostered & showed[:, None]
        parts["pool"].append(np.full(n, p, dtype=np.int64))
        parts["slot"].append(np.arange(n))
        parts["showed"].append(showed)
        parts["duty"].append(duty.reshape(n, model.n_intervals))
        parts["pace"].append(pace0 * lev["speed"])
        parts["fcr"].append(model.effects.fcr(fcr0, lev["speed"]))
        parts["availability"].append(ready)
        parts["online"].append(online)
        parts["aux_phase"].append(phase)
        parts["outbound_effort"].append(lev["outbound_effort"])
        parts["sales_push"].append(lev["sales_push"])
        parts["speed_lever"].append(lev["speed"])
    out = {}
    for k, v in parts.items():
        if k == "duty":
            out[k] = np.concatenate(v, axis=0) if v else np.zeros((0, model.n_intervals), bool)
        else:
            out[k] = np.concatenate(v) if v else np.zeros(0)
    return AgentTable(**out)
