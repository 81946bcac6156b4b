"""Frozen reference: the effective-load fixed point and the channel requirements one
demand scenario at a time, and Erlang A's short-window service-level quadrature as numpy
arrays, as they stood before the cases were computed together and the quadrature compiled
(commit 21afc93: planning/returns.py, planning/channel.py and planning/erlang.py, copied
verbatim apart from imports; and scenarios/adapters/to_mix.py's requirement_cases).
tests/planning/test_requirements_together.py, tests/scenarios/test_requirement_cases_ahead.py and
benchmarks/bench_requirement_cases.py check the new path against it: the same numbers bit
for bit. Not used by the package."""

# ruff: noqa
from __future__ import annotations

from dataclasses import replace

import numpy as np
from scipy import special

from planning.channel import ChannelStaffing, staffing_rates
from planning.chat import chat_capacity
from planning.erlang import _GL_NODES, _GL_WEIGHTS, _TINY, log_scaled_gamma
from planning.requirements import Requirement, requirements, servers_and_abandonment
from planning.returns import Delay, EffectiveLoad, Returns, _QUAD

METHODS = ("sipp", "mol")


def landing_shares(delay: Delay, interval_s: float, offset_s: float, n: int,
                   mass: float = 1.0 - 1e-9) -> np.ndarray:
    """Share of the returns originating in one interval that land k = 0, 1, … intervals
    later: a source uniform over the interval, shifted by ``offset_s`` (arrival to the
    return's origin: the wait, plus the handle time for a repeat) and by the delay.
    At most ``n`` entries; the tail past ``mass`` is dropped (it is beyond any horizon
    that matters, as the simulator drops returns after the horizon)."""
    L = interval_s
    u = (np.arange(_QUAD) + 0.5) / _QUAD * L  # source position inside the interval

    step = delay.dist == "deterministic" or (delay.dist != "exponential" and delay.cv == 0)

    def reach(x: float) -> float:
        """P(source + offset + delay < x) averaged over the source position (exact for a
        fixed delay: the uniform source's cdf)."""
        if step:
            return float(np.clip((x - offset_s - delay.mean_s) / L, 0.0, 1.0))
        return float(delay.cdf(x - offset_s - u).mean())

    out: list[float] = []
    prev = 0.0
    for k in range(n):
        cur = reach((k + 1) * L)
        out.append(cur - prev)
        prev = cur
        if cur >= mass:
            break
    return np.asarray(out, dtype=np.float64)


