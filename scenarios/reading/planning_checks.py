"""Cross-checks of a scenario's planning terms (pools' employment / contract / on_call /
temp_hire, shift patterns, demand cases), with file positions. Light: no numpy, no Pyomo."""

from __future__ import annotations

from typing import Any

from scenarios.reading.errors import Problem
from scenarios.reading.yamlio import position
from scenarios.schema import Scenario

TERMS = {"in_house": "employment", "outsourced": "contract", "reserve": "on_call",
         "temps": "temp_hire"}


def planning_problems(scenario: Scenario, root: Any, file: str) -> list[Problem]:
    """Cross-checks of the planning terms (run at load, with positions)."""
    problems: list[Problem] = []

    def at(loc: tuple[Any, ...], msg: str, key: bool = False) -> None:
        line, col = position(root, loc, key=key)
        problems.append(Problem(file, line, col, ".".join(map(str, loc)), msg))

    iv = scenario.horizon.interval_minutes
    for name, pool in scenario.pools.items():
        for pool_name, term in TERMS.items():
            if getattr(pool, term) is not None and pool_name != name:
                at(("pools", name, term), f"'{term}' belongs to pool '{pool_name}', not "
                                          f"'{name}' (use '{TERMS[name]}')", key=True)
    emp = scenario.pools.get("in_house").employment if "in_house" in scenario.pools else None
    if emp is not None:
        for i, sh in enumerate(emp.shifts):
            loc = ("pools", "in_house", "employment", "shifts", i)
            if abs(sh.hours * 60 / iv - round(sh.hours * 60 / iv)) > 1e-9:
                at(loc + ("hours",), f"{sh.hours:g} h is not a whole number of "
                                     f"{iv}-minute intervals")
            for j, s in enumerate(sh.starts):
                if (int(s[:2]) * 60 + int(s[3:]) - scenario.horizon.start.minute) % iv:
                    at(loc + ("starts", j), f"start {s} is not on an interval boundary "
                                            f"({iv} minutes)")
            if sh.break_after_hours is not None and sh.break_after_hours >= sh.hours:
                at(loc + ("break_after_hours",), "the break must start inside the shift")
    con = scenario.pools.get("outsourced").contract if "outsourced" in scenario.pools else None
    if con is not None and con.per == "contact" and con.contacts_per_hour is None:
        at(("pools", "outsourced", "contract"), "per: contact needs contacts_per_hour "
                                                "(contacts an agent handles per hour)", key=True)
    dc = scenario.planning.demand_cases
    if dc is not None and scenario.uncertainty is not None:
        at(("planning", "demand_cases"), "give either 'uncertainty' (demand scenarios for "
                                         "planning and simulation) or planning.demand_cases, "
                                         "not both", key=True)
    if dc is not None:
        if dc.probabilities is not None:
            if len(dc.probabilities) != len(dc.multipliers):
                at(("planning", "demand_cases", "probabilities"),
                   f"has {len(dc.probabilities)} values; there are {len(dc.multipliers)} "
                   f"multipliers")
            elif abs(sum(dc.probabilities) - 1.0) > 1e-6:
                at(("planning", "demand_cases", "probabilities"),
                   f"must sum to 1 (they sum to {sum(dc.probabilities):g})")
        for i, w in enumerate(dc.windows):
            if w.end <= w.start:
                at(("planning", "demand_cases", "windows", i, "end"), "must be after start")
    return problems


def plan_ready_problems(scenario: Scenario, root: Any, file: str) -> list[Problem]:
    """What ``peakdesk plan`` additionally needs: at least one pool with planning terms."""
    have = [n for n, p in scenario.pools.items() if getattr(p, TERMS[n]) is not None]
    if have:
        return []
    line, col = position(root, ("pools",), key=True)
    return [Problem(file, line, col, "pools", "no pool has planning terms: give "
                    "pools.in_house.employment, pools.outsourced.contract, "
                    "pools.reserve.on_call or pools.temps.temp_hire")]
