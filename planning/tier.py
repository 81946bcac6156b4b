"""The in-house tier of ``in_house_first`` routing as an M/M/n+G queue, and what it needs.

With in-house-first routing a contact waits up to τ seconds (``overflow_after_s``) for an
in-house agent; after τ the other pools may answer it. Seen from the in-house agents, a
contact leaves their queue by being answered, by abandoning (exponential patience of mean
θ), or by overflowing at τ: an M/M/n+G queue whose "patience" is G = min(patience, τ)
(Zeltyn & Mandelbaum 2005 for M/M/n+G; overflow after a wait with impatient callers:
Barth, Manitz & Stolletz 2010). The stationary offered wait V (the wait of a caller with
infinite patience; Baccelli & Hebuterne 1981) has

    P(V = 0) = E / (E + λJ),   density f(x) = λ·exp(λH(x) − nμx) / (E + λJ)   (x > 0),

with Ḡ(u) = P(G > u), H(x) = ∫₀ˣ Ḡ(u) du, J = ∫₀^∞ exp(λH(x) − nμx) dx and
E = 1 / B(n − 1, a) (Erlang B, a = λ/μ). For G = min(Exp(θ), τ): H(x) = θ(1 − e^{−x/θ})
for x ≤ τ and H(τ) after, so J = ∫₀^τ … dx + exp(λH(τ) − nμτ)/(nμ).
A contact is answered by in-house iff V < G; it abandons in the tier iff patience < min(V,
τ); it overflows iff V > τ and patience > τ. Limits: τ → 0 nobody waits for in-house
(no in-house abandonment); τ → ∞ it is Erlang A (tests/planning/test_tier.py).

The overflow stream λ·P(overflow) goes to the other pools with patience still exponential
(memoryless), modelled as Erlang A on that stream. Assumptions: in-house agents stop
taking a contact once it overflowed (in the simulator they may still take it if the
overflow pools are busy: the model is pessimistic for the in-house tier there), and the
overflow stream is treated as Poisson.

The integral over [0, τ] is a composite Gauss–Legendre rule (8 nodes on 1 to 64 panels per
interval, by how fast the exponent moves; :func:`_panels`) on the stretch where the
integrand can matter (beyond (λθ + 60)/(nμ) it is below e^{−60} of its value at 0).
Exponents are taken relative to their largest value over the nodes and, where the tail
counts, at τ (where arrivals outpace in-house service the density still rises at τ).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planning.chat import chat_capacity
from planning.erlang import log_erlang_b
from planning.requirements import IntervalTargets, Targets, requirements

_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(8)
_PANELS = 64
_HALF_SLOPE = 1.25  # largest change of the exponent over half a panel (see _panels)
_INF_PATIENCE = 1e12  # "no abandonment": θ this large changes nothing below 1e-9


@dataclass(frozen=True)
class TierMetrics:
    """Shares of the offered contacts of the in-house tier, per interval (numpy arrays)."""

    p_wait: np.ndarray  # P(V > 0): every in-house agent busy on arrival
    abandoned: np.ndarray  # hung up while waiting for in-house (before τ)
    answered: np.ndarray  # answered by in-house agents
    overflow: np.ndarray  # still waiting at τ: handed to the other pools
    answered_within: np.ndarray  # answered by in-house within min(within_s, τ)
    wait_answered_s: np.ndarray  # E[V·1{answered by in-house}] in seconds
    occupancy: np.ndarray  # in-house busy share = a·answered / n


def _rule(length: np.ndarray, panels: int = _PANELS) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights (N, panels·8) of the composite rule on [0, length] per row."""
    edges = np.linspace(0.0, 1.0, panels + 1)
    mid = 0.5 * (edges[:-1] + edges[1:])
    half = 0.5 * (edges[1:] - edges[:-1])
    u = (mid[:, None] + half[:, None] * _NODES[None, :]).ravel()
    w = (half[:, None] * _WEIGHTS[None, :]).ravel()
    return length[:, None] * u[None, :], length[:, None] * w[None, :]


