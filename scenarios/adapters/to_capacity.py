"""Adapter: a scenario's ``capacity:`` section → planning.capacity's typed inputs."""

from __future__ import annotations

import numpy as np

from planning.capacity import CapacityInputs, Hiring, Outsourcing, Overtime
from planning.mix_inputs import SolverOptions
from scenarios.capacity.requirement import WeeklyRequirement, weekly_required_hours
from scenarios.schema import Scenario


def capacity_inputs(scenario: Scenario) -> tuple[CapacityInputs, WeeklyRequirement | None]:
    """The capacity problem of ``scenario`` and, when ``required_hours`` was derived from
    the demand, how (None when the file gives it)."""
    cap = scenario.capacity
    if cap is None:
        raise ValueError("the scenario has no capacity section")
    derived = None
    if cap.required_hours is not None:
        req = np.asarray(cap.required_hours, dtype=np.float64)
    else:
        derived = weekly_required_hours(scenario)
        req = derived.hours
    ih = cap.in_house
    hiring = overtime = outsourcing = None
    if ih.hiring is not None:
        h = ih.hiring
        hiring = Hiring(h.max_per_week, h.cost_per_hire, h.training_weeks, tuple(h.ramp))
    if ih.overtime is not None:
        overtime = Overtime(ih.overtime.max_share, ih.overtime.premium)
    if cap.outsourced is not None:
        o = cap.outsourced
        cap_hours = (np.asarray(o.max_hours_per_week, dtype=np.float64)
                     if isinstance(o.max_hours_per_week, list)
                     else np.full(cap.weeks, float(o.max_hours_per_week)))
        outsourcing = Outsourcing(o.price_per_hour, o.productivity, cap_hours, o.notice_weeks)
    share = (ih.productive_share if ih.productive_share is not None
             else 1.0 - scenario.staffing.shrinkage)
    inp = CapacityInputs(
        required_hours=req, on_staff=float(ih.on_staff), hours_per_week=ih.hours_per_week,
        productive_share=share, attrition=ih.attrition_per_week,
        wage_per_hour=ih.wage_per_hour,
        shortfall_penalty_per_hour=cap.shortfall_penalty_per_hour, hiring=hiring,
        overtime=overtime, outsourcing=outsourcing,
        max_headcount=None if ih.max_headcount is None else float(ih.max_headcount),
        week_labels=tuple(d.isoformat() for d in cap.week_starts()))
    return inp, derived


def capacity_solver_options(scenario: Scenario) -> SolverOptions:
    """The section's HiGHS settings; one thread (a small model, and the same plan on any
    machine)."""
    s = scenario.capacity.solver if scenario.capacity is not None else None
    return SolverOptions(time_limit_s=s.time_limit_s if s else 60.0,
                         mip_gap=s.mip_gap if s else 1e-4, threads=1)
