"""Read the batch input of ``peakdesk erlang --input`` (docs/formats.md §5) with located errors.

Columns: rate_per_hour, aht_s, within_s, and per row either ``agents`` (evaluate) or
``target`` (find the fewest agents whose service level reaches it); optional patience_s
(Erlang A when given, Erlang C when empty). Other columns are carried through.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from scenarios.reading.csv_input import read_records
from scenarios.reading.errors import InputError, Problem, read_input_text
from scenarios.reading.limits import MAX_RATE_PER_HOUR, MAX_SECONDS
from scenarios.reading.yaml_guard import short

MAX_PROBLEMS = 30

REQUIRED = ("rate_per_hour", "aht_s", "within_s")


@dataclass(frozen=True)
class ErlangCases:
    header: list[str]
    rows: list[list[str]]
    rate_per_hour: np.ndarray
    aht_s: np.ndarray
    within_s: np.ndarray
    patience_s: np.ndarray  # inf where empty (Erlang C)
    agents: np.ndarray  # NaN where not given
    target: np.ndarray  # NaN where not given


def read_erlang_cases(path: str | Path) -> ErlangCases:
    file = str(path)
    records = read_records(read_input_text(path), file)
    table = [rec for _, rec in records]
    lines = [ln for ln, _ in records]  # file line of each record (where it starts)
    if not table:
        raise InputError.single(file, "the file is empty", line=1)
    header = [h.strip() for h in table[0]]
    problems: list[Problem] = []
    for col in REQUIRED:
        if col not in header:
            problems.append(Problem(file, 1, None, col, f"missing column '{col}'"))
    if "agents" not in header and "target" not in header:
        problems.append(Problem(file, 1, None, "agents", "need an 'agents' or a 'target' column"))
    if problems:
        raise InputError(problems)
    pos = {h: i for i, h in enumerate(header)}
    data = [(ln, r) for ln, r in zip(lines[1:], table[1:], strict=True) if any(c.strip() for c in r)]
    rows = [r for _, r in data]
    n = len(rows)
    cols = {k: np.full(n, np.nan) for k in (*REQUIRED, "patience_s", "agents", "target")}

    def num(r: list[str], line: int, name: str, lo: float, lo_open: bool, hi: float
            ) -> float:
        text = r[pos[name]].strip() if pos[name] < len(r) else ""
        if text == "":
            return math.nan
        try:
            v = float(text)
        except ValueError:
            problems.append(Problem(file, line, pos[name] + 1, name,
                                    f"expected a number, got {text!r}"))
            return math.nan
        bad = not ((v > lo if lo_open else v >= lo) and v <= hi)  # NaN fails too
        if bad:
            rng = f"{'>' if lo_open else '>='} {lo:g} and <= {hi:,.10g}"
            problems.append(Problem(file, line, pos[name] + 1, name,
                                    f"expected a number {rng}, got {short(text)}"))
            return math.nan
        return v

    limits = {"rate_per_hour": (0, False, MAX_RATE_PER_HOUR), "aht_s": (0, True, MAX_SECONDS),
              "within_s": (0, False, MAX_SECONDS), "patience_s": (0, False, MAX_SECONDS),
              "agents": (0, False, 1e6), "target": (0, True, 0.999999)}
    for i, (line, r) in enumerate(data):
        if len(problems) >= MAX_PROBLEMS:
            break
        for name, (lo, lo_open, hi) in limits.items():
            if name in pos:
                cols[name][i] = num(r, line, name, lo, lo_open, hi)
        for name in REQUIRED:
            if math.isnan(cols[name][i]) and not any(p.line == line and p.field == name
                                                    for p in problems):
                problems.append(Problem(file, line, pos[name] + 1, name, "value missing"))
        has_agents = not math.isnan(cols["agents"][i])
        has_target = not math.isnan(cols["target"][i])
        if has_agents == has_target and not any(p.line == line for p in problems):
            problems.append(Problem(file, line, None, "agents",
                                    "give exactly one of 'agents' or 'target' per row"))
        if has_agents and cols["agents"][i] != int(cols["agents"][i]):
            problems.append(Problem(file, line, pos["agents"] + 1, "agents",
                                    "expected a whole number of agents"))
    if problems:
        raise InputError(problems[:MAX_PROBLEMS])
    pat = cols["patience_s"]
    pat = np.where(np.isnan(pat), np.inf, pat)
    return ErlangCases(header=header, rows=rows, rate_per_hour=cols["rate_per_hour"],
                       aht_s=cols["aht_s"], within_s=cols["within_s"], patience_s=pat,
                       agents=cols["agents"], target=cols["target"])