def _panels(lam: np.ndarray, nmu: np.ndarray, pat: np.ndarray, length: np.ndarray
            ) -> np.ndarray:
    """Panels per row (a power of two, 1 to 64) so that the exponent λH(x) − nμx changes
    by at most 2·_HALF_SLOPE across a panel. Its slope λe^{−x/θ} − nμ is monotone (H is
    concave), so its largest size sits at an end of [0, length]. 8-point Gauss–Legendre
    integrates e^{s·u} on [−1, 1] to 2e-16 relative for s ≤ 1.5 (4e-14 at 2), so the
    fewer panels change nothing that shows at 1e-12; rows needing more than 64 keep the
    64 of the full rule."""
    slope = np.maximum(np.abs(lam - nmu), np.abs(lam * np.exp(-length / pat) - nmu))
    need = np.maximum(slope * length / (2.0 * _HALF_SLOPE), 1.0)
    return np.minimum(2.0 ** np.ceil(np.log2(need)), float(_PANELS)).astype(np.int64)


def in_house_tier(n: np.ndarray | float, rate_per_hour: np.ndarray | float,
                  aht_s: np.ndarray | float, patience_s: np.ndarray | float,
                  overflow_after_s: np.ndarray | float,
                  within_s: np.ndarray | float = 20.0) -> TierMetrics:
    """Stationary shares of the in-house tier with ``n`` in-house agents on the queue
    (whole numbers ≥ 0), contacts overflowing after ``overflow_after_s`` (inf: never)."""
    arrays = np.broadcast_arrays(n, rate_per_hour, aht_s, patience_s, overflow_after_s,
                                 within_s)
    shape = arrays[0].shape
    n, lam, aht, pat, tau, w = (np.asarray(v, dtype=np.float64).ravel() for v in arrays)
    size = n.size
    out = {k: np.zeros(size) for k in ("p_wait", "abandoned", "answered", "overflow",
                                       "answered_within", "wait_answered_s", "occupancy")}
    lam_s = lam / 3600.0
    pat = np.where(np.isinf(pat), _INF_PATIENCE, pat)
    a = lam_s * aht
    idle = lam_s <= 0
    out["answered"][idle] = 1.0
    out["answered_within"][idle] = 1.0
    none = (n <= 0) & ~idle  # no in-house agent: everyone waits τ, then overflows
    stay = np.exp(-np.minimum(tau[none], 1e300) / pat[none])
    out["p_wait"][none] = 1.0
    out["abandoned"][none] = 1.0 - stay
    out["overflow"][none] = stay
    g = ~idle & ~none
    zero_tau = g & (tau <= 0)  # overflow at once: whoever finds in-house busy moves on
    if zero_tau.any():
        b = np.exp(log_erlang_b(n[zero_tau], a[zero_tau]))
        out["p_wait"][zero_tau] = b
        out["overflow"][zero_tau] = b
        out["answered"][zero_tau] = 1.0 - b
        out["answered_within"][zero_tau] = 1.0 - b
    g &= tau > 0
    if g.any():
        res = _core(n[g], lam_s[g], aht[g], pat[g], tau[g], w[g])
        for k, v in res.items():
            out[k][g] = v
    busy = ~idle & (n > 0)
    out["occupancy"][busy] = a[busy] * out["answered"][busy] / n[busy]
    return TierMetrics(**{k: v.reshape(shape) for k, v in out.items()})


