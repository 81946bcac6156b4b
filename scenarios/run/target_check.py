"""The simulation stage's verdict on the targets: the plan check's rule on the run's
replications, so the report has one answer to "does the plan meet the targets".

Layout. When the simulation runs the mix plan with each demand scenario's own recourse and
the scenarios are equally likely (sampled or quantile scenarios), replication i runs
scenario i mod S with stream i — the plan check's round robin (scenarios.adapters.plan_check) — and
the replications are a whole number of rounds, at least the check's S × R. The first S × R
replications are then the very runs the check judged on its last round, and the verdict
below equals the check's. Otherwise (today's roster, unequal scenario probabilities) each
replication draws its scenario with the scenarios' probabilities and is judged on its own
(probability 1 / replications).

Rule (planning.iterate.assess): a target is met over a period (``planning.targets_over``:
interval, day or horizon) when the period's KPI — offered-weighted service level and
abandonment, answered-weighted ASA, agent-weighted occupancy — is not worse than the target
by more than 1.645 standard errors of its estimate; a unit (demand scenario or replication)
holds when every target of every channel is met in every period; the plan meets the
targets when the units that hold carry at least ``planning.targets_share`` of the
probability.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from planning.iterate import TARGET_KPIS, Assessment, CheckSpec, assess
from scenarios.schema import Scenario


@dataclass(frozen=True)
class Layout:
    """Which demand scenario each replication runs and how replications are judged."""

    order: list[int]  # index into the demand options, per replication
    units: int  # judged units: demand scenarios (round robin) or replications
    probabilities: np.ndarray  # (units,)
    unit: str  # "demand_scenario" | "replication"


def round_robin_replications(asked: int, scenarios: int, check_replications: int) -> int:
    """Whole rounds over the scenarios, at least the asked replications and at least the
    plan check's scenarios × replications."""
    rounds = max(math.ceil(asked / scenarios), check_replications)
    return scenarios * rounds


def round_robin(probabilities: list[float], asked: int, check_replications: int) -> Layout:
    """Replication i runs scenario i mod S (the plan check's layout)."""
    n = len(probabilities)
    reps = round_robin_replications(asked, n, check_replications)
    return Layout([i % n for i in range(reps)], n, np.asarray(probabilities, float),
                  "demand_scenario")


def equally_likely(probabilities: list[float]) -> bool:
    p = np.asarray(probabilities, float)
    return len(p) > 0 and bool(np.allclose(p, p[0], rtol=1e-9, atol=0.0))


def spec_for(sc: Scenario) -> CheckSpec:
    """The plan check's targets, periods, share and noise allowance for ``sc``."""
    from scenarios.checked_mix import CHECK_Z, check_spec

    return check_spec(sc, CHECK_Z["sim"])


@dataclass(frozen=True)
class TargetResult:
    """One target of one channel: units where it holds in every period, and the worst
    period (value, first interval) among the misses."""

    channel: str
    kpi: str
    goal: float
    met: int
    units: int
    worst: float | None
    worst_start: int | None


def judge(sc: Scenario, outputs: list, layout: Layout) -> tuple[Assessment, CheckSpec,
                                                                 list[TargetResult]]:
    """Assess the replications with the plan check's rule (see the module docstring)."""
    from scenarios.adapters.plan_check import observed, warmup_intervals

    spec = spec_for(sc)
    a = assess(observed(outputs, layout.units, warmup_intervals(sc)), spec,
               layout.probabilities)
    out = []
    for ch, tg in spec.targets.items():
        for kpi, (attr, sense) in TARGET_KPIS.items():
            goal = getattr(tg, attr)
            if goal is None:
                continue
            mine = [m for m in a.misses if m.channel == ch and m.kpi == kpi]
            failed = {m.scenario for m in mine}
            worst = (min(mine, key=lambda m: sense * m.value) if mine else None)
            out.append(TargetResult(ch, kpi, float(goal), layout.units - len(failed),
                                    layout.units, None if worst is None else worst.value,
                                    None if worst is None else worst.start))
    return a, spec, out


