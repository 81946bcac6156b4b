"""Read a monitoring history CSV: a KPI table with a ``date`` column, one row per agent and
date (``agent_id``, optional ``pool``), counts as columns. Problems are located
(``file:line:col column: message``) and reported together (up to a limit).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from scenarios.reading.csv_input import csv_error_problem
from scenarios.reading.errors import InputError, Problem, read_input_text
from scenarios.reading.kpi_table import _cell_columns, _number
from scenarios.reading.yamlio import did_you_mean

MAX_PROBLEMS = 30


@dataclass(frozen=True)
class History:
    """Rows of the history: dates, agents and the requested count columns (NaN for an
    empty cell); :meth:`where` locates every value. An optional ``pool`` column is
    allowed and not needed."""

    file: str
    dates: np.ndarray                  # datetime64[D]
    agent_id: np.ndarray               # str
    columns: dict[str, np.ndarray]     # float
    lines: list[int]                   # file line of each row
    raw: list[str]                     # the file's lines (for character columns)
    header: list[str]
    line_offset: int = 0               # lines of the file before ``raw[1]`` minus one


    def __len__(self) -> int:
        return len(self.lines)

    def where(self, row: int, column: str) -> tuple[int, int]:
        """(line, 1-based character column) of ``column`` in data row ``row``."""
        line = self.lines[row]
        i = line - 1 - self.line_offset if line > 1 else 0
        raw = self.raw[i] if i < len(self.raw) else ""
        return line, _cell_columns(raw, len(self.header))[self.header.index(column)]


def _rows(file: str, text: str) -> tuple[list[str], list[str], list[list[str]], list[int],
                                          list[Problem]]:
    """Header, the file's lines, data rows with their line numbers, problems."""
    raw_lines = text.splitlines()
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise InputError.single(file, "the file is empty") from None
    except csv.Error as exc:
        raise InputError([csv_error_problem(exc, file, 1, raw_lines)]) from None
    problems: list[Problem] = []
    width = len(header)
    if '"' not in text:
        # one record per line: line numbers by position, no per-row bookkeeping
        try:
            records = list(reader)
        except csv.Error as exc:
            raise InputError([csv_error_problem(exc, file, reader.line_num, raw_lines,
                                                header)]) from None
        lines = [i + 2 for i, r in enumerate(records) if len(r) == width]
        rows = [r for r in records if len(r) == width]
        for i, r in enumerate(records):
            if len(r) != width and any(c.strip() for c in r):
                problems.append(Problem(file, i + 2, 1, "", f"{len(r)} values, the header "
                                                            f"has {width} columns"))
        return header, raw_lines, rows, lines, problems
    rows, lines = [], []
    prev = reader.line_num
    try:
        for row in reader:
            start, prev = prev + 1, reader.line_num
            if len(row) != width:
                if not row or all(not c.strip() for c in row):
                    continue
                problems.append(Problem(file, start, 1, "", f"{len(row)} values, the header "
                                                            f"has {width} columns"))
                continue
            rows.append(row)
            lines.append(start)
    except csv.Error as exc:
        problems.append(csv_error_problem(exc, file, reader.line_num, raw_lines, header))
    return header, raw_lines, rows, lines, problems


def _column(rows: list[list[str]], j: int, strip: bool = True) -> np.ndarray:
    col = np.array([r[j] for r in rows], dtype=str)
    return np.char.strip(col) if strip else col


def read_history(path: str | Path, needed: list[str]) -> History:
    """Parse the history, keeping ``needed`` count columns; raise InputError on problems."""
    return parse_history(str(path), read_input_text(path), needed)


def parse_history(file: str, text: str, needed: list[str], line_offset: int = 0) -> History:
    """:func:`read_history` on text already read (``file`` names it in messages).
    ``line_offset``: the text is the file's header followed by its lines from
    ``line_offset + 2`` on (a daily update reads only the rows appended since).

    Columns convert in one numpy step; only a column that fails is walked cell by cell to
    locate its problems, so a year of a thousand agents reads in seconds.
    """
    header, raw, rows, lines, problems = _rows(file, text)
    if line_offset:
        lines = [ln + line_offset for ln in lines]
        problems = [dataclasses.replace(p, line=p.line + line_offset) if (p.line or 0) > 1 else p
                    for p in problems]
    hcols = _cell_columns(raw[0] if raw else "", len(header))
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
    hist = History(file, np.array([], "datetime64[D]"), np.array([]), {}, lines, raw, header,
                   line_offset)

    def bad(r: int, col: str, message: str) -> None:
        problems.append(Problem(file, *hist.where(r, col), col, message))

    text_dates = _column(rows, at["date"])
    try:
        days = text_dates.astype("datetime64[D]")
        wrong = np.datetime_as_string(days) != text_dates
    except ValueError:
        days = np.array([_iso(c) for c in text_dates], dtype="datetime64[D]")
        wrong = np.isnat(days)
    for r in np.flatnonzero(wrong)[:MAX_PROBLEMS]:
        bad(int(r), "date", f"not an ISO date (YYYY-MM-DD): {str(text_dates[r])!r}")
    agents = _column(rows, at["agent_id"])
    for r in np.flatnonzero(agents == "")[:MAX_PROBLEMS]:
        bad(int(r), "agent_id", "empty agent_id")
    if not wrong.any():
        _, a_idx = np.unique(agents, return_inverse=True)
        _, d_idx = np.unique(days, return_inverse=True)
        key = a_idx.astype(np.int64) * (int(d_idx.max()) + 1) + d_idx
        order = np.argsort(key, kind="stable")
        dup = order[1:][key[order[1:]] == key[order[:-1]]]
        first = order[:-1][key[order[1:]] == key[order[:-1]]]
        for r, r0 in list(zip(dup, first, strict=True))[:MAX_PROBLEMS]:
            bad(int(r), "agent_id", f"agent '{agents[r]}' has two rows for {text_dates[r]} "
                                    f"(first on line {lines[r0]})")
    columns: dict[str, np.ndarray] = {}
    for col in dict.fromkeys(needed):
        cells = _column(rows, at[col], strip=False)       # float() ignores spaces
        try:
            vals = np.where(cells == "", "nan", cells).astype(float)
            wrong = ~np.isnan(vals) & (np.isinf(vals) | (vals < 0))
        except ValueError:
            vals = np.array([_count(c) for c in cells])
            wrong = np.array([_count(c) is None or _count(c) < 0 for c in cells]) & (
                np.char.strip(cells) != "")
            vals = np.where(wrong, math.nan, vals.astype(float))
        for r in np.flatnonzero(wrong)[:MAX_PROBLEMS]:
            bad(int(r), col, f"expected a count ≥ 0, got {str(cells[r])!r}")
        columns[col] = vals
    if problems:
        raise InputError(problems[:MAX_PROBLEMS])
    return History(file, days, agents, columns, lines, raw, header, line_offset)


def _iso(cell: str) -> np.datetime64:
    try:
        return np.datetime64(date.fromisoformat(cell), "D")
    except ValueError:
        return np.datetime64("NaT")


def _count(cell: str) -> float | None:
    v = _number(cell)
    return None if v is None or (v == v and math.isinf(v)) else v


def history_header(path: str | Path) -> list[str]:
    """The column names of a history file's first line ([] when unreadable: the full
    read reports the problem)."""
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            return [h.strip() for h in next(csv.reader([fh.readline()]), [])]
    except (OSError, UnicodeDecodeError):
        return []
