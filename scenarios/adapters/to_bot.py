"""Turn a scenario's ``bot:`` section into typed bot inputs (planning.bot.BotSpec), and
apply the bot to the agents' demand before requirements (one call site per path)."""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from planning.bot import BotSpec, agents_demand
from scenarios.schema import Scenario


def _event_mask(scenario: Scenario, channel: str) -> np.ndarray:
    """True in the intervals inside a promotion event that touches ``channel``."""
    starts = scenario.horizon.interval_starts()
    wins = [(ev.start, ev.start + timedelta(minutes=ev.ramp_minutes + ev.peak_minutes
                                            + ev.decay_minutes))
            for ev in scenario.events if ev.channels is None or channel in ev.channels]
    return np.array([any(a <= s < b for a, b in wins) for s in starts], dtype=bool)


def bot_specs(scenario: Scenario) -> dict[str, BotSpec]:
    """One BotSpec per channel with a bot that some contacts enter (entry_share > 0)."""
    out: dict[str, BotSpec] = {}
    for ch, b in scenario.bot.items():
        if b.entry_share <= 0:
            continue
        if b.reasons is None:
            reasons, weights = ("all",), (1.0,)
        else:
            reasons, weights = tuple(b.reasons), tuple(float(w) for w in b.reasons.values())
        cont = (tuple(float(b.containment[r]) for r in reasons)
                if isinstance(b.containment, dict) else (float(b.containment),) * len(reasons))
        factor = None
        if b.peak_containment_factor != 1.0:
            factor = np.where(_event_mask(scenario, ch), b.peak_containment_factor, 1.0)
        out[ch] = BotSpec(
            entry_share=b.entry_share, reasons=reasons, weights=weights, containment=cont,
            abandon=b.abandon, return_p=b.return_.probability,
            return_dist=b.return_.delay.dist, return_mean_s=b.return_.delay.mean_s,
            handoff_aht_factor=b.handoff_aht_factor, bot_time_s=b.bot_time_s,
            customer_requested=b.customer_requested,
            contained_conversion=b.contained_conversion, containment_factor=factor,
            degraded_p=b.degraded.probability if b.degraded else 0.0,
            degraded_factor=b.degraded.containment_factor if b.degraded else 1.0)
    return out


def agents_rates(scenario: Scenario, rates: dict[str, np.ndarray],
                 aht: dict[str, np.ndarray]
                 ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """(rates, seconds per contact) of the contacts that reach the agents: channels with
    a bot are transformed (planning.bot), the others returned as they are."""
    specs = bot_specs(scenario)
    if not specs:
        return rates, aht
    rates, aht = dict(rates), dict(aht)
    for ch, spec in specs.items():
        if ch in rates:
            acw = scenario.channels[ch].after_contact_work_s
            rates[ch], aht[ch] = agents_demand(rates[ch], aht[ch], acw, spec)
    return rates, aht
