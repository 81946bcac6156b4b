"""Frozen reference: sim/kpi.py and sim/outcomes.py's draws as they stood before issue 25's
replication cuts (main 905b2a1, copied verbatim apart from this docstring and the
imports). tests/sim/test_replication_fast.py and benchmarks/bench_replication_cpu.py check
the current code against it: the same numbers bit for bit. Not used by the package."""

# ruff: noqa
from __future__ import annotations

import numpy as np

from sim.agents import AgentTable
from sim.model import SimModel
from sim.outcomes import QA_SD, CHUNK, Outcomes, _after_uniforms, _channel_tables, \
    agent_probabilities
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
    w = s if weights is None else weights[keep]  # (unused without weights)
    i = np.minimum((s // interval_s).astype(np.int64), n_intervals - 1)
    while len(s):
        edge = (i + 1) * interval_s
        piece = np.minimum(e, edge) - s
        key, wt = g * n_intervals + i, piece if weights is None else piece * w  # piece·1
        if 8 * len(key) < len(out):  # few spans left (long ones): sum them per key they
            # touch, in the same order, and add those sums alone — the same numbers as
            # adding a whole bincount (x + 0.0 = x elsewhere) without its full-size array
            keys, at = np.unique(key, return_inverse=True)
            out[keys] += np.bincount(at, weights=wt, minlength=len(keys))
        else:
            out += np.bincount(key, weights=wt, minlength=len(out))
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
                     busy: np.ndarray, ready: np.ndarray, qtime: np.ndarray | None = None
                     ) -> dict[str, dict[str, np.ndarray]]:
    """Per channel, per interval (by arrival interval): the queue's statistics.
    ``qtime``: :func:`queue_time` when the caller has it already."""
    L, n = model.interval_s, model.n_intervals
    nc = len(model.channels)
    idx = np.minimum((rec.arrival_t // L).astype(np.int64), n - 1)
    # one key per (channel, interval): every count and total below is one bincount over
    # all contacts, contacts outside its mask weighing 0 — the same sums bit for bit as
    # a bincount of the channel's masked contacts (record order, and x + 0.0 = x)
    key = np.asarray(rec.channel, np.int64) * n + idx
    wait = rec.wait_s
    answered = rec.agent >= 0
    abandoned = ~np.isnan(rec.abandon_t)
    within_s = np.array([c.within_s for c in model.channels], float)
    qtime = queue_time(model, rec) if qtime is None else qtime
    skill = skilled_mask(model, agents)
    staffed = agents.duty * L

    def count(mask: np.ndarray | None = None) -> np.ndarray:
        w = None if mask is None else mask.astype(float)
        return np.bincount(key, weights=w, minlength=nc * n).astype(float).reshape(nc, n)

    def total(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return np.bincount(key, weights=np.where(mask, values, 0.0),
                           minlength=nc * n).reshape(nc, n)

    offered = count()
    ans = count(answered)
    within = count(answered & (wait <= within_s[rec.channel]))
    aband = count(abandoned)
    wait_sum = total(np.nan_to_num(wait), answered)
    work_sum = total(np.nan_to_num(rec.work_s), answered)
    repeats = count(rec.kind == KIND_REPEAT)
    retrials = count(rec.kind == KIND_RETRIAL)
    out: dict[str, dict[str, np.ndarray]] = {}
    for k, ch in enumerate(model.channels):
        with np.errstate(invalid="ignore", divide="ignore"):
            out[ch.name] = {
                "offered": offered[k],
                "answered": ans[k],
                "abandoned": aband[k],
                "service_level": within[k] / offered[k],
                "abandon_rate": aband[k] / offered[k],
                "asa_s": wait_sum[k] / ans[k],
                "aht_s": work_sum[k] / ans[k],
                "occupancy": busy[skill[k]].sum(0) / staffed[skill[k]].sum(0),
                "queue_length": qtime[k] / L,
                "agents": staffed[skill[k]].sum(0) / L,
                "repeat_contacts": repeats[k],
                "retrials": retrials[k],
            }
    return out


def team_metrics(model: SimModel, rec: ContactRecords, out: Outcomes, agents: AgentTable,
                 busy: np.ndarray, ready: np.ndarray, qtime: np.ndarray | None = None
                 ) -> dict[str, dict[str, float]]:
    """Per channel, over the contacts arriving after the warm-up (one replication).
    ``qtime``: :func:`queue_time` when the caller has it already."""
    L, n = model.interval_s, model.n_intervals
    nc = len(model.channels)
    first = int(np.ceil(model.warmup_s / L - 1e-9))
    after = rec.arrival_t >= model.warmup_s
    wait = rec.wait_s
    answered = rec.agent >= 0
    abandoned = ~np.isnan(rec.abandon_t)
    finished = ~np.isnan(rec.end_t)
    within_s = np.array([c.within_s for c in model.channels], float)
    qtime = queue_time(model, rec) if qtime is None else qtime
    skill = skilled_mask(model, agents)
    staffed = agents.duty * L
    cols = slice(first, n)
    # contacts after the warm-up grouped by channel (the warm-up's in an extra group):
    # each count below is one bincount over all contacts (exact: counts of ones)
    group = np.where(after, np.asarray(rec.channel, np.int64), nc)

    def count(mask: np.ndarray | None = None) -> np.ndarray:
        w = None if mask is None else mask.astype(float)
        return np.bincount(group, weights=w, minlength=nc + 1)[:nc].astype(np.int64)

    offered, n_ans, n_ab = count(), count(answered), count(abandoned)
    within = count(answered & (wait <= within_s[rec.channel]))
    waited = count(~(answered & (wait <= 0)))
    fin = count(finished)
    fin_res = count(finished & rec.resolved)
    repeats, retrials = count(rec.kind == KIND_REPEAT), count(rec.kind == KIND_RETRIAL)
    rated, satisfied = count(out.rated), count(out.satisfied)
    good, bad = count(out.named_good_review), count(out.bad_review)
    complaints, violations = count(out.complaint), count(out.violation)
    presale, paid = count(out.presale), count(out.paid)
    res: dict[str, dict[str, float]] = {}
    for k, ch in enumerate(model.channels):
        s = after & (rec.channel == k)
        a = s & answered
        busy_k = busy[skill[k]][:, cols].sum()
        res[ch.name] = {
            "offered": int(offered[k]),
            "answered": int(n_ans[k]),
            "abandoned": int(n_ab[k]),
            "waiting_at_end": int(offered[k] - n_ans[k] - n_ab[k]),
            "answer_rate": _ratio(n_ans[k], offered[k]),
            "abandon_rate": _ratio(n_ab[k], offered[k]),
            "service_level": _ratio(within[k], offered[k]),
            "p_wait": _ratio(waited[k], offered[k]),
            "asa_s": float(wait[a].mean()) if n_ans[k] else float("nan"),
            "aht_s": float(rec.work_s[a].mean()) if n_ans[k] else float("nan"),
            "talk_time_s": float(rec.talk_s[a].mean()) if n_ans[k] else float("nan"),
            "occupancy": _ratio(busy_k, staffed[skill[k]][:, cols].sum()),
            "utilization": _ratio(busy_k, staffed[skill[k]][:, cols].sum()),
            "queue_length": _ratio(qtime[k, cols].sum(), (n - first) * L),
            "fcr": _ratio(fin_res[k], fin[k]),
            "repeat_contacts": int(repeats[k]),
            "retrials": int(retrials[k]),
            "satisfaction": _ratio(satisfied[k], rated[k]),
            "named_good_reviews": int(good[k]),
            "bad_reviews": int(bad[k]),
            "complaints": int(complaints[k]),
            "violations": int(violations[k]),
            "received_uv": int(presale[k]),
            "paid_uv": int(paid[k]),
            "conversion_rate": _ratio(paid[k], presale[k]),
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
    ans = np.flatnonzero(rec.agent >= 0)  # the answered contacts, in record order
    a = rec.agent[ans]
    d = np.minimum((rec.answer_t[ans] // (L * day_intervals)).astype(np.int64), days - 1)
    key = a * days + d
    size = na * days

    # One bincount over every answered contact, contacts outside ``mask`` weighing 0: the
    # same sums, bit for bit, as summing the masked contacts alone (bincount adds in record
    # order either way, and x + 0.0 = x), without gathering a subset per column.
    def per(values: np.ndarray | None = None, mask: np.ndarray | None = None) -> np.ndarray:
        if values is None:
            w = None if mask is None else mask[ans].astype(float)
        else:
            w = values[ans] if mask is None else np.where(mask[ans], values[ans], 0.0)
        return np.bincount(key, weights=w, minlength=size).astype(float)

    def by_day(mat: np.ndarray) -> np.ndarray:
        mat = np.asarray(mat, float)
        if not mat.any():  # a sum of zeros (e.g. no outbound work)
            return np.zeros(mat.shape[0] * days)
        if days * day_intervals != n:  # a last day cut short: pad it with zeros
            pad = np.zeros((mat.shape[0], days * day_intervals))
            pad[:, :n] = mat
            mat = pad
        return np.ascontiguousarray(mat).reshape(mat.shape[0], days, day_intervals).sum(2) \
            .reshape(-1)

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


def draw_outcomes(model: SimModel, agents: AgentTable, rec: ContactRecords,
                  rng: np.random.Generator, chunk: int = CHUNK) -> Outcomes:
    """Every contact's outcomes, from 11 uniforms and 2 normals per contact id.

    The numbers are those of one ``rng.random((n, 11))`` followed by one
    ``rng.standard_normal((n, 2))``, but drawn ``chunk`` contacts at a time so the
    temporaries stay small (about 260 bytes a contact when drawn at once): the normals come
    from a copy of the generator advanced past the n × 11 uniforms (PCG64 draws one 64-bit
    word per uniform and per normal tried), and ``rng`` ends where one draw would leave it.
    """
    n = len(rec)
    probs = agent_probabilities(model, agents)
    ch_tables = _channel_tables(model)
    normals = _after_uniforms(rng, n * 11)
    if normals is None:  # a generator that cannot jump ahead: one draw, as before
        chunk, normals = max(n, 1), rng
    out = Outcomes(*(np.empty(n, float if f in ("qa_score", "order_value") else bool)
                     for f in Outcomes.__dataclass_fields__))
    for i in range(0, n, chunk):
        _draw_chunk(rec, slice(i, min(i + chunk, n)), probs, ch_tables, rng, normals, out)
    if normals is not rng:
        rng.bit_generator.state = normals.bit_generator.state
    return out


def _draw_chunk(rec: ContactRecords, rows: slice, probs: dict[str, np.ndarray],
                tab: dict[str, np.ndarray], rng: np.random.Generator,
                normals: np.random.Generator, out: Outcomes) -> None:
    """Write the outcomes of contacts ``rows`` into ``out`` (element by element the same
    formulas as one draw of all contacts, so the same bits)."""
    agent = rec.agent[rows]
    n = len(agent)
    u = rng.random((n, 11))
    z = normals.standard_normal((n, 2))
    answered = agent >= 0
    a = np.where(answered, agent, 0)
    p = {k: v[a] if len(v) else np.zeros(n) for k, v in probs.items()}
    ch = rec.channel[rows]
    share = tab["presale_share"][ch]
    conv = np.clip(tab["conversion"][ch] * p["conversion_factor"], 0, 1)
    ret = np.clip(tab["return_rate"][ch] * p["returns_factor"], 0, 1)
    exc = np.clip(tab["exchange_rate"][ch] * p["returns_factor"], 0, 1)
    ref = np.clip(tab["refund_rate"][ch] * p["returns_factor"], 0, 1)
    mean = tab["order_mean"][ch]
    cv = tab["order_cv"][ch]
    s2 = np.log1p(cv ** 2)
    value = mean * np.exp(z[:, 0] * np.sqrt(s2) - s2 / 2)
    rated = answered & (u[:, 0] < p["rating_rate"])
    presale = answered & (u[:, 7] < share)
    paid = presale & (u[:, 8] < conv)
    values = {
        "rated": rated,
        "satisfied": rated & (u[:, 1] < p["satisfaction"]),
        "named_good_review": answered & (u[:, 2] < p["named_good_review"]),
        "bad_review": answered & (u[:, 3] < p["bad_review"]),
        "complaint": answered & (u[:, 4] < p["complaint"]),
        "violation": answered & (u[:, 5] < p["violation"]),
        "qa_score": np.where(answered, np.clip(p["qa_mean"] + QA_SD * z[:, 1], 0, 100),
                             np.nan),
        "presale": presale,
        "paid": paid,
        "order_value": np.where(paid, value, 0.0),
        "returned": paid & (u[:, 9] < ret),
        "exchanged": paid & ~(u[:, 9] < ret) & (u[:, 10] < exc),
        "refunded": paid & (u[:, 6] < ref),
    }
    for name, v in values.items():
        getattr(out, name)[rows] = v


# how the runner now asks for the agent tables, answered by this file's agent_kpis (not
# part of the frozen code)
agent_kpi_tables = per_table(agent_kpis)
