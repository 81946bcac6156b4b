"""Which channels share agents in a scenario, and their pooled requirement (planning.blend).

Channels are blended when a pool serves both (pools without ``skills`` serve every
channel; with no pool listed, agents are taken to serve every channel). Under
``routing.priority: oldest_first`` the simulator has no threshold for the priority channel,
so the pooled requirement is the plain sum there.
"""

from __future__ import annotations

import numpy as np

from planning.blend import BlendedRequirement, blend, skill_groups
from planning.channel import ChannelStaffing
from planning.requirements import Requirement
from scenarios.schema import Scenario


def channel_groups(scenario: Scenario, channels: tuple[str, ...]) -> list[tuple[str, ...]]:
    skills = [tuple(p.skills or channels) for p in scenario.pools.values()]
    return skill_groups(channels, skills)


def blended(scenario: Scenario, specs: dict[str, ChannelStaffing],
            reqs: dict[str, Requirement], aht: dict[str, np.ndarray]
            ) -> list[BlendedRequirement]:
    """One pooled requirement per group of channels served by the same agents (groups of
    one channel keep their own requirement)."""
    out = []
    pooled = scenario.routing.priority != "oldest_first"
    for g in channel_groups(scenario, tuple(specs)):
        if len(g) > 1 and pooled:
            out.append(blend({c: reqs[c] for c in g}, {c: specs[c] for c in g},
                             {c: aht[c] for c in g}, scenario.staffing.shrinkage))
        else:
            frac = np.sum([reqs[c].fractional for c in g], axis=0)
            agents = np.sum([reqs[c].agents for c in g], axis=0)
            out.append(BlendedRequirement(
                g, agents, frac, np.sum([reqs[c].scheduled for c in g], axis=0),
                np.sum([reqs[c].scheduled_fractional for c in g], axis=0),
                np.full(frac.shape, "sum", dtype=object), {}))
    return out
