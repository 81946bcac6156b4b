"""The ``capacity:`` section of a scenario: the weeks before a peak (FORMATS §6 shape).

Hiring classes with training and ramp-up, attrition, overtime and outsourced hours; the
meaning of every key is in docs/capacity.md. Checks that need the rest of the scenario
(list lengths against ``weeks``, staffing targets when ``required_hours`` is derived) are
in scenarios.capacity.checks.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from scenarios.reading.limits import MAX_AGENTS, MAX_MONEY, MAX_SECONDS, LocalDay

# sane ranges (docs/robustness.md): hours and money per week stay below MAX_MONEY
NonNeg = Annotated[float, Field(ge=0.0, le=MAX_MONEY)]
Weight = Annotated[float, Field(ge=0.0, le=1.0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CapacityHiring(_Strict):
    """Hiring classes: trained for ``training_weeks`` (paid, not productive), then ramping."""

    max_per_week: int = Field(ge=0, le=MAX_AGENTS,
                              description="most hires in one week (recruiting and "
                                                "training capacity)")
    cost_per_hire: NonNeg = Field(0.0, description="recruiting and onboarding cost per hire "
                                                   "(training wages are counted as paid hours)")
    training_weeks: int = Field(0, ge=0, le=52, description="weeks of classroom training: paid, "
                                                            "not productive, no attrition")
    ramp: list[Weight] = Field(default_factory=list, max_length=52, description=(
        "productivity in the weeks after training, e.g. [0.5, 0.8]; 1 afterwards"))


class CapacityOvertime(_Strict):
    """Overtime of agents past training."""

    max_share: Weight = Field(description="overtime hours at most this share of the paid "
                                          "hours of agents past training, e.g. 0.1")
    premium: float = Field(1.5, ge=0, le=10, description="overtime pay = wage × premium (PRC Labour "
                                                  "Law art. 44: at least 150% on workdays)")


class CapacityInHouse(_Strict):
    """The in-house team: starting staff, hours, shrinkage, attrition, wage and levers."""

    on_staff: int = Field(ge=0, le=MAX_AGENTS, description="proficient agents at the start of week 0")
    hours_per_week: float = Field(40.0, gt=0, le=84, description="paid hours per agent on "
                                                                 "staff (trainees included)")
    productive_share: float | None = Field(
        None, gt=0, le=1, description="share of paid hours on the queue, net of shrinkage "
                                      "(default: 1 − staffing.shrinkage)")
    attrition_per_week: float = Field(0.0, ge=0, lt=1, description=(
        "share of agents past training leaving each week (average tenure of L weeks ≈ 1/L)"))
    wage_per_hour: NonNeg = Field(description="fully loaded cost per paid hour")
    max_headcount: int | None = Field(None, ge=0, le=MAX_AGENTS, description="seats or budget: hires never "
                                                              "take everyone on staff above this")
    hiring: CapacityHiring | None = Field(None, description="hiring classes (omit: no hiring)")
    overtime: CapacityOvertime | None = Field(None, description="overtime (omit: none)")


class CapacityOutsourced(_Strict):
    """Vendor hours bought by the week, ordered ``notice_weeks`` ahead."""

    price_per_hour: NonNeg = Field(description="price per vendor hour")
    productivity: float = Field(1.0, gt=0, le=2, description="productive hours per vendor "
                                                             "hour, in in-house terms (e.g. 0.8)")
    max_hours_per_week: NonNeg | list[NonNeg] = Field(
        description="most vendor hours per week: one number or one per week")
    notice_weeks: int = Field(0, ge=0, le=52, description="no vendor hours in the first "
                                                          "notice_weeks weeks")


class CapacitySolver(_Strict):
    """HiGHS settings of the capacity plan (small model: tight gap by default)."""

    time_limit_s: float = Field(60.0, gt=0, le=MAX_SECONDS, description="wall-clock limit per HiGHS solve")
    mip_gap: float = Field(1e-4, ge=0, lt=1, description="relative MIP gap to stop at")


class Capacity(_Strict):
    """The weekly capacity plan before the peak (``peakdesk capacity``; docs/capacity.md)."""

    start: LocalDay = Field(description="Monday of week 0, e.g. 2026-08-31")
    weeks: int = Field(ge=1, le=104, description="number of weeks planned")
    required_hours: list[NonNeg] | None = Field(
        None, description="productive agent-hours needed per week, one per week (default: "
                          "derived from the scenario's demand and service targets)")
    baseline_hours_per_week: NonNeg | None = Field(
        None, description="productive hours needed in a week outside the scenario's horizon "
                          "when required_hours is derived (default: 7 × the median "
                          "event-free day of the horizon)")
    shortfall_penalty_per_hour: NonNeg = Field(
        500.0, description="cost per required productive hour left uncovered")
    in_house: CapacityInHouse
    outsourced: CapacityOutsourced | None = Field(None, description="vendor hours (omit: none)")
    solver: CapacitySolver = Field(default_factory=CapacitySolver)

    @field_validator("start")
    @classmethod
    def _monday(cls, v: date) -> date:
        if v.weekday() != 0:
            monday = v - timedelta(days=v.weekday())
            raise ValueError(f"{v.isoformat()} is a {v.strftime('%A')}; capacity weeks start "
                             f"on a Monday (the week's Monday is {monday.isoformat()})")
        return v

    def week_starts(self) -> list[date]:
        return [self.start + timedelta(weeks=t) for t in range(self.weeks)]
