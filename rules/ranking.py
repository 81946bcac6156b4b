"""Forced ranking bands (docs/formats.md §2, seed 000 phase 1).

Agents are ordered best first; ``top: f`` is the first ceil(f × n) places, ``bottom: f`` the
last ceil(f × n). ceil works on the decimal value of f (0.15 × 20 = 3 places, not float's
3.0000000000000004 → 4).

Ties at a band's edge (agents whose values are equal to the last place's), by the ranking's
``ties`` rule:

- ``split`` (default): the band keeps its places and its budget; the agents tied for the
  last places share them equally — 1 place left and 5 agents tied: each gets 1/5 of the
  band's pay. Forced distribution as practised: the band is a fixed share of headcount.
- ``all``: every agent tied at the edge gets the whole band (the band grows; a team that
  is tied throughout all get the top band).

An agent's *membership* of a band is therefore a share in [0, 1]: 1 inside, 0 outside,
places left / agents tied on a split edge.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

# Values closer than this (relative to the largest magnitude) count as tied: the same score
# reached by a different order of float additions must not break a tie.
TIE_RTOL = 1e-9

TIES = ("split", "all")


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


def band_members(key: np.ndarray, tol: float, side: str, share: float,
                 ties: str = "split") -> tuple[np.ndarray, int]:
    """Membership share of each agent in the band (0..1) and the band's places ceil(share × n)."""
    n = len(key)
    k = band_size(share, n)
    if n == 0 or k == 0:
        return np.zeros(n), k
    if side == "top":
        edge = np.partition(key, k - 1)[k - 1]
        inside, at_edge = key < edge - tol, np.abs(key - edge) <= tol
    else:
        edge = np.partition(key, n - k)[n - k]
        inside, at_edge = key > edge + tol, np.abs(key - edge) <= tol
    if ties == "all":
        return (inside | at_edge).astype(float), k
    left = k - int(inside.sum())                   # places left for the tied block
    return np.where(inside, 1.0, np.where(at_edge, left / max(int(at_edge.sum()), 1), 0.0)), k
