"""A bot in front of a channel: the contacts that reach the agents, and their handle time.

Of a channel's first attempts λ (per interval), ``entry_share`` e enter the bot; of those
``abandon`` a leave; of the rest a contact of reason r is contained with probability
c_r, else handed off to the agents. A contained contact comes back with probability p as
a new first attempt, which meets the bot again. In steady state (rates constant, delays
short against the interval — the planning approximation; the simulator keeps the delays)
the first attempts including returns are Λ = λ / (1 − e(1 − a)c̄p), c̄ = Σ_r w_r c_r, and

    skip      = Λ(1 − e)              reach the agents directly
    handed    = Λe(1 − a)(1 − c̄)      reach the agents after the bot
    contained = Λe(1 − a)c̄,  returned = p·contained = Λ − λ,  abandoned = Λea.

The agents' offered contacts are skip + handed; a handed-off contact's handle time is
× ``handoff_aht_factor`` (the residue the bot could not solve is harder; after-contact
work unchanged). Service level, ASA and abandonment start at hand-off: the time in the
bot does not count against the patience of the agents' queue (docs/bot.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.bot_model import BotSpec

__all__ = ["BotFlows", "BotSpec", "agents_demand", "bot_flows"]


@dataclass(frozen=True)
class BotFlows:
    """Expected contacts per interval (same unit as the rates given) of one channel."""

    first_attempts: np.ndarray   # Λ: exogenous plus returns
    skipped: np.ndarray
    entered: np.ndarray
    abandoned: np.ndarray
    contained: np.ndarray
    handed_off: np.ndarray
    returned: np.ndarray

    @property
    def to_agents(self) -> np.ndarray:
        return self.skipped + self.handed_off


def bot_flows(rate: np.ndarray, bot: BotSpec) -> BotFlows:
    """The steady-state flows of a channel's first attempts ``rate`` through the bot."""
    lam = np.asarray(rate, float)
    e, a, p = bot.entry_share, bot.abandon, bot.return_p
    c = bot.containment_by_interval(lam.size)
    big = lam / (1.0 - e * (1.0 - a) * c * p)
    entered = big * e
    contained = entered * (1.0 - a) * c
    return BotFlows(first_attempts=big, skipped=big * (1.0 - e), entered=entered,
                    abandoned=entered * a, contained=contained,
                    handed_off=entered * (1.0 - a) * (1.0 - c), returned=contained * p)


def agents_demand(rate: np.ndarray, aht_s: np.ndarray, acw_s: float, bot: BotSpec
                  ) -> tuple[np.ndarray, np.ndarray]:
    """(contacts per interval that reach the agents, their mean seconds per contact).

    ``aht_s`` is the time an agent is tied up per contact (handle + ``acw_s``) per
    interval; a hand-off holds (aht − acw)·factor + acw. The offered work is
    skip·aht + handed·aht_handoff, exact for the Erlang models, which see only the mean.
    """
    fl = bot_flows(rate, bot)
    aht = np.broadcast_to(np.asarray(aht_s, float), fl.skipped.shape)
    aht_h = (aht - acw_s) * bot.handoff_aht_factor + acw_s
    n = fl.to_agents
    work = fl.skipped * aht + fl.handed_off * aht_h
    mean = np.divide(work, n, out=aht.astype(float).copy(), where=n > 0)
    return n, mean
