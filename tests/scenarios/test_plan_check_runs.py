"""The plan check's validator without kept runs judges as the one with them.

Reference: scenarios.adapters.plan_check.SimValidator keeping its runs (the verdict's
kind, reused by the run's simulation stage) on the same plan, seed and replications: the
Observed must be equal array for array; the one without keeps no runs.
"""

from __future__ import annotations

import numpy as np

from tests.scenarios.test_mix_inputs import small  # noqa: F401  (fixture)


def test_validator_without_runs_observes_the_same(small) -> None:  # noqa: F811
    from planning.mix import plan_mix
    from planning.mix_inputs import SolverOptions
    from scenarios.adapters.plan_check import sim_validator
    from scenarios.adapters.to_mix import demand_cases, mix_inputs, requirement_cases

    rates = demand_cases(small)
    plan = plan_mix(mix_inputs(small, requirement_cases(small, rates)),
                    SolverOptions(30, 0.0, 1))
    kept = sim_validator(small, rates, 2, 5, keep_runs=True)
    light = sim_validator(small, rates, 2, 5, keep_runs=False)
    a, b = kept(plan), light(plan)
    assert len(kept.runs) == 2 * len(rates) and kept.runs[0].agents
    assert light.runs == []
    for ch in a.channels:
        for k, v in a.channels[ch].items():
            assert np.array_equal(v, b.channels[ch][k], equal_nan=True), (ch, k)
    for ch in a.replicas or {}:
        for k, v in a.replicas[ch].items():
            assert np.array_equal(v, b.replicas[ch][k], equal_nan=True), (ch, k)


def test_runs_kept_by_default_only_on_the_scenarios_own_seed(small) -> None:  # noqa: F811
    from scenarios.adapters.plan_check import sim_validator
    from scenarios.adapters.to_mix import demand_cases

    rates = demand_cases(small)
    own = small.simulation.seed
    assert sim_validator(small, rates, 1, own).keep_runs
    assert not sim_validator(small, rates, 1, own + 1).keep_runs
    assert sim_validator(small, rates, 1, own + 1, keep_runs=True).keep_runs
