"""Synthetic monitoring histories with known declines: the ground truth the tests, the
benchmark and the bundled example are checked against.

Each agent has their own rate (a beta draw around the team's), a daily number of trials
(Poisson around the mean; a weekly day off optional), and a known shift: from a known
period on, the agent's rate is multiplied by ``1 − shift`` (a decline, higher is better)
or another factor. Pure numpy; the caller owns the seed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SyntheticPanel:
    successes: np.ndarray      # (agents, periods)
    trials: np.ndarray
    rate: np.ndarray           # (agents,) each agent's own rate before any shift
    changed_at: np.ndarray     # (agents,) first shifted period, −1 when the agent is steady
    factor: np.ndarray         # (agents,) rate multiplier from changed_at on (1 if steady)


def agent_rates(rng: np.random.Generator, agents: int, mean: float, sd: float) -> np.ndarray:
    """Each agent's own share: Beta with the given mean and sd (sd 0: all equal)."""
    if sd <= 0:
        return np.full(agents, mean)
    k = mean * (1 - mean) / (sd * sd) - 1
    return rng.beta(mean * k, (1 - mean) * k, agents)


def synthetic_panel(rng: np.random.Generator, *, agents: int, periods: int,
                    trials_mean: float, rate_mean: float, rate_sd: float = 0.0,
                    changed: int = 0, change_from: int = 0, change_to: int | None = None,
                    factor: float = 0.8, day_off_every: int = 0,
                    model: str = "binomial") -> SyntheticPanel:
    """A panel of counts. ``changed`` agents (the first ones after a shuffle) shift by
    ``factor`` at a period drawn uniformly in [change_from, change_to)."""
    rate = agent_rates(rng, agents, rate_mean, rate_sd)
    trials = rng.poisson(trials_mean, size=(agents, periods)).astype(float)
    if day_off_every > 0:
        off = (np.arange(periods)[None, :] + rng.integers(0, day_off_every, (agents, 1))) \
            % day_off_every == 0
        trials[off] = 0.0
    changed_at = np.full(agents, -1)
    mult = np.ones(agents)
    if changed:
        who = rng.permutation(agents)[:changed]
        hi = periods if change_to is None else change_to
        changed_at[who] = rng.integers(change_from, hi, size=changed)
        mult[who] = factor
    t = np.arange(periods)[None, :]
    shifted = (changed_at[:, None] >= 0) & (t >= changed_at[:, None])
    p = rate[:, None] * np.where(shifted, mult[:, None], 1.0)
    if model == "binomial":
        x = rng.binomial(trials.astype(np.int64), np.clip(p, 0.0, 1.0)).astype(float)
    else:
        x = rng.poisson(p * trials).astype(float)
    return SyntheticPanel(x, trials, rate, changed_at, mult)
