"""Behaviour levers as plain inputs, and their effect on handle time and outcomes.

The model that *chooses* levers (best response to a policy) is separate; here the levers
are given, with neutral defaults (the natural way of working, docs/behavior.md). The effect
sizes are seeds to calibrate, not published values (docs/sources.md):

- pace s < 1 (rushing) cuts FCR: fcr·(1 − β·(1 − s)), Holmström & Milgrom 1991 multitask
  logic and de Véricourt & Zhou 2005's resolution-rate view; β = 0.6 seed. A slower pace
  gives a small gain fcr + g·(s − 1)·(1 − fcr), g = 0.5 seed.
- rushing raises complaints and bad reviews (×(1 + κ·(1 − s)), κ = 2) and lowers
  satisfaction and QA (×(1 − 0.3·(1 − s))): Goes et al. 2018 on rushed multitasking.
- sales push q: conversion ×(1 + γ·q), γ = 0.3; returns and exchanges ×(1 + δ·q), δ = 0.5
  (over-promising, seed 004's returns from unclear descriptions).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ArrayLike = float | np.ndarray


@dataclass(frozen=True)
class Levers:
    """Per-agent levers: a scalar for everyone or one value per agent slot."""

    speed: ArrayLike = 1.0
    availability: ArrayLike = 1.0
    outbound_effort: ArrayLike = 0.0
    sales_push: ArrayLike = 0.0

    def per_agent(self, n: int) -> dict[str, np.ndarray]:
        """Each lever as a float array of length ``n``."""
        return {k: np.broadcast_to(np.asarray(getattr(self, k), dtype=float), (n,)).copy()
                for k in ("speed", "availability", "outbound_effort", "sales_push")}


@dataclass(frozen=True)
class LeverEffects:
    """How levers move outcome probabilities (a strategy object: replace to recalibrate)."""

    rush_fcr: float = 0.6
    slow_fcr_gain: float = 0.5
    rush_complaint: float = 2.0
    rush_satisfaction: float = 0.3
    push_conversion: float = 0.3
    push_returns: float = 0.5

    def fcr(self, base: np.ndarray, speed: np.ndarray) -> np.ndarray:
        rush = np.clip(1.0 - speed, 0.0, None)
        slow = np.clip(speed - 1.0, 0.0, None)
        out = base * (1.0 - self.rush_fcr * rush) + self.slow_fcr_gain * slow * (1.0 - base)
        return np.clip(out, 0.0, 1.0)

    def complaint_factor(self, speed: np.ndarray) -> np.ndarray:
        return 1.0 + self.rush_complaint * np.clip(1.0 - speed, 0.0, None)

    def satisfaction_factor(self, speed: np.ndarray) -> np.ndarray:
        return 1.0 - self.rush_satisfaction * np.clip(1.0 - speed, 0.0, None)

    def conversion_factor(self, push: np.ndarray) -> np.ndarray:
        return 1.0 + self.push_conversion * push

    def returns_factor(self, push: np.ndarray) -> np.ndarray:
        return 1.0 + self.push_returns * push
