"""Typed models of a policy file (docs/formats.md §2) plus the seed schemes' extras.

Unknown keys are errors. Formulas are kept as text here; ``rules.compiled`` checks them
against the KPI catalogue and compiles them once (``scenarios.reading.policy_file`` locates the
errors in the file). Extras beyond docs/formats.md §2's box, each from a practice case (docs/sources.md):

- ``base_pay: {probation: .., regular: ..}``, ``probation_months`` and ``tenure:`` on
  commissions and events — different rates for probation and regular staff (seed 002);
- ``kind: soft`` scorecard items — supervisor-rated metrics, not held to the hard-metric
  floor and cap (seed 004 第11条);
- ``scorecard.points`` — bonus/penalty points (加减分, e.g. −0.5 per missed activity,
  seed 002) added to the score at ``points_scale`` score per point;
- ``qa`` — quality monitoring by sampling (seed 001: 12 contacts a month, the mean);
- ``pay_floor`` — a guaranteed minimum total pay;
- ``clawback`` on a commission — commission reversed for returned or refunded orders
  (seed 002/004 return rate).
"""

from __future__ import annotations

import keyword
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from rules.formula import FUNCTIONS
from rules.limits import (
    MAX_MONEY,
    MAX_MONTHS,
    MAX_POINTS,
    MAX_RATIO,
    MAX_SAMPLES,
    MAX_TARGET,
    MAX_TEXT,
    MAX_UNITS,
)

Direction = Literal["higher", "lower"]
Tenure = Literal["any", "probation", "regular"]


def _percent(v: Any) -> Any:
    """Accept ``"30%"`` for 0.30 wherever a fraction is expected."""
    if isinstance(v, str) and v.strip().endswith("%"):
        try:
            return float(v.strip()[:-1]) / 100.0
        except ValueError:
            return v
    return v


Share = Annotated[Annotated[float, Field(ge=0.0, le=100.0)], BeforeValidator(_percent)]
Money = Annotated[float, Field(ge=0.0, le=MAX_MONEY)]
SignedMoney = Annotated[float, Field(ge=-MAX_MONEY, le=MAX_MONEY)]
Text = Annotated[str, Field(max_length=MAX_TEXT)]


def _formula_text(v: Any) -> Any:
    """YAML turns `when: true` or `per: 5` into a bool / number: take them as formulas."""
    if isinstance(v, bool):
        return "True" if v else "False"
    if isinstance(v, (int, float)):
        return repr(v)
    return v


Formula = Annotated[str, BeforeValidator(_formula_text), Field(min_length=1, description="a formula (docs/formats.md §2): metric "
                                                          "names, numbers, + - * / // % **, "
                                                          "comparisons, and/or/not, x if c else y, "
                                                          "min max abs round clip")]


