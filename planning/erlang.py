"""Exact Erlang B, C and A, vectorised over numpy arrays of intervals (float64).

Formulas and sources: docs/staffing.md.
- Erlang B: B(n, a) = Poisson(a).pmf(n) / Poisson(a).cdf(n), evaluated in log space.
- Erlang C: C = n·B / (n − a(1 − B)); SL(t) = 1 − C·exp(−(n − a)t/AHT); ASA = C·AHT/(n − a).
- Erlang A (M/M/n+M, Palm; Garnett, Mandelbaum & Reiman 2002; Mandelbaum & Zeltyn 2005 §4):
  with x = nμ/θ, y = λ/θ and A(x, y) = 1 + Σ_{j≥1} y^j / Π_{k=1..j}(x + k),
  P(W>0) = A·B / (1 + (A − 1)·B),  P(Ab | W>0) = (y − x + x/A) / y,
  P(served, 0 < W ≤ t) = P(W>0)·x/(x+1)·[A(x+1, y) − A(x+1, z)·e^{y−z}·(z/y)^{x+1}] / A(x, y)
  with z = y·e^{−θt}, and E[W·1{served}] = P(W>0)/(θA) · Σ_j t_j·x/(x+j+1)·(ψ(x+j+2) − ψ(x+1))
  where t_j = Π_{k=1..j} y/(x + k) is the weight of "j customers already waiting".

Numerical approach (never factorials or powers): log B from lgamma and the regularised
upper incomplete gamma, with a series where the latter underflows; log A(x, y) from the
regularised lower incomplete gamma where it is representable, else from its positive
series summed in blocks. Everything is finite for n up to 10^5 and loads up to 10^5
erlangs; overloaded Erlang C returns SL 0 and ASA inf, never NaN.

Units: rates per hour, times in seconds (docs/formats.md).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

import numpy as np
from scipy import special

_BLOCK = 64  # series terms summed per vectorised step
_TINY = 1e-250  # below this an incomplete-gamma value is treated as underflowed
_GL_NODES, _GL_WEIGHTS = np.polynomial.legendre.leggauss(32)


@dataclass(frozen=True)
class QueueMetrics:
    """Steady-state performance of one staffing level per interval (all numpy arrays).

    p_wait: probability an arriving contact finds every agent busy.
    p_abandon: share of offered contacts that abandon.
    service_level: answered within ``within_s`` / offered (abandons count as failures).
    asa_s: mean wait of answered contacts, seconds (inf when the queue is unstable).
    occupancy: busy time / staffed time.
    """

    p_wait: np.ndarray
    p_abandon: np.ndarray
    service_level: np.ndarray
    asa_s: np.ndarray
    occupancy: np.ndarray


def _f64(*xs: object) -> list[np.ndarray]:
    return [np.asarray(v, dtype=np.float64) for v in np.broadcast_arrays(*xs)]


# ---------------------------------------------------------------------------- Erlang B
def log_erlang_b(n: np.ndarray | float, a: np.ndarray | float) -> np.ndarray:
    """ln B(n, a) for integer-valued n ≥ 0 and load a ≥ 0 erlangs (−inf where B = 0).

    ln B = ln pmf(n) − ln cdf(n) with Poisson(a). cdf(n) = Q(n+1, a) (regularised upper
    incomplete gamma); where Q underflows (a far above n) we use
    cdf(n)/pmf(n) = Σ_j Π_{i<j} (n − i)/a, whose terms fall at least as fast as (n/a)^j.
    """
    n, a = _f64(n, a)
    out = np.empty(n.shape)
    zero = a <= 0
    out[zero] = np.where(n[zero] == 0, 0.0, -np.inf)
    pos = ~zero
    if not pos.any():
        return out
    nn, aa = n[pos], a[pos]
    log_pmf = nn * np.log(aa) - aa - special.gammaln(nn + 1)
    q = special.gammaincc(nn + 1, aa)
    res = np.empty(nn.shape)
    ok = q > _TINY
    res[ok] = log_pmf[ok] - np.log(q[ok])
    bad = ~ok
    if bad.any():
        res[bad] = -np.log(_falling_series(nn[bad], aa[bad]))
    out[pos] = res
    return out


def _falling_series(n: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Σ_{j=0..n} Π_{i<j} (n − i)/a for a > n (each term below the last by ≤ n/a)."""
    total = np.ones(n.shape)
    term = np.ones(n.shape)
    live = np.arange(n.size)
    i = 0.0
    while live.size:
        ks = i + np.arange(_BLOCK)
        factors = np.clip(n[live, None] - ks[None, :], 0.0, None) / a[live, None]
        terms = term[live, None] * np.cumprod(factors, axis=1)
        total[live] += terms.sum(axis=1)
        term[live] = terms[:, -1]
        i += _BLOCK
        done = term[live] <= 1e-17 * total[live]
        live = live[~done]
    return total


