"""Incentive rules: policy schema, safe formulas, scorecards, ranking, commission, events,
pay, lint and calibration. A pure core: typed objects in, typed objects out, no file I/O."""

from rules.compiled import CompiledPolicy, PolicyFormulaError, compile_policy
from rules.explain import explain
from rules.pay import MissingMetrics, PayResult, Reason, pay
from rules.schema import Policy

__all__ = ["CompiledPolicy", "MissingMetrics", "PayResult", "Policy", "PolicyFormulaError",
           "Reason", "compile_policy", "explain", "pay"]
