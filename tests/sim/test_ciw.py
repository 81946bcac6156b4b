"""Agreement with an independent simulator (Ciw 3) on a time-varying Mt/M/st+M case.

Same case in both: piecewise-constant Poisson arrivals (Ciw ``PoissonIntervals``),
exponential handle time and patience (Ciw reneging), staffing per interval that ramps up
behind the demand peak. Statistics over contacts arriving in the first 3 of 4 hours (no
end effects). The 99% confidence interval of the difference of means (Welch) must
contain 0.

Ciw's shift semantics differ from ours, so the case is chosen where they coincide: Ciw's
``Schedule(preemption=False)`` replaces every server at each shift end and lets the old
ones finish in overtime — capacity grows at every boundary even when the count does not
change (measured: abandonment 0.110 against exact Erlang A 0.165 on a constant-staffing
case). With ``preemption="resume"`` and staffing that never decreases, a preempted
contact resumes its remaining (exponential) service at once, which is our model: the
agent simply continues.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from sim.model import ChannelModel, Duration, PoolModel, Quality, SimModel
from sim.runner import Demand, simulate

ciw = pytest.importorskip("ciw")

RATES_H = [60, 120, 240, 360, 300, 180, 120, 60]      # per hour, 30-min intervals
STAFF = [6, 8, 14, 22, 26, 26, 26, 26]   # never decreases (see above)
AHT_S, PATIENCE_S, WITHIN_S = 300.0, 180.0, 20.0
L_MIN, CUTOFF_MIN = 30.0, 180.0
REPS = 30


def ciw_replication(seed: int) -> tuple[float, float, float]:
    """(abandon_rate, service_level, asa_s) of one Ciw run (time unit: minutes)."""
    ends = [L_MIN * (i + 1) for i in range(len(RATES_H))]
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.PoissonIntervals(
            rates=[r / 60 for r in RATES_H], endpoints=ends, max_sample_date=ends[-1])],
        service_distributions=[ciw.dists.Exponential(rate=60 / AHT_S)],
        number_of_servers=[ciw.Schedule(numbers_of_servers=STAFF, shift_end_dates=ends,
                                        preemption="resume")],
        reneging_time_distributions=[ciw.dists.Exponential(rate=60 / PATIENCE_S)],
    )
    ciw.seed(seed)
    sim = ciw.Simulation(network)
    sim.simulate_until_max_time(ends[-1] + 120)
    recs = [r for r in sim.get_all_records() if r.arrival_date < CUTOFF_MIN]
    # a contact preempted at a shift boundary has an "interrupted service" record and a
    # later "service" record whose waiting time counts from its arrival: its answer time
    # is its first service start
    first_start: dict[int, float] = {}
    arrival: dict[int, float] = {}
    reneged = set()
    for r in recs:
        arrival[r.id_number] = r.arrival_date
        if r.record_type == "renege":
            reneged.add(r.id_number)
        elif r.record_type in ("service", "interrupted service"):
            first_start[r.id_number] = min(first_start.get(r.id_number, np.inf),
                                           r.service_start_date)
    offered = len(first_start) + len(reneged - set(first_start))
    waits = np.array([(first_start[i] - arrival[i]) * 60 for i in first_start])
    return (len(reneged) / offered, float((waits <= WITHIN_S).sum()) / offered,
            float(waits.mean()))


def our_replication(seed: int) -> tuple[float, float, float]:
    ch = ChannelModel("voice", Duration("exponential", AHT_S),
                      patience=Duration("exponential", PATIENCE_S), within_s=WITHIN_S)
    pool = PoolModel("in_house", np.array(STAFF), ("voice",), quality=Quality(fcr=1.0))
    model = SimModel((ch,), (pool,), L_MIN * 60, len(STAFF), drain=False, contact_log=True)
    c = simulate(model, Demand({"voice": np.array(RATES_H, float)}), seed, 0).contacts
    sel = c.arrival_t < CUTOFF_MIN * 60
    answered = sel & (c.agent >= 0)
    wait = c.answer_t[answered] - c.arrival_t[answered]
    offered = sel.sum()
    abandoned = (sel & ~np.isnan(c.abandon_t)).sum()
    assert offered == answered.sum() + abandoned  # nobody still waiting before the cutoff
    return abandoned / offered, float((wait <= WITHIN_S).sum()) / offered, float(wait.mean())


def test_time_varying_case_agrees_with_ciw():
    ours = np.array([our_replication(s) for s in range(REPS)])
    theirs = np.array([ciw_replication(1000 + s) for s in range(REPS)])
    for k, name in enumerate(("abandon_rate", "service_level", "asa_s")):
        a, b = ours[:, k], theirs[:, k]
        va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
        dof = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
        half = stats.t.ppf(0.995, dof) * np.sqrt(va + vb)
        diff = a.mean() - b.mean()
        assert abs(diff) <= half, (f"{name}: ours {a.mean():.4f} vs Ciw {b.mean():.4f}, "
                                   f"difference {diff:.4f} beyond ±{half:.4f}")
        # the comparison has power: the interval is narrow relative to the value
        assert half < 0.25 * max(abs(a.mean()), 1e-9) + 0.01
