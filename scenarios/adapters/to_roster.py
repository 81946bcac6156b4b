"""The in-house roster of a mix plan: the scenario's people, rules and wishes turned into
planning.roster's inputs, the assignment solved, and each person's duty for the simulator.

One roster per plan: the plan check, the simulation and the report all use the roster
made here (cached per plan), so the people simulated are the people rostered.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

import numpy as np

from planning.mix import MixPlan
from planning.roster import RosterResult, assign
from planning.roster.assign import STALL_S
from planning.roster.from_plan import employee_ids, roster_inputs
from planning.roster.inputs import RosterInputs
from scenarios.schema import Scenario
from sim.model import Duty

CACHE_SIZE = 4
_cache: OrderedDict[str, PeopleRoster] = OrderedDict()


@dataclass(frozen=True)
class PeopleRoster:
    """Inputs and result of the assignment for one plan."""

    inputs: RosterInputs
    result: RosterResult

    def duty(self, interval_s: float) -> Duty:
        """Each person's on-queue spans (a shift split at its break) as flat arrays."""
        person, on, off = [], [], []
        for p, mine in enumerate(self.result.schedules):
            for k in mine:
                cover = self.inputs.shifts[k].cover
                run = [cover[0]] if cover else []
                for t in cover[1:] + (None,):
                    if t is not None and t == run[-1] + 1:
                        run.append(t)
                        continue
                    person.append(p)
                    on.append(run[0] * interval_s)
                    off.append((run[-1] + 1) * interval_s)
                    run = [t] if t is not None else []
        return Duty(tuple(q.employee_id for q in self.inputs.people),
                    np.array(person, dtype=np.int64), np.array(on, float), np.array(off, float))

    def hours_on_duty(self) -> np.ndarray:
        """Hours on the queue per person (their shifts less breaks, inside the horizon)."""
        h = self.inputs.hours(1.0)
        return np.array([h * sum(len(self.inputs.shifts[k].cover) for k in mine)
                         for mine in self.result.schedules], float)


def _day_index(sc: Scenario, d: date) -> int:
    return (d - sc.horizon.start.date()).days


def people_roster(sc: Scenario, plan: MixPlan, time_limit_s: float = STALL_S
                  ) -> PeopleRoster:
    """The roster of ``plan``'s in-house shifts (cached: the same plan gives the same
    roster without solving again)."""
    from scenarios.adapters.to_mix import _pattern, roster_rules

    emp = sc.pools["in_house"].employment
    key = f"{emp.model_dump_json()}|{sc.horizon.model_dump_json()}|" \
          f"{sc.planning.decided_days_before}|{plan.shifts}|{plan.hires}"
    if key in _cache:
        _cache.move_to_end(key)
        return _cache[key]
    inp = _mix_view(sc, emp, _pattern, roster_rules)
    ids = employee_ids(emp.headcount + plan.hires)
    names = {s.name: j for j, s in enumerate(emp.shifts)}
    unavailable = {pid: frozenset(_day_index(sc, d) for d in spec.unavailable)
                   for pid, spec in emp.people.items() if pid in ids}
    avoid = {pid: frozenset(names[n] for n in spec.avoid_shifts if n in names)
             for pid, spec in emp.people.items() if pid in ids}
    t0 = sc.horizon.start
    clock0 = (t0.hour * 60 + t0.minute) // sc.horizon.interval_minutes
    rin = roster_inputs(inp, plan, unavailable, avoid, clock0)
    out = PeopleRoster(rin, assign(rin, time_limit_s=time_limit_s))
    _cache[key] = out
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return out


def _mix_view(sc: Scenario, emp, pattern, rules):  # noqa: ANN001, ANN202
    """The parts of the mix inputs the roster needs (patterns, headcount, hire day)."""
    from planning.mix_inputs import DemandCase, InHouse, MixInputs

    h = sc.horizon
    per_day = 24 * 60 // h.interval_minutes
    ahead = sc.planning.decided_days_before
    hires_from = int(np.ceil(max(0.0, emp.hire_lead_days - ahead) * per_day - 1e-9))
    ih = InHouse(headcount=emp.headcount, cost_per_paid_hour=emp.cost_per_paid_hour,
                 patterns=tuple(pattern(s, sc) for s in emp.shifts), max_hires=emp.max_hires,
                 hires_from=hires_from, max_days_per_week=emp.max_days_per_week,
                 paid_hours_per_week=emp.paid_hours_per_week if emp.pay == "salaried" else None,
                 rules=rules(emp))
    case = DemandCase("none", 1.0, np.zeros(h.n_intervals))
    return MixInputs(h.interval_minutes, h.n_intervals, (case,), in_house=ih)
