"""The bot stage on the arrival side: which first attempts reach the agents, and when.

Runs before the desk, per contact, with its own random stream ("bot", so the other
streams draw exactly what they draw without a bot). For a channel with a bot
(planning.bot.BotSpec): each first attempt enters the bot with probability
``entry_share``; an entering contact gets a contact reason from the mix, leaves the bot
unresolved with probability ``abandon``, else is contained with probability
containment[reason] (× the event factor of its interval), else handed off to the agents
after an exponential time in the bot of mean ``bot_time_s``. A contained contact comes
back with probability ``return_p`` after the return delay (counted from the end of its bot
session, which lasts the same drawn bot time) as a new first attempt of the channel,
which meets the bot again. Contacts that skip the bot reach the agents when they arrive.

The agents' queue sees hand-offs at the hand-off time: service level, ASA and the
customer's patience start there (time in the bot does not count against patience —
docs/bot.md). Hand-offs and returns after the horizon end are counted in the bot's
KPIs but not sent to the agents.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from sim.arrivals import nhpp_times
from sim.bot_model import BotSpec

DAY_S = 86400.0
# outcome of a bot session
CONTAINED, HANDED_OFF, ABANDONED = 0, 1, 2
OUTCOMES = ("contained", "handed_off", "abandoned")


@dataclass
class BotSessions:
    """One row per bot session of one replication (numpy arrays of equal length)."""

    channel: np.ndarray       # channel index
    start_t: np.ndarray       # arrival at the bot
    first: np.ndarray         # bool: an exogenous first attempt (False: a return)
    reason: np.ndarray        # index into the channel's BotSpec.reasons
    outcome: np.ndarray       # CONTAINED, HANDED_OFF, ABANDONED
    end_t: np.ndarray         # end of the session (hand-off time for hand-offs)
    customer_requested: np.ndarray  # bool, hand-offs only (False when no split is given)
    returned: np.ndarray      # bool: contained and back as a new first attempt in horizon
    return_t: np.ndarray      # nan unless returned
    return_delay_s: np.ndarray  # nan unless the customer comes back (in horizon or not)
    ordered: np.ndarray       # bool: a contained pre-sale contact that ordered

    def __len__(self) -> int:
        return len(self.start_t)


@dataclass
class BotRun:
    """The stage's result: the agents' arrivals per channel and the sessions."""

    arrivals: list[np.ndarray]     # per channel, sorted: skips and hand-offs
    handed_off: list[np.ndarray]   # per channel, bool aligned with ``arrivals``
    sessions: BotSessions
    degraded: dict[str, bool] = field(default_factory=dict)  # channel: bot degraded


def _empty_sessions() -> dict[str, list[np.ndarray]]:
    return {k: [] for k in BotSessions.__dataclass_fields__}


def run_bot(bots: dict[str, BotSpec], names: list[str], rates: list[np.ndarray],
            trace: list[np.ndarray] | None, interval_s: float, n_intervals: int,
            arrivals_rng: np.random.Generator, bot_rng: np.random.Generator) -> BotRun:
    """Draw the first attempts (as the desk would: same stream, same order) and pass the
    channels with a bot through it."""
    if trace is None:
        first = [nhpp_times(r, interval_s, arrivals_rng) for r in rates]
    else:
        first = [np.sort(np.asarray(t, float), kind="stable") for t in trace]
    horizon = interval_s * n_intervals
    cols = _empty_sessions()
    out_t, out_h = [], []
    degraded_by: dict[str, bool] = {}
    for k, name in enumerate(names):
        spec = bots.get(name)
        if spec is None:
            out_t.append(first[k])
            out_h.append(np.zeros(len(first[k]), bool))
            continue
        degraded = spec.degraded_p > 0 and bot_rng.random() < spec.degraded_p
        if degraded:  # the "bot degraded" scenario of this replication
            spec = replace(spec, containment=tuple(c * spec.degraded_factor
                                                   for c in spec.containment))
        degraded_by[name] = degraded
        t_agents, h_agents = [], []
        gen, is_first = first[k], True
        while len(gen):
            skip, hand, rows = _pass(spec, k, gen, is_first, interval_s, n_intervals,
                                     horizon, bot_rng)
            t_agents += [skip, hand]
            h_agents += [np.zeros(len(skip), bool), np.ones(len(hand), bool)]
            for c, v in rows.items():
                cols[c].append(v)
            gen = np.sort(rows["return_t"][rows["returned"]])
            is_first = False
        t = np.concatenate(t_agents) if t_agents else np.empty(0)
        h = np.concatenate(h_agents) if h_agents else np.empty(0, bool)
        order = np.argsort(t, kind="stable")
        out_t.append(t[order])
        out_h.append(h[order])
    sess = BotSessions(**{c: (np.concatenate(v) if v else np.empty(0)) for c, v in cols.items()})
    return BotRun(out_t, out_h, sess, degraded_by)


def _pass(spec: BotSpec, k: int, t: np.ndarray, is_first: bool, interval_s: float,
          n_intervals: int, horizon: float, rng: np.random.Generator
          ) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """One generation of first attempts through the bot: (skip times, hand-off times in
    the horizon, session rows). Every draw is a full-length batch in a fixed order."""
    n = len(t)
    u_enter, u_reason, u_abandon, u_contain, u_kind, u_return, u_order = rng.random((7, n))
    bot_s = (rng.exponential(spec.bot_time_s, n) if spec.bot_time_s > 0 else np.zeros(n))
    mean_r = spec.return_mean_s
    delay = (rng.exponential(mean_r, n) if spec.return_dist == "exponential"
             else np.full(n, mean_r))
    enter = u_enter < spec.entry_share
    reason = np.searchsorted(np.cumsum(spec.weights), u_reason, side="right")
    reason = np.minimum(reason, len(spec.weights) - 1)
    iv = np.minimum((t // interval_s).astype(np.int64), n_intervals - 1)
    c = np.asarray(spec.containment, float)[reason] * (
        1.0 if spec.containment_factor is None
        else np.asarray(spec.containment_factor, float)[iv])
    abandon = u_abandon < spec.abandon
    contained = ~abandon & (u_contain < c)
    outcome = np.where(abandon, ABANDONED, np.where(contained, CONTAINED, HANDED_OFF))
    end = t + bot_s
    comes_back = contained & (u_return < spec.return_p)
    ret_t = end + delay
    returned = comes_back & (ret_t < horizon)
    presale = np.array([r == "presale" for r in spec.reasons])[reason]
    e = enter
    rows = {"channel": np.full(int(e.sum()), k), "start_t": t[e],
            "first": np.full(int(e.sum()), is_first), "reason": reason[e],
            "outcome": outcome[e], "end_t": end[e],
            "customer_requested": ((outcome == HANDED_OFF)
                                   & (u_kind < (spec.customer_requested or 0.0)))[e],
            "returned": returned[e], "return_t": np.where(returned, ret_t, np.nan)[e],
            "return_delay_s": np.where(comes_back, delay, np.nan)[e],
            "ordered": (contained & presale & (u_order < spec.contained_conversion))[e]}
    hand = e & (outcome == HANDED_OFF) & (end < horizon)
    return t[~e], end[hand], rows


def scale_handoffs(desk, run: BotRun, factors: list[float]) -> None:
    """Multiply the handle time of the desk's exogenous contacts that are hand-offs by
    their channel's ``handoff_aht_factor``. The desk orders its trace by a stable time
    sort of the channels' arrays (sim.kernel), repeated here to line the flags up."""
    if not run.arrivals:
        return
    t = np.concatenate(run.arrivals)
    order = np.argsort(t, kind="stable")
    fac = np.concatenate([np.where(h, f, 1.0) for h, f in
                          zip(run.handed_off, factors, strict=True)])[order]
    if np.all(fac == 1.0):
        return
    desk.arr_ht = (np.asarray(desk.arr_ht, float) * fac).tolist()


