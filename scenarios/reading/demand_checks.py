"""Cross-checks of the demand sections: profile names, channel names, lengths, dates."""

from __future__ import annotations

from typing import Any

from scenarios.reading.errors import Problem
from scenarios.reading.profile_library import profile_tables
from scenarios.reading.yamlio import did_you_mean, position
from scenarios.schema import Drivers, Scenario


def _driven_channels(scenario: Scenario) -> set[str]:
    """Channels that receive driver contacts (so they need no base demand of their own)."""
    drv = scenario.drivers
    if drv is None:
        return set()
    out: set[str] = set()
    coefs = [drv.contacts_per_order, drv.contacts_per_late_order]
    if drv.after_sales is not None:
        coefs.append(drv.after_sales.contacts_per_order)
    for c in coefs:
        if isinstance(c, dict):
            out |= {k for k, v in c.items() if v > 0}
        elif c > 0:
            out |= set(drv.channel_split or ({} if len(scenario.channels) > 1
                                             else scenario.channels))
    return out


def demand_checks(scenario: Scenario, root: Any, file: str) -> list[Problem]:
    """Problems in demand / profiles / drivers / events that a field-level schema cannot see."""
    problems: list[Problem] = []
    chans = sorted(scenario.channels)
    weekly, intraday = profile_tables(scenario.profiles)
    cal_days = _calendar_dates(scenario)

    def at(loc: tuple[Any, ...], msg: str, key: bool = False) -> None:
        line, col = position(root, loc, key=key)
        problems.append(Problem(file, line, col, ".".join(map(str, loc)), msg))

    def profile(loc: tuple[Any, ...], spec: Any, table: dict[str, list[float]], kind: str) -> None:
        if isinstance(spec, str) and spec not in table:
            at(loc, f"unknown {kind} profile '{spec}'{did_you_mean(spec, sorted(table))}; "
                    f"known: {', '.join(sorted(table))}")
        elif isinstance(spec, list) and kind == "intraday":
            if 1440 % len(spec) != 0:
                at(loc, f"has {len(spec)} weights; an intraday profile needs a number of slots "
                        "that divides 1440 minutes (24, 48, 96...)")
            elif sum(spec) <= 0:
                at(loc, "all weights are zero")
        elif isinstance(spec, list) and sum(spec) <= 0:
            at(loc, "all weights are zero")

    def by_date(loc: tuple[Any, ...], mapping: dict[Any, Any]) -> None:
        for d, spec in mapping.items():
            key = str(d)
            if d not in cal_days:
                at(loc + (key,), f"date {key} is outside the horizon "
                                 f"({cal_days[0]} .. {cal_days[-1]})", key=True)
            profile(loc + (key,), spec, intraday, "intraday")

    for ch, dem in scenario.demand.items():
        if dem.weekly is not None:
            profile(("demand", ch, "weekly"), dem.weekly, weekly, "weekly")
        if dem.intraday is not None:
            profile(("demand", ch, "intraday"), dem.intraday, intraday, "intraday")
        by_date(("demand", ch, "intraday_by_date"), dem.intraday_by_date)
    if scenario.drivers is not None:
        _driver_checks(scenario.drivers, scenario, at, profile, by_date, len(cal_days))
    for i, ev in enumerate(scenario.events):
        for j, ch in enumerate(ev.channels or []):
            if ch not in scenario.channels:
                at(("events", i, "channels", j),
                   f"unknown channel '{ch}'{did_you_mean(ch, chans)}; channels are: "
                   f"{', '.join(chans)}")
        if isinstance(ev.aht_factor, dict):
            for ch, v in ev.aht_factor.items():
                if ch not in scenario.channels:
                    at(("events", i, "aht_factor", ch),
                       f"unknown channel '{ch}'{did_you_mean(ch, chans)}", key=True)
                elif v <= 0:
                    at(("events", i, "aht_factor", ch), "must be > 0")
        if ev.applies_to == "orders" and scenario.drivers is None:
            at(("events", i, "applies_to"), "an orders event needs a 'drivers' section with "
                                            "orders")
        if ev.applies_to == "orders" and ev.channels is not None:
            at(("events", i, "channels"), "'channels' applies only to contacts events")
    return problems


def _calendar_dates(scenario: Scenario) -> list[Any]:
    starts = scenario.horizon.interval_starts()
    first, last = starts[0].date(), starts[-1].date()
    return [first.fromordinal(d) for d in range(first.toordinal(), last.toordinal() + 1)]


def _driver_checks(drv: Drivers, scenario: Scenario, at, profile, by_date,
                   n_days: int) -> None:
    chans = sorted(scenario.channels)
    weekly, intraday = profile_tables(scenario.profiles)
    o = drv.orders
    base = ("drivers", "orders")
    if isinstance(o.per_day, list) and len(o.per_day) != n_days:
        at(base + ("per_day",), f"has {len(o.per_day)} values; the horizon has {n_days} days")
    if o.per_interval is not None and len(o.per_interval) != scenario.horizon.n_intervals:
        at(base + ("per_interval",), f"has {len(o.per_interval)} values; the horizon has "
                                     f"{scenario.horizon.n_intervals} intervals")
    if o.weekly is not None:
        profile(base + ("weekly",), o.weekly, weekly, "weekly")
    if o.intraday is not None:
        profile(base + ("intraday",), o.intraday, intraday, "intraday")
    by_date(base + ("intraday_by_date",), o.intraday_by_date)
    coefs: list[tuple[tuple[Any, ...], Any]] = [
        (("drivers", "contacts_per_order"), drv.contacts_per_order),
        (("drivers", "contacts_per_late_order"), drv.contacts_per_late_order)]
    if drv.after_sales is not None:
        coefs.append((("drivers", "after_sales", "contacts_per_order"),
                      drv.after_sales.contacts_per_order))
    for loc, c in coefs:
        if isinstance(c, dict):
            for ch in c:
                if ch not in scenario.channels:
                    at(loc + (ch,), f"unknown channel '{ch}'{did_you_mean(ch, chans)}; "
                                    f"channels are: {', '.join(chans)}", key=True)
        elif c > 0 and drv.channel_split is None and len(chans) > 1:
            at(loc, "a total for several channels needs 'drivers.channel_split' (or give one "
                    "value per channel)")
    for ch in drv.channel_split or {}:
        if ch not in scenario.channels:
            at(("drivers", "channel_split", ch),
               f"unknown channel '{ch}'{did_you_mean(ch, chans)}; channels are: "
               f"{', '.join(chans)}", key=True)
