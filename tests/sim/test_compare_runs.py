"""The comparison's replications: each (levers, replication) simulated once, the final
ones sent to the workers while the next policy's behaviour is solved — and the same
numbers as running them one call at a time.

References: the simulator called directly (``run_replications`` on ``behavior_model`` at
the natural levers: the flat-pay baseline's final replications, which now include the
natural point's in-the-loop runs, must equal it bit for bit); a count of the simulator's
calls by hand from the settings (the natural point's in-the-loop runs, the policies'
in-the-loop rounds and final replications, less the reused ones); determinism (the same
document with 1 and 2 workers, docs/simulation.md, Randomness).
"""

import dataclasses
import hashlib
import pickle
from pathlib import Path

import numpy as np
import pytest

import sim.compare as compare_mod
from scenarios.adapters.to_compare import compare_inputs, run_compare
from sim.compare import BASELINE, behavior_model, comparison_json
from sim.runner import run_replications

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios/examples/new_team_kpi_phases.yaml"
RANKING = ROOT / "rules/policies/forced_ranking_phase1.yaml"
COMMISSION = ROOT / "rules/policies/commission_phase2.yaml"
REPS = 3


def _inputs(workers: int, sim_rounds: int = 2, loop: int = 2):
    inp = compare_inputs(SCENARIO, [RANKING, COMMISSION], replications=REPS, workers=workers)
    return dataclasses.replace(inp, settings=dataclasses.replace(
        inp.settings, sim_rounds=sim_rounds, loop_replications=loop))


@pytest.fixture(scope="module")
def counted():
    """A one-worker comparison with every simulator call recorded: (replication, a hash
    of the model's bytes: its levers, skills and staffing)."""
    calls = []
    real = compare_mod.simulate

    def spy(model, demand, seed, r, **kw):
        calls.append((r, hashlib.sha256(pickle.dumps(model)).hexdigest()))
        return real(model, demand, seed, r, **kw)

    inp = _inputs(1)
    mp = pytest.MonkeyPatch()
    mp.setattr(compare_mod, "simulate", spy)
    try:
        c = run_compare(inp)
    finally:
        mp.undo()
    return inp, c, calls


def test_each_run_is_simulated_once_and_counted(counted):
    inp, c, calls = counted
    s = inp.settings
    assert len(calls) == len(set(calls)) == c.simulated
    # by hand: the old one-call-at-a-time count, less the natural point's in-the-loop
    # runs (replications 0..loop-1 of the baseline's final ones at the same levers)
    policies = len(inp.policies)
    old = s.loop_replications + (policies + 1) * s.replications \
        + policies * (s.sim_rounds - 1) * s.loop_replications
    assert c.simulated <= old - s.loop_replications


def test_baseline_runs_equal_the_simulator_called_directly(counted):
    inp, c, _ = counted
    s = inp.settings
    model = behavior_model(inp.model, inp.agents, inp.agents.natural_levers(), s.params)
    direct = run_replications(model, inp.demand, REPS, s.seed).outputs
    runs = c.policies[BASELINE].runs
    assert len(runs) == REPS
    for got, want in zip(runs, direct, strict=True):
        np.testing.assert_equal(got.channels, want.channels)   # NaN equals NaN here
        np.testing.assert_equal(got.team, want.team)
        assert set(got.agents_horizon) == set(want.agents_horizon)
        for k, v in want.agents_horizon.items():
            np.testing.assert_array_equal(got.agents_horizon[k], v)


def test_same_document_with_one_or_two_workers_in_the_loop(counted):
    # two policies with two in-the-loop rounds: the final replications of one policy run
    # on the workers while the next one is solved; the numbers must not see it
    _, c1, _ = counted
    c2 = run_compare(_inputs(2))

    def doc(c):
        d = comparison_json(c)
        d.pop("solve_s"), d.pop("simulate_s")
        return d

    assert doc(c1) == doc(c2)
    assert c1.simulated == c2.simulated
