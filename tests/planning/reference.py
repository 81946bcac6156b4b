"""Independent high-precision references for the staffing formulas (mpmath, 40 digits).

These do NOT use the incomplete-gamma closed forms of planning/erlang.py. They build the
M/M/n+M birth–death chain explicitly (birth λ, death min(k, n)μ + (k − n)⁺θ), normalise its
stationary law by direct summation, and derive every metric from first principles:
- P(W>0) = Σ_{k≥n} π_k (PASTA); P(Ab) = θ·E[(N − n)⁺]/λ (rate balance);
- SL and ASA per position in queue: a delayed arrival with q ahead has an offered wait V with
  e^{−θV} ~ Beta(x, q+1), x = nμ/θ (Mandelbaum & Zeltyn 2005, per position), so
  P(served, V ≤ t | q) = x/(x+q+1)·(1 − I_{e^{−θt}}(x+1, q+1)) and
  E[V·1{served} | q] = x/(x+q+1)·(ψ(x+q+2) − ψ(x+1))/θ;
- occupancy = E[min(N, n)]/n.
Erlang B and C come from the finite sum Σ a^k/k!.
"""

from __future__ import annotations

import mpmath as mp

mp.mp.dps = 30


def erlang_b(n: int, a: float) -> mp.mpf:
    a = mp.mpf(a)
    term = mp.mpf(1)
    total = mp.mpf(1)
    for k in range(1, n + 1):
        term = term * a / k
        total += term
    return term / total


def erlang_c(n: int, rate_per_hour: float, aht_s: float, within_s: float) -> dict:
    lam = mp.mpf(rate_per_hour) / 3600
    aht = mp.mpf(aht_s)
    a = lam * aht
    b = erlang_b(n, a)
    c = n * b / (n - a * (1 - b))
    return {
        "p_wait": c,
        "service_level": 1 - c * mp.e ** (-(n - a) * within_s / aht),
        "asa_s": c * aht / (n - a),
        "occupancy": a / n,
    }


def erlang_a(n: int, rate_per_hour: float, aht_s: float, patience_s: float,
             within_s: float, tol: float = 1e-25) -> dict:
    lam = mp.mpf(rate_per_hour) / 3600
    mu = 1 / mp.mpf(aht_s)
    theta = 1 / mp.mpf(patience_s)
    x = n * mu / theta
    # unnormalised stationary weights w_k, k = 0..n (Poisson part), then the queue part
    weights = [mp.mpf(1)]
    for k in range(1, n + 1):
        weights.append(weights[-1] * lam / (k * mu))
    queue = []  # w_{n+q}, q = 0, 1, ...
    w = weights[-1]
    q = 0
    while True:
        q += 1
        w = w * lam / (n * mu + q * theta)
        queue.append(w)
        if w < tol * sum(weights) and q > 10 and lam < n * mu + q * theta:
            break
    total = sum(weights) + sum(queue)
    pi_n = weights[-1] / total
    pi_queue = [pi_n] + [v / total for v in queue]  # π_{n+q}, q = 0..
    p_wait = sum(pi_queue)
    mean_queue = sum(q * p for q, p in enumerate(pi_queue))
    p_ab = theta * mean_queue / lam
    u0 = mp.e ** (-theta * within_s)
    served_within = mp.mpf(0)
    wait_served = mp.mpf(0)
    for q, p in enumerate(pi_queue):
        share = x / (x + q + 1)
        served_within += p * share * (1 - mp.betainc(x + 1, q + 1, 0, u0, regularized=True))
        wait_served += p * share * (mp.digamma(x + q + 2) - mp.digamma(x + 1)) / theta
    busy = sum(min(k, n) * v for k, v in enumerate(weights)) / total + n * (p_wait - pi_n) \
        + n * pi_n * 0
    # states k ≥ n all have n busy agents: E[min(N, n)] = Σ_{k<n} k π_k + n·P(N ≥ n)
    busy = sum(k * v for k, v in enumerate(weights[:-1])) / total + n * p_wait
    return {
        "p_wait": p_wait,
        "p_abandon": p_ab,
        "service_level": (1 - p_wait) + served_within,
        "asa_s": wait_served / (1 - p_ab),
        "occupancy": busy / n,
    }
