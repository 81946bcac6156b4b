"""The monitoring spec (``MONITOR.yaml``): which ratios make the table, and how hard to look.

Seed practice: one core metric, auxiliary metrics that corroborate it, floor metrics that
must never break, and the bot's data beside them. Each metric is a ratio of two history columns, judged with its counts::

    period: day
    core:
      - {name: conversion, ratio: [paid_uv, received_uv], target: 0.35, better: higher}
    auxiliary:
      - {name: complaint_rate, ratio: [complaints, answered], target: 0.01, better: lower}
    floor:
      - {name: qa_pass, ratio: [qa_passed, qa_samples], floor: 0.85, better: higher}

Unknown keys are errors with a "did you mean"; every problem is located (file:line:col).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from scenarios.reading.errors import InputError, Problem
from scenarios.reading.yamlio import position, read_yaml, validate

Name = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=64)]


class _Strict(BaseModel):
    # sane ranges (docs/robustness.md): no inf / NaN, every number and list bounded
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


MAX_PERIODS = 3660  # ten years of days


class MetricSpec(_Strict):
    """One ratio: ``ratio: [numerator, denominator]`` columns of the history."""

    name: Name
    ratio: tuple[Name, Name]
    better: Literal["higher", "lower"]
    target: float | None = Field(None, ge=0, le=1e6)
    floor: float | None = Field(None, ge=0, le=1e6, description="the bottom line (a ceiling when "
                                                        "lower is better)")
    model: Literal["auto", "binomial", "poisson"] = Field(
        "auto", description="binomial: a share (numerator ≤ denominator); poisson: a rate "
                            "per exposure; auto: binomial when every row is a share")
    shift: float | None = Field(None, gt=0, lt=1, description="relative change the CUSUM "
                                                              "is tuned to (default: top level)")
    zh: str | None = Field(None, max_length=200, description="Chinese display name")


class MonitorSpec(_Strict):
    period: Literal["day", "week"] = "day"
    core: list[MetricSpec] = Field(min_length=1, max_length=100)
    auxiliary: list[MetricSpec] = Field(default_factory=list, max_length=100)
    floor: list[MetricSpec] = Field(default_factory=list, max_length=100)
    bot: list[MetricSpec] | None = Field(
        None, max_length=100, description="the bot's metrics, judged for the team only "
        "(default when the history has the bot columns entered, contained, handed_off, "
        "abandoned, returned: containment, handoff_rate, bot_abandon_rate, return_rate)")
    baseline_periods: int | None = Field(None, ge=2, le=MAX_PERIODS, description="each agent's own baseline "
                                         "(default 28 days or 8 weeks, at most half the "
                                         "history)")
    false_alarm_rate: float = Field(0.001, gt=0, lt=0.5, description="false flags per agent, "
                                    "metric and period when nothing changed")
    shift: float = Field(0.2, gt=0, lt=1, description="relative change the CUSUMs are tuned "
                                                      "to detect fastest")
    team_shift: float = Field(0.05, gt=0, lt=1, description="relative change the team's "
                              "CUSUMs are tuned to")
    floor_confidence: float = Field(0.95, ge=0.5, lt=1)
    floor_window: int | None = Field(None, ge=1, le=MAX_PERIODS, description="periods judged against a floor "
                                     "(default 30 days or 4 weeks)")
    rank_window: int | None = Field(None, ge=1, le=MAX_PERIODS, description="periods the ranking covers "
                                    "(default 7 days or 4 weeks)")
    rank_level: float = Field(0.95, gt=0.5, lt=1)
    overdispersion: Literal["team", "all", "none"] = Field(
        "team", description="where Laney's p'-chart factor applies")
    seed: int = Field(0, ge=0, le=2**64 - 1, description="seed of the ranking's posterior draws")
    judge_agents: Literal["team_day", "own"] = Field(
        "team_day", description="team_day: each agent's day against their own level moved by "
                                "the rest of the team's rate that day (a day that moves "
                                "everyone is the team's shift); own: against their own "
                                "baseline alone")
    language: Literal["en", "zh"] = Field("en", description="language of monitor.html")

    def metrics(self) -> list[tuple[str, int, MetricSpec]]:
        """(section, index, metric) in table order: core, auxiliary, floor."""
        return [(sec, i, m) for sec in ("core", "auxiliary", "floor", "bot")
                for i, m in enumerate(getattr(self, sec) or [])]


def load_spec(path: str | Path) -> tuple[MonitorSpec, object]:
    """The validated spec and its YAML tree (for locating later problems)."""
    root = read_yaml(path)
    spec = validate(MonitorSpec, root, str(path))
    seen: dict[str, tuple[str, int]] = {}
    problems = []
    for sec, i, m in spec.metrics():
        if sec == "core" and m.target is None:
            line, col = position(root, (sec, i))
            problems.append(Problem(str(path), line, col, f"{sec}.{i}",
                                    f"core metric '{m.name}' needs a target"))
        if sec == "floor" and m.floor is None:
            line, col = position(root, (sec, i))
            problems.append(Problem(str(path), line, col, f"{sec}.{i}",
                                    f"floor metric '{m.name}' needs a floor"))
        if m.name in seen:
            line, col = position(root, (sec, i, "name"))
            s0, i0 = seen[m.name]
            problems.append(Problem(str(path), line, col, f"{sec}.{i}.name",
                                    f"metric '{m.name}' is already defined at {s0}[{i0}]"))
        seen.setdefault(m.name, (sec, i))
    if problems:
        raise InputError(problems)
    return spec, root


# the bot section when the spec has none and the history has the bot's columns
# (docs/formats.md, a bot in front of a channel: entered, contained, handed_off,
# abandoned, returned)
BOT_COLUMNS = ("entered", "contained", "handed_off", "abandoned", "returned")
DEFAULT_BOT = (
    MetricSpec(name="containment", ratio=("contained", "entered"), better="higher",
               zh="机器人解决率"),
    MetricSpec(name="handoff_rate", ratio=("handed_off", "entered"), better="lower",
               zh="转人工率"),
    MetricSpec(name="bot_abandon_rate", ratio=("abandoned", "entered"), better="lower",
               zh="机器人会话放弃率"),
    MetricSpec(name="return_rate", ratio=("returned", "contained"), better="lower",
               zh="解决后回流率"),
)


def with_bot(spec: MonitorSpec, header: list[str]) -> MonitorSpec:
    """The spec with the default bot section when it has none and the history's header
    has the bot's columns (each default metric whose two columns are there)."""
    if spec.bot is not None or not set(BOT_COLUMNS[:1]) <= set(header):
        return spec
    taken = {m.name for _, _, m in spec.metrics()}
    bot = [m for m in DEFAULT_BOT if set(m.ratio) <= set(header) and m.name not in taken]
    return spec.model_copy(update={"bot": bot}) if bot else spec
