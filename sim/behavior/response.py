"""Best response: each agent's levers maximising E[pay] − effort cost.

E[pay] is the pay function on the surrogate's KPI table averaged over common noise draws.
Absolute schemes (``relative`` False) pay every candidate row in one stacked table;
relative ones pay unilateral deviations: agent i's row at the candidate, every other
agent at its current levers (the same noise draw for all rows of a table).
Search: levers the pay does not react to stay at the natural point (they only cost
effort); the others are searched on a product grid, then refined by a pattern search
(3^d neighbourhood, step halving).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace

import numpy as np

from sim.behavior.agents import Agents, effort_cost
from sim.behavior.params import BehaviorParams, SolverSettings
from sim.behavior.pay import PayFunction, RankedRows, is_ranked, is_relative, pay_tables
from sim.behavior.state import SystemState
from sim.behavior.surrogate import noisy_kpis
from sim.behavior.tournament import EdgeStats, Field, edge_stats, expected_ranked_pay

#: chunks of row-wise pay an evaluator remembers at most (``Evaluator._chunked``): the
#: flagship's coarse grid is 2–3 chunks of ~6 MB (136 agents × 60 candidates × 16 draws)
MEMO_CHUNKS = 16
#: bytes of remembered rows an evaluator may hold for the certifying grid of a rank-order
#: equilibrium (``best_response(thorough=True)``): the flagship's forced ranking certifies
#: twice in one evaluator, its grid 19 chunks of ~3 MB of lean rows (key, base, variable)
MEMO_CHECK_BYTES = 80_000_000


def _transpose(rows: RankedRows) -> RankedRows:
    """(R, K, n) rows → (n, K, R)."""
    def t(x: np.ndarray) -> np.ndarray:
        return np.transpose(np.asarray(x), (2, 1, 0))
    return replace(rows, key=t(rows.key), base=t(rows.base), variable=t(rows.variable),
                   paid=t(rows.paid), components={k: t(v) for k, v in rows.components.items()})


@dataclass
class Evaluator:
    """Expected pay of candidate levers for one pay function, agent set and state."""

    pay_fn: PayFunction
    agents: Agents
    state: SystemState
    noise: np.ndarray                  # (R, n, channels), common across policies
    params: BehaviorParams
    settings: SolverSettings
    _cache: tuple[bytes, Field] | None = field(default=None, repr=False)
    # row-wise pay of stable candidate chunks (``_chunked``), keyed by the chunk's bytes
    _rows_memo: dict[bytes, object] = field(default_factory=dict, repr=False)
    # per pattern-search step (``slot``): the last candidates and their row-wise pay
    _slot_memo: dict[object, tuple[np.ndarray, RankedRows]] = field(default_factory=dict,
                                                                   repr=False)

    @property
    def relative(self) -> bool:
        return is_relative(self.pay_fn)

    @property
    def names(self) -> frozenset[str] | None:
        """The KPIs the pay function reads (``needed``; None: all), plus ``answered``."""
        needed = getattr(self.pay_fn, "needed", None)
        return None if needed is None else frozenset(needed) | {"answered"}

    def _ids(self, shape: tuple[int, ...], axis: int, mask: np.ndarray | None = None
             ) -> tuple[np.ndarray, np.ndarray]:
        """agent_id and pool columns broadcast to ``shape`` with agents along ``axis``
        (``mask``: those agents only)."""
        ids, pools = self.agents.agent_id, self.agents.pool
        if mask is not None:
            ids, pools = ids[mask], pools[mask]
        idx = [1] * len(shape)
        idx[axis] = len(ids)
        return (np.broadcast_to(ids.reshape(idx), shape),
                np.broadcast_to(pools.reshape(idx), shape))

    def pay(self, current: np.ndarray, cand: np.ndarray, fld: Field | None = None,
            stable: int = 0, components: bool = True, slot: object = None,
            check: bool = False) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """E[total pay] (n, K) and E[component] (n, K) for candidates ``cand`` (n, K, 4),
        the others at ``current`` — or, rank-order pay, facing the field ``fld`` when given
        (a mixed profile or an average of past fields). ``stable``: the first columns of
        ``cand`` are the same at every call (a best response's grid): the row-wise pay of
        the chunks made of them alone is remembered and reused (:meth:`_chunked`).
        ``components`` False: E[total] alone (no component means: the objective's case).
        ``slot``: the call's place in a search that comes again (a pattern search's step):
        agents whose candidates are those of the last call in that slot reuse their
        row-wise pay (:meth:`_slot_rows`)."""
        if self.relative:
            return self._pay_ranked(self.field(current) if fld is None else fld, cand,
                                    stable, components, slot, check)
        return self._pay_stacked(cand, stable, components)

    def _chunked(self, cand: np.ndarray, rowwise, pay_chunk, stable: int = 0,
                 memo_tag: bytes = b"", slot: object = None, check: bool = False
                 ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """E[total] and E[component] (n, K) of candidates ``cand`` (n, K, 4), computed by
        ``pay_chunk(rowwise(kpis (R, n, kk))) -> ((n, kk), {name: (n, kk)})`` over chunks
        of candidates small enough for ``settings.chunk`` elements.

        ``rowwise``: the part of a chunk's pay that depends on the candidates' own KPIs
        alone (not on the others' play) — a pure function of the chunk's candidates, as
        the KPIs are of this evaluator's agents, state and noise. For the chunks within
        the first ``stable`` columns it is remembered, keyed by the chunk's candidates
        (bytes), and reused when the same chunk comes again: the same chunks as without
        it (the same candidates per chunk, hence the same numbers bit for bit), each
        computed once. The best-response rounds of a rank-order equilibrium search the
        same grid every round against a moved field: its row-wise pay (the surrogate's
        KPIs and the rules engine) is then paid once, not every round."""
        n, k = cand.shape[:2]
        total = np.zeros((n, k))
        comps: dict[str, np.ndarray] = {}
        step = max(1, self.settings.chunk // max(self.noise.shape[0] * n, 1))
        for lo in range(0, k, step):
            hi = min(k, lo + step)
            tag = memo_tag + cand[:, lo:hi].tobytes() if hi <= stable else None
            part = self._rows_memo.get(tag) if tag is not None else None
            if part is None and slot is not None and hi - lo == k:
                part = self._slot_rows(slot, cand, rowwise)
            if part is None:
                part = rowwise(self._kpis(cand[:, lo:hi]))                   # (R, n, kk)
                if tag is not None and self._room(part, check):
                    self._rows_memo[tag] = part
            t, c = pay_chunk(part)
            total[:, lo:hi] = t
            for name, v in c.items():
                comps.setdefault(name, np.zeros((n, k)))[:, lo:hi] = v
        return total, comps

    def _room(self, part: object, check: bool) -> bool:
        """Whether ``part`` may be remembered: at most MEMO_CHUNKS chunks of a coarse grid;
        a certifying grid's (``check``) while the remembered rows hold at most
        MEMO_CHECK_BYTES."""
        if not check:
            return sum(1 for t in self._rows_memo if not t.startswith(b"check")) < MEMO_CHUNKS
        size = _nbytes(part)
        held = sum(_nbytes(v) for t, v in self._rows_memo.items() if t.startswith(b"check"))
        return held + size <= MEMO_CHECK_BYTES

    def _kpis(self, cand: np.ndarray, mask: np.ndarray | None = None
              ) -> dict[str, np.ndarray]:
        """The surrogate's noisy KPIs (R, n, kk) of candidates ``cand`` (n, kk, 4) — of the
        agents ``mask`` alone when given (``cand`` then theirs: every KPI is the agent's
        own, element by element, so the same numbers as in the whole team's table)."""
        if mask is None:
            return noisy_kpis(self.agents, cand, self.state, self.noise, self.params,
                              self.names)
        hours = np.asarray(self.state.staffed_hours, float)
        state = replace(self.state, staffed_hours=hours[mask] if hours.ndim else hours)
        return noisy_kpis(_subset(self.agents, mask), cand, state, self.noise[:, mask],
                          self.params, self.names)

    def _slot_rows(self, slot: object, cand: np.ndarray, rowwise) -> RankedRows | None:
        """The row-wise pay of ``cand`` (one chunk) for a call in ``slot``: the last call
        in the slot's rows for the agents whose candidates are the same, computed for the
        others alone (``rowwise(kpis, mask)``) and put in their places. A pattern search
        from an unchanged point repeats its steps' candidates round after round (about
        40% of the agents' on the flagship's forced ranking). The same numbers bit for
        bit: each agent's rows are its own (element-wise surrogate and rules), and the
        merged arrays keep the memory layout of a whole computation (checked, else it is
        computed whole), so the band pay's means add in the same order. None: compute
        it whole (and remember it)."""
        prev = self._slot_memo.get(slot)
        part = None
        if prev is not None and prev[0].shape == cand.shape:
            fresh = ~np.all(prev[0] == cand, axis=(1, 2))
            if not fresh.any():
                part = prev[1]
            elif not fresh.all():
                new = rowwise(self._kpis(cand[fresh], fresh), fresh)
                part = _merge_rows(prev[1], new, fresh)
        if part is None:
            part = rowwise(self._kpis(cand))
        self._slot_memo[slot] = (cand.copy(), part)
        return part

    def _pay_stacked(self, cand: np.ndarray, stable: int = 0, components: bool = True
                     ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Own-row pay: every candidate row of every draw in one stacked table per chunk."""
        def chunk(kpis: dict[str, np.ndarray]):
            shape = next(iter(kpis.values())).shape
            table = {name: v.reshape(1, -1) for name, v in self._table(kpis, 1).items()}
            out = pay_tables(self.pay_fn, table)
            return (out.total.reshape(shape).mean(axis=0),
                    {name: v.reshape(shape).mean(axis=0) for name, v in out.components.items()}
                    if components else {})
        return self._chunked(cand, chunk, lambda part: part, stable)

    def field(self, current: np.ndarray) -> Field:
        """The others' band edges per agent and draw at ``current`` (cached per levers)."""
        if not is_ranked(self.pay_fn):
            raise TypeError("a relative pay function must provide ranked_rows(table) "
                            "(sim.behavior.pay.RankedRows)")
        tag = current.tobytes()
        if self._cache is not None and self._cache[0] == tag:
            return self._cache[1]
        kpis = noisy_kpis(self.agents, current, self.state, self.noise, self.params,
                          self.names)                                        # (R, n)
        rows = self.pay_fn.ranked_rows(self._table(kpis, 1))
        paid = rows.paid[0]
        idx = np.flatnonzero(paid)
        stats, scale = edge_stats(rows.key[:, idx], rows.bands)
        n, r = self.agents.n, self.noise.shape[0]
        full = []
        for st in stats:
            def widen(x: np.ndarray, fill: float) -> np.ndarray:
                out = np.full((n, r), fill)
                out[idx] = x
                return out
            full.append(EdgeStats(st.band, st.places, widen(st.edge, np.inf),
                                  widen(st.better, 0.0), widen(st.tied, 0.0)))
        fld = Field(full, scale, np.full(r, 1.0 / r))
        self._cache = (tag, fld)
        return fld

    def _table(self, kpis: dict[str, np.ndarray], axis: int,
               mask: np.ndarray | None = None) -> dict[str, np.ndarray]:
        shape = next(iter(kpis.values())).shape
        table = dict(kpis)
        table["agent_id"], table["pool"] = self._ids(shape, axis, mask)
        return table

    def _pay_ranked(self, fld: Field, cand: np.ndarray, stable: int = 0,
                    components: bool = True, slot: object = None, check: bool = False
                    ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Rank-order pay of unilateral deviations, O(n) per candidate
        (:mod:`sim.behavior.tournament`): the others' play is the field ``fld``; the
        candidates' own rows (the rules engine's row-wise pay and ranking key) do not
        depend on it."""
        lean = not components and getattr(self.pay_fn, "optional_components", False)

        def rows(kpis: dict[str, np.ndarray], mask: np.ndarray | None = None) -> RankedRows:
            kpis = {name: np.moveaxis(v, 1, 2) for name, v in kpis.items()}  # (R, kk, n)
            table = self._table(kpis, 2, mask)
            out = (self.pay_fn.ranked_rows(table, components=False) if lean
                   else self.pay_fn.ranked_rows(table))
            return _transpose(out)                                          # (n, kk, R)
        # a slot's rows of some agents alone: only for a pay function whose rows are each
        # agent's own (RulesPay without per-agent extra columns), on the objective's path
        by_agent = lean and getattr(self.pay_fn, "rows_by_agent", False)
        return self._chunked(cand, rows,
                             lambda part: expected_ranked_pay(part, fld, components), stable,
                             memo_tag=(b"check" if check else b"") + (b"lean" if lean else b""),
                             slot=slot if by_agent else None, check=check)

    def objective(self, current: np.ndarray, cand: np.ndarray, fld: Field | None = None,
                  stable: int = 0, slot: object = None, check: bool = False) -> np.ndarray:
        """E[pay] − effort cost, (n, K) (``fld``, ``stable``, ``slot``: see ``pay``;
        ``check``: ``stable`` is a certifying grid's, remembered within MEMO_CHECK_BYTES)."""
        total, _ = self.pay(current, cand, fld, stable, components=False, slot=slot,
                            check=check)
        return total - effort_cost(self.agents, cand, self.state.staffed_hours, self.params)


def _nbytes(part: object) -> int:
    """Bytes of the arrays a remembered chunk holds (broadcast views count nothing)."""
    arrays = (list(part.values()) if isinstance(part, dict) else
              [part.key, part.base, part.variable, part.paid, *part.components.values()])
    return sum(a.nbytes for a in map(np.asarray, arrays) if all(s != 0 for s in a.strides))


def _subset(agents: Agents, mask: np.ndarray) -> Agents:
    """The agents selected by ``mask`` (every per-agent array sliced)."""
    def pick(v):
        return None if v is None else np.asarray(v)[mask]
    return Agents(**{f: pick(getattr(agents, f)) for f in Agents.__dataclass_fields__})


def _merge_rows(old: RankedRows, new: RankedRows, fresh: np.ndarray) -> RankedRows | None:
    """``old`` (n, kk, R) with the agents ``fresh`` replaced by ``new``'s rows, in arrays
    of ``old``'s memory layout; ``paid`` must be unchanged (the rules' pools: it is kept
    as it is). None when that cannot be done (another layout, another paid row)."""
    if not np.array_equal(np.asarray(old.paid)[fresh], new.paid) \
            or old.components.keys() != new.components.keys():
        return None
    keep = ~fresh

    def put(a: np.ndarray, b: np.ndarray) -> np.ndarray | None:
        a = np.asarray(a)
        out = np.empty_like(a)
        if out.strides != a.strides or out.dtype != np.asarray(b).dtype:
            return None
        out[keep] = a[keep]
        out[fresh] = b
        return out

    arrays = {f: put(getattr(old, f), getattr(new, f)) for f in ("key", "base", "variable")}
    comps = {k: put(v, new.components[k]) for k, v in old.components.items()}
    if any(v is None for v in (*arrays.values(), *comps.values())):
        return None
    return replace(old, components=comps, **arrays)


def lever_grids(params: BehaviorParams, settings: SolverSettings) -> list[np.ndarray]:
    b = params.bounds()
    return [np.linspace(b[j, 0], b[j, 1], settings.grid[j]) for j in range(4)]


def active_levers(ev: Evaluator, current: np.ndarray) -> np.ndarray:
    """Levers whose single-lever moves from ``current`` change someone's E[pay]."""
    grids = lever_grids(ev.params, ev.settings)
    cands = [current[:, None, :].copy()]
    owner = [-1]
    for j, g in enumerate(grids):
        c = np.repeat(current[:, None, :], len(g), axis=1)
        c[:, :, j] = g
        cands.append(c)
        owner += [j] * len(g)
    pay, _ = ev.pay(current, np.concatenate(cands, axis=1))
    owner_arr = np.array(owner)
    scale = 1e-9 * (1.0 + np.abs(pay[:, :1]))
    moved = np.abs(pay - pay[:, :1]) > scale
    return np.array([bool(moved[:, owner_arr == j].any()) for j in range(4)])


def best_response(ev: Evaluator, current: np.ndarray, active: np.ndarray | None = None,
                  thorough: bool = False, fld: Field | None = None
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Levers (n, 4) maximising E[pay] − cost given the others at ``current`` (or facing
    the field ``fld``: a mixed profile, an average of past fields); and the value.

    Exact (no smoothing): the best of the product grid, the natural point and ``current``
    (stay put), refined by a pattern search (3^d neighbourhood, step halving from half a
    grid spacing to ``resolution`` of each lever's range). ``thorough``: the finer
    ``check_grid`` and a pattern search from each of the ``check_starts`` best grid points
    (rank-order pay has narrow peaks a coarse grid can miss) — used to certify regret.
    """
    p, s = ev.params, ev.settings
    n = ev.agents.n
    natural = ev.agents.natural_levers()
    act = active_levers(ev, current) if active is None else active
    if not act.any():
        return natural, ev.objective(current, natural[:, None, :], fld)[:, 0]
    grid = s.check_grid if thorough else s.grid
    grids = lever_grids(p, replace(s, grid=grid))
    on = np.flatnonzero(act)
    combos = np.array(list(itertools.product(*[grids[j] for j in on])))      # (G, d)
    cand = np.repeat(natural[:, None, :], len(combos) + 2, axis=1)
    cand[:, :len(combos), on] = combos[None]
    cand[:, -1, on] = current[:, on]                                          # stay put
    # the grid and the natural point are the same candidates at every call: their
    # row-wise pay is remembered — the coarse grid's always, the certifying grid's (~7x
    # the memory; searched once or twice an equilibrium) for rank-order pay within
    # MEMO_CHECK_BYTES (an absolute scheme certifies once)
    check = thorough and ev.relative
    value = ev.objective(current, cand, fld,
                         stable=len(combos) + 1 if check or not thorough else 0, check=check)
    starts = s.check_starts if thorough else 1
    order = np.argsort(-value, axis=1)[:, :starts]                            # best first
    bounds = p.bounds()
    offsets = np.array(list(itertools.product((-1.0, 0.0, 1.0), repeat=len(on))))
    offsets = offsets[np.any(offsets != 0, axis=1)]                           # centre known
    span = bounds[on, 1] - bounds[on, 0]
    step0 = np.array([(bounds[j, 1] - bounds[j, 0]) / max(grid[j] - 1, 1) / 2 for j in on])
    rounds = int(np.ceil(np.log2(max(float(np.max(step0 / span)) / s.resolution, 1.0)))) + 1
    best_all, value_all = None, None
    for start in range(order.shape[1]):
        pick = order[:, start]
        best = cand[np.arange(n), pick]
        best_value = value[np.arange(n), pick]
        step = step0.copy()
        for step_no in range(rounds):
            near = np.repeat(best[:, None, :], len(offsets), axis=1)
            near[:, :, on] = np.clip(best[:, None, on] + offsets[None] * step,
                                     bounds[on, 0], bounds[on, 1])
            # the coarse search's steps come again every round: each step a slot
            v = ev.objective(current, near, fld, slot=None if thorough else step_no)
            k = np.argmax(v, axis=1)
            better = v[np.arange(n), k] > best_value
            best = np.where(better[:, None], near[np.arange(n), k], best)
            best_value = np.where(better, v[np.arange(n), k], best_value)
            step = step / 2.0
        if best_all is None:
            best_all, value_all = best, best_value
        else:
            take = best_value > value_all
            best_all = np.where(take[:, None], best, best_all)
            value_all = np.where(take, best_value, value_all)
    best, best_value = best_all, value_all
    return best, best_value
