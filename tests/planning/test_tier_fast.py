"""The fast requirements under in-house-first routing give the numbers of the slow path.

References:
- tests/planning/reference_routed.py: the per-pair search and the tier as they stood
  (one ``requirements()`` call per distinct (abandonment, service level) pair of the
  overflow pools; 64 Gauss–Legendre panels on every row; every interval evaluated at
  every bisection step), with the one fix made with the faster core switched on
  (``TAIL_FIX``: P(V > τ) scaled by e(τ));
- the per-interval-target search against one scalar-target search per interval (bit for
  bit: each interval's steps depend on its own data only);
- mpmath (tests/planning/test_tier.py's tier_mpmath) for the fixed tail, where the
  integrand still rises at τ.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from planning.requirements import IntervalTargets, Targets, requirements
from planning.tier import in_house_need, in_house_tier, routed_need
from tests.planning import reference_routed as ref
from tests.planning.test_tier import tier_mpmath

ROOT = Path(__file__).resolve().parents[2]
REL = 1e-9  # the fast path must give the slow path's fractional requirements to this


def close(got: np.ndarray, want: np.ndarray) -> bool:
    return bool(np.all(np.abs(got - want) <= REL * np.maximum(np.abs(want), 1e-12)))


def test_interval_targets_give_each_interval_its_own_search_bit_for_bit() -> None:
    # reference: one scalar-target search per interval (the search per pair of before)
    rng = np.random.default_rng(7)
    k = 60
    rate = rng.uniform(0.0, 6000.0, k)
    rate[:3] = 0.0
    aht = rng.uniform(120.0, 600.0, k)
    sl = np.where(rng.random(k) < 0.3, np.nan, rng.uniform(0.5, 0.95, k).round(3))
    ab = rng.uniform(0.01, 0.2, k).round(4)
    within = rng.choice([5.0, 15.0, 20.0], k)
    for pat, conc in ((180.0, 1), (300.0, 3), (np.inf, 1)):
        tg = IntervalTargets(service_level=sl, within_s=within,
                             max_abandon_rate=None if np.isinf(pat) else ab)
        got = requirements(rate, aht, pat, tg, concurrency=conc, concurrency_slowdown=0.15,
                           with_asa=False)
        for i in range(k):
            one = Targets(service_level=None if np.isnan(sl[i]) else float(sl[i]),
                          within_s=float(within[i]),
                          max_abandon_rate=None if np.isinf(pat) else float(ab[i]))
            if not one.any():
                continue
            r = requirements(rate[i:i + 1], aht[i:i + 1], pat, one, concurrency=conc,
                             concurrency_slowdown=0.15, with_asa=False)
            assert got.fractional[i] == r.fractional[0], (pat, i)
            assert got.agents[i] == r.agents[0] and got.binding[i] == r.binding[0]


def test_tier_with_fewer_panels_matches_the_full_rule() -> None:
    # reference: reference_routed.in_house_tier (64 panels × 8 nodes on every row)
    rng = np.random.default_rng(3)
    k = 1500
    lam = rng.uniform(10.0, 20000.0, k)
    aht = rng.uniform(100.0, 600.0, k)
    n = np.ceil(lam / 3600.0 * aht * rng.uniform(0.3, 2.0, k))
    for pat in (120.0, 300.0, np.inf):
        for tau in (1.0, 15.0, 60.0):
            got = in_house_tier(n, lam, aht, pat, tau, 20.0)
            want = ref.in_house_tier(n, lam, aht, pat, tau, 20.0)
            for f in ("abandoned", "overflow", "answered", "answered_within", "p_wait"):
                a, b = getattr(got, f), getattr(want, f)
                assert np.all(np.abs(a - b) <= 1e-10 * np.abs(b) + 1e-15), (pat, tau, f)


@pytest.mark.parametrize("tau", [0.0, 5.0, 15.0, 60.0])
def test_in_house_need_matches_the_full_bisection(tau: float) -> None:
    # reference: reference_routed.in_house_need (bisection over every interval, full rule)
    rng = np.random.default_rng(int(tau) + 1)
    k = 400
    lam = rng.uniform(0.0, 20000.0, k)
    lam[:5] = 0.0
    aht = rng.uniform(100.0, 600.0, k)
    for pat in (120.0, 300.0):
        for cap in (0.01, 0.04):
            assert close(in_house_need(lam, aht, pat, tau, cap),
                         ref.in_house_need(lam, aht, pat, tau, cap)), (pat, cap)


@pytest.mark.parametrize("conc", [1, 3])
def test_routed_need_matches_the_per_pair_path_on_random_loads(conc: int) -> None:
    # reference: reference_routed.routed_need (one requirements() call per target pair)
    rng = np.random.default_rng(11 + conc)
    k = 300
    rate = rng.uniform(0.0, 12000.0, k)
    aht = rng.uniform(150.0, 500.0, k)
    tg = Targets(service_level=0.8, within_s=20.0 + 10.0 * (conc > 1),
                 max_abandon_rate=0.05)
    got = routed_need(rate, aht, 150.0 * conc, tg, 15.0, 0.8, conc, 0.15)
    want = ref.routed_need(rate, aht, 150.0 * conc, tg, 15.0, 0.8, conc, 0.15)
    assert close(got.in_house, want.in_house)
    assert close(got.overflow_rate, want.overflow_rate)
    assert close(got.overflow, want.overflow)


@pytest.mark.slow
def test_routed_need_matches_the_per_pair_path_on_the_flagship() -> None:
    # reference: reference_routed.routed_need on two of the flagship's demand scenarios
    # (the arrivals each channel's requirement was staffed for, the scenario's targets)
    from scenarios.adapters.to_demand import interval_aht
    from scenarios.adapters.to_mix import demand_cases, requirement_cases
    from scenarios.adapters.to_staffing import scenario_staffing
    from scenarios.reading.load import load_scenario

    sc = load_scenario(ROOT / "scenarios" / "examples" / "double11.yaml")
    cases = requirement_cases(sc, demand_cases(sc)[:2])
    specs, aht = scenario_staffing(sc), interval_aht(sc)
    for c, spec in specs.items():
        rate = np.concatenate([case.staffed[c] for case in cases])
        hold = np.concatenate([np.broadcast_to(aht[c], case.staffed[c].shape)
                               for case in cases])
        args = (rate, hold, spec.patience_s, spec.targets, sc.routing.overflow_after_s,
                sc.routing.in_house_abandon_share, spec.concurrency,
                spec.concurrency_slowdown)
        got, want = routed_need(*args), ref.routed_need(*args)
        assert close(got.in_house, want.in_house), c
        assert close(got.overflow, want.overflow), c


def test_tail_at_tau_where_arrivals_outpace_in_house_service() -> None:
    # reference: tier_mpmath (30-digit quadrature of the same law). Here λe^{−τ/θ} > nμ:
    # the offered-wait density still rises at τ, so P(V > τ) must be scaled by e(τ), not
    # by the largest node value (the earlier core put the overflow 0.17% low here).
    lam, aht = 1.8691067232408294 * 3600.0, 195.6754935089936
    got = in_house_tier(112.0, lam, aht, 120.0, 15.0, 20.0)
    want = tier_mpmath(112, lam, aht, 120.0, 15.0, 20.0)
    for f in ("abandoned", "overflow", "answered_within", "p_wait"):
        assert float(getattr(got, f)) == pytest.approx(float(want[f]), rel=1e-10), f
