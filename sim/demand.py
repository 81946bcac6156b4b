"""The demand one replication runs: arrival rates per channel and interval, the demand
scenario's multiplier, or a replayed trace.

A type of its own, below the runner that simulates it and the size check that refuses it
when it cannot fit in memory (sim/sizes.py), so neither needs the other to be read.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Demand:
    """Arrival rates (per hour, per interval) by channel name, and a multiplier (a demand
    scenario: forecast uncertainty) applied to all of them. ``arrivals`` (arrival times in
    seconds by channel) replays a trace instead of drawing Poisson arrivals."""

    rates: dict[str, np.ndarray]
    multiplier: float = 1.0
    arrivals: dict[str, np.ndarray] | None = None
    handle_time_factor: dict[str, np.ndarray] | None = None  # per interval, by arrival
    name: str = ""
    # the demand scenario's peak multiplier when ``rates`` already include it (reporting)
    scenario_multiplier: float | None = None
