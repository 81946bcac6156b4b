"""Routing strategies: which agents may take a contact, and after how long a wait.

A router turns pools into *tiers* per channel: (pool names, delay_s). Tier t's agents may
answer a contact once it has waited ``delay_s``. Within the allowed tiers the kernel picks
the longest-idle agent (for chat: the least busy, then longest at that level — Legros &
Jouini 2019, Enqvist & Svensson 2019). Contacts are served FCFS per channel; an agent
free for several channels takes the head of the channel first in the routing priority
(``SimModel.priority``; scenarios default to voice before chat), or with no priority the
contact that has waited longest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Tier:
    pools: tuple[str, ...]
    delay_s: float


class Router(Protocol):
    def tiers(self, channel: str, pools: tuple[str, ...]) -> tuple[Tier, ...]:
        """Tiers of the pools able to serve ``channel``, in increasing delay."""
        ...


@dataclass(frozen=True)
class Pooled:
    """One FCFS queue per channel served by every skilled agent, longest idle first."""

    def tiers(self, channel: str, pools: tuple[str, ...]) -> tuple[Tier, ...]:
        return (Tier(pools, 0.0),)


@dataclass(frozen=True)
class InHouseFirst:
    """In-house agents first; other pools only after ``overflow_after_s`` of waiting."""

    overflow_after_s: float = 30.0
    first: str = "in_house"

    def tiers(self, channel: str, pools: tuple[str, ...]) -> tuple[Tier, ...]:
        own = tuple(p for p in pools if p == self.first)
        rest = tuple(p for p in pools if p != self.first)
        if not own or not rest:
            return (Tier(pools, 0.0),)
        return (Tier(own, 0.0), Tier(rest, self.overflow_after_s))
