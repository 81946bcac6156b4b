"""Typed models of the scenario file (docs/formats.md §1). Unknown keys are errors.

Validation happens once, here, at load; the cores trust these objects afterwards.
Every field carries a description: it becomes hover help in editors through
``peakdesk schema``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from scenarios.bot_schema import BotChannel
from scenarios.capacity.schema import Capacity
from scenarios.reading.limits import (
    MAX_AGENTS,
    MAX_CV,
    MAX_DAILY_VOLUME,
    MAX_DELAY_S,
    MAX_HORIZON_DAYS,
    MAX_HOURS,
    MAX_INTERVALS,
    MAX_LEAD_DAYS,
    MAX_MINUTES,
    MAX_MONEY,
    MAX_MULTIPLIER,
    MAX_RATE_PER_HOUR,
    MAX_SECONDS,
    Agents,
    Fraction,
    LocalDay,
    LocalTime,
    Money,
    OrderCount,
    PerOrder,
    Rate,
    RelPath,
    Seed,
    Text,
    Weight,
)

PoolName = Literal["in_house", "outsourced", "reserve", "temps"]
NonNeg = Weight  # weights and shares: >= 0, bounded (scenarios.reading.limits)


class StrictModel(BaseModel):
    """Base of every file model: unknown keys rejected, immutable after load."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Horizon(StrictModel):
    """The simulated / planned period, cut into equal intervals."""

    start: LocalTime = Field(description="ISO date-time of the first interval, local time "
                                         "(no UTC offset), 2000-2099")
    days: int = Field(1, ge=1, le=MAX_HORIZON_DAYS, description="number of days in the horizon")
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
    mean_s: float = Field(gt=0, le=MAX_DELAY_S, description="mean in seconds")
    cv: float | None = Field(None, ge=0, le=MAX_CV,
                             description="coefficient of variation (lognormal, gamma)")

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
    mean_s: float = Field(ge=0, le=MAX_SECONDS, description="mean patience in seconds")
    cv: float | None = Field(None, ge=0, le=MAX_CV,
                             description="coefficient of variation (lognormal)")

    @model_validator(mode="after")
    def _cv_needed(self) -> Patience:
        if self.dist == "lognormal" and self.cv is None:
            raise ValueError("'lognormal' needs 'cv' (coefficient of variation)")
        return self


class ServiceLevelTarget(StrictModel):
    """X% of offered contacts answered within Y seconds (abandons count as failures)."""

    target: float = Field(gt=0, lt=1, description="share answered within within_s, e.g. 0.80")
    within_s: float = Field(ge=0, le=MAX_SECONDS, description="the Y of X/Y, seconds")



class Retrial(StrictModel):
    """Customers who abandon may call again (redials; Ding et al. 2013)."""

    probability: Fraction = Field(
        0.0, description="probability an abandoning customer tries again (seed 0.3-0.6)")
    delay: Distribution = Field(
        default_factory=lambda: Distribution(dist="exponential", mean_s=600.0),
        description="time from abandonment to the new attempt (default exponential, 600 s)")


