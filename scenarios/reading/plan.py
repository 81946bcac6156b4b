"""Staffing per pool and interval: from the scenario, a pool's plan CSV, or ``--plan``.

Plan CSV forms (UTF-8, header row, one row per interval):
- wide:  ``interval,in_house,outsourced,...`` — agents per pool;
- long:  ``interval,pool,agents`` — one row per interval and pool;
- a pool's own ``plan:`` file: ``interval,agents``.
``interval`` is the 0-based interval index or the ISO start time of the interval
(``timestamp`` / ``start`` / ``interval_start`` are accepted as the column name too).
Every interval of the horizon must be given, once (per pool); all problems are reported
together with file:line:col.

A mix plan written by ``peakdesk plan --out`` or ``peakdesk run`` (``plan.csv`` with
``interval_start, requirement…, in_house, outsourced, …``) is read as its first stage
(in-house agents and contracted outsourced seats); with ``recourse.csv`` beside it
(``scenario, interval_start, pool, agents``: each demand scenario's own recourse) it is
the plan the plan check simulated (:func:`read_mix_plan`).
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from typing import get_args

import numpy as np

from scenarios.reading.errors import InputError, Problem, read_input_text
from scenarios.reading.limits import MAX_AGENTS
from scenarios.reading.yaml_guard import short
from scenarios.reading.yamlio import did_you_mean
from scenarios.schema import PoolName, Scenario

MAX_PROBLEMS = 30

INTERVAL_COLUMNS = ("interval", "timestamp", "start", "interval_start")
#: a requirement column marks a mix plan's plan.csv (scenarios.writing.plan_output)
MIX_PLAN_COLUMNS = ("requirement_expected", "requirement")
MIX_FIRST_STAGE = ("in_house", "outsourced")


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
    starts_by_index = [t.isoformat(timespec="minutes")
                       for t in scenario.horizon.interval_starts()]
    icol = next((k for k, h in enumerate(header) if h in INTERVAL_COLUMNS), None)
    if icol is None:
        raise InputError.single(file, "no 'interval' column (0-based index or ISO start time)"
                                      f"{did_you_mean(header[0], list(INTERVAL_COLUMNS))}",
                                field=header[0], line=1, col=1)
    valid = list(get_args(PoolName))
    if pool is None and any(h in MIX_PLAN_COLUMNS for h in header):
        # a mix plan's plan.csv: its first-stage columns (its requirement and expected
        # recourse are not agents on duty); recourse.csv adds each scenario's own
        header = [h if h in (header[icol], *MIX_FIRST_STAGE) else "" for h in header]
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
            if k == icol or h == "":
                continue
            if h not in valid:
                problems.append(Problem(file, 1, k + 1, h, f"unknown pool '{h}'"
                                        f"{did_you_mean(h, valid)}; pools are: "
                                        f"{', '.join(valid)}"))
            else:
                pools[h] = k
    out: dict[str, np.ndarray] = {p: np.full(n, -1, dtype=np.int64) for p in pools}
    seen: dict[tuple[str, int], int] = {}  # (pool or "", interval) → line first given

    def once(line: int, key: str, i: int) -> bool:
        """False (and a problem) when this pool's interval was given before."""
        if (key, i) in seen:
            what = f"interval {starts_by_index[i]} (#{i})" + (f" of pool '{key}'" if key else "")
            problems.append(Problem(file, line, icol + 1, header[icol],
                                    f"{what} is given twice (first on line {seen[(key, i)]}); "
                                    "give each interval once"))
            return False
        seen[(key, i)] = line
        return True

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
            if not once(r, name, i):
                continue
            v = number(r, k, "agents", row[k])
            if v is not None:
                out.setdefault(name, np.full(n, -1, dtype=np.int64))[i] = v
            continue
        if not once(r, "", i):
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
                                    f"(first missing: interval {starts_by_index[missing[0]]}, "
                                    f"#{missing[0]}); every interval of the horizon must be "
                                    "given"))
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


def is_mix_plan(path: str | Path) -> bool:
    """Is this CSV a mix plan's plan.csv (a requirement column beside the pools)?"""
    first = read_input_text(path).splitlines()[:1]
    header = [h.strip() for h in next(csv.reader(first), [])] if first else []
    return any(h in MIX_PLAN_COLUMNS for h in header)


