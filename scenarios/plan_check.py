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
from scenarios.schema import Scenario
from scenarios.to_mix import CaseRates
from scenarios.to_sim import sim_model
from sim.runner import Demand, run_replications


def rostered(plan: MixPlan, surge: np.ndarray, reserve: np.ndarray, temps: np.ndarray,
             reserve_show_up: float) -> dict[str, np.ndarray]:
    """Rostered agents per pool (whole agents, rounded to nearest): in-house and contracted
    outsourced seats as planned, plus the given surge seats, temps and reserve call-outs ÷
    show-up (the simulator draws who turns up)."""
    out = {"in_house": plan.in_house, "outsourced": plan.outsourced + surge,
           "reserve": reserve / max(reserve_show_up, 1e-9), "temps": temps}
    return {k: np.rint(v + 1e-9).astype(np.int64) for k, v in out.items()
            if k in plan.productivity and v.any()}


def plan_staffing(plan: MixPlan, s: int, reserve_show_up: float) -> dict[str, np.ndarray]:
    """Rostered agents per pool for demand scenario ``s``."""
    return rostered(plan, plan.surge[s], plan.reserve[s], plan.temps[s], reserve_show_up)


def reserve_show_up(scenario: Scenario) -> float:
    """Share of rostered reserve agents who turn up (1 without a reserve pool)."""
    return (scenario.pools["reserve"].default("reserve", "show_up")
            if "reserve" in scenario.pools else 1.0)


def sim_validator(scenario: Scenario, cases: list[CaseRates], replications: int,
                  seed: int) -> Validator:
    """validate(plan) → {channel: SL (scenarios × intervals)} from the simulator."""
    from scenarios.to_demand import handle_time_factors

    # plan agents are scheduled (paid) agents: the simulator applies the shrinkage
    scenario = scenario.model_copy(update={"simulation": scenario.simulation.model_copy(
        update={"apply_shrinkage": True})})
    htf = handle_time_factors(scenario)
    show_up = reserve_show_up(scenario)

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
