"""Forced ranking bands (docs/formats.md §2, seed 000 phase 1).

Agents are ordered best first; ``top: f`` selects the first ceil(f × n), ``bottom: f`` the
last ceil(f × n); agents tied with the band's edge agent all get the band. ceil works on the
decimal value of f (0.15 × 20 = 3 agents, not float's 3.0000000000000004 → 4).
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

# Values closer than this (relative to the largest magnitude) count as tied: the same score
# reached by a different order of float additions must not break a tie.
TIE_RTOL = 1e-9


def band_size(share: float, n: int) -> int:
    """ceil(share × n) computed on the decimal value of ``share``."""
    return min(n, math.ceil(Fraction(repr(float(share))) * n))


def ranks(values: np.ndarray, direction: str) -> tuple[np.ndarray, np.ndarray, float]:
    """Sort keys (smaller = better), competition ranks (1 = best; ties share) and tolerance."""
    key = -values if direction == "higher" else values.astype(np.float64, copy=True)
    n = len(key)
    if n == 0:
        return key, np.zeros(0, dtype=np.int64), 0.0
    tol = TIE_RTOL * max(1.0, float(np.max(np.abs(key))))
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.searchsorted(ordered, ordered - tol, side="left") + 1  # sorted needles: fast
    return key, rank, tol


def band_members(key: np.ndarray, tol: float, side: str, share: float) -> tuple[np.ndarray, int]:
    """Mask of agents in the band and the band's nominal size ceil(share × n)."""
    n = len(key)
    k = band_size(share, n)
    if n == 0 or k == 0:
        return np.zeros(n, dtype=bool), k
    if side == "top":
        edge = np.partition(key, k - 1)[k - 1]
        return key <= edge + tol, k
    edge = np.partition(key, n - k)[n - k]
    return key >= edge - tol, k
