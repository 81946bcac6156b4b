"""Adapter: a rules-engine policy as a behaviour-model pay function (``rules.pay``).

``RulesPay(policy)`` pays a KPI table with ``rules.pay`` and splits the result into the
components the "why" reports: ``item:<item name>`` (pay_base × item score), ``ranking``,
``commission:<per>``, ``event:<per>``, and ``cap`` (what cap_total / pay_floor took or
added). It is *batched*: (B, n) tables — B independent teams — are paid in one call to
``rules.pay`` on the stacked rows (every rules component except ranking is row-wise); the
ranking bands are then recomputed per team with the rules engine's own band arithmetic
(``rules.ranking``: ceil on the decimal share, ties at a band's edge within its tolerance),
and variable pay re-assembled in rules.pay's order (sum → cap_total → pay_floor).
Agents outside ``applies_to`` get zero pay under the policy (no incentive, natural point).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from sim.behavior.pay import KpiTable, PayBreakdown


class RulesPay:
    """A ``rules.schema.Policy`` as a :class:`~sim.behavior.pay.PayFunction`."""

    batched = True

    def __init__(self, policy, extra_columns: Mapping[str, np.ndarray] | None = None):
        self.policy = policy
        self.relative = policy.ranking is not None
        #: per-agent columns the surrogate does not predict (e.g. tenure_months), length n
        self.extra_columns = {k: np.asarray(v) for k, v in (extra_columns or {}).items()}

    def __call__(self, kpi_table: KpiTable) -> PayBreakdown:
        from rules.pay import compiled_for, pay

        cols = {k: np.asarray(v) for k, v in kpi_table.items()}
        shape = cols["answered"].shape
        cols2 = {k: np.atleast_2d(v) for k, v in cols.items()}
        for k, v in self.extra_columns.items():
            cols2.setdefault(k, np.broadcast_to(v, cols2["answered"].shape))
        b, n = cols2["answered"].shape
        pool = cols2["pool"][0].astype(str) if "pool" in cols2 else np.full(n, "")
        pol = self.policy
        select = np.isin(pool, pol.applies_to) if pol.applies_to is not None else np.ones(n, bool)
        flat = {k: v.reshape(-1) for k, v in cols2.items()}
        res = pay(pol, flat)
        m = int(select.sum())

        def grid(x: np.ndarray) -> np.ndarray:
            return np.asarray(x, dtype=float).reshape(b, m)

        comps: dict[str, np.ndarray] = {}
        pay_base = pol.scorecard.pay_base if pol.scorecard is not None else 0.0
        for name, s in res.item_scores.items():
            comps[f"item:{name}"] = pay_base * grid(s)
        if res.points is not None and pol.scorecard is not None:
            comps["points"] = pay_base * pol.scorecard.points_scale * grid(res.points)
        for c, part in zip(pol.commission, res.commission_parts, strict=True):
            comps[f"commission:{c.per}"] = comps.get(f"commission:{c.per}", 0.0) + grid(part)
        for e, part in zip(pol.events, res.event_parts, strict=True):
            comps[f"event:{e.per}"] = comps.get(f"event:{e.per}", 0.0) + grid(part)
        if pol.ranking is not None:
            cp = compiled_for(pol, flat.keys())
            rv = grid(res.score if cp.ranking_by is None else res._detail["ranking"][0])
            comps["ranking"] = _bands(rv, cp.ranking_direction, pol.ranking.bands)
        variable_raw = (grid(res.performance_pay) + comps.get("ranking", 0.0)
                        + grid(res.commission) + grid(res.event_pay))
        variable = variable_raw
        if pol.cap_total is not None:
            variable = np.minimum(variable, pol.cap_total)
        base = grid(res.base_pay)
        if pol.pay_floor is not None:
            variable = np.maximum(variable, pol.pay_floor - base)
        if pol.cap_total is not None or pol.pay_floor is not None:
            comps["cap"] = variable - variable_raw
        total = np.zeros((b, n))
        total[:, select] = base + variable
        full = {}
        for k, v in comps.items():
            out = np.zeros((b, n))
            out[:, select] = v
            full[k] = out.reshape(shape)
        return PayBreakdown(total.reshape(shape), full)


def _bands(values: np.ndarray, direction: str, bands) -> np.ndarray:
    """Band pay per team row (B, m), as rules.ranking.band_members does for one team."""
    from rules.ranking import TIE_RTOL, band_size

    key = -values if direction == "higher" else values
    b, m = key.shape
    out = np.zeros((b, m))
    if m == 0:
        return out
    tol = TIE_RTOL * np.maximum(1.0, np.max(np.abs(key), axis=1, keepdims=True))
    for band in bands:
        k = band_size(band.share, m)
        if k == 0:
            continue
        if band.side == "top":
            edge = np.partition(key, k - 1, axis=1)[:, k - 1:k]
            members = key <= edge + tol
        else:
            edge = np.partition(key, m - k, axis=1)[:, m - k:m - k + 1]
            members = key >= edge - tol
        out = out + np.where(members, band.pay, 0.0)
    return out
