"""Expected pay of a deviation under rank-order pay, linear in the team size.

A forced ranking pays agent i a band when its ranking value beats the band's edge among the
*others* (Lazear & Rosen 1981: a tournament's prize depends on one's own output against
the others'). Agent i's deviation does not move the others, so everything i needs from the
team is, per noise draw of the others, the k-th best of the others' values and the size of
the block tied with it (``EdgeStats``: O(n) per draw after a sort). Expected pay of a
candidate is then its row-wise pay (scorecard, commission, events) plus the band pay averaged
over the agent's own count-noise draws × the others' draws: own and others' period luck are
independent, so all R × R pairings are used (a lower-variance estimate of the same
expectation than pairing draw r with draw r; its steps are 1/R² of the band pay instead of
1/R, which is what lets best responses settle). No smoothing: the band rule is the rules
engine's (``rules.ranking``: places = ceil(share × n), ties ``split`` or ``all``), and
cap_total / pay_floor apply per pairing, as rules.pay applies them per period.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sim.behavior.pay import RankBand, RankedRows

#: as rules.ranking.TIE_RTOL (sim imports nothing from rules at module level)
TIE_RTOL = 1e-9
#: elements per (agents × candidates × own draws × others' draws) block
BLOCK = 2_000_000


def band_places(share: float, n: int) -> int:
    """ceil(share × n) on the decimal value of ``share`` (rules.ranking.band_size)."""
    from rules.ranking import band_size

    return band_size(share, n)


@dataclass(frozen=True)
class EdgeStats:
    """Per band, per agent and per draw of the others (m, R): the edge among the others
    (their k-th best key; +inf when fewer than k others), how many others are strictly
    better than it, and how many are tied with it."""

    band: RankBand
    places: int
    edge: np.ndarray
    better: np.ndarray
    tied: np.ndarray


@dataclass(frozen=True)
class Field:
    """What an agent faces from the others under rank-order pay: per band the edge
    statistics (n, M) over M columns — the others' noise draws, of one profile or of several
    (a mixed profile, or fictitious play's average of past fields) — each column's tie
    tolerance scale (M,) and probability weight (M,), summing to 1."""

    stats: list[EdgeStats]
    scale: np.ndarray
    weight: np.ndarray


def mix_fields(parts: Sequence[tuple[float, Field]]) -> Field:
    """The mixture of fields with the given probabilities (normalised): the columns of all,
    each weighted by its field's probability × its own weight. The others' play is then
    one of the fields' profiles with that probability (a mixed profile; Brown 1951's
    fictitious play faces the average of past play the same way)."""
    total = sum(w for w, _ in parts)
    first = parts[0][1]
    stats = []
    for b, st in enumerate(first.stats):
        cols = [f.stats[b] for _, f in parts]
        stats.append(EdgeStats(st.band, st.places, np.concatenate([c.edge for c in cols], 1),
                               np.concatenate([c.better for c in cols], 1),
                               np.concatenate([c.tied for c in cols], 1)))
    return Field(stats, np.concatenate([f.scale for _, f in parts]),
                 np.concatenate([w / total * f.weight for w, f in parts]))


def edge_stats(key: np.ndarray, bands: tuple[RankBand, ...]) -> tuple[list[EdgeStats],
                                                                        np.ndarray]:
    """Edges for each agent against the others, from the team's keys (R, m) (smaller =
    better); bottom bands use the negated key. Also each draw's tie tolerance scale (R,)."""
    r, m = key.shape
    scale = np.maximum(1.0, np.max(np.abs(key), axis=1)) if m else np.ones(r)
    tol = (TIE_RTOL * scale)[:, None]
    out = []
    for band in bands:
        kk = key if band.side == "top" else -key
        k = band_places(band.share, m)
        if k == 0:
            continue
        order = np.argsort(kk, axis=1, kind="stable")
        srt = np.take_along_axis(kk, order, axis=1)
        pos = np.empty_like(order)
        np.put_along_axis(pos, order, np.arange(m)[None, :].repeat(r, 0), axis=1)
        if k > m - 1:                     # the others fill fewer places than the band has
            edge = np.full((r, m), np.inf)
            zero = np.zeros((r, m))
            out.append(EdgeStats(band, k, edge.T, zero.T, zero.T))
            continue
        edge = np.where(pos < k, srt[:, k:k + 1], srt[:, k - 1:k])          # (R, m)
        better = np.empty((r, m))
        tied = np.empty((r, m))
        for col in (k - 1, k):            # the edge is one of two values per draw
            e = srt[:, col:col + 1]
            b = (srt < e - tol).sum(axis=1, keepdims=True)
            t = (np.abs(srt - e) <= tol).sum(axis=1, keepdims=True)
            use = edge == e
            better = np.where(use, b, better)
            tied = np.where(use, t, tied)
        better = better - (kk < edge - tol)        # the agent itself is not an "other"
        tied = tied - (np.abs(kk - edge) <= tol)
        out.append(EdgeStats(band, k, edge.T, better.T, tied.T))
    return out, scale


