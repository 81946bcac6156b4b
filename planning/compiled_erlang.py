"""Erlang A's short-window service-level integral compiled with numba (one loop per row).

planning.erlang's numpy expression is the readable reference:

    ∫_0^{θt} exp(−(x+1)s + y(1 − e^{−s})) ds ≈ (θt/2)·Σ_j w_j·exp(−(x+1)·s_j − y·(e^{−s_j} − 1))

with 32 Gauss–Legendre nodes s_j on [0, θt]. numpy evaluates it as a (rows × 32) array —
six passes over memory and a temporary per operation; this loop evaluates each row's 32
terms in registers. It performs the same floating-point operations in the same order —
the same products and differences per term, the exponential of the C library (as numpy's
float64 ``exp`` where the CPU has no AVX-512), and the row sum in numpy's pairwise order
for short rows (eight running sums, combined as a tree, then the tail) — so on such
machines the numbers are the same bit for bit (tests/planning/test_erlang_compiled.py);
elsewhere they may differ in the last bit. Compiled once per machine and kept on disk
(``cache=True``, as sim.compiled_loop).
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def quadrature(x: np.ndarray, y: np.ndarray, theta_t: np.ndarray, s_one: np.ndarray,
               em_one: np.ndarray, row: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(θt/2)·Σ_j w_j·exp(−(x+1)·s_j − y·em_j) per row, with the nodes s_j = ``s_one[k]``
    and em_j = e^{−s_j} − 1 = ``em_one[k]`` of the row's θt (k = ``row[i]``)."""
    n = x.shape[0]
    m = weights.shape[0]
    out = np.empty(n)
    p = np.empty(m)
    r = np.empty(8)
    for i in range(n):
        k = row[i]
        a = -(x[i] + 1.0)
        for j in range(m):
            p[j] = np.exp(a * s_one[k, j] - y[i] * em_one[k, j]) * weights[j]
        if m < 8:  # numpy's pairwise sum: a plain loop below eight terms
            acc = 0.0
            for j in range(m):
                acc += p[j]
        else:  # eight running sums, combined as a tree, then the tail
            for q in range(8):
                r[q] = p[q]
            jj = 8
            while jj < m - m % 8:
                for q in range(8):
                    r[q] += p[jj + q]
                jj += 8
            acc = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
            while jj < m:
                acc += p[jj]
                jj += 1
        out[i] = 0.5 * theta_t[i] * acc
    return out