class RepeatContacts(StrictModel):
    """Contacts not resolved first time come back (de Véricourt & Zhou 2005).

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

    mean: float = Field(200.0, gt=0, le=MAX_MONEY, description="mean order value, scenario "
                                                               "currency")
    cv: float = Field(1.0, ge=0, le=MAX_CV, description="coefficient of variation")


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
    after_contact_work_s: float = Field(0.0, ge=0, le=MAX_SECONDS,
                                        description="wrap-up seconds after each contact")
    patience: Patience | None = Field(None, description="omit or `none` for infinite patience")
    service_level: ServiceLevelTarget | None = Field(
        None, description="service-level target, e.g. {target: 0.8, within_s: 20}")
    max_abandon_rate: float | None = Field(
        None, gt=0, lt=1, description="abandonment ceiling (share of offered)")
    max_asa_s: float | None = Field(None, gt=0, le=MAX_SECONDS,
                                    description="ASA target: mean wait of answered, s")
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


PerChannel = PerOrder | dict[str, PerOrder]
Multiplier = Annotated[float, Field(gt=0, le=MAX_MULTIPLIER)]
PerChannelFactor = Multiplier | dict[str, Multiplier]
Profile = Annotated[list[Weight], Field(max_length=MAX_INTERVALS)]


class ChannelDemand(StrictModel):
    """Base arrivals of one channel: a constant, one rate per interval, or a profile.

    Profile form: ``daily_volume`` contacts on an average day × ``weekly`` (7 weights,
    Monday first, mean 1) × ``intraday`` (shares of the day). Driver contacts (top-level
    ``drivers``) are added and contact events multiply the sum (docs/demand.md).
    """

    rate_per_hour: float | None = Field(None, ge=0, le=MAX_RATE_PER_HOUR,
                                        description="constant arrivals per hour")
    rates_per_hour: list[Rate] | None = Field(
        None, min_length=1, max_length=MAX_INTERVALS,
        description="arrivals per hour, one per interval of the horizon")
    daily_volume: float | None = Field(
        None, ge=0, le=MAX_DAILY_VOLUME,
        description="contacts on an average day of the week (profile form)")
    weekly: str | Profile | None = Field(
        None, description="weekly profile: a profile name or 7 weights Monday..Sunday "
                          "(scaled to mean 1); default flat")
    intraday: str | Profile | None = Field(
        None, description="intraday profile: a profile name or weights per slot of the day "
                          "(24, 48, 96.. slots; scaled to sum 1); default ordinary_day. Also "
                          "spreads lagged driver contacts (late deliveries, after-sales)")
    intraday_by_date: dict[LocalDay, str | Profile] = Field(
        default_factory=dict, description="intraday profile for particular dates, e.g. "
                                          "{2026-11-11: double11_midnight}")

    @model_validator(mode="after")
    def _at_most_one(self) -> ChannelDemand:
        given = [k for k in ("rate_per_hour", "rates_per_hour", "daily_volume")
                 if getattr(self, k) is not None]
        if len(given) > 1:
            raise ValueError("give at most one of 'rate_per_hour', 'rates_per_hour' or "
                             f"'daily_volume' (got {', '.join(given)})")
        if self.daily_volume is None and self.weekly is not None:
            raise ValueError("'weekly' needs 'daily_volume'")
        if isinstance(self.weekly, list) and len(self.weekly) != 7:
            raise ValueError(f"'weekly' needs 7 weights, Monday..Sunday (got {len(self.weekly)})")
        return self

    @property
    def has_base(self) -> bool:
        """True when the channel has its own base volume (besides driver contacts)."""
        return any(v is not None for v in (self.rate_per_hour, self.rates_per_hour,
                                           self.daily_volume))


class Orders(StrictModel):
    """The orders forecast that drives contacts: per day (shaped) or per interval."""

    per_day: OrderCount | Annotated[list[OrderCount], Field(max_length=MAX_HORIZON_DAYS)] \
        | None = Field(None, description="orders per day: a constant or one number per "
                                         "horizon day")
    per_interval: list[OrderCount] | None = Field(
        None, min_length=1, max_length=MAX_INTERVALS,
        description="orders per interval of the horizon (no shaping)")
    weekly: str | Profile | None = Field(
        None, description="weekly profile of orders (only with a constant per_day)")
    intraday: str | Profile | None = Field(
        None, description="intraday profile of orders; default ordinary_day")
    intraday_by_date: dict[LocalDay, str | Profile] = Field(
        default_factory=dict, description="intraday profile of orders for particular dates")
    before_start: Annotated[list[OrderCount], Field(max_length=MAX_HORIZON_DAYS)] = Field(
        default_factory=list, description="orders per day on the days before the horizon, "
                                          "most recent last (feed lagged contacts)")

    @model_validator(mode="after")
    def _one_form(self) -> Orders:
        if (self.per_day is None) == (self.per_interval is None):
            raise ValueError("give exactly one of 'per_day' or 'per_interval'")
        if isinstance(self.per_day, (int, float)) and self.per_day < 0:
            raise ValueError("per_day must be >= 0")
        if self.per_interval is not None and (self.intraday is not None or self.intraday_by_date):
            raise ValueError("'intraday' and 'intraday_by_date' apply only to 'per_day'")
        if self.weekly is not None and not isinstance(self.per_day, (int, float)):
            raise ValueError("'weekly' applies only to a constant 'per_day'")
        if isinstance(self.weekly, list) and len(self.weekly) != 7:
            raise ValueError(f"'weekly' needs 7 weights, Monday..Sunday (got {len(self.weekly)})")
        return self


class AfterSales(StrictModel):
    """Contacts about orders placed days earlier: returns, logistics, refunds."""

    contacts_per_order: PerChannel = Field(
        description="after-sales contacts per order: total (split by channel_split) or per channel")
    lag_days: dict[int, NonNeg] = Field(
        description="share of those contacts arriving k days after the order, e.g. {3: 0.5, 5: 0.5}")

    @field_validator("lag_days")
    @classmethod
    def _lags(cls, v: dict[int, float]) -> dict[int, float]:
        if not v:
            raise ValueError("give at least one lag")
        if any(k < 0 or k > 60 for k in v):
            raise ValueError("lags must be between 0 and 60 days")
        if sum(v.values()) <= 0:
            raise ValueError("lag shares must not all be zero")
        return v


class Drivers(StrictModel):
    """Contacts caused by orders: per order, per late order, and after-sales (seed 000)."""

    orders: Orders
    contacts_per_order: PerChannel = Field(
        0.0, description="contacts per order in the order's interval: total or per channel")
    late_share: Fraction = Field(0.0, description="share of orders delivered late")
    late_lag_days: int = Field(2, ge=0, le=60, description="days from order to late-delivery "
                                                           "contacts")
    contacts_per_late_order: PerChannel = Field(
        0.0, description="contacts per late order: total or per channel")
    after_sales: AfterSales | None = Field(None, description="lagged after-sales wave")
    channel_split: dict[str, Fraction] | None = Field(
        None, description="shares of driver contacts per channel (sum 1), for totals")

    @field_validator("contacts_per_order", "contacts_per_late_order")
    @classmethod
    def _non_negative(cls, v: Any) -> Any:
        if isinstance(v, (int, float)) and v < 0:
            raise ValueError("must be >= 0")
        return v

    @model_validator(mode="after")
    def _split_sums_to_one(self) -> Drivers:
        if self.channel_split is not None and abs(sum(self.channel_split.values()) - 1) > 1e-6:
            raise ValueError(f"channel_split must sum to 1 (got {sum(self.channel_split.values()):g})")
        return self


class Event(StrictModel):
    """A promotion window: multiplier 1 → uplift (ramp), uplift (peak), uplift → decay_to.

    After the decay the multiplier is 1 again. Events stack multiplicatively.
    """

    name: Text = Field(description="event name (e.g. presale, double11)")
    start: LocalTime = Field(description="when the ramp starts, local time")
    uplift: float = Field(gt=0, le=MAX_MULTIPLIER, description="multiplier at the peak, e.g. 6")
    ramp_minutes: float = Field(0.0, ge=0, le=MAX_MINUTES,
                                description="minutes from ×1 to ×uplift (linear)")
    peak_minutes: float = Field(0.0, ge=0, le=MAX_MINUTES, description="minutes at ×uplift")
    decay_minutes: float = Field(0.0, ge=0, le=MAX_MINUTES,
                                 description="minutes from ×uplift to ×decay_to")
    decay_to: float = Field(1.0, gt=0, le=MAX_MULTIPLIER,
                            description="multiplier at the end of the decay")
    decay: Literal["linear", "exponential"] = Field(
        "linear", description="decay path: linear, or exponential (geometric) interpolation")
    applies_to: Literal["contacts", "orders"] = Field(
        "contacts", description="multiply contacts of the listed channels, or the orders")
    channels: list[str] | None = Field(None, description="channels affected (default all)")
    aht_factor: PerChannelFactor = Field(
        1.0, description="handle-time multiplier during the window (promotion-rule "
                         "questions): one number or per channel")

    @model_validator(mode="after")
    def _has_length(self) -> Event:
        if self.ramp_minutes + self.peak_minutes + self.decay_minutes <= 0:
            raise ValueError("an event needs ramp_minutes, peak_minutes or decay_minutes > 0")
        if isinstance(self.aht_factor, (int, float)) and self.aht_factor <= 0:
            raise ValueError("aht_factor must be > 0")
        return self

    @property
    def end(self) -> datetime:
        return self.start + timedelta(
            minutes=self.ramp_minutes + self.peak_minutes + self.decay_minutes)


class PeakMultiplier(StrictModel):
    """The uncertain multiplier of the demand; its mean is 1 so the point forecast is kept."""

    dist: Literal["lognormal", "normal", "gamma"] = Field(
        "lognormal", description="lognormal | normal | gamma, with mean 1")
    cv: float = Field(gt=0, le=2, description="coefficient of variation, e.g. 0.25")


class Uncertainty(StrictModel):
    """Demand scenarios with probabilities (Gans et al. 2015), shared by planning and sim."""

    peak_multiplier: PeakMultiplier
    scenarios: int = Field(5, ge=1, le=50, description="number of demand scenarios")
    method: Literal["quantiles", "gauss"] = Field(
        "quantiles", description="quantiles: equal-probability bins, each at its conditional "
                                 "mean; gauss: Gaussian quadrature nodes and weights")
    applies_to: Literal["all", "uplift"] = Field(
        "all", description="all: scale the whole curve; uplift: scale only the events' extra")
    interval_noise_cv: float = Field(
        0.0, ge=0, le=1, description="optional lognormal noise per interval and scenario")
    seed: Seed = Field(0, description="seed of the interval noise")

    @model_validator(mode="after")
    def _normal_positive(self) -> Uncertainty:
        if self.peak_multiplier.dist == "normal" and self.peak_multiplier.cv > 0.4:
            raise ValueError("a normal peak multiplier needs cv <= 0.4 (stays positive); "
                             "use lognormal or gamma")
        if self.peak_multiplier.dist == "normal":
            from planning.demand.uncertainty import discretise

            discretise("normal", self.peak_multiplier.cv, self.scenarios, self.method)
        return self


class Profiles(StrictModel):
    """Named profiles of this scenario; a name here replaces a bundled profile."""

    weekly: dict[str, Profile] = Field(default_factory=dict,
                                       description="name → 7 weights Monday..Sunday")
    intraday: dict[str, Profile] = Field(default_factory=dict,
                                              description="name → weights per slot of the day")

    @model_validator(mode="after")
    def _shapes(self) -> Profiles:
        for name, w in self.weekly.items():
            if len(w) != 7:
                raise ValueError(f"weekly profile '{name}' needs 7 weights (got {len(w)})")
        for name, w in self.intraday.items():
            if len(w) == 0 or 1440 % len(w) != 0:
                raise ValueError(f"intraday profile '{name}' needs a number of slots that "
                                 f"divides 1440 minutes, e.g. 24, 48 or 96 (got {len(w)})")
            if sum(w) <= 0:
                raise ValueError(f"intraday profile '{name}' is all zero")
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
    """Behaviour levers (docs/behavior.md); neutral defaults leave the natural way of working."""

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
    # than untrained temps, not all show up), docs/behavior.md (FCR 0.85 / 0.80 / 0.72),
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


HHMM = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]


class ShiftPatternSpec(StrictModel):
    """An in-house shift pattern: length, allowed start times, one optional break."""

    name: Text = Field(description="free identifier, e.g. day8")
    hours: float = Field(gt=0, le=16, description="shift length in hours (a whole number of "
                                                  "intervals)")
    starts: list[HHMM] = Field(min_length=1, description='allowed start times, e.g. ["08:00", '
                                                         '"10:00"]')
    break_after_hours: float | None = Field(None, gt=0, le=16, description="break starts this many "
                                                                   "hours into the shift")
    break_minutes: float = Field(0.0, ge=0, le=16 * 60, description="break length (off the queue)")
    break_paid: bool = Field(False, description="is the break paid")


class RosterRulesSpec(StrictModel):
    """Rules each employee's roster keeps (contact-centre defaults; docs/roster.md)."""

    min_rest_hours: float = Field(11.0, ge=0, le=48, description="hours from the end of one "
                                  "shift to the start of the next")
    max_consecutive_days: int = Field(6, ge=1, le=31, description="working days in a row")
    max_nights_in_a_row: int = Field(3, ge=0, le=31, description="days in a row with a night "
                                     "shift (one that covers any time between 00:00 and 05:00)")
    max_paid_hours_per_week: float = Field(44.0, gt=0, le=168, description="paid hours of the "
                                           "shifts on any 7 consecutive dates")


