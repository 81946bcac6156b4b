"""Re-check a MixPlan against every constraint family in plain Python (no Pyomo), and
recompute its cost from the inputs — the independent reference for the mix tests."""

from __future__ import annotations

import numpy as np

from planning.mix import MixPlan
from planning.mix_inputs import MixInputs

TOL = 1e-6


def check_plan(inp: MixInputs, plan: MixPlan) -> list[str]:
    """Every violated constraint, as text (empty list: the plan is feasible)."""
    bad: list[str] = []
    n = inp.n_intervals
    per_day = 24 * 60 // inp.interval_minutes
    ih, o, r, tp = inp.in_house, inp.outsourced, inp.reserve, inp.temps
    # in-house: shifts → agents on the queue; headcount per day; days-off per 7-day block
    on = np.zeros(n)
    per_day_count: dict[int, int] = {}
    for day, j, start, k in plan.shifts:
        if k < 0 or int(k) != k:
            bad.append(f"shift count {k} not a non-negative integer")
        p = ih.patterns[j]
        if (start - day * per_day) not in p.starts:
            bad.append(f"shift start {start} not allowed for pattern {p.name}")
        for off in range(p.length):
            if off not in p.breaks and start + off < n:
                on[start + off] += k
        per_day_count[day] = per_day_count.get(day, 0) + k
    if not np.allclose(on, plan.in_house):
        bad.append("in-house agents on the queue do not match the shifts")
    if ih is not None:
        hire_day = -(-ih.hires_from // per_day)
        if not 0 <= plan.hires <= ih.max_hires:
            bad.append("hires out of bounds")
        for d, c in per_day_count.items():
            if c > ih.headcount + (plan.hires if d >= hire_day else 0):
                bad.append(f"day {d}: {c} shifts exceed the headcount")
        days = -(-n // per_day)
        for w0 in range(0, days, 7):
            block = range(w0, min(w0 + 7, days))
            c = sum(per_day_count.get(d, 0) for d in block)
            lim = (min(ih.max_days_per_week, len(block)) * ih.headcount
                   + min(ih.max_days_per_week, sum(d >= hire_day for d in block)) * plan.hires)
            if c > lim:
                bad.append(f"days-off rule broken in block from day {w0}")
            if ih.paid_hours_per_week is not None:
                paid = sum(ih.patterns[j].paid_hours * k for d, j, _, k in plan.shifts
                           if d in block)
                dd = ih.max_days_per_week
                cap = ih.paid_hours_per_week / dd * (
                    min(dd, len(block)) * ih.headcount
                    + min(dd, sum(d >= hire_day for d in block)) * plan.hires)
                if paid > cap + 1e-6:
                    bad.append(f"salaried paid hours exceeded in block from day {w0}")
    elif plan.shifts or plan.hires:
        bad.append("in-house used although the pool does not exist")
    # outsourced blocks: start rules, seats per interval, capacity
    seats = np.zeros(n)
    for s, k in plan.outsourced_blocks:
        if o is None or s % o.block_step or s < o.available_from or k < 0:
            bad.append(f"outsourced block at {s} not allowed")
            continue
        seats[s:s + o.block] += k
    if not np.allclose(seats, plan.outsourced):
        bad.append("outsourced seats do not match the blocks")
    if o is not None and np.any(seats > o.capacity + TOL):
        bad.append("outsourced capacity exceeded")
    # recourse: blocks constant within aligned blocks, bounds, notice
    def blockwise(arr: np.ndarray, length: int, first: int, cap: float, name: str) -> None:
        if np.any(arr < -TOL) or np.any(arr > cap + TOL):
            bad.append(f"{name} out of bounds")
        if np.any(np.abs(arr[:, :first]) > TOL):
            bad.append(f"{name} used before its notice")
        for b0 in range(0, n, length):
            seg = arr[:, b0:b0 + length]
            if np.any(np.abs(seg - seg[:, :1]) > 1e-6):
                bad.append(f"{name} not constant over its block at {b0}")
                break
    if r is not None:
        cap = r.show_up * plan.reserve_pool
        first = -(-r.available_from // r.callout) * r.callout
        blockwise(plan.reserve, r.callout, first, cap, "reserve")
        if not 0 <= plan.reserve_pool <= r.max_size:
            bad.append("reserve pool out of bounds")
        if r.max_hours_per_agent is not None:
            hours = plan.reserve.sum(axis=1) * inp.interval_h
            if np.any(hours > r.max_hours_per_agent * cap + 1e-5):
                bad.append("reserve hours cap exceeded")
    elif plan.reserve.any() or plan.reserve_pool:
        bad.append("reserve used although the pool does not exist")
    if o is not None and o.surge_capacity > 0:
        first = -(-o.surge_from // o.block) * o.block
        blockwise(plan.surge, o.block, first, o.surge_capacity, "surge")
    elif plan.surge.any():
        bad.append("surge used without surge capacity")
    if tp is not None:
        if np.any(plan.temps < -TOL) or np.any(plan.temps > tp.capacity + TOL) or \
                np.any(np.abs(plan.temps[:, :tp.available_from]) > TOL):
            bad.append("temps out of bounds")
    elif plan.temps.any():
        bad.append("temps used although the pool does not exist")
    # coverage per scenario and interval
    eta = lambda p: getattr(p, "productivity", 0.0) if p is not None else 0.0  # noqa: E731
    cov = (eta(ih) * plan.in_house + eta(o) * plan.outsourced)[None, :] + eta(r) * plan.reserve \
        + eta(o) * plan.surge + eta(tp) * plan.temps
    if np.any(cov + plan.shortfall < inp.requirement - 1e-5):
        bad.append("coverage + shortfall below the requirement")
    if inp.hard_coverage and np.any(plan.shortfall > 1e-6):
        bad.append("shortfall under hard coverage")
    if inp.chance_min_share is not None:
        met = plan.shortfall.sum(axis=1) <= 1e-6
        if inp.probabilities[met].sum() < inp.chance_min_share - 1e-9:
            bad.append("chance constraint violated")
    return bad


def plan_cost(inp: MixInputs, plan: MixPlan) -> float:
    """Objective recomputed from the plan's decisions and the inputs' prices."""
    dt = inp.interval_h
    p = inp.probabilities
    ih, o, r, tp = inp.in_house, inp.outsourced, inp.reserve, inp.temps
    c = 0.0
    if ih is not None and ih.paid_hours_per_week is not None:
        # salaried: every employed agent's paid hours, from a hire's first whole day on
        per_day = 24 * 60 // inp.interval_minutes
        days, hire_day, d = -(-inp.n_intervals // per_day), -(-ih.hires_from // per_day), \
            ih.max_days_per_week
        for w0 in range(0, days, 7):
            block = range(w0, min(w0 + 7, days))
            c += ih.cost_per_paid_hour * ih.paid_hours_per_week / d * (
                min(d, len(block)) * ih.headcount
                + min(d, sum(x >= hire_day for x in block)) * plan.hires)
    else:
        for _, j, _, k in plan.shifts:
            c += ih.cost_per_paid_hour * ih.patterns[j].paid_hours * k
    if ih is not None:
        c += ih.hire_cost * plan.hires
    if o is not None:
        c += sum(k for _, k in plan.outsourced_blocks) * o.block * dt * (
            o.price_per_hour + o.quality_cost_per_hour)
        c += dt * (o.surge_price_per_hour + o.quality_cost_per_hour) * float(
            p @ plan.surge.sum(axis=1))
    if r is not None:
        c += r.cost_per_agent * plan.reserve_pool + dt * (
            r.activation_per_hour + r.quality_cost_per_hour) * float(p @ plan.reserve.sum(axis=1))
    if tp is not None:
        c += dt * (tp.price_per_hour + tp.quality_cost_per_hour) * float(p @ plan.temps.sum(axis=1))
    if not inp.hard_coverage:
        c += dt * inp.shortfall_penalty_per_hour * float(p @ plan.shortfall.sum(axis=1))
    return c
