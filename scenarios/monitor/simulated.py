"""Rehearse the monitoring on simulated agents: the daily KPI tables peakdesk writes
(``peakdesk simulate --out`` writes ``agents_all.csv``, one row per replication, agent slot
and day, and ``agents.csv`` for replication 0) laid end to end as one history. (A run's
``agents_<policy>.csv`` is one row per agent scaled to a pay period, not a day series.)

Each table's replications become consecutive stretches of dates, in file order, each
replication's days after the previous one's: replication 0 of a 6-day horizon gives dates
1–6, replication 1 dates 7–12, and a second table (the same agents under a new incentive
scheme) continues from there. The agent slot (``in_house-001``) is the agent. So a manager
sees what the table would show across a scheme going live before it does.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from scenarios.monitor.history import _rows
from scenarios.reading.errors import InputError, Problem, read_input_text
from scenarios.reading.kpi_table import _cell_columns

SKIP = ("replication", "period", "date")


def simulated_history(paths: list[str | Path]) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of one history built from simulator KPI tables, in order."""
    header_out = ["date", "agent_id", "pool"]
    out: list[tuple[date, dict[str, str]]] = []
    cursor: date | None = None
    problems: list[Problem] = []
    for path in paths:
        file = str(path)
        header, raw, rows, lines, probs = _rows(file, read_input_text(path))
        problems += probs
        at = {h: i for i, h in enumerate(header)}
        missing = [c for c in ("agent_id", "period") if c not in at]
        if missing:
            problems += [Problem(file, 1, 1, c, f"no column '{c}': expected a simulator KPI "
                                 "table (agent_id, pool, period, metrics)") for c in missing]
            continue
        header_out += [h for h in header if h not in SKIP and h not in header_out]
        keyed = []
        for r, row in enumerate(rows):
            try:
                day = date.fromisoformat(row[at["period"]])
                rep = int(float(row[at["replication"]])) if "replication" in at else 0
            except ValueError:
                col = _cell_columns(raw[lines[r] - 1], len(header))[at["period"]]
                problems.append(Problem(file, lines[r], col, "period",
                                        f"expected a date, got {row[at['period']]!r} (a "
                                        "daily simulator table: peakdesk simulate --out "
                                        "writes agents_all.csv)"))
                continue
            keyed.append((rep, day, {h: row[i] for h, i in at.items() if h not in SKIP}))
        for rep in sorted({k[0] for k in keyed}):
            block = [k for k in keyed if k[0] == rep]
            first = min(k[1] for k in block)
            span = (max(k[1] for k in block) - first).days + 1
            cursor = cursor or first
            out += [(cursor + (k[1] - first), k[2]) for k in block]
            cursor += timedelta(days=span)
    if problems:
        raise InputError(problems[:30])
    out.sort(key=lambda item: (item[0], item[1].get("agent_id", "")))
    rows_out = [[d.isoformat(), *(cells.get(h, "") for h in header_out[1:])]
                for d, cells in out]
    return header_out, rows_out
