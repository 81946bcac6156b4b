"""Erlang B/C/A against independent 30-digit references (tests/planning/reference.py).

The references build the birth–death chain and sum it with mpmath; they share no formula
with planning/erlang.py's incomplete-gamma closed forms. Tolerance: 1e-9 relative.
"""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest

from planning import erlang as E
from tests.planning import reference as R

REL = 1e-9


def close(value: float, exact: mp.mpf, rel: float = REL, abs_: float = 0.0) -> bool:
    exact_f = float(exact)
    if exact_f == 0.0:
        return abs(value) <= max(abs_, 1e-300)
    return abs(value - exact_f) <= max(rel * abs(exact_f), abs_)


@pytest.mark.parametrize("n,a", [(1, 0.5), (1, 30.0), (14, 10.0), (100, 95.0), (2000, 1990.0),
                                 (2500, 2400.0), (10, 9000.0), (3000, 40.0), (6000, 6000.0)])
def test_erlang_b_matches_exact_sum(n: int, a: float) -> None:
    """Reference: B = (a^n/n!)/Σ a^k/k! summed exactly at 30 digits."""
    assert close(float(E.erlang_b(n, a)), R.erlang_b(n, a))


def test_erlang_b_extremes_are_finite_and_in_range() -> None:
    """Closed-form limits: B → 1 − n/a for a ≫ n; B ≈ 0 (but finite, ≥ 0) for n ≫ a."""
    b = E.erlang_b(np.array([10.0, 100_000.0, 100_000.0, 1.0]),
                   np.array([99_000.0, 1_000.0, 99_000.0, 1e-12]))
    assert np.all(np.isfinite(b)) and np.all((b >= 0) & (b <= 1))
    assert abs(b[0] - (1 - 10 / 99_000)) < 1e-6
    assert b[1] == 0.0 or b[1] < 1e-300
    assert abs(b[3] - 1e-12) < 1e-20


@pytest.mark.parametrize("n,rate,aht,t", [
    (1, 7.5, 240, 20),            # one agent, ρ = 0.5
    (14, 150.0, 240, 20),         # a = 10
    (110, 1500.0, 240, 20),       # a = 100
    (2030, 30_000.0, 240, 20),    # a = 2000, n > 2000
    (10, 149.99, 240, 30),        # ρ → 1 (a = 9.9993)
])
def test_erlang_c_matches_exact(n: int, rate: float, aht: float, t: float) -> None:
    """Reference: Erlang C from the exact Erlang B sum (C = nB / (n − a(1 − B)))."""
    m = E.erlang_c(n, rate, aht, t)
    ref = R.erlang_c(n, rate, aht, t)
    assert close(float(m.p_wait), ref["p_wait"])
    assert close(float(m.service_level), ref["service_level"])
    assert close(float(m.asa_s), ref["asa_s"])
    assert close(float(m.occupancy), ref["occupancy"])
    assert float(m.p_abandon) == 0.0


def test_erlang_c_unstable_gives_no_nan() -> None:
    m = E.erlang_c(np.array([10.0, 10.0]), np.array([150.0, 300.0]), 240.0, 20.0)
    assert m.p_wait[0] == 1.0 and m.service_level[0] == 0.0 and math.isinf(m.asa_s[0])
    assert not np.isnan(m.asa_s).any()


ERLANG_A_CASES = [
    # n, rate/h, aht, patience, within
    (1, 7.5, 240, 100, 10),         # one agent
    (14, 150.0, 240, 120, 20),      # a = 10, a small centre (n = 14)
    (100, 1425.0, 240, 180, 20),    # a = 95
    (50, 900.0, 240, 120, 20),      # ρ = 1.2 > 1: stable only through abandonment
    (30, 1500.0, 240, 30, 20),      # ρ = 3.3, short patience
    (20, 225.0, 240, 1e4, 20),      # long patience: close to Erlang C
    (100, 1.5, 240, 1.0, 20),       # tiny load, tiny patience
    (400, 15.0, 240, 1000, 20),     # n ≫ a: P(wait) astronomically small
]


@pytest.mark.parametrize("n,rate,aht,pat,t", ERLANG_A_CASES)
def test_erlang_a_matches_birth_death_chain(n: int, rate: float, aht: float, pat: float,
                                            t: float) -> None:
    """Reference: the M/M/n+M chain summed at 30 digits, metrics per queue position."""
    m = E.erlang_a(n, rate, aht, pat, t)
    ref = R.erlang_a(n, rate, aht, pat, t)
    assert close(float(m.p_wait), ref["p_wait"])
    assert close(float(m.p_abandon), ref["p_abandon"])
    assert close(float(m.service_level), ref["service_level"])
    assert close(float(m.asa_s), ref["asa_s"])
    assert close(float(m.occupancy), ref["occupancy"])


@pytest.mark.slow
def test_erlang_a_large_case_matches_reference() -> None:
    """n = 2,100 agents, a = 2,000 erlangs, patience 180 s (a large centre)."""
    m = E.erlang_a(2100, 30_000.0, 240, 180, 20)
    ref = R.erlang_a(2100, 30_000.0, 240, 180, 20)
    for key in ("p_wait", "p_abandon", "service_level", "asa_s", "occupancy"):
        assert close(float(getattr(m, key)), ref[key]), key