EmployeeId = Annotated[str, Field(pattern=r"^E[0-9]{3,6}$")]


class PersonSpec(StrictModel):
    """One employee's wishes: dates they cannot work, shift patterns they would rather not."""

    unavailable: list[LocalDay] = Field(default_factory=list, description="dates off (leave)")
    avoid_shifts: list[Text] = Field(default_factory=list, description="shift pattern names "
                                     "to avoid where the plan allows (soft)")


class Employment(StrictModel):
    """In-house terms for planning: headcount, wage, hires, shifts, days-off rule."""

    headcount: Agents = Field(description="agents employed before any hire")
    cost_per_paid_hour: Money = Field(description="fully loaded cost per paid hour")
    max_hires: Agents = Field(0, description="extra agents that can be hired")
    hire_cost: Money = Field(0.0, description="recruiting + training + guaranteed pay "
                                                    "per hire over the horizon")
    hire_lead_days: float = Field(0.0, ge=0, le=MAX_LEAD_DAYS, description="days from the decision until a "
                                                         "hire can work")
    max_days_per_week: int = Field(5, ge=1, le=7, description="working days per agent in each "
                                                              "7-day block of the horizon")
    pay: Literal["salaried", "hourly"] = Field(
        "salaried", description="salaried: every employed agent (and each hire from its "
                                "first day) is paid paid_hours_per_week whether rostered or "
                                "not; hourly: only rostered shifts are paid")
    paid_hours_per_week: float = Field(40.0, gt=0, le=84, description="salaried: paid hours a "
                                                                      "week per agent")
    shifts: list[ShiftPatternSpec] = Field(min_length=1, description="shift patterns")
    rules: RosterRulesSpec = Field(default_factory=RosterRulesSpec, description="rules every "
                                   "employee's roster keeps (rest, days and nights in a row, "
                                   "weekly paid hours)")
    people: dict[EmployeeId, PersonSpec] = Field(
        default_factory=dict, description="per employee id (E001, E002, ...): dates off, "
                                          "shifts to avoid")
    on_costs_per_paid_hour: Money | None = Field(
        None, description="the part of cost_per_paid_hour that is not pay (social insurance, "
                          "seat, supervision); the rest is the wage a policy's pay replaces")

    @model_validator(mode="after")
    def _people_known(self) -> Employment:
        names = {p.name for p in self.shifts}
        for pid, spec in self.people.items():
            unknown = [n for n in spec.avoid_shifts if n not in names]
            if unknown:
                raise ValueError(f"people.{pid}.avoid_shifts: unknown shift pattern "
                                 f"{unknown[0]!r} (known: {', '.join(sorted(names))})")
        if self.on_costs_per_paid_hour is not None and \
                self.on_costs_per_paid_hour > self.cost_per_paid_hour:
            raise ValueError("on_costs_per_paid_hour must not exceed cost_per_paid_hour "
                             "(it is the part of it that is not pay)")
        return self


