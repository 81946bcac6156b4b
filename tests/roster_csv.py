"""An independent reader of roster.csv: every rule of docs/formats.md's rosters checked
from the CSV rows alone (dates, clock times, paid hours), with datetime arithmetic — not
with planning.roster, the code that built the roster."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

DEFAULTS = {"min_rest_hours": 11.0, "max_consecutive_days": 6, "max_nights_in_a_row": 3,
            "max_paid_hours_per_week": 44.0, "max_days_per_week": 5}


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def shifts_by_person(rows: list[dict[str, str]]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        if r["kind"] != "shift":
            continue
        assert r["employee_id"] and r["agents"] == "1", r
        out[r["employee_id"]].append({
            "date": date.fromisoformat(r["date"]),
            "start": datetime.fromisoformat(r["start"]),
            "end": datetime.fromisoformat(r["end"]),
            "b0": datetime.fromisoformat(r["break_start"]) if r["break_start"] else None,
            "b1": datetime.fromisoformat(r["break_end"]) if r["break_end"] else None,
            "paid": float(r["paid_hours"]), "on_duty": float(r["hours_on_duty"])})
    for v in out.values():
        v.sort(key=lambda s: s["start"])
    return out


def is_night(s: dict) -> bool:
    """The shift covers some time between 00:00 and 05:00 of a day."""
    d = datetime.combine(s["start"].date(), datetime.min.time())
    while d < s["end"]:
        if s["start"] < d + timedelta(hours=5) and s["end"] > d:
            return True
        d += timedelta(days=1)
    return False


def longest_run(days: set[date]) -> tuple[int, list[date]]:
    best: list[date] = []
    run: list[date] = []
    for d in sorted(days):
        run = run + [d] if run and d - run[-1] == timedelta(days=1) else [d]
        if len(run) > len(best):
            best = list(run)
    return len(best), best


def breaches(path: Path, horizon_start: date, rules: dict | None = None) -> list[str]:
    """Every rule breach in roster.csv as a sentence (empty: the roster keeps every rule)."""
    r = {**DEFAULTS, **(rules or {})}
    out = []
    for pid, shifts in shifts_by_person(read(path)).items():
        dates = [s["date"] for s in shifts]
        if len(set(dates)) != len(dates):
            out.append(f"{pid}: two shifts on one date")
        for a, b in zip(shifts, shifts[1:], strict=False):
            rest = (b["start"] - a["end"]).total_seconds() / 3600
            if rest < r["min_rest_hours"] - 1e-9:
                out.append(f"{pid}: {rest} h rest before {b['start']}")
        n, run = longest_run(set(dates))
        if n > r["max_consecutive_days"]:
            out.append(f"{pid}: {n} days in a row from {run[0]}")
        n, run = longest_run({s["date"] for s in shifts if is_night(s)})
        if n > r["max_nights_in_a_row"]:
            out.append(f"{pid}: {n} nights in a row from {run[0]}")
        first, last = min(dates), max(dates)
        d = first - timedelta(days=6)
        while d <= last:
            h = sum(s["paid"] for s in shifts if d <= s["date"] < d + timedelta(days=7))
            if h > r["max_paid_hours_per_week"] + 1e-9:
                out.append(f"{pid}: {h} paid hours on the 7 dates from {d}")
            d += timedelta(days=1)
        blocks: dict[int, int] = defaultdict(int)
        for x in dates:
            blocks[(x - horizon_start).days // 7] += 1
        for k, n in blocks.items():
            if n > r["max_days_per_week"]:
                out.append(f"{pid}: {n} days in week {k + 1} of the horizon")
    return out
