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


@pytest.mark.parametrize("seed", range(6))
def test_steps_price_the_expected_shortfall_exactly(seed: int) -> None:
    # the step form (planning.mix_model.shortfall_steps) filled in order, against the
    # direct formula Σ_ω p_ω·max(0, ρ_ω − H) at many H; ties, zeros and a scenario of
    # probability 0 included
    from planning.mix_model import shortfall_steps

    rng = np.random.default_rng(seed)
    req = np.round(rng.uniform(0, 6, (5, 7)) * (rng.random((5, 7)) < 0.8), 1)
    req[1] = req[0]  # ties
    p = rng.dirichlet(np.ones(5))
    p[3] = 0.0
    p /= p.sum()
    steps = shortfall_steps(req, p)
    assert np.all(steps.length >= 0)
    for i, t in enumerate(steps.used.tolist()):
        s, e = steps.start[i], steps.start[i + 1]
        w, ln = steps.weight[s:e], steps.length[s:e]
        assert np.all(np.diff(w) <= 1e-15)  # non-increasing: the LP fills them in order
        for h in np.linspace(0, req[:, t].max() + 1, 23):
            filled = np.minimum(ln, np.maximum(0.0, h - np.concatenate([[0], np.cumsum(ln)[:-1]])))
            direct = float(p @ np.maximum(req[:, t] - h, 0.0))
            assert float(p[req[:, t] > 0] @ req[req[:, t] > 0, t]) - float(w @ filled) == \
                pytest.approx(direct, abs=1e-12)
    assert steps.expected == pytest.approx(float(p @ req.sum(axis=1)), rel=1e-12)
    assert set(steps.used.tolist()) == set(np.flatnonzero(req.any(axis=0)).tolist())


def _explicit_row_model(inp):  # noqa: ANN001, ANN202
    """Reference model: the pooled model built without the in-house row, then the row in
    its explicit form added here — H_t = η_H·Σ_{i∋t} x_i, q^H_{ω,t} ≥ ρ^H_{ω,t} − H_t,
    q^H ≥ 0, priced p_ω·π·Δ (one row and one column per scenario-interval)."""
    import pyomo.environ as pyo

    from planning.mix_layout import mix_layout
    from planning.mix_model import build_model

    req_h = inp.in_house_requirement
    base = replace(inp, cases=tuple(replace(c, in_house=None) for c in inp.cases))
    lay = mix_layout(base)
    m = build_model(base, lay)
    n = inp.n_intervals
    rows = [(s, t) for s, t in zip(*np.nonzero(req_h > 0), strict=True)]
    m.H_ref = pyo.Var(range(n), domain=pyo.NonNegativeReals)
    m.on_duty_ref = pyo.Constraint(range(n), rule=lambda m, t: m.H_ref[t] == (
        inp.in_house.productivity * sum(m.x[i] for i, sh in enumerate(lay.shifts)
                                        if t in sh.cover)))
    m.qh_ref = pyo.Var(range(len(rows)), domain=pyo.NonNegativeReals)
    m.row_ref = pyo.Constraint(range(len(rows)), rule=lambda m, j: (
        m.H_ref[int(rows[j][1])] + m.qh_ref[j] >= float(req_h[rows[j]])))
    price = inp.interval_h * inp.shortfall_penalty_per_hour
    p = inp.probabilities
    expr = m.cost.expr + sum(float(p[s] * price) * m.qh_ref[j]
                             for j, (s, _) in enumerate(rows))
    m.cost.deactivate()
    m.cost_ref = pyo.Objective(expr=expr, sense=pyo.minimize)
    return m


@pytest.mark.parametrize("relax", [True, False])
def test_step_form_equals_the_explicit_row(relax: bool) -> None:
    # reference: the explicit form of the row (above) solved by Pyomo's own HiGHS
    # interface (appsi) — the same LP relaxation optimum, the same MIP optimum (gap 0)
    import pyomo.environ as pyo

    from planning.mix import MixSolver
    from tests.planning.test_mix_moved import with_in_house_row
    from tests.planning.test_mix_solve import EXACT, day_case, random_req

    inp = with_in_house_row(day_case(random_req(31, 3, days=2), headcount=9), share=0.7)
    ref = _explicit_row_model(inp)
    if relax:
        pyo.TransformationFactory("core.relax_integer_vars").apply_to(ref)
    opt = pyo.SolverFactory("appsi_highs")
    opt.config.mip_gap = 0.0
    res = opt.solve(ref)
    assert str(res.solver.termination_condition).endswith("optimal")
    want = float(pyo.value(ref.cost_ref))
    solver = MixSolver(inp, EXACT)
    if relax:
        with solver._relaxed():
            got = solver.session.solve().objective
    else:
        plan = solver.solve(warm_start=False)
        got = plan.objective
        # the shortfall read from H_t is the explicit one at the plan's shifts
        assert np.allclose(plan.in_house_shortfall, np.maximum(
            inp.in_house_requirement - inp.in_house.productivity * plan.in_house[None, :],
            0.0), atol=1e-6)
    assert got == pytest.approx(want, rel=1e-9)
