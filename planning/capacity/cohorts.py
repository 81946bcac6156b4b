"""The headcount arithmetic of the capacity contract, as coefficient matrices.

Week t, hiring week c (both 0..W−1), training T weeks, attrition a per week:

- starting staff on staff in week t:          S₀ (1 − a)^t
- a class of one hire from week c, in week t:
    on staff (paid)      1 for c ≤ t < c+T (training, no attrition); (1 − a)^(t−c−T) after
    in training          1 for c ≤ t < c+T
    past training        (1 − a)^(t−c−T) for t ≥ c+T (ramping included)
    productive weight    past training × ramp[t−c−T] (1 once the ramp is over)

Every weekly quantity of a plan is then ``matrix @ hires`` plus the starting staff's term;
the model uses the same matrices as constraint coefficients.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planning.capacity.inputs import CapacityInputs


@dataclass(frozen=True)
class Cohorts:
    """Coefficient matrices [t, c] per hire made in week c, and the starting staff per t."""

    staff: np.ndarray  # (W,) starting staff still on staff in week t
    on_staff: np.ndarray  # (W, W)
    in_training: np.ndarray  # (W, W)
    past_training: np.ndarray  # (W, W)
    productive: np.ndarray  # (W, W) survivors × ramp weight


def cohorts(inp: CapacityInputs) -> Cohorts:
    """The matrices of ``inp`` (no hiring terms: zero matrices)."""
    w, a = inp.weeks, inp.attrition
    t = np.arange(w)
    keep = (1.0 - a) ** t
    staff = inp.on_staff * keep
    zero = np.zeros((w, w))
    h = inp.hiring
    if h is None:
        return Cohorts(staff, zero, zero.copy(), zero.copy(), zero.copy())
    lag = t[:, None] - t[None, :] - h.training_weeks  # weeks since training ended
    training = ((t[:, None] >= t[None, :]) & (lag < 0)).astype(np.float64)
    past = np.where(lag >= 0, (1.0 - a) ** np.maximum(lag, 0), 0.0)
    weights = np.array([h.weight(k) for k in range(w)])
    productive = past * np.where(lag >= 0, weights[np.clip(lag, 0, w - 1)], 0.0)
    return Cohorts(staff, training + past, training, past, productive)
