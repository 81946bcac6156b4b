"""The exogenous draws remembered per process (sim.kernel.exogenous_draws).

Reference: the draws made afresh (sim.kernel._draw_exogenous, the code the desks ran
before the cache) on the same inputs and fresh streams. A remembered draw must return
exactly those arrays and leave the four streams in the state drawing would; any input the
draws read (seed, replication, rates, trace, handle-time factors, patience and handle-time
distributions, interval length) changed must not return another input's draws; and a
whole replication through the cache equals one with the cache emptied before it, bit for
bit, on both desks.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import sim.kernel as kernel
from sim.model import Duration
from sim.runner import simulate
from sim.streams import Streams
from tests.sim.test_compiled import flagship_like
from tests.sim.test_kpi_fast import _same


@pytest.fixture(autouse=True)
def _empty():
    kernel.forget_exogenous()
    yield
    kernel.forget_exogenous()


def _inputs(model, demand):
    rates = [np.asarray(demand.rates[c.name], float) * demand.multiplier
             for c in model.channels]
    htf = None if demand.handle_time_factor is None else [
        np.asarray(demand.handle_time_factor.get(c.name, np.ones(model.n_intervals)),
                   float).tolist() for c in model.channels]
    return rates, htf


def _fresh(model, rates, seed, rep, trace=None, htf=None, compiled=False):
    """The reference: drawn anew, and the streams' states after."""
    st = Streams(seed, rep)
    out = kernel._draw_exogenous(model, rates, st, trace, htf, compiled)
    return out, [st[n].bit_generator.state for n in kernel.EXOGENOUS_STREAMS]


def _cached(model, rates, seed, rep, trace=None, htf=None):
    st = Streams(seed, rep)
    out = kernel.exogenous_draws(model, rates, st, trace, htf)
    return out, [st[n].bit_generator.state for n in kernel.EXOGENOUS_STREAMS]


def _equal(a, b) -> bool:
    (xa, sa), (xb, sb) = a, b
    return all(np.array_equal(x, y) and x.dtype == y.dtype for x, y in zip(xa, xb,
                                                                          strict=True)) \
        and sa == sb


def test_a_remembered_draw_is_the_fresh_one_with_the_streams_after_it() -> None:
    model, demand = flagship_like()
    rates, htf = _inputs(model, demand)
    first = _cached(model, rates, 7, 3, htf=htf)
    assert len(kernel._EXOGENOUS) == 1
    again = _cached(model, rates, 7, 3, htf=htf)
    assert again[0][0] is first[0][0]  # handed back, not drawn
    ref = _fresh(model, rates, 7, 3, htf=htf)
    assert _equal(first, ref) and _equal(again, ref)


def test_every_input_of_the_draws_is_in_the_key() -> None:
    model, demand = flagship_like()
    rates, htf = _inputs(model, demand)
    voice = model.channels[0]
    trace = [np.sort(np.random.default_rng(1).uniform(0, 8 * 1800.0, 50)),
             np.sort(np.random.default_rng(2).uniform(0, 8 * 1800.0, 40))]
    variants = {
        "seed": (model, rates, 8, 3, None, htf),
        "replication": (model, rates, 7, 4, None, htf),
        "rates": (model, [rates[0] * 1.01, rates[1]], 7, 3, None, htf),
        "no handle factor": (model, rates, 7, 3, None, None),
        "handle factor": (model, rates, 7, 3, None, [list(np.array(htf[0]) * 1.1),
                                                     htf[1]]),
        "patience": (dataclasses.replace(model, channels=(dataclasses.replace(
            voice, patience=Duration("exponential", 91.0)), model.channels[1])),
            rates, 7, 3, None, htf),
        "handle": (dataclasses.replace(model, channels=(dataclasses.replace(
            voice, handle=Duration("lognormal", 240.0, 0.8)), model.channels[1])),
            rates, 7, 3, None, htf),
        "interval": (dataclasses.replace(model, interval_s=1200.0), rates, 7, 3, None,
                     htf),
        "trace": (model, rates, 7, 3, trace, htf),
        "another trace": (model, rates, 7, 3, [trace[0][:-1], trace[1]], htf),
    }
    _cached(model, rates, 7, 3, htf=htf)
    for name, args in variants.items():  # each after all the others are remembered
        for _ in range(2):
            assert _equal(_cached(*args[:4], trace=args[4], htf=args[5]),
                          _fresh(*args[:4], trace=args[4], htf=args[5])), name
    assert len(kernel._EXOGENOUS) == 1 + len(variants)


def test_streams_already_used_are_not_served_from_memory() -> None:
    model, demand = flagship_like()
    rates, htf = _inputs(model, demand)
    _cached(model, rates, 7, 3, htf=htf)
    st = Streams(7, 3)
    st["arrivals"].random(5)  # e.g. a bot stage drawing first (sim.bot)
    out = kernel.exogenous_draws(model, rates, st, None, htf)
    ref_st = Streams(7, 3)
    ref_st["arrivals"].random(5)
    ref = kernel._draw_exogenous(model, rates, ref_st, None, htf)
    assert all(np.array_equal(x, y) for x, y in zip(out, ref, strict=True))
    assert not np.array_equal(out[0], _fresh(model, rates, 7, 3, htf=htf)[0][0])


