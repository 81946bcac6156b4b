"""Best response on tiny cases with known optima: closed forms by hand, brute force."""

import numpy as np
import pytest

from sim.behavior import (
    NOISE_CHANNELS,
    BehaviorParams,
    Evaluator,
    FlatPay,
    PayBreakdown,
    SkillDistribution,
    SolverSettings,
    SystemState,
    best_response,
    draw_agents,
    effort_cost,
    expected_kpis,
)
from tests.behavior.payfns import Commission, RankBonus

P = BehaviorParams()
S = SolverSettings()
STATE = SystemState(staffed_hours=100.0)


def _agents(n=3, seed=5):
    return draw_agents([("in_house", n, SkillDistribution())], np.random.default_rng(seed))


def _no_noise(n):
    return np.zeros((1, n, len(NOISE_CHANNELS)))


class Linear:
    """pay = k × metric (absolute)."""

    relative = False
    batched = True

    def __init__(self, metric, k):
        self.metric, self.k = metric, k

    def __call__(self, t):
        v = self.k * np.asarray(t[self.metric], float)
        return PayBreakdown(v, {f"item:{self.metric}": v})


def test_availability_closed_form():
    # Reference (by hand): max k·a − c·T·w_a·(a − a0)²  ⇒  a* = a0 + k / (2 c T w_a), clipped.
    ag = _agents()
    k = 500.0
    ev = Evaluator(Linear("online_rate", k), ag, STATE, _no_noise(ag.n), P, S)
    br, _ = best_response(ev, ag.natural_levers())
    want = np.clip(ag.availability + k / (2 * ag.cost_per_hour * 100.0 * P.cost_weights[1]),
                   *P.availability_bounds)
    assert br[:, 1] == pytest.approx(want, abs=2e-3)
    assert br[:, 0] == pytest.approx(1.0) and br[:, 3] == pytest.approx(0.0)


def test_speed_closed_form():
    # Reference: pay = −k·aht = −k·base·speed_i·s  ⇒  s* = 1 − k·base·speed_i / (2 c T w_s).
    ag = _agents()
    k = 0.5
    ev = Evaluator(Linear("aht_s", -k), ag, STATE, _no_noise(ag.n), P, S)
    br, _ = best_response(ev, ag.natural_levers())
    want = 1 - k * STATE.base_aht_s * ag.speed / (2 * ag.cost_per_hour * 100.0 * P.cost_weights[0])
    assert br[:, 0] == pytest.approx(np.clip(want, *P.speed_bounds), abs=2e-3)


def test_sales_push_closed_form_and_bound():
    # Reference: pay = k·conversion = k·sales_i·(1 + γq)  ⇒  q* = k·sales_i·γ / (2 c T w_q).
    ag = _agents()
    for k in (2000.0, 1e6):  # the second is pinned at the upper bound
        ev = Evaluator(Linear("conversion_rate", k), ag, STATE, _no_noise(ag.n), P, S)
        br, _ = best_response(ev, ag.natural_levers())
        want = k * ag.sales * P.push_conversion / (2 * ag.cost_per_hour * 100.0 * P.cost_weights[3])
        assert br[:, 3] == pytest.approx(np.clip(want, 0, 1), abs=2e-3)


def test_flat_pay_keeps_the_natural_point():
    ag = _agents(8)
    ev = Evaluator(FlatPay(3000), ag, STATE, _no_noise(ag.n), P, S)
    br, _ = best_response(ev, ag.natural_levers())
    np.testing.assert_array_equal(br, ag.natural_levers())


