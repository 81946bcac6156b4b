"""The mix model's build and hand-off (planning/mix_model.py, planning/linear_form.py):
HiGHS must receive the very model the old build gave, bit for bit.

Reference: a frozen copy of the old code (tests/planning/reference_mix_build.py: the
builders with Python sum chains, the compile walking every row with Pyomo's linear
walker, the old HiGHS arrays). Compared: the arrays handed to HiGHS — the matrix (row
starts, column indices, values), row and column bounds, costs, the objective's constant
and sense, integrality — as bytes (so −0.0 against 0.0 or one bit of a coefficient
would differ), the names of the columns and rows in their order, and the integer
columns the session reads; on the flagship's three models (the plan, the plan for
overflow at once, the mean-value plan) and on small models drawn over every family
and option of planning.mix_model.
"""

from __future__ import annotations

from dataclasses import replace

import highspy
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tests.planning.reference_mix_build as ref
from planning.linear_form import compile_linear
from planning.mix_inputs import (
    DemandCase,
    InHouse,
    MixInputs,
    Outsourced,
    Reserve,
    ShiftPattern,
    SolverOptions,
    Temps,
)
from planning.mix_layout import mix_layout
from planning.mix_model import build_model
from planning.roster.inputs import RosterRules
from planning.solver import HighsSession


def handed(form, lp) -> dict:  # noqa: ANN001
    """Everything HiGHS receives, as bytes and names."""
    mat = lp.a_matrix_
    out = {"shape": (lp.num_col_, lp.num_row_), "format": str(mat.format_),
           "sense": str(lp.sense_), "offset": np.float64(lp.offset_).tobytes(),
           "integrality": [str(k) for k in lp.integrality_],
           "columns": [v.name for v in form.columns], "rows": [c.name for c in form.rows]}
    for key in ("col_cost_", "col_lower_", "col_upper_", "row_lower_", "row_upper_"):
        out[key] = np.asarray(getattr(lp, key), dtype=np.float64).tobytes()
    for key in ("start_", "index_", "value_"):
        out[key] = np.asarray(getattr(mat, key)).tobytes()
    return out


def assert_same_hand_off(inp: MixInputs) -> None:
    lay = mix_layout(inp)
    old_model = ref.build_model(inp, lay)  # both models kept alive while their
    new_model = build_model(inp, lay)  # variables' names are read (weak references)
    old, new = ref.compile_linear(old_model), compile_linear(new_model)
    want, got = handed(old, ref.to_highs(old)), handed(new, new.to_highs())
    assert want.keys() == got.keys()
    differ = [k for k in want if want[k] != got[k]]
    assert not differ, differ
    # what the session hands over (compiled again from the new model) is what HiGHS
    # holds from the old arrays, as HiGHS keeps it
    session = HighsSession(new_model, SolverOptions())
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.passModel(ref.to_highs(old))
    assert handed(old, highs.getLp()) == handed(session.form, session.highs.getLp())
    # the integer columns the solver reads (planning.solver.HighsSession.integer_vars)
    _, _, integer = ref.column_state(old.columns)
    assert [v.name for v in session.integer_vars()] == [
        v.name for v, i in zip(old.columns, integer.tolist(), strict=True) if i]
    del old_model, new_model


@pytest.mark.slow
def test_flagship_models_handed_over_bit_for_bit() -> None:
    from pathlib import Path

    from scenarios import load_scenario
    from scenarios.adapters.to_mix import demand_cases, mean_case, mix_inputs, requirement_cases
    from scenarios.checked_mix import overflow_at_once

    sc = load_scenario(Path(__file__).parents[2] / "scenarios" / "examples" / "double11.yaml")
    rates = demand_cases(sc)
    cases = requirement_cases(sc, rates)
    inp = mix_inputs(sc, cases)
    assert inp.in_house.rules is not None and inp.in_house_requirement is not None
    assert inp.volume is not None  # the monotone rows are there
    assert_same_hand_off(inp)
    assert_same_hand_off(mix_inputs(overflow_at_once(sc),
                                    tuple(c.overflowing_at_once() for c in cases)))
    assert_same_hand_off(replace(inp, cases=(replace(mean_case(sc, rates), probability=1.0),),
                                 chance_min_share=None))


