"""The system state an agent faces, refreshed from simulation between rounds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SystemState:
    """What the queue looks like from one agent's seat over one pay period.

    occupancy: team inbound occupancy ρ (busy on inbound / ready time) — sets how often an
    idle agent is rung; team_aht_s: the team's mean inbound handle time (with ρ it gives
    the ring rate per idle hour ν = ρ / ((1 − ρ) team_aht)); base_aht_s: handle time of
    a speed-1 agent at the natural pace; offered_per_ready_hour: contacts offered per ready
    agent-hour (sets the missed rings while not ready); outbound_connect_rate: share of
    outbound dials that connect; staffed_hours: staffed hours per agent in the pay period
    (scalar or one per agent); aht_factor: load effect on handle time measured by the
    simulator (KC & Terwiesch 2009 speed-up under load), 1 = none.
    """

    occupancy: float = 0.85
    team_aht_s: float = 300.0
    base_aht_s: float = 300.0
    offered_per_ready_hour: float = 10.0
    outbound_connect_rate: float = 0.6
    staffed_hours: float | np.ndarray = 176.0
    aht_factor: float = 1.0


#: Simulation in the loop: levers (n, 4) in, the state the agents then face out.
StateUpdate = Callable[[np.ndarray], SystemState]


def state_from_totals(*, ready_s: float, inbound_busy_s: float, answered: float,
                      offered: float, outbound_calls: float, outbound_connects: float,
                      staffed_s: float | np.ndarray, base_aht_s: float,
                      aht_factor: float = 1.0) -> SystemState:
    """The state the agents faced, from a simulated period's team totals.

    occupancy = inbound busy / ready time; team_aht_s = inbound busy / answered;
    offered_per_ready_hour = offered / ready hours; outbound_connect_rate = connects /
    calls; staffed_hours = staffed_s / 3600 per agent (the pay period's hours).
    """
    return SystemState(
        occupancy=float(inbound_busy_s / ready_s) if ready_s > 0 else 0.0,
        team_aht_s=float(inbound_busy_s / answered) if answered > 0 else base_aht_s,
        base_aht_s=base_aht_s,
        offered_per_ready_hour=float(offered / (ready_s / 3600.0)) if ready_s > 0 else 0.0,
        outbound_connect_rate=float(outbound_connects / outbound_calls)
        if outbound_calls > 0 else 0.0,
        staffed_hours=np.asarray(staffed_s, dtype=float) / 3600.0,
        aht_factor=aht_factor)