def _core(n: np.ndarray, lam: np.ndarray, aht: np.ndarray, pat: np.ndarray, tau: np.ndarray,
          within: np.ndarray, full: bool = True) -> dict[str, np.ndarray]:
    """n ≥ 1, λ > 0, τ > 0 (per-second rates). ``full=False``: only ``abandoned`` (what
    the staffing search reads), about a third of the work."""
    nmu = n / aht
    cut = (lam * pat + 60.0) / nmu
    length = np.minimum(tau, cut)
    short = np.minimum(np.minimum(within, tau), length)
    panels = _panels(lam, nmu, pat, length)
    reach = tau <= cut  # the integrand still matters at τ: V > τ has weight
    e_tau = lam * pat * -np.expm1(-tau / pat) - nmu * tau
    # the scale of the exponents: the largest of e(x) over the nodes and, where the tail
    # counts, at τ itself (where arrivals outpace service e(x) still rises at τ)
    floor = np.where(reach, np.maximum(e_tau, 0.0), 0.0)
    size = n.size
    top, j_body = np.empty(size), np.empty(size)
    s_gone = np.empty(size)  # Σ ex·(1 − e^{−x/θ}): abandoned while waiting for in-house
    s_keep, s_wait, s_within = np.empty(size), np.empty(size), np.empty(size)
    for p in np.unique(panels):  # rows integrated on the same number of panels together
        rows = np.flatnonzero(panels == p)
        lam_r, pat_r, nmu_r = lam[rows, None], pat[rows, None], nmu[rows, None]
        lp = lam_r * pat_r
        x, wt = _rule(length[rows], int(p))
        gone = -np.expm1(-x / pat_r)
        e = lp * gone - nmu_r * x  # λH(x) − nμx on x ≤ τ
        top_r = np.maximum(e.max(axis=1), floor[rows])
        ex = np.exp(e - top_r[:, None]) * wt
        top[rows], j_body[rows] = top_r, ex.sum(axis=1)
        s_gone[rows] = (ex * gone).sum(axis=1)
        if not full:
            continue
        keep = np.exp(-x / pat_r)  # still patient after x
        s_keep[rows] = (ex * keep).sum(axis=1)
        s_wait[rows] = (ex * keep * x).sum(axis=1)
        # answered within min(within, τ): the same integrand on the shorter stretch
        xs, ws = _rule(short[rows], int(p))
        es = lp * -np.expm1(-xs / pat_r) - nmu_r * xs
        s_within[rows] = (np.exp(es - top_r[:, None]) * ws * np.exp(-xs / pat_r)).sum(axis=1)
    tail = np.where(reach, np.exp(e_tau - top) / nmu, 0.0)
    # λJ·B in logs (B = B(n − 1, a) = 1/E): P(V>0) = λJB / (1 + λJB)
    log_b = log_erlang_b(n - 1.0, lam * aht)
    log_ljb = np.log(lam) + np.log(j_body + tail) + top + log_b
    # f(x) = λ·B·exp(e(x)) / (1 + λJB) = c·exp(e(x) − top)
    c = np.exp(np.log(lam) + log_b + top - np.logaddexp(0.0, log_ljb))
    beyond = c * tail  # P(V > τ)
    stay_tau = np.exp(-tau / pat)
    abandoned = c * s_gone + beyond * (1 - stay_tau)
    if not full:
        return {"abandoned": abandoned}
    p_wait = np.exp(-np.logaddexp(0.0, -log_ljb))
    p0 = 1.0 - p_wait
    return {"p_wait": p_wait, "abandoned": abandoned, "answered": p0 + c * s_keep,
            "overflow": beyond * stay_tau, "answered_within": p0 + c * s_within,
            "wait_answered_s": c * s_wait}


def _abandoned(n: np.ndarray, lam_s: np.ndarray, aht: np.ndarray, pat: np.ndarray,
               tau: float) -> np.ndarray:
    """in_house_tier(...).abandoned for λ > 0 per second, finite patience: the share
    hanging up while waiting for in-house (what the search reads; as in_house_tier)."""
    out = np.zeros(n.shape)
    none = n <= 0
    out[none] = 1.0 - np.exp(-min(tau, 1e300) / pat[none])
    g = ~none & (tau > 0)  # τ = 0: nobody waits for in-house, nobody abandons there
    if g.any():
        out[g] = _core(n[g], lam_s[g], aht[g], pat[g], np.full(int(g.sum()), tau),
                       np.zeros(int(g.sum())), full=False)["abandoned"]
    return out