def small(seed: int, scenarios: int, days: int, salaried: bool, rules: bool,
          in_house_row: bool, volumes: bool, chance: bool, hard: bool, unit: bool,
          pools: tuple[bool, bool, bool, bool]) -> MixInputs:
    """A small mix model: 1-h intervals over ``days`` days and 6 hours (the last day's
    shifts do not fit: a day without shifts), every family switchable. ``unit``: the
    productivities and the show-up at 1 (coefficients that Python's ``1 * v`` leaves as
    the variable itself); otherwise one pool's productivity 0."""
    rng = np.random.default_rng(seed)
    n = 24 * days + 6
    hours = np.arange(n) % 24
    shape = np.where((hours >= 7) & (hours < 23), 3 + 5 * np.sin((hours - 7) / 16 * np.pi), 0)
    req = np.round(shape * rng.uniform(0.6, 1.4, (scenarios, 1))
                   + rng.uniform(0, 2, (scenarios, n)) * (shape > 0), 2)
    req[:, rng.integers(0, n, 3)] = 0.0
    vol = req * 20 + rng.uniform(0, 5, req.shape) if volumes else None
    p = rng.dirichlet(np.ones(scenarios))
    cases = tuple(DemandCase(f"s{i}", float(p[i]), req[i],
                             volume=None if vol is None else vol[i],
                             in_house=np.round(0.6 * req[i], 2) if in_house_row else None)
                  for i in range(scenarios))
    with_ih, with_o, with_r, with_t = pools
    eta = 1.0 if unit else 0.0
    ih = InHouse(headcount=int(rng.integers(3, 12)), cost_per_paid_hour=11.0,
                 max_hires=3, hire_cost=150.0, hires_from=int(rng.integers(0, 40)),
                 max_days_per_week=int(rng.integers(1, 6)),
                 productivity=1.0 if unit else 0.9,
                 paid_hours_per_week=37.5 if salaried else None,
                 patterns=(ShiftPattern("p8", 8, (6, 8, 10, 14), (4,), 8.0),
                           ShiftPattern("p4", 4, (9, 17, 19), (), 4.0)),
                 rules=RosterRules(min_rest_hours=11, max_consecutive_days=1,
                                   max_nights_in_a_row=1, max_paid_hours_per_week=40,
                                   night_end_hour=6, on_leave=(2,)) if rules else None)
    o = Outsourced(price_per_hour=9.0, capacity=6, block=4, block_step=2, productivity=0.8,
                   surge_capacity=3, surge_price_per_hour=16.0, surge_from=6, surge_notice=2,
                   available_from=2, quality_cost_per_hour=1.5)
    r = Reserve(max_size=6, cost_per_agent=35.0, activation_per_hour=13.0,
                show_up=1.0 if unit else 0.8, productivity=eta if not unit else 1.0,
                callout=4, available_from=6, max_hours_per_agent=12.0, notice=3)
    t = Temps(capacity=2, price_per_hour=30.0, available_from=8, notice=1,
              productivity=1.0 if unit else 0.4)
    return MixInputs(interval_minutes=60, n_intervals=n, cases=cases,
                     in_house=ih if with_ih else None, outsourced=o if with_o else None,
                     reserve=r if with_r else None, temps=t if with_t else None,
                     shortfall_penalty_per_hour=120.0, hard_coverage=hard,
                     chance_min_share=0.6 if chance else None)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), scenarios=st.integers(1, 4), days=st.integers(1, 9),
       salaried=st.booleans(), rules=st.booleans(), in_house_row=st.booleans(),
       volumes=st.booleans(), chance=st.booleans(), hard=st.booleans(), unit=st.booleans(),
       pools=st.tuples(st.booleans(), st.booleans(), st.booleans(), st.booleans()))
