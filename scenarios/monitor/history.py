"""Read a monitoring history CSV: a KPI table with a ``date`` column, one row per agent and
date (``agent_id``, optional ``pool``), counts as columns. Problems are located
(``file:line:col column: message``) and reported together (up to a limit).
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from scenarios.errors import InputError, Problem, read_input_text
from scenarios.kpi_table import _cell_columns, _number
from scenarios.yamlio import did_you_mean

MAX_PROBLEMS = 30


@dataclass(frozen=True)
class History:
    """Rows of the history: dates, agents, pools and the requested count columns
    (NaN for an empty cell); ``lines`` and ``cells`` locate every value."""

    file: str
    dates: np.ndarray                  # datetime64[D]
    agent_id: np.ndarray               # str
    pool: np.ndarray | None
    columns: dict[str, np.ndarray]     # float
    lines: list[int]
    cells: dict[str, list[int]]        # 1-based character column of each row's cell

    def __len__(self) -> int:
        return len(self.lines)


def _rows(file: str, text: str) -> tuple[list[str], list[int], list[list[str]], list[int],
                                          list[list[int]], list[Problem]]:
    """Header, its cell columns, data rows with their lines and cell columns, problems."""
    raw_lines = text.splitlines()
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise InputError.single(file, "the file is empty") from None
    except csv.Error as exc:
        raise InputError.single(file, f"invalid CSV: {exc}", line=1) from None
    hcols = _cell_columns(raw_lines[0] if raw_lines else "", len(header))
    problems: list[Problem] = []
    rows, lines, cells = [], [], []
    prev = reader.line_num
    try:
        for row in reader:
            start, prev = prev + 1, reader.line_num
            if not row or all(not c.strip() for c in row):
                continue
            if len(row) != len(header):
                problems.append(Problem(file, start, 1, "", f"{len(row)} values, the header "
                                                            f"has {len(header)} columns"))
                continue
            rows.append([c.strip() for c in row])
            lines.append(start)
            raw = raw_lines[start - 1] if start - 1 < len(raw_lines) else ""
            cells.append(_cell_columns(raw, len(header)))
    except csv.Error as exc:
        problems.append(Problem(file, reader.line_num, 1, "", f"invalid CSV: {exc}"))
    return header, hcols, rows, lines, cells, problems


def read_history(path: str | Path, needed: list[str]) -> History:
    """Parse the history, keeping ``needed`` count columns; raise InputError on problems."""
    return parse_history(str(path), read_input_text(path), needed)


def parse_history(file: str, text: str, needed: list[str]) -> History:
    """:func:`read_history` on text already read (``file`` names it in messages)."""
    header, hcols, rows, lines, cells, problems = _rows(file, text)
    at = {h: i for i, h in reversed(list(enumerate(header)))}
    for i, h in enumerate(header):
        if at.get(h) != i:
            problems.append(Problem(file, 1, hcols[i], h, f"column '{h}' appears twice"))
    for col in ("date", "agent_id", *needed):
        if col not in at:
            hint = did_you_mean(col, header)
            if col == "date" and "period" in at:
                hint = (" (this looks like a simulator KPI table: monitor it with "
                        "--simulated, or rename 'period' to 'date')")
            problems.append(Problem(file, 1, 1, col, f"no column '{col}'{hint}"))
    if problems:
        raise InputError(problems[:MAX_PROBLEMS])
    if not rows:
        raise InputError.single(file, "no rows after the header", line=2)

    def where(r: int, col: str) -> tuple[int, int]:
        return lines[r], cells[r][at[col]]

    days: list[np.datetime64] = []
    for r, row in enumerate(rows):
        cell = row[at["date"]]
        try:
            days.append(np.datetime64(date.fromisoformat(cell), "D"))
        except ValueError:
            problems.append(Problem(file, *where(r, "date"), "date",
                                    f"not an ISO date (YYYY-MM-DD): {cell!r}"))
            days.append(np.datetime64("NaT"))
    seen: dict[tuple[str, np.datetime64], int] = {}
    for r, row in enumerate(rows):
        agent = row[at["agent_id"]]
        if not agent:
            problems.append(Problem(file, *where(r, "agent_id"), "agent_id", "empty agent_id"))
            continue
        key = (agent, days[r])
        if key in seen and not np.isnat(days[r]):
            problems.append(Problem(file, *where(r, "agent_id"), "agent_id",
                                    f"agent '{agent}' has two rows for {row[at['date']]} "
                                    f"(first on line {lines[seen[key]]})"))
        seen.setdefault(key, r)
    columns: dict[str, np.ndarray] = {}
    for col in dict.fromkeys(needed):
        vals = np.empty(len(rows))
        for r, row in enumerate(rows):
            v = _number(row[at[col]])
            if v is None or (v == v and (math.isinf(v) or v < 0)):
                problems.append(Problem(file, *where(r, col), col,
                                        f"expected a count ≥ 0, got {row[at[col]]!r}"))
                v = math.nan
            vals[r] = v
        columns[col] = vals
    if problems:
        raise InputError(problems[:MAX_PROBLEMS])
    pool = np.array([row[at["pool"]] for row in rows]) if "pool" in at else None
    return History(file, np.array(days, dtype="datetime64[D]"),
                   np.array([row[at["agent_id"]] for row in rows]), pool, columns, lines,
                   {c: [cl[at[c]] for cl in cells] for c in ("date", "agent_id", *columns)})