def in_house_need(rate_per_hour: np.ndarray, aht_s: np.ndarray | float,
                  patience_s: np.ndarray | float, overflow_after_s: float,
                  max_abandoned: float, max_agents: int = 100_000) -> np.ndarray:
    """Fewest in-house agents on the queue (fractional: interpolated between n − 1 and n)
    keeping the share abandoning while waiting for in-house within ``max_abandoned``.

    Abandonment in the tier falls with n (more agents, shorter offered waits), so the
    fewest whole n is where it crosses the cap: bracketed (doubling up from a + 2√a + 3),
    then narrowed by interpolating ln(abandonment) between the bracket's ends, every other
    step bisecting; only the intervals not yet narrowed to one agent are evaluated. 0 where
    there is no load. Where even ``max_agents`` cannot (never with τ < ∞ and a cap > 0),
    returns inf."""
    lam = np.atleast_1d(np.asarray(rate_per_hour, dtype=np.float64))
    aht, pat = (np.broadcast_to(np.asarray(v, dtype=np.float64), lam.shape)
                for v in (aht_s, patience_s))
    out = np.zeros(lam.shape)
    busy = lam > 0
    if not busy.any():
        return out
    lam_b, aht_b = lam[busy] / 3600.0, aht[busy]
    pat_b = np.where(np.isinf(pat[busy]), _INF_PATIENCE, pat[busy])
    tau = float(overflow_after_s)
    log_cap = np.log(max_abandoned) if max_abandoned > 0 else -np.inf

    def ab(idx: np.ndarray, k: np.ndarray) -> np.ndarray:
        return _abandoned(k, lam_b[idx], aht_b[idx], pat_b[idx], tau)

    def gap(v: np.ndarray) -> np.ndarray:  # ln(abandonment / cap): > 0 misses the cap
        return np.log(np.maximum(v, 1e-300)) - log_cap

    a = lam_b * aht_b
    every = np.arange(a.size)
    lo = np.zeros(a.shape)  # fails, or is 0 (then never taken as the answer)
    hi = np.minimum(np.maximum(np.ceil(a + 2.0 * np.sqrt(a) + 3.0), 1.0), max_agents)
    v_lo, v_hi = ab(every, lo), ab(every, hi)  # abandonment at lo and hi
    todo = np.flatnonzero(v_hi > max_abandoned)
    while todo.size:  # hi misses: it becomes lo, hi doubles
        lo[todo], v_lo[todo] = hi[todo], v_hi[todo]
        hi[todo] = np.minimum(hi[todo] * 2.0, max_agents)
        v_hi[todo] = ab(todo, hi[todo])
        todo = todo[(v_hi[todo] > max_abandoned) & (hi[todo] < max_agents)]
    ok_hi = v_hi <= max_abandoned
    todo = np.flatnonzero(ok_hi & (hi - lo > 1))
    step = 0
    while todo.size:
        lo_t, hi_t = lo[todo], hi[todo]
        mid = np.floor(0.5 * (lo_t + hi_t))
        if step % 2 == 0:
            gl, gh = gap(v_lo[todo]), gap(v_hi[todo])
            with np.errstate(invalid="ignore", divide="ignore"):
                guess = np.round(lo_t + (hi_t - lo_t) * gl / (gl - gh))
            mid = np.where(np.isfinite(guess) & (gl > 0), guess, mid)
        mid = np.clip(mid, lo_t + 1.0, hi_t - 1.0)
        v_mid = ab(todo, mid)
        meets = v_mid <= max_abandoned
        hi[todo[meets]], v_hi[todo[meets]] = mid[meets], v_mid[meets]
        lo[todo[~meets]], v_lo[todo[~meets]] = mid[~meets], v_mid[~meets]
        todo = todo[hi[todo] - lo[todo] > 1]
        step += 1
    # hi meets, lo = hi − 1 fails (or is 0): interpolate the crossing between them
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.clip((v_lo - max_abandoned) / (v_lo - v_hi), 0.0, 1.0)
    frac = np.where(hi >= 1.0, hi - 1.0 + np.nan_to_num(share, nan=1.0), 0.0)
    out[busy] = np.where(ok_hi, frac, np.inf)
    return out