def membership(v: np.ndarray, st: EdgeStats, scale: np.ndarray, ties: str) -> np.ndarray:
    """Band membership (0..1) of candidate keys ``v`` (a, K, R1) of agents ``a`` against
    the others' draws: returns (a, K, R1, R2)."""
    kk = v if st.band.side == "top" else -v
    edge = st.edge[:, None, None, :]
    tol = TIE_RTOL * np.maximum(scale[None, None, None, :], np.abs(kk)[..., None])
    d = kk[..., None] - edge
    with np.errstate(invalid="ignore"):
        inside = d < -tol
        tie = np.abs(d) <= tol
    if ties == "all":
        share = 1.0
    else:
        share = np.clip((st.places - st.better) / (st.tied + 1.0), 0.0, 1.0)[:, None, None, :]
    return inside + tie * share


def mean_membership(v: np.ndarray, st: EdgeStats, scale: np.ndarray, ties: str,
                    weight: np.ndarray | None = None) -> np.ndarray:
    """Band membership of candidate keys ``v`` (n, K, R1) averaged over the others' draws
    (columns, with probabilities ``weight`` (R2,); default equal): (n, K, R1). Per agent
    the others' edges are sorted once, so a candidate costs O(log R2): inside = the weight
    of edges above v + tol, ties = the window |edge − v| ≤ tol, whose weighted shares are
    summed from a cumulative sum. The sorted edges and sums depend on the field alone:
    prepared once per field (:func:`_sorted_field`), not once per candidate chunk."""
    n, r2 = st.edge.shape
    edge, wsum, csum, fmin, fmax, finite = _sorted_field(st, ties, weight)
    smax = float(np.max(scale))
    lookup = _compiled_lookup() if v.ndim == 3 and v.size else None
    if lookup is not None:
        vmin, vmax = float(np.min(v)), float(np.max(v))
        if np.isfinite(vmin) and np.isfinite(vmax):
            # the readable path's numbers below, without its temporaries: the largest
            # tolerance is TIE_RTOL × the largest max(scale, |key|) (rounding is monotone)
            kmin, kmax = (vmin, vmax) if st.band.side == "top" else (-vmax, -vmin)
            lo, hi = min(kmin, fmin), max(kmax, fmax)
            pad = TIE_RTOL * max(smax, abs(kmin), abs(kmax))
            width = (hi - lo) + 4.0 * pad + 2.0
            offset = np.arange(n) * width
            line = np.where(np.isfinite(edge), edge - lo + pad + 1.0, width - 0.5) + offset[:, None]
            sign = 1.0 if st.band.side == "top" else -1.0
            out = lookup(np.ascontiguousarray(v.reshape(n, -1), dtype=float), sign,
                         np.ascontiguousarray(line), wsum, csum, lo, pad, offset, smax,
                         TIE_RTOL)
            return out.reshape(v.shape)
    kk = v if st.band.side == "top" else -v
    return _mean_membership_search(kk, edge, wsum, csum, scale, n, r2, fmin, fmax, finite)


