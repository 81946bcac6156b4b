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


class Pool(StrictModel):
    """A sourcing pool's staffing: constant headcount, one per interval, or a plan CSV."""

    agents: int | list[Annotated[int, Field(ge=0)]] | None = Field(
        None, description="agents on duty: a constant, or one number per interval")
    plan: str | None = Field(None, description="path of a plan CSV (interval,agents), relative "
                                               "to the scenario file")

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
