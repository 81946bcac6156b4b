"""Contact history CSV (docs/formats.md §4): read with located errors, write atomically.

Columns: ``timestamp`` (ISO start of the interval), ``channel``, ``contacts``, optional
``orders`` and ``event``. Rows sorted by timestamp, one per interval and channel, no gaps
(``fill_gaps=True`` marks missing intervals as unobserved: the fit leaves them out and the
model's fitted value fills them).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from planning.demand.history import ChannelHistory, History
from scenarios.reading.csv_input import read_records
from scenarios.reading.errors import InputError, Problem, read_input_text
from scenarios.reading.limits import MAX_ORDERS, MAX_RATE_PER_HOUR, local_time_problem
from scenarios.reading.yaml_guard import short
from scenarios.writing.output import write_csv

REQUIRED = ("timestamp", "channel", "contacts")
OPTIONAL = ("orders", "event")
MAX_PROBLEMS = 30
MAX_HISTORY_CELLS = 2_000_000  # channels × intervals: 10 channels, 5 years at 15 minutes


def _number(text: str, what: str, whole: bool, hi: float) -> float:
    try:
        v = float(text)
    except ValueError:
        raise ValueError(f"{what} is not a number (got {short(text)})") from None
    if not math.isfinite(v):
        raise ValueError(f"{what} must be finite (got {short(text)})")
    if not 0 <= v <= hi:
        raise ValueError(f"{what} must be between 0 and {hi:,.0f} (got {short(text)})")
    if whole and v != int(v):
        raise ValueError(f"{what} must be a whole number (got {text!r})")
    return v


def read_history(path: str | Path, *, fill_gaps: bool = False) -> History:
    """Parse and check a history CSV; every problem is reported with file:line."""
    file = str(path)
    text = read_input_text(path, encoding="utf-8-sig")
    records = read_records(text, file)
    rows = [r for _, r in records]
    if not rows or not any(c.strip() for c in rows[0]):
        raise InputError.single(file, "the file is empty; expected a header "
                                      "timestamp,channel,contacts[,orders][,event]", line=1)
    header = [h.strip() for h in rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError.single(file, f"missing column{'s' * (len(missing) > 1)} "
                                      f"{', '.join(missing)}; the header has: {', '.join(header)}",
                                field="header", line=1)
    col = {h: i for i, h in enumerate(header)}
    problems: list[Problem] = []

    def bad(line: int, field: str, msg: str) -> None:
        problems.append(Problem(file, line, None, field, msg))

    recs: list[tuple[int, datetime, str, float | None, float | None, str]] = []
    seen: dict[tuple[datetime, str], int] = {}
    prev: datetime | None = None
    for lineno, row in records[1:]:
        if not row or not any(c.strip() for c in row):
            continue
        if len(row) < len(header):
            row = row + [""] * (len(header) - len(row))

        def cell(name: str, r: list[str] = row) -> str:
            return r[col[name]].strip() if name in col else ""

        try:
            ts = datetime.fromisoformat(cell("timestamp"))
        except ValueError:
            bad(lineno, "timestamp", f"not an ISO date-time (got {short(cell('timestamp'))})")
            continue
        if (why := local_time_problem(ts)) is not None:
            bad(lineno, "timestamp", f"{why} (got {short(cell('timestamp'))})")
            continue
        ch = cell("channel")
        if not ch:
            bad(lineno, "channel", "empty channel name")
            continue
        if prev is not None and ts < prev:
            bad(lineno, "timestamp", f"rows are not sorted by timestamp: {ts.isoformat()} "
                                     f"comes after {prev.isoformat()}")
        prev = ts if prev is None or ts > prev else prev
        if (ts, ch) in seen:
            bad(lineno, "timestamp", f"duplicate row for {ch} at {ts.isoformat()} "
                                     f"(first on line {seen[(ts, ch)]})")
            continue
        seen[(ts, ch)] = lineno
        contacts: float | None = None
        raw = cell("contacts")
        if raw == "" and fill_gaps:
            contacts = None
        else:
            try:
                contacts = _number(raw, "contacts", whole=True,
                                   hi=MAX_RATE_PER_HOUR) if raw else None
                if contacts is None:
                    bad(lineno, "contacts", "empty (fill gaps explicitly with --fill-gaps)")
            except ValueError as exc:
                bad(lineno, "contacts", str(exc))
        orders = None
        if "orders" in col:
            try:
                orders = _number(cell("orders"), "orders", whole=False, hi=MAX_ORDERS)
            except ValueError as exc:
                bad(lineno, "orders", str(exc))
        recs.append((lineno, ts, ch, contacts, orders, cell("event")))
        if len(problems) >= MAX_PROBLEMS:
            break
    if not recs and not problems:
        problems.append(Problem(file, 2, None, "", "no data rows"))
    if problems:
        raise InputError(problems[:MAX_PROBLEMS])
    return _on_grid(recs, file, "orders" in col, fill_gaps)


def _interval(times: list[datetime], file: str) -> int:
    steps = {int((b - a).total_seconds() // 60) for a, b in zip(times, times[1:], strict=False)}
    step = min(steps) if steps else 30
    if step not in (15, 30, 60):
        raise InputError.single(file, f"the timestamps are {step} minutes apart; intervals must "
                                      "be 15, 30 or 60 minutes", field="timestamp")
    return step


def _on_grid(recs, file: str, has_orders: bool, fill_gaps: bool) -> History:
    times = sorted({r[1] for r in recs})
    step = _interval(times, file)
    start = times[0]
    n = int((times[-1] - start).total_seconds() // 60) // step + 1
    n_channels = len({r[2] for r in recs})
    if n * n_channels > MAX_HISTORY_CELLS:
        raise InputError.single(file, (
            f"{n_channels} channel(s) × {n:,} intervals from {start.isoformat()} to "
            f"{times[-1].isoformat()}: more than {MAX_HISTORY_CELLS:,} values; a forecast "
            f"needs at most a few years of one team's channels"), field="timestamp")
    problems: list[Problem] = []
    by_ch: dict[str, list] = {}
    for r in recs:
        off = (r[1] - start).total_seconds() / 60.0
        if off % step:
            problems.append(Problem(file, r[0], None, "timestamp",
                                    f"{r[1].isoformat()} is not on the {step}-minute grid "
                                    f"starting {start.isoformat()}"))
            continue
        by_ch.setdefault(r[2], []).append((int(off // step),) + tuple(r))
    channels: dict[str, ChannelHistory] = {}
    filled = 0
    for ch, items in by_ch.items():
        contacts = np.full(n, np.nan)
        orders = np.full(n, np.nan) if has_orders else None
        events = np.full(n, "", dtype=object)
        present = np.zeros(n, dtype=bool)
        lines = np.zeros(n, dtype=np.int64)
        for idx, lineno, _ts, _ch, c, o, ev in items:
            present[idx] = True
            lines[idx] = lineno
            if c is not None:
                contacts[idx] = c
            if orders is not None:
                orders[idx] = o
            events[idx] = ev
        if not present.all() and not fill_gaps:
            problems.extend(_gap_problems(file, ch, present, lines, start, step))
        observed = ~np.isnan(contacts)
        filled += int((~observed).sum())
        if orders is not None:
            orders = np.where(present, orders, np.nan)
        channels[ch] = ChannelHistory(contacts, observed, orders, events)
    if problems:
        raise InputError(problems[:MAX_PROBLEMS])
    return History(start, step, n, dict(sorted(channels.items())), filled)


def _gap_problems(file: str, ch: str, present: np.ndarray, lines: np.ndarray, start: datetime,
                  step: int) -> list[Problem]:
    """One problem per run of missing intervals, at the line of the next row (or the last)."""
    out = []
    idx = np.flatnonzero(~present)
    runs = np.split(idx, np.flatnonzero(np.diff(idx) > 1) + 1)
    last_line = int(lines[present].max())
    for run in runs:
        after = run[-1] + 1
        line = int(lines[after]) if after < len(present) and present[after] else last_line
        t0 = start + timedelta(minutes=step * int(run[0]))
        t1 = start + timedelta(minutes=step * int(run[-1]))
        span = t0.isoformat() if len(run) == 1 else f"{t0.isoformat()} .. {t1.isoformat()}"
        out.append(Problem(file, line, None, "timestamp",
                           f"gap: no row for channel '{ch}' at {span} ({len(run)} interval"
                           f"{'s' * (len(run) > 1)}; fill gaps explicitly with --fill-gaps)"))
    return out


def history_rows(history: History) -> list[list[object]]:
    """Rows (timestamp, channel, contacts[, orders], event), sorted by timestamp."""
    out: list[list[object]] = []
    ts = history.timestamps()
    for i, t in enumerate(ts):
        for ch, h in history.channels.items():
            if not h.observed[i]:
                continue
            row: list[object] = [t.isoformat(timespec="minutes"), ch, int(h.contacts[i])]
            if history.has_orders:
                row.append(int(round(float(h.orders[i]))))
            row.append(h.events[i])
            out.append(row)
    return out


def write_history(path: str | Path, history: History) -> None:
    header = ["timestamp", "channel", "contacts"] + (["orders"] if history.has_orders else [])
    write_csv(path, header + ["event"], history_rows(history))
