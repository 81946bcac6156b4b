"""The band membership lookup of :func:`sim.behavior.tournament.mean_membership`, compiled
(numba): for every candidate key, how many of the agent's sorted edges lie below ``key −
tol`` and how many at or below ``key + tol``, then the weighted shares read from the
cumulative sums.

Why compiled: the readable path does it with ``numpy.searchsorted`` on one line of all
agents' edges — a branchy binary search per candidate and draw (11.8 million keys a
certifying best response on the flagship's forced ranking) plus large index and gather
temporaries; that was half of the forced ranking's equilibrium. Here each key is compared
with its own agent's edges (16 per pure field: a branch-free count), with no temporaries.

Same numbers bit for bit: the keys are shifted onto the same line with the same
floating-point operations in the same order (``((key − lo) + pad) + 1 + offset``, tol =
TIE_RTOL × max(scale, |key|)), so each comparison, hence each count, is the readable
path's; the counts index the same cumulative sums and the result is summed in the same
order (tests/sim/test_band_lookup.py checks both paths on random and flagship fields).
No fastmath (no reassociation, no fused multiply-add). Loaded from numba's cache on disk
(compiled once a machine, like the compiled desk).
"""

from __future__ import annotations

import numpy as np
from numba import njit

#: up to this many edges per agent, count by comparing with all (branch-free); more (a
#: mixed field or an average of many), binary search
LINEAR_MAX = 64


@njit(cache=True)
def _count_below(row: np.ndarray, q: float, right: bool) -> int:
    """Elements of the sorted ``row`` < q (``right``: ≤ q), as numpy.searchsorted's
    index with side "left" (right)."""
    lo = 0
    hi = row.shape[0]
    while lo < hi:
        mid = (lo + hi) >> 1
        if row[mid] < q or (right and row[mid] == q):
            lo = mid + 1
        else:
            hi = mid
    return lo


@njit(cache=True)
def lookup(v: np.ndarray, sign: float, line: np.ndarray, wsum: np.ndarray, csum: np.ndarray,
           lo: float, pad: float, offset: np.ndarray, smax: float, rtol: float
           ) -> np.ndarray:
    """Mean membership (n, Q) of candidate keys ``sign × v`` (n, Q) against agent i's
    shifted sorted edges ``line[i]`` (R2,), with cumulative weights ``wsum`` and weighted
    tie shares ``csum`` (n, R2 + 1): (wsum[-1] − wsum[hi]) + (csum[hi] − csum[lo])."""
    n, q = v.shape
    r2 = line.shape[1]
    out = np.empty((n, q))
    for i in range(n):
        off = offset[i]
        row = line[i]
        total = wsum[i, r2]
        for j in range(q):
            kk = sign * v[i, j]
            x = (((kk - lo) + pad) + 1.0) + off
            a = abs(kk)
            t = rtol * (smax if smax >= a else a)
            ql = x - t
            qh = x + t
            if r2 <= LINEAR_MAX:
                below = 0
                upto = 0
                for k in range(r2):
                    e = row[k]
                    below += e < ql
                    upto += e <= qh
            else:
                below = _count_below(row, ql, False)
                upto = _count_below(row, qh, True)
            out[i, j] = (total - wsum[i, upto]) + (csum[i, upto] - csum[i, below])
    return out
