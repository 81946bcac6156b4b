"""The roster's HiGHS model built a person block at a time is the model built row by row.

Reference: tests/planning/reference_roster_build.py, planning.roster.assign.build as it
stood before (frozen copy). On the flagship's three plans (110 employees plus hires, some
with a first day later than the first, as the run gives them), with people who cannot work
some days or avoid a pattern, and on a plan with more places than people on a day (the
elastic model's coverage slack on a row nobody can fill), the two builds must give the
same HighsLp: every array equal (costs, bounds, the CSR matrix, integrality) and the same
column map and slacks, for the feasibility, fair and elastic variants.
"""

from __future__ import annotations

import dataclasses
import importlib

import numpy as np
import pytest

from planning.roster.inputs import Person
from tests.planning import reference_roster_build as ref
from tests.roster_reference import flagship_plans

A = importlib.import_module("planning.roster.assign")


def _same(a, b) -> None:
    (lp1, col1, sl1), (lp2, col2, sl2) = a, b
    assert np.array_equal(col1, col2) and sl1 == sl2
    assert (lp1.num_col_, lp1.num_row_) == (lp2.num_col_, lp2.num_row_)
    for f in ("col_cost_", "col_lower_", "col_upper_", "row_lower_", "row_upper_"):
        assert np.array_equal(np.asarray(getattr(lp1, f)), np.asarray(getattr(lp2, f))), f
    for f in ("start_", "index_", "value_"):
        x, y = np.asarray(getattr(lp1.a_matrix_, f)), np.asarray(getattr(lp2.a_matrix_, f))
        assert x.dtype == y.dtype and np.array_equal(x, y), f
    assert list(lp1.integrality_) == list(lp2.integrality_)


def _variety(inp):
    """Some people unavailable on some days, some avoiding a pattern."""
    people = tuple(dataclasses.replace(p, unavailable=frozenset({i % 14, (3 * i) % 14})
                                       if i % 5 == 0 else p.unavailable,
                                       avoid=frozenset({i % 3}) if i % 7 == 0 else p.avoid)
                   for i, p in enumerate(inp.people))
    return dataclasses.replace(inp, people=people)


def _overfull(inp):
    """Fewer people than one day's places: the elastic model's coverage slack."""
    return dataclasses.replace(inp, people=tuple(Person(f"E{i:03d}") for i in range(40)))


@pytest.fixture(scope="module")
def plans():
    base = flagship_plans()
    return base + [_variety(base[0]), _overfull(base[1])]


@pytest.mark.parametrize("variant", [dict(fair=False), dict(fair=True),
                                     dict(elastic=True), dict(elastic=True, fair=False)])
def test_build_equals_the_row_by_row_build(plans, variant) -> None:
    for inp in plans:
        _same(ref.build(inp, **variant), A.build(inp, **variant))


def test_the_cases_reach_the_branches(plans) -> None:
    """Hires start later, the varied plan has days off and avoided patterns, and the
    overfull plan has elastic coverage slacks."""
    assert any(p.first_day > 0 for inp in plans[:3] for p in inp.people)
    assert any(p.unavailable for p in plans[3].people) and any(p.avoid for p in plans[3].people)
    _, _, slacks = A.build(plans[4], elastic=True)
    assert any(s[0] < 0 for s in slacks) and any(s[0] >= 0 for s in slacks)
