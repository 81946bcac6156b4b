"""Read a KPI table CSV (docs/formats.md §3) into columns of numpy arrays, errors located.

One row per agent and period: ``agent_id``, ``pool``, then one column per metric. Unknown
columns are kept: numeric ones are usable in formulas; an all-text column (a name, a team)
is kept as text. Empty cells become NaN and are an error only where a policy needs them
(:meth:`KpiTable.check`). Problems read ``file:line:col column: message``.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from rules.catalogue import CATALOGUE
from scenarios.reading.csv_input import csv_error_problem
from scenarios.reading.errors import InputError, Problem, read_input_text
from scenarios.reading.yaml_guard import short
from scenarios.reading.yamlio import did_you_mean

TEXT_COLUMNS = ("agent_id", "pool")
MAX_PROBLEMS = 30
MAX_KPI_VALUE = 1e12  # any count, share, time or money of one agent in one period


@dataclass
class KpiTable:
    """Columns by name (float arrays; ``agent_id``, ``pool`` and text columns as str arrays)."""

    file: str
    columns: dict[str, np.ndarray]
    lines: list[int] = field(default_factory=list)       # file line of each row
    header_cols: dict[str, int] = field(default_factory=dict)  # 1-based char column in header
    text: set[str] = field(default_factory=set)
    cell_cols: list[list[int]] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return list(self.columns)

    def __len__(self) -> int:
        return len(self.lines)

    def check(self, needed: set[str] | frozenset[str], rows: np.ndarray | None = None,
              why: str = "the policy") -> None:
        """Raise InputError when a needed column is missing, text, or has empty cells."""
        problems: list[Problem] = []
        numeric = [c for c in self.columns if c not in self.text]
        for name in sorted(needed):
            if name not in self.columns:
                problems.append(Problem(self.file, 1, 1, name,
                                        f"no column '{name}', needed by {why}"
                                        f"{did_you_mean(name, numeric)}"))
                continue
            if name in self.text and name not in TEXT_COLUMNS:
                problems.append(Problem(self.file, 1, self.header_cols.get(name), name,
                                        f"column '{name}' holds text, but {why} needs numbers"))
                continue
            if name in TEXT_COLUMNS:
                continue
            col = self.columns[name]
            empty = np.isnan(col)
            if rows is not None:
                empty &= rows
            idx = list(self.header_cols).index(name)
            for r in np.flatnonzero(empty)[:MAX_PROBLEMS]:
                problems.append(Problem(self.file, self.lines[r], self.cell_cols[r][idx], name,
                                        f"empty value for '{name}' (agent "
                                        f"{self.columns['agent_id'][r]}), needed by {why}"))
        if problems:
            raise InputError(problems)


def _cell_columns(raw: str, n: int) -> list[int]:
    """1-based character column where each field starts (exact for unquoted lines)."""
    if '"' in raw:
        return [1] * n
    cols, pos = [], 1
    for part in raw.split(","):
        cols.append(pos)
        pos += len(part) + 1
    return (cols + [pos] * n)[:n]


def _number(s: str) -> float | None:
    s = s.strip()
    if s == "":
        return math.nan
    try:
        v = float(s.replace("%", "")) / (100.0 if s.endswith("%") else 1.0)
    except ValueError:
        return None
    return v if abs(v) <= MAX_KPI_VALUE else None  # inf, nan and absurd magnitudes


def read_kpi_table(path: str | Path) -> KpiTable:
    """Parse the CSV; raise one InputError with every problem found (up to a limit)."""
    file = str(path)
    text = read_input_text(path, encoding="utf-8-sig")
    raw_lines = text.splitlines()
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise InputError.single(file, "the file is empty") from None
    except csv.Error as exc:
        raise InputError.single(file, f"invalid CSV: {exc}", line=1) from None
    header = [h.strip() for h in header]
    hcols = _cell_columns(raw_lines[0] if raw_lines else "", len(header))
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, h in enumerate(header):
        if not h:
            problems.append(Problem(file, 1, hcols[i], "", f"column {i + 1} has no name"))
        elif h in seen:
            problems.append(Problem(file, 1, hcols[i], h, f"column '{h}' appears twice"))
        seen.setdefault(h, i)
    if "agent_id" not in seen:
        problems.append(Problem(file, 1, 1, "agent_id", "missing column 'agent_id'"
                                f"{did_you_mean('agent_id', header)}"))
    if problems:
        raise InputError(problems)

    rows: list[list[str]] = []
    lines: list[int] = []
    cell_cols: list[list[int]] = []
    prev = reader.line_num
    try:
        for row in reader:
            start = prev + 1
            prev = reader.line_num
            if not row or all(not c.strip() for c in row):
                continue
            if len(row) != len(header):
                problems.append(Problem(file, start, 1, "", f"{len(row)} values, the header "
                                                            f"has {len(header)} columns"))
                continue
            rows.append([c.strip() for c in row])
            lines.append(start)
            raw = raw_lines[start - 1] if start - 1 < len(raw_lines) else ""
            cell_cols.append(_cell_columns(raw, len(header)))
    except csv.Error as exc:
        line = reader.line_num if "field larger" in str(exc) else prev + 1
        problems.append(csv_error_problem(exc, file, line, raw_lines, header))
    if not rows and not problems:
        problems.append(Problem(file, 2, 1, "", "no agent rows"))

    columns: dict[str, np.ndarray] = {}
    text_cols: set[str] = set()
    for j, name in enumerate(header):
        cells = [r[j] for r in rows]
        if name in TEXT_COLUMNS:
            columns[name] = np.array(cells, dtype=str) if cells else np.array([], dtype=str)
            text_cols.add(name)
            if name == "agent_id":
                ids_seen: dict[str, int] = {}
                for r, c in enumerate(cells):
                    if not c:
                        problems.append(Problem(file, lines[r], cell_cols[r][j], name,
                                                "empty agent_id"))
                    elif c in ids_seen:
                        problems.append(Problem(file, lines[r], cell_cols[r][j], name,
                                                f"agent '{c}' appears twice (first on line "
                                                f"{lines[ids_seen[c]]})"))
                    ids_seen.setdefault(c, r)
            continue
        values = [_number(c) for c in cells]
        bad = [r for r, v in enumerate(values) if v is None]
        if bad and len(bad) == sum(1 for c in cells if c) and name not in CATALOGUE:
            columns[name] = np.array(cells, dtype=str)  # a text column (a name, a team)
            text_cols.add(name)
            continue
        for r in bad[:MAX_PROBLEMS]:
            problems.append(Problem(file, lines[r], cell_cols[r][j], name,
                                    f"not a finite number within ±{MAX_KPI_VALUE:g}: "
                                    f"{short(cells[r])}"))
        columns[name] = np.array([math.nan if v is None else v for v in values], dtype=np.float64)
    if problems:
        raise InputError(problems[:MAX_PROBLEMS])
    return KpiTable(file, columns, lines, {h: hcols[i] for i, h in enumerate(header)},
                    text_cols, cell_cols)
