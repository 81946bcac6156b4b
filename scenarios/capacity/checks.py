"""Cross-checks of the ``capacity:`` section against the rest of the scenario, located."""

from __future__ import annotations

from typing import Any

from scenarios.reading.errors import Problem
from scenarios.reading.yamlio import position
from scenarios.schema import Scenario


def capacity_problems(scenario: Scenario, root: Any, file: str) -> list[Problem]:
    """Per-week lists must have ``weeks`` values; a derived requirement needs a staffing
    target on every inbound channel."""
    cap = scenario.capacity
    if cap is None:
        return []
    problems: list[Problem] = []

    def at(loc: tuple[Any, ...], msg: str, key: bool = False) -> None:
        line, col = position(root, loc, key=key)
        problems.append(Problem(file, line, col, ".".join(map(str, loc)), msg))

    if cap.required_hours is not None and len(cap.required_hours) != cap.weeks:
        at(("capacity", "required_hours"), f"has {len(cap.required_hours)} values; "
                                           f"capacity.weeks is {cap.weeks}")
    out = cap.outsourced
    if out is not None and isinstance(out.max_hours_per_week, list) \
            and len(out.max_hours_per_week) != cap.weeks:
        at(("capacity", "outsourced", "max_hours_per_week"),
           f"has {len(out.max_hours_per_week)} values; capacity.weeks is {cap.weeks} (or "
           "give one number for every week)")
    if cap.required_hours is None:
        for name, ch in scenario.channels.items():
            if ch.kind != "outbound" and not any(v is not None for v in (
                    ch.service_level, ch.max_asa_s, ch.max_abandon_rate, ch.max_occupancy)):
                at(("channels", name), "capacity.required_hours is derived from the service "
                                       "targets: give this channel service_level, max_asa_s, "
                                       "max_abandon_rate or max_occupancy (or give "
                                       "capacity.required_hours)", key=True)
    return problems
