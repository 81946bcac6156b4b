"""The comparison solves the flat-pay baseline, then the absolute schemes, then the
rank-order ones (sim.compare.solve_order), and holds up to HELD_POLICIES policies' final
replications while it solves the next — so that the pool simulates the quick solves'
replications while this process solves the long ones. The numbers must not see it.

Reference: the comparison as it ran before (the policies solved in the given order, each
policy's final replications gathered right after the next one is solved: ``solve_order``
patched to the identity and ``HELD_POLICIES`` to 1), with 1 and 2 workers; every number of
the comparison's document, the outcomes' order and every replication's agent table equal.
"""

import dataclasses
from pathlib import Path

import numpy as np
import pytest

import sim.compare as compare_mod
from scenarios.adapters.to_compare import compare_inputs, run_compare
from sim.behavior.pay import is_relative
from sim.compare import BASELINE, comparison_json, solve_order

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios/examples/new_team_kpi_phases.yaml"
RANKING = ROOT / "rules/policies/forced_ranking_phase1.yaml"
COMMISSION = ROOT / "rules/policies/commission_phase2.yaml"


def _inputs(workers: int):
    inp = compare_inputs(SCENARIO, [RANKING, COMMISSION], replications=3, workers=workers)
    return dataclasses.replace(inp, settings=dataclasses.replace(
        inp.settings, sim_rounds=2, loop_replications=2))


def _run(workers: int, old: bool):
    solved: list[str] = []
    real = compare_mod.solve

    def spy(pay_fn, *a, **kw):
        solved.append(pay_fn)
        return real(pay_fn, *a, **kw)

    mp = pytest.MonkeyPatch()
    mp.setattr(compare_mod, "solve", spy)
    if old:
        mp.setattr(compare_mod, "solve_order", lambda entries, _baseline: list(entries))
        mp.setattr(compare_mod, "HELD_POLICIES", 1)
    try:
        c = run_compare(_inputs(workers))
    finally:
        mp.undo()
    return c, solved


def _doc(c):
    d = comparison_json(c)
    d.pop("solve_s"), d.pop("simulate_s")
    return d


@pytest.mark.parametrize("workers", [1, 2])
def test_the_order_of_solves_changes_no_number(workers):
    inp = _inputs(workers)
    assert [is_relative(p.pay_fn) for p in inp.policies] == [True, False]  # ranking first
    new, solved_new = _run(workers, old=False)
    ref, solved_ref = _run(workers, old=True)
    # the order did change: the commission (absolute) solved before the ranking
    assert [is_relative(f) for f in solved_new] == [False, False, True]
    assert [is_relative(f) for f in solved_ref] == [False, True, False]
    assert list(new.policies) == list(ref.policies) == [BASELINE, *[p.name for p in
                                                                    inp.policies]]
    assert _doc(new) == _doc(ref)
    assert new.simulated == ref.simulated
    for name, out in ref.policies.items():
        got_out = new.policies[name]
        np.testing.assert_equal(got_out.raw, out.raw)
        np.testing.assert_equal(got_out.agents_horizon, out.agents_horizon)
        assert len(got_out.runs) == len(out.runs) == 3
        for got, want in zip(got_out.runs, out.runs, strict=True):
            np.testing.assert_equal(got.channels, want.channels)   # NaN equals NaN here
            np.testing.assert_equal(got.agents_horizon, want.agents_horizon)


def test_solve_order_keeps_the_baseline_first_and_each_group_in_order():
    @dataclasses.dataclass
    class E:
        name: str
        pay_fn: object

    class Rel:
        relative = True

    class Abs:
        relative = False

    entries = [E("base", Abs()), E("r1", Rel()), E("a1", Abs()), E("r2", Rel()),
               E("a2", Abs())]
    assert [e.name for e in solve_order(entries, True)] == ["base", "a1", "a2", "r1", "r2"]
    # without a baseline the first entry is sorted like the others
    assert [e.name for e in solve_order(entries[1:], False)] == ["a1", "a2", "r1", "r2"]
    assert solve_order([], True) == []
