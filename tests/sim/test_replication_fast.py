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
from tests.sim.table_adapter import as_today
from tests.sim.test_kpi_fast import CASES, _same

pytestmark = [pytest.mark.skipif(not compiled.available(), reason="numba not installed")]

KPI_FUNCTIONS = ("agent_kpi_tables", "busy_time", "interval_metrics", "overtime", "queue_time",
                 "team_metrics", "draw_outcomes")


def before(model, demand, seed, rep, monkeypatch):
    """The replication with the frozen functions patched into the runner."""
    with monkeypatch.context() as m:
        for name in KPI_FUNCTIONS:
            m.setattr(runner, name, as_today(getattr(ref, name)))
        m.setattr(compiled, "PASSES", False)
        return simulate(model, demand, seed, rep, kernel="python")


@pytest.mark.parametrize("compiled_passes", [False, True])
@pytest.mark.parametrize("case", sorted(CASES))
def test_kpis_bit_for_bit_against_the_code_before(case: str, compiled_passes: bool,
                                                   monkeypatch) -> None:
    model, demand = CASES[case]()
    for rep in (0, 1):
        old = before(model, demand, 5, rep, monkeypatch)
        monkeypatch.setattr(compiled, "PASSES", compiled_passes)
        new = simulate(model, demand, 5, rep, kernel="python")
        _same(old, new)
        assert old.team["contacts_simulated"] > 0 or case == "no_agents"
        if case == "flagship_like":  # the branches with something to add up
            assert old.team["overtime_hours"] > 0 and old.channels["voice"]["paid_uv"] > 0


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
        monkeypatch.setattr(compiled, "PASSES", flag)
        got[flag] = kpi.overlap(s, e, g, groups, L, n, w)
    assert np.array_equal(got[False], got[True])
    assert np.array_equal(got[False], ref.overlap(s, e, g, groups, L, n, w))


@pytest.mark.parametrize("chunk", [7, 1000, 65_536])
def test_outcomes_compiled_equal_the_draws_before(chunk: int, monkeypatch) -> None:
    """Reference: the frozen draw_outcomes (one numpy pass per formula) on 30,000 contacts
    of two channels with sales, agents of two pools with levers (speed and sales push move
    every probability), a third of the contacts never answered; every outcome array bit for
    bit and the stream left in the same state."""
    import dataclasses

    from sim.agents import build_agents
    from sim.levers import LeverEffects, Levers
    from sim.model import Quality, SalesModel
    from sim.outcomes import Outcomes, draw_outcomes
    from sim.recorder import ContactRecords
    from sim.streams import Streams
    from tests.sim.test_compiled import flagship_like

    model, _ = flagship_like()
    chans = tuple(dataclasses.replace(c, sales=SalesModel(presale_share=0.4 + 0.3 * k,
                                                          conversion=0.5, order_cv=0.7 + k))
                  for k, c in enumerate(model.channels))
    pools = tuple(dataclasses.replace(p, quality=Quality(satisfaction=0.8, complaint=0.3,
                                                         bad_review=0.2),
                                      levers=Levers(speed=0.7 + 0.2 * i, sales_push=0.5 * i))
                  for i, p in enumerate(model.pools))
    model = dataclasses.replace(model, channels=chans, pools=pools, effects=LeverEffects(
        rush_complaint=2.0, rush_satisfaction=0.3, push_conversion=0.8, push_returns=0.5))
    agents = build_agents(model, Streams(1, 0)["agents"])
    rng = np.random.default_rng(3)
    n = 30_000
    agent = np.where(rng.random(n) < 0.33, -1, rng.integers(0, len(agents), n))
    nan = np.full(n, np.nan)
    rec = ContactRecords(np.sort(rng.random(n)), rng.integers(0, 2, n), np.zeros(n, np.int8),
                         nan, agent, nan, nan, nan, nan, np.zeros(n, bool),
                         np.zeros(n, np.int16))
    old_rng, new_rng = Streams(4, 2)["outcomes"], Streams(4, 2)["outcomes"]
    monkeypatch.setattr(compiled, "PASSES", False)
    old = ref.draw_outcomes(model, agents, rec, old_rng, chunk)
    monkeypatch.setattr(compiled, "PASSES", True)
    new = draw_outcomes(model, agents, rec, new_rng, chunk)
    for f in Outcomes.__dataclass_fields__:
        a, b = getattr(old, f), getattr(new, f)
        assert a.dtype == b.dtype and np.array_equal(a, b, equal_nan=True), f
    assert old.paid.sum() > 1000 and old.complaint.sum() > 1000 and old.returned.any()
    assert old_rng.bit_generator.state == new_rng.bit_generator.state
