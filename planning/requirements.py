"""Required agents per interval: the fewest meeting every target at once (SIPP).

For each interval the stationary Erlang A model (Erlang C where patience is infinite) is
solved backwards: the fewest servers n such that service level ≥ X within Y seconds, ASA ≤
target, abandon rate ≤ ceiling and occupancy ≤ cap all hold (Erlang C; Erlang A after
Mandelbaum & Zeltyn 2005; Whitt 2005 on pairing an SL target with an abandonment cap). Every metric is monotone
in n, so one vectorised bisection on "all targets met" finds it; the binding constraint is
the one that fails at n − 1.

The fractional requirement interpolates the binding metric linearly between n − 1 and n,
so that requirements can be summed or averaged over intervals before rounding.
Scheduled headcount = requirement / (1 − shrinkage).

The search starts from bounds known to fail — n < X·a for an SL target and n < a·(1 − ε)
for an abandonment ceiling ε (at most n/a of the offered load can be answered) — rather
than from the offered load a: with abandonment, fewer agents than erlangs can meet a
target.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planning.chat import chat_capacity
from planning.erlang import QueueMetrics, erlang_a
from planning.returns import EffectiveLoad

CONSTRAINTS = ("service_level", "asa", "abandon_rate", "occupancy", "stability")


@dataclass(frozen=True)
class Targets:
    """Service targets of one channel; None means no such target."""

    service_level: float | None = None  # X of "X% answered within Y s" (of offered)
    within_s: float = 20.0  # Y
    max_asa_s: float | None = None
    max_abandon_rate: float | None = None
    max_occupancy: float | None = None

    def any(self) -> bool:
        return any(v is not None for v in (self.service_level, self.max_asa_s,
                                           self.max_abandon_rate, self.max_occupancy))


@dataclass(frozen=True)
class IntervalTargets:
    """Targets that differ per interval (numpy arrays of one length; None: no such target
    in any interval, NaN: none in that interval) — e.g. the overflow pools' share of a
    cap after the in-house tier (planning.tier), searched for all intervals at once."""

    service_level: np.ndarray | None = None
    within_s: np.ndarray | float = 20.0
    max_asa_s: np.ndarray | None = None
    max_abandon_rate: np.ndarray | None = None
    max_occupancy: np.ndarray | None = None

    def any(self) -> bool:
        return any(v is not None for v in (self.service_level, self.max_asa_s,
                                           self.max_abandon_rate, self.max_occupancy))


def _per_interval(targets: Targets | IntervalTargets, size: int) -> IntervalTargets:
    """The targets as float arrays of ``size`` (scalar targets repeated; an array with no
    target left becomes None)."""
    def arr(v: object) -> np.ndarray | None:
        if v is None:
            return None
        out = np.broadcast_to(np.asarray(v, dtype=np.float64), (size,))
        return None if np.isnan(out).all() else out

    within = np.broadcast_to(np.asarray(targets.within_s, dtype=np.float64), (size,))
    return IntervalTargets(arr(targets.service_level), within, arr(targets.max_asa_s),
                           arr(targets.max_abandon_rate), arr(targets.max_occupancy))


def _take(t: IntervalTargets, idx: np.ndarray) -> IntervalTargets:
    def cut(v: np.ndarray | None) -> np.ndarray | None:
        return None if v is None else v[idx]

    return IntervalTargets(cut(t.service_level), t.within_s[idx], cut(t.max_asa_s),
                           cut(t.max_abandon_rate), cut(t.max_occupancy))


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


def _constraint_values(m: QueueMetrics, t: IntervalTargets
                       ) -> dict[str, tuple[np.ndarray, np.ndarray, int]]:
    """metric values, targets (NaN: none in that interval) and sense (+1: higher is
    better) of each constraint some interval has."""
    out: dict[str, tuple[np.ndarray, np.ndarray, int]] = {}
    if t.service_level is not None:
        out["service_level"] = (m.service_level, t.service_level, +1)
    if t.max_asa_s is not None:
        out["asa"] = (m.asa_s, t.max_asa_s, -1)
    if t.max_abandon_rate is not None:
        out["abandon_rate"] = (m.p_abandon, t.max_abandon_rate, -1)
    if t.max_occupancy is not None:
        out["occupancy"] = (m.occupancy, t.max_occupancy, -1)
    return out


def _slack(n: np.ndarray, lam: np.ndarray, aht: np.ndarray, pat: np.ndarray,
           targets: IntervalTargets) -> tuple[np.ndarray, QueueMetrics]:
    """Smallest relative slack over the targets (≥ 0 ⇔ all met; −inf if undefined), and
    the metrics it came from (ASA only when an ASA target needs it)."""
    m = queue_metrics(n, lam, aht, pat, targets.within_s, targets.max_asa_s is not None)
    g = np.full(n.shape, np.inf)
    for values, target, sense in _constraint_values(m, targets).values():
        with np.errstate(invalid="ignore"):
            g = np.minimum(g, np.where(np.isnan(target), np.inf,
                                       sense * (values - target) / np.abs(target)))
    # without abandonment (Erlang C) the queue must also be stable: n > a, with a relative
    # margin so that a load rounded a hair below a whole n (951 − 1e-13) is not "stable"
    unstable = np.isinf(pat) & (n <= lam / 3600.0 * aht * (1.0 + 1e-9))
    return np.where(np.isnan(g) | (n <= 0) | unstable, -np.inf, g), m


def _search(lam: np.ndarray, aht: np.ndarray, pat: np.ndarray,
            targets: IntervalTargets) -> np.ndarray:
    """Fewest servers meeting every target per interval (0 where there is no load).

    Each interval's steps depend on its own data only (the step count is shared, but every
    interval starts at step 0), so searching many intervals — with different targets —
    at once gives each the same answer as searching it alone."""
    a = lam / 3600.0 * aht

    def slack(idx: np.ndarray, n: np.ndarray) -> np.ndarray:
        return _slack(n, lam[idx], aht[idx], pat[idx], _take(targets, idx))[0]

    busy = a > 0

    def below(bound: np.ndarray) -> np.ndarray:
        """Largest whole n strictly below ``bound`` (with a margin for rounding of bound)."""
        return np.ceil(bound * (1.0 - 1e-9)) - 1.0

    def raise_to(lo: np.ndarray, target: np.ndarray | None, bound: np.ndarray) -> np.ndarray:
        """lo raised to ``bound`` where the interval has the target."""
        if target is None:
            return lo
        return np.where(np.isnan(target), lo, np.maximum(lo, bound))

    lo = np.zeros(a.shape)  # a value known to fail (n = 0 fails whenever there is load)
    sl, ab, occ = targets.service_level, targets.max_abandon_rate, targets.max_occupancy
    if sl is not None:
        lo = raise_to(lo, sl, below(sl * a))
    if ab is not None:
        lo = raise_to(lo, ab, np.where(np.isinf(pat), 0.0, below(a * (1.0 - ab))))
    lo = np.where(np.isinf(pat), np.maximum(lo, np.floor(a)), lo)  # Erlang C: n ≤ a unstable
    if occ is not None:
        with np.errstate(invalid="ignore", divide="ignore"):
            lo = np.where(np.isinf(pat), raise_to(lo, occ, below(a / occ)), lo)
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
           targets: Targets | IntervalTargets
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray, IntervalTargets]:
    lam, aht, pat = (np.asarray(v, dtype=np.float64) for v in np.broadcast_arrays(
        rate_per_hour, aht_s, patience_s))
    lam, aht, pat = (np.atleast_1d(v).copy() for v in (lam, aht, pat))
    return lam, aht, pat, _per_interval(targets, lam.size)


def _settle(hint: np.ndarray, lam: np.ndarray, aht: np.ndarray, pat: np.ndarray,
            targets: IntervalTargets) -> np.ndarray:
    """:func:`_search`'s answer, starting from ``hint``: kept where it meets every target
    and one fewer misses one (two evaluations instead of a search), searched elsewhere.
    The answer is the n where the slack turns non-negative — the same n either way, the
    slack being monotone in n (module docstring)."""
    busy = lam / 3600.0 * aht > 0
    n = np.where(busy, np.asarray(hint, dtype=np.float64), 0.0)
    idx = np.flatnonzero(busy & (n >= 1.0))
    if idx.size:
        r = (lam[idx], aht[idx], pat[idx], _take(targets, idx))
        ok = (_slack(n[idx], *r)[0] >= 0) & (_slack(n[idx] - 1.0, *r)[0] < 0)
        redo = np.union1d(idx[~ok], np.flatnonzero(busy & (n < 1.0)))
    else:
        redo = np.flatnonzero(busy)
    if redo.size:
        n[redo] = _search(lam[redo], aht[redo], pat[redo], _take(targets, redo))
    return n


def required_servers(rate_per_hour: np.ndarray, aht_s: np.ndarray, patience_s: np.ndarray,
                     targets: Targets | IntervalTargets, with_asa: bool = True,
                     hint: np.ndarray | None = None
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray, QueueMetrics]:
    """Fewest servers per interval meeting all targets → (n, fractional, binding, metrics).

    ``hint``: servers per interval likely to be the answer (e.g. those of the last step of
    the effective-load fixed point, at nearly the same load): checked, and searched only
    where they are not the answer."""
    if not targets.any():
        raise ValueError("no staffing target given (service level, ASA, abandonment or "
                         "occupancy)")
    lam, aht, pat, tg = _plain(rate_per_hour, aht_s, patience_s, targets)
    need_asa = tg.max_asa_s is not None
    n = _search(lam, aht, pat, tg) if hint is None else _settle(hint, lam, aht, pat, tg)
    metrics = queue_metrics(n, lam, aht, pat, tg.within_s, with_asa=with_asa or need_asa)
    frac, binding = _fractional(n, lam, aht, pat, tg, metrics)
    return n.astype(np.int64), frac, binding, metrics


def servers_and_abandonment(rate_per_hour: np.ndarray, aht_s: np.ndarray,
                            patience_s: np.ndarray, targets: Targets,
                            hint: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(fewest servers n, abandonment at the fractional requirement) per interval — the
    inner solve of the effective-load fixed point (planning.returns).

    The abandonment is interpolated between n − 1 and n where the smallest slack over
    the targets crosses zero, so that it moves continuously with the load (whole agents
    would make the fixed point flip between two states). Where ``hint`` (the previous
    step's servers) still meets every target and one fewer still misses one, it is kept
    after the two metric evaluations the interpolation needs anyway; only the other
    intervals are searched again."""
    lam, aht, pat, tg = _plain(rate_per_hour, aht_s, patience_s, targets)
    busy = lam * aht > 0
    if hint is None:
        n = _search(lam, aht, pat, tg)
    else:
        n = np.where(busy, np.asarray(hint, dtype=np.float64), 0.0)
    g_n, m_n = _slack(n, lam, aht, pat, tg)
    g_b, m_b = _slack(np.maximum(n - 1.0, 0.0), lam, aht, pat, tg)
    redo = np.flatnonzero(busy & ~((g_n >= 0) & (g_b < 0)))
    if redo.size and hint is not None:  # mostly one agent off: step once before searching
        up = g_n[redo] < 0  # n fails: try n + 1 (n is known to fail)
        step = np.where(up, n[redo] + 1.0, np.maximum(n[redo] - 2.0, 0.0))
        r = (lam[redo], aht[redo], pat[redo], _take(tg, redo))
        g_s, m_s = _slack(step, *r)
        # up: n + 1 meets ⇒ it is the answer (bracketed by the failing n);
        # down: n − 1 meets (g_b ≥ 0) and n − 2 fails ⇒ n − 1 is the answer
        ok = np.where(up, g_s >= 0, (g_s < 0) & (n[redo] >= 2.0))
        done = redo[ok]
        g_up = np.where(up, g_s, g_b[redo])
        p_up = np.where(up, m_s.p_abandon, m_b.p_abandon[redo])
        g_lo = np.where(up, g_n[redo], g_s)
        p_lo = np.where(up, m_n.p_abandon[redo], m_s.p_abandon)
        n[done] = np.where(up, n[redo] + 1.0, n[redo] - 1.0)[ok]
        g_n = g_n.copy()
        g_n[done], g_b[done] = g_up[ok], g_lo[ok]
        p_n0, p_b0 = m_n.p_abandon.copy(), m_b.p_abandon.copy()
        p_n0[done], p_b0[done] = p_up[ok], p_lo[ok]
        m_n = QueueMetrics(m_n.p_wait, p_n0, m_n.service_level, m_n.asa_s, m_n.occupancy)
        m_b = QueueMetrics(m_b.p_wait, p_b0, m_b.service_level, m_b.asa_s, m_b.occupancy)
        redo = redo[~ok]
    if redo.size:
        r = (lam[redo], aht[redo], pat[redo], _take(tg, redo))
        n[redo] = _search(*r)
        g_n[redo], m = _slack(n[redo], *r)
        p_n = m_n.p_abandon.copy()
        p_n[redo] = m.p_abandon
        g_b[redo], m = _slack(np.maximum(n[redo] - 1.0, 0.0), *r)
        p_b = m_b.p_abandon.copy()
        p_b[redo] = m.p_abandon
    else:
        p_n, p_b = m_n.p_abandon, m_b.p_abandon
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(np.isfinite(g_b), -g_b / (g_n - g_b), 1.0)
    share = np.clip(np.nan_to_num(share, nan=1.0), 0.0, 1.0)
    p_ab = np.where(n > 1.0, p_b + share * (p_n - p_b), p_n)
    return n, np.where(busy, np.nan_to_num(p_ab, nan=1.0), 0.0)


