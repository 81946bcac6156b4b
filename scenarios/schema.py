"""Typed models of the scenario file (FORMATS.md §1). Unknown keys are errors.

Validation happens once, here, at load; the cores trust these objects afterwards.
Every field carries a description: it becomes hover help in editors through
``peakdesk schema``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

PoolName = Literal["in_house", "outsourced", "reserve", "temps"]
Fraction = Annotated[float, Field(ge=0.0, le=1.0)]
NonNeg = Annotated[float, Field(ge=0.0)]


class StrictModel(BaseModel):
    """Base of every file model: unknown keys rejected, immutable after load."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Horizon(StrictModel):
    """The simulated / planned period, cut into equal intervals."""

    start: datetime = Field(description="ISO date-time of the first interval, local time")
    days: int = Field(1, ge=1, le=366, description="number of days in the horizon")
    interval_minutes: Literal[15, 30, 60] = Field(30, description="interval length in minutes")

    @property
    def interval_s(self) -> float:
        return 60.0 * self.interval_minutes

    @property
    def n_intervals(self) -> int:
        return self.days * 24 * 60 // self.interval_minutes

    def interval_starts(self) -> list[datetime]:
        step = timedelta(minutes=self.interval_minutes)
        return [self.start + i * step for i in range(self.n_intervals)]


class Distribution(StrictModel):
    """A positive duration distribution, described by its mean (and cv where needed)."""

    dist: Literal["exponential", "lognormal", "gamma", "deterministic"] = Field(
        description="exponential | lognormal (mean_s, cv) | gamma (mean_s, cv) | deterministic")
    mean_s: float = Field(gt=0, description="mean in seconds")
    cv: float | None = Field(None, ge=0, description="coefficient of variation (lognormal, gamma)")

    @model_validator(mode="after")
    def _cv_needed(self) -> Distribution:
        if self.dist in ("lognormal", "gamma") and self.cv is None:
            raise ValueError(f"'{self.dist}' needs 'cv' (coefficient of variation)")
        return self

    @property
    def scv(self) -> float:
        """Squared coefficient of variation."""
        if self.dist == "exponential":
            return 1.0
        if self.dist == "deterministic":
            return 0.0
        return float(self.cv or 0.0) ** 2


class Patience(StrictModel):
    """How long a customer waits before abandoning (zero = abandons unless answered at once)."""

    dist: Literal["exponential", "lognormal", "deterministic"] = Field(
        description="exponential | lognormal (mean_s, cv) | deterministic")
    mean_s: float = Field(ge=0, description="mean patience in seconds")
    cv: float | None = Field(None, ge=0, description="coefficient of variation (lognormal)")

    @model_validator(mode="after")
    def _cv_needed(self) -> Patience:
        if self.dist == "lognormal" and self.cv is None:
            raise ValueError("'lognormal' needs 'cv' (coefficient of variation)")
        return self


class ServiceLevelTarget(StrictModel):
    """X% of offered contacts answered within Y seconds (abandons count as failures)."""

    target: float = Field(gt=0, lt=1, description="share answered within within_s, e.g. 0.80")
    within_s: float = Field(ge=0, description="the Y of X/Y, seconds")



class Retrial(StrictModel):
    """Customers who abandon may call again (redials; literature.md §D, Ding et al.)."""

    probability: Fraction = Field(
        0.0, description="probability an abandoning customer tries again (seed 0.3-0.6)")
    delay: Distribution = Field(
        default_factory=lambda: Distribution(dist="exponential", mean_s=600.0),
        description="time from abandonment to the new attempt (default exponential, 600 s)")


class RepeatContacts(StrictModel):
    """Contacts not resolved first time come back (de Véricourt & Zhou 2005; literature.md §D).

    The chance a contact is unresolved is 1 - FCR of the agent who handled it.
    """

    probability: Fraction = Field(
        1.0, description="probability an unresolved contact comes back as a repeat contact")
    delay: Distribution = Field(
        default_factory=lambda: Distribution(dist="exponential", mean_s=3600.0),
        description="time from the end of the unresolved contact to the repeat contact "
                    "(default exponential, 1 h)")


class OrderValue(StrictModel):
    """Value of an order placed after a pre-sale contact (lognormal)."""

    mean: float = Field(200.0, gt=0, description="mean order value, scenario currency")
    cv: float = Field(1.0, ge=0, description="coefficient of variation")


class Sales(StrictModel):
    """Pre-sale inquiries on a channel and what follows them (seed 002/004 KPIs)."""

    presale_share: Fraction = Field(
        0.0, description="share of contacts that are pre-sale inquiries (询单 UV)")
    conversion: Fraction = Field(
        0.35, description="probability an inquiry becomes a paid order (付款转化率)")
    order_value: OrderValue = Field(default_factory=OrderValue)
    return_rate: Fraction = Field(0.08, description="returns per order (退货率)")
    exchange_rate: Fraction = Field(0.03, description="exchanges per order (换货率)")
    refund_rate: Fraction = Field(0.05, description="refunds per paid inquiry (退款率)")


