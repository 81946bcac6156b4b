"""Channel requirements of many demand scenarios computed together, and Erlang A's
short-window integral compiled.

References: the frozen one-scenario-at-a-time path (tests/planning/reference_channel.py,
the code as it stood before: its effective-load fixed point, its channel requirements,
its numpy quadrature) — the same numbers bit for bit; the integral itself against mpmath's
adaptive quadrature of ∫_0^{θt} exp(−(x+1)s + y(1 − e^{−s})) ds.
"""

from __future__ import annotations

import math
from pathlib import Path

import mpmath as mp
import numpy as np
import pytest

from planning import erlang, returns
from planning.channel import ChannelStaffing, channel_requirements_cases
from planning.requirements import Targets
from planning.returns import Delay, Returns, effective_loads
from tests.bitwise import same
from tests.planning import reference_channel as ref

L = 1800.0
N = 96
SL_AB = Targets(service_level=0.8, within_s=20, max_abandon_rate=0.05, max_occupancy=0.9)
VOICE = ChannelStaffing("voice", 270.0, 120.0, SL_AB, returns=Returns(
    0.4, Delay("exponential", 600.0), 0.8, Delay("exponential", 3600.0), 0.85))
CHAT = ChannelStaffing("chat", 420.0, 300.0, Targets(service_level=0.8, within_s=30,
                                                     max_abandon_rate=0.05),
                       concurrency=3, concurrency_slowdown=0.15, returns=Returns(
                           0.3, Delay("lognormal", 600.0, 0.5), 0.6,
                           Delay("gamma", 1800.0, 0.7), 0.8))
EMAIL = ChannelStaffing("email", 300.0, math.inf, Targets(service_level=0.8, within_s=60))
PLAIN = ChannelStaffing("plain", 200.0, 90.0, Targets(max_asa_s=15.0))


def _cases(k: int, seed: int) -> list[dict[str, np.ndarray]]:
    """``k`` demand scenarios of a day-shaped load, scaled differently, one with no load."""
    rng = np.random.default_rng(seed)
    shape = 0.2 + np.sin(np.linspace(0.0, np.pi, N)) ** 2
    out = []
    for i in range(k):
        scale = 0.0 if i == 1 else rng.uniform(200.0, 2500.0)
        out.append({c: shape * scale * rng.uniform(0.7, 1.3, N)
                    for c in ("voice", "chat", "email", "plain")})
    return out


@pytest.mark.parametrize("method", ["sipp", "mol"])
def test_cases_together_equal_case_by_case(method: str) -> None:
    """Every channel kind (Erlang A with redials and repeats, chat on virtual servers with
    lognormal and gamma delays, Erlang C, an ASA target), per-case handle times and a case
    with no load: each case's requirement, load and fixed-point steps as the frozen
    case-by-case path gives them."""
    specs = {s.name: s for s in (VOICE, CHAT, EMAIL, PLAIN)}
    cases = _cases(5, 7)
    rng = np.random.default_rng(3)
    aht = [{"voice": 270.0 * rng.uniform(0.9, 1.2, N), "chat": np.full(N, 420.0)}
           for _ in cases]
    got = channel_requirements_cases(cases, specs, 0.3, aht, interval_s=L, method=method)
    for rates, a, g in zip(cases, aht, got, strict=True):
        want = ref.channel_requirements(rates, specs, 0.3, a, interval_s=L, method=method)
        same(g, want)
    assert any(g["voice"].load.iterations > 2 for g in got)  # the fixed point did work


def test_fixed_point_cut_short_equals_case_by_case() -> None:
    """Cases stopped by ``max_iter`` before converging (and at different steps): the same
    loads, step counts and last changes as one at a time."""
    rng = np.random.default_rng(11)
    firsts = [rng.uniform(100.0, 3000.0, N) for _ in range(4)]
    ret = VOICE.returns
    assert ret is not None

    def abandon(lam: np.ndarray) -> np.ndarray:  # depends on each interval alone
        return 0.3 * lam / (lam + 500.0)

    for max_iter in (0, 1, 3, 60):
        got = effective_loads(firsts, ret, L, abandon, [270.0] * 4, 20.0, max_iter=max_iter)
        for f, g in zip(firsts, got, strict=True):
            same(g, ref.effective_load(f, ret, L, abandon, 270.0, 20.0, max_iter=max_iter))


def test_landing_shares_kept_are_the_computed_ones() -> None:
    """The kept shares are those computed afresh (and read-only)."""
    d = Delay("lognormal", 900.0, 0.6)
    returns._landing_shares.cache_clear()
    first = returns.landing_shares(d, L, 290.0, 200)
    again = returns.landing_shares(d, L, 290.0, 200)
    assert again is first and not first.flags.writeable
    assert np.array_equal(first, ref.landing_shares(d, L, 290.0, 200))


def test_flagship_cases_together_equal_case_by_case() -> None:
    """Three of the flagship's demand scenarios (the mix stage's requirement cases)."""
    from scenarios.adapters.to_demand import interval_aht
    from scenarios.adapters.to_mix import demand_cases
    from scenarios.adapters.to_staffing import requirement_options, scenario_staffing
    from scenarios.reading.load import load_scenario

    root = Path(__file__).resolve().parents[2]
    sc = load_scenario(root / "scenarios" / "examples" / "double11.yaml")
    specs = scenario_staffing(sc)
    aht = {c: interval_aht(sc)[c] for c in specs}
    cases = [{c: r[c] for c in specs} for _, _, r in demand_cases(sc)[::8]]
    got = channel_requirements_cases(cases, specs, sc.staffing.shrinkage,
                                     [aht] * len(cases), **requirement_options(sc))
    for rates, g in zip(cases, got, strict=True):
        same(g, ref.channel_requirements(rates, specs, sc.staffing.shrinkage, aht,
                                          **requirement_options(sc)))


