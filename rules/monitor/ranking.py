"""The agents' ranking on a metric, with how much of it the counts can support.

Seed practice posts every agent's rank daily. On 40 conversations a day most adjacent
ranks are noise. Each agent's true rate is uncertain as its Jeffreys posterior; drawing
all agents' rates together and ranking each draw gives every agent a rank interval
(Goldstein & Spiegelhalter 1996, "League tables and their limitations", *JRSS A* 159(3);
Marshall & Spiegelhalter 1998, *BMJ* 316) and, for two neighbours, the probability that
the one shown above really is better. A pair is *separable* when that probability
reaches (1 + level)/2. The bottom band (the lowest 10%, what forced-ranking schemes act
on) gets the mean probability that its members truly belong there — the same question
the behaviour model's ranking-noise diagnostic asks of simulated schemes (with pure noise
it equals the band's share).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from rules.monitor.counts import Model, posterior


@dataclass(frozen=True)
class RankedAgent:
    index: int                  # row in the inputs
    rank: int                   # 1 = best
    value: float
    successes: float
    trials: float
    rank_lo: int                # central ``level`` interval of the rank
    rank_hi: int
    above_next: float | None    # P(this agent's rate is better than the next one's)
    separable: bool | None      # above_next ≥ (1 + level)/2; None for the last


@dataclass(frozen=True)
class Ranking:
    agents: list[RankedAgent]
    unranked: list[int]         # rows with no trials in the window
    separable_pairs: int
    pairs: int
    bottom: list[int]           # rows in the observed bottom band
    bottom_reliability: float   # mean P(truly in the bottom band) of those rows
    bottom_share: float         # the band's share: the reliability under pure noise
    level: float


def rank_agents(model: Model, x: np.ndarray, n: np.ndarray, higher: bool, *, seed: int,
                draws: int = 2000, level: float = 0.95, bottom: float = 0.1) -> Ranking:
    """Rank rows with trials by x/n (best first), with rank intervals and separability."""
    x = np.asarray(x, float)
    n = np.asarray(n, float)
    rows = np.flatnonzero(n > 0)
    unranked = [int(i) for i in np.flatnonzero(n <= 0)]
    m = len(rows)
    if m == 0:
        return Ranking([], unranked, 0, 0, [], math.nan, math.nan, level)
    value = x[rows] / n[rows]
    sign = -1.0 if higher else 1.0
    order = np.lexsort((-n[rows], sign * value))      # best first; ties: more trials first
    a, b = posterior(model, x[rows], n[rows])
    rng = np.random.default_rng(seed)
    if model == "binomial":
        p = rng.beta(a, b, size=(draws, m))
    else:
        p = rng.gamma(a, 1.0 / b, size=(draws, m))
    by = np.argsort(sign * p, axis=1)           # continuous draws: no ties
    ranks = np.empty_like(by)
    np.put_along_axis(ranks, by, np.arange(1, m + 1)[None, :], axis=1)
    tail = (1.0 - level) / 2.0
    lo = np.quantile(ranks, tail, axis=0, method="lower")
    hi = np.quantile(ranks, 1.0 - tail, axis=0, method="higher")
    ordered = (sign * p).T[order]                       # (m, draws), best first
    above = np.mean(ordered[:-1] < ordered[1:], axis=1)  # P(shown above is really better)
    agents: list[RankedAgent] = []
    for pos, j in enumerate(order):
        prob = float(above[pos]) if pos + 1 < m else None
        agents.append(RankedAgent(int(rows[j]), pos + 1, float(value[j]), float(x[rows[j]]),
                                  float(n[rows[j]]), int(lo[j]), int(hi[j]), prob,
                                  None if prob is None else prob >= 1.0 - tail))
    separable = int(np.sum(above >= 1.0 - tail))
    k = int(math.ceil(bottom * m))
    band = order[m - k:]
    in_band = ranks > m - k
    reliability = float(np.mean(in_band[:, band])) if k else math.nan
    return Ranking(agents, unranked, separable, m - 1, [int(rows[j]) for j in band],
                   reliability, k / m, level)
