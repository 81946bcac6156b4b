"""Typed inputs of the sourcing-mix model (planning.mix_model): pools, demand cases, options.

Everything is in intervals of the planning horizon (index 0 = the first interval) and in
*in-house-equivalent scheduled agents*: a requirement of 10 means ten in-house agents on
shift (after shrinkage) meet the targets; a pool with productivity η covers η of that per
agent on duty. The ``scenarios`` package turns a scenario file into these objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from planning.roster.inputs import RosterRules


@dataclass(frozen=True)
class ShiftPattern:
    """An in-house shift: ``length`` intervals from any allowed start, minus its breaks.

    starts: offsets from midnight (in intervals) where the shift may begin each day.
    breaks: offsets from the shift start (in intervals) when the agent is off the queue.
    paid_hours: hours paid per shift (breaks may be paid or not).
    """

    name: str
    length: int
    starts: tuple[int, ...]
    breaks: tuple[int, ...] = ()
    paid_hours: float = 8.0


@dataclass(frozen=True)
class InHouse:
    """Own agents: headcount (plus hires), shift patterns, days-off rule, wage.

    hires_from: first interval a hire can work (hiring lead time after the plan is fixed).
    max_days_per_week: working days per agent in each 7-day block of the horizon.
    paid_hours_per_week: None — hourly pay: each rostered shift costs its paid hours;
    a number — salaried: every agent employed (headcount, and each hire from its first
    day) is paid this many hours a week whether rostered or not, and rostered paid hours
    per 7-day block stay within them (no overtime).
    """

    headcount: int
    cost_per_paid_hour: float
    patterns: tuple[ShiftPattern, ...]
    productivity: float = 1.0
    max_hires: int = 0
    hire_cost: float = 0.0
    hires_from: int = 0
    max_days_per_week: int = 5
    paid_hours_per_week: float | None = None
    rules: RosterRules | None = None  # per-person rules, kept in aggregate (planning.roster)

    @property
    def salaried(self) -> bool:
        return self.paid_hours_per_week is not None


@dataclass(frozen=True)
class Outsourced:
    """A vendor: contracted seat blocks (first stage) and surge seats (recourse).

    Contracted seats come in blocks of exactly ``block`` intervals starting on multiples of
    ``block_step`` (chained blocks give any longer stretch); ``capacity`` caps contracted seats per interval; ``available_from``
    is the first interval the vendor can staff (its notice lead time). Surge seats are
    bought per block of ``block`` intervals after the demand scenario is known, from
    interval ``surge_from``, up to ``surge_capacity`` per interval, at ``surge_price_per_hour``.
    ``quality_cost_per_hour`` prices the lower quality (complaints, repeat contacts).
    """

    price_per_hour: float
    capacity: float
    block: int = 8
    block_step: int = 8
    available_from: int = 0
    productivity: float = 0.55
    surge_capacity: float = 0.0
    surge_price_per_hour: float = 0.0
    surge_from: int = 0
    quality_cost_per_hour: float = 0.0
    surge_notice: int = 0  # intervals between deciding surge seats and their start


@dataclass(frozen=True)
class Reserve:
    """Pre-trained on-call agents: the plan picks the pool size R (first stage); each demand
    scenario calls out up to ``show_up``·R of them in blocks of ``callout`` intervals from
    interval ``available_from`` (training lead time, call-out notice). Reserve agents work
    in their rest time (seed 000), so ``max_hours_per_agent`` caps the call-out hours per
    agent who turns up over the horizon."""

    max_size: float
    cost_per_agent: float  # retainer + training, paid for every agent in the pool
    activation_per_hour: float
    show_up: float = 0.7
    productivity: float = 0.8
    callout: int = 8
    available_from: int = 0
    quality_cost_per_hour: float = 0.0
    max_hours_per_agent: float | None = None  # call-out hours per turned-up agent, horizon
    notice: int = 0  # intervals between calling a block out and its start


@dataclass(frozen=True)
class Temps:
    """Untrained temporary agents: last resort, hired per interval after demand is known."""

    capacity: float
    price_per_hour: float
    productivity: float = 0.4
    quality_cost_per_hour: float = 0.0
    available_from: int = 0
    notice: int = 0  # intervals between hiring a temp and its start


@dataclass(frozen=True)
class DemandCase:
    """One demand scenario: its probability and requirement per interval (in-house-equivalent
    scheduled agents; ``by_channel`` keeps the per-channel parts for reports and checks).
    ``volume``: expected contacts per interval, what the planner sees of the scenario as it
    unfolds (planning.information); None: the scenario is known from the horizon start."""

    name: str
    probability: float
    requirement: np.ndarray
    by_channel: dict[str, np.ndarray] = field(default_factory=dict)
    volume: np.ndarray | None = None
    # in-house-first routing: in-house scheduled agents needed on their own (planning.tier;
    # the per-pool row of the mix model); None: no such row
    in_house: np.ndarray | None = None
    # arrivals per hour each channel's requirement was staffed for (redials and repeats
    # included): what the in-house tier sees (planning.tier)
    staffed: dict[str, np.ndarray] = field(default_factory=dict)
    # in-house-first routing: the pooled requirement before the routed rows raised it —
    # the requirement with contacts overflowing at once (no wait for in-house agents)
    pooled: np.ndarray | None = None

    def overflowing_at_once(self) -> DemandCase:
        """This case with contacts overflowing at once: the pooled requirement alone, no
        in-house row (what the scenario with ``overflow_after_s: 0`` gives)."""
        if self.in_house is None:
            return self
        return replace(self, requirement=self.pooled, in_house=None, pooled=None)


@dataclass(frozen=True)
class MixInputs:
    """Everything the mix model needs. A pool set to None does not exist.

    shortfall_penalty_per_hour: cost per missing in-house-equivalent agent-hour.
    hard_coverage: forbid any shortfall (infeasible if the pools cannot cover).
    chance_min_share: if set, the requirement must be met in full in demand scenarios of
    total probability ≥ this share (SAA chance constraint, Gurvich et al. 2010).
    """

    interval_minutes: int
    n_intervals: int
    cases: tuple[DemandCase, ...]
    in_house: InHouse | None = None
    outsourced: Outsourced | None = None
    reserve: Reserve | None = None
    temps: Temps | None = None
    shortfall_penalty_per_hour: float = 500.0
    hard_coverage: bool = False
    chance_min_share: float | None = None
    interval_labels: tuple[str, ...] = ()  # e.g. ISO start times, for messages
    information_z: float = 2.0  # planning.information: Poisson sds that tell scenarios apart

    def label(self, t: int) -> str:
        return self.interval_labels[t] if t < len(self.interval_labels) else f"#{t}"

    @property
    def interval_h(self) -> float:
        return self.interval_minutes / 60.0

    @property
    def intervals_per_day(self) -> int:
        return 24 * 60 // self.interval_minutes

    @property
    def probabilities(self) -> np.ndarray:
        return np.array([c.probability for c in self.cases], dtype=np.float64)

    @property
    def volume(self) -> np.ndarray | None:
        """Expected contacts (scenarios, intervals), None unless every case has them."""
        if any(c.volume is None for c in self.cases):
            return None
        return np.vstack([np.asarray(c.volume, dtype=np.float64) for c in self.cases])

    def with_requirement(self, req: np.ndarray, in_house: np.ndarray | None = None
                         ) -> MixInputs:
        """The same inputs with requirement matrix ``req`` (scenarios, intervals) and, if
        given, in-house requirement matrix ``in_house``."""
        return replace(self, cases=tuple(
            replace(c, requirement=np.asarray(req[i], float),
                    in_house=c.in_house if in_house is None else np.asarray(in_house[i], float))
            for i, c in enumerate(self.cases)))

    @property
    def in_house_requirement(self) -> np.ndarray | None:
        """In-house requirement matrix (scenarios, intervals), None without the row."""
        if self.in_house is None or any(c.in_house is None for c in self.cases):
            return None
        return np.vstack([np.asarray(c.in_house, dtype=np.float64) for c in self.cases])

    @property
    def requirement(self) -> np.ndarray:
        """Requirement matrix, shape (scenarios, intervals)."""
        return np.vstack([np.asarray(c.requirement, dtype=np.float64) for c in self.cases])

    def without(self, *pools: str) -> MixInputs:
        """The same inputs with some pools removed (for single-source comparisons)."""
        return replace(self, **{p: None for p in pools})


@dataclass(frozen=True)
class SolverOptions:
    """HiGHS settings: wall-clock limit, relative MIP gap, threads (None: HiGHS decides)."""

    time_limit_s: float = 60.0
    mip_gap: float = 0.005
    threads: int | None = None