class Channel(StrictModel):
    """A contact channel: how long contacts take, how patient customers are, the targets."""

    kind: Literal["voice", "chat", "outbound"] = Field("voice", description="voice | chat | outbound")
    handle_time: Distribution = Field(description="talk/handle time per contact")
    after_contact_work_s: float = Field(0.0, ge=0, description="wrap-up seconds after each contact")
    patience: Patience | None = Field(None, description="omit or `none` for infinite patience")
    service_level: ServiceLevelTarget | None = Field(
        None, description="service-level target, e.g. {target: 0.8, within_s: 20}")
    max_abandon_rate: float | None = Field(
        None, gt=0, lt=1, description="abandonment ceiling (share of offered)")
    max_asa_s: float | None = Field(None, gt=0, description="ASA target: mean wait of answered, s")
    max_occupancy: float | None = Field(
        None, gt=0, le=1, description="occupancy cap (busy / staffed time)")
    concurrency: int = Field(1, ge=1, le=20, description="chat: sessions an agent serves at once")
    concurrency_slowdown: float = Field(
        0.0, ge=0, le=2, description="chat: extra handle time per extra session (0.15 = +15%)")
    retrial: Retrial | None = Field(
        None, description="redials after abandonment; omit for none")
    repeat: RepeatContacts | None = Field(
        None, description="repeat contacts when not resolved first time; omit for none")
    sales: Sales = Field(default_factory=Sales, description="pre-sale inquiries and orders")

    @field_validator("patience", mode="before")
    @classmethod
    def _none_means_infinite(cls, v: Any) -> Any:
        if isinstance(v, str) and v.strip().lower() in ("none", "infinite", "inf"):
            return None
        return v

    @model_validator(mode="after")
    def _concurrency_for_chat(self) -> Channel:
        if self.concurrency > 1 and self.kind != "chat":
            raise ValueError("concurrency > 1 is only meaningful for kind: chat")
        return self

    @property
    def aht_s(self) -> float:
        """Mean time an agent is tied up by one contact at concurrency 1 (handle + wrap-up)."""
        return self.handle_time.mean_s + self.after_contact_work_s


