"""The rest of the day simulated from the floor as it is, with the actions and without.

Both cases run the same replications on the same random streams (common random numbers,
sim.streams): the difference between them is the actions', not the draw's. The
"without" case is a plain simulation of the roster as it stands (first stage, the
recourse already ordered, the absences seen), so it equals ``sim.runner.run_replications``
on that staffing; contacts already waiting at "now" arrive at its first instant.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from sim.model import SimModel
from sim.runner import Demand, run_replications

#: the per-channel KPIs the replay reports
KPIS = ("offered", "answered", "abandoned", "service_level", "abandon_rate", "asa_s",
        "occupancy")


@dataclass(frozen=True)
class ReplayCase:
    """One simulated case: per channel KPI means over the replications, the staffing."""

    channels: dict[str, dict[str, float]]
    staffing: dict[str, np.ndarray]
    cost: float  # recourse pay on duty over the replayed intervals


def with_staffing(model: SimModel, staffing: dict[str, np.ndarray]) -> SimModel:
    """``model`` with its pools' agents per interval replaced (pools not named: none)."""
    n = model.n_intervals
    pools = tuple(replace(p, staffing=np.asarray(staffing.get(p.name, np.zeros(n)),
                                                 dtype=np.int64)) for p in model.pools)
    return replace(model, pools=pools)


def simulate_case(model: SimModel, demand: Demand, staffing: dict[str, np.ndarray],
                  replications: int, seed: int, cost: float = 0.0,
                  workers: int = 1) -> ReplayCase:
    """``replications`` runs of ``model`` with ``staffing``; KPI means per channel."""
    res = run_replications(with_staffing(model, staffing), demand, replications, seed,
                           workers=workers)
    summary = res.channel_summary()
    chans = {ch: {k: float(v[k][0]) for k in KPIS if k in v} for ch, v in summary.items()}
    return ReplayCase(chans, staffing, cost)


def queued_arrivals(model: SimModel, rates: dict[str, np.ndarray], waiting: dict[str, int],
                    rng: np.random.Generator) -> dict[str, np.ndarray] | None:
    """Arrival times (s) for a trace: the contacts waiting at "now" at time 0, then Poisson
    arrivals at ``rates`` (per hour per interval). None when nobody waits (the simulator
    then draws the arrivals itself)."""
    if not any(waiting.values()):
        return None
    out = {}
    L = model.interval_s
    for ch, r in rates.items():
        times = [np.zeros(int(waiting.get(ch, 0)))]
        for i, rate in enumerate(np.asarray(r, float)):
            k = rng.poisson(rate * L / 3600.0)
            times.append(np.sort(i * L + rng.uniform(0.0, L, k)))
        out[ch] = np.concatenate(times)
    return out


def recourse_cost(staffing: dict[str, np.ndarray], price_per_hour: dict[str, float],
                  interval_h: float) -> float:
    """Pay of the recourse pools on duty: Σ agents × interval hours × price per hour."""
    return float(sum(np.asarray(staffing.get(p, 0.0), float).sum() * interval_h * c
                     for p, c in price_per_hour.items()))
