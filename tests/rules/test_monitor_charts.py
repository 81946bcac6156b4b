"""rules.monitor building blocks against independent references: the CUSUM path and its
episodes against hand-worked cases and a plain loop, Siegmund's ARL against an exact
Markov chain (Brook & Evans 1972), the floor test and tails against brute-force sums,
ranking probabilities against numerical integration (mpmath), roll-ups against the
calendar (datetime.isocalendar), the naive rule against a hand count."""

from __future__ import annotations

import math
from datetime import date

import mpmath
import numpy as np
import pytest
from scipy import stats

from rules.monitor.charts import cusum, episodes
from rules.monitor.counts import llr_weights, shifted, tail
from rules.monitor.design import posterior_increments, posterior_nodes, siegmund_arl, threshold
from rules.monitor.floor import floor_tail, trailing_sums
from rules.monitor.naive import naive_flags
from rules.monitor.ranking import rank_agents
from rules.monitor.rollup import groups, sum_by


# ---------------------------------------------------------------- CUSUM and episodes
def test_cusum_matches_a_plain_loop():
    """Reference: Page's recursion written out per chart, with the FIR restart at h/2."""
    rng = np.random.default_rng(3)
    w = rng.normal(-0.2, 1.0, size=(7, 60))
    h = np.array([2.0, 3.0, 4.0, 1.0, 2.5, 5.0, 3.5])
    start = np.array([0, 5, 10, 0, 59, 60, 3])
    path = cusum(w, h, start)
    for c in range(7):
        s = 0.0
        for t in range(60):
            if t < start[c]:
                assert math.isnan(path.value[c, t]) and path.carried[c, t] == 0.0
                continue
            s = max(0.0, s + w[c, t])
            assert path.value[c, t] == pytest.approx(s)
            assert path.signal[c, t] == (s >= h[c])
            if s >= h[c]:
                s = h[c] / 2
            assert path.carried[c, t] == pytest.approx(s)


def test_episode_from_a_hand_worked_path():
    """Reference: worked by hand. h = 3; increments 0 −1 +1 +1 +2 (signal at 4: S = 4)
    → restart 1.5, +1 (2.5), −3 (0: over at 6) ... a second rise +4 at 9 (signal, ongoing)."""
    w = np.array([[0.0, -1.0, 1.0, 1.0, 2.0, 1.0, -3.0, -1.0, 0.5, 4.0]])
    path = cusum(w, np.array([3.0]), np.array([0]))
    eps = episodes(path, np.array([0]))
    assert [(e.since, e.signalled, e.until, e.ongoing) for e in eps] == [
        (2, 4, 5, False),      # zero at t=1 → change point 2; drained to zero at t=6
        (8, 9, 9, True),       # zero at t=7 → change point 8; still high at the end
    ]


def test_shewhart_signal_alone_is_a_one_period_episode():
    w = np.zeros((1, 6))
    single = np.zeros((1, 6), dtype=bool)
    single[0, 3] = True
    path = cusum(w, np.array([5.0]), np.array([0]), shewhart=single)
    eps = episodes(path, np.array([0]))
    # the restart at h/2 then drains by increments of 0: it stays above zero to the end
    assert [(e.since, e.signalled, e.by_cusum) for e in eps] == [(3, 3, False)]
    w2 = np.array([[0, 0, 0, 0, -9, 0]], float)
    path2 = cusum(w2, np.array([5.0]), np.array([0]), shewhart=single)
    assert [(e.since, e.until, e.ongoing) for e in episodes(path2, np.array([0]))] == [
        (3, 3, False)]


# ---------------------------------------------------------------- threshold design
def _brook_evans_arl(a: float, b: float, n: int, p: float, h: float, m: int = 1500) -> float:
    """Exact-in-the-limit ARL of the binomial LLR CUSUM: Markov chain on a grid of m states
    in [0, h) (Brook & Evans 1972), the statistic rounded to the grid."""
    grid = np.arange(m) * (h / m)
    k = np.arange(n + 1)
    pmf = stats.binom.pmf(k, n, p)
    step = a * k + b * n
    q = np.zeros((m, m))
    for i, s in enumerate(grid):
        nxt = np.maximum(0.0, s + step)
        stay = nxt < h
        idx = np.minimum(np.rint(nxt[stay] / (h / m)).astype(int), m - 1)
        np.add.at(q[i], idx, pmf[stay])
    arl = np.linalg.solve(np.eye(m) - q, np.ones(m))
    return float(arl[0])


