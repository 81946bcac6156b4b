"""Weekly capacity MILP at a year's size: 52 weeks, two peaks (618 in June, Double 11 in
November) on a seasonal base, hiring classes with 3 weeks of training and a 3-week ramp,
weekly attrition 1/21.7 (five-month tenure), overtime and a vendor with 4 weeks' notice.

Measures, in the same run:
- planning.capacity: Pyomo build + hand-off to HiGHS, and the MILP solve (hires integer);
- the whole ``capacity_report`` (plan + hire-a-week-later + attrition +1 point: 3 solves);
- baseline 1, the LP relaxation of the same model (hires continuous): what integrality
  costs in time, and the integrality gap in money;
- baseline 2, a naive formulation: one survivor variable per class and week with
  week-to-week balance rows (n_{c,t} = (1 − a)·n_{c,t−1}), built with Pyomo rules — the
  textbook way; same optimum, W² more columns.

Run: python benchmarks/bench_capacity.py [--weeks 52] [--repeat 3]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pyomo.environ as pyo

from planning.capacity import CapacityInputs, Hiring, Outsourcing, Overtime, capacity_report
from planning.capacity.model import build_model
from planning.capacity.plan import CapacitySolver
from planning.mix_inputs import SolverOptions
from planning.solver import HighsSession

OPTIONS = SolverOptions(time_limit_s=60.0, mip_gap=1e-4, threads=1)


def year(weeks: int) -> CapacityInputs:
    """A seasonal base of 8,400 productive hours a week (300 agents) with two peaks."""
    t = np.arange(weeks)
    base = 8400.0 * (1.0 + 0.08 * np.sin(2 * np.pi * t / 52.0))
    peaks = 9000.0 * np.exp(-0.5 * ((t - 23) / 0.8) ** 2) \
        + 16000.0 * np.exp(-0.5 * ((t - 45) / 0.7) ** 2)
    return CapacityInputs(
        required_hours=base + peaks, on_staff=300, hours_per_week=40, productive_share=0.7,
        attrition=1 / 21.7, wage_per_hour=45, shortfall_penalty_per_hour=400,
        hiring=Hiring(max_per_week=25, cost_per_hire=3000, training_weeks=3,
                      ramp=(0.4, 0.7, 0.9)),
        overtime=Overtime(max_share=0.2, premium=1.5),
        outsourcing=Outsourcing(price_per_hour=36, productivity=0.55,
                                max_hours=np.full(weeks, 4000.0), notice_weeks=4))


def build_naive(inp: CapacityInputs) -> pyo.ConcreteModel:
    """Survivors n[c, t] of every class in every week as variables, balance rows between
    weeks, everything summed in Pyomo rules."""
    w, a, h = inp.weeks, inp.attrition, inp.hiring
    T, ox, ot = h.training_weeks, inp.outsourcing, inp.overtime
    pairs = [(c, t) for c in range(w) for t in range(c, w)]
    m = pyo.ConcreteModel()
    m.h = pyo.Var(range(w), domain=pyo.NonNegativeIntegers, bounds=(0, h.max_per_week))
    m.n = pyo.Var(pairs, domain=pyo.NonNegativeReals)
    m.o = pyo.Var(range(w), domain=pyo.NonNegativeReals)
    cap = ox.cap()
    m.x = pyo.Var(range(w), domain=pyo.NonNegativeReals, bounds=lambda m, t: (0, cap[t]))
    m.s = pyo.Var(range(w), domain=pyo.NonNegativeReals)
    staff = [inp.on_staff * (1 - a) ** t for t in range(w)]
    m.start = pyo.Constraint(range(w), rule=lambda m, c: m.n[c, c] == m.h[c])
    m.flow = pyo.Constraint([(c, t) for c, t in pairs if t > c], rule=lambda m, c, t: (
        m.n[c, t] == (1.0 if t - c <= T else 1.0 - a) * m.n[c, t - 1]))

    def past(m, t):
        return staff[t] + sum(m.n[c, t] for c in range(w) if c + T <= t)

    m.ot = pyo.Constraint(range(w), rule=lambda m, t: m.o[t] <= ot.max_share
                          * inp.hours_per_week * past(m, t))
    k = inp.hours_per_week * inp.productive_share
    m.cover = pyo.Constraint(range(w), rule=lambda m, t: (
        k * (staff[t] + sum(h.weight(t - c - T) * m.n[c, t] for c in range(w) if c + T <= t))
        + inp.productive_share * m.o[t] + ox.productivity * m.x[t] + m.s[t]
        >= float(inp.required_hours[t])))
    m.cost = pyo.Objective(expr=sum(
        inp.wage_per_hour * inp.hours_per_week * (staff[t] + sum(m.n[c, t] for c in range(t + 1)))
        + h.cost_per_hire * m.h[t] + inp.wage_per_hour * ot.premium * m.o[t]
        + ox.price_per_hour * m.x[t] + inp.shortfall_penalty_per_hour * m.s[t]
        for t in range(w)))
    return m


def timed_solve(build) -> tuple[float, float, float]:
    """(build + hand-off s, HiGHS s, objective) of a fresh model from ``build()``."""
    t0 = time.perf_counter()
    m = build()
    session = HighsSession(m, OPTIONS)
    built = time.perf_counter() - t0
    out = session.solve()
    return built, out.solve_s, out.objective


def relaxed(inp: CapacityInputs) -> pyo.ConcreteModel:
    m = build_model(inp)
    for v in m.h.values():
        v.domain = pyo.NonNegativeReals
    return m


def best(fn, repeat: int):
    runs = [fn() for _ in range(repeat)]
    return min(runs, key=lambda r: r[0] + r[1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--weeks", type=int, default=52)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    inp = year(args.weeks)
    b, s, obj = best(lambda: timed_solve(lambda: build_model(inp)), args.repeat)
    lb, ls, lobj = best(lambda: timed_solve(lambda: relaxed(inp)), args.repeat)
    nb, ns, nobj = best(lambda: timed_solve(lambda: build_naive(inp)), args.repeat)
    reports = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        rep = capacity_report(inp, OPTIONS)
        reports.append(time.perf_counter() - t0)
    plan = CapacitySolver(inp, OPTIONS).solve()
    print(f"capacity plan, {args.weeks} weeks ({plan.total_hires} hires in "
          f"{int((plan.hires > 0).sum())} classes, cost {obj:,.0f})")
    print(f"  MILP      build+hand-off {b:.3f} s  HiGHS {s:.3f} s  total {b + s:.3f} s")
    print(f"  LP relax. build+hand-off {lb:.3f} s  HiGHS {ls:.3f} s  total {lb + ls:.3f} s  "
          f"(cost {lobj:,.0f}, integrality gap {(obj - lobj) / obj:.3%})")
    print(f"  naive     build+hand-off {nb:.3f} s  HiGHS {ns:.3f} s  total {nb + ns:.3f} s  "
          f"(cost {nobj:,.0f}, same optimum: {abs(nobj - obj) <= 1e-3 * obj})")
    print(f"  capacity_report (plan + 2 what-ifs): {min(reports):.3f} s  (target < 5 s: "
          f"{min(reports) / 5.0:.1%} of it)")
    print(f"  ratios: MILP / LP relaxation {(b + s) / (lb + ls):.2f}x;  "
          f"naive / MILP {(nb + ns) / (b + s):.2f}x  (HiGHS alone {ns / s:.2f}x)")
    del rep


if __name__ == "__main__":
    main()