def erlang_b(n: np.ndarray | float, a: np.ndarray | float) -> np.ndarray:
    """Blocking probability of M/M/n/n with offered load ``a`` erlangs."""
    return np.exp(log_erlang_b(n, a))


# ---------------------------------------------------------------------------- Erlang C
def erlang_c(n: np.ndarray | float, rate_per_hour: np.ndarray | float,
             aht_s: np.ndarray | float, within_s: np.ndarray | float = 20.0) -> QueueMetrics:
    """M/M/n with infinite patience. Unstable intervals (a ≥ n): P(wait) 1, SL 0, ASA inf."""
    n, lam, aht, t = _f64(n, rate_per_hour, aht_s, within_s)
    a = lam / 3600.0 * aht
    b = erlang_b(n, a)
    stable = a < n
    gap = np.where(stable, n - a, 1.0)
    c = np.where(stable, n * b / (gap + a * b), 1.0)
    sl = np.where(stable, 1.0 - c * np.exp(-gap * t / aht), 0.0)
    asa = np.where(stable, c * aht / gap, np.inf)
    occ = np.where(stable, a / np.where(n > 0, n, 1.0), 1.0)
    return QueueMetrics(p_wait=c, p_abandon=np.zeros_like(c), service_level=sl, asa_s=asa,
                        occupancy=occ)


