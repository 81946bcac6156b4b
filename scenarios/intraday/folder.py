"""The results folder ``peakdesk intraday`` starts from: a ``run`` folder or a ``plan --out``
folder.

What it needs and where each kind keeps it:

- the scenario: a run folder's ``manifest.json`` (the original file when unchanged, else
  the folder's copy), a plan folder's ``plan.json`` (``scenario_file``), or ``--scenario``;
- the plan's first stage per interval — in-house agents on the queue and contracted
  outsourced seats — and the expected requirement the plan's check left: ``plan.csv``
  (both kinds; :func:`first_stage_staffing` is the one place that reads the staffing, so a
  roster of people in ``roster.csv`` changes nothing here);
- the reserve pool size: ``summary.json`` (run: ``stages.mix.summary.reserve_pool``) or
  ``plan.json`` (plan: ``reserve_pool``).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from scenarios.reading.errors import InputError, read_input_text


@dataclass(frozen=True)
class PlanFolder:
    """What the folder holds for the day."""

    scenario_path: Path
    in_house: np.ndarray  # (T,) in-house agents on the queue
    outsourced: np.ndarray  # (T,) contracted seats
    requirement_expected: np.ndarray  # (T,) the plan's expected requirement (after its check)
    reserve_pool: int
    kind: str  # "run" | "plan"


def _json(path: Path) -> dict:
    try:
        doc = json.loads(read_input_text(path))
    except ValueError as exc:
        raise InputError.single(str(path), f"not valid JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise InputError.single(str(path), "expected a JSON object")
    return doc


def first_stage_staffing(folder: Path, n_intervals: int) -> tuple[np.ndarray, np.ndarray,
                                                                  np.ndarray]:
    """(in-house agents on the queue, contracted outsourced seats, expected requirement)
    per interval, from the folder's ``plan.csv`` — the plan's interval table, written by
    both ``run`` (columns in_house, outsourced, requirement) and ``plan --out``
    (in_house, outsourced, requirement_expected)."""
    path = folder / "plan.csv"
    file = str(path)
    if not path.is_file():
        raise InputError.single(str(folder), "no plan.csv: not a results folder of "
                                             "`peakdesk run` or `peakdesk plan --out`")
    rows = list(csv.DictReader(io.StringIO(read_input_text(path))))
    need = "requirement_expected" if rows and "requirement_expected" in rows[0] else "requirement"
    for c in ("in_house", "outsourced", need):
        if not rows or c not in rows[0]:
            raise InputError.single(file, f"missing column {c}", field="header", line=1)
    if len(rows) != n_intervals:
        raise InputError.single(file, f"{len(rows)} intervals, the scenario's horizon has "
                                      f"{n_intervals}: the folder belongs to another scenario")
    out = []
    for c in ("in_house", "outsourced", need):
        try:
            out.append(np.array([float(r[c] or 0.0) for r in rows]))
        except ValueError as exc:
            raise InputError.single(file, f"column {c}: {exc}") from None
    return out[0], out[1], out[2]


def _scenario_and_pool(folder: Path, scenario: str | None) -> tuple[Path, int, str]:
    """The scenario file, the reserve pool size, the folder's kind."""
    from scenarios.run.manifest import rerun_inputs

    summary, plan_doc, manifest = (folder / "summary.json", folder / "plan.json",
                                   folder / "manifest.json")
    if summary.is_file():
        doc = _json(summary)
        mix = (doc.get("stages", {}).get("mix") or {}).get("summary") or {}
        if "reserve_pool" not in mix:
            raise InputError.single(str(summary), "the run has no sourcing mix (its mix stage "
                                                  "was skipped): nothing to act on",
                                    field="stages.mix")
        path = Path(scenario) if scenario else rerun_inputs(manifest)[0]
        return path, int(mix["reserve_pool"]), "run"
    if plan_doc.is_file():
        doc = _json(plan_doc)
        if scenario is None and not doc.get("scenario_file"):
            raise InputError.single(str(plan_doc), "no scenario_file: give --scenario",
                                    field="scenario_file")
        return Path(scenario or doc["scenario_file"]), int(doc.get("reserve_pool", 0)), "plan"
    raise InputError.single(str(folder), "neither summary.json (peakdesk run) nor plan.json "
                                         "(peakdesk plan --out) found: not a results folder")


def read_folder(folder: str, scenario: str | None, n_intervals_of: object) -> PlanFolder:
    """Read the results folder. ``n_intervals_of(path)`` loads the scenario and returns its
    number of intervals (the folder's tables are checked against it)."""
    root = Path(folder)
    if not root.is_dir():
        raise InputError.single(folder, "results folder not found", field="RESULTS_DIR")
    path, pool, kind = _scenario_and_pool(root, scenario)
    n = n_intervals_of(path)  # type: ignore[operator]
    ih, out, req = first_stage_staffing(root, n)
    return PlanFolder(path, ih, out, req, pool, kind)