def test_commission_matches_brute_force():
    # Reference: exhaustive search over a fine (s, a, o) grid of the same objective
    # (q does not enter the pay and stays at 0).
    ag = _agents(2)
    pay = Commission({"answered": 1.5, "outbound_calls": 1.0})
    ev = Evaluator(pay, ag, STATE, _no_noise(ag.n), P, S)
    br, val = best_response(ev, ag.natural_levers())
    s = np.linspace(0.7, 1.2, 51)
    a = np.linspace(0.6, 0.98, 39)
    o = np.linspace(0, 1, 51)
    g = np.stack(np.meshgrid(s, a, o, [0.0], indexing="ij"), -1).reshape(-1, 4)
    cand = np.repeat(g[None], ag.n, axis=0)
    k = expected_kpis(ag, cand, STATE, P)
    obj = 1.5 * k["answered"] + k["outbound_calls"] - effort_cost(ag, cand, 100.0, P)
    best = obj.max(axis=1)
    assert np.all(val >= best - 1e-6 * np.abs(best) - 0.5)   # at least as good as brute force
    np.testing.assert_allclose(br, cand[np.arange(ag.n), obj.argmax(axis=1)], atol=0.03)


def test_relative_pay_is_a_unilateral_deviation():
    # Reference: the expected pay of agent i at a candidate, built by hand from team tables
    # with only row i changed — agent i's row from its own draw r1, the others' rows from
    # draw r2, every pairing (own and others' luck are independent).
    from sim.behavior import noisy_kpis

    ag = _agents(5)
    noise = np.random.default_rng(3).standard_normal((4, ag.n, len(NOISE_CHANNELS)))
    pay = RankBonus("answered", 0.4, 100.0)
    ev = Evaluator(pay, ag, STATE, noise, P, S)
    cur = ag.natural_levers()
    cand = cur[:, None, :].copy()
    cand[:, 0, 1] = 0.95
    got, comps = ev.pay(cur, cand)
    base = noisy_kpis(ag, cur, STATE, noise, P)["answered"]           # (R, n)
    dev = noisy_kpis(ag, cand, STATE, noise, P)["answered"][:, :, 0]   # (R, n)
    for i in range(ag.n):
        wins = []
        for r1 in range(4):
            for r2 in range(4):
                tab = base[r2].copy()
                tab[i] = dev[r1, i]
                edge = np.sort(tab)[-2]                                  # top ceil(0.4·5) = 2
                wins.append(100.0 if tab[i] >= edge else 0.0)
        assert got[i, 0] == pytest.approx(np.mean(wins))
        assert comps["ranking"][i, 0] == pytest.approx(np.mean(wins))


def test_unbatched_pay_function_gives_the_same_answer():
    # Reference: the batched evaluation of the same pay function.
    ag = _agents(4)
    noise = np.random.default_rng(4).standard_normal((3, ag.n, len(NOISE_CHANNELS)))

    class Unbatched(RankBonus):
        batched = False

        def __call__(self, t):
            assert np.ndim(t["answered"]) == 1
            return super().__call__(t)

    cur = ag.natural_levers()
    cand = np.repeat(cur[:, None, :], 3, axis=1)
    cand[:, 1, 0] = 0.8
    cand[:, 2, 1] = 0.97
    a = Evaluator(RankBonus("answered", 0.25, 50.0), ag, STATE, noise, P, S).pay(cur, cand)
    b = Evaluator(Unbatched("answered", 0.25, 50.0), ag, STATE, noise, P, S).pay(cur, cand)
    np.testing.assert_allclose(a[0], b[0])
    np.testing.assert_allclose(a[1]["ranking"], b[1]["ranking"])


def test_higher_commission_moves_levers_further(team):
    # Reference: monotone comparative statics — pay k·answered − convex cost, with answered
    # increasing in a and decreasing in s: a larger k never lowers availability nor slows down.
    from sim.behavior import solve

    agents, noise = team
    runs = [solve(Commission({"answered": k}), agents, SystemState(), noise).levers
            for k in (0.25, 0.5, 1.0, 2.0)]
    for lo, hi in zip(runs[:-1], runs[1:], strict=True):
        assert np.all(hi[:, 1] >= lo[:, 1] - 1e-3)
        assert np.all(hi[:, 0] <= lo[:, 0] + 1e-3)


def test_same_inputs_same_levers(team):
    from sim.behavior import solve

    agents, noise = team
    pay = RankBonus("answered", 0.25, 600.0)
    a = solve(pay, agents, SystemState(), noise)
    b = solve(pay, agents, SystemState(), noise.copy())
    np.testing.assert_array_equal(a.levers, b.levers)
