"""The monitoring core's plain inputs: count panels (agents × periods) per metric."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from rules.monitor.counts import Model

Section = Literal["core", "auxiliary", "floor", "bot"]
Period = Literal["day", "week"]
Dispersion = Literal["team", "all", "none"]
JudgeAgents = Literal["team_day", "own"]


@dataclass(frozen=True)
class MetricSeries:
    """One ratio of the monitoring table: successes / trials per agent and period.

    ``trials`` = 0 means no data that period (a day off, no QA sample). ``model`` is
    ``binomial`` for a share (successes ≤ trials) and ``poisson`` for a rate per exposure.
    A ``bot`` metric (containment, hand-offs, returns of a bot in front of the agents) is
    the team's only: its counts are summed over the rows and no agent is charted on it.
    """

    name: str
    section: Section
    model: Model
    higher: bool                  # True when higher is better
    target: float | None
    floor: float | None
    successes: np.ndarray         # (agents, periods)
    trials: np.ndarray            # (agents, periods)
    shift: float | None = None    # the relative change its CUSUM is tuned to (else Settings)


@dataclass(frozen=True)
class Settings:
    """How hard to look. ``false_alarm_rate``: expected false flags per agent, metric and
    period when nothing changed (both directions together; 1/ARL0); ``shift``: the relative
    change each agent's CUSUMs are tuned to detect fastest, ``team_shift`` the team's (its
    counts are many times larger, so a smaller change matters and shows);
    ``baseline_periods``: each agent's own baseline, from its first period with data;
    ``judge_agents``: ``team_day`` judges each agent's period against their own level
    moved by the rest of the team's rate that day (a promotion day that moves everyone is
    the team's shift, not each agent's), ``own`` against their own baseline alone."""

    period: Period = "day"
    baseline_periods: int = 28
    false_alarm_rate: float = 0.001
    shift: float = 0.2
    team_shift: float = 0.05
    floor_confidence: float = 0.95
    floor_window: int = 30
    rank_window: int = 7
    rank_level: float = 0.95
    dispersion: Dispersion = "team"
    seed: int = 0
    judge_agents: JudgeAgents = "team_day"


@dataclass(frozen=True)
class MonitorInputs:
    dates: np.ndarray                     # (periods,) datetime64[D], increasing
    agents: tuple[str, ...]
    metrics: tuple[MetricSeries, ...]
    settings: Settings = Settings()