def handoff_flags(run: BotRun) -> np.ndarray:
    """Per exogenous desk contact (desk order): True for a hand-off."""
    if not run.arrivals:
        return np.empty(0, bool)
    order = np.argsort(np.concatenate(run.arrivals), kind="stable")
    return np.concatenate(run.handed_off)[order]


def bot_kpis(bots: dict[str, BotSpec], names: list[str], run: BotRun, records,
             new_kind: int) -> dict[str, dict[str, float]]:
    """Per channel with a bot: the session counts under the monitoring history's column
    names (entered, contained, handed_off, abandoned, returned), the hand-off split, the
    rates, returns within 24 h, pre-sale orders in the bot and the escalated AHT (mean
    talk time of the hand-offs the agents answered)."""
    s = run.sessions
    flags = handoff_flags(run)
    new = records.kind == new_kind
    talk_new = records.talk_s[new]
    chan_new = records.channel[new]
    out: dict[str, dict[str, float]] = {}
    for k, name in enumerate(names):
        if name not in bots:
            continue
        m = s.channel == k
        oc = s.outcome[m]
        entered = float(m.sum())
        contained = float((oc == CONTAINED).sum())
        handed = float((oc == HANDED_OFF).sum())
        req = float(s.customer_requested[m].sum())
        back24 = float((s.return_delay_s[m] <= DAY_S).sum())
        esc = talk_new[(chan_new == k) & flags[:len(talk_new)]]
        esc = esc[~np.isnan(esc)]
        out[name] = {
            "entered": entered, "contained": contained, "handed_off": handed,
            "abandoned": float((oc == ABANDONED).sum()), "returned": float(s.returned[m].sum()),
            "handed_off_customer": req if bots[name].customer_requested is not None
            else float("nan"),
            "handed_off_bot": handed - req if bots[name].customer_requested is not None
            else float("nan"),
            "containment": contained / entered if entered else float("nan"),
            "handoff_rate": handed / entered if entered else float("nan"),
            "bot_abandon_rate": float((oc == ABANDONED).sum()) / entered if entered
            else float("nan"),
            "return_rate_24h": back24 / contained if contained else float("nan"),
            "bot_orders": float(s.ordered[m].sum()),
            "bot_degraded": float(run.degraded.get(name, False)),
            "escalated_aht_s": float(esc.mean()) if len(esc) else float("nan"),
        }
    return out
