"""Typed inputs of the weekly capacity plan (planning.capacity.model).

Weeks t = 0..W−1; every quantity is per week. Hours are agent-hours: ``required_hours`` are
productive (on-the-queue) hours, ``hours_per_week`` paid hours per agent. The ``scenarios``
package turns a scenario's ``capacity:`` section into these objects.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Hiring:
    """Hiring classes: a class of h hires made in week c trains in weeks c..c+T−1 (paid, not
    productive, no attrition), then works at ``ramp[k]`` in week c+T+k and at 1 after."""

    max_per_week: int
    cost_per_hire: float = 0.0
    training_weeks: int = 0
    ramp: tuple[float, ...] = ()
    first_week: int = 0  # no class before this week (recruiting starts late)

    def weight(self, k: int) -> float:
        """Productivity of a survivor k ≥ 0 weeks after training ended."""
        return self.ramp[k] if k < len(self.ramp) else 1.0

    @property
    def weeks_to_productive(self) -> int:
        """Weeks from the hiring week to the first week the class produces anything."""
        k = next((i for i, w in enumerate(self.ramp) if w > 0), len(self.ramp))
        return self.training_weeks + k


@dataclass(frozen=True)
class Overtime:
    """Overtime hours o_t ≤ max_share × hours_per_week × agents past training, paid at
    wage × premium, productive at the in-house productive share."""

    max_share: float
    premium: float = 1.5


@dataclass(frozen=True)
class Outsourcing:
    """Vendor hours x_t ≤ max_hours[t] (0 before ``notice_weeks``), productive at
    ``productivity`` of an in-house productive hour, at ``price_per_hour``."""

    price_per_hour: float
    productivity: float
    max_hours: np.ndarray  # (W,) before the notice rule
    notice_weeks: int = 0

    def cap(self) -> np.ndarray:
        """Usable hours per week: ``max_hours`` with the notice weeks set to 0."""
        c = np.asarray(self.max_hours, dtype=np.float64).copy()
        c[: self.notice_weeks] = 0.0
        return c


@dataclass(frozen=True)
class CapacityInputs:
    """One capacity problem: the requirement, the in-house team and the levers.

    max_headcount: optional cap on everyone on staff (seats or budget); it limits hires
    only — the starting staff is never cut.
    """

    required_hours: np.ndarray  # (W,) productive agent-hours needed per week
    on_staff: float  # proficient agents at the start of week 0
    hours_per_week: float  # paid hours per agent on staff (trainees included)
    productive_share: float  # share of paid hours on the queue
    attrition: float  # share of proficient agents leaving each week
    wage_per_hour: float
    shortfall_penalty_per_hour: float
    hiring: Hiring | None = None
    overtime: Overtime | None = None
    outsourcing: Outsourcing | None = None
    max_headcount: float | None = None
    week_labels: tuple[str, ...] = ()  # e.g. ISO dates of the Mondays, for messages

    @property
    def weeks(self) -> int:
        return int(np.asarray(self.required_hours).size)

    @property
    def productive_hours_per_agent(self) -> float:
        """Productive hours of one proficient agent in one week (regular time)."""
        return self.hours_per_week * self.productive_share

    def label(self, t: int) -> str:
        return self.week_labels[t] if t < len(self.week_labels) else f"week {t}"


def check_inputs(inp: CapacityInputs) -> None:
    """Programming errors in the typed inputs (the scenario loader reports user errors)."""
    w = inp.weeks
    req = np.asarray(inp.required_hours, dtype=np.float64)
    if req.ndim != 1 or w == 0:
        raise ValueError("required_hours must be a non-empty 1-d array")
    if not np.all(np.isfinite(req)) or np.any(req < 0):
        raise ValueError("required_hours must be finite and ≥ 0")
    if not 0.0 <= inp.attrition < 1.0:
        raise ValueError(f"attrition must be in [0, 1), got {inp.attrition}")
    if not 0.0 < inp.productive_share <= 1.0:
        raise ValueError(f"productive_share must be in (0, 1], got {inp.productive_share}")
    if inp.hours_per_week <= 0 or inp.on_staff < 0:
        raise ValueError("hours_per_week must be > 0 and on_staff ≥ 0")
    for name in ("wage_per_hour", "shortfall_penalty_per_hour"):
        if getattr(inp, name) < 0:
            raise ValueError(f"{name} must be ≥ 0")
    h = inp.hiring
    if h is not None:
        if h.max_per_week < 0 or h.training_weeks < 0 or h.cost_per_hire < 0:
            raise ValueError("hiring terms must be ≥ 0")
        if any(not 0.0 <= r <= 1.0 for r in h.ramp):
            raise ValueError("ramp weights must be in [0, 1]")
    o = inp.outsourcing
    if o is not None:
        if np.asarray(o.max_hours).shape != (w,):
            raise ValueError(f"outsourcing max_hours must have {w} values")
        if o.productivity <= 0 or o.price_per_hour < 0 or np.any(np.asarray(o.max_hours) < 0):
            raise ValueError("outsourcing terms must be ≥ 0 (productivity > 0)")
    if inp.overtime is not None and not (0 <= inp.overtime.max_share and
                                         inp.overtime.premium >= 0):
        raise ValueError("overtime terms must be ≥ 0")
