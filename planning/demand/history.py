"""Contact history on one interval grid: the forecaster's and the synthesiser's data type.

Plain arrays only; reading and writing the CSV lives in :mod:`scenarios.reading.history`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np


@dataclass(frozen=True)
class ChannelHistory:
    """One channel on the common interval grid; unobserved intervals have ``observed`` False."""

    contacts: np.ndarray          # float64, NaN where unobserved
    observed: np.ndarray          # bool
    orders: np.ndarray | None     # float64 per interval (NaN where unobserved)
    events: np.ndarray            # object array of event names ('' = none)


@dataclass(frozen=True)
class History:
    """Interval counts per channel on one grid of ``n`` intervals starting at ``start``."""

    start: datetime
    interval_minutes: int
    n: int
    channels: dict[str, ChannelHistory]
    filled: int = 0               # intervals added by fill_gaps

    def timestamps(self) -> list[datetime]:
        step = timedelta(minutes=self.interval_minutes)
        return [self.start + i * step for i in range(self.n)]

    @property
    def has_orders(self) -> bool:
        return all(c.orders is not None for c in self.channels.values())
