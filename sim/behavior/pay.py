"""The pay interface the behaviour model optimises against.

A pay function takes a columnar KPI table (metric name → array per agent, plus ``agent_id``
and ``pool`` string columns, docs/formats.md §3) and returns a :class:`PayBreakdown`: total
pay per agent and per-component arrays keyed ``item:<metric>``, ``ranking``,
``commission:<metric>``, ``event:<metric>`` (any keys work; they label the "why").

Two optional attributes tell the solver how it may call the function:
``relative`` — False when an agent's pay depends on its own row only (commission,
scorecards without ranking); then all candidate rows are paid in one stacked table.
Absent means True (safe: unilateral deviations against the rest of the team).
``batched`` — True when the function accepts arrays of shape (B, n), B independent teams,
and ranks along the last axis; otherwise the solver loops over the B tables.

A relative (rank-order) pay function must also provide ``ranked_rows(table) ->
RankedRows``: its row-wise part (base pay, variable pay before ranking, the ranking key of
each row) and its bands, so that the solver can pay an agent's deviation against the
others' scores in O(n) rather than re-ranking a whole team per candidate
(:mod:`sim.behavior.tournament`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

KpiTable = Mapping[str, np.ndarray]


@dataclass(frozen=True)
class PayBreakdown:
    """Total pay per agent and its parts (same shape as the table's columns)."""

    total: np.ndarray
    components: Mapping[str, np.ndarray] = field(default_factory=dict)


@dataclass(frozen=True)
class RankBand:
    """One ranking band: ``side`` top (best first) or bottom, share of the ranked agents
    (places = ceil(share × n)), pay per member."""

    side: str
    share: float
    pay: float


@dataclass(frozen=True)
class RankedRows:
    """A rank-order pay function's row-wise part, for any table shape.

    total = base + clip(variable + band pay, pay_floor − base, cap_total) on the rows the
    policy pays (``paid``; 0 elsewhere, and those rows are not ranked). ``key``: the ranking
    value with smaller = better. ``ties``: ``split`` (tied agents share the places left)
    or ``all`` (every agent tied with the band's edge gets the band), as ``rules.ranking``.
    """

    key: np.ndarray
    bands: tuple[RankBand, ...]
    ties: str
    base: np.ndarray
    variable: np.ndarray
    components: Mapping[str, np.ndarray]
    paid: np.ndarray
    cap_total: float | None = None
    pay_floor: float | None = None

    @property
    def linear(self) -> bool:
        """True when total pay is linear in the band pay (no cap, no floor)."""
        return self.cap_total is None and self.pay_floor is None


class PayFunction(Protocol):
    """``pay_fn(kpi_table) -> PayBreakdown`` (see the module docstring for attributes)."""

    def __call__(self, kpi_table: KpiTable) -> PayBreakdown: ...


def is_relative(pay_fn: PayFunction) -> bool:
    return bool(getattr(pay_fn, "relative", True))


def is_ranked(pay_fn: PayFunction) -> bool:
    """True when the pay function exposes its rank-order structure (``ranked_rows``)."""
    return callable(getattr(pay_fn, "ranked_rows", None))


def is_batched(pay_fn: PayFunction) -> bool:
    return bool(getattr(pay_fn, "batched", False))


def pay_tables(pay_fn: PayFunction, tables: KpiTable) -> PayBreakdown:
    """Pay B independent team tables given as (B, n) arrays; returns (B, n) arrays."""
    if is_batched(pay_fn):
        out = pay_fn(tables)
        return PayBreakdown(np.asarray(out.total, dtype=float),
                            {k: np.asarray(v, dtype=float) for k, v in out.components.items()})
    b = next(iter(tables.values())).shape[0]
    totals: list[np.ndarray] = []
    parts: dict[str, list[np.ndarray]] = {}
    for j in range(b):
        out = pay_fn({k: v[j] for k, v in tables.items()})
        totals.append(np.asarray(out.total, dtype=float))
        for k, v in out.components.items():
            parts.setdefault(k, [np.zeros_like(totals[-1])] * j).append(np.asarray(v, float))
        for k in parts:
            if len(parts[k]) < j + 1:
                parts[k].append(np.zeros_like(totals[-1]))
    return PayBreakdown(np.stack(totals), {k: np.stack(v) for k, v in parts.items()})


class FlatPay:
    """Flat pay (the comparison baseline): base pay only, nothing variable."""

    relative = False
    batched = True

    def __init__(self, base_pay: float = 0.0):
        self.base_pay = float(base_pay)

    def __call__(self, kpi_table: KpiTable) -> PayBreakdown:
        shape = np.shape(kpi_table["answered"])
        return PayBreakdown(np.full(shape, self.base_pay), {})