def _spread(counts: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Returns from each interval spread over the following ones (lost past the end)."""
    if shares.size == 0 or not counts.any():
        return np.zeros_like(counts)
    return np.convolve(counts, shares)[: counts.size]


def effective_load(first: np.ndarray, returns: Returns, interval_s: float,
                   abandon: AbandonAtRequirement, aht_s: float | np.ndarray = 0.0,
                   wait_s: float = 0.0, tol: float = 1e-4, max_iter: int = 60
                   ) -> EffectiveLoad:
    """The fixed point λ = λ₀ + redials(λ) + repeats(λ) (module docstring).

    ``abandon(λ)`` gives P_ab per interval at the staffing the requirement gives for λ.
    ``aht_s`` (time an agent holds the contact) and ``wait_s`` shift the returns' origin:
    a redial starts from the abandonment (≈ the wait), a repeat from the contact's end.
    Stops when no interval's arrivals move by more than ``tol`` × (1 + λ) per hour (a
    hundredth of a percent by default: staffing resolves whole agents, far coarser).
    """
    first = np.asarray(first, dtype=np.float64)
    zeros = np.zeros_like(first)
    if not returns.active or not first.any():
        return EffectiveLoad(first, zeros, zeros.copy())
    n = first.size
    aht = float(np.mean(aht_s))
    k_red = (landing_shares(returns.retrial_delay, interval_s, wait_s, n)
             if returns.retrial_p > 0 else np.zeros(0))
    unresolved = returns.repeat_p * (1.0 - np.asarray(returns.fcr, dtype=np.float64))
    k_rep = (landing_shares(returns.repeat_delay, interval_s, wait_s + aht, n)
             if np.any(unresolved > 0) else np.zeros(0))
    lam = first.copy()
    red = rep = zeros
    change = np.inf
    it = 0
    converged = False
    while it < max_iter:
        it += 1
        p_ab = np.clip(np.nan_to_num(abandon(lam), nan=0.0), 0.0, 1.0)
        red = _spread(returns.retrial_p * p_ab * lam, k_red)
        rep = _spread(unresolved * (1.0 - p_ab) * lam, k_rep)
        new = first + red + rep
        step = np.abs(new - lam)
        change = float(step.max())
        lam = new
        if np.all(step <= tol * (1.0 + lam)):
            converged = True
            break
    return EffectiveLoad(first, red, rep, it, converged, change)


def channel_load(rates: np.ndarray, spec: ChannelStaffing, aht: np.ndarray,
                 interval_s: float, method: str = "sipp") -> EffectiveLoad:
    """Effective arrivals of one channel: the fixed point of planning.returns with the
    abandonment of the staffing this module's requirement gives (the stationary Erlang A
    of each interval, chat on agents × K* virtual servers)."""
    first = np.asarray(rates, dtype=np.float64)
    if spec.returns is None or not spec.returns.active:
        z = np.zeros_like(first)
        return EffectiveLoad(first, z, z.copy())
    cap = chat_capacity(1.0, spec.concurrency, spec.concurrency_slowdown)
    hold = np.broadcast_to(np.asarray(aht, dtype=np.float64) * cap.session_time_s,
                           first.shape)
    pat = np.full(first.shape, spec.patience_s)
    last: dict[str, np.ndarray] = {}

    def abandon(lam: np.ndarray) -> np.ndarray:
        staff = staffing_rates(lam, hold, interval_s, method)
        # chat: virtual servers (session slots); the abandonment at the fractional
        # requirement moves continuously with the load (whole agents would give a little
        # less, ⌈n/K*⌉·K* slots: the redials are then slightly overstated)
        if not last:
            last["n"], last["p"] = servers_and_abandonment(staff, hold, pat, spec.targets)
            last["staff"] = staff
            return last["p"]
        # only intervals whose load moved re-evaluate (the others' abandonment is as is)
        moved = np.flatnonzero(np.abs(staff - last["staff"]) > 1e-7 * (1.0 + staff))
        if moved.size:
            n, p = servers_and_abandonment(staff[moved], hold[moved], pat[moved],
                                           spec.targets, last["n"][moved])
            last["n"][moved], last["p"][moved] = n, p
            last["staff"][moved] = staff[moved]
        return last["p"]

    return effective_load(first, spec.returns, interval_s, abandon, aht_s=hold,
                          wait_s=spec.targets.within_s)


def channel_requirements(rates_per_hour: dict[str, np.ndarray],
                         channels: dict[str, ChannelStaffing], shrinkage: float,
                         aht_by_interval: dict[str, np.ndarray] | None = None,
                         interval_s: float | None = None, method: str = "sipp"
                         ) -> dict[str, Requirement]:
    """Requirement per interval for every channel.

    ``aht_by_interval`` optionally overrides a channel's AHT per interval (e.g. longer
    contacts during a promotion event). ``interval_s`` (the interval length) is needed for
    redials / repeat contacts and for ``method="mol"``; without returns and with SIPP the
    result is the plain per-interval requirement at the first-attempt arrivals.
    """
    if method not in METHODS:
        raise ValueError(f"unknown staffing method {method!r} (expected one of {METHODS})")
    out: dict[str, Requirement] = {}
    for name, spec in channels.items():
        aht = spec.aht_s
        if aht_by_interval and name in aht_by_interval:
            aht = aht_by_interval[name]
        first = np.atleast_1d(np.asarray(rates_per_hour[name], dtype=np.float64))
        aht_arr = np.broadcast_to(np.asarray(aht, dtype=np.float64), first.shape)
        load = None
        rate = first
        if interval_s is not None and spec.returns is not None and spec.returns.active:
            load = channel_load(first, spec, aht_arr, interval_s, method)
            rate = load.total
        staff = rate
        if interval_s is not None and method != "sipp":
            staff = staffing_rates(rate, aht_arr * spec.session_factor, interval_s, method)
        req = requirements(staff, aht, spec.patience_s, spec.targets,
                           concurrency=spec.concurrency,
                           concurrency_slowdown=spec.concurrency_slowdown,
                           shrinkage=shrinkage)
        if load is None:
            z = np.zeros_like(first)
            load = EffectiveLoad(first, z, z.copy())
        out[name] = replace(req, load=load, staffed_rate=staff)
    return out


def _served_within_given_wait(x: np.ndarray, y: np.ndarray, theta_t: np.ndarray,
                              log_a: np.ndarray, p_xy: np.ndarray | None = None
                              ) -> np.ndarray:
    """P(served, 0 < W ≤ t | W > 0) = (x/(y·A))·e^y·y^(−x)·[γ(x+1, y) − γ(x+1, z)], z = y·e^(−θt).

    Where the regularised P(x+1, y) is representable we write the bracket as a difference of
    regularised incomplete gammas — P(x+1, y) − P(x+1, z) on the lower side, Q(x+1, z) −
    Q(x+1, y) on the upper side, so that neither difference cancels — times x/(y·P(x, y)).
    Elsewhere (y far below x) A(x+1, ·)/A ratios in log space are accurate.
    """
    z = y * np.exp(-theta_t)
    out = np.empty(x.shape)
    # Short windows (θt small against the scale on which the integrand varies): the
    # difference of incomplete gammas would cancel, so integrate directly,
    # (x/A)·∫_0^{θt} exp(−(x+1)s + y(1 − e^{−s})) ds, by 32-point Gauss–Legendre.
    scale = np.abs(x + 1.0 - y) + np.sqrt(y) + 1.0
    quad = (theta_t * scale < 20.0) & (theta_t > 0)
    if quad.any():
        xq, yq, tq = x[quad, None], y[quad, None], theta_t[quad, None]
        s = 0.5 * tq * (_GL_NODES[None, :] + 1.0)
        f = np.exp(-(xq + 1.0) * s - yq * np.expm1(-s))
        integral = 0.5 * tq[:, 0] * (f * _GL_WEIGHTS[None, :]).sum(axis=1)
        out[quad] = x[quad] * np.exp(-log_a[quad]) * integral
    out[theta_t <= 0] = 0.0
    gam = np.flatnonzero(~quad & (theta_t > 0))  # the incomplete gammas only where read
    py, px = np.zeros(x.shape), np.zeros(x.shape)
    py[gam] = special.gammainc(x[gam] + 1.0, y[gam])
    # P(x, y) ≥ P(x + 1, y): read only where the latter is representable (``direct``);
    # taken from ``p_xy`` where ln A already evaluated it (NaN elsewhere)
    need = gam[py[gam] > _TINY]
    if p_xy is not None:
        known = ~np.isnan(p_xy[need])
        px[need[known]] = p_xy[need[known]]
        need = need[~known]
    px[need] = special.gammainc(x[need], y[need])
    direct = (py > _TINY) & (px > _TINY) & ~quad & (theta_t > 0)
    lower = direct & (py <= 0.5)
    if lower.any():
        xl = x[lower] + 1.0
        diff = py[lower] - special.gammainc(xl, z[lower])
        out[lower] = x[lower] / (y[lower] * px[lower]) * np.maximum(diff, 0.0)
    upper = direct & ~lower
    if upper.any():
        xu = x[upper] + 1.0
        diff = special.gammaincc(xu, z[upper]) - special.gammaincc(xu, y[upper])
        out[upper] = x[upper] / (y[upper] * px[upper]) * np.maximum(diff, 0.0)
    rest = ~direct & ~quad & (theta_t > 0)
    if rest.any():
        xr, yr, zr, la = x[rest], y[rest], z[rest], log_a[rest]
        first = np.exp(log_scaled_gamma(xr + 1.0, yr) - la)
        second = np.exp(log_scaled_gamma(xr + 1.0, zr) - la + (yr - zr)
                        - (xr + 1.0) * theta_t[rest])
        out[rest] = xr / (xr + 1.0) * np.maximum(first - second, 0.0)
    return out


def requirement_cases(sc, cases):
    """scenarios.adapters.to_mix.requirement_cases as it stood: case by case."""
    import numpy as np

    from planning.mix_inputs import DemandCase
    from scenarios.adapters import to_mix
    from scenarios.adapters.blending import blended
    from scenarios.adapters.to_bot import agents_rates
    from scenarios.adapters.to_demand import interval_aht
    from scenarios.adapters.to_staffing import requirement_options, scenario_staffing

    specs = scenario_staffing(sc)
    base_aht = interval_aht(sc)
    parts = []
    for name, prob, rates in cases:
        rates, aht = agents_rates(sc, rates, base_aht)
        reqs = channel_requirements({c: rates[c] for c in specs}, specs,
                                        sc.staffing.shrinkage,
                                        aht_by_interval={c: aht[c] for c in specs},
                                        **requirement_options(sc))
        total = np.sum([b.scheduled_fractional for b in blended(
            sc, specs, reqs, {c: aht[c] for c in specs})], axis=0)
        staffed = {c: np.asarray(r.staffed_rate if r.staffed_rate is not None
                                 else r.load.total, float) for c, r in reqs.items()}
        parts.append((name, prob, rates, reqs, aht, total, staffed))
    routed = to_mix.routed_needs(sc, specs, {c: np.concatenate([p[6][c] for p in parts])
                                             for c in specs},
                                 {c: np.concatenate([np.broadcast_to(p[4][c], p[5].shape)
                                                     for p in parts]) for c in specs})
    out = []
    at = 0
    for name, prob, rates, reqs, _, total, staffed in parts:
        by_ch = {c: r.scheduled_fractional.astype(np.float64) for c, r in reqs.items()}
        in_house = pooled = None
        n, at = total.shape[0], at + total.shape[0]
        if routed is not None:
            in_house, both = (a[at - n:at] for a in routed)
            pooled, total = total, np.maximum(total, both)
        out.append(DemandCase(name, prob, total, by_ch, volume=to_mix.case_volume(sc, rates),
                              in_house=in_house, staffed=staffed, pooled=pooled))
    return tuple(out)
