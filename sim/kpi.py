"""KPIs as pure functions over flat records (docs/formats.md §1 definitions, §3 catalogue).

- service_level = answered within ``within_s`` / offered (abandons stay in the denominator)
- asa_s = mean wait of answered contacts; abandon_rate = abandoned / offered
- occupancy = busy / staffed agent time of the agents skilled for the channel (a chat
  session counts 1/concurrency of an agent; staffed = on duty, aux and shrinkage included:
  the catalogue's one definition, rules/catalogue.py); utilization = the same ratio (kept
  for the catalogue's 工时利用率); queue_length = time-average number waiting
Team statistics use contacts that arrive after the warm-up and the intervals that start
after it; interval statistics group contacts by the interval they arrive in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from sim.agents import AgentTable
from sim.compiled import passes as compiled_passes
from sim.model import SimModel
from sim.outcomes import Outcomes
from sim.recorder import KIND_REPEAT, KIND_RETRIAL, ContactRecords


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
    i = interval_index(s, interval_s, n_intervals)
    if compiled_passes():  # the same passes in one compiled loop
        from sim.compiled_kpi import overlap_passes

        return overlap_passes(s, e, np.asarray(g, np.int64),
                              np.empty(0) if weights is None else np.asarray(w, float),
                              weights is not None, i, float(interval_s), int(n_intervals),
                              len(out)).reshape(n_groups, n_intervals)
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


@dataclass(frozen=True)
class ContactIntervals:
    """Each contact's interval of arrival and of answer (-1 when never answered), as
    ``min(t // interval_s, n_intervals - 1)``: the floor divisions the KPI passes share."""

    arrival: np.ndarray
    answer: np.ndarray


def interval_index(t: np.ndarray, L: float, n: int) -> np.ndarray:
    """The interval each time falls in, floor(t / L) by numpy's floor division; times at or
    past the horizon's end in the last interval (as the desk records them)."""
    return np.minimum((t // L).astype(np.int64), n - 1)


def contact_intervals(model: SimModel, rec: ContactRecords) -> ContactIntervals:
    """:class:`ContactIntervals` of ``rec`` (one compiled pass where the passes are)."""
    L, n = model.interval_s, model.n_intervals
    if compiled_passes():
        from sim.compiled_kpi import contact_intervals as intervals

        return ContactIntervals(*intervals(rec.arrival_t, rec.answer_t,
                                           np.asarray(rec.agent, np.int64), float(L), int(n)))
    answered = rec.agent >= 0
    answer = np.full(len(rec), -1, np.int64)
    answer[answered] = interval_index(rec.answer_t[answered], L, n)
    return ContactIntervals(interval_index(rec.arrival_t, L, n), answer)


def _ratio(num: float, den: float) -> float:
    return float(num) / float(den) if den > 0 else float("nan")


def busy_time(model: SimModel, rec: ContactRecords, n_agents: int,
              iv: ContactIntervals | None = None) -> np.ndarray:
    """Busy agent-seconds per agent and interval (chat sessions weighted 1/concurrency).
    ``iv``: :func:`contact_intervals` when the caller has them already."""
    cap = np.array([c.concurrency for c in model.channels], dtype=float)
    if compiled_passes():  # the spans gathered, clipped and split in one compiled pass
        from sim.compiled_kpi import busy_overlap

        iv = contact_intervals(model, rec) if iv is None else iv
        L, n, g = model.interval_s, model.n_intervals, max(n_agents, 1)
        return busy_overlap(rec.answer_t, rec.work_s, np.asarray(rec.agent, np.int64),
                            np.asarray(rec.channel, np.int64), 1.0 / cap, iv.answer,
                            L * n, float(L), int(n), g * n).reshape(g, n)
    ans = rec.agent >= 0
    start = rec.answer_t[ans]
    return overlap(start, start + rec.work_s[ans], rec.agent[ans], max(n_agents, 1),
                   model.interval_s, model.n_intervals, 1.0 / cap[rec.channel[ans]])


def queue_time(model: SimModel, rec: ContactRecords,
               iv: ContactIntervals | None = None) -> np.ndarray:
    """Contact-seconds spent waiting, per channel and interval. ``iv``:
    :func:`contact_intervals` when the caller has them already."""
    if compiled_passes():  # the spans built, clipped and split in one compiled pass
        from sim.compiled_kpi import queue_overlap

        iv = contact_intervals(model, rec) if iv is None else iv
        L, n, nc = model.interval_s, model.n_intervals, len(model.channels)
        return queue_overlap(rec.arrival_t, rec.answer_t, rec.abandon_t,
                             np.asarray(rec.channel, np.int64), iv.arrival, L * n, float(L),
                             int(n), nc * n).reshape(nc, n)
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
                     busy: np.ndarray, ready: np.ndarray, qtime: np.ndarray | None = None,
                     iv: ContactIntervals | None = None) -> dict[str, dict[str, np.ndarray]]:
    """Per channel, per interval (by arrival interval): the queue's statistics.
    ``qtime``, ``iv``: :func:`queue_time`, :func:`contact_intervals` when the caller has
    them already."""
    L, n = model.interval_s, model.n_intervals
    nc = len(model.channels)
    idx = interval_index(rec.arrival_t, L, n) if iv is None else iv.arrival
    # one key per (channel, interval): every count and total below is one bincount over
    # all contacts, contacts outside its mask weighing 0 — the same sums bit for bit as
    # a bincount of the channel's masked contacts (record order, and x + 0.0 = x)
    key = np.asarray(rec.channel, np.int64) * n + idx
    within_s = np.array([c.within_s for c in model.channels], float)
    qtime = queue_time(model, rec, iv) if qtime is None else qtime
    skill = skilled_mask(model, agents)

    def count(mask: np.ndarray | None = None) -> np.ndarray:
        w = None if mask is None else mask.astype(float)
        return np.bincount(key, weights=w, minlength=nc * n).astype(float).reshape(nc, n)

    def total(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return np.bincount(key, weights=np.where(mask, values, 0.0),
                           minlength=nc * n).reshape(nc, n)

    if compiled_passes():  # the same counts and sums in one compiled loop
        from sim import compiled_kpi as ck

        cnt, wait_sum, work_sum = ck.interval_sums(
            key, nc * n, np.asarray(rec.channel, np.int64), np.asarray(rec.kind, np.int64),
            rec.arrival_t, rec.answer_t, np.asarray(rec.agent, np.int64), rec.abandon_t,
            rec.work_s, within_s, KIND_REPEAT, KIND_RETRIAL)
        offered, ans, within, aband, repeats, retrials = (
            np.ascontiguousarray(cnt[:, j]).reshape(nc, n) for j in (
                ck.I_OFFERED, ck.I_ANSWERED, ck.I_WITHIN, ck.I_ABANDONED, ck.I_REPEAT,
                ck.I_RETRIAL))
        wait_sum, work_sum = wait_sum.reshape(nc, n), work_sum.reshape(nc, n)
    else:
        wait = rec.wait_s
        answered = rec.agent >= 0
        abandoned = ~np.isnan(rec.abandon_t)
        offered = count()
        ans = count(answered)
        within = count(answered & (wait <= within_s[rec.channel]))
        aband = count(abandoned)
        wait_sum = total(np.nan_to_num(wait), answered)
        work_sum = total(np.nan_to_num(rec.work_s), answered)
        repeats = count(rec.kind == KIND_REPEAT)
        retrials = count(rec.kind == KIND_RETRIAL)
    if compiled_passes() and n > 1:  # the skilled agents' column sums without copies
        # (numpy adds a C-ordered matrix's rows one after the other into the column sums
        # when it has more than one column)
        from sim.compiled_kpi import skilled_column_sums

        busy_sum = [skilled_column_sums(busy, 1.0, skill[k]) for k in range(nc)]
        staffed_sum = [skilled_column_sums(agents.duty, float(L), skill[k])
                       for k in range(nc)]
    else:
        staffed = agents.duty * L
        busy_sum = [busy[skill[k]].sum(0) for k in range(nc)]
        staffed_sum = [staffed[skill[k]].sum(0) for k in range(nc)]
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
                "occupancy": busy_sum[k] / staffed_sum[k],
                "queue_length": qtime[k] / L,
                "agents": staffed_sum[k] / L,
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
    within_s = np.array([c.within_s for c in model.channels], float)
    qtime = queue_time(model, rec) if qtime is None else qtime
    skill = skilled_mask(model, agents)
    cols = slice(first, n)
    # staffed agent-seconds of the skilled agents after the warm-up: numpy's float sum of
    # duty × L — for a whole L with the total below 2**53 every partial sum is an exact
    # integer, so that sum is the count of duty cells × L in any order (compiled count)
    whole = compiled_passes() and float(L).is_integer() and L > 0 \
        and L * agents.duty.size < 2 ** 53
    if not whole:
        staffed = agents.duty * L
    if compiled_passes():  # the same counts and sums in compiled passes
        from sim import compiled_kpi as ck

        # per channel: the answered contacts' waits, work and talk times and every
        # contact's order value gathered in one pass, each channel's a contiguous run of
        # the numbers numpy's masked gathers give, summed by numpy as those are
        got, a_at, value, v_at = ck.channel_gather(
            nc, float(model.warmup_s), np.asarray(rec.channel, np.int64), rec.arrival_t,
            rec.answer_t, np.asarray(rec.agent, np.int64), rec.work_s, rec.talk_s,
            out.order_value)
        wait_sum, work_sum, talk_sum = ([got[q, a_at[k]:a_at[k + 1]].sum() for k in range(nc)]
                                        for q in range(3))
        sales = [value[v_at[k]:v_at[k + 1]].sum() for k in range(nc)]

        t = ck.team_counts(nc, float(model.warmup_s), np.asarray(rec.channel, np.int64),
                           np.asarray(rec.kind, np.int64), rec.arrival_t, rec.answer_t,
                           np.asarray(rec.agent, np.int64), rec.abandon_t, rec.end_t,
                           rec.resolved, within_s, KIND_REPEAT, KIND_RETRIAL, out.rated,
                           out.satisfied, out.named_good_review, out.bad_review,
                           out.complaint, out.violation, out.presale, out.paid)
        (offered, n_ans, n_ab, within, waited, fin, fin_res, repeats, retrials, rated,
         satisfied, good, bad, complaints, violations, presale, paid) = t.T
    else:
        after = rec.arrival_t >= model.warmup_s
        wait = rec.wait_s
        answered = rec.agent >= 0
        abandoned = ~np.isnan(rec.abandon_t)
        finished = ~np.isnan(rec.end_t)
        # contacts after the warm-up, per channel: each count below is a count of the
        # channel's contacts with a flag (exact: integers, in any order)
        sel = [after & (rec.channel == k) for k in range(nc)]

        def count(mask: np.ndarray | None = None) -> np.ndarray:
            return np.array([np.count_nonzero(s if mask is None else s & mask)
                             for s in sel], np.int64)

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
        a = [s & answered for s in sel]
        wait_sum = [wait[m].sum() for m in a]  # mean = this sum / the count
        work_sum = [rec.work_s[m].sum() for m in a]
        talk_sum = [rec.talk_s[m].sum() for m in a]
        sales = [out.order_value[s].sum() for s in sel]
    res: dict[str, dict[str, float]] = {}
    for k, ch in enumerate(model.channels):
        busy_k = busy[skill[k]][:, cols].sum()
        if whole:
            from sim.compiled_kpi import skilled_count

            staffed_k = np.float64(skilled_count(np.ascontiguousarray(agents.duty, np.bool_),
                                                 skill[k], first) * L)
        else:
            staffed_k = staffed[skill[k]][:, cols].sum()
        res[ch.name] = {
            "offered": int(offered[k]),
            "answered": int(n_ans[k]),
            "abandoned": int(n_ab[k]),
            "waiting_at_end": int(offered[k] - n_ans[k] - n_ab[k]),
            "answer_rate": _ratio(n_ans[k], offered[k]),
            "abandon_rate": _ratio(n_ab[k], offered[k]),
            "service_level": _ratio(within[k], offered[k]),
            "p_wait": _ratio(waited[k], offered[k]),
            "asa_s": float(wait_sum[k] / n_ans[k]) if n_ans[k] else float("nan"),
            "aht_s": float(work_sum[k] / n_ans[k]) if n_ans[k] else float("nan"),
            "talk_time_s": float(talk_sum[k] / n_ans[k]) if n_ans[k] else float("nan"),
            "occupancy": _ratio(busy_k, staffed_k),
            "utilization": _ratio(busy_k, staffed_k),
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
            "sales_amount": float(sales[k]),
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
    return agent_tables(model, rec, out, agents, busy, ready, idle, outbound, connects,
                        repeats_caused, (day_intervals,), missed, outbound_s,
                        outbound_talk)[0]


def agent_tables(model: SimModel, rec: ContactRecords, out: Outcomes, agents: AgentTable,
                 busy: np.ndarray, ready: np.ndarray, idle: np.ndarray,
                 outbound: np.ndarray, connects: np.ndarray, repeats_caused: np.ndarray,
                 day_intervals: tuple[int, ...], missed: np.ndarray | None = None,
                 outbound_s: np.ndarray | None = None,
                 outbound_talk: np.ndarray | None = None,
                 iv: ContactIntervals | None = None) -> list[dict[str, np.ndarray]]:
    """:func:`agent_kpis` for each "day" length in ``day_intervals`` (e.g. a day and the
    whole horizon), the same tables bit for bit, with the work over every contact done
    once: the answered contacts and their flags gathered once, and (compiled) one pass
    adding each table's sums — each sum still in record order from 0.0. ``iv``:
    :func:`contact_intervals` when the caller has them already: a contact's day is then
    its answer interval // ``di`` (integers) — numpy's float floor division being the
    exact floor of the quotient, floor(floor(t / L) / di) = floor(t / (L·di)) whenever
    L·di is exact in floating point (checked; else the floor division of the times)."""
    na, n = len(agents), model.n_intervals
    L = model.interval_s
    chat_of = np.array([c.concurrency > 1 for c in model.channels], bool)
    days = [max(1, -(-n // di)) for di in day_intervals]
    shared = iv is not None and all(Fraction(L) * di == Fraction(L * di)
                                    for di in day_intervals)
    if compiled_passes():  # the same sums in one compiled loop over the answered contacts
        from sim import compiled_kpi as ck

        base = np.cumsum([0] + [na * d for d in days])  # each table's rows after the last's
        agent = np.asarray(rec.agent, np.int64)
        if shared:  # the answered contacts and their rows in one compiled pass
            ans, keys = ck.answered_keys(agent, iv.answer, np.array(days, np.int64),
                                         np.array(day_intervals, np.int64), base)
        else:
            ans = np.flatnonzero(agent >= 0)
            keys = np.empty((len(days), len(ans)), np.int64)
            for t, di in enumerate(day_intervals):
                d = np.minimum((rec.answer_t[ans] // (L * di)).astype(np.int64), days[t] - 1)
                keys[t] = agent[ans] * days[t] + d + base[t]
        # tables over the whole horizon (one row per agent) after the first get their
        # counts from the first's, not from the contacts (the sums still from these)
        count_tables = len(days)
        while count_tables > 1 and days[count_tables - 1] == 1:
            count_tables -= 1
        cnt, tot = ck.agent_sums(
            ans, keys, int(base[-1]), rec.end_t, rec.resolved,
            np.asarray(rec.channel, np.int64), chat_of, rec.work_s, rec.talk_s, rec.arrival_t,
            rec.answer_t, out.presale, out.paid, out.rated, out.named_good_review,
            out.satisfied, out.complaint, out.violation, out.bad_review, out.returned,
            out.exchanged, out.refunded, out.qa_score, out.order_value, count_tables)
        if count_tables < len(days):  # whole-horizon tables: the first table's counts per
            # agent added up (integer-valued floats: exact in any order)
            per_agent = cnt[:base[1]].reshape(na, days[0], cnt.shape[1]).sum(1)
            for t in range(count_tables, len(days)):
                cnt[base[t]:base[t + 1]] = per_agent
        sums = [_compiled_columns(ck, cnt[base[t]:base[t + 1]], tot[base[t]:base[t + 1]])
                for t in range(len(days))]
    else:
        ans = np.flatnonzero(rec.agent >= 0)  # the answered contacts, in record order
        a = rec.agent[ans]
        chat = chat_of[rec.channel]
        sums = []
        for di, nd in zip(day_intervals, days, strict=True):
            if shared:
                d = iv.answer[ans] // di  # ≤ (n - 1) // di = days - 1 (answer < n)
            else:
                d = np.minimum((rec.answer_t[ans] // (L * di)).astype(np.int64), nd - 1)
            sums.append(_numpy_columns(rec, out, ans, a * nd + d, na * nd, chat))
    # the per-agent-interval matrices, each summed per day (numpy's sums)
    mats = {"staffed": (agents.duty, L), "ready": ready, "busy": busy, "idle": idle,
            "outbound_s": outbound_s, "outbound_talk": outbound_talk, "missed": missed,
            "outbound": outbound, "connects": connects, "repeats": repeats_caused}
    by_day = (_compiled_day_sums if compiled_passes() else _numpy_day_sums)(mats, na, n)
    return [_agent_table(model, agents, c, by_day, nd, di)
            for c, nd, di in zip(sums, days, day_intervals, strict=True)]


DaySums = Callable[[str, int, int], np.ndarray]


def _numpy_day_sums(mats: dict, na: int, n: int) -> DaySums:
    """``by_day(name, days, day_intervals)``: matrix ``name`` of ``mats`` (an array, None
    for zeros, or (matrix, factor)) summed per agent and day, numpy's sums."""
    zero = None
    for k, v in mats.items():
        if isinstance(v, tuple):
            v = v[0] * v[1]
        if v is None:
            zero = np.zeros((na, n)) if zero is None else zero
            v = zero
        v = np.asarray(v, float)
        mats[k] = (v, bool(v.any()))

    def by_day(name: str, days: int, day_intervals: int) -> np.ndarray:
        mat, nonzero = mats[name]
        if not nonzero:  # a sum of zeros (e.g. no outbound work)
            return np.zeros(mat.shape[0] * days)
        if days * day_intervals != n:  # a last day cut short: pad it with zeros
            pad = np.zeros((mat.shape[0], days * day_intervals))
            pad[:, :n] = mat
            mat = pad
        return np.ascontiguousarray(mat).reshape(mat.shape[0], days, day_intervals).sum(2) \
            .reshape(-1)

    return by_day


def _compiled_day_sums(mats: dict, na: int, n: int) -> DaySums:
    """:func:`_numpy_day_sums`' sums without its float copies and passes looking for a
    non-zero: a float matrix's days summed by numpy as they are; an integer or boolean
    one's (times an integer factor) in integers, compiled — every partial sum of
    integer-valued floats below 2**53 is exact, so numpy's float sum in any order is that
    integer (sim.compiled_kpi.count_day_sums) — else numpy's sum of the floats."""
    from sim import compiled_kpi as ck

    counted: dict[str, tuple[np.ndarray, int]] = {}  # integer day sums already counted

    def by_day(name: str, days: int, day_intervals: int) -> np.ndarray:
        v = mats[name]
        if v is None:
            return np.zeros(na * days)
        mat, factor = v if isinstance(v, tuple) else (v, 1.0)
        mat, factor = np.ascontiguousarray(mat), float(factor)
        if mat.dtype.kind in "biu" and factor > 0 and factor == int(factor):
            if days == 1 and name in counted:  # the whole horizon: the days' integer sums
                sums, total = counted[name]
                sums = sums.reshape(na, len(sums) // max(na, 1)).sum(1)
            else:
                sums, total = counted[name] = ck.count_day_sums(mat, days, day_intervals)
            if factor * total < 2 ** 53:
                return sums * factor
        mat = np.asarray(mat * factor if factor != 1.0 else mat, float)
        if days * day_intervals != n:  # a last day cut short: pad it with zeros
            pad = np.zeros((mat.shape[0], days * day_intervals))
            pad[:, :n] = mat
            mat = pad
        return mat.reshape(mat.shape[0], days, day_intervals).sum(2).reshape(-1)

    return by_day


def _compiled_columns(ck, cnt: np.ndarray, tot: np.ndarray) -> dict[str, np.ndarray]:
    c = {name: np.ascontiguousarray(cnt[:, j]) for name, j in (
        ("answered", ck.A_ANSWERED), ("finished", ck.A_FINISHED), ("chat", ck.A_CHAT),
        ("presale", ck.A_PRESALE), ("paid", ck.A_PAID), ("rated", ck.A_RATED),
        ("good", ck.A_GOOD), ("satisfied", ck.A_SATISFIED),
        ("complaints", ck.A_COMPLAINT), ("violations", ck.A_VIOLATION),
        ("bad", ck.A_BAD), ("returns", ck.A_RETURNED), ("exchanges", ck.A_EXCHANGED),
        ("refunds", ck.A_REFUNDED), ("resolved", ck.A_RESOLVED))}
    c.update({name: np.ascontiguousarray(tot[:, j]) for name, j in (
        ("work", ck.S_WORK), ("talk", ck.S_TALK), ("qa", ck.S_QA),
        ("first_response", ck.S_FIRST_RESPONSE), ("sales", ck.S_SALES))})
    return c


def _numpy_columns(rec: ContactRecords, out: Outcomes, ans: np.ndarray, key: np.ndarray,
                   size: int, chat: np.ndarray) -> dict[str, np.ndarray]:
    # One bincount over every answered contact, contacts outside ``mask`` weighing 0: the
    # same sums, bit for bit, as summing the masked contacts alone (bincount adds in record
    # order either way, and x + 0.0 = x), without gathering a subset per column.
    def per(values: np.ndarray | None = None, mask: np.ndarray | None = None) -> np.ndarray:
        if values is None:
            w = None if mask is None else mask[ans].astype(float)
        else:
            w = values[ans] if mask is None else np.where(mask[ans], values[ans], 0.0)
        return np.bincount(key, weights=w, minlength=size).astype(float)

    return {"answered": per(), "finished": per(mask=~np.isnan(rec.end_t)),
            "chat": per(mask=chat), "presale": per(mask=out.presale),
            "paid": per(mask=out.paid), "rated": per(mask=out.rated),
            "good": per(mask=out.named_good_review), "satisfied": per(mask=out.satisfied),
            "complaints": per(mask=out.complaint), "violations": per(mask=out.violation),
            "bad": per(mask=out.bad_review), "returns": per(mask=out.returned),
            "exchanges": per(mask=out.exchanged), "refunds": per(mask=out.refunded),
            "resolved": per(mask=rec.resolved & ~np.isnan(rec.end_t)),
            "work": per(rec.work_s), "talk": per(rec.talk_s),
            "qa": per(np.nan_to_num(out.qa_score)),
            "first_response": per(np.nan_to_num(rec.wait_s), chat),
            "sales": per(out.order_value)}


def _agent_table(model: SimModel, agents: AgentTable, c: dict[str, np.ndarray],
                 per_day: DaySums, days: int, day_intervals: int) -> dict[str, np.ndarray]:
    """:func:`agent_kpis`' columns from the per-(agent, day) sums ``c`` and the
    per-agent-interval matrices summed per day by ``per_day``."""
    na = len(agents)

    def by_day(name: str) -> np.ndarray:
        return per_day(name, days, day_intervals)

    with np.errstate(invalid="ignore", divide="ignore"):
        answered, finished = c["answered"], c["finished"]
        staffed = by_day("staffed")
        rdy, bsy = by_day("ready"), by_day("busy")
        obs = by_day("outbound_s")
        ob_talk = by_day("outbound_talk")
        miss = by_day("missed")
        ob, oc = by_day("outbound"), by_day("connects")
        n_chat, pres, paid, rated, good = (c[k] for k in ("chat", "presale", "paid", "rated",
                                                          "good"))
        cols = {
            "agent": np.repeat(np.arange(na), days),
            "pool_index": np.repeat(agents.pool, days),
            "day": np.tile(np.arange(days), na),
            "staffed_s": staffed,
            "offered": answered + miss,
            "answered": answered,
            "answer_rate": answered / (answered + miss),
            "missed_rings": miss,
            "aht_s": c["work"] / answered,
            "talk_time_s": c["talk"] + ob_talk,
            "acw_s": (c["work"] - c["talk"]) / answered,
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
            "idle_s": by_day("idle"),
            "fcr": c["resolved"] / finished,
            "repeat_contacts": by_day("repeats"),
            "qa_score": c["qa"] / answered,
            "satisfaction": c["satisfied"] / rated,
            "complaints": c["complaints"],
            "violations": c["violations"],
            "named_good_reviews": good,
            "named_good_review_rate": good / answered,
            "bad_reviews": c["bad"],
            "first_response_s": c["first_response"] / n_chat,
            "received_uv": pres,
            "paid_uv": paid,
            "conversion_rate": paid / pres,
            "sales_amount": c["sales"],
            "returns": c["returns"],
            "return_rate": c["returns"] / paid,
            "exchanges": c["exchanges"],
            "exchange_rate": c["exchanges"] / paid,
            "refunds": c["refunds"],
            "refund_rate": c["refunds"] / paid,
        }
    worked = np.flatnonzero(staffed > 0)  # the rows kept: one index, every column
    return {k: v[worked] for k, v in cols.items()}


def overtime(model: SimModel, rec: ContactRecords, agents: AgentTable,
             iv: ContactIntervals | None = None) -> np.ndarray:
    """Agent-seconds past shift end per agent: agents come off duty at an interval boundary
    but finish the contacts in hand (docs/simulation.md), so work on a contact answered
    while on duty that runs past the end of that duty span is overtime — where a load
    lagging behind the arrivals lands. Per duty span the overtime is the time from the
    span's end to the last finish of the contacts in hand (an agent finishing three chat
    sessions works once, not three times). Spans ending at the horizon do not count (the
    run's drain keeps the last staffing on). ``iv``: :func:`contact_intervals` when the
    caller has them already."""
    na, n, L = len(agents), model.n_intervals, model.interval_s
    out = np.zeros(max(na, 1))
    duty = agents.duty
    if compiled_passes() and na:  # the same latest finishes in one compiled loop (the
        # finished answered contacts picked there; none: every sum 0.0, as below)
        from sim.compiled_kpi import overtime_last

        iv = contact_intervals(model, rec) if iv is None else iv
        last = overtime_last(np.ascontiguousarray(duty, np.bool_),
                             np.asarray(rec.agent, np.int64), iv.answer, rec.end_t, float(L))
        return last.reshape(na, n + 1).sum(axis=1)
    done = (rec.agent >= 0) & ~np.isnan(rec.end_t)
    if na == 0 or not done.any():
        return out[:na]
    # off_at[a, i]: first interval j >= i in which agent a is off duty (n if none)
    idx = np.where(~duty, np.arange(n)[None, :], n)
    off_at = np.minimum.accumulate(idx[:, ::-1], axis=1)[:, ::-1]
    a = rec.agent[done]
    i = interval_index(rec.answer_t[done], L, n)
    off = off_at[a, i]
    past = rec.end_t[done] - off * L
    keep = (off < n) & (past > 0)
    if not keep.any():
        return out[:na]
    last = np.zeros(na * (n + 1))
    np.maximum.at(last, a[keep] * (n + 1) + off[keep], past[keep])
    return last.reshape(na, n + 1).sum(axis=1)