class Contract(StrictModel):
    """Outsourcing contract: price per seat-hour or per contact, blocks, capacity, surge."""

    per: Literal["hour", "contact"] = Field("hour", description="pay per seat-hour or per "
                                                                "handled contact")
    price: Money = Field(description="price per seat-hour or per contact")
    contacts_per_hour: float | None = Field(
        None, gt=0, le=3600, description="contacts an outsourced agent handles per hour (needed with "
                                "per: contact; seed 000: about 4)")
    block_hours: float = Field(4.0, gt=0, le=MAX_HOURS, description="seats are contracted in blocks of "
                                                      "this many hours")
    block_start_every_hours: float | None = Field(
        None, gt=0, le=MAX_HOURS, description="blocks may start every this many hours (default: block_hours)")
    capacity: float = Field(ge=0, le=MAX_AGENTS, description="most contracted seats per interval")
    notice_days: float = Field(0.0, ge=0, le=MAX_LEAD_DAYS, description="days from the decision until the "
                                                      "vendor can staff")
    surge_capacity: float = Field(0.0, ge=0, le=MAX_AGENTS, description="extra seats on short notice per "
                                                         "interval")
    surge_premium: float = Field(1.5, ge=1, le=100, description="surge price = premium × contract price")
    surge_notice_hours: float = Field(4.0, ge=0, le=MAX_HOURS, description="notice for surge seats: they are "
                                                             "ordered this many hours before "
                                                             "they start (so not before this "
                                                             "long after the horizon start)")


