"""Policy lint: rules that load fine but will likely not do what the manager wants.

Checks (each finding names the place in the policy file):
- scorecard weights not summing to 100%; any single weight above 40% (seed 002:
  单项指标不要超过40%);
- with a KPI table: targets no agent reaches, or that every agent beats (seed 002: 洛克定律,
  a target must be reachable with a stretch);
- commission tier rates that fall as units rise (more work, less pay per unit);
- events that can never fire: pay 0, a ``when`` that is always false, or — on a KPI table —
  no agent for whom it pays anything;
- custom metrics that replace a catalogue or column name; ranking by a lower-is-better
  catalogue metric in the default (higher) direction; top and bottom bands over 100%;
- sign mistakes (:mod:`rules.lint_signs`): negative commission rates, rewards for
  lower-is-better metrics, a top band that deducts, a bottom band that pays.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from rules.catalogue import CATALOGUE
from rules.compiled import CompiledPolicy
from rules.lint_signs import sign_findings
from rules.pay import MissingMetrics, compute

MAX_WEIGHT = 0.40  # seed 002: 单项指标不要超过40%
WEIGHT_TOL = 1e-6


@dataclass(frozen=True)
class Finding:
    """One lint warning and where it points in the policy file."""

    loc: tuple[Any, ...]
    message: str


def lint(cp: CompiledPolicy, table: Mapping[str, Any] | None = None) -> list[Finding]:
    """All findings for a compiled policy, optionally judged against a KPI table."""
    pol = cp.policy
    out: list[Finding] = []
    for name in pol.metrics:
        if name in CATALOGUE or name in cp.columns:
            where = "the KPI catalogue" if name in CATALOGUE else "a KPI table column"
            out.append(Finding(("metrics", name), f"custom metric '{name}' replaces {where} "
                                                  f"of the same name for this policy"))
    sc = pol.scorecard
    if sc is not None:
        total = sum(it.weight for it in sc.items)
        if abs(total - 1.0) > WEIGHT_TOL:
            out.append(Finding(("scorecard", "items"),
                               f"weights sum to {total:.4g} ({total * 100:.4g}%), not 100%"))
        for i, it in enumerate(sc.items):
            if it.weight > MAX_WEIGHT + WEIGHT_TOL:
                out.append(Finding(("scorecard", "items", i, "weight"),
                                   f"weight {it.weight * 100:.4g}% of '{it.name}' is above 40% "
                                   f"(seed 002: no single item above 40%)"))
    if pol.ranking is not None:
        by = pol.ranking.by.strip()
        m = CATALOGUE.get(by)
        if pol.ranking.direction is None and m is not None and m.direction == "lower" \
                and cp.ranking_direction == "higher":
            out.append(Finding(("ranking", "by"),
                               f"ranking by '{by}' with the largest value best; the catalogue "
                               f"says lower is better: add 'direction: lower'"))
        top = sum(b.share for b in pol.ranking.bands if b.side == "top")
        bottom = sum(b.share for b in pol.ranking.bands if b.side == "bottom")
        if top + bottom > 1.0 + 1e-9:
            out.append(Finding(("ranking", "bands"), f"top bands ({top:.0%}) and bottom bands "
                                                     f"({bottom:.0%}) add up to over 100%"))
    for i, c in enumerate(pol.commission):
        table_ = c.table
        for k in range(1, len(table_)):
            if table_[k][1] < table_[k - 1][1]:
                out.append(Finding(("commission", i, "tiers", k, "rate"),
                                   f"tier rates out of order: {table_[k][1]:g} from "
                                   f"{table_[k][0]:g} is below the previous tier's "
                                   f"{table_[k - 1][1]:g} (more units, less per unit)"))
    for i, (e, ce) in enumerate(zip(pol.events, cp.events, strict=True)):
        if e.pay == 0:
            out.append(Finding(("events", i, "pay"), "event pays 0: it can never change pay"))
        elif ce.when is not None and ce.when.constant is not None and ce.when.constant == 0:
            out.append(Finding(("events", i, "when"), f"'{e.when}' is always false: the event "
                                                      f"can never fire"))
        elif ce.per.constant is not None and ce.per.constant <= 0:
            out.append(Finding(("events", i, "per"), "event counts no units: it can never fire"))
    out.extend(Finding(loc, msg) for loc, msg in sign_findings(pol))
    if table is not None:
        out.extend(_table_findings(cp, table))
    return out


def _table_findings(cp: CompiledPolicy, table: Mapping[str, Any]) -> list[Finding]:
    out: list[Finding] = []
    try:
        result = compute(cp, table)
    except MissingMetrics:
        return out
    if len(result) == 0:
        return [Finding(("applies_to",), "no agent of the KPI table is in these pools")]
    d = result._detail
    for i, (it, dirn, vals, _a, _floor, _cap) in enumerate(d.get("items", [])):
        better = vals if (it.kind == "soft" or dirn == "higher") else -vals
        goal = it.target if (it.kind == "soft" or dirn == "higher") else -it.target
        if np.all(better < goal):
            best = float(np.max(vals) if better is vals else np.min(vals))
            out.append(Finding(("scorecard", "items", i, "target"),
                               f"no agent reaches the target {it.target:g} of '{it.name}' "
                               f"(best: {best:.4g})"))
        elif np.all(better >= goal):
            worst = float(np.min(vals) if better is vals else np.max(vals))
            out.append(Finding(("scorecard", "items", i, "target"),
                               f"every agent beats the target {it.target:g} of '{it.name}' "
                               f"(worst: {worst:.4g})"))
    for i, (e, o, inp) in enumerate(d.get("events", [])):
        if e.pay == 0:
            continue
        if inp.active is not None and not inp.active.any():
            out.append(Finding(("events", i, "when"), "the event fires for no agent of the "
                                                      "KPI table (when / tenure always false)"))
        elif not np.any(o.paid_units > 0) and not np.any(o.cancelled > 0):
            out.append(Finding(("events", i, "per"), f"the event pays no agent of the KPI "
                                                     f"table ('{e.per}' is 0 for everyone)"))
    for i, (c, units, _net, _gross, _amount, active) in enumerate(d.get("commission", [])):
        if active is not None and not active.any():
            out.append(Finding(("commission", i), "the commission pays no agent of the KPI "
                                                  "table (when / tenure always false)"))
        elif not np.any(units >= c.table[0][0]) or not np.any(units > 0):
            out.append(Finding(("commission", i, "per"), f"no agent reaches the first tier of "
                                                         f"'{c.per}'"))
    return out
