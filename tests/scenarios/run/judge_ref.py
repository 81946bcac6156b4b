"""An independent re-derivation of the run's target verdict from sim_periods.csv (used by
the report-consistency and simulation-stage tests)."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from pathlib import Path

from scenarios import load_scenario

from .conftest import read_rows

Z = 1.645  # the check's noise allowance: one-sided 95%
RULES = {"service_level": ("service_level", +1), "abandon_rate": ("max_abandon_rate", -1),
         "asa_s": ("max_asa_s", -1), "occupancy": ("max_occupancy", -1)}


def judged_from_periods(folder: Path, scenario: Path,
                        missed: dict | None = None) -> tuple[dict, int, int]:
    """Re-derive the verdict from sim_periods.csv by hand: each unit (demand scenario) pools
    its replications per channel and day (contacts summed, shares contact-weighted); a
    target misses a day when worse than the goal by more than Z binomial standard errors
    at the goal (ASA: goal / sqrt(answered)); a unit holds when nothing misses. Returns
    units meeting each (channel, target) every day, units holding everything, units;
    ``missed``, when given, gets (demand scenario, channel, target) → missed period starts."""
    sc = load_scenario(scenario)
    rows = read_rows(folder / "sim_periods.csv")
    # the allowance is widened by √φ, the run-to-run spread the plan check measured on
    # these same runs (summary.json, mix validation; 1 where none was measured): the
    # count of missed days below is re-derived by hand, the spread is taken as reported
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    mix = (summary.get("stages", {}).get("mix") or {}).get("summary") or {}
    spread = (mix.get("validation") or {}).get("spread") or {}
    units = sorted({int(r["unit"]) for r in rows})
    per_unit = defaultdict(set)
    for r in rows:
        per_unit[int(r["unit"])].add(r["replication"])
    fails: dict[tuple[str, str], set[int]] = defaultdict(set)
    goals = {}
    for ch, spec in sc.channels.items():
        if spec.kind == "outbound":
            continue
        for kpi, (attr, sense) in RULES.items():
            goal = (spec.service_level.target if kpi == "service_level" and spec.service_level
                    else getattr(spec, attr, None) if kpi != "service_level" else None)
            if goal is not None:
                goals[(ch, kpi)] = (goal, sense)
    cells: dict[tuple[int, str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for r in rows:
        c = cells[(int(r["unit"]), r["channel"], r["period_start"])]
        off, ans = float(r["offered"]), float(r["answered"])
        c["offered"] += off
        c["answered"] += ans
        c["abandoned"] += float(r["abandoned"])
        c["sl"] += float(r["service_level"] or 0) * off
        c["asa"] += float(r["asa_s"] or 0) * ans
        g = float(r["agent_intervals"])
        c["agents"] += g
        c["occ"] += float(r["occupancy"] or 0) * g
    names = {int(r["unit"]): r["demand_scenario"] for r in rows}
    for (u, ch, start), c in cells.items():
        for (gch, kpi), (goal, sense) in goals.items():
            if gch != ch:
                continue
            if kpi == "occupancy":  # pooled by interval first: exact for one replication
                assert len(per_unit[u]) == 1
                if c["agents"] <= 0:
                    continue
                val, n = c["occ"] / c["agents"], c["offered"]
            elif kpi == "asa_s":
                if c["answered"] <= 0:
                    continue
                val, n = c["asa"] / c["answered"], c["answered"]
            else:
                if c["offered"] <= 0:
                    continue
                val = c["sl"] / c["offered"] if kpi == "service_level" else \
                    c["abandoned"] / c["offered"]
                n = c["offered"]
            n = max(n, 1.0)
            se = goal / math.sqrt(n) if kpi == "asa_s" else math.sqrt(goal * (1 - goal) / n)
            se *= math.sqrt(max(float(spread.get(f"{ch} {kpi}", 1.0)), 1.0))
            if sense * (val - goal) < -Z * se - 1e-12:
                fails[(ch, kpi)].add(u)
                if missed is not None:
                    missed.setdefault((names[u], ch, kpi), set()).add(start)
    met = {key: len(units) - len(fails[key]) for key in goals}
    bad = set().union(*fails.values()) if fails else set()
    return met, len(units) - len(bad), len(units)
