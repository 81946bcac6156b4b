"""Adapter: a rules-engine policy as a behaviour-model pay function (``rules.pay``).

``RulesPay(policy)`` pays a KPI table with ``rules.pay`` and splits the result into the
components the "why" reports: ``item:<item name>`` (pay_base × item score), ``points``,
``ranking``, ``commission:<per>``, ``event:<per>``, and ``cap`` (what cap_total /
pay_floor took or added). It is *batched*: (B, n) tables — B independent teams — are paid
in one call to ``rules.pay`` on the stacked rows without band pay (every rules component
except ranking is row-wise); the ranking bands are then computed per team with the rules
engine's own ``rules.ranking.band_members`` (band places, tie rule), and variable pay
re-assembled in rules.pay's order (sum → cap_total → pay_floor).
For rank-order policies ``ranked_rows`` gives the row-wise part and the bands
(:class:`~sim.behavior.pay.RankedRows`), which the solver pays deviations with.
Agents outside ``applies_to`` get zero pay under the policy (no incentive, natural point).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from sim.behavior.pay import KpiTable, PayBreakdown, RankBand, RankedRows


class RulesPay:
    """A ``rules.schema.Policy`` as a :class:`~sim.behavior.pay.PayFunction`."""

    batched = True
    #: ``ranked_rows`` can leave the components out (``components=False``): the
    #: behaviour solver's objective reads the total alone
    optional_components = True

    def __init__(self, policy, extra_columns: Mapping[str, np.ndarray] | None = None):
        self.policy = policy
        self.relative = policy.ranking is not None
        #: per-agent columns the surrogate does not predict (e.g. tenure_months), length n
        self.extra_columns = {k: np.asarray(v) for k, v in (extra_columns or {}).items()}
        from rules.compiled import compile_policy

        #: KPI columns the policy reads (its compiled formulas' names), plus the ids
        self.needed = frozenset(compile_policy(policy, ()).needed) | {"agent_id", "pool"}
        # the same policy for rows already selected by pool (rules.pay skips the lookup)
        self._open = policy.model_copy(update={"applies_to": None})

    @property
    def rows_by_agent(self) -> bool:
        """Each row's pay is its own agent's alone (no per-agent extra columns, which are
        laid along the whole team): the solver may pay some agents' rows without the
        others' (``Evaluator._slot_rows``)."""
        return not self.extra_columns

    def ranked_rows(self, kpi_table: KpiTable, components: bool = True) -> RankedRows:
        """Every row paid on its own (no band pay); any table shape with the agents along
        the last axis (``extra_columns`` broadcast along it). See RankedRows.
        ``components`` False: no component arrays (the same key, base, variable and paid)."""
        from rules.pay import compiled_for, pay

        shape = np.shape(kpi_table["answered"])
        cols = {k: np.asarray(v) for k, v in kpi_table.items() if k in self.needed}
        for k, v in self.extra_columns.items():
            cols.setdefault(k, np.broadcast_to(v, shape))
        pol = self.policy
        size = int(np.prod(shape)) if shape else 1
        paid = _paid(cols.get("pool"), pol.applies_to, shape).reshape(-1)
        flat = {k: np.ravel(v) for k, v in cols.items() if k not in ("agent_id", "pool")}
        if not paid.all():
            flat = {k: v[paid] for k, v in flat.items()}
        # agent ids only name rows in warnings: a placeholder, not millions of strings
        flat["agent_id"] = np.broadcast_to(np.array(["row"]), (int(paid.sum()),))
        res = pay(self._open, flat, rank_bands=False)

        every = bool(paid.all())

        def full(x) -> np.ndarray:
            if every:
                return np.asarray(x, dtype=float).reshape(shape)
            out = np.zeros(size)
            out[paid] = np.asarray(x, dtype=float)
            return out.reshape(shape)

        comps: dict[str, np.ndarray] = {}
        pay_base = pol.scorecard.pay_base if pol.scorecard is not None else 0.0
        for name, s in res.item_scores.items() if components else ():
            comps[f"item:{name}"] = full(pay_base * s)
        if components and res.points is not None and pol.scorecard is not None:
            comps["points"] = full(pay_base * pol.scorecard.points_scale * res.points)
        for c, part in zip(pol.commission, res.commission_parts, strict=True):
            if components:
                comps[f"commission:{c.per}"] = (comps.get(f"commission:{c.per}", 0.0)
                                                + full(part))
        for e, part in zip(pol.events, res.event_parts, strict=True):
            if components:
                comps[f"event:{e.per}"] = comps.get(f"event:{e.per}", 0.0) + full(part)
        key = np.zeros(shape)
        bands: tuple[RankBand, ...] = ()
        ties = "split"
        if pol.ranking is not None:
            cp = compiled_for(self._open, flat.keys())
            rv = full(res._detail["ranking"][0])
            key = -rv if cp.ranking_direction == "higher" else rv
            bands = tuple(RankBand(b.side, b.share, b.pay) for b in pol.ranking.bands)
            ties = pol.ranking.ties
        variable = full(res.performance_pay + res.commission + res.event_pay)
        return RankedRows(key=key, bands=bands, ties=ties, base=full(res.base_pay),
                          variable=variable, components=comps, paid=paid.reshape(shape),
                          cap_total=pol.cap_total, pay_floor=pol.pay_floor)

    def __call__(self, kpi_table: KpiTable) -> PayBreakdown:
        shape = np.shape(kpi_table["answered"])
        rows = self.ranked_rows({k: np.atleast_2d(v) for k, v in kpi_table.items()})
        comps = dict(rows.components)
        if rows.bands:
            comps["ranking"] = team_bands(rows)
        return finish(rows, comps.get("ranking", 0.0), comps, shape)


