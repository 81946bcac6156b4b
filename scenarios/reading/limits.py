"""Sane ranges for every quantity of the scenario file and the CSV inputs.

Each bound is one no real contact centre reaches (docs/robustness.md lists them with the
reason); a value outside is a located input error, so that the cores never see an
infinity, a 1e308 arrival rate or a date in the year 9999 (they would hang, overflow or
try to allocate petabytes). The bounds appear in the JSON Schema (``peakdesk schema``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, Field

from rules.limits import MAX_MONEY, MAX_TEXT

MAX_RATE_PER_HOUR = 1e6        # contacts per hour on one channel (the largest centres: ~1e5)
MAX_DAILY_VOLUME = 24 * MAX_RATE_PER_HOUR
MAX_SECONDS = 86_400.0         # a handle time, wrap-up, patience or wait target: one day
MAX_DELAY_S = 30 * 86_400.0    # from an abandonment / unresolved contact to the next: a month
MAX_HORIZON_DAYS = 366
MAX_MINUTES = MAX_HORIZON_DAYS * 1440.0  # event phases, warm-up
MAX_HOURS = MAX_HORIZON_DAYS * 24.0      # notice, blocks, call-outs
MAX_LEAD_DAYS = float(MAX_HORIZON_DAYS)  # decisions, hiring and training lead times
MAX_AGENTS = 100_000           # agents of one pool, seats of one contract, in one interval
MAX_ORDERS = 1e9               # orders per day or per interval
MAX_PER_ORDER = 100.0          # contacts per order
MAX_MULTIPLIER = 1000.0        # event uplifts, demand-case multipliers
MAX_WEIGHT = 1e6               # profile weights (scaled to mean 1 or sum 1)
MAX_CV = 10.0                  # coefficients of variation of durations and order values
MAX_SEED = 2**64 - 1
MAX_INTERVALS = MAX_HORIZON_DAYS * 96    # values per horizon list (15-minute intervals)
MAX_PATH = 1024                # characters of a path in a scenario
MAX_PATH_PART = 255            # bytes of one path component (the usual file-system limit)
EARLIEST = datetime(2000, 1, 1)
LATEST = datetime(2100, 1, 1)  # exclusive

__all__ = ["MAX_MONEY", "MAX_TEXT"]


def local_time_problem(v: datetime) -> str | None:
    """Why ``v`` is not a local date-time of 2000-2099, or None (CSV readers use it too)."""
    if v.tzinfo is not None:
        return ("give local time without a UTC offset: every time of a scenario is on the "
                "team's local clock")
    if not EARLIEST <= v < LATEST:
        return "a date-time outside 2000-01-01 .. 2099-12-31"
    return None


def _local_time(v: datetime) -> datetime:
    """A naive date-time between 2000 and 2099 (the scenario's clock is local time)."""
    why = local_time_problem(v)
    if why is not None:
        raise ValueError(why)
    return v


def _local_day(v: date) -> date:
    if not EARLIEST.date() <= v < LATEST.date():
        raise ValueError("a date outside 2000-01-01 .. 2099-12-31")
    return v


_TIME_RANGE = {"formatMinimum": "2000-01-01T00:00:00", "formatExclusiveMaximum":
               "2100-01-01T00:00:00"}
LocalTime = Annotated[datetime, AfterValidator(_local_time), Field(json_schema_extra=_TIME_RANGE)]
LocalDay = Annotated[date, AfterValidator(_local_day),
                     Field(json_schema_extra={"formatMinimum": "2000-01-01",
                                              "formatExclusiveMaximum": "2100-01-01"})]

Fraction = Annotated[float, Field(ge=0.0, le=1.0)]
Weight = Annotated[float, Field(ge=0.0, le=MAX_WEIGHT)]
Rate = Annotated[float, Field(ge=0.0, le=MAX_RATE_PER_HOUR)]
OrderCount = Annotated[float, Field(ge=0.0, le=MAX_ORDERS)]
PerOrder = Annotated[float, Field(ge=0.0, le=MAX_PER_ORDER)]
Money = Annotated[float, Field(ge=0.0, le=MAX_MONEY)]
Agents = Annotated[int, Field(ge=0, le=MAX_AGENTS)]
Seed = Annotated[int, Field(ge=0, le=MAX_SEED)]
Text = Annotated[str, Field(max_length=MAX_TEXT)]


def _path(v: str) -> str:
    """A relative path the file system can hold: each part at most 255 bytes."""
    for part in v.replace("\\", "/").split("/"):
        if len(part.encode("utf-8", "surrogatepass")) > MAX_PATH_PART:
            raise ValueError(f"path part of {len(part.encode('utf-8', 'surrogatepass'))} "
                             f"bytes: file systems allow at most {MAX_PATH_PART}")
    if "\x00" in v:
        raise ValueError("a path cannot hold a NUL character")
    return v


RelPath = Annotated[str, Field(min_length=1, max_length=MAX_PATH), AfterValidator(_path)]
