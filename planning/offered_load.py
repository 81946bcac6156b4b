"""The modified offered load (MOL) of time-varying arrivals, per planning interval.

Jennings, Mandelbaum, Massey & Whitt (1996); Green, Kolesar & Whitt (2007) §4: staff each
moment for the stationary model at the load m(t) of the associated infinite-server
system, not at λ(t)·E[S] (SIPP). With Poisson arrivals and exponential holding times of
mean τ, m solves m′(t) = λ(t) − m(t)/τ (Eick, Massey & Whitt 1993). For rates constant
within each interval of length L the solution is exact in closed form:

    m((i+1)L) = λᵢτ + (m(iL) − λᵢτ)·e^{−L/τ},
    m̄ᵢ = λᵢτ + (m(iL) − λᵢτ)·(τ/L)·(1 − e^{−L/τ})        (mean over interval i),

started stationary (m(0) = λ₀τ). The interval is then staffed as a stationary queue
with arrival rate m̄ᵢ/τ: the load lags the arrivals by about τ and stays up after a drop.
"""

from __future__ import annotations

import numpy as np


def offered_load(rate_per_hour: np.ndarray, hold_s: float | np.ndarray, interval_s: float
                 ) -> tuple[np.ndarray, np.ndarray]:
    """(mean load over each interval, load at each interval's start), erlangs.

    ``hold_s`` is the mean time a contact holds a server (a number, or one per interval:
    the holding time of the contacts arriving then)."""
    lam = np.asarray(rate_per_hour, dtype=np.float64) / 3600.0
    tau = np.broadcast_to(np.asarray(hold_s, dtype=np.float64), lam.shape)
    if lam.size == 0:
        return lam.copy(), lam.copy()
    target = lam * tau  # the stationary load of each interval
    e = np.exp(-interval_s / tau)
    if np.all(tau == tau[0]):  # one linear recursion: m_{i+1} = e·m_i + (1 − e)·target_i
        ek = float(e[0])
        # y[i] = m((i+1)L) = e·y[i−1] + (1 − e)·target[i], y[−1] = m(0) = target[0]
        from scipy.signal import lfilter  # here: scipy.signal imports scipy.stats (~0.5 s)
        ends, _ = lfilter([1.0 - ek], [1.0, -ek], target, zi=[ek * target[0]])
        start = np.concatenate([target[:1], ends[:-1]])
    else:
        start = np.empty_like(target)
        m = target[0]
        for i in range(target.size):
            start[i] = m
            m = target[i] + (m - target[i]) * e[i]
    mean = target + (start - target) * (tau / interval_s) * (1.0 - e)
    return mean, start


def mol_rates(rate_per_hour: np.ndarray, hold_s: float | np.ndarray, interval_s: float
              ) -> np.ndarray:
    """Arrivals per hour whose stationary load equals the interval's mean MOL: m̄ᵢ/τᵢ."""
    mean, _ = offered_load(rate_per_hour, hold_s, interval_s)
    tau = np.broadcast_to(np.asarray(hold_s, dtype=np.float64), mean.shape)
    return mean / tau * 3600.0
