"""Per-channel staffing inputs and the requirement table for a whole horizon."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from planning.requirements import Requirement, Targets, requirements


@dataclass(frozen=True)
class ChannelStaffing:
    """What the staffing math needs to know about one channel.

    aht_s: mean time a contact occupies an agent at concurrency 1 (handle + wrap-up).
    patience_s: mean patience (exponential, Erlang A); inf for Erlang C.
    """

    name: str
    aht_s: float
    patience_s: float
    targets: Targets
    concurrency: int = 1
    concurrency_slowdown: float = 0.0

    @property
    def model(self) -> str:
        return "erlang_c" if math.isinf(self.patience_s) else "erlang_a"


def channel_requirements(rates_per_hour: dict[str, np.ndarray],
                         channels: dict[str, ChannelStaffing], shrinkage: float,
                         aht_by_interval: dict[str, np.ndarray] | None = None
                         ) -> dict[str, Requirement]:
    """Requirement per interval for every channel (SIPP: each interval on its own).

    ``aht_by_interval`` optionally overrides a channel's AHT per interval (e.g. longer
    contacts during a promotion event).
    """
    out: dict[str, Requirement] = {}
    for name, spec in channels.items():
        aht = spec.aht_s
        if aht_by_interval and name in aht_by_interval:
            aht = aht_by_interval[name]
        out[name] = requirements(rates_per_hour[name], aht, spec.patience_s, spec.targets,
                                 concurrency=spec.concurrency,
                                 concurrency_slowdown=spec.concurrency_slowdown,
                                 shrinkage=shrinkage)
    return out
