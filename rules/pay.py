"""Pay a KPI table under a policy (docs/formats.md §2): vectorised over agents.

``pay(policy, table)`` takes a columnar table — a mapping from column name to a numpy
array, with ``agent_id`` and ``pool`` columns — and returns a :class:`PayResult` of arrays
(one element per agent the policy applies to). The compiled policy is cached, so the
behaviour model can call ``pay`` thousands of times on predicted tables cheaply; reasons
(the text behind each amount) are built only when :func:`rules.explain.explain` asks.

Order: custom metrics → scorecard (score, performance pay) → ranking → commission →
events (offsets first) → variable pay = sum, capped at ``cap_total`` → topped up to
``pay_floor`` → total = base + variable.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from rules.commission import tiered
from rules.compiled import CompiledPolicy, compile_policy
from rules.events import EventInput, settle
from rules.formula import Formula
from rules.pay_result import PayResult, Reason
from rules.ranking import band_members, ranks
from rules.schema import Policy, TenurePay
from rules.scorecard import achievement, item_score

MAX_NAMED_AGENTS = 10


class MissingMetrics(ValueError):
    """The KPI table lacks columns the policy needs."""

    def __init__(self, names: list[str]):
        self.names = sorted(names)
        super().__init__(f"the KPI table has no column {', '.join(repr(n) for n in self.names)}")


_CACHE: dict[tuple[int, frozenset[str]], tuple[Policy, CompiledPolicy]] = {}


def compiled_for(policy: Policy, columns: Any) -> CompiledPolicy:
    """The compiled policy for a table's columns, cached (compile once, pay many times)."""
    key = (id(policy), frozenset(columns))
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is policy:
        return hit[1]
    cp = compile_policy(policy, key[1])
    if len(_CACHE) > 64:
        _CACHE.clear()
    _CACHE[key] = (policy, cp)
    return cp


def pay(policy: Policy | CompiledPolicy, table: Mapping[str, Any], *,
        rank_bands: bool = True) -> PayResult:
    """Pay every agent of ``table`` the policy applies to.

    ``table`` maps column names to arrays (one element per agent) and has ``agent_id`` and
    (when the policy names pools) ``pool``. Raises :class:`MissingMetrics` when a column the
    policy needs is absent, ``rules.compiled.PolicyFormulaError`` for bad formulas.
    ``rank_bands=False``: every row is paid on its own (no band pay; the ranking value is
    still computed) — for callers that rank rows of many teams themselves.
    """
    cp = policy if isinstance(policy, CompiledPolicy) else compiled_for(policy, table.keys())
    return compute(cp, table, rank_bands)


def _ids(table: Mapping[str, Any], n: int) -> np.ndarray:
    if "agent_id" in table:
        ids = np.asarray(table["agent_id"])
        return ids if ids.dtype.kind == "U" else ids.astype(str)
    return np.array([str(i + 1) for i in range(n)])


