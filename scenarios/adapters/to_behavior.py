"""The scenario's ``behavior:`` section as the behaviour model's typed inputs (pure).

Skill distributions per pool: the scenario's ``behavior.skills.<pool>`` values, else the
pool's simulator settings where both models have the quantity (``quality.fcr`` →
``fcr_mean``, ``speed_cv``, ``levers.outbound_effort`` → ``outbound_natural``), else
``DEFAULT_POOL_SKILLS`` (docs/behavior.md). The pool's ready share (``levers.availability``
and shrinkage) is carried by ``sim.compare.team_agents``. Parameter
overrides replace ``BehaviorParams`` fields; the outcome effects are shared with the
simulator's ``LeverEffects`` so that surrogate and simulation agree.
"""

from __future__ import annotations

from dataclasses import replace

from scenarios.schema import POOL_DEFAULTS, Pool, Scenario
from sim.behavior.params import DEFAULT_POOL_SKILLS, BehaviorParams, SkillDistribution


def behavior_params(scenario: Scenario) -> BehaviorParams:
    """BehaviorParams with the scenario's overrides (bounds as tuples)."""
    given = scenario.behavior.params.model_dump(exclude_none=True)
    kw = {k: tuple(v) if isinstance(v, list) else v for k, v in given.items()}
    p = replace(BehaviorParams(), **kw)
    if scenario.outbound.connect_rate > 0:
        # the simulator's ready_time outbound: a pace-1 agent makes calls_per_hour attempts
        # per hour of outbound work (sim.model.OutboundModel.talk_s)
        c, cph = scenario.outbound.connect_rate, scenario.outbound.calls_per_hour
        if cph > 0:
            talk = max(3600.0 / cph - (1.0 - c) * p.dial_s, 0.0) / c
            p = replace(p, outbound_talk_s=talk)
    return p


def skill_distribution(scenario: Scenario, pool: str) -> SkillDistribution:
    """One pool's skill distribution (scenario → pool settings → defaults)."""
    d = DEFAULT_POOL_SKILLS.get(pool, SkillDistribution())
    sim_pool = scenario.pools.get(pool) or Pool()
    kw: dict[str, float] = {}
    if sim_pool.quality.fcr is not None:
        kw["fcr_mean"] = sim_pool.quality.fcr
    elif pool not in DEFAULT_POOL_SKILLS and pool in POOL_DEFAULTS:
        kw["fcr_mean"] = POOL_DEFAULTS[pool]["fcr"]
    if sim_pool.speed_cv > 0:
        kw["speed_cv"] = sim_pool.speed_cv
    # the same team as the simulation: its outbound habit is the pool's lever
    kw["outbound_natural"] = sim_pool.levers.outbound_effort
    spec = scenario.behavior.skills.get(pool)
    if spec is not None:
        kw.update(spec.model_dump(exclude_none=True))
    return replace(d, **kw)