class StrictModel(BaseModel):
    """Base of every policy model: unknown keys rejected, immutable after load."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              allow_inf_nan=False)


class TenurePay(StrictModel):
    """An amount that differs for probation and regular staff (seed 002)."""

    probation: Money = Field(description="amount for agents still on probation")
    regular: Money = Field(description="amount for regular (confirmed) agents")


class ScoreItem(StrictModel):
    """One weighted KPI of the scorecard: score = weight × clip(achievement, floor, cap)."""

    metric: Formula = Field(description="metric name (or formula) scored")
    label: Text | None = Field(None, description="display name (default: the metric)")
    weight: Share = Field(description="weight, a fraction of the score (0.30 or '30%')")
    target: float = Field(gt=0, le=MAX_TARGET, description="value that earns the full weight")
    direction: Direction | None = Field(
        None, description="higher | lower is better (default: the catalogue's, else higher)")
    kind: Literal["hard", "soft"] = Field(
        "hard", description="hard: measured, held to floor/cap; soft: supervisor-rated, "
                            "achievement = rating / target, no scorecard floor/cap (seed 004)")
    floor: Share | None = Field(None, description="this item's floor (default: the scorecard's)")
    cap: Share | None = Field(None, description="this item's cap (default: the scorecard's)")

    @property
    def name(self) -> str:
        return self.label or self.metric

    @model_validator(mode="after")
    def _floor_below_cap(self) -> ScoreItem:
        if self.floor is not None and self.cap is not None and self.floor > self.cap:
            raise ValueError(f"floor ({self.floor:g}) is above cap ({self.cap:g})")
        return self


class PointsItem(StrictModel):
    """Bonus/penalty points per unit of a metric (加减分, seed 002), added to the score."""

    per: Formula = Field(description="metric (or formula) counted, e.g. missed_activities")
    points: float = Field(ge=-MAX_POINTS, le=MAX_POINTS, description="points per unit, e.g. -0.5")
    label: Text | None = Field(None, description="display name")


class Scorecard(StrictModel):
    """Weighted KPIs; performance pay = pay_base × score (seed 004 第10条)."""

    pay_base: Money = Field(0.0, description="performance pay for a score of 1.0")
    floor: Share = Field(0.0, description="item score floor as a fraction of its weight "
                                          "(seed 004: 0.5)")
    cap: Share | None = Field(None, description="item score cap as a fraction of its weight "
                                                "(seed 004: 1.5); omit for no cap")
    items: list[ScoreItem] = Field(min_length=1)
    points: list[PointsItem] = Field(default_factory=list,
                                     description="bonus/penalty points (加减分)")
    points_scale: float = Field(0.01, gt=0, le=100, description="score per point (0.01: points on a "
                                                        "100-point scorecard)")

    @model_validator(mode="after")
    def _checks(self) -> Scorecard:
        if self.cap is not None and self.floor > self.cap:
            raise ValueError(f"floor ({self.floor:g}) is above cap ({self.cap:g})")
        names = [i.name for i in self.items]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"items repeat {', '.join(dup)}: give them distinct 'label's")
        return self


class Band(StrictModel):
    """A ranking band: the best (``top``) or worst (``bottom``) share of ranked agents."""

    top: Share | None = Field(None, description="best share of agents, e.g. 0.20")
    bottom: Share | None = Field(None, description="worst share of agents, e.g. 0.10")
    pay: SignedMoney = Field(description="amount each agent in the band gets (negative = "
                                         "deduction)")
    label: Text | None = Field(None, description="display name")

    @model_validator(mode="after")
    def _one_side(self) -> Band:
        if (self.top is None) == (self.bottom is None):
            raise ValueError("give exactly one of 'top' or 'bottom'")
        share = self.top if self.top is not None else self.bottom
        if not 0 < share <= 1:  # type: ignore[operator]
            raise ValueError(f"band share must be in (0, 1], got {share:g}")
        return self

    @property
    def share(self) -> float:
        return float(self.top if self.top is not None else self.bottom)  # type: ignore[arg-type]

    @property
    def side(self) -> str:
        return "top" if self.top is not None else "bottom"


class Ranking(StrictModel):
    """Forced ranking: order agents by ``by`` and pay bands (seed 000 phase 1)."""

    by: Formula = Field("score", description="'score' or any metric / formula")
    direction: Direction | None = Field(
        None, description="lower for metrics where less is better (default: the scorecard "
                          "item's direction, else higher)")
    ties: Literal["split", "all"] = Field(
        "all", description="agents tied at a band's edge: all = every tied agent gets the "
                           "whole band (default, the policy-file contract of docs/formats.md "
                           "§2); split = the band keeps its places and budget, the tied "
                           "agents share the places left equally (the bundled seed-000 "
                           "ranking sets it)")
    bands: list[Band] = Field(min_length=1)


class Tier(StrictModel):
    """A commission tier starting at unit ``from``."""

    from_: float = Field(alias="from", ge=0, le=MAX_UNITS, description="first unit of the tier")
    rate: SignedMoney = Field(description="pay per unit in this tier")


class Clawback(StrictModel):
    """Commission reversed for orders later returned or refunded (seed 002/004)."""

    units: Formula | None = Field(None, description="units of `per` reversed, e.g. "
                                                    "returned_orders")
    rate: Formula | None = Field(None, description="share of `per` reversed, e.g. return_rate")

    @model_validator(mode="after")
    def _one(self) -> Clawback:
        if (self.units is None) == (self.rate is None):
            raise ValueError("give exactly one of 'units' or 'rate'")
        return self


class Commission(StrictModel):
    """Pay per unit of a metric, tiered (seed 000 phase 2, seed 002)."""

    per: Formula = Field(description="metric (or formula) paid per unit")
    mode: Literal["marginal", "whole"] = Field(
        "marginal", description="marginal: each tier's rate on the units inside it; whole: the "
                                "reached tier's rate on all units")
    tiers: list[Tier] | None = Field(None, min_length=1, description="tier table, `from` ascending")
    rate: SignedMoney | None = Field(None, description="shorthand for one tier from 0")
    when: Formula | None = Field(None, description="pay only agents for whom this is true")
    tenure: Tenure = Field("any", description="any | probation | regular")
    clawback: Clawback | None = Field(None, description="commission reversed for returns")
    label: Text | None = Field(None, description="display name")

    @model_validator(mode="after")
    def _table(self) -> Commission:
        if (self.tiers is None) == (self.rate is None):
            raise ValueError("give exactly one of 'tiers' or 'rate'")
        if self.tiers:
            froms = [t.from_ for t in self.tiers]
            for i in range(1, len(froms)):
                if froms[i] <= froms[i - 1]:
                    raise ValueError(f"tiers out of order: tier {i + 1} starts at {froms[i]:g}, "
                                     f"not above the previous tier's {froms[i - 1]:g}")
        return self

    @property
    def table(self) -> list[tuple[float, float]]:
        """(from, rate) pairs, ascending."""
        if self.tiers is not None:
            return [(t.from_, t.rate) for t in self.tiers]
        return [(0.0, float(self.rate))]  # type: ignore[arg-type]

    @property
    def name(self) -> str:
        return self.label or f"commission on {self.per}"


class Offset(StrictModel):
    """Each unit of the event's ``per`` is cancelled by ``ratio`` units of ``by``."""

    by: str = Field(description="metric whose units cancel, e.g. named_good_reviews")
    ratio: float = Field(gt=0, le=MAX_RATIO, description="units of `by` per cancelled unit, "
                                                         "e.g. 25")


