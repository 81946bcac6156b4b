"""Scheme diagnostics: pay distribution and how much of a ranking is noise (seed 001)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.stats import rankdata  # scipy.stats not imported: ~0.45 CPU s of start-up


@dataclass(frozen=True)
class PayDistribution:
    mean: float
    p10: float
    p50: float
    p90: float
    gini: float


def gini(x: np.ndarray) -> float:
    """Gini coefficient: mean absolute difference over all pairs / (2 × mean)."""
    x = np.sort(np.asarray(x, dtype=float))
    n = len(x)
    if n == 0 or x.sum() == 0:
        return 0.0
    i = np.arange(1, n + 1)
    return float(np.sum((2 * i - n - 1) * x) / (n * x.sum()))


def pay_distribution(total_pay: np.ndarray) -> PayDistribution:
    t = np.asarray(total_pay, dtype=float)
    p10, p50, p90 = np.percentile(t, [10, 50, 90])
    return PayDistribution(float(t.mean()), float(p10), float(p50), float(p90), gini(t))


@dataclass(frozen=True)
class RankingNoise:
    """skill_pay_rank_corr: mean Spearman correlation of true skill and pay per replication;
    bottom_below_median: share of bottom-band agents whose true skill is below the median;
    bottom_repeat: chance that an agent in the bottom band of one replication is in it in
    another; bottom_share: the band's share (what bottom_repeat would be if pure noise)."""

    skill_pay_rank_corr: float
    bottom_below_median: float
    bottom_repeat: float
    bottom_share: float


def bottom_band(pay: np.ndarray, share: float) -> np.ndarray:
    """Boolean (R, n): the ceil(share × n) lowest-paid agents of each replication."""
    pay = np.atleast_2d(pay)
    k = int(np.ceil(share * pay.shape[1]))
    order = np.argsort(pay, axis=1, kind="stable")[:, :k]
    mask = np.zeros(pay.shape, dtype=bool)
    np.put_along_axis(mask, order, True, axis=1)
    return mask


def ranking_noise(true_skill: np.ndarray, pay: np.ndarray, bottom: float = 0.1) -> RankingNoise:
    """Diagnostics from true skill (n,) and realised pay per replication (R, n)."""
    pay = np.atleast_2d(np.asarray(pay, dtype=float))
    skill_rank = rankdata(true_skill)
    corrs = []
    for row in pay:
        pr = rankdata(row)
        sd = pr.std() * skill_rank.std()
        corrs.append(float(np.mean((pr - pr.mean()) * (skill_rank - skill_rank.mean())) / sd)
                     if sd > 0 else 0.0)
    band = bottom_band(pay, bottom)
    below = np.asarray(true_skill) < np.median(true_skill)
    in_band = band.sum()
    below_share = float((band & below[None]).sum() / in_band) if in_band else 0.0
    r = pay.shape[0]
    if r > 1:
        counts = band.sum(axis=0).astype(float)          # replications in the band, per agent
        pairs = (counts * (counts - 1)).sum()            # ordered pairs (r1 ≠ r2) both in band
        repeat = float(pairs / (counts.sum() * (r - 1))) if counts.sum() else 0.0
    else:
        repeat = float("nan")
    k = int(np.ceil(bottom * pay.shape[1]))
    return RankingNoise(float(np.mean(corrs)), below_share, repeat, k / pay.shape[1])


@dataclass(frozen=True)
class SchemeDiagnostics:
    """Pay distribution of expected pay, and ranking noise over the noise draws."""

    pay: PayDistribution
    ranking: RankingNoise
    realised_pay: np.ndarray          # (R, n): pay in each noise draw (a "replication")
    true_standing: np.ndarray         # (n,): pay at the noise-free KPIs


def scheme_diagnostics(pay_fn, agents, levers: np.ndarray, state, noise: np.ndarray,
                       params=None, bottom: float = 0.1) -> SchemeDiagnostics:
    """Diagnostics of a scheme at the agents' levers: each noise draw is one period's luck.

    True skill is the agent's pay on its expected (noise-free) KPIs — its standing without
    luck; the ranking diagnostics compare it with the pay realised draw by draw.
    """
    from sim.behavior.pay import pay_tables
    from sim.behavior.surrogate import expected_kpis, noisy_kpis

    r = noise.shape[0]
    ids = {"agent_id": agents.agent_id, "pool": agents.pool}
    exp = {**expected_kpis(agents, levers, state, params), **ids}
    true = pay_tables(pay_fn, {k: np.asarray(v)[None] for k, v in exp.items()}).total[0]
    real = noisy_kpis(agents, levers, state, noise, params)
    table = {**real, **{k: np.broadcast_to(v, (r, agents.n)) for k, v in ids.items()}}
    realised = pay_tables(pay_fn, table).total
    return SchemeDiagnostics(pay_distribution(realised.mean(axis=0)),
                             ranking_noise(true, realised, bottom), realised, true)
