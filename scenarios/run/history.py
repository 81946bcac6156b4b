"""Run history: one SQLite file beside the results folders, one row per completed run.

The scenario text and the headline numbers are stored with each run, so ``peakdesk diff``
can compare two runs even after the scenario file or the results folder has changed.
"""

from __future__ import annotations

import contextlib
import difflib
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scenarios.reading.errors import InputError

DB_NAME = "peakdesk-runs.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TEXT NOT NULL,
    wall_s REAL NOT NULL,
    scenario_name TEXT NOT NULL,
    scenario_path TEXT NOT NULL,
    scenario_sha256 TEXT NOT NULL,
    scenario_text TEXT NOT NULL,
    options TEXT NOT NULL,
    command TEXT NOT NULL,
    folder TEXT NOT NULL,
    peakdesk_version TEXT NOT NULL,
    headlines TEXT NOT NULL,
    stages TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class RunRecord:
    """One row of the history."""

    id: int
    started_at: str
    wall_s: float
    scenario_name: str
    scenario_path: str
    scenario_sha256: str
    scenario_text: str
    options: dict[str, Any]
    command: list[str]
    folder: str
    peakdesk_version: str
    headlines: dict[str, float]
    stages: dict[str, str]  # name -> ok | skipped


def db_path(results_dir: Path) -> Path:
    """The history file for results folders inside ``results_dir``."""
    return Path(results_dir) / DB_NAME


def _connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path, timeout=10)
    con.execute(_SCHEMA)
    return con


def record_run(path: Path, *, started_at: str, wall_s: float, scenario_name: str,
               scenario_path: str, sha256: str, scenario_text: str, options: dict[str, Any],
               command: list[str], folder: str, version: str, headlines: dict[str, float],
               stages: dict[str, str]) -> int:
    """Append a completed run; returns its id."""
    with contextlib.closing(_connect(path)) as con, con:
        cur = con.execute(
            "INSERT INTO runs (started_at, wall_s, scenario_name, scenario_path, "
            "scenario_sha256, scenario_text, options, command, folder, peakdesk_version, "
            "headlines, stages) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (started_at, wall_s, scenario_name, scenario_path, sha256, scenario_text,
             json.dumps(options, sort_keys=True), json.dumps(command), folder, version,
             json.dumps(headlines), json.dumps(stages)))
        return int(cur.lastrowid or 0)


def _row(r: tuple[Any, ...]) -> RunRecord:
    return RunRecord(r[0], r[1], r[2], r[3], r[4], r[5], r[6], json.loads(r[7]),
                     json.loads(r[8]), r[9], r[10], json.loads(r[11]), json.loads(r[12]))


def list_runs(path: Path) -> list[RunRecord]:
    """All recorded runs, oldest first (empty when there is no history yet)."""
    if not path.is_file():
        return []
    with contextlib.closing(_connect(path)) as con:
        return [_row(r) for r in con.execute("SELECT * FROM runs ORDER BY id")]


def get_run(path: Path, run_id: int, field: str = "RUN") -> RunRecord:
    """One run by id (InputError naming the known ids when absent; ``field`` names the
    argument that gave the id, e.g. ``RUN_A``)."""
    runs = {r.id: r for r in list_runs(path)}
    if run_id not in runs:
        known = ", ".join(str(i) for i in runs) or "none recorded yet"
        raise InputError.single(
            str(path), f"no run {run_id} in the history; RUN_A and RUN_B are the ids "
                       f"`peakdesk runs` lists (here: {known})", field=field)
    return runs[run_id]


@dataclass(frozen=True)
class HeadlineChange:
    key: str
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass(frozen=True)
class RunDiff:
    """What changed between two runs: inputs (options, scenario text) and headlines."""

    a: RunRecord
    b: RunRecord
    options: dict[str, tuple[Any, Any]]
    scenario_diff: list[str]  # unified diff lines; empty when the scenario is the same
    headlines: list[HeadlineChange]  # only those that changed
    stages: dict[str, tuple[str | None, str | None]]  # only those whose status changed


def diff_runs(a: RunRecord, b: RunRecord) -> RunDiff:
    """Compare two runs' inputs and headline outputs."""
    opts = {"peakdesk": (a.peakdesk_version, b.peakdesk_version)}
    for k in sorted(set(a.options) | set(b.options)):
        opts[k] = (a.options.get(k), b.options.get(k))
    opts = {k: v for k, v in opts.items() if v[0] != v[1]}
    text = [] if a.scenario_sha256 == b.scenario_sha256 else list(difflib.unified_diff(
        a.scenario_text.splitlines(), b.scenario_text.splitlines(),
        fromfile=f"run {a.id}: {a.scenario_path}", tofile=f"run {b.id}: {b.scenario_path}",
        lineterm=""))
    keys = list(dict.fromkeys([*a.headlines, *b.headlines]))
    heads = [HeadlineChange(k, a.headlines.get(k), b.headlines.get(k)) for k in keys
             if a.headlines.get(k) != b.headlines.get(k)]
    names = list(dict.fromkeys([*a.stages, *b.stages]))
    stages = {n: (a.stages.get(n), b.stages.get(n)) for n in names
              if a.stages.get(n) != b.stages.get(n)}
    return RunDiff(a, b, opts, text, heads, stages)