def test_the_memory_keeps_the_latest_within_its_bytes(monkeypatch) -> None:
    model, demand = flagship_like()
    rates, htf = _inputs(model, demand)
    one = sum(a.nbytes for a in _cached(model, rates, 7, 0, htf=htf)[0])
    kernel.forget_exogenous()
    monkeypatch.setattr(kernel, "EXOGENOUS_CACHE_BYTES", 6 * one)
    for r in range(12):
        _cached(model, rates, 7, r, htf=htf)
        kept = [k[1] for k in kernel._EXOGENOUS]
        assert kept == list(range(r + 1 - len(kept), r + 1)), kept  # the latest
        assert kernel._exogenous_bytes == sum(sum(a.nbytes for a in v[0])
                                              for v in kernel._EXOGENOUS.values())
        assert kernel._exogenous_bytes <= 6 * one
    assert 4 <= len(kept) < 12
    monkeypatch.setattr(kernel, "EXOGENOUS_CACHE_BYTES", one)  # too big to keep at all
    kernel.forget_exogenous()
    _cached(model, rates, 7, 9, htf=htf)
    assert not kernel._EXOGENOUS


@pytest.mark.parametrize("desk", ["python", "compiled"])
def test_replications_through_the_memory_equal_fresh_ones(desk: str) -> None:
    """Policies-stage pattern: the same customers under three staffings, each twice
    through the remembered draws, against a run with the memory emptied first."""
    if desk == "compiled":
        pytest.importorskip("numba")
    model, demand = flagship_like()
    staffings = [model, dataclasses.replace(model, pools=(model.pools[0], dataclasses.replace(
        model.pools[1], staffing=model.pools[1].staffing + 2), model.pools[2]))]
    for m in staffings:
        for rep in (0, 1):
            kernel.forget_exogenous()
            ref = simulate(m, demand, 5, rep, kernel=desk)
            for _ in range(2):
                got = simulate(m, demand, 5, rep, kernel=desk)
                _same(ref, got)
                for f in dataclasses.fields(ref.contacts):
                    assert np.array_equal(getattr(ref.contacts, f.name),
                                          getattr(got.contacts, f.name), equal_nan=True)
    # the remembered arrays were only read by the desks: still the fresh draws
    rates, htf = _inputs(model, demand)
    for rep in (0, 1):
        assert _equal(_cached(model, rates, 5, rep, htf=htf),
                      _fresh(model, rates, 5, rep, htf=htf))


def test_a_multiplier_changes_the_rates_in_the_key() -> None:
    model, demand = flagship_like()
    a = simulate(model, demand, 5, 0, kernel="python")
    b = simulate(model, dataclasses.replace(demand, multiplier=1.2), 5, 0, kernel="python")
    kernel.forget_exogenous()
    ref = simulate(model, dataclasses.replace(demand, multiplier=1.2), 5, 0, kernel="python")
    _same(ref, b)
    assert a.team["contacts_simulated"] != b.team["contacts_simulated"]



# ---- the draws' compiled finishing passes (sim.compiled_kpi.merge_sorted, scale_handle) ------
def test_the_compiled_merge_is_the_stable_sort() -> None:
    """Reference: numpy's stable argsort of the channels' concatenated sorted times, as
    sim.arrivals did; ties across channels (equal times) included."""
    pytest.importorskip("numba")
    from sim.compiled_kpi import merge_sorted

    rng = np.random.default_rng(3)
    for k in (2, 3, 4):
        times = [np.sort(np.round(rng.uniform(0, 50, rng.integers(0, 60)))) for _ in range(k)]
        times[0] = np.sort(np.concatenate([times[0], times[-1][:5]]))  # shared values
        allt = np.concatenate(times)
        chan = np.concatenate([np.full(len(t), j, np.int64) for j, t in enumerate(times)])
        order = np.argsort(allt, kind="stable")
        t, c = merge_sorted(allt, np.cumsum([0] + [len(x) for x in times]))
        assert np.array_equal(t, allt[order]) and np.array_equal(c, chan[order])
        assert c.dtype == np.int64


def test_the_compiled_handle_factor_is_numpys_floor_division() -> None:
    """Reference: the numpy expression the kernel used (floor division by the interval,
    the last factor past the end), on random times and on exact multiples of the interval
    and their neighbours, where a division could round across the boundary."""
    pytest.importorskip("numba")
    from sim.compiled_kpi import scale_handle

    rng = np.random.default_rng(5)
    for L in (1800.0, 900.0, 0.1, 333.3):
        n_int = 40
        edges = np.arange(1, n_int + 3) * L
        t = np.concatenate([rng.uniform(0, (n_int + 2) * L, 2000), edges,
                            np.nextafter(edges, 0), np.nextafter(edges, np.inf), [0.0]])
        ch = rng.integers(0, 2, len(t))
        fs = [rng.uniform(0.5, 1.5, n_int), rng.uniform(0.5, 1.5, n_int - 7)]
        ht = rng.uniform(10, 500, len(t))
        ref = ht.copy()
        for k, f in enumerate(fs):
            sel = ch == k
            ref[sel] *= f[np.minimum((t[sel] // L).astype(np.int64), len(f) - 1)]
        scale_handle(ht, t, ch.astype(np.int64), np.concatenate(fs),
                     np.cumsum([0] + [len(f) for f in fs]), L)
        assert np.array_equal(ht, ref)


def test_the_draws_are_the_same_with_the_compiled_passes_on_and_off() -> None:
    pytest.importorskip("numba")
    model, demand = flagship_like()
    rates, htf = _inputs(model, demand)
    got = {}
    for flag in (False, True):
        for r in range(3):
            got[flag, r] = _fresh(model, rates, 9, r, htf=htf, compiled=flag)
    assert all(_equal(got[False, r], got[True, r]) for r in range(3))