#: prepared fields (``_sorted_field``): a best-response round pays every candidate chunk
#: against the same field, a few fields an equilibrium
_SORTED: dict[tuple[int, str, int], tuple] = {}


def _sorted_field(st: EdgeStats, ties: str, weight: np.ndarray | None) -> tuple:
    """Per agent the others' edges sorted (n, R2), the cumulative weights and weighted tie
    shares (n, R2 + 1), and the finite edges' min, max and values — for the band ``st``
    with the tie rule ``ties`` and column weights ``weight``. Remembered by the identity
    of ``st`` and ``weight`` (both held, so the identities stay theirs): the same numbers
    as computing them at every call."""
    key = (id(st), ties, id(weight))
    hit = _SORTED.get(key)
    if hit is not None and hit[0] is st and hit[1] is weight:
        return hit[2]
    n, r2 = st.edge.shape
    order = np.argsort(st.edge, axis=1, kind="stable")
    edge = np.take_along_axis(st.edge, order, axis=1)
    if ties == "all":
        share = np.ones((n, r2))
    else:
        share = np.clip((st.places - st.better) / (st.tied + 1.0), 0.0, 1.0)
    w = np.full(r2, 1.0 / r2) if weight is None else np.asarray(weight, dtype=float)
    w = w[order]                                                              # (n, R2)
    share = np.take_along_axis(share, order, axis=1) * w
    csum = np.concatenate([np.zeros((n, 1)), np.cumsum(share, axis=1)], axis=1)
    wsum = np.concatenate([np.zeros((n, 1)), np.cumsum(w, axis=1)], axis=1)
    finite = edge[np.isfinite(edge)]
    fmin = float(finite.min()) if finite.size else 0.0
    fmax = float(finite.max()) if finite.size else 0.0
    prepared = (edge, wsum, csum, fmin, fmax, finite)
    if len(_SORTED) >= 16:
        _SORTED.clear()
    _SORTED[key] = (st, weight, prepared)
    return prepared


def _mean_membership_search(kk: np.ndarray, edge: np.ndarray, wsum: np.ndarray,
                            csum: np.ndarray, scale: np.ndarray, n: int, r2: int,
                            fmin: float, fmax: float, finite: np.ndarray) -> np.ndarray:
    """The readable lookup of :func:`mean_membership` (numpy.searchsorted on one line)."""
    tol = TIE_RTOL * np.maximum(float(np.max(scale)), np.abs(kk))
    # one searchsorted for all agents: agent i's edges and keys shifted into their own
    # window [i W, (i + 1) W) of one sorted line (+inf edges to the window's top)
    lo = min(float(np.min(kk)) if kk.size else 0.0, fmin)
    hi = max(float(np.max(kk)) if kk.size else 0.0, fmax)
    pad = float(np.max(tol)) if tol.size else 0.0
    width = (hi - lo) + 4.0 * pad + 2.0
    offset = (np.arange(n) * width)[:, None]
    line = np.where(np.isfinite(edge), edge - lo + pad + 1.0, width - 0.5) + offset   # (n, R2)
    flat_line = line.ravel()
    x = (kk - lo + pad + 1.0) + offset[:, :, None] if kk.ndim == 3 else kk
    x = x.reshape(n, -1)
    t = tol.reshape(n, -1)
    lo_i = np.searchsorted(flat_line, (x - t).ravel(), side="left").reshape(n, -1)
    hi_i = np.searchsorted(flat_line, (x + t).ravel(), side="right").reshape(n, -1)
    base = (np.arange(n) * r2)[:, None]
    lo_i, hi_i = lo_i - base, hi_i - base                     # positions within the agent's row
    rows = np.arange(n)[:, None]
    inside = wsum[:, -1:] - wsum[rows, hi_i]
    tied = csum[rows, hi_i] - csum[rows, lo_i]
    return (inside + tied).reshape(kk.shape)


