"""One pooled requirement for agents who serve several channels (blended voice + chat).

Summing the channels' requirements counts the safety staffing of every channel as if no
agent could help another channel. Blended agents share it: an agent idle for lack of
calls takes a chat, and the reverse. The pooled requirement per interval is

    N = min( Σ_c R_c ,  max over c of [ R_c + Σ_{d ≠ c} B_d ] + Σ_{chat d} (K*_d − 1) ),

R_c the channel's own requirement (agents, fractional), B_d the agents the other channels
keep busy on average (λ_d·(1 − P_ab,d)·hold_d / K*_d, K*_d sessions per agent for chat).
Each channel sees, on average, N − Σ B_d agents free of other work, at least its own
requirement: the blend saves the smaller channels' safety staffing, never the largest
one's (the partitioned-capacity view of blending; Bhulai & Koole 2003 find the optimal
blend keeps a threshold of idle agents for the priority channel and gives the rest to the
other). A chat agent is held until its last session ends, so the chats spread over more
agents than sessions / K*: up to K* − 1 open slots per chat channel are added for that
(measured: 2–3 agents at 30–110 chat agents, K* = 3). Under voice-first routing the
simulator keeps ⌈1.5·√(agents on calls)⌉ free blended agents for voice (sim/kernel.py);
at this N both channels meet their targets within simulation noise
(tests/planning/test_requirements_sim.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planning.channel import ChannelStaffing
from planning.requirements import Requirement


@dataclass(frozen=True)
class BlendedRequirement:
    """Pooled requirement of one group of channels served by the same agents."""

    channels: tuple[str, ...]
    agents: np.ndarray  # int: whole agents
    fractional: np.ndarray
    scheduled: np.ndarray  # int, after shrinkage
    scheduled_fractional: np.ndarray
    binding_channel: np.ndarray  # str: the channel whose own requirement sets N
    busy: dict[str, np.ndarray]  # agents kept busy by each channel (B_c)


def busy_agents(req: Requirement, spec: ChannelStaffing, aht_s: np.ndarray | float
                ) -> np.ndarray:
    """B_c: agents a channel keeps busy at its requirement (answered load ÷ sessions)."""
    rate = req.staffed_rate if req.staffed_rate is not None else req.load.total
    hold = np.asarray(aht_s, dtype=np.float64) * spec.session_factor
    answered = rate / 3600.0 * hold * (1.0 - np.nan_to_num(req.metrics.p_abandon))
    return answered / req.sessions_per_agent


def blend(reqs: dict[str, Requirement], specs: dict[str, ChannelStaffing],
          aht_s: dict[str, np.ndarray | float], shrinkage: float) -> BlendedRequirement:
    """The pooled requirement of the channels in ``reqs`` (all served by one team)."""
    names = tuple(reqs)
    busy = {c: busy_agents(reqs[c], specs[c], aht_s[c]) for c in names}
    total_busy = np.sum([busy[c] for c in names], axis=0)
    need = np.vstack([reqs[c].fractional + total_busy - busy[c] for c in names])
    k = np.argmax(need, axis=0)
    frac = need[k, np.arange(need.shape[1])]
    total = np.sum([reqs[c].fractional for c in names], axis=0)
    if len(names) > 1:  # partly filled chat agents (module docstring)
        frac = frac + sum(reqs[c].sessions_per_agent - 1.0 for c in names)
    frac = np.where(total > 0, np.minimum(frac, total), 0.0)
    agents = np.ceil(frac - 1e-9).astype(np.int64)
    return BlendedRequirement(
        channels=names, agents=agents, fractional=frac,
        scheduled=np.ceil(agents / (1.0 - shrinkage) - 1e-9).astype(np.int64),
        scheduled_fractional=frac / (1.0 - shrinkage),
        binding_channel=np.asarray(names, dtype=object)[k], busy=busy)


def skill_groups(channels: tuple[str, ...], skills: list[tuple[str, ...]]
                 ) -> list[tuple[str, ...]]:
    """Channels linked by a pool serving both (connected components), in channel order;
    with no pool every channel is its own group... unless ``skills`` is empty, when the
    agents are taken to serve every channel (the simulator's default skills)."""
    if not skills:
        return [channels] if channels else []
    parent = {c: c for c in channels}

    def root(c: str) -> str:
        while parent[c] != c:
            c = parent[c]
        return c

    for sk in skills:
        own = [c for c in sk if c in parent]
        for c in own[1:]:
            parent[root(c)] = root(own[0])
    groups: dict[str, list[str]] = {}
    for c in channels:
        groups.setdefault(root(c), []).append(c)
    return [tuple(g) for g in groups.values()]
