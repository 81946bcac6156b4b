"""Frozen reference: the per-pair staffing search and the in-house tier as they stood
before the vectorised per-interval-target search (commit 88b319a, planning/requirements.py
and planning/tier.py, copied verbatim apart from imports). tests/planning/test_tier_fast.py
and benchmarks/bench_routed.py check the new path against it: the same fractional
requirements. Not used by the package."""

# ruff: noqa
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planning.chat import chat_capacity
from planning.erlang import QueueMetrics, erlang_a, log_erlang_b
from planning.requirements import Targets
from planning.returns import EffectiveLoad

#: True: the tier's tail scale as fixed with the faster core (``top`` also covers e(τ):
#: before, where arrivals outpace service the integrand still rises at τ and the tail
#: P(V > τ) was cut by exp(e(τ) − max over the nodes), up to ~1% of the overflow share).
#: False: the numbers exactly as they were.
TAIL_FIX = True

CONSTRAINTS = ("service_level", "asa", "abandon_rate", "occupancy", "stability")


@dataclass(frozen=True)
class Requirement:
    """Requirement per interval (numpy arrays of equal length)."""

    agents: np.ndarray  # int: fewest agents meeting all targets
    fractional: np.ndarray  # float: before rounding (binding metric interpolated)
    binding: np.ndarray  # str: the constraint that needs the last agent ("none" if no load)
    metrics: QueueMetrics  # performance at `agents`
    scheduled: np.ndarray  # int: agents to schedule after shrinkage
    scheduled_fractional: np.ndarray  # float: fractional / (1 − shrinkage)
    sessions_per_agent: int = 1  # chat: concurrent sessions used for staffing
    # arrivals staffed for, by origin (first attempts, redials, repeats; planning.returns)
    load: EffectiveLoad | None = None
    staffed_rate: np.ndarray | None = None  # arrivals/h the queue model saw (MOL: lagged)


def queue_metrics(servers: np.ndarray, rate_per_hour: np.ndarray, aht_s: np.ndarray,
                  patience_s: np.ndarray, within_s: np.ndarray,
                  with_asa: bool = True, with_sl: bool = True) -> QueueMetrics:
    """Erlang A metrics (Erlang C where patience is inf) for ``servers`` per interval."""
    return erlang_a(servers, rate_per_hour, aht_s, patience_s, within_s, with_asa=with_asa,
                    with_sl=with_sl)


def _constraint_values(m: QueueMetrics, t: Targets) -> dict[str, tuple[np.ndarray, float, int]]:
    """metric values, target and sense (+1: higher is better) of each active constraint."""
    out: dict[str, tuple[np.ndarray, float, int]] = {}
    if t.service_level is not None:
        out["service_level"] = (m.service_level, t.service_level, +1)
    if t.max_asa_s is not None:
        out["asa"] = (m.asa_s, t.max_asa_s, -1)
    if t.max_abandon_rate is not None:
        out["abandon_rate"] = (m.p_abandon, t.max_abandon_rate, -1)
    if t.max_occupancy is not None:
        out["occupancy"] = (m.occupancy, t.max_occupancy, -1)
    return out


def _slack(n: np.ndarray, lam: np.ndarray, aht: np.ndarray, pat: np.ndarray, t: np.ndarray,
           targets: Targets) -> tuple[np.ndarray, QueueMetrics]:
    """Smallest relative slack over the targets (≥ 0 ⇔ all met; −inf if undefined), and
    the metrics it came from (ASA only when an ASA target needs it)."""
    m = queue_metrics(n, lam, aht, pat, t, targets.max_asa_s is not None)
    g = np.full(n.shape, np.inf)
    for values, target, sense in _constraint_values(m, targets).values():
        with np.errstate(invalid="ignore"):
            g = np.minimum(g, sense * (values - target) / abs(target))
    # without abandonment (Erlang C) the queue must also be stable: n > a, with a relative
    # margin so that a load rounded a hair below a whole n (951 − 1e-13) is not "stable"
    unstable = np.isinf(pat) & (n <= lam / 3600.0 * aht * (1.0 + 1e-9))
    return np.where(np.isnan(g) | (n <= 0) | unstable, -np.inf, g), m


