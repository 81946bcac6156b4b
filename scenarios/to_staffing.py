"""Turn a scenario's channels into the staffing math's typed inputs (planning.channel)."""

from __future__ import annotations

import math

from planning.channel import ChannelStaffing
from planning.requirements import Targets
from scenarios.schema import Channel, Scenario


def channel_staffing(name: str, ch: Channel, model: str) -> ChannelStaffing:
    """Staffing inputs of one channel. Non-exponential patience enters Erlang A by its mean
    (Whitt 2006: performance is relatively insensitive to the patience law beyond its
    mean, far less than to λ or μ)."""
    patience = math.inf
    if ch.patience is not None and model != "erlang_c":
        patience = ch.patience.mean_s
    sl = ch.service_level
    targets = Targets(
        service_level=sl.target if sl else None,
        within_s=sl.within_s if sl else 20.0,
        max_asa_s=ch.max_asa_s,
        max_abandon_rate=ch.max_abandon_rate,
        max_occupancy=ch.max_occupancy,
    )
    return ChannelStaffing(name=name, aht_s=ch.aht_s, patience_s=patience, targets=targets,
                           concurrency=ch.concurrency,
                           concurrency_slowdown=ch.concurrency_slowdown)


def scenario_staffing(scenario: Scenario) -> dict[str, ChannelStaffing]:
    """Staffing inputs for every inbound channel (outbound work is done in idle time and
    is not staffed by a queue model). The loader has checked targets and patience."""
    return {name: channel_staffing(name, ch, scenario.staffing.model)
            for name, ch in scenario.channels.items() if ch.kind != "outbound"}