def test_small_models_handed_over_bit_for_bit(seed: int, scenarios: int, days: int,
                                              salaried: bool, rules: bool,
                                              in_house_row: bool, volumes: bool,
                                              chance: bool, hard: bool, unit: bool,
                                              pools: tuple[bool, bool, bool, bool]) -> None:
    inp = small(seed, scenarios, days, salaried, rules, in_house_row, volumes, chance, hard,
                unit, pools)
    if not any(pools):
        inp = replace(inp, temps=Temps(capacity=1, price_per_hour=30.0))
    assert_same_hand_off(inp)


def test_every_family_is_in_one_small_model() -> None:
    """The drawn models reach every row family (here: one model that has them all)."""
    inp = small(3, 3, 8, True, True, True, True, True, False, False,
                (True, True, True, True))
    m = build_model(inp)
    import pyomo.environ as pyo

    names = {c.name for c in m.component_objects(pyo.Constraint) if len(c)}
    assert {"headcount_per_day", "days_off", "paid_hours", "outsourced_capacity",
            "first_stage_coverage", "reserve_show_up", "reserve_hours", "u_monotone",
            "v_monotone", "w_monotone", "coverage", "in_house_on_duty", "in_house_steps",
            "chance_link", "chance", "roster_rest"} <= names
    assert_same_hand_off(inp)


def test_compile_of_other_models_equals_the_walker_row_by_row() -> None:
    """Rows the array compile does not take as they are — a plain row naming a variable
    twice (its coefficients added, to 0 here: no entry), zero coefficients before and
    after a variable's first nonzero one, a Param as coefficient, a fixed variable, rows
    the walker reads (both sides variable, a ranged row), a deactivated row, columns
    with bounds of every kind — compiled as the old compile compiled them (the frozen
    copy: one walk per row, Var.bounds per column)."""
    import pyomo.environ as pyo
    from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression

    from tests.planning.test_linear_form import awkward

    def mono(c, v):  # noqa: ANN001, ANN202
        return MonomialTermExpression((c, v))

    for repeat in (False, True):
        m = awkward()
        m.p = pyo.Param(initialize=2.5, mutable=True)
        m.z = pyo.Var(range(4), bounds=(0, 3))
        # columns whose bounds column_state reads through Var.bounds itself, or with
        # the domain's: a Param, an infinity, a bound outside the domain's, a domain
        m.by_param = pyo.Var(bounds=(m.p, None), domain=pyo.NonNegativeIntegers)
        m.infinite = pyo.Var(bounds=(-float("inf"), 4.0))
        m.outside = pyo.Var(bounds=(-3, 0.5), domain=pyo.NonNegativeReals)
        m.own = pyo.Var(range(2), domain=pyo.Integers, bounds=(-2, 9))
        z = list(m.z.values())
        m.plain = pyo.Constraint(expr=LinearExpression(
            [mono(0, z[0]), z[1], mono(-1.5, z[2]), 4.0, mono(0.0, z[1])]) <= 7)
        m.zero_first = pyo.Constraint(expr=LinearExpression(
            [mono(0, z[3]), mono(2.0, z[0]), mono(3.0, z[3])]) >= -1)
        m.param = pyo.Constraint(expr=LinearExpression([mono(m.p, z[2]), z[3]]) == 1)
        if repeat:
            m.twice = pyo.Constraint(expr=LinearExpression(
                [mono(2.0, z[1]), z[0], mono(-2.0, z[1]), mono(0.5, z[0])]) <= 2)
        old_form, new_form = ref.compile_linear(m), compile_linear(m)
        assert handed(old_form, ref.to_highs(old_form)) == handed(new_form, new_form.to_highs())