# ---------------------------------------------------------------------------- Erlang A
def log_scaled_gamma(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """ln A(x, y) where A(x, y) = x·e^y·y^(−x)·γ(x, y) = 1 + Σ_{j≥1} y^j / Π_{k≤j}(x + k).

    Where the regularised lower incomplete gamma P(x, y) is representable (y above
    x − 10√x) we use ln A = ln x + y − x ln y + lnΓ(x) + ln P(x, y); below, the positive
    series (term ratio y/(x + j) < 1 − 10/√x) in blocks.
    """
    return _log_scaled_gamma(x, y)[0]


def _log_scaled_gamma(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(ln A(x, y), P(x, y) where it was evaluated — NaN elsewhere): the regularised
    incomplete gamma is handed on to :func:`_served_within_given_wait`, which reads it
    too (the same scipy call on the same numbers: the same value, evaluated once)."""
    x, y = _f64(x, y)
    out = np.zeros(x.shape)
    p_xy = np.full(x.shape, np.nan)
    pos = y > 0
    use_p = pos & (y >= x - 10.0 * np.sqrt(x))
    if use_p.any():
        idx = np.flatnonzero(use_p)
        xs, ys = x[idx], y[idx]
        p = special.gammainc(xs, ys)
        p_xy[idx] = p
        ok = p > _TINY  # tiny y with moderate x: P underflows, the series converges fast
        out[idx[ok]] = (np.log(xs[ok]) + ys[ok] - xs[ok] * np.log(ys[ok])
                        + special.gammaln(xs[ok]) + np.log(p[ok]))
        use_p[idx[~ok]] = False
    ser = pos & ~use_p
    if ser.any():
        out[ser] = np.log(_rising_series(x[ser], y[ser]))
    return out, p_xy


def _rising_series(x: np.ndarray, y: np.ndarray, *, moment: bool = False) -> np.ndarray:
    """1 + Σ_{j≥1} t_j, or with ``moment`` Σ_{j≥1} j·t_j, for t_j = Π_{k=1..j} y/(x + k)
    and y < x (terms fall geometrically; positive series, no cancellation)."""
    total = np.zeros(x.shape) if moment else np.ones(x.shape)
    term = np.ones(x.shape)
    live = np.arange(x.size)
    k = 1.0
    while live.size:
        ks = k + np.arange(_BLOCK)
        terms = term[live, None] * np.cumprod(y[live, None] / (x[live, None] + ks[None, :]),
                                              axis=1)
        total[live] += (terms * ks[None, :] if moment else terms).sum(axis=1)
        term[live] = terms[:, -1]
        k += _BLOCK
        live = live[term[live] * (k if moment else 1.0) > 1e-17 * total[live]]
    return total


def _served_wait_sum(x: np.ndarray, y: np.ndarray, log_a: np.ndarray) -> np.ndarray:
    """Σ_j (t_j/A)·x/(x+j+1)·(ψ(x+j+2) − ψ(x+1)) — θ·E[W·1{served} | W>0].

    t_j/A is the law of the number already waiting found by a delayed arrival; it is
    unimodal with mode m = ⌊max(0, y − x)⌋, so we start at the mode in log space and sum
    outwards in both directions until the terms are negligible (no overflow, no underflow
    of the bulk). H_j = ψ(x+j+1) − ψ(x+1) is carried as a running sum of 1/(x+k).
    """
    m = np.floor(np.maximum(0.0, y - x))
    log_r = m * np.log(y) - (special.gammaln(x + m + 1) - special.gammaln(x + 1)) - log_a
    r_m = np.exp(log_r)
    h_m = np.where(m < 1000, 0.0, special.digamma(x + m + 1) - special.digamma(x + 1))
    small = m < 1000
    if small.any():  # exact running sum for a short head
        h_small = np.zeros(int(small.sum()))
        xs, ms = x[small], m[small]
        for k in range(1, int(ms.max()) + 1):
            h_small += np.where(k <= ms, 1.0 / (xs + k), 0.0)
        h_m[small] = h_small
    total = np.zeros(x.shape)
    steps = np.arange(_BLOCK, dtype=np.float64)
    # upward: j = m, m+1, …; ψ(x+j+2) − ψ(x+1) = H_{j+1} = H_j + 1/(x+j+1)
    r, h, j = r_m.copy(), h_m.copy(), m.copy()
    live = np.arange(x.size)
    while live.size:
        xl, yl = x[live, None], y[live, None]
        denom = xl + j[live, None] + steps[None, :] + 1.0  # x + j + 1 for each j in block
        r_blk = r[live, None] * np.cumprod(
            np.concatenate([np.ones((live.size, 1)), yl / denom[:, :-1]], axis=1), axis=1)
        h_blk = h[live, None] + np.cumsum(1.0 / denom, axis=1)
        total[live] += (r_blk * xl / denom * h_blk).sum(axis=1)
        r[live] = r_blk[:, -1] * y[live] / denom[:, -1]
        h[live] = h_blk[:, -1]
        j[live] += _BLOCK
        live = live[r[live] > 1e-18]
    # downward: j = m−1, …, 0; t_{j} = t_{j+1}·(x + j + 1)/y
    r, h, j = r_m.copy(), h_m.copy(), m.copy()
    live = np.flatnonzero(m > 0)
    while live.size:
        xl, yl = x[live, None], y[live, None]
        js = j[live, None] - 1.0 - steps[None, :]  # j−1, j−2, …
        valid = js >= 0
        up = np.where(valid, xl + js + 1.0, 1.0)  # x + j' + 1 for each j' in block
        r_blk = r[live, None] * np.cumprod(np.where(valid, up / yl, 1.0), axis=1)
        h_next = h[live, None] - np.concatenate(
            [np.zeros((live.size, 1)), np.cumsum(1.0 / up[:, :-1], axis=1)], axis=1)
        total[live] += np.where(valid, r_blk * xl / up * h_next, 0.0).sum(axis=1)
        r[live] = r_blk[:, -1]
        h[live] = h_next[:, -1] - 1.0 / up[:, -1]
        j[live] -= _BLOCK
        live = live[(j[live] > 0) & (r[live] > 1e-18)]
    return total


def erlang_a(n: np.ndarray | float, rate_per_hour: np.ndarray | float,
             aht_s: np.ndarray | float, patience_s: np.ndarray | float,
             within_s: np.ndarray | float = 20.0, *, with_asa: bool = True,
             with_sl: bool = True) -> QueueMetrics:
    """M/M/n+M with exponential patience of mean ``patience_s`` (inf ⇒ Erlang C, 0 ⇒ loss).

    Stable for any load. ``with_asa=False`` skips the ASA series (returns NaN there) when a
    caller only needs SL / abandonment, e.g. inside a staffing search; ``with_sl=False``
    likewise skips the service-level series (most of the cost) where only abandonment,
    ASA or occupancy is read (NaN there, outside Erlang C and loss).
    """
    n, lam, aht, pat, t = _f64(n, rate_per_hour, aht_s, patience_s, within_s)
    shape = n.shape
    p_wait = np.zeros(shape)
    p_ab = np.zeros(shape)
    sl = np.ones(shape)
    asa = np.zeros(shape)
    occ = np.zeros(shape)

    inf = np.isinf(pat)
    if inf.any():
        mc = erlang_c(n[inf], lam[inf], aht[inf], t[inf])
        p_wait[inf], sl[inf], asa[inf], occ[inf] = mc.p_wait, mc.service_level, mc.asa_s, \
            mc.occupancy

    a_all = lam / 3600.0 * aht
    loss = (pat <= 0) & ~inf
    if loss.any():  # zero patience: whoever finds all agents busy leaves at once (Erlang B)
        b = erlang_b(n[loss], a_all[loss])
        p_wait[loss] = b
        p_ab[loss] = b
        sl[loss] = 1.0 - b
        occ[loss] = a_all[loss] * (1.0 - b) / np.where(n[loss] > 0, n[loss], 1.0)

    idle = (a_all <= 0) & ~inf & ~loss
    occ[idle] = 0.0
    no_agents = (n <= 0) & ~inf & ~loss & ~idle
    p_wait[no_agents], p_ab[no_agents], sl[no_agents], asa[no_agents] = 1.0, 1.0, 0.0, np.nan

    g = ~inf & ~loss & ~idle & ~no_agents
    if g.any():
        res = _erlang_a_core(n[g], lam[g] / 3600.0, aht[g], pat[g], t[g], with_asa, with_sl)
        p_wait[g], p_ab[g], sl[g], asa[g], occ[g] = res
    return QueueMetrics(p_wait=p_wait, p_abandon=p_ab, service_level=sl, asa_s=asa,
                        occupancy=occ)


def _erlang_a_core(n: np.ndarray, lam: np.ndarray, aht: np.ndarray, pat: np.ndarray,
                   t: np.ndarray, with_asa: bool, with_sl: bool = True
                   ) -> tuple[np.ndarray, ...]:
    """Erlang A for n ≥ 1, λ > 0, 0 < patience < inf (per-second rates)."""
    theta = 1.0 / pat
    a = lam * aht
    x = n / aht / theta
    y = lam / theta
    log_b = log_erlang_b(n, a)
    log_a, p_xy = _log_scaled_gamma(x, y)
    # P(W>0) = A·B / (1 − B + A·B) = 1 / (1 + (1 − B)·exp(−ln A − ln B))
    b = np.exp(log_b)
    p_wait = 1.0 / (1.0 + (1.0 - b) * np.exp(np.minimum(-log_a - log_b, 700.0)))
    # P(Ab | W>0) = (Σ_j j·t_j / A) / y with Σ j t_j = A(y − x) + x. Where A(x − y) exceeds
    # x/2 that difference loses digits, so there we sum j·t_j directly (positive series).
    mean_j = np.empty(n.shape)
    # Terms of size x/A cancel down to mean_j: accept the closed form while the loss of
    # digits (x/A)/mean_j stays below 1e4 (relative error < ~1e-12), else sum the series.
    x_over_a = x * np.exp(-log_a)
    mean_closed = (y - x) + x_over_a
    above = (y >= x) | (x_over_a < 1e4 * np.maximum(mean_closed, 0.0))
    mean_j[above] = mean_closed[above]
    below = ~above
    if below.any():
        mean_j[below] = _rising_series(x[below], y[below], moment=True) * np.exp(-log_a[below])
    p_ab_given_wait = np.clip(mean_j / y, 0.0, 1.0)
    p_ab = p_wait * p_ab_given_wait
    # SL: answered within t. Term A(x+1, ·)/A(x, y) ratios in log space.
    if with_sl:
        served_within = p_wait * _served_within_given_wait(x, y, theta * t, log_a,
                                                                   p_xy)
        sl = np.clip(1.0 - p_wait + served_within, 0.0, 1.0)
    else:
        sl = np.full(n.shape, np.nan)
    if with_asa:
        served = 1.0 - p_ab
        asa = p_wait * _served_wait_sum(x, y, log_a) / theta / served
    else:
        asa = np.full(n.shape, np.nan)
    occ = a * (1.0 - p_ab) / n
    return p_wait, p_ab, sl, asa, occ


#: the short-window integral compiled (planning.compiled_erlang): None = where numba is
#: loaded in this process already (the compiled event desk loads it: sim.execution.
#: preload_kernel) and PEAKDESK_KERNEL is not "python" — loading numba for this alone
#: costs more than it saves on one horizon; True / False force it (tests). Both give the
#: same numbers (bit for bit where numpy's exp is the C library's).
COMPILED: bool | None = None


def _compiled() -> object | None:
    """planning.compiled_erlang.quadrature when it is to be used here, else None."""
    if COMPILED is False or (COMPILED is None and (
            "numba" not in sys.modules
            or os.environ.get("PEAKDESK_KERNEL", "").strip().lower() == "python")):
        return None
    try:
        from planning.compiled_erlang import quadrature
    except ImportError:  # no numba: the numpy expression below
        if COMPILED:
            raise
        return None
    return quadrature


def load_compiled() -> bool:
    """Load the compiled integral now where it will be used (numba loaded: e.g. before a
    fork, so that the children inherit it); whether it will be."""
    kernel = _compiled()
    if kernel is not None:
        one = np.ones(1)
        kernel(one, one, one, np.ones((1, 2)), np.ones((1, 2)), np.zeros(1, np.intp),  # type: ignore[operator]
               np.ones(2))
    return kernel is not None


def _short_window_integral(x: np.ndarray, y: np.ndarray, theta_t: np.ndarray
                           ) -> np.ndarray:
    """∫_0^{θt} exp(−(x+1)s + y(1 − e^{−s})) ds per row, by 32-point Gauss–Legendre.

    The nodes s and e^(−s) − 1 depend on θt alone — mostly one value per channel (target
    time / patience) — so they are evaluated once per distinct θt (the same numbers)."""
    t_one, row = np.unique(theta_t, return_inverse=True)
    s_one = 0.5 * t_one[:, None] * (_GL_NODES[None, :] + 1.0)
    em_one = np.expm1(-s_one)
    kernel = _compiled()
    if kernel is not None:
        return kernel(x, y, theta_t, s_one, em_one, row, _GL_WEIGHTS)  # type: ignore[operator]
    s, em = s_one[row], em_one[row]
    f = np.exp(-(x[:, None] + 1.0) * s - y[:, None] * em)
    return 0.5 * theta_t * (f * _GL_WEIGHTS[None, :]).sum(axis=1)


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
        integral = _short_window_integral(x[quad], y[quad], theta_t[quad])
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
