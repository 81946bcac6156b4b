"""In-house shift instances over the horizon and the intervals each one covers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planning.mix_inputs import InHouse


@dataclass(frozen=True)
class ShiftInstance:
    """One shift that can be staffed: pattern ``pattern`` starting at interval ``start``."""

    day: int
    pattern: int
    start: int
    cover: tuple[int, ...]  # horizon intervals on the queue (breaks excluded, clipped to horizon)
    paid_hours: float


def shift_instances(ih: InHouse, n_intervals: int, per_day: int) -> list[ShiftInstance]:
    """Every (day, pattern, allowed start) whose start falls inside the horizon.

    A shift may run past midnight into the next day's intervals; it counts as a shift of
    the day it starts on (days-off rule). Shifts running past the horizon end are paid in
    full but cover only the horizon's intervals.
    """
    out: list[ShiftInstance] = []
    days = -(-n_intervals // per_day)
    for d in range(days):
        for j, p in enumerate(ih.patterns):
            off = set(p.breaks)
            for s in sorted(set(p.starts)):
                g = d * per_day + s
                if g >= n_intervals:
                    continue
                cover = tuple(g + k for k in range(p.length)
                              if k not in off and g + k < n_intervals)
                out.append(ShiftInstance(d, j, g, cover, p.paid_hours))
    return out


def coverage_matrix(shifts: list[ShiftInstance], n_intervals: int) -> np.ndarray:
    """a[i, t] = 1 when shift i has the agent on the queue in interval t."""
    a = np.zeros((len(shifts), n_intervals), dtype=np.int8)
    for i, sh in enumerate(shifts):
        a[i, list(sh.cover)] = 1
    return a