@pytest.mark.parametrize("n,p0", [(40, 0.35), (200, 0.35), (40, 0.1)])
def test_siegmund_arl_against_markov_chain(n, p0):
    """Siegmund's approximation within 25% of the exact chain, and on the safe side (it
    under-states the in-control ARL, so the achieved false-alarm rate is at most the
    stated one)."""
    p1 = float(shifted("binomial", np.array(p0), 0.2, up=False))
    a, b = (float(v) for v in llr_weights("binomial", np.array(p0), np.array(p1)))
    mu = n * (a * p0 + b)
    sigma = math.sqrt(n * p0 * (1 - p0)) * abs(a)
    for h in (2.0, 4.0):
        approx = float(siegmund_arl(h, mu, sigma))
        exact = _brook_evans_arl(a, b, n, p0, h)
        assert 0.75 * exact < approx <= 1.02 * exact, (h, approx, exact)


def test_threshold_with_a_known_rate_meets_the_arl():
    """A baseline of 10⁷ trials is a known rate: the threshold's exact ARL (Markov chain)
    is at least 1/rate and not far above it."""
    n, p0, rate = 40, 0.35, 1 / 400
    n0 = 1e7
    a0, b0 = np.array([p0 * n0 + 0.5]), np.array([(1 - p0) * n0 + 0.5])
    p1 = shifted("binomial", np.array([p0]), 0.2, up=False)
    w = llr_weights("binomial", np.array([p0]), p1)
    mu, sigma = posterior_increments("binomial", w, posterior_nodes("binomial", a0, b0),
                                     np.array([float(n)]), np.ones(1))
    h = float(threshold(rate, mu, sigma)[0])
    exact = _brook_evans_arl(float(w[0][0]), float(w[1][0]), n, p0, h)
    assert 1 / rate <= exact <= 1.35 / rate


def test_short_baseline_raises_the_threshold():
    """The posterior-averaged design: less baseline data → a higher threshold."""
    p0, n = 0.35, 40.0
    hs = []
    for n0 in (140.0, 1120.0, 1e6):
        a, b = np.array([p0 * n0 + 0.5]), np.array([(1 - p0) * n0 + 0.5])
        pm = a / (a + b)
        w = llr_weights("binomial", pm, shifted("binomial", pm, 0.2, False))
        nodes = posterior_nodes("binomial", a, b)
        hs.append(float(threshold(1e-3, *posterior_increments("binomial", w, nodes,
                                                               np.array([n]), np.ones(1)))[0]))
    assert hs[0] > hs[1] > hs[2]


# ---------------------------------------------------------------- tails and floors
def test_floor_tail_against_brute_force_sums():
    """Reference: Σ C(n,k) f^k (1−f)^(n−k) with math.comb; Poisson with mpmath."""
    for x, n in [(9, 12), (6, 12), (0, 3), (12, 12)]:
        ref = sum(math.comb(n, k) * 0.85 ** k * 0.15 ** (n - k) for k in range(x + 1))
        assert float(floor_tail("binomial", np.array(x), np.array(n), 0.85, True)) == \
            pytest.approx(ref, rel=1e-10)
        up = sum(math.comb(n, k) * 0.02 ** k * 0.98 ** (n - k) for k in range(x, n + 1))
        assert float(floor_tail("binomial", np.array(x), np.array(n), 0.02, False)) == \
            pytest.approx(up, rel=1e-9)
    mu = 0.01 * 700
    ref = float(mpmath.nsum(lambda k: mpmath.e ** -mu * mu ** k / mpmath.factorial(k), [0, 3]))
    assert float(floor_tail("poisson", np.array(3), np.array(700), 0.01, True)) == \
        pytest.approx(ref, rel=1e-10)
    assert float(floor_tail("binomial", np.array(0), np.array(0), 0.85, True)) == 1.0


def test_twelve_qa_samples():
    """Seed practice: 12 QA samples a month. 9 of 12 against an 85% floor is noise
    (P = 0.264); 7 of 12 is below it at 95% (P = 0.024)."""
    p = floor_tail("binomial", np.array([9, 8, 7]), np.array([12, 12, 12]), 0.85, True)
    assert p[0] > 0.25 and p[1] > 0.05 and p[2] < 0.05


