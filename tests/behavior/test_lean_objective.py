"""The best response's objective without the pay components, and the band lookup's
prepared fields (issue 25): the same numbers bit for bit as the full path.

References: the objective is E[total pay] − effort cost, so it must equal the total that
``Evaluator.pay`` returns with every component computed (the code path before the cut)
minus ``effort_cost``, exactly; ``mean_membership`` with its prepared (remembered) field
must equal the same call with nothing remembered, and — an independent formula — the
direct membership of every candidate key against every column of the field
(``tournament.membership``), averaged with the columns' weights.
"""

from __future__ import annotations

import numpy as np
import pytest

import sim.behavior.tournament as tournament
from sim.behavior import (
    BehaviorParams,
    Evaluator,
    SkillDistribution,
    SolverSettings,
    SystemState,
    draw_agents,
    draw_noise,
)
from sim.behavior.agents import effort_cost
from sim.behavior.pay import RankBand
from sim.behavior.rules_pay import RulesPay
from tests.behavior.payfns import RankBonus
from tests.behavior.test_equilibrium import _bundled_ranking

P = BehaviorParams()


def _evaluator(pay_fn, n: int = 18) -> Evaluator:
    agents = draw_agents([("in_house", n, SkillDistribution())], np.random.default_rng(5))
    noise = draw_noise(np.random.default_rng(6), 16, agents.n)
    return Evaluator(pay_fn, agents, SystemState(), noise, P, SolverSettings())


def _candidates(ev: Evaluator, k: int = 12) -> np.ndarray:
    rng = np.random.default_rng(7)
    b = P.bounds()
    cand = np.repeat(ev.agents.natural_levers()[:, None, :], k, axis=1)
    cand[:, :, :3] = rng.uniform(b[:3, 0], b[:3, 1], size=(ev.agents.n, k, 3))
    return cand


@pytest.mark.parametrize("pay", ["forced_ranking", "rank_bonus"])
def test_objective_is_the_full_total_minus_cost(pay):
    pay_fn = RulesPay(_bundled_ranking()) if pay == "forced_ranking" \
        else RankBonus("answered", 0.25, 600.0)
    ev = _evaluator(pay_fn)
    cand = _candidates(ev)
    current = ev.agents.natural_levers()
    total, comps = ev.pay(current, cand)             # every component computed
    assert comps                                     # the full path reports them
    lean_total, lean_comps = ev.pay(current, cand, components=False)
    assert np.array_equal(lean_total, total)
    want = total - effort_cost(ev.agents, cand, ev.state.staffed_hours, P)
    assert np.array_equal(ev.objective(current, cand), want)
    # and the full path is unchanged after the lean one ran (nothing shared wrongly)
    again, comps2 = ev.pay(current, cand)
    assert np.array_equal(again, total)
    assert comps2.keys() == comps.keys()
    for k in comps:
        assert np.array_equal(comps2[k], comps[k])


def test_rules_rows_without_components_are_the_same_rows():
    pay_fn = RulesPay(_bundled_ranking())
    ev = _evaluator(pay_fn)
    rng = np.random.default_rng(8)
    shape = (4, 5, ev.agents.n)
    table = {"answered": rng.uniform(800, 2400, shape), "answer_rate": rng.uniform(0.8, 1, shape),
             "aht_s": rng.uniform(200, 400, shape)}
    table["agent_id"] = np.broadcast_to(ev.agents.agent_id, shape)
    table["pool"] = np.broadcast_to(ev.agents.pool, shape)
    full = pay_fn.ranked_rows(table)
    lean = pay_fn.ranked_rows(table, components=False)
    assert full.components and not lean.components
    for a in ("key", "base", "variable", "paid"):
        assert np.array_equal(getattr(full, a), getattr(lean, a))


def _field(seed: int, n: int = 9, r2: int = 16, ties: bool = True):
    rng = np.random.default_rng(seed)
    key = rng.normal(size=(r2, n + 1))
    if ties:
        key[:, ::3] = np.round(key[:, ::3], 1)       # tied values across agents
    bands = (RankBand("top", 0.2, 800.0), RankBand("bottom", 0.1, -500.0))
    stats, scale = tournament.edge_stats(key[:, :n], bands)
    return stats, scale


def test_prepared_field_matches_fresh_and_direct_membership():
    rng = np.random.default_rng(9)
    fields = [_field(11), _field(12)]
    v = rng.normal(size=(9, 7, 16))
    v[:, ::2, ::3] = np.round(v[:, ::2, ::3], 1)     # keys at the edges
    weight = np.full(16, 1.0 / 16)
    fresh = []
    for stats, scale in fields:
        tournament._SORTED.clear()
        fresh.append([tournament.mean_membership(v, st, scale, "split", weight)
                      for st in stats])
    # alternate the two fields with the preparations remembered: each gets its own
    for _ in range(2):
        for (stats, scale), want in zip(fields, fresh, strict=True):
            for st, w in zip(stats, want, strict=True):
                got = tournament.mean_membership(v, st, scale, "split", weight)
                assert np.array_equal(got, w)
                direct = tournament.membership(v, st, scale, "split") @ weight
                assert np.allclose(got, direct, rtol=0, atol=1e-12)
    # another tie rule or another weight is another preparation
    stats, scale = fields[0]
    tournament._SORTED.clear()
    want_all = tournament.mean_membership(v, stats[0], scale, "all", weight)
    tournament.mean_membership(v, stats[0], scale, "split", weight)
    assert np.array_equal(tournament.mean_membership(v, stats[0], scale, "all", weight),
                          want_all)
    skew = np.linspace(1.0, 2.0, 16)
    skew /= skew.sum()
    assert np.allclose(tournament.mean_membership(v, stats[0], scale, "split", skew),
                       tournament.membership(v, stats[0], scale, "split") @ skew,
                       rtol=0, atol=1e-12)