def _fractional(n: np.ndarray, lam: np.ndarray, aht: np.ndarray, pat: np.ndarray,
                targets: IntervalTargets,
                at_n: QueueMetrics) -> tuple[np.ndarray, np.ndarray]:
    """Binding constraint (fails at n − 1) and the interpolated fractional requirement."""
    below = np.maximum(n - 1.0, 0.0)
    at_below = queue_metrics(below, lam, aht, pat, targets.within_s,
                             with_asa=targets.max_asa_s is not None)
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
        fails_below = ((~(sense * (v_b - target) >= 0) | (below <= 0)) & (n > 0)
                       & ~np.isnan(target))
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
                 patience_s: float | np.ndarray, targets: Targets | IntervalTargets, *,
                 concurrency: int = 1,
                 concurrency_slowdown: float = 0.0, shrinkage: float = 0.0,
                 with_asa: bool = True, hint: np.ndarray | None = None) -> Requirement:
    """Agents needed per interval for one channel; chat via virtual servers (planning.chat).

    ``aht_s`` is the mean time one contact occupies an agent at concurrency 1 (handle time
    plus after-contact work). ``patience_s`` = inf gives Erlang C. ``with_asa=False`` skips
    the ASA at the requirement (NaN there) unless an ASA target needs it — the ASA series
    is the costliest part of the metrics. ``targets`` may differ per interval
    (:class:`IntervalTargets`): one search for all intervals, each with its own.
    ``hint``: likely servers (virtual servers for chat) per interval
    (:func:`required_servers`).
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
                                                               with_asa=with_asa, hint=hint)
    agents = np.ceil(servers / sessions - 1e-12).astype(np.int64)
    frac = frac_servers / sessions
    if sessions > 1:
        metrics = queue_metrics(agents * float(sessions), rate, aht, pat,
                                np.broadcast_to(np.asarray(targets.within_s, np.float64),
                                                rate.shape),
                                with_asa or targets.max_asa_s is not None)
    sched_frac = frac / (1.0 - shrinkage)
    scheduled = np.ceil(agents / (1.0 - shrinkage) - 1e-9).astype(np.int64)
    return Requirement(agents=agents, fractional=frac, binding=binding, metrics=metrics,
                       scheduled=scheduled, scheduled_fractional=sched_frac,
                       sessions_per_agent=sessions)
