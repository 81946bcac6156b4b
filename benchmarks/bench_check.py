"""The whole mix stage (scenarios.checked_mix: solve, check rounds, verdict, ways out,
baselines) on the flagship, against the structure it replaced, measured in the same run.

Measures, on scenarios/examples/double11.yaml (14 days × 30 min, 20 demand scenarios,
in-house-first routing) unless another scenario is given:
- the mix stage as `peakdesk plan` and `peakdesk run` run it, each simulation of every
  demand scenario and each HiGHS solve timed;
- the replaced structure, from the same run's unit times: the first solve, per round one
  simulation and one re-solve, one more simulation of the last plan, the routing probe's
  simulation when the plan misses, and the same baselines (compare_mix) — what the
  raise-and-double loop did.
- this session's cuts (issue 22, "solve less, simulate less"), before → after, each
  measured in the same run: the work a cut removed is done once more after the stage,
  the old way, and timed —
  * the correction's model asked for every channel and KPI at once, its need per target
    recomputed every round (each recorded next_requirement call re-run that way);
  * the requirements computed case by case (the routed rows' staffing searches are now
    shared by all cases' intervals with the same targets) — timed both ways;
  * the requirements of the plan made for overflow at once computed again (they are now
    the routed cases' pooled requirement);
  * the loop simulation of that plan when it is not corrected (mean simulation time);
  * simulations answered by the validator's last run (the probe's runs serving the
    plan made for overflow at once when it is the same plan; mean simulation time).
  before = the stage + the removed work; the ratio after / before.
Prints both, their ratios and the load average (the machine is shared: read ratios).

Run: python benchmarks/bench_check.py [SCENARIO] [--rounds N] [--workers W]
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import planning.iterate as it
import planning.mix as mix
import scenarios.adapters.plan_check as pc
import scenarios.checked_mix as cm
from scenarios import load_scenario
from scenarios.adapters.to_mix import demand_cases, requirement_cases, solver_options

SCENARIO = Path(__file__).parents[1] / "scenarios" / "examples" / "double11.yaml"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario", nargs="?", default=str(SCENARIO))
    ap.add_argument("--rounds", type=int, default=None)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--time-limit", type=float, default=None,
                    help="per HiGHS solve (default: the scenario's); HiGHS's limit is wall "
                         "time, so on a loaded machine give it more to reach the same gap")
    args = ap.parse_args()
    sc = load_scenario(args.scenario)
    sims: list[float] = []
    solves: list[float] = []
    call, solve = pc.SimValidator.__call__, mix.MixSolver.solve

    hits = [0]  # plans answered by the validator's last run, not simulated

    def timed_call(self, plan):  # noqa: ANN001, ANN202
        t, before = time.perf_counter(), self.simulated
        out = call(self, plan)
        if self.simulated > before:
            sims.append(time.perf_counter() - t)
        else:
            hits[0] += 1
        return out

    warm_lps = [0]  # solves whose LP relaxation started from the last round's basis

    def timed_solve(self, warm_start=True):  # noqa: ANN001, ANN202
        t = time.perf_counter()
        out = solve(self, warm_start)
        solves.append(time.perf_counter() - t)
        warm_lps[0] += bool(getattr(self, "warm_lp", False))
        return out

    corrections: list[tuple[tuple, float]] = []  # (arguments, seconds) per next_requirement
    next_req = it.next_requirement

    def timed_next(*a, **kw):  # noqa: ANN002, ANN003, ANN202
        t = time.perf_counter()
        out = next_req(*a, **kw)
        corrections.append((a[:6], time.perf_counter() - t))
        return out

    at_once_rounds: list[int] = []
    at_once = cm.at_once_plan

    def seen_at_once(*a, **kw):  # noqa: ANN002, ANN003, ANN202
        at_once_rounds.append(kw.get("rounds", 1))
        return at_once(*a, **kw)

    pc.SimValidator.__call__ = timed_call
    mix.MixSolver.solve = timed_solve
    it.next_requirement = timed_next
    cm.at_once_plan = seen_at_once
    load0 = os.getloadavg()[0]
    t0 = time.perf_counter()
    cpu0 = _cpu()
    # every solve and simulation in this process, where the timers above see them (the
    # background job for the plan at once would run its own, untimed)
    mixed = cm.checked_mix(sc, solver_options(sc, args.time_limit), rounds=args.rounds,
                           workers=args.workers, background=False)
    stage = time.perf_counter() - t0
    cpu = _cpu() - cpu0
    load1 = os.getloadavg()[0]
    it.next_requirement = next_req
    cuts = removed_work(sc, mixed, corrections, at_once_rounds, sims, hits[0])
    checked = mixed.checked
    n_rounds = len(checked.rounds)
    sim_mean = sum(sims) / max(len(sims), 1)
    # the replaced structure: first solve + (rounds − 1) re-solves, one simulation per
    # round, the probe's when it misses; the baselines and mean-value plan as now
    compare = solves[-5:]  # compare_mix: three baselines, the mean-value plan, its recourse
    old = (sum(solves[:n_rounds]) + n_rounds * sim_mean
           + (sim_mean if not checked.holds else 0.0) + sum(compare))
    print(f"scenario: {sc.name}; load average {load0:.1f} → {os.getloadavg()[0]:.1f}")
    for r in checked.rounds:
        print(f"  round {r.round}: cost {r.objective:,.0f}, holds in {r.scenarios_held}/"
              f"{len(checked.final.scenario_names)} (loop streams), raised {r.raised}, "
              f"lowered {r.lowered}")
    a = checked.assessment
    print(f"verdict (fresh streams): holds in {int(a.holds.sum())}/{len(a.holds)} "
          f"({a.share:.0%}); kept round {checked.kept_round}; stopped {checked.stopped}")
    print(f"simulations of every scenario: {len(sims)} × {sim_mean:.1f} s; HiGHS solves: "
          f"{len(solves)}, {sum(solves):.1f} s ({', '.join(f'{t:.1f}' for t in solves)}; "
          f"{warm_lps[0]} started from the last round's basis)")
    print(f"mix stage CPU (this process and its simulation workers): {cpu:.1f} s")
    print(f"mix stage: {stage:.1f} s; replaced structure from the same unit times: "
          f"{old:.1f} s; ratio {stage / old:.2f}")
    print(f"this session's cuts (load average {load1:.1f} → {os.getloadavg()[0]:.1f}), "
          "each removed piece of work timed in this run:")
    for name, saved in cuts.items():
        print(f"  {name}: {saved:.1f} s saved")
    before = stage + sum(cuts.values())
    print(f"mix stage before the cuts {before:.1f} s, after {stage:.1f} s: "
          f"ratio after/before {stage / before:.2f} ({before / stage:.2f}x faster)")


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the simulation workers)."""
    import resource

    me, kids = (resource.getrusage(w) for w in (resource.RUSAGE_SELF,
                                                   resource.RUSAGE_CHILDREN))
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


