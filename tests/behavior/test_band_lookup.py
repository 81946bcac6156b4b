"""The compiled band-membership lookup (sim/behavior/band_lookup.py) against the readable
one (numpy.searchsorted on one line, tournament._mean_membership_search): the same numbers
bit for bit — and both against an independent reference, the direct membership of every
candidate against every column of the field (tournament.membership, (a, K, R1, R2)),
averaged with the columns' weights."""

from __future__ import annotations

import numpy as np
import pytest

from sim.behavior import tournament
from sim.behavior.pay import RankBand
from sim.behavior.tournament import edge_stats, mean_membership, membership


def _readable(v, st, scale, ties, weight=None):
    """mean_membership with the compiled lookup switched off."""
    saved = tournament._LOOKUP
    tournament._LOOKUP = False
    try:
        return mean_membership(v, st, scale, ties, weight)
    finally:
        tournament._LOOKUP = saved


def _field(rng, m: int, r: int, band: RankBand, grid: bool):
    """A team of m agents' keys over r draws; ``grid``: keys on a coarse grid (many exact
    ties, the tie-sharing rule at work)."""
    key = rng.integers(0, 6, size=(r, m)).astype(float) if grid else rng.normal(size=(r, m))
    stats, scale = edge_stats(key, (band,))
    return key, stats[0], scale


BOUNDARY = (0.0, 0.5, -0.5, 1.5, -1.5, 0.999999, -0.999999)
#: well inside or well outside every tolerance: the direct reference's per-column tie
#: tolerance (TIE_RTOL × that draw's scale) and the lookup's (the largest scale) agree there
CLEAR = (0.0, 0.25, -0.25, 12.0, -12.0)


def _candidates(rng, key, n, k, r1, st, nudges=BOUNDARY):
    """Candidate keys (n, K, R1): random, plus exact edges and edges nudged by multiples
    of TIE_RTOL × max(1, |edge|) (BOUNDARY: just inside and just outside the tie
    tolerance, where two lookups could disagree)."""
    v = rng.normal(size=(n, k, r1)) * float(np.std(key) or 1.0)
    finite = st.edge[np.isfinite(st.edge)]
    if finite.size:
        pick = rng.choice(finite, size=(n, k, r1))
        tol = tournament.TIE_RTOL * np.maximum(1.0, np.abs(pick))
        nudge = rng.choice(nudges, size=pick.shape)
        use = rng.random(size=pick.shape) < 0.6
        v = np.where(use, pick + nudge * tol, v)
    return v


@pytest.mark.parametrize("side,share,ties,grid", [
    ("top", 0.2, "split", False), ("bottom", 0.1, "split", False),
    ("top", 0.2, "split", True), ("bottom", 0.1, "all", True),
    ("top", 0.5, "all", False), ("top", 0.9, "split", True)])
def test_compiled_lookup_equals_readable_bit_for_bit(side, share, ties, grid):
    if tournament._compiled_lookup() is None:
        pytest.skip("numba not available: only the readable lookup runs")
    rng = np.random.default_rng(11)
    band = RankBand(side, share, 100.0)
    for m, r in ((7, 16), (40, 16), (3, 5)):
        key, st, scale = _field(rng, m, r, band, grid)
        v = _candidates(rng, key, m, 9, 6, st)
        fast = mean_membership(v, st, scale, ties)
        slow = _readable(v, st, scale, ties)
        assert fast.shape == slow.shape == v.shape
        np.testing.assert_array_equal(fast, slow)
        # independent reference: every candidate against every column, weights 1/R2
        v = _candidates(rng, key, m, 9, 6, st, CLEAR)
        fast = mean_membership(v, st, scale, ties)
        np.testing.assert_array_equal(fast, _readable(v, st, scale, ties))
        direct = membership(v, st, scale, ties).mean(axis=3)
        np.testing.assert_allclose(fast, direct, rtol=0, atol=1e-12)


def test_compiled_lookup_many_columns_and_weights():
    """A mixture of fields (R2 > LINEAR_MAX: the binary search) with unequal weights."""
    if tournament._compiled_lookup() is None:
        pytest.skip("numba not available: only the readable lookup runs")
    from sim.behavior.band_lookup import LINEAR_MAX
    from sim.behavior.tournament import Field, mix_fields

    rng = np.random.default_rng(5)
    band = RankBand("top", 0.25, 50.0)
    parts = []
    for j in range(6):
        key, st, scale = _field(rng, 12, 16, band, grid=j % 2 == 0)
        parts.append((float(j + 1), Field([st], scale, np.full(16, 1 / 16))))
    fld = mix_fields(parts)
    st, scale, w = fld.stats[0], fld.scale, fld.weight
    assert st.edge.shape[1] > LINEAR_MAX
    v = _candidates(rng, st.edge[np.isfinite(st.edge)], 12, 7, 5, st)
    fast = mean_membership(v, st, scale, "split", w)
    slow = _readable(v, st, scale, "split", w)
    np.testing.assert_array_equal(fast, slow)
    v = _candidates(rng, st.edge[np.isfinite(st.edge)], 12, 7, 5, st, CLEAR)
    fast = mean_membership(v, st, scale, "split", w)
    np.testing.assert_array_equal(fast, _readable(v, st, scale, "split", w))
    direct = (membership(v, st, scale, "split") * w).sum(axis=3)
    np.testing.assert_allclose(fast, direct, rtol=0, atol=1e-12)


def test_band_larger_than_the_others_infinite_edges():
    """Fewer others than band places: every edge +inf (everyone is in the band)."""
    rng = np.random.default_rng(2)
    band = RankBand("top", 0.9, 10.0)
    key = rng.normal(size=(8, 2))
    stats, scale = edge_stats(key, (band,))
    st = stats[0]
    assert np.isinf(st.edge).all()
    v = rng.normal(size=(2, 3, 8))
    fast = mean_membership(v, st, scale, "split")
    np.testing.assert_array_equal(fast, _readable(v, st, scale, "split"))
    np.testing.assert_array_equal(fast, np.ones_like(v))   # inside every column