class ChannelDemand(StrictModel):
    """Arrival rate of one channel: a constant, or one rate per interval."""

    rate_per_hour: float | None = Field(None, ge=0, description="constant arrivals per hour")
    rates_per_hour: list[NonNeg] | None = Field(
        None, min_length=1, description="arrivals per hour, one per interval of the horizon")

    @model_validator(mode="after")
    def _exactly_one(self) -> ChannelDemand:
        given = [k for k in ("rate_per_hour", "rates_per_hour") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of 'rate_per_hour' or 'rates_per_hour'")
        return self


class Quality(StrictModel):
    """Per-contact outcome probabilities of a pool's agents at their natural pace.

    Any field left out takes the pool's default (docs/simulation.md, POOL_DEFAULTS).
    """

    fcr: Fraction | None = Field(None, description="first-contact resolution probability")
    fcr_sd: Annotated[float, Field(ge=0, le=0.3)] | None = Field(
        None, description="spread of FCR between agents (beta distribution sd)")
    rating_rate: Fraction | None = Field(None, description="probability a customer rates")
    satisfaction: Fraction | None = Field(None, description="probability a rating is satisfied")
    named_good_review: Fraction | None = Field(
        None, description="probability of a named good review (指名好评)")
    bad_review: Fraction | None = Field(None, description="probability of a bad review (差评)")
    complaint: Fraction | None = Field(None, description="probability of a complaint (投诉)")
    violation: Fraction | None = Field(
        None, description="probability of a language violation (违规用语)")
    qa_mean: Annotated[float, Field(ge=0, le=100)] | None = Field(
        None, description="mean QA score of a monitored contact (0-100)")


class Levers(StrictModel):
    """Behaviour levers (BEHAVIOR.md); neutral defaults leave the natural way of working."""

    speed: float = Field(1.0, ge=0.5, le=1.5, description="pace: handle-time multiplier "
                                                            "(< 1 = rushing)")
    availability: float = Field(1.0, gt=0, le=1, description="share of staffed time ready "
                                                              "for contacts")
    outbound_effort: Fraction = Field(0.0, description="share of ready idle time spent on "
                                                       "outbound calls")
    sales_push: Fraction = Field(0.0, description="pre-sale push: conversion up, returns up")


POOL_DEFAULTS: dict[str, dict[str, float]] = {
    # Seeds, not published values (docs/simulation.md): seed 000 (outsourced ~4 contacts/h
    # where in-house did more; reserve trained 2 days before, 60-80% fewer simple complaints
    # than untrained temps, not all show up), BEHAVIOR.md (FCR 0.85 / 0.80 / 0.72),
    # seed 002 (named good review rate around 5-6%).
    "in_house": dict(productivity=1.0, show_up=1.0, fcr=0.85, rating_rate=0.30,
                     satisfaction=0.92, named_good_review=0.05, bad_review=0.004,
                     complaint=0.010, violation=0.002, qa_mean=90.0),
    "outsourced": dict(productivity=1.35, show_up=0.95, fcr=0.72, rating_rate=0.30,
                       satisfaction=0.85, named_good_review=0.03, bad_review=0.008,
                       complaint=0.030, violation=0.006, qa_mean=82.0),
    "reserve": dict(productivity=1.15, show_up=0.75, fcr=0.80, rating_rate=0.30,
                    satisfaction=0.88, named_good_review=0.04, bad_review=0.006,
                    complaint=0.015, violation=0.004, qa_mean=85.0),
    "temps": dict(productivity=1.6, show_up=0.90, fcr=0.65, rating_rate=0.30,
                  satisfaction=0.80, named_good_review=0.02, bad_review=0.012,
                  complaint=0.050, violation=0.010, qa_mean=75.0),
}


class Pool(StrictModel):
    """A sourcing pool's staffing: constant headcount, one per interval, or a plan CSV."""

    agents: int | list[Annotated[int, Field(ge=0)]] | None = Field(
        None, description="agents on duty: a constant, or one number per interval")
    plan: str | None = Field(None, description="path of a plan CSV (interval,agents), relative "
                                               "to the scenario file")
    skills: list[str] | None = Field(
        None, description="channels this pool's agents serve (default: every channel)")
    productivity: float | None = Field(
        None, gt=0, le=5, description="handle-time multiplier (1.35 = 35% slower than "
                                      "in-house; default by pool, see POOL_DEFAULTS)")
    show_up: Fraction | None = Field(
        None, description="probability a rostered agent turns up (default by pool)")
    speed_cv: float = Field(0.0, ge=0, le=1, description="spread of agents' natural pace "
                                                         "(lognormal cv, e.g. 0.15)")
    quality: Quality = Field(default_factory=Quality, description="outcome probabilities")
    levers: Levers = Field(default_factory=Levers, description="behaviour levers (inputs)")

    def default(self, name: str, key: str) -> float:
        """This pool's value of ``key`` (productivity, show_up or a quality field)."""
        own = getattr(self.quality, key, None) if key in Quality.model_fields else getattr(
            self, key, None)
        if own is not None:
            return float(own)
        if key == "fcr_sd":
            return 0.0
        return float(POOL_DEFAULTS[name][key])

    @field_validator("agents")
    @classmethod
    def _non_negative(cls, v: Any) -> Any:
        if isinstance(v, int) and v < 0:
            raise ValueError("agents must be >= 0")
        return v

    @model_validator(mode="after")
    def _one_source(self) -> Pool:
        if self.agents is not None and self.plan is not None:
            raise ValueError("give either 'agents' or 'plan', not both")
        return self


class Staffing(StrictModel):
    """How requirements are computed from demand (planning.requirements)."""

    model: Literal["auto", "erlang_a", "erlang_c"] = Field(
        "auto", description="auto: Erlang A when the channel has patience, else Erlang C")
    shrinkage: float = Field(0.0, ge=0, lt=1, description="share of paid time not available "
                                                          "(breaks, training, absence)")


class Simulation(StrictModel):
    """Replication settings for the simulator."""

    replications: int = Field(10, ge=1, le=100_000, description="independent replications")
    seed: int = Field(0, ge=0, description="master seed (numpy SeedSequence)")
    warmup_minutes: float = Field(0.0, ge=0, description="ignore contacts arriving before this")
    drain: bool = Field(True, description="after the horizon, keep the last staffing until "
                                          "every waiting contact is answered or abandons")
    contact_log: bool = Field(False, description="write one row per contact (with --out)")


class Routing(StrictModel):
    """Which agent gets a contact (sim.routing)."""

    policy: Literal["pooled", "in_house_first"] = Field(
        "pooled", description="pooled: FCFS to the longest-idle agent of any pool; "
                              "in_house_first: other pools only after overflow_after_s")
    overflow_after_s: float = Field(
        30.0, ge=0, description="in_house_first: wait before other pools may answer")


class Outbound(StrictModel):
    """Outbound calls made in ready idle time (seed 000: outbound volume is a KPI)."""

    calls_per_hour: float = Field(12.0, ge=0, description="dial attempts per hour of "
                                                           "outbound work")
    connect_rate: Fraction = Field(0.6, description="share of attempts that connect "
                                                    "(成功拨打率)")


class Scenario(StrictModel):
    """A what-if: horizon, channels, demand, pools and settings."""

    name: str = Field(description="free text")
    language: Literal["en", "zh"] = Field("en", description="report language")
    currency: str = Field("CNY", description="currency of all money amounts")
    horizon: Horizon
    channels: dict[str, Channel] = Field(min_length=1)
    demand: dict[str, ChannelDemand] = Field(min_length=1)
    pools: dict[PoolName, Pool] = Field(default_factory=dict)
    staffing: Staffing = Field(default_factory=Staffing)
    simulation: Simulation = Field(default_factory=Simulation)
    routing: Routing = Field(default_factory=Routing)
    outbound: Outbound = Field(default_factory=Outbound)