def _rows(size: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = np.exp(rng.uniform(-3.0, 9.0, size))
    y = x * rng.uniform(0.3, 2.0, size)
    t = rng.choice([20.0 / 120.0, 30.0 / 300.0, 0.02, 1.5], size)
    keep = t * (np.abs(x + 1.0 - y) + np.sqrt(y) + 1.0) < 20.0  # rows the rule answers
    return x[keep], y[keep], t[keep]


def _numpy_exp_is_libm() -> bool:
    """numpy's float64 exp is the C library's (no AVX-512 variant) on this machine."""
    v = np.random.default_rng(0).uniform(-700.0, 0.0, 100_000)
    return all(math.exp(a) == b for a, b in zip(v.tolist(), np.exp(v).tolist(),
                                                   strict=True))


def test_compiled_integral_equals_numpy(monkeypatch: pytest.MonkeyPatch) -> None:
    """The compiled loop against numpy's expression (the frozen array version): bit for
    bit where numpy's exp is the C library's, else within a few units in the last place."""
    pytest.importorskip("numba")
    x, y, t = _rows(50_000, 5)
    monkeypatch.setattr(erlang, "COMPILED", True)
    fast = erlang._short_window_integral(x, y, t)
    monkeypatch.setattr(erlang, "COMPILED", False)
    slow = erlang._short_window_integral(x, y, t)
    xq, yq, tq = x[:, None], y[:, None], t[:, None]
    s = 0.5 * tq * (ref._GL_NODES[None, :] + 1.0)
    f = np.exp(-(xq + 1.0) * s - yq * np.expm1(-s))
    frozen = 0.5 * tq[:, 0] * (f * ref._GL_WEIGHTS[None, :]).sum(axis=1)
    assert np.array_equal(slow, frozen)
    if _numpy_exp_is_libm():
        assert np.array_equal(fast, frozen)
    else:
        assert np.allclose(fast, frozen, rtol=1e-14, atol=0.0)


@pytest.mark.parametrize("compiled", [True, False])
def test_integral_against_mpmath(compiled: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both paths against mpmath's quadrature (50 digits), where the rule is used
    (θt·(|x + 1 − y| + √y + 1) < 20)."""
    if compiled:
        pytest.importorskip("numba")
    monkeypatch.setattr(erlang, "COMPILED", compiled)
    mp.mp.dps = 50
    rows = [(5.0, 4.0, 1 / 6), (80.0, 85.0, 0.1), (300.0, 280.0, 1 / 6), (0.5, 0.2, 1.5),
            (1500.0, 1490.0, 0.005)]
    x, y, t = (np.array(v) for v in zip(*rows, strict=True))
    got = erlang._short_window_integral(x, y, t)
    for (xi, yi, ti), g in zip(rows, got, strict=True):
        want = mp.quad(lambda s, xi=xi, yi=yi: mp.exp(-(xi + 1) * s - yi * mp.expm1(-s)),
                       [0, ti])
        assert abs(g - float(want)) <= 1e-13 * float(want)


def test_erlang_a_compiled_equals_numpy(monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole Erlang A with the compiled integral against the frozen numpy quadrature
    (the same service level; the other metrics do not read it)."""
    pytest.importorskip("numba")
    if not _numpy_exp_is_libm():
        pytest.skip("numpy's exp is not the C library's here: last-bit differences")
    rng = np.random.default_rng(9)
    lam = rng.uniform(10.0, 8000.0, 4000)
    n = np.ceil(lam * 270.0 / 3600.0 * rng.uniform(0.8, 1.3, lam.size))
    monkeypatch.setattr(erlang, "COMPILED", True)
    got = erlang.erlang_a(n, lam, 270.0, 120.0, 20.0)
    monkeypatch.setattr(erlang, "_served_within_given_wait", ref._served_within_given_wait)
    want = erlang.erlang_a(n, lam, 270.0, 120.0, 20.0)
    same(got, want)


@pytest.mark.parametrize("patience", [120.0, math.inf])
def test_search_from_a_hint_equals_the_search(patience: float) -> None:
    """Started from hints off by up to ±3 agents, or far off, or none (0): the same
    servers as the search from scratch (reference: planning.requirements._search), and
    required_servers' whole answer the same bit for bit."""
    from planning import requirements as rq

    rng = np.random.default_rng(21)
    lam = rng.uniform(0.0, 9000.0, 3000)
    lam[::50] = 0.0
    aht = np.full(lam.size, 270.0)
    pat = np.full(lam.size, patience)
    tg = rq._per_interval(SL_AB, lam.size)
    want = rq._search(lam, aht, pat, tg)
    hint = want + rng.integers(-3, 4, lam.size)
    hint[::7] = 0.0
    hint[::11] *= 3.0
    assert np.array_equal(rq._settle(np.maximum(hint, 0.0), lam, aht, pat, tg), want)
    same(rq.required_servers(lam, aht, pat, SL_AB, hint=np.maximum(hint, 0.0)),
          rq.required_servers(lam, aht, pat, SL_AB))
