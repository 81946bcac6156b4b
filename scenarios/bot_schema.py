"""The scenario's ``bot:`` section: a chatbot (or voice bot / IVR) in front of a channel.

Validated once at load; :mod:`scenarios.adapters.to_bot` turns it into the typed inputs of the
planning transform (planning.bot) and the simulator's bot stage (sim.bot).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from scenarios.reading.limits import MAX_MULTIPLIER, MAX_SECONDS, Fraction


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False,
                              populate_by_name=True)


class BotDelay(_Strict):
    """Time from the end of a contained bot session to the customer's return."""

    dist: str = Field("exponential", pattern="^(exponential|deterministic)$",
                      description="exponential | deterministic")
    mean_s: float = Field(3600.0, gt=0, le=MAX_SECONDS, description="mean in seconds")


class BotReturn(_Strict):
    """Contained contacts that come back later as a new first attempt of the channel."""

    probability: Fraction = Field(0.0, description="share of contained contacts that return")
    delay: BotDelay = Field(default_factory=BotDelay, description="time until they return")


class BotDegraded(_Strict):
    """A "bot degraded" demand scenario: on some nights the bot is down or half as good."""

    probability: Fraction = Field(description="chance the bot is degraded on the night "
                                              "(share of the simulated replications)")
    containment_factor: Fraction = Field(description="containment × this while degraded "
                                                     "(0: the bot contains nothing)")


class BotChannel(_Strict):
    """The bot in front of one channel (docs/bot.md)."""

    entry_share: Fraction = Field(description="share of the channel's first attempts that "
                                              "enter the bot")
    reasons: dict[str, Fraction] | None = Field(
        None, description="contact-reason mix of the contacts entering the bot (sums to 1)")
    containment: Fraction | dict[str, Fraction] = Field(
        0.0, description="share the bot resolves: one number, or one per reason")
    abandon: Fraction = Field(0.0, description="share of bot sessions that leave "
                                               "unresolved, with no hand-off")
    return_: BotReturn = Field(default_factory=BotReturn, alias="return",
                               description="contained contacts coming back later")
    handoff_aht_factor: float = Field(1.0, gt=0, le=MAX_MULTIPLIER,
                                      description="handle time of a handed-off contact × this")
    bot_time_s: float = Field(0.0, ge=0, le=MAX_SECONDS,
                              description="mean time in the bot before a hand-off")
    customer_requested: Fraction | None = Field(
        None, description="share of hand-offs the customer asked for (the rest the bot "
                          "triggered); reported only")
    contained_conversion: Fraction = Field(
        0.0, description="share of contained pre-sale contacts (reason 'presale') that order")
    peak_containment_factor: float = Field(
        1.0, gt=0, le=1.0, description="containment × this inside promotion events "
                                       "(more customers ask for a person on peak days)")

    degraded: BotDegraded | None = Field(
        None, description="a 'bot degraded' demand scenario: probability and containment "
                          "factor")
    containment_steps: list[Fraction] = Field(
        default_factory=list, max_length=12,
        description="the run's report plans the agents at each of these containments "
                    "(e.g. [0.4, 0.5, 0.6, 0.7]): required agents, cost and service per step")

    @model_validator(mode="after")
    def _reasons_match(self) -> BotChannel:
        if self.reasons is not None and abs(sum(self.reasons.values()) - 1.0) > 1e-6:
            raise ValueError("bot reasons must sum to 1")
        if isinstance(self.containment, dict):
            if self.reasons is None:
                raise ValueError("containment per reason needs 'reasons' (the mix)")
            if set(self.containment) != set(self.reasons):
                raise ValueError(f"containment must name the reasons {sorted(self.reasons)}")
        if self.abandon > 1.0:
            raise ValueError("abandon must be <= 1")
        return self

    def mean_containment(self) -> float:
        """Containment of the session that did not leave, averaged over the reason mix."""
        if isinstance(self.containment, dict):
            return sum(self.reasons[r] * c for r, c in self.containment.items())  # type: ignore[index]
        return float(self.containment)
