"""Exact Erlang C and Erlang A (M/M/n+M) values in mpmath — an independent reference.

Formulas: Erlang C, and Erlang A (Palm's M/M/n+M; Mandelbaum &
Zeltyn 2005 §4; Garnett, Mandelbaum & Reiman 2002). Written from the formulas, not from
the simulator or planning/erlang.py, so that the tests compare two independent routes.
Service level = answered within t / offered (docs/formats.md §1); ASA = mean wait of answered.
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath as mp

mp.mp.dps = 40


@dataclass(frozen=True)
class Exact:
    p_wait: float
    p_abandon: float
    service_level: float
    asa_s: float


def erlang_b(n: int, a: mp.mpf) -> mp.mpf:
    """B(n, a) by the stable recursion B_k = a B_{k-1} / (k + a B_{k-1})."""
    b = mp.mpf(1)
    for k in range(1, n + 1):
        b = a * b / (k + a * b)
    return b


def erlang_c(n: int, rate_per_hour: float, aht_s: float, within_s: float) -> Exact:
    lam = mp.mpf(rate_per_hour) / 3600
    a = lam * aht_s
    if a >= n:
        raise ValueError("Erlang C needs a < n")
    b = erlang_b(n, a)
    c = n * b / (n - a * (1 - b))
    sl = 1 - c * mp.exp(-(n - a) * within_s / aht_s)
    asa = c * aht_s / (n - a)
    return Exact(float(c), 0.0, float(sl), float(asa))


def lower_gamma(s: mp.mpf, z: mp.mpf) -> mp.mpf:
    return mp.gammainc(s, 0, z)


def erlang_a(n: int, rate_per_hour: float, aht_s: float, patience_s: float,
             within_s: float) -> Exact:
    """M/M/n+M with exponential patience of mean ``patience_s`` (Mandelbaum & Zeltyn 2005)."""
    lam = mp.mpf(rate_per_hour) / 3600
    mu = 1 / mp.mpf(aht_s)
    theta = 1 / mp.mpf(patience_s)
    x, y = n * mu / theta, lam / theta
    eb = erlang_b(n, lam / mu)
    front = x * mp.exp(y) * y ** (-x)
    big_a = front * lower_gamma(x, y)
    p_wait = big_a * eb / (1 + (big_a - 1) * eb)
    pi_n = eb / (1 - eb + big_a * eb)
    k = pi_n * front
    p_ab = k * (lower_gamma(x, y) - lower_gamma(x + 1, y) / y)
    g1 = lower_gamma(x + 1, y)
    sl = (1 - p_wait) + (k / y) * (g1 - lower_gamma(x + 1, y * mp.exp(-theta * within_s)))
    p_served = 1 - p_ab
    integral = mp.quad(lambda u: u ** x * mp.exp(-u) * mp.log(u), [0, min(x, y), y])
    asa = k / (theta * y * p_served) * (g1 * mp.log(y) - integral)
    return Exact(float(p_wait), float(p_ab), float(sl), float(asa))