def test_predictive_tail_against_beta_binomial_sum():
    """Reference: the beta-binomial pmf summed with mpmath's beta function."""
    a, b, n = 35.5, 65.5, 40
    for x in (5, 14, 25):
        ref = sum(mpmath.binomial(n, k) * mpmath.beta(k + a, n - k + b) / mpmath.beta(a, b)
                  for k in range(x + 1))
        got = tail("binomial", np.array([x]), np.array([n]), np.array([a]), np.array([b]),
                   lower=True)[0]
        assert got == pytest.approx(float(ref), rel=1e-8)
        up = tail("binomial", np.array([x]), np.array([n]), np.array([a]), np.array([b]),
                  lower=False)[0]
        ref_up = 1 - ref + mpmath.binomial(n, x) * mpmath.beta(x + a, n - x + b) / mpmath.beta(a, b)
        assert up == pytest.approx(float(ref_up), rel=1e-7)


def test_trailing_sums():
    a = np.arange(10.0)[None, :]
    out = trailing_sums(a, 3)
    assert out[0].tolist() == [sum(range(max(0, t - 2), t + 1)) for t in range(10)]


# ---------------------------------------------------------------- ranking
def test_probability_above_next_against_integration():
    """Reference: P(p_A > p_B) for independent Beta posteriors by mpmath quadrature."""
    x = np.array([30.0, 22.0, 5.0])
    n = np.array([60.0, 60.0, 60.0])
    rk = rank_agents("binomial", x, n, higher=True, seed=1, draws=40000)
    top, second = rk.agents[0], rk.agents[1]
    a1, b1, a2, b2 = 30.5, 30.5, 22.5, 38.5
    ref = mpmath.quad(lambda p: mpmath.betainc(a2, b2, 0, p, regularized=True)
                      * p ** (a1 - 1) * (1 - p) ** (b1 - 1) / mpmath.beta(a1, b1), [0, 1])
    assert (top.index, second.index) == (0, 1)
    assert top.above_next == pytest.approx(float(ref), abs=0.01)
    assert second.separable and second.above_next > 0.999


def test_rank_intervals_reflect_counts():
    rng = np.random.default_rng(0)
    n = np.full(20, 10.0)
    x = rng.binomial(10, 0.35, 20).astype(float)
    noisy = rank_agents("binomial", x, n, higher=True, seed=2)
    assert noisy.separable_pairs <= 2
    assert np.mean([a.rank_hi - a.rank_lo for a in noisy.agents]) > 8
    big = np.full(20, 1e6)
    clear = rank_agents("binomial", np.linspace(0.2, 0.5, 20) * big, big, higher=True, seed=2)
    assert clear.separable_pairs == 19
    assert all(a.rank_lo == a.rank_hi == a.rank for a in clear.agents)
    assert clear.bottom_reliability == 1.0 and clear.agents[0].index == 19
    # lower is better: the smallest rate ranks first
    low = rank_agents("binomial", np.linspace(0.2, 0.5, 20) * big, big, higher=False, seed=2)
    assert low.agents[0].index == 0


def test_ranking_skips_rows_without_trials():
    rk = rank_agents("poisson", np.array([3.0, 0.0, 5.0]), np.array([100.0, 0.0, 90.0]),
                     higher=False, seed=0)
    assert rk.unranked == [1] and [a.index for a in rk.agents] == [0, 2]


# ---------------------------------------------------------------- roll-ups, naive rule
def test_week_and_month_groups_follow_the_calendar():
    """Reference: datetime.date.isocalendar (ISO weeks start on Monday)."""
    dates = np.datetime64("2026-02-20") + np.arange(30)
    g = groups(dates, "week")
    for d, j in zip(dates, g.index, strict=True):
        py = date.fromisoformat(str(d))
        start = date.fromisoformat(str(g.starts[j]))
        assert start.isocalendar()[:2] == py.isocalendar()[:2] and start.weekday() == 0
    m = groups(dates, "month")
    assert [str(s) for s in m.starts] == ["2026-02-01", "2026-03-01"]
    x = np.arange(60.0).reshape(2, 30)
    assert sum_by(x, m).sum(axis=1).tolist() == x.sum(axis=1).tolist()   # conservation


def test_naive_rule_by_hand():
    """Rates last week 0.5, 0.4, 0.3, 0.44: median 0.42, 90% = 0.378 → only the third."""
    x = np.array([[5.0], [4.0], [3.0], [4.4]])
    n = np.full((4, 1), 10.0)
    assert naive_flags(x, n, True, 1).tolist() == [False, False, True, False]
    assert naive_flags(x, n, False, 1).tolist() == [True, False, False, False]
