"""Week and month roll-ups of the day rows (the seed's daily table, weekly report, monthly
review): counts summed over the calendar week (Monday start) or month, never ratios
averaged."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

Level = Literal["week", "month"]


@dataclass(frozen=True)
class Groups:
    """Calendar groups of the periods: a label per group and each period's group."""

    level: Level
    starts: np.ndarray        # datetime64[D], first calendar day of each group
    index: np.ndarray         # (T,) group of each period


def groups(dates: np.ndarray, level: Level) -> Groups:
    d = np.asarray(dates, dtype="datetime64[D]")
    if level == "week":
        # 1970-01-01 was a Thursday: shift so that weeks start on Monday
        start = d - ((d.astype(np.int64) + 3) % 7).astype("timedelta64[D]")
    else:
        start = d.astype("datetime64[M]").astype("datetime64[D]")
    labels, index = np.unique(start, return_inverse=True)
    return Groups(level, labels, index)


def sum_by(a: np.ndarray, g: Groups) -> np.ndarray:
    """(rows, groups): sums of (rows, T) over each group's periods."""
    out = np.zeros((a.shape[0], len(g.starts)))
    for j in range(len(g.starts)):
        out[:, j] = a[:, g.index == j].sum(axis=1)
    return out


def last_period(n: np.ndarray, g: Groups) -> np.ndarray:
    """(rows, groups): the last period of each group with trials (−1 when none)."""
    t = np.arange(n.shape[1])
    out = np.full((n.shape[0], len(g.starts)), -1)
    for j in range(len(g.starts)):
        cols = t[g.index == j]
        has = n[:, cols] > 0
        any_ = has.any(axis=1)
        last = cols[len(cols) - 1 - np.argmax(has[:, ::-1], axis=1)]
        out[:, j] = np.where(any_, last, -1)
    return out