def compute(cp: CompiledPolicy, table: Mapping[str, Any], rank_bands: bool = True) -> PayResult:
    """The pay arithmetic for a compiled policy (see the module docstring for the order)."""
    pol = cp.policy
    missing = [c for c in cp.needed if c not in table]
    if missing:
        raise MissingMetrics(missing)
    n_all = _table_length(table)
    ids = _ids(table, n_all)
    pools = np.asarray(table["pool"]) if "pool" in table else np.full(n_all, "")
    if pools.dtype.kind != "U":
        pools = pools.astype(str)
    select: np.ndarray | None = None
    if pol.applies_to is not None:
        if "pool" not in table:
            raise MissingMetrics(["pool"])
        select = np.isin(pools, pol.applies_to)
        if select.all():
            select = None
    if select is not None:
        ids, pools = ids[select], pools[select]
    n = len(ids)
    env: dict[str, np.ndarray] = {}
    for c in cp.needed:
        col = np.asarray(table[c], dtype=np.float64)
        env[c] = col[select] if select is not None else col
    warnings: list[str] = []
    detail: dict[str, Any] = {}

    def ev(f: Formula, what: str) -> np.ndarray:
        vals, bad = f.evaluate(env, n)
        if bad is not None:
            warnings.append(_zero_warning(what, f.source, ids[bad]))
        return vals

    for name, f in cp.metrics:
        env[name] = ev(f, f"metric '{name}'")

    probation = None
    if pol.uses_tenure():
        probation = env["tenure_months"] < pol.probation_months
    if isinstance(pol.base_pay, TenurePay):
        base = np.where(probation, pol.base_pay.probation, pol.base_pay.regular)
    else:
        base = np.full(n, float(pol.base_pay))

    score = np.zeros(n)
    item_scores: dict[str, np.ndarray] = {}
    points_total = None
    performance = np.zeros(n)
    sc = pol.scorecard
    if sc is not None:
        item_detail = []
        for it, f, d in zip(sc.items, cp.items, cp.item_directions, strict=True):
            vals = ev(f, f"scorecard item '{it.name}'")
            if it.kind == "soft":
                floor, cap = it.floor, it.cap
                a = vals / it.target
            else:
                floor = it.floor if it.floor is not None else sc.floor
                cap = it.cap if it.cap is not None else sc.cap
                a = achievement(vals, it.target, d, cap)
            s = item_score(a, it.weight, floor, cap)
            item_scores[it.name] = s
            score = score + s
            item_detail.append((it, d, vals, a, floor, cap))
        detail["items"] = item_detail
        if sc.points:
            points_total = np.zeros(n)
            pts = []
            for p, f in zip(sc.points, cp.points, strict=True):
                units = ev(f, f"points '{p.label or p.per}'")
                points_total = points_total + units * p.points
                pts.append((p, units))
            detail["points"] = pts
            score = score + points_total * sc.points_scale
        performance = sc.pay_base * score
    env["score"] = score

    rank = None
    ranking_pay = np.zeros(n)
    band_pay: list[np.ndarray] = []
    if pol.ranking is not None and not rank_bands:
        rv = score if cp.ranking_by is None else ev(cp.ranking_by, "ranking 'by'")
        detail["ranking"] = (rv, [])
    elif pol.ranking is not None:
        rv = score if cp.ranking_by is None else ev(cp.ranking_by, "ranking 'by'")
        key, rank, tol = ranks(rv, cp.ranking_direction)
        bands = []
        for b in pol.ranking.bands:
            members, k = band_members(key, tol, b.side, b.share, pol.ranking.ties)
            amount = members * b.pay
            band_pay.append(amount)
            ranking_pay = ranking_pay + amount
            bands.append((b, members, k))
        detail["ranking"] = (rv, bands)
    elif sc is not None:
        _, rank, _ = ranks(score, "higher")

    commission = np.zeros(n)
    commission_parts: list[np.ndarray] = []
    com_detail = []
    for c, cc in zip(pol.commission, cp.commissions, strict=True):
        units = np.maximum(ev(cc.per, f"commission per '{c.per}'"), 0.0)
        active = _active(cc.when, c.tenure, probation, ev, f"commission when '{c.when}'")
        table_ = c.table
        gross = tiered(units, table_, c.mode)
        net_units = units
        if cc.clawback_units is not None:
            back = np.maximum(ev(cc.clawback_units, "clawback units"), 0.0)
            net_units = np.maximum(units - back, 0.0)
        elif cc.clawback_rate is not None:
            rate = np.clip(ev(cc.clawback_rate, "clawback rate"), 0.0, 1.0)
            net_units = units * (1.0 - rate)
        amount = gross if net_units is units else tiered(net_units, table_, c.mode)
        if active is not None:
            amount = np.where(active, amount, 0.0)
            gross = np.where(active, gross, 0.0)
        commission_parts.append(amount)
        commission = commission + amount
        com_detail.append((c, units, net_units, gross, amount, active))
    detail["commission"] = com_detail

    event_pay = np.zeros(n)
    event_parts: list[np.ndarray] = []
    if pol.events:
        inputs = []
        by_values: dict[str, np.ndarray] = {}
        for e, ce in zip(pol.events, cp.events, strict=True):
            units = ev(ce.per, f"event per '{e.per}'")
            active = _active(ce.when, e.tenure, probation, ev, f"event when '{e.when}'")
            if e.offset is not None and ce.by_key not in by_values:
                by_values[ce.by_key] = env[e.offset.by.strip()]
            inputs.append(EventInput(ce.per_key, units, e.pay, active, ce.by_key,
                                     e.offset.ratio if e.offset else 0.0))
        outcomes = settle(inputs, by_values)
        for o in outcomes:
            event_parts.append(o.amount)
            event_pay = event_pay + o.amount
        detail["events"] = list(zip(pol.events, outcomes, inputs, strict=True))

    variable = performance + ranking_pay + commission + event_pay
    capped = None
    if pol.cap_total is not None:
        capped = variable > pol.cap_total
        variable = np.minimum(variable, pol.cap_total)
    topped = None
    if pol.pay_floor is not None:
        need = pol.pay_floor - base
        topped = variable < need
        variable = np.maximum(variable, need)
    total = base + variable
    detail["probation"] = probation

    if pol.qa is not None and pol.qa.samples_metric in table:
        taken = np.asarray(table[pol.qa.samples_metric], dtype=np.float64)
        taken = taken[select] if select is not None else taken
        short = taken < pol.qa.samples
        if short.any():
            warnings.append(f"{pol.qa.samples_metric}: fewer than {pol.qa.samples} monitored "
                            f"contacts for agent {_names(ids[short])}; their {pol.qa.metric} "
                            f"is the mean of fewer samples")
    return PayResult(pol, ids, pools, base, item_scores, score, rank, performance, ranking_pay,
                     commission, event_pay, variable, total, warnings, band_pay,
                     commission_parts, event_parts, points_total, capped, topped, detail)


def _table_length(table: Mapping[str, Any]) -> int:
    for v in table.values():
        return len(v)
    return 0


def _active(when: Formula | None, tenure: str, probation: np.ndarray | None, ev: Any,
            what: str) -> np.ndarray | None:
    mask = None
    if when is not None:
        mask = ev(when, what) != 0
    if tenure != "any" and probation is not None:
        t = probation if tenure == "probation" else ~probation
        mask = t if mask is None else (mask & t)
    return mask


def _names(ids: np.ndarray) -> str:
    shown = ", ".join(str(x) for x in ids[:MAX_NAMED_AGENTS])
    more = len(ids) - MAX_NAMED_AGENTS
    return shown + (f" and {more} more" if more > 0 else "")


def _zero_warning(what: str, source: str, ids: np.ndarray) -> str:
    return (f"division by zero (or a non-finite value) in {what} = {source} for agent "
            f"{_names(ids)}: counted as 0")


__all__ = ["MissingMetrics", "PayResult", "Reason", "compiled_for", "pay"]
