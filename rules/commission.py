"""Tiered commission (docs/formats.md §2): ``from`` is the first unit of a tier.

Marginal: each tier's rate applies to the units inside it (1000 answered with tiers
0 → 1.0, 800 → 1.5 pays 800 × 1.0 + 200 × 1.5 = 1100). Whole: the reached tier's rate
applies to all units (1000 × 1.5 = 1500); a tier is reached when units ≥ its ``from``.
Units below the first tier's ``from`` earn nothing.
"""

from __future__ import annotations

import numpy as np


def tier_units(units: np.ndarray, table: list[tuple[float, float]]) -> list[np.ndarray]:
    """Units inside each tier (marginal view)."""
    out = []
    for i, (start, _rate) in enumerate(table):
        end = table[i + 1][0] if i + 1 < len(table) else np.inf
        out.append(np.clip(units - start, 0.0, end - start))
    return out


def reached_tier(units: np.ndarray, table: list[tuple[float, float]]) -> np.ndarray:
    """Index of the highest tier reached (units ≥ from), -1 when below the first."""
    starts = np.array([t[0] for t in table])
    return np.searchsorted(starts, units, side="right") - 1


def tiered(units: np.ndarray, table: list[tuple[float, float]], mode: str) -> np.ndarray:
    """Commission per agent for ``units`` under the tier table."""
    if mode == "marginal":
        total = np.zeros(len(units))
        for (_, rate), inside in zip(table, tier_units(units, table), strict=True):
            total += rate * inside
        return total
    idx = reached_tier(units, table)
    rates = np.array([0.0] + [t[1] for t in table])
    return units * rates[idx + 1]
