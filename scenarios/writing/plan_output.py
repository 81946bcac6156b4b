"""The plan as JSON (``--json``, docs/planning.md), CSV tables and a plot — all written atomically."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from planning.iterate import TARGET_KPIS, CheckedPlan
from planning.mix import MixComparison, MixPlan
from planning.remedy import Remedy
from scenarios.schema import Scenario
from scenarios.writing.output import write_atomic, write_csv

PLAN_HEADER = ["interval_start", "requirement_expected", "in_house", "outsourced",
               "outsourced_surge_expected", "reserve_expected", "temps_expected",
               "shortfall_expected", "coverage_expected", "in_house_shortfall_expected"]


def _r(v: float, nd: int = 4) -> float:
    return round(float(v), nd)


def plan_rows(sc: Scenario, plan: MixPlan) -> list[list[Any]]:
    starts = sc.horizon.interval_starts()
    e = plan.expected
    req, surge, res, tmp, short, cov = (e(plan.requirement), e(plan.surge), e(plan.reserve),
                                        e(plan.temps), e(plan.shortfall), e(plan.coverage))
    # in-house-first routing: in-house agents the headcount cannot give (their own row,
    # priced by the shortfall penalty like ``shortfall``); 0 without that row
    short_h = e(plan.in_house_shortfall) if plan.in_house_shortfall.size else \
        np.zeros(len(starts))
    return [[s.isoformat(timespec="minutes"), _r(req[t]), int(plan.in_house[t]),
             int(plan.outsourced[t]), _r(surge[t]), _r(res[t]), _r(tmp[t]), _r(short[t]),
             _r(cov[t]), _r(short_h[t])] for t, s in enumerate(starts)]


def scenario_rows(plan: MixPlan, interval_h: float) -> list[dict[str, Any]]:
    out = []
    for s, name in enumerate(plan.scenario_names):
        need = float(plan.requirement[s].sum())
        short = float(plan.shortfall[s].sum())
        out.append({"name": name, "probability": _r(plan.probabilities[s], 6),
                    "required_agent_hours": _r(need * interval_h, 2),
                    "shortfall_agent_hours": _r(short * interval_h, 2),
                    "coverage": _r(1.0 - short / need if need > 0 else 1.0, 6),
                    "reserve_called_agent_hours": _r(plan.reserve[s].sum() * interval_h, 2),
                    "surge_agent_hours": _r(plan.surge[s].sum() * interval_h, 2),
                    "temps_agent_hours": _r(plan.temps[s].sum() * interval_h, 2),
                    "met": bool(plan.met[s]) if plan.met.size else short <= 1e-6})
    return out


def cost_json(plan: MixPlan) -> dict[str, Any]:
    c = plan.cost
    return {"total": _r(c.total, 2), "first_stage": _r(c.first_stage, 2),
            "expected_recourse": _r(c.expected_recourse, 2),
            "shortfall_penalty": _r(c.shortfall_penalty, 2),
            "by_pool": {k: _r(v, 2) for k, v in c.by_pool.items()},
            # the money paid apart from the notional charges: cash + quality + shortfall
            # penalty = total (docs/planning.md)
            "cash": _r(c.cash, 2), "quality": _r(c.quality, 2),
            "quality_by_pool": {k: _r(v, 2) for k, v in c.quality_by_pool.items()}}


def plan_json(sc: Scenario, cmp: MixComparison, checked: CheckedPlan | None = None,
              fix: Remedy | None = None, check: str = "sim", probe: Any = None,
              mixed: Any = None) -> dict:
    """The final (checked) plan at the top level; the check, the plan before it and, when
    the targets still miss, the remedy under ``validation``."""
    plan = cmp.plan
    starts = [s.isoformat(timespec="minutes") for s in sc.horizon.interval_starts()]
    rows: list[dict[str, Any]] = []
    e = plan.expected
    series = {"in_house": plan.in_house, "outsourced": plan.outsourced,
              "reserve": e(plan.reserve), "temps": e(plan.temps),
              "outsourced_surge": e(plan.surge)}
    for t, s in enumerate(starts):
        for pool, arr in series.items():
            v = arr[t]
            rows.append({"interval": s, "pool": pool,
                         "agents": int(v) if pool in ("in_house", "outsourced") else _r(v)})
    interval_h = sc.horizon.interval_minutes / 60.0
    base = {k: (None if b is None else _r(b.objective, 2)) for k, b in cmp.baselines.items()}
    base_detail = {k: None if b is None else {
        "cost": cost_json(b), "expected_shortfall_agent_hours":
            _r(float(b.probabilities @ b.shortfall.sum(axis=1)) * interval_h, 2),
        "status": b.status}
        for k, b in cmp.baselines.items()}
    out: dict[str, Any] = {
        "scenario": sc.name, "currency": sc.currency, "status": plan.status,
        "objective": _r(plan.objective, 2), "gap": _r(plan.gap, 6),
        "cost": cost_json(plan), "reserve_pool": plan.reserve_pool, "hires": plan.hires,
        "plan": rows,
        "shifts": [{"day": d, "pattern": _pattern_name(sc, p), "start": starts[s],
                    "agents": n} for d, p, s, n in plan.shifts],
        "outsourced_blocks": [{"start": starts[s], "seats": n}
                              for s, n in plan.outsourced_blocks],
        "scenarios": scenario_rows(plan, interval_h),
        "expected_shortfall_agent_hours":
            _r(float(plan.probabilities @ plan.shortfall.sum(axis=1)) * interval_h, 2),
        "baselines": base, "baseline_details": base_detail,
        "value_of_one_more": {"in_house_agent": None if cmp.value_in_house_agent is None
                              else _r(cmp.value_in_house_agent, 2),
                              "reserve_agent": None if cmp.value_reserve_agent is None
                              else _r(cmp.value_reserve_agent, 2)},
        "build_s": _r(plan.build_s, 3), "solve_s": _r(plan.solve_s, 3),
    }
    if cmp.mean_value is not None and cmp.mean_value_expected is not None:
        out["mean_value_plan"] = {
            "planned_cost": _r(cmp.mean_value.objective, 2),
            "expected_cost": _r(cmp.mean_value_expected.objective, 2),
            "reserve_pool": cmp.mean_value.reserve_pool,
            "value_of_stochastic_solution": _r(cmp.value_of_stochastic_solution, 2)}
    out["meets_targets"] = None if checked is None else bool(checked.holds)
    if checked is not None:
        out["validation"] = check_json(sc, checked, fix, check, probe)
        if mixed is not None:
            out["validation"].update(ways_out_json(mixed))
    return out


def _simulated(x: Any) -> dict[str, Any] | None:
    return None if x is None else {
        "cost": _r(x.cost, 2), "holds": bool(x.holds), "scenarios_held": x.held,
        "scenarios": x.scenarios, "share_held": _r(x.share_held, 6),
        "missed_periods": x.misses, "status": x.status}


def ways_out_json(mixed: Any) -> dict[str, Any]:
    """Where the in-house headcount limits the plan, and each way out simulated: the
    remedy keeping the routing, the plan made for overflow at once."""
    lim = mixed.limit
    return {
        "in_house_limit": None if lim is None else {
            "overflow_after_s": lim.overflow_after_s,
            "agent_hours": _r(lim.agent_hours, 1), "intervals": lim.intervals,
            "worst": {"interval": lim.worst[0], "scenarios": lim.worst[1],
                      "agents_short": _r(lim.worst[2], 2)},
            "days": [{"day": d, "agent_hours": _r(h, 1)} for d, h in lim.days[:14]],
            "overflow_wait_that_holds_s": lim.wait_that_holds},
        "remedy_simulated": _simulated(mixed.remedy_check),
        "at_once_plan": _simulated(mixed.at_once),
    }


def _plan_brief(p: MixPlan, interval_h: float) -> dict[str, Any]:
    return {"objective": _r(p.objective, 2), "reserve_pool": p.reserve_pool, "hires": p.hires,
            "cost": cost_json(p), "in_house_agent_hours": _r(p.in_house.sum() * interval_h, 2),
            "outsourced_seat_hours": _r(p.outsourced.sum() * interval_h, 2)}


def check_json(sc: Scenario, checked: CheckedPlan, fix: Remedy | None, check: str,
               probe: Any = None) -> dict:
    """The check: verdict, rounds (what each missed, raised and changed), the plan before
    the check, the misses left, the remedy."""
    interval_h = sc.horizon.interval_minutes / 60.0
    starts = [s.isoformat(timespec="minutes") for s in sc.horizon.interval_starts()]
    a, names = checked.assessment, checked.final.scenario_names
    loop = checked.loop_assessment
    return {
        "check": check, "holds": bool(checked.holds), "stopped": checked.stopped,
        "fresh_streams": bool(checked.fresh), "kept_round": checked.kept_round,
        "replications_per_scenario": a.replications,
        "runs": a.replications * len(names),
        "spread": {k: _r(v, 3) for k, v in a.spread.items()},
        "loop_verdict": None if loop is None else {
            "scenarios_held": int(loop.holds.sum()), "share_held": _r(loop.share, 6)},
        "where_missed": [{"channel": b.channel, "target": b.kpi,
                          "day": starts[b.day * checked.spec.intervals_per_day][:10],
                          "hours": f"{b.band * 4:02d}-{b.band * 4 + 4:02d}",
                          "scenarios": b.scenarios, "worst": _r(b.worst)}
                         for b in sorted(a.bands, key=lambda b: -b.scenarios)[:40]],
        "share_held": _r(a.share, 6), "share_asked": checked.spec.share,
        "scenarios_held": int(a.holds.sum()), "scenarios": len(names),
        "targets_over": sc.planning.targets_over,
        "rounds": [{"round": r.round, "objective": _r(r.objective, 2),
                    "share_held": _r(r.share_held, 6), "scenarios_held": r.scenarios_held,
                    "missed_periods": r.misses,
                    "worst": {k: None if v is None else _r(v) for k, v in r.worst.items()},
                    "raised": r.raised, "raised_agent_hours": _r(r.raised_agent_hours, 2),
                    "lowered": r.lowered,
                    "lowered_agent_hours": _r(r.lowered_agent_hours, 2),
                    "changes": {k: _r(v, 2) for k, v in r.changes.items()}}
                   for r in checked.rounds],
        "before_check": _plan_brief(checked.first, interval_h),
        "final": _plan_brief(checked.final, interval_h),
        "misses": [{"scenario": names[m.scenario], "channel": m.channel, "target": m.kpi,
                    "period_start": starts[m.start], "value": _r(m.value), "goal": m.goal}
                   for m in sorted(a.misses, key=_severity)[:50]],
        "remedy": None if fix is None else remedy_json(fix),
        "routing_probe": None if probe is None else {
            "overflow_after_s": probe.overflow_after_s, "overflow_after_s_probed": 0.0,
            "holds": bool(probe.holds), "scenarios_held": probe.held,
            "scenarios": probe.scenarios, "share_held": _r(probe.share_held, 6),
            "missed_periods": probe.misses},
    }


def _severity(m: Any) -> float:
    return TARGET_KPIS[m.kpi][1] * (m.value - m.goal) / max(abs(m.goal), 1e-9)


def remedy_json(fix: Remedy) -> dict[str, Any]:
    if not fix.feasible:
        out: dict[str, Any] = {"feasible": False, "reason": fix.reason}
        if fix.worst is not None:
            s, t, need, most = fix.worst
            out["worst"] = {"scenario": s, "interval": t, "needs": _r(need, 2),
                            "most": _r(most, 2)}
        if fix.reason == "joint_limits":
            out["short_agent_hours"] = _r(fix.short_agent_hours, 1)
        return out
    return {"feasible": True, "cost_delta": _r(fix.cost_delta, 2), "sizes": fix.sizes,
            "days": [{"pool": c.pool, "day": c.label[:10], "agent_hours": _r(c.agent_hours, 1)}
                     for c in fix.days[:20]]}


RECOURSE_HEADER = ["scenario", "interval_start", "pool", "agents"]


def recourse_rows(sc: Scenario, plan: MixPlan) -> list[list[Any]]:
    """Each demand scenario's own recourse as the check simulates it: rostered agents per
    pool added to plan.csv's first stage (in-house, contracted outsourced seats) — surge
    seats on the outsourced pool, reserve call-outs ÷ show-up, temps — nonzero cells only.
    With plan.csv this is the plan ``peakdesk simulate --plan plan.csv`` runs."""
    from scenarios.adapters.plan_check import staffing_by_scenario

    starts = [s.isoformat(timespec="minutes") for s in sc.horizon.interval_starts()]
    first = {"in_house": plan.in_house, "outsourced": plan.outsourced}
    rows: list[list[Any]] = []
    for name, st in zip(plan.scenario_names, staffing_by_scenario(sc, plan), strict=True):
        for pool, arr in st.items():
            extra = np.asarray(arr, np.int64) - np.rint(first.get(pool, 0.0)).astype(np.int64)
            rows += [[name, starts[t], pool, int(extra[t])] for t in np.flatnonzero(extra)]
    return rows


def write_plan_dir(out: str | Path, sc: Scenario, cmp: MixComparison) -> list[Path]:
    """plan.csv (interval × pool), recourse.csv (each scenario's own), scenarios.csv,
    shifts.csv, plan.png and roster.csv (the people's shifts) in ``out``."""
    out = Path(out)
    plan = cmp.plan
    files = [out / "plan.csv", out / "scenarios.csv", out / "shifts.csv", out / "plan.png",
             out / "recourse.csv"]
    write_csv(files[0], PLAN_HEADER, plan_rows(sc, plan))
    write_csv(files[4], RECOURSE_HEADER, recourse_rows(sc, plan))
    sr = scenario_rows(plan, sc.horizon.interval_minutes / 60.0)
    write_csv(files[1], list(sr[0]), [list(r.values()) for r in sr])
    starts = sc.horizon.interval_starts()
    write_csv(files[2], ["day", "pattern", "start", "agents"],
              [[d, _pattern_name(sc, p), starts[s].isoformat(timespec="minutes"), n]
               for d, p, s, n in plan.shifts])
    write_atomic(files[3], plot_png(sc, plan))
    if plan.shifts and "in_house" in sc.pools and sc.pools["in_house"].employment:
        from scenarios.adapters.plan_check import reserve_show_up
        from scenarios.adapters.to_roster import people_roster
        from scenarios.run import booking
        from scenarios.run.roster import COLUMNS, build_roster, rostered_shifts

        roster = build_roster(sc, plan, reserve_show_up(sc), people_roster(sc, plan))
        files.append(out / "roster.csv")  # one row per employee and shift (docs/roster.md)
        write_csv(files[-1], COLUMNS, roster.rows)
        files.append(out / "booking.csv")  # what to sign and by when (docs/formats.md §1)
        write_csv(files[-1], booking.COLUMNS,
                  booking.csv_rows(booking.build_booking(sc, plan, rostered_shifts(roster.rows))))
    return files


def _pattern_name(sc: Scenario, index: int) -> str:
    return sc.pools["in_house"].employment.shifts[index].name


def plot_png(sc: Scenario, plan: MixPlan) -> bytes:
    """Requirement (expected and the widest scenario band) against staffed agents by pool,
    stacked in in-house-equivalent agents."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x = np.arange(plan.requirement.shape[1]) * sc.horizon.interval_minutes / 60.0 / 24.0
    fig, ax = plt.subplots(figsize=(12, 4.5))
    e = plan.expected
    parts = [("in-house", plan.in_house * _eta(plan, "in_house")),
             ("outsourced", plan.outsourced * _eta(plan, "outsourced")),
             ("surge (exp.)", e(plan.surge) * _eta(plan, "outsourced")),
             ("reserve (exp.)", e(plan.reserve) * _eta(plan, "reserve")),
             ("temps (exp.)", e(plan.temps) * _eta(plan, "temps"))]
    ax.stackplot(x, *[p for _, p in parts], labels=[n for n, _ in parts], step="post",
                 alpha=0.8)
    ax.fill_between(x, plan.requirement.min(axis=0), plan.requirement.max(axis=0),
                    step="post", color="k", alpha=0.12, label="requirement range")
    ax.step(x, e(plan.requirement), where="post", color="k", lw=1, label="requirement (exp.)")
    ax.set_xlabel("day of horizon")
    ax.set_ylabel("in-house-equivalent agents")
    ax.set_title(f"{sc.name}: plan vs requirement")
    ax.legend(loc="upper left", fontsize=8, ncol=3)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def _eta(plan: MixPlan, pool: str) -> float:
    """Productivity of a pool, recovered from the plan's coverage definition."""
    return plan.productivity.get(pool, 0.0)
