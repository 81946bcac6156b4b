"""Typed inputs of one simulation run: channels, pools, routing, outcome and lever models.

Plain frozen dataclasses, built from a scenario by :mod:`scenarios.adapters.to_sim` or directly in
code (tests, the behaviour model). The kernel trusts them: validation happened at load.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.bot_model import BotSpec
from sim.levers import LeverEffects, Levers
from sim.routing import Pooled, Router


@dataclass(frozen=True)
class Duration:
    """A positive duration distribution by its mean (and cv): exponential, lognormal,
    gamma or deterministic."""

    dist: str
    mean_s: float
    cv: float = 1.0

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` draws in seconds (mean ``mean_s``)."""
        m = self.mean_s
        if self.dist == "exponential":
            return rng.exponential(m, n)
        if self.dist == "deterministic" or self.cv == 0:
            return np.full(n, float(m))
        if self.dist == "lognormal":
            s2 = np.log1p(self.cv ** 2)
            return rng.lognormal(np.log(m) - s2 / 2, np.sqrt(s2), n)
        if self.dist == "gamma":
            k = 1.0 / self.cv ** 2
            return rng.gamma(k, m / k, n)
        raise ValueError(f"unknown distribution {self.dist!r}")


@dataclass(frozen=True)
class SalesModel:
    """Pre-sale share of a channel's contacts and the order/return probabilities."""

    presale_share: float = 0.0
    conversion: float = 0.35
    order_mean: float = 200.0
    order_cv: float = 1.0
    return_rate: float = 0.08
    exchange_rate: float = 0.03
    refund_rate: float = 0.05


@dataclass(frozen=True)
class ChannelModel:
    """One contact channel. ``patience`` None = infinite; ``concurrency`` > 1 for chat."""

    name: str
    handle: Duration
    acw_s: float = 0.0
    patience: Duration | None = None
    within_s: float = 20.0
    concurrency: int = 1
    slowdown: float = 0.0
    retrial_p: float = 0.0
    retrial_delay: Duration = Duration("exponential", 600.0)
    repeat_p: float = 0.0
    repeat_delay: Duration = Duration("exponential", 3600.0)
    sales: SalesModel = SalesModel()


@dataclass(frozen=True)
class Quality:
    """Outcome probabilities of a pool's agents at their natural pace (per contact)."""

    fcr: float = 0.85
    fcr_sd: float = 0.0
    rating_rate: float = 0.30
    satisfaction: float = 0.92
    named_good_review: float = 0.05
    bad_review: float = 0.004
    complaint: float = 0.01
    violation: float = 0.002
    qa_mean: float = 90.0


@dataclass(frozen=True)
class Duty:
    """People on fixed rosters, each on duty exactly in their spans: flat arrays (a
    compiled kernel takes them as they are). Span k puts person ``person[k]`` on duty from
    ``on_s[k]`` to ``off_s[k]`` seconds after the horizon start; ``ids`` name the people
    (e.g. employee ids E001…), whom KPI and pay tables show."""

    ids: tuple[str, ...]
    person: np.ndarray  # int, one per span
    on_s: np.ndarray  # float seconds
    off_s: np.ndarray  # float seconds

    @property
    def n_people(self) -> int:
        return len(self.ids)

    def matrix(self, interval_s: float, n_intervals: int) -> np.ndarray:
        """bool (people, intervals): on duty in the interval. The kernel rosters at interval
        boundaries, so spans must start and end on them (planning.roster's shifts do)."""
        out = np.zeros((self.n_people, n_intervals), dtype=bool)
        a = np.asarray(self.on_s, float) / interval_s
        b = np.asarray(self.off_s, float) / interval_s
        if not (np.allclose(a, np.rint(a)) and np.allclose(b, np.rint(b))):
            raise ValueError("duty spans must start and end on interval boundaries")
        # the union of each person's spans: +1 where a span starts, −1 where it ends,
        # on duty where the running sum is positive (spans clipped to the horizon)
        p = np.asarray(self.person, np.int64)
        i = np.maximum(np.rint(a).astype(np.int64), 0)
        j = np.minimum(np.rint(b).astype(np.int64), n_intervals)
        keep = i < j
        step = np.zeros((self.n_people, n_intervals + 1), np.int64)
        np.add.at(step, (p[keep], i[keep]), 1)
        np.add.at(step, (p[keep], j[keep]), -1)
        out[:] = np.cumsum(step[:, :n_intervals], axis=1) > 0
        return out

    def hours(self, horizon_s: float) -> np.ndarray:
        """Hours on duty per person inside [0, horizon_s)."""
        on = np.clip(np.asarray(self.on_s, float), 0.0, horizon_s)
        off = np.clip(np.asarray(self.off_s, float), 0.0, horizon_s)
        return np.bincount(np.asarray(self.person, np.int64), weights=off - on,
                           minlength=self.n_people) / 3600.0