def _search(lam: np.ndarray, aht: np.ndarray, pat: np.ndarray, t: np.ndarray,
            targets: Targets) -> np.ndarray:
    """Fewest servers meeting every target per interval (0 where there is no load)."""
    a = lam / 3600.0 * aht

    def slack(idx: np.ndarray, n: np.ndarray) -> np.ndarray:
        return _slack(n, lam[idx], aht[idx], pat[idx], t[idx], targets)[0]

    busy = a > 0

    def below(bound: np.ndarray) -> np.ndarray:
        """Largest whole n strictly below ``bound`` (with a margin for rounding of bound)."""
        return np.ceil(bound * (1.0 - 1e-9)) - 1.0

    lo = np.zeros(a.shape)  # a value known to fail (n = 0 fails whenever there is load)
    if targets.service_level is not None:
        lo = np.maximum(lo, below(targets.service_level * a))
    if targets.max_abandon_rate is not None:
        lo = np.maximum(lo, np.where(np.isinf(pat), 0.0,
                                     below(a * (1.0 - targets.max_abandon_rate))))
    lo = np.where(np.isinf(pat), np.maximum(lo, np.floor(a)), lo)  # Erlang C: n ≤ a unstable
    if targets.max_occupancy is not None:
        lo = np.where(np.isinf(pat), np.maximum(lo, below(a / targets.max_occupancy)), lo)
    lo = np.maximum(lo, 0.0)
    hi = np.maximum(lo + 1.0, np.ceil(a + 2.0 * np.sqrt(a) + 3.0))
    n = np.zeros(a.shape)
    idx = np.flatnonzero(busy)
    lo_b, hi_b = lo[idx], hi[idx]
    g_lo = slack(idx, lo_b)
    g_hi = slack(idx, hi_b)
    # grow hi until it meets the targets (doubling the bracket)
    todo = np.flatnonzero(g_hi < 0)
    while todo.size:
        width = hi_b[todo] - lo_b[todo]
        lo_b[todo], g_lo[todo] = hi_b[todo], g_hi[todo]
        hi_b[todo] = hi_b[todo] + 2.0 * width
        g_hi[todo] = slack(idx[todo], hi_b[todo])
        todo = todo[g_hi[todo] < 0]
    # lo fails, hi meets: interpolate on the slack (regula falsi), every other step bisect
    todo = np.flatnonzero(hi_b - lo_b > 1.0)
    step = 0
    while todo.size:
        lo_t, hi_t, gl, gh = lo_b[todo], hi_b[todo], g_lo[todo], g_hi[todo]
        mid = np.floor((lo_t + hi_t) / 2.0)
        if step % 2 == 0:
            with np.errstate(invalid="ignore", divide="ignore"):
                guess = lo_t + np.round((hi_t - lo_t) * (-gl) / (gh - gl))
            mid = np.where(np.isfinite(guess), guess, mid)
        mid = np.clip(mid, lo_t + 1.0, hi_t - 1.0)
        g_mid = slack(idx[todo], mid)
        good = g_mid >= 0
        hi_b[todo[good]], g_hi[todo[good]] = mid[good], g_mid[good]
        lo_b[todo[~good]], g_lo[todo[~good]] = mid[~good], g_mid[~good]
        todo = todo[hi_b[todo] - lo_b[todo] > 1.0]
        step += 1
    n[idx] = hi_b
    return n


def _plain(rate_per_hour: np.ndarray, aht_s: np.ndarray, patience_s: np.ndarray,
           within_s: float | np.ndarray) -> tuple[np.ndarray, ...]:
    lam, aht, pat, t = (np.asarray(v, dtype=np.float64) for v in np.broadcast_arrays(
        rate_per_hour, aht_s, patience_s, within_s))
    return tuple(np.atleast_1d(v).copy() for v in (lam, aht, pat, t))


