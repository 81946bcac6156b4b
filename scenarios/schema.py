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


HHMM = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]


class ShiftPatternSpec(StrictModel):
    """An in-house shift pattern: length, allowed start times, one optional break."""

    name: str = Field(description="free identifier, e.g. day8")
    hours: float = Field(gt=0, le=16, description="shift length in hours (a whole number of "
                                                  "intervals)")
    starts: list[HHMM] = Field(min_length=1, description='allowed start times, e.g. ["08:00", '
                                                         '"10:00"]')
    break_after_hours: float | None = Field(None, gt=0, description="break starts this many "
                                                                   "hours into the shift")
    break_minutes: float = Field(0.0, ge=0, description="break length (off the queue)")
    break_paid: bool = Field(False, description="is the break paid")


class Employment(StrictModel):
    """In-house terms for planning: headcount, wage, hires, shifts, days-off rule."""

    headcount: int = Field(ge=0, description="agents employed before any hire")
    cost_per_paid_hour: float = Field(ge=0, description="fully loaded cost per paid hour")
    max_hires: int = Field(0, ge=0, description="extra agents that can be hired")
    hire_cost: float = Field(0.0, ge=0, description="recruiting + training + guaranteed pay "
                                                    "per hire over the horizon")
    hire_lead_days: float = Field(0.0, ge=0, description="days from the decision until a "
                                                         "hire can work")
    max_days_per_week: int = Field(5, ge=1, le=7, description="working days per agent in each "
                                                              "7-day block of the horizon")
    shifts: list[ShiftPatternSpec] = Field(min_length=1, description="shift patterns")


class Contract(StrictModel):
    """Outsourcing contract: price per seat-hour or per contact, blocks, capacity, surge."""

    per: Literal["hour", "contact"] = Field("hour", description="pay per seat-hour or per "
                                                                "handled contact")
    price: float = Field(ge=0, description="price per seat-hour or per contact")
    contacts_per_hour: float | None = Field(
        None, gt=0, description="contacts an outsourced agent handles per hour (needed with "
                                "per: contact; seed 000: about 4)")
    block_hours: float = Field(4.0, gt=0, description="seats are contracted in blocks of "
                                                      "this many hours")
    block_start_every_hours: float | None = Field(
        None, gt=0, description="blocks may start every this many hours (default: block_hours)")
    capacity: float = Field(ge=0, description="most contracted seats per interval")
    notice_days: float = Field(0.0, ge=0, description="days from the decision until the "
                                                      "vendor can staff")
    surge_capacity: float = Field(0.0, ge=0, description="extra seats on short notice per "
                                                         "interval")
    surge_premium: float = Field(1.5, ge=1, description="surge price = premium × contract price")
    surge_notice_hours: float = Field(4.0, ge=0, description="hours after the horizon start "
                                                             "before surge seats can start")


class OnCall(StrictModel):
    """Reserve terms: trained on-call agents (seed 000: trained 2 days before the peak)."""

    max_size: int = Field(ge=0, description="largest reserve pool the vendor can train")
    retainer: float = Field(0.0, ge=0, description="retainer per reserve agent over the horizon")
    training_cost: float = Field(0.0, ge=0, description="training cost per reserve agent")
    training_lead_days: float = Field(2.0, ge=0, description="training takes this many days "
                                                             "after the decision")
    activation_per_hour: float = Field(ge=0, description="pay per called-out agent-hour")
    show_up: float = Field(0.7, gt=0, le=1, description="share of the pool that turns up when "
                                                        "called")
    callout_hours: float = Field(4.0, gt=0, description="call-outs come in blocks of this many "
                                                        "hours")
    notice_hours: float = Field(2.0, ge=0, description="hours after the horizon start before "
                                                       "the first call-out")
    max_hours_per_agent: float | None = Field(
        24.0, gt=0, description="call-out hours per agent over the horizon (reserve agents "
                                "work in their rest time); null for no cap")


class TempHire(StrictModel):
    """Untrained temps: last resort at a premium and a quality penalty."""

    capacity: float = Field(ge=0, description="most temps per interval")
    price_per_hour: float = Field(ge=0, description="cost per temp-hour")
    notice_hours: float = Field(4.0, ge=0, description="hours after the horizon start before "
                                                       "temps can start")


DEFAULT_PRODUCTIVITY = {"in_house": 1.0, "outsourced": 0.55, "reserve": 0.8, "temps": 0.4}


class Pool(StrictModel):
    """A sourcing pool's staffing: constant headcount, one per interval, or a plan CSV;
    plus its planning terms (``peakdesk plan``)."""

    agents: int | list[Annotated[int, Field(ge=0)]] | None = Field(
        None, description="agents on duty: a constant, or one number per interval")
    plan: str | None = Field(None, description="path of a plan CSV (interval,agents), relative "
                                               "to the scenario file")
    productivity: float | None = Field(
        None, gt=0, le=2, description="work done per agent relative to an in-house agent "
                                      "(defaults: in_house 1, outsourced 0.55 — seed 000: 50–60 "
                                      "outsourced where 30 would do —, reserve 0.8, temps 0.4)")
    quality_cost_per_hour: float = Field(0.0, ge=0, description="cost of lower quality "
                                                                "(complaints, repeats) per hour")
    employment: Employment | None = Field(None, description="in_house: planning terms")
    contract: Contract | None = Field(None, description="outsourced: planning terms")
    on_call: OnCall | None = Field(None, description="reserve: planning terms")
    temp_hire: TempHire | None = Field(None, description="temps: planning terms")

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


class PeakWindow(StrictModel):
    """A stretch of the horizon whose demand the peak multipliers scale."""

    start: datetime = Field(description="ISO date-time, local")
    end: datetime = Field(description="ISO date-time, local (exclusive)")


class DemandCases(StrictModel):
    """Planning-local demand scenarios: the point forecast times a peak multiplier inside the
    peak windows (the whole horizon when no window is given)."""

    multipliers: list[Annotated[float, Field(gt=0)]] = Field(min_length=1, description=(
        "one multiplier per demand scenario"))
    probabilities: list[NonNeg] | None = Field(None, description="one per multiplier, sum 1 "
                                                                 "(default: equal)")
    windows: list[PeakWindow] = Field(default_factory=list, description="where the multipliers "
                                                                        "apply")


class SolverSettings(StrictModel):
    time_limit_s: float = Field(60.0, gt=0, description="wall-clock limit per HiGHS solve")
    mip_gap: float = Field(0.005, ge=0, lt=1, description="relative MIP gap to stop at")
    threads: int | None = Field(None, ge=1, description="HiGHS threads (default: HiGHS decides)")


class Planning(StrictModel):
    """Settings of the sourcing-mix plan (``peakdesk plan``)."""

    shortfall_penalty_per_hour: float = Field(
        500.0, ge=0, description="cost per missing agent-hour (in-house equivalent)")
    hard_coverage: bool = Field(False, description="forbid any shortfall")
    chance_min_share: float | None = Field(
        None, gt=0, le=1, description="requirement met in full in demand scenarios of at "
                                      "least this total probability")
    decided_days_before: float = Field(7.0, ge=0, description="the plan is fixed this many "
                                                              "days before the horizon start")
    demand_cases: DemandCases | None = Field(None, description="demand scenarios (default: "
                                                               "the point forecast only)")
    validation_rounds: int = Field(3, ge=0, le=10, description="simulate-and-tighten rounds")
    solver: SolverSettings = Field(default_factory=SolverSettings)


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
    planning: Planning = Field(default_factory=Planning)
