"""Read a scenario and policy files into the inputs of :func:`sim.compare.compare`.

The only file-reading part of `peakdesk compare` (and of the `peakdesk run` policies
stage): scenario + staffing (+ plan), demand scenarios, the behaviour section, policies
(NAME = the file's ``policy`` key; names must be unique and not ``baseline``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

from scenarios.reading.errors import InputError, Problem
from scenarios.schema import Scenario


@dataclass(frozen=True)
class CompareInputs:
    scenario: Scenario
    model: object            # sim.model.SimModel, or one per replication
    demand: object           # sim.runner.Demand or one per replication
    agents: object           # sim.behavior.Agents
    policies: tuple          # sim.compare.PolicyEntry, ...
    settings: object         # sim.compare.CompareSettings


def policy_entry(policy, path: str | Path):
    """A rules-engine policy as a comparison entry (pay via ``RulesPay``)."""
    from sim.behavior.rules_pay import RulesPay as _RulesPay
    from sim.compare import PolicyEntry

    base = policy.base_pay
    base_pay = float(base) if isinstance(base, int | float) else float(base.regular)
    bottom = None
    if policy.ranking is not None:
        shares = [b.share for b in policy.ranking.bands if b.side == "bottom"]
        bottom = float(max(shares)) if shares else 0.1
    return PolicyEntry(policy.policy, _RulesPay(policy), policy.period, base_pay,
                       None if policy.applies_to is None else tuple(policy.applies_to), bottom)


def compare_inputs(scenario_path: str | Path, policy_paths: Sequence[str | Path] | None = None,
                   *,
                   plan: str | Path | None = None, replications: int | None = None,
                   workers: int | None = None, baseline: bool = True,
                   seed: int | None = None, scenario: Scenario | None = None
                   ) -> CompareInputs:
    """Load and wire everything `compare` needs (raises InputError, every problem located).

    ``policy_paths`` None or empty: the scenario's own ``policies:`` (relative to it).
    ``scenario``: the file at ``scenario_path`` already read and validated (`peakdesk
    run`'s, not read again: ~1 CPU s of YAML on the flagship)."""
    from rules.compiled import compile_policy
    from scenarios.adapters.to_behavior import behavior_params, skill_distribution
    from scenarios.adapters.to_demand import demand_scenarios
    from scenarios.adapters.to_sim import sim_model
    from scenarios.reading.load import load_scenario, policy_path
    from scenarios.reading.plan import staffing
    from scenarios.reading.policy_file import load_policy
    from sim.behavior import KPI_NAMES
    from sim.compare import BASELINE, CompareSettings, team_agents
    from sim.runner import Demand, sample_demands

    sc = load_scenario(scenario_path) if scenario is None else scenario
    if not policy_paths:
        policy_paths = [policy_path(scenario_path, rel) for rel in sc.policies]
    if not policy_paths:
        raise InputError([Problem(str(scenario_path), None, None, "policies",
                                  "no policy to compare: give --policy FILE or list "
                                  "policy files under the scenario's 'policies:'")])
    problems: list[Problem] = []
    entries = []
    seen: dict[str, str] = {}
    for path in policy_paths:
        try:
            pol = load_policy(path)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        if pol.policy == BASELINE:
            problems.append(Problem(str(path), None, None, "policy",
                                    f"'{BASELINE}' is reserved for the flat-pay baseline"))
        elif pol.policy in seen:
            problems.append(Problem(str(path), None, None, "policy",
                                    f"policy name '{pol.policy}' is also used by {seen[pol.policy]}"))
        seen[pol.policy] = str(path)
        missing = sorted(set(compile_policy(pol, ()).needed) - set(KPI_NAMES) - {"pool", "agent_id"})
        if missing:
            problems.append(Problem(str(path), None, None, "policy",
                                    f"uses {', '.join(missing)}, which the behaviour model "
                                    f"does not predict (it predicts: {', '.join(KPI_NAMES)})"))
            continue
        entries.append(policy_entry(pol, path))
    if problems:
        raise InputError(problems)
    model = sim_model(sc, staffing(sc, scenario_path, plan))
    staffed = [p.name for p in model.pools if int(p.staffing.max(initial=0)) > 0]
    for entry, path in zip(entries, policy_paths, strict=True):
        if entry.applies_to is not None and not set(entry.applies_to) & set(staffed):
            problems.append(Problem(str(path), None, None, "applies_to",
                                    f"pays {', '.join(entry.applies_to)}, but the scenario "
                                    f"staffs only {', '.join(staffed) or 'no pool'}"))
    if problems:
        raise InputError(problems)
    beh = sc.behavior
    params = behavior_params(sc)
    reps = replications or sc.simulation.replications
    sim_seed = sc.simulation.seed if seed is None else seed
    options = [(Demand(d.rates, handle_time_factor=d.handle_time_factor, name=d.name,
                       scenario_multiplier=d.multiplier), d.probability)
               for d in demand_scenarios(sc)]
    demand = options[0][0] if len(options) == 1 else sample_demands(options, reps, sim_seed)
    skills = {p.name: skill_distribution(sc, p.name) for p in model.pools}
    skills_seed = beh.seed if beh.seed is not None else sim_seed
    agents = team_agents(model, skills, skills_seed, params)
    first_period = entries[0].period if entries else "month"
    settings = CompareSettings(
        replications=reps, seed=sim_seed, skills_seed=skills_seed,
        workers=workers or 1, sim_rounds=beh.sim_rounds,
        loop_replications=min(beh.loop_replications, reps), noise_draws=beh.noise_draws,
        period_hours=dict(beh.period_hours),
        baseline_pay=beh.baseline_pay, baseline_period=first_period,
        include_baseline=baseline, sourcing_per_hour=dict(beh.sourcing_per_hour),
        params=params)
    return CompareInputs(sc, model, demand, agents, tuple(entries), settings)


def run_compare(inputs: CompareInputs, executor: Executor | None = None,
                progress: Callable[[str], None] | None = None):
    """``sim.compare.compare`` on loaded inputs; returns a ``sim.compare.Comparison``."""
    from sim.compare import compare

    return compare(inputs.model, inputs.demand, inputs.agents, inputs.policies,
                   inputs.settings, executor=executor, progress=progress)


def default_workers(replications: int) -> int:
    return max(1, min(os.cpu_count() or 1, replications))
