"""Frozen reference: sim/kpi.py as it stood before the per-replication cuts (main 523d4fa,
copied verbatim apart from this docstring). tests/sim/test_kpi_fast.py and
benchmarks/bench_replication.py check the current sim.kpi against it: the same numbers
bit for bit. Not used by the package."""

# ruff: noqa
from __future__ import annotations

import numpy as np

from sim.agents import AgentTable
from sim.model import SimModel
from sim.outcomes import Outcomes
from sim.recorder import KIND_REPEAT, KIND_RETRIAL, ContactRecords

from .table_adapter import per_table


def overlap(starts: np.ndarray, ends: np.ndarray, groups: np.ndarray, n_groups: int,
            interval_s: float, n_intervals: int, weights: np.ndarray | None = None
            ) -> np.ndarray:
    """Time each span [start, end) spends in each interval, summed per group (weighted)."""
    out = np.zeros(n_groups * n_intervals)
    horizon = interval_s * n_intervals
    s = np.clip(starts, 0, horizon)
    e = np.clip(ends, 0, horizon)
    keep = e > s
    s, e, g = s[keep], e[keep], groups[keep]
    w = np.ones(len(s)) if weights is None else weights[keep]
    i = np.minimum((s // interval_s).astype(np.int64), n_intervals - 1)
    while len(s):
        edge = (i + 1) * interval_s
        piece = np.minimum(e, edge) - s
        out += np.bincount(g * n_intervals + i, weights=piece * w, minlength=len(out))
        more = e > edge
        s, e, g, w, i = edge[more], e[more], g[more], w[more], i[more] + 1
    return out.reshape(n_groups, n_intervals)


def _ratio(num: float, den: float) -> float:
    return float(num) / float(den) if den > 0 else float("nan")


def busy_time(model: SimModel, rec: ContactRecords, n_agents: int) -> np.ndarray:
    """Busy agent-seconds per agent and interval (chat sessions weighted 1/concurrency)."""
    ans = rec.agent >= 0
    cap = np.array([c.concurrency for c in model.channels], dtype=float)
    start = rec.answer_t[ans]
    return overlap(start, start + rec.work_s[ans], rec.agent[ans], max(n_agents, 1),
                   model.interval_s, model.n_intervals, 1.0 / cap[rec.channel[ans]])


def queue_time(model: SimModel, rec: ContactRecords) -> np.ndarray:
    """Contact-seconds spent waiting, per channel and interval."""
    end = np.where(np.isnan(rec.answer_t), rec.abandon_t, rec.answer_t)
    end = np.where(np.isnan(end), np.inf, end)
    return overlap(rec.arrival_t, end, rec.channel, len(model.channels), model.interval_s,
                   model.n_intervals)


def skilled_mask(model: SimModel, agents: AgentTable) -> np.ndarray:
    """[channel, agent] True when the agent's pool serves the channel."""
    return np.array([[c.name in model.pools[p].skills for p in agents.pool]
                     for c in model.channels], dtype=bool).reshape(len(model.channels),
                                                                   len(agents))


def interval_metrics(model: SimModel, rec: ContactRecords, agents: AgentTable,
                     busy: np.ndarray, ready: np.ndarray) -> dict[str, dict[str, np.ndarray]]:
    """Per channel, per interval (by arrival interval): the queue's statistics."""
    L, n = model.interval_s, model.n_intervals
    idx = np.minimum((rec.arrival_t // L).astype(np.int64), n - 1)
    wait = rec.wait_s
    answered = rec.agent >= 0
    abandoned = ~np.isnan(rec.abandon_t)
    qtime = queue_time(model, rec)
    skill = skilled_mask(model, agents)
    staffed = agents.duty * L
    out: dict[str, dict[str, np.ndarray]] = {}
    for k, ch in enumerate(model.channels):
        sel = rec.channel == k

        def count(mask: np.ndarray, sel: np.ndarray = sel) -> np.ndarray:
            return np.bincount(idx[sel & mask], minlength=n).astype(float)

        def total(values: np.ndarray, mask: np.ndarray, sel: np.ndarray = sel) -> np.ndarray:
            return np.bincount(idx[sel & mask], weights=values[sel & mask], minlength=n)

        offered = count(np.ones_like(sel))
        ans = count(answered)
        within = count(answered & (wait <= ch.within_s))
        with np.errstate(invalid="ignore", divide="ignore"):
            out[ch.name] = {
                "offered": offered,
                "answered": ans,
                "abandoned": count(abandoned),
                "service_level": within / offered,
                "abandon_rate": count(abandoned) / offered,
                "asa_s": total(np.nan_to_num(wait), answered) / ans,
                "aht_s": total(np.nan_to_num(rec.work_s), answered) / ans,
                "occupancy": busy[skill[k]].sum(0) / staffed[skill[k]].sum(0),
                "queue_length": qtime[k] / L,
                "agents": staffed[skill[k]].sum(0) / L,
                "repeat_contacts": count(rec.kind == KIND_REPEAT),
                "retrials": count(rec.kind == KIND_RETRIAL),
            }
    return out


def team_metrics(model: SimModel, rec: ContactRecords, out: Outcomes, agents: AgentTable,
                 busy: np.ndarray, ready: np.ndarray) -> dict[str, dict[str, float]]:
    """Per channel, over the contacts arriving after the warm-up (one replication)."""
    L, n = model.interval_s, model.n_intervals
    first = int(np.ceil(model.warmup_s / L - 1e-9))
    after = rec.arrival_t >= model.warmup_s
    wait = rec.wait_s
    answered = rec.agent >= 0
    abandoned = ~np.isnan(rec.abandon_t)
    finished = ~np.isnan(rec.end_t)
    qtime = queue_time(model, rec)
    skill = skilled_mask(model, agents)
    staffed = agents.duty * L
    cols = slice(first, n)
    res: dict[str, dict[str, float]] = {}
    for k, ch in enumerate(model.channels):
        s = after & (rec.channel == k)
        a = s & answered
        offered, n_ans, n_ab = int(s.sum()), int(a.sum()), int((s & abandoned).sum())
        busy_k = busy[skill[k]][:, cols].sum()
        res[ch.name] = {
            "offered": offered,
            "answered": n_ans,
            "abandoned": n_ab,
            "waiting_at_end": offered - n_ans - n_ab,
            "answer_rate": _ratio(n_ans, offered),
            "abandon_rate": _ratio(n_ab, offered),
            "service_level": _ratio((a & (wait <= ch.within_s)).sum(), offered),
            "p_wait": _ratio((s & ~(answered & (wait <= 0))).sum(), offered),
            "asa_s": float(wait[a].mean()) if n_ans else float("nan"),
            "aht_s": float(rec.work_s[a].mean()) if n_ans else float("nan"),
            "talk_time_s": float(rec.talk_s[a].mean()) if n_ans else float("nan"),
            "occupancy": _ratio(busy_k, staffed[skill[k]][:, cols].sum()),
            "utilization": _ratio(busy_k, staffed[skill[k]][:, cols].sum()),
            "queue_length": _ratio(qtime[k, cols].sum(), (n - first) * L),
            "fcr": _ratio((s & finished & rec.resolved).sum(), (s & finished).sum()),
            "repeat_contacts": int((s & (rec.kind == KIND_REPEAT)).sum()),
            "retrials": int((s & (rec.kind == KIND_RETRIAL)).sum()),
            "satisfaction": _ratio((s & out.satisfied).sum(), (s & out.rated).sum()),
            "named_good_reviews": int((s & out.named_good_review).sum()),
            "bad_reviews": int((s & out.bad_review).sum()),
            "complaints": int((s & out.complaint).sum()),
            "violations": int((s & out.violation).sum()),
            "received_uv": int((s & out.presale).sum()),
            "paid_uv": int((s & out.paid).sum()),
            "conversion_rate": _ratio((s & out.paid).sum(), (s & out.presale).sum()),
            "sales_amount": float(out.order_value[s].sum()),
        }
    return res


def agent_kpis(model: SimModel, rec: ContactRecords, out: Outcomes, agents: AgentTable,
               busy: np.ndarray, ready: np.ndarray, idle: np.ndarray,
               outbound: np.ndarray, connects: np.ndarray, repeats_caused: np.ndarray,
               day_intervals: int, missed: np.ndarray | None = None,
               outbound_s: np.ndarray | None = None,
               outbound_talk: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """One row per agent and day (columns = KPI catalogue names), agents who worked only.

    Contacts count for the day their answer falls in; the whole day counts (no warm-up).
    offered = answered + missed rings (agent answer rate = answered / rung, KPI catalogue);
    talk_time_s is the period total (catalogue: 通时), inbound talk plus connected
    outbound talk; time on outbound work (ready_time mode) counts as online and busy.
    occupancy = busy / staffed time (the catalogue's one definition; busy = inbound work
    + outbound work, staffed = time on duty, shrinkage and aux included).
    Extra columns: ready_s (ready for inbound), busy_s (inbound busy), outbound_s,
    missed_rings.
    """
    na, n = len(agents), model.n_intervals
    days = max(1, -(-n // day_intervals))
    L = model.interval_s
    ans = rec.agent >= 0
    a = rec.agent[ans]
    d = np.minimum((rec.answer_t[ans] // (L * day_intervals)).astype(np.int64), days - 1)
    key = a * days + d
    size = na * days

    def per(values: np.ndarray | None = None, mask: np.ndarray | None = None) -> np.ndarray:
        m = np.ones(len(key), bool) if mask is None else mask[ans]
        w = None if values is None else values[ans][m]
        return np.bincount(key[m], weights=w, minlength=size).astype(float)

    def by_day(mat: np.ndarray) -> np.ndarray:
        pad = np.zeros((mat.shape[0], days * day_intervals))
        pad[:, :n] = mat
        return pad.reshape(mat.shape[0], days, day_intervals).sum(2).reshape(-1)

    with np.errstate(invalid="ignore", divide="ignore"):
        answered = per()
        finished = per(mask=~np.isnan(rec.end_t))
        staffed = by_day(agents.duty * L)
        zero = np.zeros((na, n))
        rdy, bsy = by_day(ready), by_day(busy)
        obs = by_day(zero if outbound_s is None else outbound_s)
        ob_talk = by_day(zero if outbound_talk is None else outbound_talk)
        miss = by_day(zero if missed is None else missed)
        ob, oc = by_day(outbound), by_day(connects)
        chat = np.array([c.concurrency > 1 for c in model.channels])[rec.channel]
        n_chat = per(mask=chat)
        pres = per(mask=out.presale)
        paid = per(mask=out.paid)
        rated = per(mask=out.rated)
        good = per(mask=out.named_good_review)
        cols = {
            "agent": np.repeat(np.arange(na), days),
            "pool_index": np.repeat(agents.pool, days),
            "day": np.tile(np.arange(days), na),
            "staffed_s": staffed,
            "offered": answered + miss,
            "answered": answered,
            "answer_rate": answered / (answered + miss),
            "missed_rings": miss,
            "aht_s": per(rec.work_s) / answered,
            "talk_time_s": per(rec.talk_s) + ob_talk,
            "acw_s": (per(rec.work_s) - per(rec.talk_s)) / answered,
            "outbound_calls": ob,
            "outbound_connects": oc,
            "outbound_connect_rate": oc / ob,
            "contacts": answered + ob,
            "service_volume": answered + ob,
            "occupancy": (bsy + obs) / staffed,      # catalogue: busy / staffed time
            "utilization": (bsy + obs) / staffed,
            "online_rate": (rdy + obs) / staffed,
            "ready_s": rdy,
            "busy_s": bsy,
            "outbound_s": obs,
            "idle_s": by_day(idle),
            "fcr": per(mask=rec.resolved & ~np.isnan(rec.end_t)) / finished,
            "repeat_contacts": by_day(repeats_caused),
            "qa_score": per(np.nan_to_num(out.qa_score)) / answered,
            "satisfaction": per(mask=out.satisfied) / rated,
            "complaints": per(mask=out.complaint),
            "violations": per(mask=out.violation),
            "named_good_reviews": good,
            "named_good_review_rate": good / answered,
            "bad_reviews": per(mask=out.bad_review),
            "first_response_s": per(np.nan_to_num(rec.wait_s), chat) / n_chat,
            "received_uv": pres,
            "paid_uv": paid,
            "conversion_rate": paid / pres,
            "sales_amount": per(out.order_value),
            "returns": per(mask=out.returned),
            "return_rate": per(mask=out.returned) / paid,
            "exchanges": per(mask=out.exchanged),
            "exchange_rate": per(mask=out.exchanged) / paid,
            "refunds": per(mask=out.refunded),
            "refund_rate": per(mask=out.refunded) / paid,
        }
    worked = staffed > 0
    return {k: v[worked] for k, v in cols.items()}


def overtime(model: SimModel, rec: ContactRecords, agents: AgentTable) -> np.ndarray:
    """Agent-seconds past shift end per agent: agents come off duty at an interval boundary
    but finish the contacts in hand (docs/simulation.md), so work on a contact answered
    while on duty that runs past the end of that duty span is overtime — where a load
    lagging behind the arrivals lands. Per duty span the overtime is the time from the
    span's end to the last finish of the contacts in hand (an agent finishing three chat
    sessions works once, not three times). Spans ending at the horizon do not count (the
    run's drain keeps the last staffing on)."""
    na, n, L = len(agents), model.n_intervals, model.interval_s
    out = np.zeros(max(na, 1))
    done = (rec.agent >= 0) & ~np.isnan(rec.end_t)
    if na == 0 or not done.any():
        return out[:na]
    # off_at[a, i]: first interval j >= i in which agent a is off duty (n if none)
    duty = agents.duty
    idx = np.where(~duty, np.arange(n)[None, :], n)
    off_at = np.minimum.accumulate(idx[:, ::-1], axis=1)[:, ::-1]
    a = rec.agent[done]
    i = np.minimum((rec.answer_t[done] // L).astype(np.int64), n - 1)
    off = off_at[a, i]
    past = rec.end_t[done] - off * L
    keep = (off < n) & (past > 0)
    if not keep.any():
        return out[:na]
    last = np.zeros(na * (n + 1))
    np.maximum.at(last, a[keep] * (n + 1) + off[keep], past[keep])
    return last.reshape(na, n + 1).sum(axis=1)


# ---- the draws and the duty matrix as they stood (sim/runner.py, sim/model.py) ----------
def poisson_nonzero(rng, lam):
    return rng.poisson(lam)


def binomial_nonzero(rng, n, p):
    return rng.binomial(n, p)


def duty_matrix(self, interval_s: float, n_intervals: int) -> np.ndarray:
    out = np.zeros((self.n_people, n_intervals), dtype=bool)
    a = np.asarray(self.on_s, float) / interval_s
    b = np.asarray(self.off_s, float) / interval_s
    if not (np.allclose(a, np.rint(a)) and np.allclose(b, np.rint(b))):
        raise ValueError("duty spans must start and end on interval boundaries")
    for p, i, j in zip(np.asarray(self.person, np.int64).tolist(),
                       np.rint(a).astype(np.int64).tolist(),
                       np.rint(b).astype(np.int64).tolist(), strict=True):
        out[p, max(i, 0):min(j, n_intervals)] = True
    return out


# ---- sim.kernel.Desk._routing as it stood (agent by agent) -------------------------------
from collections import deque  # noqa: E402


def desk_routing(self, model: SimModel, agents: AgentTable) -> None:
    """Tiers per channel from the router; each agent's tier per channel (-1: not skilled)."""
    nc, na = len(model.channels), len(agents)
    pool_names = [p.name for p in model.pools]
    self.tier_delay: list[list[float]] = []
    self.tier_of = [[-1] * nc for _ in range(na)]
    for k, ch in enumerate(model.channels):
        skilled = tuple(p.name for p in model.pools if ch.name in p.skills)
        tiers = model.router.tiers(ch.name, skilled)
        self.tier_delay.append([t.delay_s for t in tiers])
        for a in range(na):
            for ti, t in enumerate(tiers):
                if pool_names[agents.pool[a]] in t.pools:
                    self.tier_of[a][k] = ti
    self.skills = [[k for k in range(nc) if self.tier_of[a][k] >= 0] for a in range(na)]
    self.idle = [[[deque() for _ in range(self.cap[k])] for _ in self.tier_delay[k]]
                 for k in range(nc)]
    # Search order of the session levels: least busy first (Legros & Jouini 2019) —
    # except for a chat channel whose agents also serve a channel ranked above it
    # (a "low" channel, ``yields[k]`` the channels above): there a new chat goes to
    # the agent already holding the most chats, and a blended agent holding nothing
    # takes a chat only while more than ⌈1.5·√(agents on calls of the channels above)⌉
    # blended agents are free — a threshold kept free for the priority channel (Bhulai
    # & Koole 2003: the optimal blending policy reserves idle agents for inbound
    # calls; the square root is the safety staffing of the calls in progress).
    levels = [list(range(self.cap[k])) for k in range(nc)]
    self.yields: list[list[int]] = [[] for _ in range(nc)]
    if self.rank is not None:
        for k in range(nc):
            above = sorted({j for a in range(na) if self.tier_of[a][k] >= 0
                            for j in self.skills[a] if self.rank[j] < self.rank[k]})
            if self.cap[k] > 1 and above:
                levels[k] = list(range(self.cap[k] - 1, 0, -1)) + [0]
                self.yields[k] = above
    self.top = [False] * nc  # channels some low channel yields to
    for k in range(nc):
        for j in self.yields[k]:
            self.top[j] = True
    # blended: the agent serves a low channel and a channel above it
    self.blended = [any(self.yields[k] and any(self.tier_of[a][j] >= 0
                                               for j in self.yields[k])
                        for k in self.skills[a]) for a in range(na)]
    self.n_free = 0  # blended agents ready and holding nothing
    self.n_top = 0  # agents on a contact of a top channel
    # a low channel's blended free agents wait in an extra deque after the levels,
    # which the threshold guards (flag True)
    for k in range(nc):
        if self.yields[k]:
            for tier in self.idle[k]:
                tier.append(deque())
    self.idle_flat = [[(self.tier_delay[k][ti], tier[s_], False)
                       for ti, tier in enumerate(self.idle[k]) for s_ in levels[k]]
                      + ([(self.tier_delay[k][ti], tier[self.cap[k]], True)
                          for ti, tier in enumerate(self.idle[k])]
                         if self.yields[k] else [])
                      for k in range(nc)]
    self.idle_flat = [sorted(f, key=lambda e: e[0]) for f in self.idle_flat]



# how the runner now asks for the agent tables, answered by this file's agent_kpis (not
# part of the frozen code)
agent_kpi_tables = per_table(agent_kpis)
