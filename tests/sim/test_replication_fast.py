"""The replication's work after the event loop after issue 25's cuts, against the code
before them.

Reference: tests/sim/reference_replication.py, sim/kpi.py and sim/outcomes.py's draws as
they stood before the cuts (main 905b2a1, frozen copy). The compiled KPI passes
(sim.compiled_kpi) add the same numbers in the same order as the numpy passes they replace,
so every KPI of every replication — team, channel, interval and agent tables, per day and
over the horizon, overtime — must be equal bit for bit, with the compiled passes on and
off, on cases that exercise each branch (tests/sim/test_kpi_fast.py's: every feature
together, whole days, outbound work in both modes, rosters of people, no agents).
"""

from __future__ import annotations

import numpy as np
import pytest

import sim.kpi as kpi
import sim.runner as runner
from sim import compiled
from sim.runner import simulate
from tests.sim import reference_replication as ref
from tests.sim.test_kpi_fast import CASES, _same

pytestmark = [pytest.mark.skipif(not compiled.available(), reason="numba not installed")]

KPI_FUNCTIONS = ("agent_kpis", "busy_time", "interval_metrics", "overtime", "queue_time",
                 "team_metrics", "draw_outcomes")


def before(model, demand, seed, rep, monkeypatch):
    """The replication with the frozen functions patched into the runner."""
    with monkeypatch.context() as m:
        for name in KPI_FUNCTIONS:
            m.setattr(runner, name, getattr(ref, name))
        m.setattr(kpi, "COMPILED", False)
        return simulate(model, demand, seed, rep, kernel="python")


@pytest.mark.parametrize("compiled_passes", [False, True])
@pytest.mark.parametrize("case", sorted(CASES))
def test_kpis_bit_for_bit_against_the_code_before(case: str, compiled_passes: bool,
                                                   monkeypatch) -> None:
    model, demand = CASES[case]()
    for rep in (0, 1):
        old = before(model, demand, 5, rep, monkeypatch)
        monkeypatch.setattr(kpi, "COMPILED", compiled_passes)
        new = simulate(model, demand, 5, rep, kernel="python")
        _same(old, new)
        assert old.team["contacts_simulated"] > 0 or case == "no_agents"


@pytest.mark.parametrize("weighted", [False, True])
def test_overlap_compiled_equals_numpy_on_long_spans(weighted: bool, monkeypatch) -> None:
    """Reference: the numpy passes (both of their branches: a full bincount while many
    spans are open, per-key sums once few are) — spans up to 40 intervals long, spans
    outside the horizon, empty and infinite ones."""
    rng = np.random.default_rng(7)
    n, L, groups = 48, 1800.0, 30
    s = rng.uniform(-3 * L, (n + 2) * L, 5000)
    e = s + rng.exponential(L, 5000) * rng.choice([0.1, 1.0, 20.0], 5000)
    e[::97] = np.inf
    e[::89] = s[::89]
    g = rng.integers(0, groups, 5000)
    w = rng.random(5000) if weighted else None
    got = {}
    for flag in (False, True):
        monkeypatch.setattr(kpi, "COMPILED", flag)
        got[flag] = kpi.overlap(s, e, g, groups, L, n, w)
    assert np.array_equal(got[False], got[True])
    assert np.array_equal(got[False], ref.overlap(s, e, g, groups, L, n, w))