class OnCall(StrictModel):
    """Reserve terms: trained on-call agents (seed 000: trained 2 days before the peak)."""

    max_size: Agents = Field(description="largest reserve pool the vendor can train")
    retainer: Money = Field(0.0, description="retainer per reserve agent over the horizon")
    training_cost: Money = Field(0.0, description="training cost per reserve agent")
    training_lead_days: float = Field(2.0, ge=0, le=MAX_LEAD_DAYS, description="training takes this many days "
                                                             "after the decision")
    activation_per_hour: Money = Field(description="pay per called-out agent-hour")
    callout_hours: float = Field(4.0, gt=0, le=MAX_HOURS, description="call-outs come in blocks of this many "
                                                        "hours")
    notice_hours: float = Field(2.0, ge=0, le=MAX_HOURS, description="notice of a call-out: decided this many "
                                                       "hours before it starts (so not before "
                                                       "this long after the horizon start)")
    max_hours_per_agent: float | None = Field(
        24.0, gt=0, le=MAX_HOURS, description="call-out hours per agent over the horizon (reserve agents "
                                "work in their rest time); null for no cap")


class TempHire(StrictModel):
    """Untrained temps: last resort at a premium and a quality penalty."""

    capacity: float = Field(ge=0, le=MAX_AGENTS, description="most temps per interval")
    price_per_hour: Money = Field(description="cost per temp-hour")
    notice_hours: float = Field(4.0, ge=0, le=MAX_HOURS, description="temps are hired this many hours before "
                                                       "they start (so not before this long "
                                                       "after the horizon start)")