@dataclass(frozen=True)
class RoutedNeed:
    """One channel's staffing under in-house-first routing, per interval (on-queue agents,
    fractional): ``in_house`` keeps abandonment while waiting for in-house within its share
    of the cap; ``overflow`` (in in-house agents' working time) answers the contacts that
    overflow at that in-house staffing, ``overflow_rate`` per hour, within the rest."""

    in_house: np.ndarray
    overflow: np.ndarray
    overflow_rate: np.ndarray


def routed_need(rate_per_hour: np.ndarray, aht_s: np.ndarray | float, patience_s: float,
                targets: Targets, overflow_after_s: float, in_house_share: float = 0.8,
                concurrency: int = 1, concurrency_slowdown: float = 0.0) -> RoutedNeed | None:
    """Per-pool requirement of one channel (None without an abandonment cap: then the
    wait for in-house agents has no share of a cap to stay within).

    In-house: the fewest agents with tier abandonment ≤ ``in_house_share`` × cap
    (:func:`in_house_need`; chat on agents × K* session slots, planning.chat). Overflow:
    Erlang A on the overflow stream at that staffing, with patience still exponential,
    targets what is left — abandonment (cap − tier abandonment) / overflow share, service
    level within Y − τ of (X − answered by in-house within min(Y, τ)) / overflow share
    (capped at 99%; none when Y ≤ τ or in-house already gives X)."""
    cap = targets.max_abandon_rate
    if cap is None:
        return None
    rate = np.atleast_1d(np.asarray(rate_per_hour, dtype=np.float64))
    aht = np.broadcast_to(np.asarray(aht_s, dtype=np.float64), rate.shape)
    sessions, hold = 1, aht
    if concurrency > 1:
        c = chat_capacity(1.0, concurrency, concurrency_slowdown)
        sessions, hold = c.sessions, aht * c.session_time_s
    servers = in_house_need(rate, hold, patience_s, overflow_after_s, in_house_share * cap)
    whole = np.ceil(servers - 1e-9)
    t = in_house_tier(whole, rate, hold, patience_s, overflow_after_s, targets.within_s)
    ov_rate = rate * t.overflow
    out = np.zeros(rate.shape)
    busy = ov_rate > 1e-9
    if busy.any():
        share = t.overflow[busy]
        ab = np.clip((cap - t.abandoned[busy]) / share, 1e-3, 1.0)
        sl, within = None, targets.within_s - overflow_after_s
        if targets.service_level is not None and within > 0:
            sl = np.clip((targets.service_level - t.answered_within[busy]) / share, 0.0, 0.99)
        # the overflow targets vary per interval: one search over every interval, each
        # with its own targets (rounded as the per-pair search of earlier versions did:
        # abandonment to 4 decimals, service level to 3, none where it rounds to 0)
        sl_t = None
        if sl is not None:
            sl_t = sl.round(3)
            sl_t = np.where(sl_t > 0, sl_t, np.nan)
        tg = IntervalTargets(service_level=sl_t, within_s=max(within, 0.0),
                             max_abandon_rate=ab.round(4))
        req = requirements(ov_rate[busy], aht[busy], patience_s, tg, concurrency=concurrency,
                           concurrency_slowdown=concurrency_slowdown,
                           with_asa=False).fractional
        out[busy] = req
    return RoutedNeed(servers / sessions, out, ov_rate)