def test_erlang_a_zero_patience_is_erlang_b() -> None:
    """Closed-form limit: with zero patience whoever finds all agents busy leaves (loss)."""
    m = E.erlang_a(14, 150.0, 240, 0.0, 20)
    b = R.erlang_b(14, 10.0)
    assert close(float(m.p_abandon), b) and close(float(m.p_wait), b)
    assert close(float(m.service_level), 1 - b) and float(m.asa_s) == 0.0


def test_erlang_a_tends_to_erlang_c_as_patience_grows() -> None:
    """Limit: θ → 0 gives M/M/n; the gap shrinks like 1/patience."""
    c = R.erlang_c(110, 1500.0, 240, 20)
    gaps = []
    for pat in (1e4, 1e6, 1e8):
        m = E.erlang_a(110, 1500.0, 240, pat, 20)
        gaps.append(abs(float(m.service_level) - float(c["service_level"])))
        assert close(float(m.asa_s), c["asa_s"], rel=5e3 * 240 / pat)
    assert gaps[0] > gaps[1] > gaps[2] and gaps[2] < 1e-6
    inf = E.erlang_a(110, 1500.0, 240, math.inf, 20)
    assert close(float(inf.service_level), c["service_level"])


def test_literature_a15_requirement_is_below_erlang_c() -> None:
    """Whitt 2005 (pair an SL target with an abandonment cap): a = 2,000, patience 180 s,
    80/20 counting abandons as failures needs fewer agents than Erlang C and yields an
    abandonment of several percent there."""
    from planning.requirements import Targets, requirements

    a_req = requirements(np.array([30_000.0]), 240, 180, Targets(0.8, 20))
    c_req = requirements(np.array([30_000.0]), 240, math.inf, Targets(0.8, 20))
    assert a_req.agents[0] < 2000 < c_req.agents[0]
    assert 0.05 < a_req.metrics.p_abandon[0] < 0.10


GRID_N = np.unique(np.concatenate([np.arange(1, 200.0), np.geomspace(200, 100_000, 300)
                                   .round()]))


@pytest.mark.parametrize("load", [0.05, 10.0, 500.0, 5_000.0, 99_000.0])
@pytest.mark.parametrize("patience", [0.0, 1.0, 120.0, 1e6, math.inf])
def test_stable_and_monotone_everywhere(load: float, patience: float) -> None:
    """n from 1 to 100,000, loads to 99,000 erlangs: finite, in range, monotone in n."""
    rate = load * 3600 / 240
    m = E.erlang_a(GRID_N, rate, 240, patience, 20, with_asa=patience < 1e6 or load < 1e4)
    for key in ("p_wait", "p_abandon", "service_level", "occupancy"):
        v = getattr(m, key)
        assert not np.isnan(v).any(), key
        assert np.all((v >= 0) & (v <= 1 + 1e-12)), key
    assert np.all(np.diff(m.service_level) >= -1e-12)
    assert np.all(np.diff(m.p_abandon) <= 1e-12)
    assert np.all(np.diff(m.p_wait) <= 1e-12)
    asa = m.asa_s[np.isfinite(m.asa_s)]
    if asa.size:
        assert np.all(np.diff(asa) <= 1e-9 * np.maximum(asa[:-1], 1e-300) + 1e-300)


def test_served_within_reuses_p_x_y_bit_for_bit():
    """The service level's P(x, y) taken from ln A's evaluation (and evaluated only where
    it is read) gives the same numbers bit for bit as evaluating it again everywhere —
    reference: the same function's old path (``p_xy`` None, which evaluates P(x, y) on
    every cell as before), over loads from near-idle to overloaded, short and long
    windows, patience short and long."""
    from scipy import special

    from planning.erlang import _log_scaled_gamma, _served_within_given_wait, log_scaled_gamma

    rng = np.random.default_rng(7)
    k = 20_000
    n = rng.integers(1, 400, k).astype(float)
    a = n * rng.uniform(0.05, 1.6, k)  # offered load: from idle to 60% over
    aht = rng.uniform(60, 900, k)
    pat = rng.uniform(5, 1200, k)
    t = rng.choice([0.0, 5.0, 20.0, 60.0, 600.0], k)
    theta = 1.0 / pat
    x, y = n / aht / theta, a / aht / theta
    log_a, p_xy = _log_scaled_gamma(x, y)
    np.testing.assert_array_equal(log_a, log_scaled_gamma(x, y))
    old = _served_within_given_wait(x, y, theta * t, log_a)
    new = _served_within_given_wait(x, y, theta * t, log_a, p_xy)
    np.testing.assert_array_equal(new, old)
    known = ~np.isnan(p_xy)
    assert known.mean() > 0.3  # the reuse is exercised
    np.testing.assert_array_equal(p_xy[known], special.gammainc(x[known], y[known]))