class Pool(StrictModel):
    """A sourcing pool's staffing: constant headcount, one per interval, or a plan CSV;
    plus its planning terms (``peakdesk plan``)."""

    agents: Agents | Annotated[list[Agents], Field(max_length=MAX_INTERVALS)] | None = Field(
        None, description="agents on duty: a constant, or one number per interval")
    plan: RelPath | None = Field(None, description="path of a plan CSV (interval,agents), relative "
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

    quality_cost_per_hour: Money = Field(0.0, description="planning: cost of lower "
                                                                "quality (complaints, repeat "
                                                                "contacts) per agent-hour")
    employment: Employment | None = Field(None, description="in_house: planning terms")
    contract: Contract | None = Field(None, description="outsourced: planning terms")
    on_call: OnCall | None = Field(None, description="reserve: planning terms")
    temp_hire: TempHire | None = Field(None, description="temps: planning terms")

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
    method: Literal["sipp", "mol"] = Field(
        "sipp", description="time-varying load: sipp (each interval stationary at its own "
                            "arrivals) or mol (at its modified offered load, which lags "
                            "the arrivals by about a handle time; docs/staffing.md)")
    returns: bool = Field(
        True, description="count the redials (channels' retrial) and repeat contacts "
                          "(repeat) the day brings back in the load staffed for")


class Simulation(StrictModel):
    """Replication settings for the simulator."""

    replications: int = Field(10, ge=1, le=100_000, description="independent replications")
    seed: Seed = Field(0, description="master seed (numpy SeedSequence)")
    warmup_minutes: float = Field(0.0, ge=0, le=MAX_MINUTES,
                                  description="ignore contacts arriving before this")
    drain: bool = Field(True, description="after the horizon, keep the last staffing until "
                                          "every waiting contact is answered or abandons")
    contact_log: bool = Field(False, description="write one row per contact (with --out)")
    apply_shrinkage: bool = Field(
        False, description="pool agents are scheduled (paid) agents: each is not ready for "
                           "staffing.shrinkage of every staffed interval; default: pool "
                           "agents are on duty, net of shrinkage")


class Routing(StrictModel):
    """Which agent gets a contact (sim.routing)."""

    policy: Literal["pooled", "in_house_first"] = Field(
        "pooled", description="pooled: FCFS to the longest-idle agent of any pool; "
                              "in_house_first: other pools only after overflow_after_s")
    overflow_after_s: float = Field(
        30.0, ge=0, le=MAX_SECONDS, description="in_house_first: wait before other pools may answer")
    in_house_abandon_share: float = Field(
        0.8, gt=0, le=1, description="in_house_first, planning: share of each channel's "
                                     "abandonment cap that waiting for in-house agents may "
                                     "use (the in-house row); the rest is left to the overflow "
                                     "pools")
    priority: list[str] | Literal["oldest_first"] | None = Field(
        None, description="which waiting contact an agent free for several channels takes: "
                          "channel names in priority order, e.g. [voice, chat], or "
                          "oldest_first (the longest-waiting contact of any channel); "
                          "default: voice channels before chat")

    def channel_order(self, channels: dict[str, Channel]) -> tuple[str, ...] | None:
        """Priority order of the inbound channels (None: oldest first across channels).
        Default: voice channels, then chat, each in file order; channels not listed in
        ``priority`` come after the listed ones."""
        inbound = [n for n, c in channels.items() if c.kind != "outbound"]
        if self.priority == "oldest_first":
            return None
        if self.priority is None:
            return tuple(sorted(inbound, key=lambda n: channels[n].kind != "voice"))
        listed = [n for n in self.priority if n in inbound]
        return tuple(listed + [n for n in inbound if n not in listed])


class Outbound(StrictModel):
    """Outbound calls made in ready idle time (seed 000: outbound volume is a KPI)."""

    calls_per_hour: float = Field(12.0, ge=0, le=3600, description="dial attempts per hour of "
                                                           "outbound work")
    connect_rate: Fraction = Field(0.6, description="share of attempts that connect "
                                                    "(成功拨打率)")
    mode: Literal["idle", "ready_time"] = Field(
        "idle", description="idle: outbound is filler in ready idle time; ready_time: "
                            "outbound_effort is the share of ready time spent on outbound "
                            "work, which takes no inbound contact (peakdesk compare uses it)")


class SkillSpec(StrictModel):
    """Distribution of one pool's agent skills for the behaviour model (docs/behavior.md).

    Left out: the pool's simulator settings where they exist (quality.fcr → fcr_mean,
    speed_cv), else sim.behavior.DEFAULT_POOL_SKILLS."""

    speed_cv: float | None = Field(None, ge=0, le=1, description="lognormal cv of natural "
                                                                 "pace (handle-time ×)")
    fcr_mean: Annotated[float, Field(gt=0, lt=1)] | None = Field(
        None, description="mean first-contact resolution at the natural pace")
    fcr_concentration: float | None = Field(None, gt=0, le=1e6, description="beta concentration "
                                                                     "of FCR (higher = less spread)")
    availability_mean: Fraction | None = Field(None, description="natural ready share of "
                                                                 "staffed time")
    availability_sd: float | None = Field(None, ge=0, le=0.5, description="its spread")
    sales_mean: Annotated[float, Field(gt=0, lt=1)] | None = Field(
        None, description="mean pre-sale conversion ability")
    sales_concentration: float | None = Field(None, gt=0, le=1e6, description="beta concentration")
    cost_per_hour: float | None = Field(None, gt=0, le=MAX_MONEY, description="effort-cost scale, money "
                                                                "per staffed hour (default 17)")
    cost_cv: float | None = Field(None, ge=0, le=2, description="lognormal cv of the "
                                                                "effort-cost scale")
    outbound_natural: Fraction | None = Field(
        None, description="share of ready time on outbound work by habit / process (0.25)")


Bounds = Annotated[list[Annotated[float, Field(ge=0, le=10)]], Field(min_length=2, max_length=2)]
Effect = Annotated[float, Field(ge=0, le=100)]    # effect sizes and effort-cost weights
ShockCv = Annotated[float, Field(ge=0, le=2)]


class BehaviorOverrides(StrictModel):
    """Overrides of sim.behavior.BehaviorParams (defaults and sources: docs/behavior.md)."""

    speed_bounds: Bounds | None = Field(None, description="[lo, hi] handle-time multiplier")
    availability_bounds: Bounds | None = Field(None, description="[lo, hi] ready share")
    outbound_bounds: Bounds | None = Field(None, description="[lo, hi] outbound share")
    sales_push_bounds: Bounds | None = Field(None, description="[lo, hi] sales push")
    cost_weights: Annotated[list[Effect], Field(min_length=4, max_length=4)] | None = Field(
        None, description="effort-cost weight per lever: speed, availability, outbound, "
                          "sales_push (default 3, 4, 4, 1)")
    rush_fcr: Effect | None = Field(None, description="FCR × (1 − rush_fcr (1 − speed)) "
                                                      "when rushing (0.6)")
    slow_fcr_gain: Effect | None = Field(None, description="FCR gain when slower (0.5)")
    rush_complaint: Effect | None = Field(None, description="complaints × (1 + k (1 − speed)) (2)")
    rush_satisfaction: Effect | None = Field(None, description="satisfaction, QA × (1 − k "
                                                               "(1 − speed)) (0.3)")
    push_conversion: Effect | None = Field(None, description="conversion × (1 + k push) (0.3)")
    push_returns: Effect | None = Field(None, description="returns × (1 + k push) (0.5)")
    ring_unready_share: Fraction | None = Field(
        None, description="share of rings still reaching a not-ready agent (missed) (0.3)")
    volume_shock_cv: ShockCv | None = Field(None, description="period volume luck (0.05)")
    aht_shock_cv: ShockCv | None = Field(None, description="period handle-time luck (0.03)")


class Behavior(StrictModel):
    """How agents respond to incentive schemes (`peakdesk compare`; docs/behavior.md)."""

    skills: dict[PoolName, SkillSpec] = Field(
        default_factory=dict, description="skill distributions per pool")
    params: BehaviorOverrides = Field(default_factory=BehaviorOverrides,
                                      description="lever bounds, effort costs, effect sizes")
    period_hours: dict[Literal["day", "week", "month"], Annotated[float, Field(gt=0)]] = Field(
        default_factory=lambda: {"day": 8.0, "week": 40.0, "month": 174.0},
        description="paid hours of one full-time agent per pay period (8-hour days; a "
                    "month is 21.75 days, as in `peakdesk run`): each agent slot's "
                    "simulated counts are scaled to these hours before paying")
    baseline_pay: Money = Field(3000.0, description="flat pay per agent per period of the "
                                                     "baseline (seed 000: base 2-3k)")
    sourcing_per_hour: dict[PoolName, Money] = Field(
        default_factory=dict, description="cost per staffed hour of pools no policy pays "
                                          "(outsourcing fees)")
    sim_rounds: int = Field(3, ge=1, le=6, description="simulation-in-the-loop rounds "
                                                       "(simulate, update state, re-solve)")
    loop_replications: int = Field(2, ge=1, le=50, description="replications per "
                                                               "in-the-loop simulation")
    noise_draws: int = Field(16, ge=2, le=256, description="count-noise draws per "
                                                           "expected-pay evaluation")
    seed: Seed | None = Field(None, description="seed of the agents' skills "
                                                     "(default: simulation.seed)")


class PeakWindow(StrictModel):
    """A stretch of the horizon whose demand the peak multipliers scale."""

    start: LocalTime = Field(description="ISO date-time, local")
    end: LocalTime = Field(description="ISO date-time, local (exclusive)")


class DemandCases(StrictModel):
    """Planning-local demand scenarios: the point forecast times a peak multiplier inside the
    peak windows (the whole horizon when no window is given)."""

    multipliers: list[Multiplier] = Field(min_length=1, max_length=50, description=(
        "one multiplier per demand scenario"))
    probabilities: list[Fraction] | None = Field(None, description="one per multiplier, sum 1 "
                                                                 "(default: equal)")
    windows: list[PeakWindow] = Field(default_factory=list, max_length=1000, description="where the multipliers "
                                                                        "apply")


class SolverSettings(StrictModel):
    time_limit_s: float = Field(60.0, gt=0, le=MAX_SECONDS,
                                description="wall-clock limit per HiGHS solve")
    mip_gap: float = Field(0.005, ge=0, lt=1, description="relative MIP gap to stop at")
    threads: int | None = Field(None, ge=1, le=1024, description="HiGHS threads (default: HiGHS decides)")


class Planning(StrictModel):
    """Settings of the sourcing-mix plan (``peakdesk plan``)."""

    shortfall_penalty_per_hour: float = Field(
        500.0, ge=0, le=MAX_MONEY, description="cost per missing agent-hour (in-house equivalent)")
    hard_coverage: bool = Field(False, description="forbid any shortfall")
    chance_min_share: float | None = Field(
        None, gt=0, le=1, description="requirement met in full in demand scenarios of at "
                                      "least this total probability")
    decided_days_before: float = Field(7.0, ge=0, le=MAX_LEAD_DAYS, description="the plan is fixed this many "
                                                              "days before the horizon start")
    demand_cases: DemandCases | None = Field(None, description="demand scenarios (default: "
                                                               "the point forecast only)")
    validation_rounds: int = Field(3, ge=0, le=10, description="check-and-tighten rounds: "
                                                               "simulate the plan, raise missed "
                                                               "requirements, re-solve")
    targets_share: Fraction = Field(
        0.9, description="the plan holds when every target (service level, abandonment, ASA, "
                         "occupancy) is met in simulation in demand scenarios of at least "
                         "this total probability")
    targets_over: Literal["interval", "day", "horizon"] = Field(
        "day", description="period over which a target is measured in the check")
    check_replications: int = Field(1, ge=1, le=50, description="replications per demand "
                                                                "scenario in the check")
    tell_apart_sd: float = Field(
        2.0, ge=0, description="recourse: two demand scenarios are told apart when the "
                               "contacts seen by a decision's notice time differ by more "
                               "than this many Poisson standard deviations")
    solver: SolverSettings = Field(default_factory=SolverSettings)


class Scenario(StrictModel):
    """A what-if: horizon, channels, demand, pools and settings."""

    name: Text = Field(description="free text")
    language: Literal["en", "zh"] = Field("en", description="report language")
    currency: Text = Field("CNY", description="currency of all money amounts")
    horizon: Horizon
    channels: dict[str, Channel] = Field(min_length=1)
    demand: dict[str, ChannelDemand] = Field(min_length=1)
    profiles: Profiles = Field(default_factory=Profiles, description="named profiles")
    drivers: Drivers | None = Field(None, description="orders and contacts per order")
    events: list[Event] = Field(default_factory=list, max_length=1000,
                                description="promotion windows")
    uncertainty: Uncertainty | None = Field(None, description="demand scenarios")
    pools: dict[PoolName, Pool] = Field(default_factory=dict)
    staffing: Staffing = Field(default_factory=Staffing)
    simulation: Simulation = Field(default_factory=Simulation)
    routing: Routing = Field(default_factory=Routing)
    outbound: Outbound = Field(default_factory=Outbound)
    policies: list[RelPath] = Field(
        default_factory=list,
        description="incentive policy files (paths relative to this file) to pay the "
                    "simulated agents under in `peakdesk run`")
    planning: Planning = Field(default_factory=Planning)
    behavior: Behavior = Field(default_factory=Behavior,
                               description="agent behaviour under incentive schemes")
    capacity: Capacity | None = Field(None, description="weekly capacity plan before the peak")
    bot: dict[str, BotChannel] = Field(default_factory=dict,
                                       description="a bot in front of channels (docs/bot.md)")

    @model_validator(mode="after")
    def _bot_channels(self) -> Scenario:
        unknown = sorted(set(self.bot) - set(self.channels))
        if unknown:
            raise ValueError(f"bot: unknown channel(s) {unknown}; expected one of "
                             f"{sorted(self.channels)}")
        return self
