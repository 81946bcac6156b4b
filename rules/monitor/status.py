"""Status of every cell of the monitoring table (a row — agent or team — on one period, or
on a week or month roll-up).

In order of precedence: ``no_data`` (no trials); ``below_floor`` (the cell's own counts put
it below the floor, :mod:`rules.monitor.floor`); ``decline`` / ``improvement`` (on that
morning the row's chart stood in a shift: from the period it signalled until it drained
back — what the table said that day, never rewritten later; when the shift began is the
episode's estimated start, carried by the flag); ``on_target`` (the ratio meets the
target, or there is none); otherwise ``within_noise``: off target, but no shift of the
row's own rate beyond what its counts explain.
"""

from __future__ import annotations

import numpy as np

from rules.monitor.charts import Episode
from rules.monitor.floor import floor_tail
from rules.monitor.inputs import MetricSeries

STATUSES = ("no_data", "below_floor", "decline", "improvement", "on_target", "within_noise")
NO_DATA, BELOW_FLOOR, DECLINE, IMPROVEMENT, ON_TARGET, WITHIN_NOISE = range(6)


def episode_mask(shape: tuple[int, int], eps: list[Episode]) -> np.ndarray:
    """(rows, T) bool: periods in which an episode stood (signalled..until). Depends only
    on what was known by each period, so a day's status never changes afterwards."""
    m = np.zeros(shape, dtype=bool)
    for e in eps:
        m[e.chart, e.signalled:e.until + 1] = True
    return m


def meets_target(series: MetricSeries, value: np.ndarray) -> np.ndarray:
    if series.target is None:
        return np.ones(value.shape, dtype=bool)
    with np.errstate(invalid="ignore"):
        return value >= series.target if series.higher else value <= series.target


def below_floor(series: MetricSeries, x: np.ndarray, n: np.ndarray, confidence: float
                ) -> np.ndarray:
    if series.floor is None:
        return np.zeros(x.shape, dtype=bool)
    return floor_tail(series.model, x, n, series.floor, series.higher) < 1.0 - confidence


def cell_status(series: MetricSeries, x: np.ndarray, n: np.ndarray, declined: np.ndarray,
                improved: np.ndarray, confidence: float) -> np.ndarray:
    """(rows, cells) status codes (indices into :data:`STATUSES`)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(n > 0, x / np.where(n > 0, n, 1.0), np.nan)
    out = np.where(meets_target(series, value), ON_TARGET, WITHIN_NOISE)
    out = np.where(improved, IMPROVEMENT, out)
    out = np.where(declined, DECLINE, out)
    out = np.where(below_floor(series, x, n, confidence), BELOW_FLOOR, out)
    return np.where(n > 0, out, NO_DATA)
