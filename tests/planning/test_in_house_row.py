"""The mix model's in-house row (in-house-first routing: planning.mix_model
add_in_house_coverage) against enumeration of every plan of a tiny case."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest

from planning.mix import plan_mix
from planning.mix_inputs import SolverOptions
from tests.planning.test_mix import tiny

OPTS = SolverOptions(time_limit_s=30, mip_gap=0.0, threads=1)


def brute_force(req: np.ndarray, req_h: np.ndarray, p: np.ndarray) -> float:
    """Reference: enumerate shifts (starts 0, 2, 4; 4 h; 3 agents) and vendor blocks; the
    pooled shortfall and the in-house shortfall are both priced 100 an hour."""
    best = np.inf
    for x in itertools.product(range(4), repeat=3):
        if sum(x) > 3:
            continue
        on = np.zeros(8)
        for k, s in zip(x, (0, 2, 4), strict=True):
            on[s:s + 4] += k
        short_h = np.maximum(req_h - on[None, :], 0.0)
        for b in itertools.product(range(3), repeat=4):
            cov = on + 0.5 * np.repeat(np.array(b, dtype=float), 2)
            short = np.maximum(req - cov[None, :], 0.0)
            cost = (40.0 * sum(x) + 12.0 * sum(b)
                    + 100.0 * float(p @ (short.sum(axis=1) + short_h.sum(axis=1))))
            best = min(best, cost)
    return best


@pytest.mark.parametrize("hours", [[0, 1, 2, 2, 1, 0, 0, 0], [0, 0, 2, 3, 3, 2, 0, 0]])
def test_in_house_row_against_enumeration(hours: list[float]) -> None:
    req = [[1, 1, 2, 2, 2, 1, 1, 1], [2, 2, 3, 3, 3, 2, 1, 1]]
    p = np.array([0.6, 0.4])
    base = tiny(req, list(p))
    req_h = np.array([hours, hours], dtype=float)
    inp = base.with_requirement(base.requirement, in_house=req_h)
    plan = plan_mix(inp, OPTS)
    assert plan.objective == pytest.approx(brute_force(base.requirement, req_h, p), abs=1e-6)
    assert np.allclose(plan.in_house_shortfall,
                       np.maximum(req_h - plan.in_house[None, :], 0.0), atol=1e-6)
    # without the row the plan is cheaper or equal (vendor seats cover the pooled row)
    assert plan_mix(base, OPTS).objective <= plan.objective + 1e-6


def test_headcount_short_of_the_in_house_row_is_priced_not_hidden() -> None:
    # 4 in-house agents wanted at 02:00-04:00; 3 employed: one is missing in both scenarios
    req = [[1, 1, 2, 2, 2, 1, 1, 1]]
    base = tiny(req, [1.0])
    req_h = np.array([[0, 0, 4, 4, 0, 0, 0, 0]], dtype=float)
    plan = plan_mix(base.with_requirement(base.requirement, in_house=req_h), OPTS)
    assert plan.in_house_shortfall[0, 2:4] == pytest.approx([1.0, 1.0])
    assert plan.in_house[2:4].tolist() == [3, 3]
    assert not plan.met[0]
    # priced, never forced: hard coverage binds the pooled row only (still a plan)
    hard = replace(base.with_requirement(base.requirement, in_house=req_h), hard_coverage=True)
    assert plan_mix(hard, OPTS).in_house_shortfall[0, 2:4] == pytest.approx([1.0, 1.0])