def _rank_team(n: int):
    agents = draw_agents([("in_house", n, SkillDistribution())], np.random.default_rng(3))
    return agents, draw_noise(np.random.default_rng(4), 16, agents.n)


@pytest.mark.parametrize("pay,n", [("forced_ranking", 24), ("forced_ranking", 31)])
def test_pattern_slots_give_the_same_equilibrium(pay, n, monkeypatch):
    # reference: the same solve with every pattern step computed whole (the code path
    # before the slots: ``_slot_rows`` answering None computes the whole chunk)
    import sim.behavior.response as response
    from sim.behavior import equilibrium

    agents, noise = _rank_team(n)
    pay_fn = RulesPay(_bundled_ranking())
    s = SolverSettings(max_rounds=8)
    merged = []
    real_merge = response._merge_rows

    def counted(old, new, fresh):
        out = real_merge(old, new, fresh)
        merged.append(out is not None)
        return out

    with monkeypatch.context() as m:
        m.setattr(response.Evaluator, "_slot_rows", lambda self, slot, cand, rowwise: None)
        plain = equilibrium(Evaluator(pay_fn, agents, SystemState(), noise, P, s))
    with monkeypatch.context() as m:
        m.setattr(response, "_merge_rows", counted)
        kept = equilibrium(Evaluator(pay_fn, agents, SystemState(), noise, P, s))
    assert plain.rounds > 2
    assert any(merged)                                # some agents' rows were reused
    for a, b in ((plain.levers, kept.levers), (plain.regret, kept.regret),
                 (plain.regret_share, kept.regret_share)):
        assert np.array_equal(a, b)
    assert plain.history == kept.history and plain.rounds == kept.rounds


def test_slot_rows_are_the_whole_computation_in_its_layout():
    # the rows of a slot where some agents' candidates changed: equal, element for
    # element and in memory layout, to the rows computed for the whole team at once
    pay_fn = RulesPay(_bundled_ranking())
    ev = _evaluator(pay_fn, n=15)
    first = _candidates(ev, 26)
    second = first.copy()
    moved = np.zeros(ev.agents.n, bool)
    moved[[1, 4, 5, 11]] = True
    second[moved, :, 0] = np.clip(second[moved, :, 0] + 0.01, *P.bounds()[0])
    captured = {}

    def rows_of(cand):
        ev2 = Evaluator(pay_fn, ev.agents, ev.state, ev.noise, P, ev.settings)
        ev2._pay_ranked(ev2.field(ev.agents.natural_levers()), cand, components=False)
        return ev2

    real = tournament.expected_ranked_pay

    def keep(part, fld, components=True):
        captured["part"] = part
        return real(part, fld, components)

    import sim.behavior.response as response
    response.expected_ranked_pay, old = keep, response.expected_ranked_pay
    try:
        rows_of(second)
        whole = captured["part"]
        ev3 = Evaluator(pay_fn, ev.agents, ev.state, ev.noise, P, ev.settings)
        fld = ev3.field(ev.agents.natural_levers())
        ev3._pay_ranked(fld, first, components=False, slot=0)
        ev3._pay_ranked(fld, second, components=False, slot=0)
        merged = captured["part"]
    finally:
        response.expected_ranked_pay = old
    assert merged is not whole
    for f in ("key", "base", "variable"):
        a, b = getattr(merged, f), getattr(whole, f)
        assert np.array_equal(a, b) and a.strides == b.strides
    assert np.array_equal(merged.paid, whole.paid)


@pytest.mark.parametrize("limit", [80_000_000, 2_000_000])
def test_remembered_certifying_grid_gives_the_same_equilibrium(limit, monkeypatch):
    # reference: the same solve with the certifying grid computed afresh at every search
    # (MEMO_CHECK_BYTES = 0: the code path before); ``limit`` small: only the chunks that
    # fit are remembered, the others computed — the same numbers either way
    import sim.behavior.response as response
    from sim.behavior import equilibrium

    agents, noise = _rank_team(26)
    pay_fn = RulesPay(_bundled_ranking())
    s = SolverSettings(max_rounds=8, chunk=16 * 26 * 90)   # the certifying grid: 13 chunks
    evs = []
    with monkeypatch.context() as m:
        m.setattr(response, "MEMO_CHECK_BYTES", 0)
        plain = equilibrium(Evaluator(pay_fn, agents, SystemState(), noise, P, s))
    with monkeypatch.context() as m:
        m.setattr(response, "MEMO_CHECK_BYTES", limit)
        ev = Evaluator(pay_fn, agents, SystemState(), noise, P, s)
        evs.append(ev)
        kept = equilibrium(ev)
    for a, b in ((plain.levers, kept.levers), (plain.regret, kept.regret),
                 (plain.regret_share, kept.regret_share)):
        assert np.array_equal(a, b)
    assert plain.history == kept.history and plain.rounds == kept.rounds
    held = [v for t, v in evs[0]._rows_memo.items() if t.startswith(b"check")]
    assert held                                        # the certifying grid remembered
    assert sum(response._nbytes(v) for v in held) <= limit
