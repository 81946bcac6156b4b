"""Staffing per pool and interval: from the scenario, a pool's plan CSV, or ``--plan``.

Plan CSV forms (UTF-8, header row, one row per interval):
- wide:  ``interval,in_house,outsourced,...`` — agents per pool;
- long:  ``interval,pool,agents`` — one row per interval and pool;
- a pool's own ``plan:`` file: ``interval,agents``.
``interval`` is the 0-based interval index or the ISO start time of the interval
(``timestamp`` / ``start`` are accepted as the column name too). Every interval of the
horizon must be given; all problems are reported together with file:line:col.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from typing import get_args

import numpy as np

from scenarios.errors import InputError, Problem, read_input_text
from scenarios.limits import MAX_AGENTS
from scenarios.schema import PoolName, Scenario
from scenarios.yaml_guard import short
from scenarios.yamlio import did_you_mean

MAX_PROBLEMS = 30

INTERVAL_COLUMNS = ("interval", "timestamp", "start")


def _interval_index(text: str, starts: dict[str, int], n: int) -> int | None:
    t = text.strip()
    if t.isdigit():
        i = int(t)
        return i if i < n else None
    try:
        key = datetime.fromisoformat(t).replace(second=0, microsecond=0).isoformat()
    except ValueError:
        return None
    return starts.get(key)


def read_plan(path: str | Path, scenario: Scenario, pool: str | None = None
              ) -> dict[str, np.ndarray]:
    """Agents per interval for each pool in the plan file (``pool`` given: a one-pool file
    with an ``agents`` column)."""
    file = str(path)
    text = read_input_text(path)
    try:
        rows = list(csv.reader(text.splitlines()))
    except csv.Error as exc:
        raise InputError.single(file, f"invalid CSV: {exc}", line=1) from None
    if not rows:
        raise InputError.single(file, "the plan file is empty")
    header = [h.strip() for h in rows[0]]
    problems: list[Problem] = []
    n = scenario.horizon.n_intervals
    starts = {t.isoformat(): i for i, t in enumerate(scenario.horizon.interval_starts())}
    icol = next((k for k, h in enumerate(header) if h in INTERVAL_COLUMNS), None)
    if icol is None:
        raise InputError.single(file, "no 'interval' column (0-based index or ISO start time)"
                                      f"{did_you_mean(header[0], list(INTERVAL_COLUMNS))}",
                                field=header[0], line=1, col=1)
    valid = list(get_args(PoolName))
    long_form = "pool" in header and "agents" in header
    if pool is not None:
        if "agents" not in header:
            raise InputError.single(file, "no 'agents' column", line=1)
        pools = {pool: header.index("agents")}
    elif long_form:
        pools = {}
    else:
        pools = {}
        for k, h in enumerate(header):
            if k == icol:
                continue
            if h not in valid:
                problems.append(Problem(file, 1, k + 1, h, f"unknown pool '{h}'"
                                        f"{did_you_mean(h, valid)}; pools are: "
                                        f"{', '.join(valid)}"))
            else:
                pools[h] = k
    out: dict[str, np.ndarray] = {p: np.full(n, -1, dtype=np.int64) for p in pools}

    def number(line: int, col: int, field: str, cell: str) -> int | None:
        try:
            v = float(cell)
        except ValueError:
            v = -1.0
        if not 0 <= v <= MAX_AGENTS or v != int(v):
            problems.append(Problem(file, line, col + 1, field,
                                    f"agents must be a whole number 0..{MAX_AGENTS:,} "
                                    f"(got {short(cell.strip())})"))
            return None
        return int(v)

    for r, row in enumerate(rows[1:], start=2):
        if len(problems) >= MAX_PROBLEMS:
            break
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            problems.append(Problem(file, r, 1, "", f"{len(row)} cells; the header has "
                                                    f"{len(header)}"))
            continue
        i = _interval_index(row[icol], starts, n)
        if i is None:
            problems.append(Problem(file, r, icol + 1, header[icol],
                                    f"'{row[icol]}' is not an interval of the horizon "
                                    f"(0..{n - 1} or an interval start time)"))
            continue
        if long_form and pool is None:
            name = row[header.index("pool")].strip()
            if name not in valid:
                problems.append(Problem(file, r, header.index("pool") + 1, "pool",
                                        f"unknown pool '{name}'{did_you_mean(name, valid)}"))
                continue
            k = header.index("agents")
            v = number(r, k, "agents", row[k])
            if v is not None:
                out.setdefault(name, np.full(n, -1, dtype=np.int64))[i] = v
            continue
        for name, k in pools.items():
            v = number(r, k, name, row[k])
            if v is not None:
                out[name][i] = v
    for name, arr in out.items():
        missing = np.flatnonzero(arr < 0)
        if len(missing) and not problems:
            problems.append(Problem(file, None, None, name,
                                    f"{len(missing)} of {n} intervals have no agents given "
                                    f"(first: interval {missing[0]})"))
    if problems:
        raise InputError(problems[:MAX_PROBLEMS])
    return out


def staffing(scenario: Scenario, scenario_path: str | Path,
             plan: str | Path | None = None) -> dict[str, np.ndarray]:
    """Agents on duty per pool and interval: ``--plan`` first, then the scenario's pools."""
    n = scenario.horizon.n_intervals
    out: dict[str, np.ndarray] = read_plan(plan, scenario) if plan is not None else {}
    problems: list[Problem] = []
    for name, pool in scenario.pools.items():
        if name in out:
            continue
        if isinstance(pool.agents, int):
            out[name] = np.full(n, pool.agents, dtype=np.int64)
        elif isinstance(pool.agents, list):
            out[name] = np.asarray(pool.agents, dtype=np.int64)
        elif pool.plan is not None:
            try:
                out.update(read_plan(Path(scenario_path).parent / pool.plan, scenario, name))
            except InputError as exc:
                problems.extend(exc.problems)
        else:
            problems.append(Problem(str(scenario_path), None, None, f"pools.{name}",
                                    "no staffing: give 'agents', 'plan', or --plan"))
    if not out and not problems:
        problems.append(Problem(str(scenario_path), None, None, "pools",
                                "no pools: add pools (e.g. in_house: {agents: 50}) or --plan"))
    if problems:
        raise InputError(problems)
    return out
