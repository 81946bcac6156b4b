"""The mix stage's model builds, before → now, in the same run (issue 25, fourth pass).

On scenarios/examples/double11.yaml (unless another scenario is given) the three models
the flagship's mix stage builds: the plan's (this process, planning.mix.MixSolver), the
plan for overflow at once and the mean-value plan (both in the stage's background job).
Each built alternately, ``--reps`` times, by
- before: the frozen copy of the old code (tests/planning/reference_mix_build.py: the
  builders with Python sum chains, the compile walking every row, Var.bounds per column,
  the columns' state read twice), in the steps of the old MixSolver.__init__;
- now: planning.mix.MixSolver(inp, options) itself;
and, step by step, Pyomo's build_model, the compile (planning.linear_form), the arrays
for HiGHS. CPU seconds of this process (time.process_time; the machine is shared: read
the ratios, measured in the same run), the load average before and after, and whether
HiGHS received the same arrays both ways (bytes).

Run: python benchmarks/bench_mix_build.py [SCENARIO] [--reps N]
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parents[1]))

import tests.planning.reference_mix_build as ref  # noqa: E402
from planning.linear_form import column_state, compile_linear  # noqa: E402
from planning.mix import MixSolver, check_inputs  # noqa: E402
from planning.mix_inputs import MixInputs, SolverOptions  # noqa: E402
from planning.mix_layout import mix_layout  # noqa: E402
from planning.mix_model import build_model  # noqa: E402
from planning.solver import _quiet_highs  # noqa: E402
from scenarios import load_scenario  # noqa: E402
from scenarios.adapters.to_mix import (  # noqa: E402
    demand_cases,
    mean_case,
    mix_inputs,
    requirement_cases,
)
from scenarios.checked_mix import overflow_at_once  # noqa: E402
from scenarios.heap import collect_less  # noqa: E402

SCENARIO = Path(__file__).parents[1] / "scenarios" / "examples" / "double11.yaml"
OPTIONS = SolverOptions()


def old_solver(inp: MixInputs) -> tuple:
    """The old MixSolver.__init__'s work: inputs checked, layout, Pyomo build, compile,
    HiGHS instance and passModel, then the integer columns read (column_state again)."""
    check_inputs(inp)
    lay = mix_layout(inp)
    m = ref.build_model(inp, lay)
    form = ref.compile_linear(m)
    highs = _quiet_highs()
    highs.passModel(ref.to_highs(form))
    _, _, integer = ref.column_state(form.columns)
    ints = [v for v, i in zip(form.columns, integer.tolist(), strict=True) if i]
    return m, form, highs, ints


def steps(inp: MixInputs, old: bool) -> tuple[float, float, float]:
    """CPU s of Pyomo's build, the compile, and the arrays for HiGHS (the columns' state
    included), the old code's or this tree's."""
    lay = mix_layout(inp)
    t0 = time.process_time()
    m = (ref.build_model if old else build_model)(inp, lay)
    t1 = time.process_time()
    form = (ref.compile_linear if old else compile_linear)(m)
    t2 = time.process_time()
    if old:
        ref.to_highs(form)
    else:
        form.to_highs(column_state(form.columns))
    t3 = time.process_time()
    del m, form
    return t1 - t0, t2 - t1, t3 - t2


def timed(run: object) -> float:
    gc.collect()
    t0 = time.process_time()
    kept = run()
    cpu = time.process_time() - t0
    del kept  # freed outside the timing
    return cpu


def same_arrays(inp: MixInputs) -> bool:
    """Whether HiGHS holds the same model from both builds (every array, as bytes)."""
    old = old_solver(inp)
    highs = old[2]
    new = MixSolver(inp, OPTIONS).session.highs
    a, b = highs.getLp(), new.getLp()
    keys = ("col_cost_", "col_lower_", "col_upper_", "row_lower_", "row_upper_")
    mat = ("start_", "index_", "value_")
    del old
    return (all(np.asarray(getattr(a, k)).tobytes() == np.asarray(getattr(b, k)).tobytes()
                for k in keys)
            and all(np.asarray(getattr(a.a_matrix_, k)).tobytes()
                    == np.asarray(getattr(b.a_matrix_, k)).tobytes() for k in mat)
            and list(a.integrality_) == list(b.integrality_) and a.offset_ == b.offset_)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario", nargs="?", default=str(SCENARIO))
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    collect_less()  # as the command runs (cli.py)
    sc = load_scenario(args.scenario)
    rates = demand_cases(sc)
    cases = requirement_cases(sc, rates)
    inp = mix_inputs(sc, cases)
    models = {
        "plan (main process)": inp,
        "plan for overflow at once (job)": mix_inputs(
            overflow_at_once(sc), tuple(c.overflowing_at_once() for c in cases)),
        "mean-value plan (job)": replace(
            inp, cases=(replace(mean_case(sc, rates), probability=1.0),),
            chance_min_share=None),
    }
    load0 = os.getloadavg()[0]
    print(f"{Path(args.scenario).name}: {args.reps} builds of each model both ways, "
          "alternately; CPU s (mean)")
    total = {"before": 0.0, "now": 0.0}
    for name, model in models.items():
        cpu: dict[str, list[float]] = {"before": [], "now": []}
        part: dict[str, list[tuple[float, float, float]]] = {"before": [], "now": []}
        for rep in range(args.reps):
            order = ("before", "now") if rep % 2 == 0 else ("now", "before")
            for which in order:
                cpu[which].append(timed(
                    (lambda m=model: old_solver(m)) if which == "before"
                    else (lambda m=model: MixSolver(m, OPTIONS))))
                gc.collect()
                part[which].append(steps(model, which == "before"))
        before, now = np.mean(cpu["before"]), np.mean(cpu["now"])
        total["before"] += before
        total["now"] += now
        print(f"\n{name}: the solver built (MixSolver.__init__) {before:.3f} → {now:.3f} "
              f"CPU s, ratio {now / before:.2f}; HiGHS's arrays the same: "
              f"{same_arrays(model)}")
        for k, label in enumerate(("Pyomo build_model", "compile (linear_form)",
                                   "arrays for HiGHS")):
            b = np.mean([p[k] for p in part["before"]])
            n = np.mean([p[k] for p in part["now"]])
            print(f"  {label:<24} {b:.3f} → {n:.3f}  ratio {n / b:.2f}")
    print(f"\nthe three builds: {total['before']:.3f} → {total['now']:.3f} CPU s, ratio "
          f"{total['now'] / total['before']:.2f}; load average {load0:.1f} → "
          f"{os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