class Event(StrictModel):
    """Pay per event (review, complaint, ...), with an optional threshold and offset."""

    per: Formula = Field(description="metric counted, e.g. named_good_reviews")
    pay: SignedMoney = Field(description="amount per unit (negative = deduction)")
    when: Formula | None = Field(None, description="pay only agents for whom this is true")
    offset: Offset | None = Field(None, description="units cancelled by another metric")
    tenure: Tenure = Field("any", description="any | probation | regular")
    label: Text | None = Field(None, description="display name")

    @property
    def name(self) -> str:
        return self.label or f"{self.per} × {self.pay:g}"


class QaSampling(StrictModel):
    """Quality monitoring by sampling (seed 001: 12 monitored contacts a month, the mean)."""

    metric: str = Field("qa_score", description="metric holding the mean sampled score")
    samples: int = Field(ge=1, le=MAX_SAMPLES, description="contacts sampled per agent per "
                                                           "period")
    samples_metric: str = Field("qa_samples", description="KPI column with samples taken")


class Policy(StrictModel):
    """An incentive policy: base pay plus scorecard, ranking, commission and events."""

    policy: Text = Field(min_length=1, description="policy name")
    description: str | None = Field(None, description="free text")
    source: str | None = Field(None, description="where the rules come from (seed, document)")
    period: Literal["day", "week", "month"] = Field("month", description="pay period")
    currency: Text = Field("CNY", description="currency of all amounts")
    applies_to: list[str] | None = Field(
        None, min_length=1, description="pools whose agents this policy pays (default: all)")
    base_pay: Money | TenurePay = Field(0.0, description="fixed pay per agent per period, or "
                                                         "{probation: .., regular: ..}")
    probation_months: float = Field(3.0, ge=0, le=MAX_MONTHS, description="agents with tenure_months below "
                                                           "this are on probation")
    metrics: dict[str, Formula] = Field(default_factory=dict,
                                        description="custom metrics: name -> formula")
    scorecard: Scorecard | None = None
    ranking: Ranking | None = None
    commission: list[Commission] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    cap_total: Money | None = Field(None, description="cap on variable pay per agent per period")
    pay_floor: Money | None = Field(None, description="guaranteed minimum total pay (variable "
                                                      "pay is topped up to reach it)")
    qa: QaSampling | None = Field(None, description="quality monitoring by sampling")

    @field_validator("commission", mode="before")
    @classmethod
    def _one_commission(cls, v: Any) -> Any:
        return [v] if isinstance(v, dict) else v

    @field_validator("metrics")
    @classmethod
    def _metric_names(cls, v: dict[str, str]) -> dict[str, str]:
        for name in v:
            if not (name.isascii() and name.isidentifier()) or keyword.iskeyword(name) \
                    or name in FUNCTIONS \
                    or name in ("score", "True", "False"):
                raise ValueError(f"'{name}' cannot name a metric: use ASCII letters, digits and _, "
                                 f"not a keyword, function or 'score'")
        return v

    @model_validator(mode="after")
    def _needs(self) -> Policy:
        if self.ranking is not None and self.ranking.by.strip() == "score" and self.scorecard is None:
            raise ValueError("ranking by 'score' needs a scorecard")
        return self

    def uses_tenure(self) -> bool:
        """True when some amount depends on probation vs regular."""
        return isinstance(self.base_pay, TenurePay) or any(
            c.tenure != "any" for c in self.commission) or any(e.tenure != "any" for e in self.events)
