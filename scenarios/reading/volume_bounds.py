"""The demand a scenario adds up to must stay within the same sane ranges as its fields.

Each field is bounded by the schema, but products are not: orders × contacts per order ×
stacked event uplifts can reach 1e15 contacts an hour, and stacked ``aht_factor``s can
make a handle time of weeks. Those reach the queueing formulas and the simulator as
absurd numbers (hangs, overflows, petabyte allocations), so the point forecast is checked
once at load against :data:`~scenarios.reading.limits.MAX_RATE_PER_HOUR` and
:data:`~scenarios.reading.limits.MAX_SECONDS`, and the problem is placed at the channel's demand
(or channel) entry, naming the interval where the bound is first crossed.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scenarios.reading.errors import Problem
from scenarios.reading.limits import MAX_RATE_PER_HOUR, MAX_SECONDS
from scenarios.reading.yamlio import position
from scenarios.schema import Scenario


def volume_problems(scenario: Scenario, root: Any, file: str) -> list[Problem]:
    """Channels whose forecast arrival rate or handle time leaves the sane range."""
    from scenarios.adapters.to_demand import arrival_rates, handle_time_factors, interval_aht

    problems: list[Problem] = []
    starts = scenario.horizon.interval_starts()
    rates = arrival_rates(scenario)
    aht = interval_aht(scenario, handle_time_factors(scenario))
    for ch in scenario.channels:
        loc: tuple[Any, ...] = ("demand", ch) if ch in scenario.demand else ("channels", ch)
        bad = np.flatnonzero(~(rates[ch] <= MAX_RATE_PER_HOUR))
        if len(bad):
            i = int(bad[0])
            line, col = position(root, loc, key=True)
            problems.append(Problem(file, line, col, ".".join(loc), (
                f"the demand reaches {rates[ch][i]:.3g} contacts per hour at "
                f"{starts[i]:%Y-%m-%d %H:%M} (drivers and events included); at most "
                f"{MAX_RATE_PER_HOUR:,.0f}: check the orders, contacts per order and the "
                f"events' uplifts")))
        long = np.flatnonzero(~(aht[ch] <= MAX_SECONDS))
        if len(long):
            i = int(long[0])
            line, col = position(root, ("channels", ch), key=True)
            problems.append(Problem(file, line, col, f"channels.{ch}", (
                f"handle time plus wrap-up reaches {aht[ch][i]:.3g} s at "
                f"{starts[i]:%Y-%m-%d %H:%M} (events' aht_factor included); at most "
                f"{MAX_SECONDS:,.0f} s (a day)")))
    return problems