class _FullModel:
    """The correction's model as before: every channel and KPI at each call."""

    selective = False

    def __init__(self, model: it.Model) -> None:
        self.model = model

    def __call__(self, coverage):  # noqa: ANN001, ANN204
        return self.model(coverage)


def removed_work(sc, mixed, corrections: list, at_once_rounds: list[int],  # noqa: ANN001
                 sims: list[float], hits: int) -> dict[str, float]:
    """Seconds of the work each cut removed, measured now (see the module docstring)."""
    out: dict[str, float] = {}
    t_old = t_new = 0.0
    for (plan, seen, a, model, spec, bounds), t in corrections:
        t0 = time.perf_counter()
        it.next_requirement(plan, seen, a, _FullModel(model), spec, bounds, {})
        t_old += time.perf_counter() - t0
        t_new += t
    out[f"correction: {len(corrections)} next_requirement calls, {t_old:.1f} s → "
        f"{t_new:.1f} s"] = t_old - t_new
    rates = demand_cases(sc)
    t0 = time.perf_counter()
    requirement_cases(sc, rates)
    t_new = time.perf_counter() - t0
    t0 = time.perf_counter()
    for case in rates:  # case by case, as before: no staffing search shared
        requirement_cases(sc, [case])
    t_old = time.perf_counter() - t0
    out[f"requirements of the {len(rates)} cases, all at once: {t_old:.1f} s → "
        f"{t_new:.1f} s"] = t_old - t_new
    if at_once_rounds:
        t0 = time.perf_counter()
        requirement_cases(cm.overflow_at_once(sc), rates)
        out["requirements of the plan for overflow at once, not recomputed"] = \
            time.perf_counter() - t0
    mean = sum(sims) / max(len(sims), 1)
    if at_once_rounds and at_once_rounds[0] == 0 and mixed.at_once is not None:
        out["the uncorrected plan for overflow at once: no loop simulation"] = mean
    if hits:
        out[f"simulations answered by the last run ({hits})"] = hits * mean
    return out


if __name__ == "__main__":
    main()
