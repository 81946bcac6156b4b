"""The coarse best response's remembered grid pay (``Evaluator._chunked``'s ``stable``
chunks): the same equilibrium bit for bit as with nothing remembered (the reference: the
same code with the memo switched off, ``MEMO_CHUNKS = 0`` and ``MEMO_CHECK_BYTES = 0`` — every chunk computed afresh,
the code path before the memo), and the memo really used (fewer surrogate evaluations).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import sim.behavior.response as response
from sim.behavior import (
    BehaviorParams,
    Evaluator,
    SkillDistribution,
    SolverSettings,
    SystemState,
    draw_agents,
    draw_noise,
    equilibrium,
)
from sim.behavior.rules_pay import RulesPay
from tests.behavior.payfns import RankBonus
from tests.behavior.test_equilibrium import _bundled_ranking

P = BehaviorParams()


def _team(n: int):
    agents = draw_agents([("in_house", n, SkillDistribution())], np.random.default_rng(3))
    return agents, draw_noise(np.random.default_rng(4), 16, agents.n)


def _solve(pay_fn, agents, noise, settings, memo: bool, monkeypatch):
    calls = []
    real = response.noisy_kpis

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(response, "noisy_kpis", counted)
        if not memo:
            m.setattr(response, "MEMO_CHUNKS", 0)
            m.setattr(response, "MEMO_CHECK_BYTES", 0)
        eq = equilibrium(Evaluator(pay_fn, agents, SystemState(), noise, P, settings))
    return eq, len(calls)


@pytest.mark.parametrize("pay,n,per_chunk", [
    ("forced_ranking", 24, 40), ("forced_ranking", 24, 7), ("rank_bonus", 30, 25)])
def test_remembered_grid_gives_the_same_equilibrium(pay, n, per_chunk, monkeypatch):
    agents, noise = _team(n)
    pay_fn = RulesPay(_bundled_ranking()) if pay == "forced_ranking" \
        else RankBonus("answered", 0.25, 600.0)
    # chunks of ``per_chunk`` candidates: the grid spans several, the last holds "stay put"
    s = replace(SolverSettings(max_rounds=8), chunk=16 * agents.n * per_chunk)
    plain, calls_plain = _solve(pay_fn, agents, noise, s, False, monkeypatch)
    kept, calls_kept = _solve(pay_fn, agents, noise, s, True, monkeypatch)
    assert plain.rounds > 1                       # rounds of best responses to reuse in
    for a, b in ((plain.levers, kept.levers), (plain.regret, kept.regret),
                 (plain.regret_share, kept.regret_share)):
        assert np.array_equal(a, b)
    assert plain.history == kept.history and plain.rounds == kept.rounds
    assert calls_kept < calls_plain               # the grid's KPIs computed once


def test_remembered_rows_do_not_depend_on_the_field(monkeypatch):
    # the memo holds the row-wise part only: the same grid against two different plays of
    # the others pays as a fresh evaluator (nothing remembered) does against each
    agents, noise = _team(20)
    s = replace(SolverSettings(), chunk=16 * agents.n * 10)
    pay_fn = RulesPay(_bundled_ranking())
    grid = np.repeat(agents.natural_levers()[:, None, :], 30, axis=1)
    grid[:, :, 0] = np.linspace(0.7, 1.2, 30)[None]
    other = agents.natural_levers().copy()
    other[:, 1] = np.minimum(other[:, 1] + 0.05, 1.0)
    ev = Evaluator(pay_fn, agents, SystemState(), noise, P, s)
    for current in (agents.natural_levers(), other, agents.natural_levers()):
        fresh = Evaluator(pay_fn, agents, SystemState(), noise, P, s)
        got = ev.pay(current, grid, stable=30)
        want = fresh.pay(current, grid)
        assert np.array_equal(got[0], want[0])
        assert got[1].keys() == want[1].keys()
        assert all(np.array_equal(got[1][k], want[1][k]) for k in want[1])
    assert len(ev._rows_memo) == 3                # 30 candidates, 10 a chunk