def read_mix_plan(path: str | Path, scenario: Scenario, names: list[str]
                  ) -> tuple[dict[str, np.ndarray], list[dict[str, np.ndarray]] | None]:
    """A mix plan's first stage (plan.csv) and, from recourse.csv beside it, the rostered
    agents per pool of each demand scenario in ``names`` (first stage plus its own
    recourse) — the staffing the plan check simulated. No recourse.csv: None."""
    first = read_plan(path, scenario)
    rec = Path(path).with_name("recourse.csv")
    if not rec.exists():
        return first, None
    file = str(rec)
    rows = list(csv.reader(read_input_text(rec).splitlines()))
    header = [h.strip() for h in rows[0]] if rows else []
    need = ["scenario", "interval_start", "pool", "agents"]
    if header[:4] != need:
        raise InputError.single(file, f"the header must be {', '.join(need)}", line=1, col=1)
    n = scenario.horizon.n_intervals
    starts = {t.isoformat(): i for i, t in enumerate(scenario.horizon.interval_starts())}
    valid = list(get_args(PoolName))
    problems: list[Problem] = []
    out: dict[str, dict[str, np.ndarray]] = {}
    seen: dict[tuple[str, str, int], int] = {}
    for r, row in enumerate(rows[1:], start=2):
        if len(problems) >= MAX_PROBLEMS:
            break
        if not any(c.strip() for c in row):
            continue
        if len(row) != 4:
            problems.append(Problem(file, r, 1, "", f"{len(row)} cells; the header has 4"))
            continue
        name, when, pool, cell = (c.strip() for c in row)
        i = _interval_index(when, starts, n)
        if i is None:
            problems.append(Problem(file, r, 2, "interval_start", f"'{short(when)}' is not an "
                                    "interval start of the horizon"))
            continue
        if pool not in valid:
            problems.append(Problem(file, r, 3, "pool", f"unknown pool '{short(pool)}'"
                                    f"{did_you_mean(pool, valid)}"))
            continue
        try:
            v = int(cell)
        except ValueError:
            problems.append(Problem(file, r, 4, "agents", f"agents must be a whole number "
                                    f"(got {short(cell)})"))
            continue
        if name not in names:
            problems.append(Problem(file, r, 1, "scenario", f"'{short(name)}' is not a demand "
                                    f"scenario of the scenario file{did_you_mean(name, names)}"))
            continue
        if (name, pool, i) in seen:
            problems.append(Problem(file, r, 2, "interval_start",
                                    f"{when} of scenario '{short(name)}', pool '{pool}' is "
                                    f"given twice (first on line {seen[(name, pool, i)]})"))
            continue
        seen[(name, pool, i)] = r
        out.setdefault(name, {}).setdefault(pool, np.zeros(n, dtype=np.int64))[i] = v
    if problems:
        raise InputError(problems)
    by_scenario = []
    for name in names:
        st = {p: a.copy() for p, a in first.items()}
        for pool, add in out.get(name, {}).items():
            st[pool] = st.get(pool, np.zeros(n, dtype=np.int64)) + add
            if np.any(st[pool] < 0):
                raise InputError.single(file, f"scenario '{name}', pool '{pool}': the "
                                              "recourse takes agents below zero", field=pool)
        by_scenario.append(st)
    return first, by_scenario


def read_roster_duty(path: str | Path, scenario: Scenario):
    """The in-house people of roster.csv beside the plan (rows of kind ``shift``), each on
    the queue in their shift less its break, as the simulator's Duty — the people the plan
    check simulated. Intervals count as on duty when the shift covers them whole outside
    the break (planning.roster's shifts start and end on interval boundaries). No
    roster.csv, or no shift rows: None (the plan's in-house counts are used as slots)."""
    from sim.model import Duty

    rec = Path(path).with_name("roster.csv")
    if not rec.exists():
        return None
    file = str(rec)
    rows = list(csv.DictReader(read_input_text(rec).splitlines()))
    start = scenario.horizon.start
    step = scenario.horizon.interval_s
    n = scenario.horizon.n_intervals
    ids: dict[str, int] = {}
    person: list[int] = []
    on: list[float] = []
    off: list[float] = []
    for line, row in enumerate(rows, start=2):
        if (row.get("kind") or "").strip() != "shift" or not (row.get("employee_id") or "").strip():
            continue
        try:
            t = [None if not (row.get(k) or "").strip() else
                 (datetime.fromisoformat(row[k].strip()) - start).total_seconds()
                 for k in ("start", "end", "break_start", "break_end")]
        except (ValueError, TypeError) as exc:
            raise InputError.single(file, f"a shift's times must be ISO date-times ({exc})",
                                    line=line) from None
        if t[0] is None or t[1] is None:
            raise InputError.single(file, "a shift needs its start and end", line=line)
        p = ids.setdefault(row["employee_id"].strip(), len(ids))
        cover = [i for i in range(max(int(np.ceil(t[0] / step - 1e-9)), 0), n)
                 if i * step >= t[0] - 1e-6 and (i + 1) * step <= t[1] + 1e-6
                 and not (t[2] is not None and t[3] is not None
                          and i * step < t[3] - 1e-6 and (i + 1) * step > t[2] + 1e-6)]
        run: list[int] = []
        for i in cover + [None]:
            if i is not None and run and i == run[-1] + 1:
                run.append(i)
                continue
            if run:
                person.append(p)
                on.append(run[0] * step)
                off.append((run[-1] + 1) * step)
            run = [i] if i is not None else []
    if not ids:
        return None
    # the plan's people are E1…En in order (planning.roster.from_plan.employee_ids): keep
    # that order, and the places of people with no shift, so each person is the same agent
    order = sorted(ids, key=lambda e: (len(e), e))
    digits = [e[1:] for e in order]
    if all(e.startswith("E") and d.isdigit() for e, d in zip(order, digits, strict=True)):
        width = len(digits[-1])
        order = [f"E{i:0{width}d}" for i in range(1, int(digits[-1]) + 1)]
    place = {e: k for k, e in enumerate(order)}
    back = {k: place[e] for e, k in ids.items()}
    return Duty(tuple(order), np.array([back[p] for p in person], dtype=np.int64),
                np.array(on, float), np.array(off, float))
