"""Regenerate scenarios/examples/double11_actuals.csv: the flagship's 11 Nov as it might
happen, for ``peakdesk intraday`` (README, docs/intraday.md).

One fixed-seed simulation of the flagship (scenarios/examples/double11.yaml) on 11 Nov,
00:00 to 24:00, in one of its large demand scenarios (s17 of 20: the peak multiplier's
upper quantiles), staffed as that scenario requires (in-house agents = its requirement
per interval, rounded up; the shrinkage applied by the simulator as in the plan's check) —
the counts of contacts are what the re-forecast reads; answered and abandoned follow that
staffing. ``offered`` counts every attempt (redials and repeat contacts included, as an ACD
reports them). ``agents_present`` is left empty (no absence recorded).

Run: python benchmarks/make_double11_actuals.py
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).parents[1]
SCENARIO = ROOT / "scenarios" / "examples" / "double11.yaml"
OUT = ROOT / "scenarios" / "examples" / "double11_actuals.csv"
DAY = "2026-11-11"
DEMAND_SCENARIO = "s17"
SEED = 1111


def main() -> None:
    from scenarios.adapters.plan_check import check_scenario
    from scenarios.adapters.to_demand import demand_scenarios, handle_time_factors
    from scenarios.adapters.to_mix import demand_cases, requirement_cases
    from scenarios.adapters.to_sim import sim_model
    from scenarios.reading.load import load_scenario
    from scenarios.writing.output import write_csv
    from sim.runner import Demand, simulate

    sc = check_scenario(load_scenario(SCENARIO))
    starts = sc.horizon.interval_starts()
    first = next(i for i, s in enumerate(starts) if s.date().isoformat() == DAY)
    n = 1440 // sc.horizon.interval_minutes
    win = slice(first, first + n)
    case = next(d for d in demand_scenarios(sc) if d.name == DEMAND_SCENARIO)
    rates = [r for r in demand_cases(sc) if r[0] == DEMAND_SCENARIO]
    need = requirement_cases(sc, rates)[0].requirement
    staffing = {"in_house": np.ceil(need[win] - 1e-9).astype(np.int64)}
    model = replace(sim_model(sc, {k: np.zeros(sc.horizon.n_intervals, np.int64)
                                   for k in staffing}), n_intervals=n, warmup_s=0.0)
    from planning.intraday.replay import with_staffing

    demand = Demand({ch: np.asarray(r)[win] for ch, r in case.rates.items()},
                    handle_time_factor={ch: np.asarray(v)[win]
                                        for ch, v in handle_time_factors(sc).items()})
    out = simulate(with_staffing(model, staffing), demand, SEED, 0)
    rows = []
    for i in range(n):
        for ch, m in out.intervals.items():
            rows.append([starts[first + i].isoformat(timespec="minutes"), ch,
                         int(m["offered"][i]), int(m["answered"][i]), int(m["abandoned"][i]),
                         None])
    write_csv(OUT, ["interval_start", "channel", "offered", "answered", "abandoned",
                    "agents_present"], rows)
    print(f"wrote {OUT} ({len(rows)} rows, demand scenario {DEMAND_SCENARIO} "
          f"×{case.multiplier:.3f}, seed {SEED})")


if __name__ == "__main__":
    main()
