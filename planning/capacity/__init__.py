"""The weekly capacity plan before a peak: hiring classes, training, ramp-up, attrition,
overtime and outsourced hours (a MILP in Pyomo solved by HiGHS).

``capacity_report(inputs)`` is the entry point: the plan and the planner's answers, as
plain typed objects (no Pyomo object leaves this package).
"""

from planning.capacity.answers import (
    CapacityReport,
    PlannerAnswers,
    Shortfall,
    ShortWeek,
    Variant,
    capacity_report,
)
from planning.capacity.inputs import CapacityInputs, Hiring, Outsourcing, Overtime
from planning.capacity.plan import CapacityPlan, CapacitySolver, evaluate, plan_capacity

__all__ = ["CapacityInputs", "CapacityPlan", "CapacityReport", "CapacitySolver", "Hiring",
           "Outsourcing", "Overtime", "PlannerAnswers", "ShortWeek", "Shortfall", "Variant",
           "capacity_report", "evaluate", "plan_capacity"]
