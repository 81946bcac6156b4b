"""The load a channel generates itself: redials after abandonment and repeat contacts after
an unresolved one, as a fixed point over the intervals.

Effective arrivals per interval (docs/staffing.md, "Effective load"):

    λ(i) = λ₀(i) + Σ_k K_r(k)·p_r·P_ab(j)·λ(j) + Σ_k K_q(k)·q·(1 − f)·(1 − P_ab(j))·λ(j),  j = i − k

with λ₀ the first attempts, p_r the retrial probability of an abandoning contact, q the
probability an unresolved contact comes back, f the first-contact resolution of the agents
who answer, P_ab(j) the abandonment of interval j *at the staffing the requirement gives
for λ(j)*, and K_r, K_q the share of returns from interval j landing k intervals later
(the delay law shifted by the time from arrival to the return's origin). This is the
abandon→redial and served→reconnect orbit feeding Erlang A (Ding, Remerova, van der Mei
& Zwart 2019; Aguir, Karaesmen, Akşin & Chauvet 2004 for retrials in staffing; de
Véricourt & Zhou 2005: an unresolved contact returns, workload = λ·AHT/p in steady state;
Yom-Tov & Mandelbaum 2014, Erlang-R, for the time-varying version).

Convergence: with P_ab held fixed the map λ ↦ λ₀ + K·g(λ) is affine with sup-norm modulus
ρ = max_i [p_r·P_ab(i) + q(1 − f)(1 − P_ab(i))] ≤ max(p_r, q(1 − f)) < 1 (a kernel row
sums to at most 1: returns beyond the horizon are lost), so it is a contraction; P_ab at the
requirement moves little with λ because the staffing follows the load. Iterating from λ₀
gives an error shrinking by ρ per step; the iterations are counted and returned.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import special

_QUAD = 512  # midpoint nodes over the source interval for the landing shares


@dataclass(frozen=True)
class Delay:
    """A delay law by its mean (and cv): exponential, lognormal, gamma or deterministic."""

    dist: str = "exponential"
    mean_s: float = 600.0
    cv: float = 1.0

    def cdf(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        m = self.mean_s
        if self.dist == "deterministic" or (self.dist != "exponential" and self.cv == 0):
            return (x >= m).astype(np.float64)
        # scipy.stats' expon / lognorm / gamma cdf, evaluated as scipy.stats does (the
        # same special functions on the same operands: the same bits), without importing
        # scipy.stats (~0.45 CPU s of every run's start-up)
        if self.dist == "exponential":
            return _cdf_above_zero(x, m, 1.0, lambda z: -special.expm1(-z))
        if self.dist == "lognormal":
            s2 = np.log1p(self.cv ** 2)
            s = np.sqrt(s2)
            return _cdf_above_zero(x, m * np.exp(-s2 / 2), s,
                                   lambda z: special.ndtr(np.log(z) / s))
        if self.dist == "gamma":
            k = 1.0 / self.cv ** 2
            return _cdf_above_zero(x, m / k, k, lambda z: special.gammainc(k, z))
        raise ValueError(f"unknown delay law {self.dist!r}")


def _cdf_above_zero(x: np.ndarray, scale: float, shape: float,
                    cdf: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """A law on (0, ∞) at ``x`` as scipy.stats' ``rv_continuous.cdf`` gives it: ``cdf`` of
    ``x / scale`` inside the support, 0 at or below 0, 1 at +∞, NaN for NaN or bad
    parameters (tests/planning/test_returns_cdf.py: bit for bit against scipy.stats)."""
    z = np.asarray(x / scale, dtype=np.float64)
    if not (scale > 0 and shape > 0):
        out = np.full(z.shape, np.nan)
    else:
        out = np.zeros(z.shape)
        out[np.isnan(z)] = np.nan
        out[z == np.inf] = 1.0
        inside = (z > 0) & (z < np.inf)
        if inside.any():
            out[inside] = cdf(z[inside])
    return out[()] if out.ndim == 0 else out


def landing_shares(delay: Delay, interval_s: float, offset_s: float, n: int,
                   mass: float = 1.0 - 1e-9) -> np.ndarray:
    """Share of the returns originating in one interval that land k = 0, 1, … intervals
    later: a source uniform over the interval, shifted by ``offset_s`` (arrival to the
    return's origin: the wait, plus the handle time for a repeat) and by the delay.
    At most ``n`` entries; the tail past ``mass`` is dropped (it is beyond any horizon
    that matters, as the simulator drops returns after the horizon).

    Read-only: the shares are kept per argument set (every demand scenario of a horizon
    asks for the same ones; each costs up to ~40 scipy cdf evaluations of 512 nodes)."""
    return _landing_shares(delay, float(interval_s), float(offset_s), int(n), float(mass))


@lru_cache(maxsize=256)
def _landing_shares(delay: Delay, interval_s: float, offset_s: float, n: int,
                    mass: float) -> np.ndarray:
    """:func:`landing_shares`, computed once per argument set (a read-only array)."""
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
    shares = np.asarray(out, dtype=np.float64)
    shares.setflags(write=False)
    return shares


@dataclass(frozen=True)
class Returns:
    """How one channel's contacts come back (scenario ``retrial`` / ``repeat`` sections).

    ``fcr``: first-contact resolution of the agents who answer (a number, or one per
    interval for a changing pool mix); the share unresolved is 1 − fcr.
    """

    retrial_p: float = 0.0
    retrial_delay: Delay = Delay("exponential", 600.0)
    repeat_p: float = 0.0
    repeat_delay: Delay = Delay("exponential", 3600.0)
    fcr: float | np.ndarray = 1.0

    @property
    def active(self) -> bool:
        """True when contacts can come back at all (else the load is the first attempts)."""
        return self.retrial_p > 0 or (self.repeat_p > 0
                                      and bool(np.any(np.asarray(self.fcr) < 1.0)))


@dataclass(frozen=True)
class EffectiveLoad:
    """Arrivals per hour and interval, split by where they come from."""

    first_attempts: np.ndarray
    redials: np.ndarray
    repeats: np.ndarray
    iterations: int = 0  # fixed-point steps taken (0: no returns)
    converged: bool = True
    max_change: float = 0.0  # last step's largest change, arrivals per hour

    @property
    def total(self) -> np.ndarray:
        return self.first_attempts + self.redials + self.repeats


def _spread(counts: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Returns from each interval spread over the following ones (lost past the end)."""
    if shares.size == 0 or not counts.any():
        return np.zeros_like(counts)
    return np.convolve(counts, shares)[: counts.size]


# P_ab per interval at the requirement for the given arrivals per hour
AbandonAtRequirement = Callable[[np.ndarray], np.ndarray]


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
    return effective_loads([first], returns, interval_s, abandon, [aht_s], wait_s, tol,
                           max_iter)[0]


def effective_loads(firsts: Sequence[np.ndarray], returns: Returns, interval_s: float,
                    abandon: AbandonAtRequirement,
                    aht_s: Sequence[float | np.ndarray] | None = None, wait_s: float = 0.0,
                    tol: float = 1e-4, max_iter: int = 60) -> list[EffectiveLoad]:
    """:func:`effective_load` of several demand scenarios (``firsts``, one ``aht_s``
    each) in step: each step calls ``abandon`` once, on the scenarios' arrivals laid end to
    end, so that its work is vectorised over all of them. Each scenario keeps its own
    returns (nothing crosses from one to the next), its own convergence test and its own
    count of steps; once converged its arrivals stay as they are (``abandon`` sees them
    unchanged), so each answer is the one :func:`effective_load` gives it alone — as long
    as ``abandon`` answers each interval from that interval's own data."""
    firsts = [np.asarray(f, dtype=np.float64) for f in firsts]
    ahts = list(aht_s) if aht_s is not None else [0.0] * len(firsts)
    zeros = [np.zeros_like(f) for f in firsts]
    out: list[EffectiveLoad | None] = [
        None if returns.active and f.any() else EffectiveLoad(f, z, z.copy())
        for f, z in zip(firsts, zeros, strict=True)]
    live = [k for k, o in enumerate(out) if o is None]
    if not live:
        return out  # type: ignore[return-value]
    ends = np.cumsum([f.size for f in firsts])
    seg = [slice(int(e - f.size), int(e)) for f, e in zip(firsts, ends, strict=True)]
    unresolved = returns.repeat_p * (1.0 - np.asarray(returns.fcr, dtype=np.float64))
    k_red, k_rep = {}, {}
    for k in live:
        n = firsts[k].size
        aht = float(np.mean(ahts[k]))
        k_red[k] = (landing_shares(returns.retrial_delay, interval_s, wait_s, n)
                    if returns.retrial_p > 0 else np.zeros(0))
        k_rep[k] = (landing_shares(returns.repeat_delay, interval_s, wait_s + aht, n)
                    if np.any(unresolved > 0) else np.zeros(0))
    lam = np.concatenate(firsts)
    it = 0
    while live and it < max_iter:
        it += 1
        p_all = np.clip(np.nan_to_num(abandon(lam), nan=0.0), 0.0, 1.0)
        lam = lam.copy()  # a new array: ``abandon`` may keep the one it was given
        still = []
        for k in live:
            lam_k, p_ab, first = lam[seg[k]], p_all[seg[k]], firsts[k]
            red = _spread(returns.retrial_p * p_ab * lam_k, k_red[k])
            rep = _spread(unresolved * (1.0 - p_ab) * lam_k, k_rep[k])
            new = first + red + rep
            step = np.abs(new - lam_k)
            change = float(step.max())
            lam[seg[k]] = new
            converged = bool(np.all(step <= tol * (1.0 + new)))
            if converged or it == max_iter:
                out[k] = EffectiveLoad(first, red, rep, it, converged, change)
            else:
                still.append(k)
        live = still
    for k in live:  # max_iter ≤ 0: no step taken
        out[k] = EffectiveLoad(firsts[k], zeros[k], zeros[k].copy(), 0, False, np.inf)
    return out  # type: ignore[return-value]
