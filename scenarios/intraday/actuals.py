"""ACTUALS.csv: what happened so far on the day (docs/formats.md §10).

Columns ``interval_start, channel, offered`` and optionally ``answered, abandoned,
agents_present`` (and ``waiting``: contacts in queue at the end of the interval; the last
interval's is the queue at "now"). One row per interval and channel; ``agents_present``
counts in-house agents on the floor in that interval — the same number on every channel's
row of the interval, or on one of them. Rows for intervals not finished by ``--now`` are
not used (they are counted, and the terminal says so). Every problem is reported with its
file, line and field, all together.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

from scenarios.reading.csv_input import read_records
from scenarios.reading.errors import InputError, Problem, read_input_text

REQUIRED = ("interval_start", "channel", "offered")
OPTIONAL = ("answered", "abandoned", "agents_present", "waiting")


@dataclass(frozen=True)
class Actuals:
    """Counts per channel over the intervals [0, seen) of the horizon (NaN: no row).

    ``offered`` etc.: channel → (seen,) arrays; ``agents_present`` (seen,) NaN where not
    given; ``waiting``: contacts in queue at now per channel (0 when not given)."""

    seen: int
    offered: dict[str, np.ndarray]
    answered: dict[str, np.ndarray]
    abandoned: dict[str, np.ndarray]
    agents_present: np.ndarray
    waiting: dict[str, int] = field(default_factory=dict)
    ignored_rows: int = 0

    @property
    def observed(self) -> np.ndarray:
        """(seen,) True where every channel has a row."""
        rows = [~np.isnan(v) for v in self.offered.values()]
        return np.logical_and.reduce(rows) if rows else np.zeros(self.seen, bool)


def _number(raw: str, name: str, integer: bool) -> float:
    v = float(raw)
    if not math.isfinite(v) or v < 0:
        raise ValueError(f"{name} must be a number ≥ 0, got {raw!r}")
    if integer and v != int(v):
        raise ValueError(f"{name} must be a whole number, got {raw!r}")
    return v


def read_actuals(path: str, start: datetime, interval_minutes: int, n_intervals: int,
                 channels: list[str], now: datetime) -> Actuals:
    """Read and check ACTUALS.csv against the horizon (``start``, interval length, count)
    and the scenario's inbound ``channels``; keep the intervals that ended by ``now``."""
    file = str(path)
    text = read_input_text(path)
    records = read_records(text, file)
    problems: list[Problem] = []
    if not records or not any(f.strip() for f in records[0][1]):
        raise InputError.single(file, "empty file: expected a header "
                                      "interval_start,channel,offered", line=1)
    header = [h.strip() for h in records[0][1]]
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in REQUIRED + OPTIONAL]
    if missing or unknown:
        msg = []
        if missing:
            msg.append(f"missing column(s) {', '.join(missing)}")
        if unknown:
            msg.append(f"unknown column(s) {', '.join(unknown)} (known: "
                       f"{', '.join(REQUIRED + OPTIONAL)})")
        raise InputError.single(file, "; ".join(msg), field="header", line=1)
    col = {h: i for i, h in enumerate(header)}
    step = timedelta(minutes=interval_minutes)
    seen = max(0, min(n_intervals, int((now - start) // step)))
    nan = np.full(seen, np.nan)
    data = {k: {c: nan.copy() for c in channels} for k in ("offered", "answered", "abandoned",
                                                            "waiting")}
    present = nan.copy()
    where: dict[tuple[int, str], int] = {}
    ignored = 0
    for line, rec in records[1:]:
        if not any(f.strip() for f in rec):
            continue
        if len(rec) != len(header):
            problems.append(Problem(file, line, None, "row", f"{len(rec)} values, the header "
                                                             f"has {len(header)}"))
            continue
        val = {h: rec[i].strip() for h, i in col.items()}
        try:
            t0 = datetime.fromisoformat(val["interval_start"])
        except ValueError:
            problems.append(Problem(file, line, None, "interval_start", "not an ISO date-time "
                                    f"(e.g. 2026-11-11T01:00): {val['interval_start']!r}"))
            continue
        if t0.tzinfo is not None:
            t0 = t0.replace(tzinfo=None)
        k, rem = divmod(t0 - start, step)
        if rem or k < 0 or k >= n_intervals:
            problems.append(Problem(file, line, None, "interval_start",
                                    f"{val['interval_start']} is not the start of an interval of "
                                    f"the plan's horizon ({start:%Y-%m-%dT%H:%M}, every "
                                    f"{interval_minutes} min, {n_intervals} intervals)"))
            continue
        ch = val["channel"]
        if ch not in channels:
            problems.append(Problem(file, line, None, "channel", f"unknown channel {ch!r} "
                                    f"(the scenario's: {', '.join(channels)})"))
            continue
        if k >= seen:
            ignored += 1
            continue
        if (k, ch) in where:
            problems.append(Problem(file, line, None, "interval_start",
                                    f"{val['interval_start']} {ch} given twice (first on line "
                                    f"{where[(k, ch)]})"))
            continue
        where[(k, ch)] = line
        for name in ("offered", "answered", "abandoned", "waiting", "agents_present"):
            raw = val.get(name, "")
            if raw == "" and name != "offered":
                continue
            try:
                v = _number(raw, name, integer=True)
            except ValueError as exc:
                problems.append(Problem(file, line, None, name, str(exc)))
                continue
            if name == "agents_present":
                if not np.isnan(present[k]) and present[k] != v:
                    problems.append(Problem(file, line, None, name, f"{v:g} differs from "
                                            f"{present[k]:g} on another row of this interval"))
                present[k] = v
            else:
                data[name][ch][k] = v
        off = data["offered"][ch][k]
        done = np.nansum([data["answered"][ch][k], data["abandoned"][ch][k]])
        if off == off and done > off:
            problems.append(Problem(file, line, None, "answered",
                                    f"answered + abandoned ({done:g}) exceed offered ({off:g})"))
    if problems:
        raise InputError(problems)
    if not where:
        raise InputError.single(file, f"no interval finished before --now "
                                      f"{now:%Y-%m-%dT%H:%M}: nothing to re-forecast from",
                                field="interval_start")
    last = max(k for k, _ in where)
    waiting = {c: int(np.nan_to_num(data["waiting"][c][last])) for c in channels}
    return Actuals(seen, data["offered"], data["answered"], data["abandoned"], present,
                   waiting, ignored)