def _paid(pool: np.ndarray | None, applies_to: list[str] | None,
          shape: tuple[int, ...]) -> np.ndarray:
    """Rows the policy pays; a pool column constant along the leading axes (a broadcast
    of the agents' pools) is looked up once per agent."""
    if applies_to is None:
        return np.ones(shape, bool)
    if pool is None:
        return np.zeros(shape, bool)
    pool = np.asarray(pool)
    if pool.ndim >= 1 and all(st == 0 for st in pool.strides[:-1]):
        return np.broadcast_to(_paid_row(pool[(0,) * (pool.ndim - 1)].astype(str),
                                         tuple(applies_to)), shape)
    return np.isin(pool.astype(str), applies_to)


_ROWS: dict[tuple, np.ndarray] = {}


def _paid_row(pools: np.ndarray, applies_to: tuple[str, ...]) -> np.ndarray:
    """np.isin(pools, applies_to) for one row of agents' pools, remembered (the solver
    asks for the same team's row at every candidate chunk; a few rows a process)."""
    key = (pools.dtype.str, pools.shape, pools.tobytes(), applies_to)
    row = _ROWS.get(key)
    if row is None:
        if len(_ROWS) >= 64:
            _ROWS.clear()
        row = _ROWS[key] = np.isin(pools, applies_to)
        row.flags.writeable = False
    return row


def team_bands(rows: RankedRows) -> np.ndarray:
    """Band pay of (B, n) rows, each row one team, with ``rules.ranking.band_members``."""
    from rules.ranking import band_members as members
    from rules.ranking import ranks

    out = np.zeros(rows.key.shape)
    for j in range(rows.key.shape[0]):
        on = rows.paid[j]
        if not on.any():
            continue
        # ranks() takes values with a direction; the key is already smaller = better
        key, _, tol = ranks(rows.key[j, on], "lower")
        for band in rows.bands:
            m, _ = members(key, tol, band.side, band.share, rows.ties)
            out[j, on] += m * band.pay
    return out


def finish(rows: RankedRows, band_pay: np.ndarray | float, comps: dict[str, np.ndarray],
           shape: tuple[int, ...]) -> PayBreakdown:
    """Total pay from the row-wise part and the band pay (rules.pay's order: sum →
    cap_total → pay_floor); ``cap`` component when either applies."""
    raw = rows.variable + band_pay
    variable = raw
    if rows.cap_total is not None:
        variable = np.minimum(variable, rows.cap_total)
    if rows.pay_floor is not None:
        variable = np.maximum(variable, rows.pay_floor - rows.base)
    if not rows.linear:
        comps["cap"] = np.where(rows.paid, variable - raw, 0.0)
    total = np.where(rows.paid, rows.base + variable, 0.0)
    return PayBreakdown(total.reshape(shape), {k: np.asarray(v).reshape(shape)
                                               for k, v in comps.items()})
