"""Effective load (redials + repeat contacts) and the modified offered load.

References: closed-form landing shares of an exponential delay from a uniform source; the
geometric series of a steady return orbit (λ = λ₀ / (1 − r) with r the return share);
the fixed-point equation itself re-evaluated at the returned load; scipy's ODE solver for
the infinite-server load m′ = λ(t) − m/τ; exact equality with the first-attempt method
when nothing comes back.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp, trapezoid

from planning.channel import ChannelStaffing, channel_load, channel_requirements
from planning.erlang import erlang_a
from planning.offered_load import offered_load
from planning.requirements import Targets, servers_and_abandonment
from planning.returns import Delay, Returns, effective_load, landing_shares

L = 1800.0
SL = Targets(service_level=0.8, within_s=20)


def test_landing_shares_exponential_closed_form():
    """P(U + D < x), U ~ U[0, L), D ~ Exp(m): x/L − (m/L)(1 − e^{−x/m}) for x ≤ L and
    1 − (m/L)(e^{−(x−L)/m} − e^{−x/m}) beyond."""
    m = 600.0

    def cdf(x: float) -> float:
        if x <= L:
            return x / L - m / L * (1 - math.exp(-x / m))
        return 1 - m / L * (math.exp(-(x - L) / m) - math.exp(-x / m))

    got = landing_shares(Delay("exponential", m), L, 0.0, 50)
    want = np.diff([0.0] + [cdf((k + 1) * L) for k in range(len(got))])
    assert np.allclose(got, want, atol=1e-6)  # midpoint rule over the source
    assert got.sum() == pytest.approx(1.0, abs=1e-8)


def test_landing_shares_fixed_delay_is_exact():
    """A fixed delay of 1.5 intervals from a uniform source lands half in k = 1, half in 2."""
    got = landing_shares(Delay("deterministic", 1.5 * L, 0.0), L, 0.0, 10)
    assert np.allclose(got, [0.0, 0.5, 0.5])


def test_steady_orbit_matches_geometric_series():
    """Constant abandonment p: a long steady day settles at λ₀ / (1 − p_r·p − q(1−f)(1−p))."""
    ret = Returns(0.4, Delay("exponential", 600.0), 0.8, Delay("exponential", 1800.0), 0.85)
    p = 0.06
    first = np.full(400, 500.0)
    ld = effective_load(first, ret, L, lambda lam: np.full(lam.shape, p), aht_s=300.0,
                        tol=1e-9)
    r = 0.4 * p + 0.8 * 0.15 * (1 - p)
    assert ld.converged and ld.iterations < 20
    assert ld.total[200] == pytest.approx(500.0 / (1 - r), rel=1e-6)
    assert ld.redials[200] == pytest.approx(0.4 * p * 500.0 / (1 - r), rel=1e-6)


def _voice(**kw) -> ChannelStaffing:
    ret = Returns(0.4, Delay("exponential", 600.0), 0.8, Delay("exponential", 3600.0), 0.85)
    return ChannelStaffing("voice", 270.0, 120.0, kw.pop("targets", SL), returns=ret, **kw)


@pytest.mark.parametrize("method", ["sipp", "mol"])
def test_returned_load_is_a_fixed_point(method):
    """Re-evaluating the right-hand side at the returned load reproduces it (to the
    stopping tolerance) on a promotion day with a 5× surge."""
    rng = np.random.default_rng(3)
    first = np.concatenate([np.full(20, 300.0), np.full(6, 1500.0), np.full(22, 400.0)])
    first = first * rng.uniform(0.9, 1.1, first.size)
    spec = _voice()
    ld = channel_load(first, spec, np.full(first.size, 270.0), L, method)
    assert ld.converged and ld.iterations <= 15
    lam = ld.total
    from planning.channel import staffing_rates

    staff = staffing_rates(lam, np.full(lam.size, 270.0), L, method)
    _, p_ab = servers_and_abandonment(staff, np.full(lam.size, 270.0),
                                      np.full(lam.size, 120.0), SL)
    # the right-hand side written out: returns of interval j spread over j, j+1, …
    k_red = landing_shares(Delay("exponential", 600.0), L, 20.0, lam.size)
    k_rep = landing_shares(Delay("exponential", 3600.0), L, 290.0, lam.size)
    rhs = first.copy()
    for j in range(lam.size):
        red = 0.4 * p_ab[j] * lam[j] * k_red[: lam.size - j]
        rep = 0.8 * 0.15 * (1 - p_ab[j]) * lam[j] * k_rep[: lam.size - j]
        rhs[j:j + red.size] += red
        rhs[j:j + rep.size] += rep
    assert np.allclose(rhs, lam, rtol=2e-4)  # the stopping tolerance, 1e-4 per step
    assert (ld.redials + ld.repeats).sum() > 0.05 * first.sum()


def test_no_returns_equals_first_attempt_method_exactly():
    """Retrial and repeat probabilities 0 give today's requirement, bit for bit."""
    rng = np.random.default_rng(7)
    rates = rng.uniform(0, 2000, 96)
    zero = Returns(0.0, Delay(), 0.0, Delay(), 0.85)
    plain = ChannelStaffing("voice", 270.0, 120.0, SL)
    with_zero = ChannelStaffing("voice", 270.0, 120.0, SL, returns=zero)
    a = channel_requirements({"voice": rates}, {"voice": plain}, 0.3)["voice"]
    b = channel_requirements({"voice": rates}, {"voice": with_zero}, 0.3,
                             interval_s=L)["voice"]
    for f in ("agents", "fractional", "scheduled", "scheduled_fractional", "binding"):
        assert np.array_equal(getattr(a, f), getattr(b, f)), f
    assert np.array_equal(a.metrics.service_level, b.metrics.service_level)
    assert not b.load.redials.any() and not b.load.repeats.any()


def test_abandonment_of_the_fixed_point_is_erlang_a_below_load():
    """Where abandonment allows, the requirement is below the load (a = 100 erlangs, 50/20,
    patience 60 s) and the abandonment fed to the redials lies between Erlang A's at
    n − 1 and n (the interpolation), not an unstable Erlang C."""
    t = Targets(service_level=0.5, within_s=20)
    lam = np.array([100 * 3600 / 300.0])
    n, p = servers_and_abandonment(lam, np.array([300.0]), np.array([60.0]), t)
    assert n[0] < 100
    hi = float(erlang_a(n[0] - 1, lam[0], 300.0, 60.0, 20.0).p_abandon)
    lo = float(erlang_a(n[0], lam[0], 300.0, 60.0, 20.0).p_abandon)
    assert lo <= p[0] <= hi and 0.0 < p[0] < 1.0


def test_offered_load_matches_ode():
    """Interval means and starts of m(t) against scipy's ODE solver (piecewise λ)."""
    rates = np.array([100.0, 100, 600, 600, 150, 80, 80])
    tau = 420.0
    mean, start = offered_load(rates, tau, L)

    def f(t, m):
        i = min(int(t // L), rates.size - 1)
        return [rates[i] / 3600.0 - m[0] / tau]

    m0 = rates[0] / 3600 * tau
    for i in range(rates.size):
        sol = solve_ivp(f, (0, (i + 1) * L), [m0], dense_output=True, rtol=1e-10,
                        atol=1e-12, max_step=10.0)
        grid = np.linspace(i * L, (i + 1) * L, 2001)
        vals = sol.sol(grid)[0]
        assert start[i] == pytest.approx(vals[0], rel=1e-6)
        assert mean[i] == pytest.approx(trapezoid(vals, grid) / L, rel=1e-5)
