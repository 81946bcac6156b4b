"""recourse_orders.csv: the plan's recourse orders per demand scenario and interval — what the plan would
call out, buy and hire in each scenario (reserve agents turned up, surge seats, temps) —
written by ``plan --out`` and ``run`` and read by ``peakdesk intraday``: the decisions already due on
the day are the plan's own (its MILP's values, after its check), not a re-solve.

Columns ``scenario, interval_start, reserve, outsourced_surge, temps``; rows where the plan
uses no recourse are left out.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import numpy as np

from scenarios.reading.errors import InputError, read_input_text

NAME = "recourse_orders"  # the run writes its tables as <name>.csv (recourse.csv: agents per pool)
FILE = f"{NAME}.csv"
HEADER = ["scenario", "interval_start", "reserve", "outsourced_surge", "temps"]


def recourse_rows(plan: Any, starts: list) -> list[list[Any]]:
    """Rows of a MixPlan's per-scenario recourse (full precision: they are fixed on the
    day as the decisions already taken)."""
    rows = []
    for s, name in enumerate(plan.scenario_names):
        for t, start in enumerate(starts):
            vals = tuple(max(float(a[s, t]), 0.0)  # solver round-off (−1e−13) is no order
                         for a in (plan.reserve, plan.surge, plan.temps))
            if any(v > 1e-9 for v in vals):
                rows.append([name, start.isoformat(timespec="minutes"), *vals])
    return rows


def write_recourse(out_dir: str | Path, plan: Any, starts: list) -> Path:
    from scenarios.writing.output import write_csv

    path = Path(out_dir) / FILE
    write_csv(path, HEADER, recourse_rows(plan, starts))
    return path


def read_recourse(folder: Path, names: list[str], starts: list) -> dict[str, np.ndarray] | None:
    """lever → (S, T) from the folder's recourse.csv; None when the folder has none."""
    path = folder / FILE
    if not path.is_file():
        return None
    file = str(path)
    pos = {s.isoformat(timespec="minutes"): t for t, s in enumerate(starts)}
    idx = {n: i for i, n in enumerate(names)}
    out = {k: np.zeros((len(names), len(starts))) for k in ("reserve_callout",
                                                             "outsourced_surge", "temps")}
    for line, row in enumerate(csv.DictReader(io.StringIO(read_input_text(path))), start=2):
        try:
            s, t = idx[row["scenario"]], pos[row["interval_start"]]
            out["reserve_callout"][s, t] = float(row["reserve"])
            out["outsourced_surge"][s, t] = float(row["outsourced_surge"])
            out["temps"][s, t] = float(row["temps"])
        except (KeyError, ValueError, TypeError) as exc:
            raise InputError.single(file, f"not the plan's recourse of this scenario: {exc}",
                                    line=line) from None
    return out
