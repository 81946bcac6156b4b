"""Agent behaviour under incentive schemes (docs/behavior.md).

Agents with heterogeneous skills choose levers — speed (handle-time multiplier),
availability, outbound effort, sales push — to maximise expected pay under a policy minus a
convex effort cost. Pure numpy core: typed objects in, typed objects out, no I/O.
"""

from sim.behavior.agents import (
    Agents,
    draw_agents,
    effort_cost,
    marginal_effort_cost,
    simulator_levers,
)
from sim.behavior.diagnostics import (
    PayDistribution,
    RankingNoise,
    SchemeDiagnostics,
    bottom_band,
    gini,
    pay_distribution,
    ranking_noise,
    scheme_diagnostics,
)
from sim.behavior.equilibrium import BehaviorResult, Equilibrium, equilibrium, solve
from sim.behavior.params import (
    DEFAULT_POOL_SKILLS,
    LEVERS,
    BehaviorParams,
    SkillDistribution,
    SolverSettings,
)
from sim.behavior.pay import FlatPay, KpiTable, PayBreakdown, PayFunction, pay_tables
from sim.behavior.response import Evaluator, active_levers, best_response
from sim.behavior.state import StateUpdate, SystemState, state_from_totals
from sim.behavior.surrogate import KPI_NAMES, NOISE_CHANNELS, draw_noise, expected_kpis, noisy_kpis
from sim.behavior.why import Why, explain

__all__ = [
    "DEFAULT_POOL_SKILLS", "KPI_NAMES", "LEVERS", "NOISE_CHANNELS", "Agents", "BehaviorParams",
    "BehaviorResult", "Equilibrium", "Evaluator", "FlatPay", "KpiTable", "PayBreakdown",
    "PayDistribution", "PayFunction", "RankingNoise", "SkillDistribution", "SolverSettings",
    "StateUpdate", "SystemState", "Why", "active_levers", "best_response", "bottom_band",
    "draw_agents", "draw_noise", "effort_cost", "equilibrium", "expected_kpis", "explain",
    "gini", "marginal_effort_cost", "noisy_kpis", "pay_distribution", "pay_tables",
    "ranking_noise", "scheme_diagnostics", "simulator_levers", "solve", "state_from_totals",
    "SchemeDiagnostics",
]
