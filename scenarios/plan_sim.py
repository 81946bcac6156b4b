"""The simulator as the plan's service-level check (planning.iterate.Validator).

For each demand scenario the plan's staffing becomes rostered agents per pool and interval
— in-house and contracted outsourced seats as planned, surge seats added to the
outsourced pool, temps, and the reserve's expected turned-up call-outs divided by its
show-up rate (the simulator draws who turns up) — and the scenario's own rates are
simulated. The achieved service level per interval is the mean over replications;
intervals without contacts count as met.
"""

from __future__ import annotations

import numpy as np

from planning.iterate import Validator
from planning.mix import MixPlan
from scenarios.mix_inputs import CaseRates
from scenarios.schema import Scenario
from sim.from_scenario import sim_model
from sim.runner import Demand, run_replications


def plan_staffing(plan: MixPlan, s: int, reserve_show_up: float) -> dict[str, np.ndarray]:
    """Rostered agents per pool for demand scenario ``s`` (integers, rounded to nearest)."""
    out = {"in_house": plan.in_house, "outsourced": plan.outsourced + plan.surge[s],
           "reserve": plan.reserve[s] / max(reserve_show_up, 1e-9), "temps": plan.temps[s]}
    return {k: np.rint(v + 1e-9).astype(np.int64) for k, v in out.items()
            if k in plan.productivity and v.any()}


def sim_validator(scenario: Scenario, cases: list[CaseRates], replications: int,
                  seed: int) -> Validator:
    """validate(plan) → {channel: SL (scenarios × intervals)} from the simulator."""
    from scenarios.demand import handle_time_factors

    # plan agents are scheduled (paid) agents: the simulator applies the shrinkage
    scenario = scenario.model_copy(update={"simulation": scenario.simulation.model_copy(
        update={"apply_shrinkage": True})})
    htf = handle_time_factors(scenario)
    show_up = (scenario.pools["reserve"].default("reserve", "show_up")
               if "reserve" in scenario.pools else 1.0)

    def validate(plan: MixPlan) -> dict[str, np.ndarray]:
        out: dict[str, list[np.ndarray]] = {}
        for s, (name, _, rates) in enumerate(cases):
            staffing = plan_staffing(plan, s, show_up)
            if not staffing:
                staffing = {"in_house": np.zeros(scenario.horizon.n_intervals, np.int64)}
            model = sim_model(scenario, staffing)
            res = run_replications(model, Demand(rates, handle_time_factor=htf, name=name),
                                   replications, seed)
            for ch, metrics in res.interval_means().items():
                sl = np.nan_to_num(metrics["service_level"], nan=1.0)
                out.setdefault(ch, []).append(sl)
        return {ch: np.vstack(v) for ch, v in out.items()}

    return validate