def required_servers(rate_per_hour: np.ndarray, aht_s: np.ndarray, patience_s: np.ndarray,
                     targets: Targets, with_asa: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                QueueMetrics]:
    """Fewest servers per interval meeting all targets → (n, fractional, binding, metrics)."""
    if not targets.any():
        raise ValueError("no staffing target given (service level, ASA, abandonment or "
                         "occupancy)")
    lam, aht, pat, t = _plain(rate_per_hour, aht_s, patience_s, targets.within_s)
    need_asa = targets.max_asa_s is not None
    n = _search(lam, aht, pat, t, targets)
    metrics = queue_metrics(n, lam, aht, pat, t, with_asa=with_asa or need_asa)
    frac, binding = _fractional(n, lam, aht, pat, t, targets, metrics)
    return n.astype(np.int64), frac, binding, metrics


def _fractional(n: np.ndarray, lam: np.ndarray, aht: np.ndarray, pat: np.ndarray,
                t: np.ndarray, targets: Targets,
                at_n: QueueMetrics) -> tuple[np.ndarray, np.ndarray]:
    """Binding constraint (fails at n − 1) and the interpolated fractional requirement."""
    below = np.maximum(n - 1.0, 0.0)
    at_below = queue_metrics(below, lam, aht, pat, t, with_asa=targets.max_asa_s is not None)
    frac = np.zeros(n.shape)
    binding = np.full(n.shape, "none", dtype=object)
    best = np.full(n.shape, -np.inf)
    cons_n = _constraint_values(at_n, targets)
    cons_b = _constraint_values(at_below, targets)
    for name in CONSTRAINTS:
        if name not in cons_n:
            continue
        v_n, target, sense = cons_n[name]
        v_b = cons_b[name][0]
        fails_below = (~(sense * (v_b - target) >= 0) | (below <= 0)) & (n > 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = (sense * (target - v_b)) / (sense * (v_n - v_b))
        share = np.where(np.isfinite(share), np.clip(share, 0.0, 1.0), 1.0)
        f = np.where(fails_below, below + share, -np.inf)
        take = f > best
        best = np.where(take, f, best)
        binding = np.where(take, name, binding)
    # Erlang C needs n > a whatever the targets; its fractional requirement is a itself.
    a = lam / 3600.0 * aht
    unstable_below = np.isinf(pat) & (below <= a * (1.0 + 1e-9)) & (n > 0)  # as _slack
    take = unstable_below & (a > best)
    best = np.where(take, np.maximum(a, below), best)
    binding = np.where(take, "stability", binding)
    frac = np.where(np.isfinite(best), best, 0.0)
    return frac, binding


def requirements(rate_per_hour: np.ndarray, aht_s: float | np.ndarray,
                 patience_s: float | np.ndarray, targets: Targets, *, concurrency: int = 1,
                 concurrency_slowdown: float = 0.0, shrinkage: float = 0.0,
                 with_asa: bool = True) -> Requirement:
    """Agents needed per interval for one channel; chat via virtual servers (planning.chat).

    ``aht_s`` is the mean time one contact occupies an agent at concurrency 1 (handle time
    plus after-contact work). ``patience_s`` = inf gives Erlang C. ``with_asa=False`` skips
    the ASA at the requirement (NaN there) unless an ASA target needs it — the ASA series
    is the costliest part of the metrics.
    """
    if not 0.0 <= shrinkage < 1.0:
        raise ValueError("shrinkage must be in [0, 1)")
    rate = np.atleast_1d(np.asarray(rate_per_hour, dtype=np.float64))
    aht = np.broadcast_to(np.asarray(aht_s, dtype=np.float64), rate.shape)
    pat = np.broadcast_to(np.asarray(patience_s, dtype=np.float64), rate.shape)
    sessions = 1
    if concurrency > 1:
        # per-session time at K* sessions; every aht value shares the same slowdown factor
        cap = chat_capacity(1.0, concurrency, concurrency_slowdown)
        sessions = cap.sessions
        aht = aht * cap.session_time_s
    servers, frac_servers, binding, metrics = required_servers(rate, aht, pat, targets,
                                                               with_asa=with_asa)
    agents = np.ceil(servers / sessions - 1e-12).astype(np.int64)
    frac = frac_servers / sessions
    if sessions > 1:
        metrics = queue_metrics(agents * float(sessions), rate, aht, pat,
                                np.full(rate.shape, targets.within_s),
                                with_asa or targets.max_asa_s is not None)
    sched_frac = frac / (1.0 - shrinkage)
    scheduled = np.ceil(agents / (1.0 - shrinkage) - 1e-9).astype(np.int64)
    return Requirement(agents=agents, fractional=frac, binding=binding, metrics=metrics,
                       scheduled=scheduled, scheduled_fractional=sched_frac,
                       sessions_per_agent=sessions)


# ---- planning/tier.py
_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(8)
_PANELS = 64
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


def _rule(length: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights (N, panels·8) of the composite rule on [0, length] per row."""
    edges = np.linspace(0.0, 1.0, _PANELS + 1)
    mid = 0.5 * (edges[:-1] + edges[1:])
    half = 0.5 * (edges[1:] - edges[:-1])
    u = (mid[:, None] + half[:, None] * _NODES[None, :]).ravel()
    w = (half[:, None] * _WEIGHTS[None, :]).ravel()
    return length[:, None] * u[None, :], length[:, None] * w[None, :]


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
          within: np.ndarray) -> dict[str, np.ndarray]:
    """n ≥ 1, λ > 0, τ > 0 (per-second rates)."""
    nmu = n / aht

    def expo(x: np.ndarray) -> np.ndarray:  # λH(x) − nμx on x ≤ τ
        return lam[:, None] * pat[:, None] * -np.expm1(-x / pat[:, None]) - nmu[:, None] * x

    cut = (lam * pat + 60.0) / nmu
    length = np.minimum(tau, cut)
    x, wt = _rule(length)
    e = expo(x)
    keep = np.exp(-x / pat[:, None])  # still patient after x
    top = np.maximum(e.max(axis=1), 0.0)  # scale: exponents relative to the largest
    if TAIL_FIX:  # the one change: the scale also covers e(τ) where the tail counts
        reach_ = tau <= cut
        e_tau_ = lam * pat * -np.expm1(-tau / pat) - nmu * tau
        top = np.maximum(top, np.where(reach_, np.maximum(e_tau_, 0.0), 0.0))
    ex = np.exp(e - top[:, None]) * wt
    j_body = ex.sum(axis=1)
    reach = tau <= cut  # the integrand still matters at τ: V > τ has weight
    e_tau = expo(tau[:, None])[:, 0]
    tail = np.where(reach, np.exp(np.minimum(e_tau - top, 0.0)) / nmu, 0.0)
    # λJ·B in logs (B = B(n − 1, a) = 1/E): P(V>0) = λJB / (1 + λJB)
    log_b = log_erlang_b(n - 1.0, lam * aht)
    log_ljb = np.log(lam) + np.log(j_body + tail) + top + log_b
    p_wait = np.exp(-np.logaddexp(0.0, -log_ljb))
    # f(x) = λ·B·exp(e(x)) / (1 + λJB) = c·exp(e(x) − top)
    c = np.exp(np.log(lam) + log_b + top - np.logaddexp(0.0, log_ljb))
    beyond = c * tail  # P(V > τ)
    stay_tau = np.exp(-tau / pat)
    answered_wait = c * (ex * keep).sum(axis=1)
    abandoned = c * (ex * -np.expm1(-x / pat[:, None])).sum(axis=1) + beyond * (1 - stay_tau)
    waited = c * (ex * keep * x).sum(axis=1)
    # answered within min(within, τ): the same integrand on the shorter stretch
    short = np.minimum(np.minimum(within, tau), length)
    xs, ws = _rule(short)
    within_wait = c * (np.exp(expo(xs) - top[:, None]) * ws * np.exp(-xs / pat[:, None])
                       ).sum(axis=1)
    p0 = 1.0 - p_wait
    return {"p_wait": p_wait, "abandoned": abandoned, "answered": p0 + answered_wait,
            "overflow": beyond * stay_tau, "answered_within": p0 + within_wait,
            "wait_answered_s": waited}


def in_house_need(rate_per_hour: np.ndarray, aht_s: np.ndarray | float,
                  patience_s: np.ndarray | float, overflow_after_s: float,
                  max_abandoned: float, max_agents: int = 100_000) -> np.ndarray:
    """Fewest in-house agents on the queue (fractional: interpolated between n − 1 and n)
    keeping the share abandoning while waiting for in-house within ``max_abandoned``.

    Abandonment in the tier falls with n (more agents, shorter offered waits), so a
    bisection on whole n finds the fewest; 0 where there is no load. Where even
    ``max_agents`` cannot (never with τ < ∞ and a cap > 0), returns inf."""
    lam = np.atleast_1d(np.asarray(rate_per_hour, dtype=np.float64))
    aht, pat = (np.broadcast_to(np.asarray(v, dtype=np.float64), lam.shape)
                for v in (aht_s, patience_s))
    out = np.zeros(lam.shape)
    busy = lam > 0
    if not busy.any():
        return out
    lam_b, aht_b, pat_b = lam[busy], aht[busy], pat[busy]

    def ab(k: np.ndarray) -> np.ndarray:
        return in_house_tier(k, lam_b, aht_b, pat_b, overflow_after_s).abandoned

    lo = np.zeros(lam_b.shape)  # ab(lo) may meet: checked below
    hi = np.maximum(np.ceil(lam_b / 3600.0 * aht_b * 2.0 + 10.0), 1.0)
    while True:
        bad = ab(hi) > max_abandoned
        if not bad.any() or hi.max() >= max_agents:
            break
        hi = np.where(bad, np.minimum(hi * 2.0, max_agents), hi)
    ok_hi = ab(hi) <= max_abandoned
    while np.any(hi - lo > 1):
        mid = np.floor(0.5 * (lo + hi))
        meets = ab(mid) <= max_abandoned
        hi = np.where(meets, mid, hi)
        lo = np.where(meets, lo, mid)
    # hi meets, hi − 1 fails (or hi = 0 meets): interpolate the crossing
    a_hi, a_lo = ab(hi), ab(np.maximum(hi - 1.0, 0.0))
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.clip((a_lo - max_abandoned) / (a_lo - a_hi), 0.0, 1.0)
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
        # the overflow targets vary per interval: one staffing search per distinct pair
        req = np.zeros(share.shape)
        keys = np.stack([ab.round(4), (sl if sl is not None else np.zeros(ab.shape)).round(3)])
        uniq, inv = np.unique(keys, axis=1, return_inverse=True)
        for k in range(uniq.shape[1]):
            rows = inv.ravel() == k
            tg = Targets(service_level=float(uniq[1, k]) if sl is not None and uniq[1, k] > 0
                         else None, within_s=max(within, 0.0),
                         max_abandon_rate=float(uniq[0, k]))
            r = requirements(ov_rate[busy][rows], aht[busy][rows], patience_s, tg,
                             concurrency=concurrency,
                             concurrency_slowdown=concurrency_slowdown, with_asa=False)
            req[rows] = r.fractional
        out[busy] = req
    return RoutedNeed(servers / sessions, out, ov_rate)
