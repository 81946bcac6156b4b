"""Each agent's expected rate per period: their own level, moved by the team's day.

A promotion day, a system outage or a change of customer mix moves every agent's rate
together. Judged against their own baseline alone, every agent then looks shifted at
once. Steiner, Cook, Farewell & Treasure (2000), "Monitoring surgical performance using
risk-adjusted cumulative sum charts", *Biostatistics* 1(4):441–452, give each case of a
CUSUM its own expected outcome from a covariate; here the covariate is the rest of the
team's rate that day:

    share:  logit q_ct = logit p0_c + logit r_ct − logit r̄_c
    rate:   q_ct = p0_c · r_ct / r̄_c

where p0_c is the agent's own baseline rate, r_ct the rate of the *other* agents on day t
(the agent's own counts left out, so an agent's own decline is never explained away by
itself), and r̄_c the others' rate over the agent's baseline days, weighted by the agent's
trials (so p0_c and r̄_c describe the same days). The day's move is kept only where it
stands out of the others' own sampling noise (:func:`day_shift`); a day with no other
agents' trials leaves the agent at their own level. A decline of the whole team then moves q with it: the
team row, judged against its own baseline, carries it.

The others' rate is itself estimated; its noise, where the garrote keeps it, adds about
n_c v / 3 to the variance of the agent's count relative to n_c p q (v the day move's
sampling variance, n_c the agent's trials, N_others the others'), which the charts carry
as a dispersion factor 1 + n̄_c / (3 N̄_others) (quasi-likelihood, as for Laney's factor).
An agent whose others have fewer than ten times their trials (a team of a handful) is
judged on their own baseline alone: the day's rate would be mostly noise.
"""

from __future__ import annotations

import numpy as np

from rules.monitor.counts import Model

EPS = 1e-9
GARROTE_NOISE = 0.3333    # E[(z − 1/z)²; |z| > 1], z ~ N(0, 1): the kept share of the noise
MIN_OTHERS = 10.0         # the others' trials must be ≥ this × the agent's to adjust


def others_rate(x: np.ndarray, n: np.ndarray, team_x: np.ndarray, team_n: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray]:
    """(successes, trials) of the other agents, per agent row and period (the team's
    counts per period, or per cell when given as (rows, T))."""
    tx = team_x if team_x.ndim == 2 else team_x[None, :]
    tn = team_n if team_n.ndim == 2 else team_n[None, :]
    return tx - x, tn - n


def reference_rate(ox: np.ndarray, on: np.ndarray, n: np.ndarray, in_baseline: np.ndarray
                   ) -> np.ndarray:
    """r̄_c: the others' rate over each agent's baseline days, weighted by the agent's
    trials (NaN when no baseline day has both)."""
    w = np.where(in_baseline & (n > 0) & (on > 0), n, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(on > 0, ox / np.where(on > 0, on, 1.0), 0.0)
        tot = w.sum(axis=1)
        return np.where(tot > 0, (w * rate).sum(axis=1) / np.where(tot > 0, tot, 1.0), np.nan)


def day_shift(model: Model, ox: np.ndarray, on: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """The day's move of the others' rate from r̄_c, on the log-odds (share) or log (rate)
    scale, kept only where it stands out of its own sampling noise: d* = d (1 − v/d²)₊
    (Breiman's 1995 non-negative garrote on one coordinate), v ≈ 1 / (N_others r̄ (1 − r̄))
    (share) or 1 / (N_others r̄) (rate). A quiet day leaves the agent at their own level
    (0); a promotion day that moves 1,500 others' contacts by 15% passes almost whole;
    one other agent's single QA sample moves nothing. Half a count keeps the logs finite."""
    ref = np.asarray(ref, float)[:, None]
    ok = (on > 0) & ~np.isnan(ref) & (ref > 0)
    rb = np.where(ok, ref, 0.5)
    with np.errstate(divide="ignore", invalid="ignore"):
        if model == "poisson":
            r = (ox + 0.5) / np.where(on > 0, on, 1.0)
            d = np.log(r) - np.log(rb)
            v = 1.0 / np.maximum(on * rb, EPS)
        else:
            rb = np.clip(rb, EPS, 1.0 - EPS)
            r = (ox + 0.5) / (np.where(on > 0, on, 1.0) + 1.0)
            d = (np.log(r) - np.log1p(-r)) - (np.log(rb) - np.log1p(-rb))
            v = 1.0 / np.maximum(on * rb * (1.0 - rb), EPS)
        keep = np.maximum(0.0, 1.0 - v / np.maximum(d * d, 1e-300))
    return np.where(ok, d * keep, 0.0)


def expected(model: Model, p0: np.ndarray, shift: np.ndarray) -> np.ndarray:
    """q_ct from the own level p0_c (rows,) and the day's move d*_ct (rows, T); exactly
    p0_c where the day does not move."""
    p0 = np.asarray(p0, float)[:, None]
    if model == "poisson":
        q = p0 * np.exp(shift)
    else:
        pc = np.clip(p0, EPS, 1.0 - EPS)
        q = 1.0 / (1.0 + np.exp(-((np.log(pc) - np.log1p(-pc)) + shift)))
    return np.where(shift == 0.0, p0, q)


def noise_dispersion(n: np.ndarray, others_n: np.ndarray, in_baseline: np.ndarray
                     ) -> np.ndarray:
    """1 + n̄_c / (3 N̄_others) over each agent's baseline days; NaN where the others have
    fewer than MIN_OTHERS × the agent's trials (the agent is then not adjusted)."""
    m = in_baseline & (n > 0)
    own = np.where(m, n, 0.0).sum(axis=1)
    oth = np.where(m, others_n, 0.0).sum(axis=1)
    ok = oth >= MIN_OTHERS * own
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(ok & (oth > 0), 1.0 + GARROTE_NOISE * own / np.where(oth > 0, oth, 1.0),
                        np.nan)