@dataclass(frozen=True)
class PoolModel:
    """A sourcing pool: agents on duty per interval, skills, productivity, quality, levers.

    ``staffing[i]`` rostered agents in interval i; slot j works in interval i when
    j < staffing[i] and the slot showed up (drawn once per replication).
    ``levers`` holds one value per slot or one for all (numpy broadcasting).
    """

    name: str
    staffing: np.ndarray
    skills: tuple[str, ...]
    productivity: float = 1.0
    show_up: float = 1.0
    speed_cv: float = 0.0
    quality: Quality = Quality()
    levers: Levers = Levers()
    # per-slot skills given from outside (the behaviour model's agents, so that simulator
    # and behaviour model see the same people): natural pace replaces productivity × the
    # drawn natural pace, natural FCR replaces the drawn FCR (before levers)
    natural_pace: np.ndarray | None = None
    natural_fcr: np.ndarray | None = None
    # people on fixed rosters: agent j of the pool is person j, on duty exactly in their
    # spans (``staffing`` is then their sum per interval); None: slots as above
    duty: Duty | None = None

    @property
    def size(self) -> int:
        """Agents of the pool in the simulator: its people, or its most slots."""
        if self.duty is not None:
            return self.duty.n_people
        return int(np.max(self.staffing, initial=0))

    def agent_id(self, j: int) -> str:
        """The id of the pool's agent j in KPI and pay tables."""
        return self.duty.ids[j] if self.duty is not None else f"{self.name}-{j + 1:03d}"


@dataclass(frozen=True)
class OutboundModel:
    """Outbound work: attempts per hour and the share that connects.

    ``mode`` "idle": outbound is filler in ready idle time (an inbound contact interrupts
    it). "ready_time": ``outbound_effort`` is the share of ready time spent on outbound
    work, during which the agent takes no inbound contact (seed 000 phase 1: "time wasted
    on outbound, calls could not get in"); an attempt then takes connect_rate × talk_s ×
    pace + (1 − connect_rate) × dial_s seconds, talk_s chosen so that a pace-1 agent makes
    ``calls_per_hour`` attempts per hour of outbound work.
    """

    calls_per_hour: float = 12.0
    connect_rate: float = 0.6
    mode: str = "idle"
    dial_s: float = 45.0

    @property
    def talk_s(self) -> float:
        """Connected-call time of a pace-1 agent (ready_time mode)."""
        c = self.connect_rate
        per_attempt = 3600.0 / self.calls_per_hour if self.calls_per_hour > 0 else 0.0
        return max(per_attempt - (1.0 - c) * self.dial_s, 0.0) / c if c > 0 else 0.0

    def attempt_s(self, pace: np.ndarray) -> np.ndarray:
        """Mean time per dial attempt for agents of the given pace (ready_time mode)."""
        c = self.connect_rate
        return c * self.talk_s * np.asarray(pace, float) + (1.0 - c) * self.dial_s


@dataclass(frozen=True)
class SimModel:
    """Everything one replication needs apart from the arrival rates and the seed."""

    channels: tuple[ChannelModel, ...]
    pools: tuple[PoolModel, ...]
    interval_s: float
    n_intervals: int
    warmup_s: float = 0.0
    drain: bool = True
    contact_log: bool = False
    router: Router = field(default_factory=Pooled)
    effects: LeverEffects = field(default_factory=LeverEffects)
    outbound: OutboundModel = OutboundModel()
    # missed rings: while on duty but not ready (aux, outbound work) an agent is still rung
    # for this share of the contacts a ready agent would get; 0 = not modelled (answer
    # rate 1). The behaviour model's ring_unready_share (docs/behavior.md).
    ring_unready_share: float = 0.0
    kernel: str = "auto"   # auto: the FCFS recursion where it applies (sim.fcfs); events: always the desk
    # which waiting contact an agent free for several channels takes: channel names in
    # priority order (channels not listed come after, oldest first among them), or None
    # for the oldest contact across channels. Scenarios default to voice before chat
    # (scenarios.adapters.to_sim); code-built models keep oldest-first unless told.
    priority: tuple[str, ...] | None = None
    # a bot in front of channels: channel name -> its bot (sim.bot runs the stage on the
    # arrival side); None = no bot anywhere (a compiled kernel may then take the model)
    bot: dict[str, BotSpec] | None = None

    @property
    def horizon_s(self) -> float:
        return self.interval_s * self.n_intervals

    def channel_index(self, name: str) -> int:
        return [c.name for c in self.channels].index(name)