def _compiled_lookup():
    """sim.behavior.band_lookup.lookup, or None without numba (or when numba cannot load
    it) or when the readable path is asked for (PEAKDESK_KERNEL=python, as for the desk).
    Either gives the same numbers; the compiled one costs 0.15 CPU s of numba's import and
    0.2 s of cache load once a process (a one-off ~3 s compile on a fresh machine)."""
    global _LOOKUP
    if _LOOKUP is None:
        import os

        _LOOKUP = False
        if os.environ.get("PEAKDESK_KERNEL", "auto").strip().lower() != "python":
            try:
                from sim.behavior.band_lookup import lookup
            except Exception:  # noqa: BLE001 - no numba, or no cache it can use: readable
                pass
            else:
                _LOOKUP = lookup
    return _LOOKUP or None


_LOOKUP = None


def expected_ranked_pay(cand: RankedRows, fld: Field, components: bool = True
                        ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """E[total] and E[component] (n, K) of candidate rows (n, K, R1) over own draws × the
    others' draws in the field ``fld`` (see the module docstring). ``components`` False:
    the total alone (the components' means are left out; a best response's objective)."""
    stats, scale, weight = fld.stats, fld.scale, fld.weight
    comps = {name: v.mean(axis=2) for name, v in cand.components.items()} if components \
        else {}
    paid = cand.paid
    if cand.linear or not stats:
        band = np.zeros(cand.key.shape)
        # the keys in one contiguous block for every band's lookup (the same values)
        key = np.ascontiguousarray(cand.key) if len(stats) > 1 else cand.key
        for st in stats:
            band = band + st.band.pay * mean_membership(key, st, scale, cand.ties, weight)
        band = np.where(paid, band, 0.0).mean(axis=2)
        total = np.where(paid, cand.base + cand.variable, 0.0).mean(axis=2)
        if not cand.linear:               # no bands: cap / floor on the own row only
            raw = cand.variable
            var = raw
            if cand.cap_total is not None:
                var = np.minimum(var, cand.cap_total)
            if cand.pay_floor is not None:
                var = np.maximum(var, cand.pay_floor - cand.base)
            total = np.where(paid, cand.base + var, 0.0).mean(axis=2)
            comps["cap"] = np.where(paid, var - raw, 0.0).mean(axis=2)
        comps["ranking"] = band
        return total + band, comps
    # cap / floor: per pairing of own and others' draws, in blocks of agents
    n, k, r1 = cand.key.shape
    r2 = stats[0].edge.shape[1]
    total = np.zeros((n, k))
    ranking = np.zeros((n, k))
    cap = np.zeros((n, k))
    for rows in chunk_agents(n, k * r1 * r2):
        band_sum = 0.0
        for st in stats:
            sub = EdgeStats(st.band, st.places, st.edge[rows], st.better[rows], st.tied[rows])
            band_sum = band_sum + st.band.pay * membership(cand.key[rows], sub, scale,
                                                            cand.ties)
        on = cand.paid[rows][..., None]
        base = cand.base[rows][..., None]
        raw = cand.variable[rows][..., None] + band_sum
        var = raw
        if cand.cap_total is not None:
            var = np.minimum(var, cand.cap_total)
        if cand.pay_floor is not None:
            var = np.maximum(var, cand.pay_floor - base)
        # own draws equally likely, the others' columns with their weights
        total[rows] = (np.where(on, base + var, 0.0) @ weight).mean(axis=2)
        ranking[rows] = (np.where(on, band_sum, 0.0) @ weight).mean(axis=2)
        cap[rows] = (np.where(on, var - raw, 0.0) @ weight).mean(axis=2)
    comps["ranking"], comps["cap"] = ranking, cap
    return total, comps


def chunk_agents(n: int, per_agent: int, block: int = BLOCK) -> list[slice]:
    """Agent slices so that each block has at most ``block`` elements (≥ 1 agent)."""
    step = max(1, block // max(per_agent, 1))
    return [slice(lo, min(n, lo + step)) for lo in range(0, n, step)]
