"""The run's simulation stage reuses the plan check's replications of the final plan.

Reference: a new simulation of the same layout — the stage run again with the check's runs
withheld must give identical tables (same models, demands and random streams), so reusing
them changes nothing but the time. The models the check's runs ran, reused with them, are
those the stage builds itself when the runs are withheld (field by field, bit for bit).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from scenarios import load_scenario
from scenarios.run.pipeline import run_stages
from scenarios.run.stage import RunContext
from scenarios.run.stages import default_stages
from tests.bitwise import same

from .conftest import MINI


def _ctx() -> RunContext:
    sc = load_scenario(MINI)
    return RunContext(sc, MINI, "en", quick=True, seed=sc.simulation.seed)


def test_reused_runs_equal_a_new_simulation() -> None:
    stages = [s for s in default_stages() if s.name in ("demand", "requirements", "mix",
                                                         "simulation")]
    ctx = _ctx()
    res = {r.name: r for r in run_stages(stages, ctx)}
    sim = res["simulation"]
    assert sim.summary["runs_from_plan_check"] is True
    # again, the check's runs withheld: the stage simulates them itself
    ctx2 = _ctx()
    before = {r.name: r for r in run_stages(stages[:3], ctx2)}
    mix = before["mix"]
    mix.data = dataclasses.replace(mix.data, check_runs=())
    fresh = {r.name: r for r in run_stages(stages[3:], ctx2)}["simulation"]
    assert fresh.summary["runs_from_plan_check"] is False
    for key in ("channels", "team", "demand_scenarios", "verdict", "targets"):
        assert sim.summary[key] == fresh.summary[key], key
    tables = {t.name: t.rows for t in sim.tables}
    for t in fresh.tables:
        assert tables[t.name] == t.rows, t.name
    kept = res["mix"].data.check_models
    assert kept and all(any(m is k for k in kept.values()) for m in sim.data.models)
    assert not any(m is k for m in fresh.data.models for k in kept.values())  # built anew
    same(sim.data.models, fresh.data.models, "models")
    a, b = sim.data.result.outputs, fresh.data.result.outputs
    for o, p in zip(a, b, strict=True):
        for k in o.agents_horizon:
            np.testing.assert_array_equal(o.agents_horizon[k], p.agents_horizon[k], k)
