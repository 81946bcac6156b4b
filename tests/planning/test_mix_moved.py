"""The loop's re-solve on the last round's model updated in place (planning.mix
MixSolver.moved_to): the requirement rows' bounds (and the chance links' coefficients)
change in HiGHS, nothing is rebuilt.

Reference: a model built afresh for the moved inputs (planning.mix_model.build_model,
compiled by planning.linear_form) — the updated HiGHS model must equal it entry by entry,
and its optimum (gap 0) must equal that of a fresh solver; the solver moved from still
solves its own inputs to its own optimum.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from planning.linear_form import compile_linear
from planning.mix import MixSolver
from planning.mix_inputs import MixInputs
from planning.mix_model import build_model
from tests.planning.test_mix_solve import EXACT, day_case, random_req


def with_in_house_row(inp: MixInputs, share: float = 0.6) -> MixInputs:
    """The inputs with an in-house row at ``share`` of the pooled requirement."""
    return replace(inp, cases=tuple(replace(c, in_house=share * c.requirement)
                                    for c in inp.cases))


def moved(inp: MixInputs, seed: int) -> MixInputs:
    rng = np.random.default_rng(seed)
    req = inp.requirement * rng.uniform(0.8, 1.25, inp.requirement.shape)
    ih = inp.in_house_requirement
    return inp.with_requirement(req, None if ih is None else
                                ih * rng.uniform(0.8, 1.25, ih.shape))


def assert_same_highs_model(solver: MixSolver, inp: MixInputs) -> None:
    """HiGHS's model in ``solver`` equals the one handed over for ``inp`` afresh."""
    model = build_model(inp)  # kept: Pyomo's variables name themselves through their
    ref = compile_linear(model)  # model (a weak reference), gone once it is collected
    lp = solver.session.highs.getLp()
    got = solver.session.form
    assert [v.name for v in got.columns] == [v.name for v in ref.columns]
    assert [c.name for c in got.rows] == [c.name for c in ref.rows]
    assert np.array_equal(got.start, ref.start) and np.array_equal(got.index, ref.index)
    assert got.value == pytest.approx(ref.value, rel=1e-12)
    assert np.asarray(lp.row_lower_) == pytest.approx(ref.row_lower, rel=1e-12)
    assert np.asarray(lp.row_upper_) == pytest.approx(ref.row_upper, rel=1e-12)
    assert np.asarray(lp.col_cost_) == pytest.approx(ref.cost, rel=1e-12)
    ref_a = ref.dense()
    a = np.zeros_like(ref_a)  # HiGHS's own matrix (column-wise or row-wise as it keeps it)
    mat = lp.a_matrix_
    start, index, value = (np.asarray(mat.start_), np.asarray(mat.index_),
                           np.asarray(mat.value_))
    colwise = str(mat.format_).endswith("kColwise")
    for k in range(start.size - 1):
        for p in range(start[k], start[k + 1]):
            if colwise:
                a[index[p], k] = value[p]
            else:
                a[k, index[p]] = value[p]
    assert a == pytest.approx(ref_a, rel=1e-12)
    del model


@pytest.mark.parametrize("case", ["pooled", "in-house row", "chance"])
def test_moved_model_equals_a_fresh_build_and_solves_to_its_optimum(case: str) -> None:
    inp = day_case(random_req(21, 3), headcount=10)
    if case == "in-house row":
        inp = with_in_house_row(inp)
    if case == "chance":
        inp = replace(inp, chance_min_share=0.6, shortfall_penalty_per_hour=30.0)
    solver = MixSolver(inp, EXACT)
    first = solver.solve()
    highs = solver.session.highs
    nxt = moved(inp, 5)
    new = solver.moved_to(nxt)
    assert new.session.highs is highs  # the same instance, updated in place
    assert new.build_s < 1.0
    assert_same_highs_model(new, nxt)
    plan = new.solve()
    assert new.warm_lp  # its LP relaxation started from the last round's final basis
    fresh = MixSolver(nxt, EXACT).solve(warm_start=False)
    assert plan.objective == pytest.approx(fresh.objective, rel=1e-9)
    assert plan.status == "optimal"
    assert np.array_equal(plan.requirement, nxt.requirement)
    # the solver moved from keeps its values of one more agent, builds its own model
    # again when asked for a variant (compare_mix on a kept earlier round), and still
    # reaches its own optimum
    ref = MixSolver(inp, EXACT)
    assert solver.marginal_values() == pytest.approx(ref.marginal_values(), rel=1e-9)
    variant = solver.solve_variant("no_reserve")
    assert solver.session.highs is not highs
    assert variant is not None and variant.objective == pytest.approx(
        ref.solve_variant("no_reserve").objective, rel=1e-9)
    again = solver.solve()
    assert solver.session.highs is not highs
    assert again.objective == pytest.approx(first.objective, rel=1e-9)
    # and a second move from the moved solver (the loop's next round) holds too
    third = moved(inp, 6)
    newer = new.moved_to(third)
    assert_same_highs_model(newer, third)
    assert newer.solve().objective == pytest.approx(
        MixSolver(third, EXACT).solve(warm_start=False).objective, rel=1e-9)


def test_a_requirement_row_added_or_removed_builds_a_new_model() -> None:
    inp = day_case(random_req(22, 2), headcount=10)
    solver = MixSolver(inp, EXACT)
    solver.solve()
    req = inp.requirement.copy()
    on = np.flatnonzero(req[0] > 0)
    req[0, on[0]] = 0.0  # a row removed
    req[1, 0] = 1.0 if req[1, 0] == 0 else req[1, 0]  # a row added (the night was empty)
    nxt = inp.with_requirement(req)
    new = solver.moved_to(nxt)
    assert new.session.highs is not solver.session.highs
    assert_same_highs_model(new, nxt)
    assert new.solve().objective == pytest.approx(
        MixSolver(nxt, EXACT).solve(warm_start=False).objective, rel=1e-9)


def test_other_pools_build_a_new_model() -> None:
    inp = day_case(random_req(23, 2), headcount=10)
    solver = MixSolver(inp, EXACT)
    other = replace(inp, shortfall_penalty_per_hour=inp.shortfall_penalty_per_hour + 1.0)
    assert solver.moved_to(other).session.highs is not solver.session.highs
