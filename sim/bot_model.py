"""The typed input of a bot in front of a channel, shared by the simulator's bot stage
(sim.bot) and the planning transform (planning.bot); model: docs/bot.md."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class BotSpec:
    """The bot in front of one channel (typed, validated by the file layer)."""

    entry_share: float
    reasons: tuple[str, ...] = ("all",)
    weights: tuple[float, ...] = (1.0,)
    containment: tuple[float, ...] = (0.0,)   # one per reason
    abandon: float = 0.0
    return_p: float = 0.0
    return_dist: str = "exponential"
    return_mean_s: float = 3600.0
    handoff_aht_factor: float = 1.0
    bot_time_s: float = 0.0
    customer_requested: float | None = None
    contained_conversion: float = 0.0
    # containment × this inside promotion events, one value per interval (None: all 1)
    containment_factor: np.ndarray | None = None
    # "bot degraded" scenario: with probability degraded_p a replication's bot contains
    # × degraded_factor (drawn once per replication from the bot's stream)
    degraded_p: float = 0.0
    degraded_factor: float = 1.0

    @property
    def mean_containment(self) -> float:
        return float(np.dot(self.weights, self.containment))

    def containment_by_interval(self, n: int) -> np.ndarray:
        """c̄ per interval (the event factor applied)."""
        f = np.ones(n) if self.containment_factor is None else np.asarray(
            self.containment_factor, float)[:n]
        return self.mean_containment * f
