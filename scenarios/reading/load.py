"""Load a scenario file into a :class:`Scenario`: syntax, schema, then cross-references.

All problems are collected and raised together as one :class:`InputError`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scenarios.capacity.checks import capacity_problems
from scenarios.reading.demand_checks import _driven_channels, demand_checks
from scenarios.reading.errors import InputError, Problem
from scenarios.reading.planning_checks import planning_problems
from scenarios.reading.volume_bounds import volume_problems
from scenarios.reading.yamlio import did_you_mean, position, read_yaml, validate
from scenarios.schema import Scenario


def cross_check(scenario: Scenario, root: Any, file: str, for_staffing: bool = False
                ) -> list[Problem]:
    """Checks that span sections: names that must exist, lists that must fit the horizon;
    with ``for_staffing``, every inbound channel needs a staffing target."""
    problems: list[Problem] = []
    n = scenario.horizon.n_intervals
    names = sorted(scenario.channels)

    def at(loc: tuple[Any, ...], msg: str, key: bool = False) -> None:
        line, col = position(root, loc, key=key)
        problems.append(Problem(file, line, col, ".".join(map(str, loc)), msg))

    for ch, dem in scenario.demand.items():
        if ch not in scenario.channels:
            at(("demand", ch), f"demand for unknown channel '{ch}'{did_you_mean(ch, names)}; "
                               f"channels are: {', '.join(names)}", key=True)
        if dem.rates_per_hour is not None and len(dem.rates_per_hour) != n:
            at(("demand", ch, "rates_per_hour"),
               f"has {len(dem.rates_per_hour)} values; the horizon has {n} intervals")
    problems.extend(demand_checks(scenario, root, file))
    driven = _driven_channels(scenario)
    for ch, dem in scenario.demand.items():
        if ch in scenario.channels and not dem.has_base and ch not in driven:
            at(("demand", ch), "gives no volume: add rate_per_hour, rates_per_hour or "
                               "daily_volume, or driver contacts for this channel")
    for ch in names:
        if (ch not in scenario.demand and ch not in driven
                and scenario.channels[ch].kind != "outbound"):
            at(("channels", ch), f"channel '{ch}' has no demand (add demand.{ch})", key=True)
    for ch_name, ch in scenario.channels.items():
        if ch.kind == "outbound":
            continue
        if for_staffing and not any(v is not None for v in (
                ch.service_level, ch.max_asa_s, ch.max_abandon_rate, ch.max_occupancy)):
            at(("channels", ch_name), "no staffing target: give service_level, max_asa_s, "
                                      "max_abandon_rate or max_occupancy", key=True)
        if scenario.staffing.model == "erlang_a" and ch.patience is None:
            at(("channels", ch_name), "staffing.model is erlang_a but the channel has no "
                                      "patience (give patience, or use auto / erlang_c)",
               key=True)
    for name, pool in scenario.pools.items():
        if isinstance(pool.agents, list) and len(pool.agents) != n:
            at(("pools", name, "agents"),
               f"has {len(pool.agents)} values; the horizon has {n} intervals")
        for k, skill in enumerate(pool.skills or []):
            if skill not in scenario.channels:
                at(("pools", name, "skills", k),
                   f"unknown channel '{skill}'{did_you_mean(skill, names)}; "
                   f"channels are: {', '.join(names)}")
    prio = scenario.routing.priority
    for k, ch in enumerate(prio if isinstance(prio, list) else []):
        if ch not in scenario.channels:
            at(("routing", "priority", k), f"unknown channel '{ch}'{did_you_mean(ch, names)}; "
                                           f"channels are: {', '.join(names)}")
        elif prio.index(ch) != k:
            at(("routing", "priority", k), f"channel '{ch}' is listed twice")
    problems += planning_problems(scenario, root, file)
    problems += capacity_problems(scenario, root, file)
    if not problems:  # the demand can be computed: check what it adds up to
        problems += volume_problems(scenario, root, file)
    return problems


def policy_problems(scenario: Scenario, root: Any, file: str) -> list[Problem]:
    """Each file under ``policies:`` must exist and be a valid policy (its own problems are
    located in the policy file)."""
    from scenarios.reading.policy_file import load_policy

    problems: list[Problem] = []
    for k, rel in enumerate(scenario.policies):
        path = policy_path(file, rel)
        try:
            found = path.is_file()
        except OSError as exc:  # a path the file system refuses (too long, ...)
            line, col = position(root, ("policies", k))
            problems.append(Problem(file, line, col, f"policies.{k}",
                                    f"cannot use this policy path: {exc.strerror or exc}"))
            continue
        if not found:
            line, col = position(root, ("policies", k))
            problems.append(Problem(file, line, col, f"policies.{k}",
                                    f"policy file not found: {rel} (looked for {path})"))
            continue
        try:
            load_policy(path)
        except InputError as exc:
            line, col = position(root, ("policies", k))
            problems.append(Problem(file, line, col, f"policies.{k}",
                                    f"{rel} is not a valid policy (problems below)"))
            problems.extend(exc.problems)
    return problems


def policy_path(scenario_file: str | Path, rel: str) -> Path:
    """A ``policies:`` entry resolved against the scenario file's folder."""
    return Path(scenario_file).parent / rel


def load_scenario(path: str | Path, *, for_staffing: bool = False) -> Scenario:
    """Read, validate and cross-check a scenario file (raises InputError with every problem).

    ``for_staffing``: the caller computes requirements, so targets are required too.
    """
    file = str(path)
    data = read_yaml(path)
    scenario = validate(Scenario, data, file)
    problems = cross_check(scenario, data, file, for_staffing)
    problems += policy_problems(scenario, data, file)
    if problems:
        raise InputError(problems)
    return scenario
