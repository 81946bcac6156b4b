"""Behaviour-model parameters: lever bounds, effort-cost weights, outcome effects, skills.

Every default is either a published effect size or a seed calibrated against one
(docs/behavior.md has the table with sources). All are
overridable: the dataclasses are frozen, use ``dataclasses.replace``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.levers import LeverEffects

#: Lever order in every ``(..., 4)`` lever array.
LEVERS: tuple[str, ...] = ("speed", "availability", "outbound", "sales_push")
SPEED, AVAILABILITY, OUTBOUND, SALES_PUSH = range(4)


@dataclass(frozen=True)
class BehaviorParams:
    """Lever bounds, effort-cost weights and the surrogate's outcome effects.

    Effort cost C_i(l) = cost_per_hour_i × staffed_hours × Σ_k weight_k (l_k − l⁰_k)²
    (docs/behavior.md). Weights are calibrated so that a piece rate worth about half of base
    pay raises throughput by ~20% (Shearer 2004: +20%; Lazear 2000: +44% incl. sorting).
    """

    # bounds per lever (speed = handle-time multiplier; docs/behavior.md)
    speed_bounds: tuple[float, float] = (0.7, 1.2)
    availability_bounds: tuple[float, float] = (0.6, 0.98)
    outbound_bounds: tuple[float, float] = (0.0, 1.0)
    sales_push_bounds: tuple[float, float] = (0.0, 1.0)
    # effort-cost weights per lever (dimensionless, × cost_per_hour × staffed hours)
    cost_weights: tuple[float, float, float, float] = (3.0, 4.0, 4.0, 1.0)
    # Outcome effects use the simulator's forms and defaults (sim/levers.py LeverEffects,
    # sim/model.py Quality) so that surrogate and simulation agree.
    # speed-quality trade-off (Holmström & Milgrom 1991 multitask; de Véricourt & Zhou 2005):
    # fcr(s) = fcr_i (1 − rush_fcr (1 − s)+) + slow_fcr_gain (s − 1)+ (1 − fcr_i)
    rush_fcr: float = 0.6
    slow_fcr_gain: float = 0.5
    fcr_max: float = 0.99
    # rushing: complaints and bad reviews × (1 + rush_complaint (1 − s)+); satisfaction,
    # named good reviews and QA × (1 − rush_satisfaction (1 − s)+)
    rush_complaint: float = 2.0
    rush_satisfaction: float = 0.3
    # per answered contact at the natural pace
    rating_rate: float = 0.30         # share of answered contacts that leave a rating
    satisfaction: float = 0.92
    named_good_review: float = 0.05   # seed 004: named good review rate threshold 6%
    bad_review: float = 0.004
    complaint: float = 0.01
    qa_mean: float = 90.0
    qa_samples: int = 12              # sampled contacts per period (seed 001: 12 a month)
    # repeat contacts: unresolved contacts that come back (Ding et al. reconnect orbit)
    repeat_share_unresolved: float = 0.8
    # pre-sale: conversion = sales_i (1 + push_conversion q); returns × (1 + push_returns q)
    presale_share: float = 0.3
    push_conversion: float = 0.3
    conversion_max: float = 0.95
    order_value: float = 200.0
    return_rate: float = 0.08
    push_returns: float = 0.5
    # outbound work: connected call talk time and failed-dial time
    outbound_talk_s: float = 180.0
    dial_s: float = 45.0
    # share of rings that reach an agent who is in aux or busy outbound (missed, re-queued)
    ring_unready_share: float = 0.3
    # occupancy above which the per-agent ring rate is capped (finite rings per idle hour)
    occupancy_cap: float = 0.97
    # coefficient of variation of one contact's handle time (exponential: 1)
    handle_cv: float = 1.0
    # period shocks (luck of the call mix, sick hours): cv of a per-agent multiplicative
    # shock on volume (answered, outbound) and on handle time — why a dip is often noise
    # (seed 001) and why tournaments have interior equilibria (Lazear & Rosen 1981)
    volume_shock_cv: float = 0.05
    aht_shock_cv: float = 0.03

    def bounds(self) -> np.ndarray:
        """Lever bounds as a (4, 2) array in LEVERS order."""
        return np.array([self.speed_bounds, self.availability_bounds, self.outbound_bounds,
                         self.sales_push_bounds], dtype=float)

    def weights(self) -> np.ndarray:
        return np.asarray(self.cost_weights, dtype=float)


@dataclass(frozen=True)
class SkillDistribution:
    """Per-pool distribution of agent skills (drawn once; common across policies).

    speed: lognormal handle-time multiplier, mean 1, cv ``speed_cv``;
    fcr: beta with mean ``fcr_mean`` and concentration ``fcr_concentration``;
    availability: normal, clipped to the availability bounds;
    sales: beta pre-sale conversion ability; cost_per_hour: lognormal effort-cost scale
    (money per staffed hour); outbound_natural: the process's outbound effort (seed 000).
    """

    speed_cv: float = 0.15
    fcr_mean: float = 0.85
    fcr_concentration: float = 40.0
    availability_mean: float = 0.85
    availability_sd: float = 0.05
    sales_mean: float = 0.35
    sales_concentration: float = 30.0
    cost_per_hour: float = 17.0       # ≈ base pay 3000 / 176 staffed hours a month
    cost_cv: float = 0.25
    outbound_natural: float = 0.25   # seed 000: ~1 outbound call per inbound problem


#: docs/behavior.md's per-pool FCR means (in-house 0.85, reserve 0.80, outsourced 0.72).
DEFAULT_POOL_SKILLS: dict[str, SkillDistribution] = {
    "in_house": SkillDistribution(),
    "reserve": SkillDistribution(fcr_mean=0.80, speed_cv=0.20),
    "outsourced": SkillDistribution(fcr_mean=0.72, speed_cv=0.20, availability_mean=0.82),
}


@dataclass(frozen=True)
class SolverSettings:
    """Best-response and equilibrium settings.

    grid: points per lever for the coarse grid (check_grid and check_starts: the finer
    grid and the multi-start pattern search that certify an equilibrium's regret);
    resolution: the pattern search (step halving from half a grid spacing) stops when every
    step is below this share of range; noise_draws: common count-noise draws per evaluation
    (rank-order pay averages over own × others' draws: the chance of landing in a band).
    Rank-order equilibrium (docs/behavior.md): rounds of exact best responses to the others'
    current levers; an agent moves when it gains more than ``move_above`` × regret_tol,
    to its best response whole; a best response further than ``jump`` (share of a lever's
    range: another basin, e.g. give up instead of compete) is taken by at most
    ``jump_share`` of the agents a round after the first (≥ 1, the largest gains first).
    When that play ends without reaching regret_tol after at least ``cycle_window`` rounds,
    the agents who changed basin in its last ``cycle_window`` rounds (at most 8) mix
    between their two points (sim/behavior/mixed.py): at most ``mixed_rounds`` rounds (0:
    never), the mixing probabilities moved ``mix_step`` of the way to the restricted game's
    equilibrium a round.
    regret_tol: converged when no agent gains more than this share of its effort-cost scale
    (cost_per_hour × staffed hours) from its exact best response (an ε-equilibrium);
    max_rounds: best-response rounds at most; fd_step: finite-difference step for "why",
    share of range; chunk: elements (draws × agents × candidates) per stacked pay table —
    a candidate's numbers do not depend on it; 2^17 keeps each of the pay's ~1 MB
    temporaries in cache and on the heap (1,000,000: 8 MB arrays mapped and faulted in at
    every operation, 2× the CPU on the flagship's solves, docs/performance.md).
    """

    grid: tuple[int, int, int, int] = (6, 5, 5, 3)
    check_grid: tuple[int, int, int, int] = (11, 9, 11, 5)   # certifying the regret
    check_starts: int = 4             # pattern searches from the best grid points, certifying
    resolution: float = 0.002         # pattern search stops at this share of a lever's range
    noise_draws: int = 16
    move_above: float = 0.5           # an agent moves when it gains > this × regret_tol
    jump: float = 0.1                 # a best response this far (share of range): a basin change
    jump_share: float = 0.05          # at most this share of the agents change basin a round
    cycle_window: int = 16            # rounds of a cycling play whose basin changes mix
    mixed_rounds: int = 30            # mixed-equilibrium rounds at most (0: pure play only)
    mix_step: float = 0.2             # damping of the mixing probabilities
    max_rounds: int = 60
    regret_tol: float = 0.02          # ε-equilibrium: max gain from deviating, share of cost scale
    fd_step: float = 0.05             # finite-difference step for "why", share of range
    chunk: int = 131_072


_EFFECTS = ("rush_fcr", "slow_fcr_gain", "rush_complaint", "rush_satisfaction",
            "push_conversion", "push_returns")


def lever_effects(params: BehaviorParams) -> LeverEffects:
    """The simulator's lever effects with the behaviour model's (possibly overridden) sizes,
    so that the surrogate and the simulation agree."""
    return LeverEffects(**{k: getattr(params, k) for k in _EFFECTS})