def verdict_json(sc: Scenario, a: Assessment, spec: CheckSpec, layout: Layout,
                 results: list[TargetResult], names: list[str]) -> dict[str, Any]:
    """summary.json's ``verdict`` of the simulation stage."""
    starts = sc.horizon.interval_starts()
    return {
        "holds": bool(a.share >= spec.share - 1e-9), "share_held": a.share,
        "share_asked": spec.share, "units_held": int(a.holds.sum()), "units": layout.units,
        "unit": layout.unit, "targets_over": sc.planning.targets_over, "z": spec.z,
        "held": [names[i] for i in np.flatnonzero(a.holds)],
        "targets": [{"channel": r.channel, "target": r.kpi, "goal": r.goal, "met": r.met,
                     "units": r.units, "worst": r.worst,
                     "worst_period_start": None if r.worst_start is None
                     else starts[r.worst_start].isoformat(timespec="minutes")}
                    for r in results],
        # per judged unit, the periods it misses (what each per-scenario sentence says)
        "misses_by_unit": {names[u]: [
            {"channel": m.channel, "target": m.kpi, "goal": m.goal, "value": m.value,
             "period_start": starts[m.start].isoformat(timespec="minutes")}
            for m in a.misses if m.scenario == u] for u in range(layout.units)}}


def period_rows(sc: Scenario, outputs: list, layout: Layout) -> list[list[Any]]:
    """Per replication, channel and period: contacts offered, answered, abandoned and the
    period's KPIs (offered-weighted service level, abandoned / offered, answered-weighted
    ASA, agent-weighted occupancy over the intervals with contacts) after the warm-up — the table the verdict can be re-derived from."""
    from planning.iterate import period_labels
    from scenarios.adapters.plan_check import warmup_intervals

    per_day = 24 * 60 // sc.horizon.interval_minutes
    labels = period_labels(sc.horizon.n_intervals, per_day, sc.planning.targets_over)
    n_p = int(labels.max()) + 1
    first_of = [int(np.flatnonzero(labels == p)[0]) for p in range(n_p)]
    starts = sc.horizon.interval_starts()
    skip = warmup_intervals(sc)
    rows: list[list[Any]] = []
    for i, o in enumerate(outputs):
        for ch, iv in o.intervals.items():
            off = np.where(np.arange(len(iv["offered"])) < skip, 0.0, iv["offered"])
            ans = np.where(off > 0, iv["answered"], 0.0)
            occ_ok = (off > 0) & ~np.isnan(iv["occupancy"])
            agents = np.where(occ_ok, iv["agents"], 0.0)
            sums = {k: np.bincount(labels, w, n_p) for k, w in (
                ("offered", off), ("answered", ans),
                ("abandoned", np.where(off > 0, iv["abandoned"], 0.0)),
                ("sl", np.nan_to_num(iv["service_level"]) * off),
                ("asa", np.nan_to_num(iv["asa_s"]) * ans),
                ("agents", agents), ("occ", np.nan_to_num(iv["occupancy"]) * agents))}
            for p in range(n_p):
                o_p, a_p, g_p = sums["offered"][p], sums["answered"][p], sums["agents"][p]
                rows.append([i, o.demand_name, layout.order[i] if layout.unit ==
                             "demand_scenario" else i, ch,
                             starts[first_of[p]].isoformat(timespec="minutes"),
                             float(o_p), float(a_p), float(sums["abandoned"][p]),
                             float(sums["sl"][p] / o_p) if o_p > 0 else None,
                             float(sums["abandoned"][p] / o_p) if o_p > 0 else None,
                             float(sums["asa"][p] / a_p) if a_p > 0 else None,
                             float(g_p), float(sums["occ"][p] / g_p) if g_p > 0 else None])
    return rows


PERIOD_COLUMNS = ["replication", "demand_scenario", "unit", "channel", "period_start",
                  "offered", "answered", "abandoned", "service_level", "abandon_rate",
                  "asa_s", "agent_intervals", "occupancy"]
