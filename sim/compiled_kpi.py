"""The replication's KPI passes and outcome formulas compiled with numba: one loop over
the contacts instead of a numpy pass (and its temporaries) per column.

:mod:`sim.kpi` and :mod:`sim.outcomes` are the readable reference and call these only
where the compiled desk's code is loaded (:func:`sim.compiled.passes`: numba is then
loaded and the machine compiles; loading these from numba's cache costs a few
milliseconds more). Each loop adds
the same numbers in the same order as the numpy code it replaces — numpy's ``bincount``
adds its weights one by one in array order, starting from 0.0, and so do these loops —
so the results are equal bit for bit (tests/sim/test_replication_fast.py). Everything that
is not a plain sum in record order (interval and day indices by floor division, ratios,
pairwise sums such as ``mean``) stays in numpy.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def overlap_passes(s: np.ndarray, e: np.ndarray, g: np.ndarray, w: np.ndarray,
                   weighted: bool, i: np.ndarray, interval_s: float, n_intervals: int,
                   size: int) -> np.ndarray:
    """sim.kpi.overlap's loop on spans already clipped and kept (``s``, ``e``, ``g``, ``w``,
    ``i``: start, end, group, weight — read only when ``weighted`` —, first interval;
    overwritten). Pass by pass as the
    numpy loop: each pass sums the pieces of the spans still open per (group, interval)
    key from 0.0 in span order, then adds those sums to the totals."""
    out = np.zeros(size)
    tmp = np.zeros(size)
    seen = np.zeros(size, np.bool_)
    touched = np.empty(len(s), np.int64)
    m = len(s)
    while m > 0:
        nt = 0
        for j in range(m):
            edge = (i[j] + 1) * interval_s
            piece = min(e[j], edge) - s[j]
            k = g[j] * n_intervals + i[j]
            if not seen[k]:
                seen[k] = True
                touched[nt] = k
                nt += 1
            tmp[k] += piece * w[j] if weighted else piece
        for t in range(nt):
            k = touched[t]
            out[k] += tmp[k]
            tmp[k] = 0.0
            seen[k] = False
        m2 = 0
        for j in range(m):
            edge = (i[j] + 1) * interval_s
            if e[j] > edge:
                s[m2], e[m2], g[m2], i[m2] = edge, e[j], g[j], i[j] + 1
                if weighted:
                    w[m2] = w[j]
                m2 += 1
        m = m2
    return out


@njit(inline="always")
def _clip(x: float, lo: float, hi: float) -> float:
    """numpy.clip of one float (NaN stays NaN)."""
    if np.isnan(x):
        return x
    return min(max(x, lo), hi)


@njit(inline="always")
def _floor_div(t: float, interval_s: float, whole: bool) -> int:
    """numpy's ``t // interval_s`` as an integer. numpy's (and numba's) floor division
    (fmod, then the quotient of the difference) is the exact floor of the real quotient;
    when ``interval_s`` is a positive whole number (``whole``) and |t| < 2**52 it is found
    faster: k = floor(t / interval_s), the rounded quotient's floor — the same for a whole
    interval length (t one float below a multiple k·L lies at least ulp(k)·2**⌊log2 L⌋ >
    ulp(k)·L/2 below it, too far for the quotient to round up to k) — and k · interval_s,
    an integer below 2**53 (exact), compared with t checks it."""
    if whole and abs(t) < 4503599627370496.0:
        k = np.floor(t / interval_s)
        if k * interval_s > t:
            k -= 1.0
        elif (k + 1.0) * interval_s <= t:
            k += 1.0
        return int(k)
    return int(t // interval_s)


@njit(cache=True)
def contact_intervals(arrival_t: np.ndarray, answer_t: np.ndarray, agent: np.ndarray,
                      interval_s: float, n_intervals: int) -> tuple[np.ndarray, np.ndarray]:
    """Each contact's arrival interval and, answered (``agent`` ≥ 0), its answer interval
    (-1 otherwise): ``min(t // interval_s, n_intervals - 1)`` as numpy computes it
    (:func:`_floor_div`) — the floor divisions every KPI pass needs, once."""
    n = len(arrival_t)
    whole = interval_s > 0 and np.floor(interval_s) == interval_s
    arr = np.empty(n, np.int64)
    ans = np.empty(n, np.int64)
    for c in range(n):
        arr[c] = min(_floor_div(arrival_t[c], interval_s, whole), n_intervals - 1)
        ans[c] = (min(_floor_div(answer_t[c], interval_s, whole), n_intervals - 1)
                  if agent[c] >= 0 else -1)
    return arr, ans


@njit(cache=True)
def busy_overlap(answer_t: np.ndarray, work_s: np.ndarray, agent: np.ndarray,
                 channel: np.ndarray, inv_cap: np.ndarray, answer_iv: np.ndarray,
                 horizon: float, interval_s: float, n_intervals: int, size: int
                 ) -> np.ndarray:
    """sim.kpi.busy_time's overlap in one pass: the answered contacts' spans [answer_t,
    answer_t + work_s) clipped to the horizon, the empty ones dropped, weighted by
    ``inv_cap`` of their channel (1 / concurrency), per agent — then overlap_passes.
    ``answer_iv``: contact_intervals' answer intervals (the clipped start's interval when
    the clip left the start alone)."""
    n = len(agent)
    s, e, w = np.empty(n), np.empty(n), np.empty(n)
    g, i = np.empty(n, np.int64), np.empty(n, np.int64)
    m = 0
    for c in range(n):
        if agent[c] < 0:
            continue
        st0 = answer_t[c]
        st = _clip(st0, 0.0, horizon)
        en = _clip(st0 + work_s[c], 0.0, horizon)
        if en > st:
            s[m], e[m], g[m], w[m] = st, en, agent[c], inv_cap[channel[c]]
            i[m] = answer_iv[c] if st == st0 else min(int(st // interval_s), n_intervals - 1)
            m += 1
    return overlap_passes(s[:m], e[:m], g[:m], w[:m], True, i[:m], interval_s, n_intervals,
                          size)


@njit(cache=True)
def queue_overlap(arrival_t: np.ndarray, answer_t: np.ndarray, abandon_t: np.ndarray,
                  channel: np.ndarray, arrival_iv: np.ndarray, horizon: float,
                  interval_s: float, n_intervals: int, size: int) -> np.ndarray:
    """sim.kpi.queue_time's overlap in one pass: each contact's wait [arrival_t, answer_t
    or abandon_t or ∞) clipped to the horizon, the empty ones dropped, per channel — then
    overlap_passes. ``arrival_iv``: contact_intervals' arrival intervals."""
    n = len(arrival_t)
    s, e = np.empty(n), np.empty(n)
    g, i = np.empty(n, np.int64), np.empty(n, np.int64)
    m = 0
    for c in range(n):
        end = answer_t[c]
        if np.isnan(end):
            end = abandon_t[c]
        if np.isnan(end):
            end = np.inf
        st0 = arrival_t[c]
        st = _clip(st0, 0.0, horizon)
        en = _clip(end, 0.0, horizon)
        if en > st:
            s[m], e[m], g[m] = st, en, channel[c]
            i[m] = arrival_iv[c] if st == st0 else min(int(st // interval_s), n_intervals - 1)
            m += 1
    return overlap_passes(s[:m], e[:m], g[:m], np.empty(0), False, i[:m], interval_s,
                          n_intervals, size)


@njit(inline="always")
def _nan_to_num(x: float) -> float:
    """numpy.nan_to_num of one float: nan → 0, ±inf → the largest finite float."""
    if np.isnan(x):
        return 0.0
    if np.isinf(x):
        return 1.7976931348623157e308 if x > 0 else -1.7976931348623157e308
    return x


# columns of agent_sums' counts and sums (sim.kpi.agent_kpis reads them by these numbers)
(A_ANSWERED, A_FINISHED, A_CHAT, A_PRESALE, A_PAID, A_RATED, A_GOOD, A_SATISFIED,
 A_COMPLAINT, A_VIOLATION, A_BAD, A_RETURNED, A_EXCHANGED, A_REFUNDED, A_RESOLVED) = range(15)
S_WORK, S_TALK, S_QA, S_FIRST_RESPONSE, S_SALES = range(5)


@njit(cache=True)
def agent_sums(ans: np.ndarray, keys: np.ndarray, size: int, end_t: np.ndarray,
               resolved: np.ndarray, channel: np.ndarray, chat: np.ndarray,
               work_s: np.ndarray, talk_s: np.ndarray, arrival_t: np.ndarray,
               answer_t: np.ndarray, presale: np.ndarray,
               paid: np.ndarray, rated: np.ndarray, good: np.ndarray,
               satisfied: np.ndarray, complaint: np.ndarray, violation: np.ndarray,
               bad: np.ndarray, returned: np.ndarray, exchanged: np.ndarray,
               refunded: np.ndarray, qa: np.ndarray, order_value: np.ndarray,
               count_tables: int) -> tuple[np.ndarray, np.ndarray]:
    """Per key over the answered contacts ``ans`` (record order): the counts (A_* columns)
    and the sums (S_* columns) of sim.kpi.agent_kpis, each sum in record order from 0.0
    as its bincount. ``keys`` holds one row per table (e.g. agent × day, and agent over
    the horizon), one key per answered contact, the tables' keys in disjoint ranges of
    ``size`` rows: every table's sums come from this one pass over the contacts, each
    added in the same order as a pass of its own. ``chat`` per channel; an answered
    contact's wait is answer_t − arrival_t (ContactRecords.wait_s). Counts are added for
    the first ``count_tables`` tables only (the caller adds the others' up from those:
    integers, exact in any order); the sums for every table."""
    cnt = np.zeros((size, 15))
    tot = np.zeros((size, 5))
    # branch-free: a flag adds 1.0 or 0.0 (counts are exact either way), a chat-only
    # sum adds 0.0 for the other contacts (x + 0.0 = x, as bincount's zero weights)
    for j in range(len(ans)):
        c = ans[j]
        fin = not np.isnan(end_t[c])
        res = fin and resolved[c]
        ch, pre, pd, rt = chat[channel[c]], presale[c], paid[c], rated[c]
        gd, sat, cpl, vio = good[c], satisfied[c], complaint[c], violation[c]
        bd, ret, exc, rfd = bad[c], returned[c], exchanged[c], refunded[c]
        work, talk, q = work_s[c], talk_s[c], _nan_to_num(qa[c])
        first = _nan_to_num(answer_t[c] - arrival_t[c]) if ch else 0.0
        sales = order_value[c]
        for t in range(keys.shape[0]):
            k = keys[t, j]
            tot[k, S_WORK] += work
            tot[k, S_TALK] += talk
            tot[k, S_QA] += q
            tot[k, S_FIRST_RESPONSE] += first
            tot[k, S_SALES] += sales
            if t >= count_tables:
                continue
            cnt[k, A_ANSWERED] += 1.0
            cnt[k, A_FINISHED] += fin
            cnt[k, A_RESOLVED] += res
            cnt[k, A_CHAT] += ch
            cnt[k, A_PRESALE] += pre
            cnt[k, A_PAID] += pd
            cnt[k, A_RATED] += rt
            cnt[k, A_GOOD] += gd
            cnt[k, A_SATISFIED] += sat
            cnt[k, A_COMPLAINT] += cpl
            cnt[k, A_VIOLATION] += vio
            cnt[k, A_BAD] += bd
            cnt[k, A_RETURNED] += ret
            cnt[k, A_EXCHANGED] += exc
            cnt[k, A_REFUNDED] += rfd
    return cnt, tot


@njit(cache=True)
def answered_keys(agent: np.ndarray, answer_iv: np.ndarray, days: np.ndarray,
                  day_intervals: np.ndarray, base: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray]:
    """The answered contacts (record order) and, per table t, each one's row of
    agent_sums: ``base[t] + agent × days[t] + answer interval // day_intervals[t]``."""
    m = 0
    for c in range(len(agent)):
        m += agent[c] >= 0
    ans = np.empty(m, np.int64)
    keys = np.empty((len(days), m), np.int64)
    j = 0
    for c in range(len(agent)):
        if agent[c] >= 0:
            ans[j] = c
            for t in range(len(days)):
                keys[t, j] = base[t] + agent[c] * days[t] + answer_iv[c] // day_intervals[t]
            j += 1
    return ans, keys


# columns of team_counts (sim.kpi.team_metrics reads them by these numbers)
(T_OFFERED, T_ANSWERED, T_ABANDONED, T_WITHIN, T_WAITED, T_FINISHED, T_FINISHED_RESOLVED,
 T_REPEAT, T_RETRIAL, T_RATED, T_SATISFIED, T_GOOD, T_BAD, T_COMPLAINT, T_VIOLATION,
 T_PRESALE, T_PAID) = range(17)


@njit(cache=True)
def team_counts(nc: int, warmup_s: float, channel: np.ndarray, kind: np.ndarray,
                arrival_t: np.ndarray, answer_t: np.ndarray, agent: np.ndarray,
                abandon_t: np.ndarray, end_t: np.ndarray, resolved: np.ndarray,
                within_s: np.ndarray, repeat_kind: int, retrial_kind: int,
                rated: np.ndarray, satisfied: np.ndarray, good: np.ndarray,
                bad: np.ndarray, complaint: np.ndarray, violation: np.ndarray,
                presale: np.ndarray, paid: np.ndarray) -> np.ndarray:
    """sim.kpi.team_metrics' counts per channel (T_* columns) over the contacts arriving
    after the warm-up, in one pass: integers, exact in any order."""
    out = np.zeros((nc, 17), np.int64)
    for c in range(len(channel)):
        if not arrival_t[c] >= warmup_s:
            continue
        k = channel[c]
        ans = agent[c] >= 0
        w = answer_t[c] - arrival_t[c]  # the wait of an answered contact
        fin = not np.isnan(end_t[c])
        out[k, T_OFFERED] += 1
        out[k, T_ANSWERED] += ans
        out[k, T_ABANDONED] += not np.isnan(abandon_t[c])
        out[k, T_WITHIN] += ans and w <= within_s[k]
        out[k, T_WAITED] += not (ans and w <= 0.0)
        out[k, T_FINISHED] += fin
        out[k, T_FINISHED_RESOLVED] += fin and resolved[c]
        out[k, T_REPEAT] += kind[c] == repeat_kind
        out[k, T_RETRIAL] += kind[c] == retrial_kind
        out[k, T_RATED] += rated[c]
        out[k, T_SATISFIED] += satisfied[c]
        out[k, T_GOOD] += good[c]
        out[k, T_BAD] += bad[c]
        out[k, T_COMPLAINT] += complaint[c]
        out[k, T_VIOLATION] += violation[c]
        out[k, T_PRESALE] += presale[c]
        out[k, T_PAID] += paid[c]
    return out


# columns of interval_sums
I_OFFERED, I_ANSWERED, I_WITHIN, I_ABANDONED, I_REPEAT, I_RETRIAL = range(6)


@njit(cache=True)
def interval_sums(key: np.ndarray, size: int, channel: np.ndarray, kind: np.ndarray,
                  arrival_t: np.ndarray, answer_t: np.ndarray, agent: np.ndarray,
                  abandon_t: np.ndarray, work_s: np.ndarray, within_s: np.ndarray,
                  kind_repeat: int, kind_retrial: int
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """sim.kpi.interval_metrics' counts (I_* columns) and its answered contacts' waiting
    and work time per (channel, interval) key, summed in record order from 0.0."""
    cnt = np.zeros((size, 6))
    wait_sum = np.zeros(size)
    work_sum = np.zeros(size)
    for c in range(len(key)):
        k = key[c]
        cnt[k, I_OFFERED] += 1.0
        if agent[c] >= 0:
            # wait_s of an answered contact: answer_t - arrival_t (ContactRecords.wait_s)
            wait = answer_t[c] - arrival_t[c]
            cnt[k, I_ANSWERED] += 1.0
            if wait <= within_s[channel[c]]:
                cnt[k, I_WITHIN] += 1.0
            wait_sum[k] += _nan_to_num(wait)
            work_sum[k] += _nan_to_num(work_s[c])
        if not np.isnan(abandon_t[c]):
            cnt[k, I_ABANDONED] += 1.0
        if kind[c] == kind_repeat:
            cnt[k, I_REPEAT] += 1.0
        elif kind[c] == kind_retrial:
            cnt[k, I_RETRIAL] += 1.0
    return cnt, wait_sum, work_sum

# columns of outcome_flags' booleans
(O_RATED, O_SATISFIED, O_GOOD, O_BAD, O_COMPLAINT, O_VIOLATION, O_PRESALE, O_PAID,
 O_RETURNED, O_EXCHANGED, O_REFUNDED) = range(11)


@njit(cache=True)
def outcome_flags(u: np.ndarray, z1: np.ndarray, agent: np.ndarray, channel: np.ndarray,
                  rating: np.ndarray, satisfaction: np.ndarray, good: np.ndarray,
                  bad: np.ndarray, complaint: np.ndarray, violation: np.ndarray,
                  qa_mean: np.ndarray, conversion_factor: np.ndarray,
                  returns_factor: np.ndarray, presale_share: np.ndarray,
                  conversion: np.ndarray, return_rate: np.ndarray,
                  exchange_rate: np.ndarray, refund_rate: np.ndarray, qa_sd: float,
                  flags: tuple, qa: np.ndarray) -> None:
    """sim.outcomes._draw_chunk's formulas contact by contact: ``u`` the (n, 11) uniforms,
    ``z1`` the QA normals; per-agent probabilities and per-channel sales parameters as
    arrays. Writes the 11 booleans (``flags``: 11 boolean arrays in the O_* order, e.g. the
    outcome arrays themselves) and the QA scores. Every
    outcome of a contact never answered is False (QA NaN), as every formula there starts
    with ``answered &``; the same products, clips and comparisons otherwise."""
    for c in range(len(agent)):
        a = agent[c]
        if a < 0:
            for j in range(11):
                flags[j][c] = False
            qa[c] = np.nan
            continue
        k = channel[c]
        rated = u[c, 0] < rating[a]
        presale = u[c, 7] < presale_share[k]
        conv = min(max(conversion[k] * conversion_factor[a], 0.0), 1.0)
        paid = presale and u[c, 8] < conv
        ret = min(max(return_rate[k] * returns_factor[a], 0.0), 1.0)
        exc = min(max(exchange_rate[k] * returns_factor[a], 0.0), 1.0)
        ref = min(max(refund_rate[k] * returns_factor[a], 0.0), 1.0)
        returned = u[c, 9] < ret
        flags[O_RATED][c] = rated
        flags[O_SATISFIED][c] = rated and u[c, 1] < satisfaction[a]
        flags[O_GOOD][c] = u[c, 2] < good[a]
        flags[O_BAD][c] = u[c, 3] < bad[a]
        flags[O_COMPLAINT][c] = u[c, 4] < complaint[a]
        flags[O_VIOLATION][c] = u[c, 5] < violation[a]
        flags[O_PRESALE][c] = presale
        flags[O_PAID][c] = paid
        flags[O_RETURNED][c] = paid and returned
        flags[O_EXCHANGED][c] = paid and not returned and u[c, 10] < exc
        flags[O_REFUNDED][c] = paid and u[c, 6] < ref
        qa[c] = min(max(qa_mean[a] + qa_sd * z1[c], 0.0), 100.0)


@njit(cache=True)
def overtime_last(duty: np.ndarray, a: np.ndarray, i: np.ndarray, end_t: np.ndarray,
                  interval_s: float) -> np.ndarray:
    """sim.kpi.overtime's (agent, duty-span end) table of the latest finish past the span's
    end: ``duty`` (agents, intervals); per contact its agent ``a`` (< 0: never answered),
    the interval ``i`` it was answered in and its end ``end_t`` (NaN: not finished); the
    finished answered ones count. The first interval at or after ``i`` in which the agent
    is off duty ends the span (none: the horizon, not counted). A maximum: the same in
    any order."""
    na, n = duty.shape
    off_at = np.empty((na, n), np.int64)
    for g in range(na):
        nxt = n
        for j in range(n - 1, -1, -1):
            if not duty[g, j]:
                nxt = j
            off_at[g, j] = nxt
    last = np.zeros(na * (n + 1))
    for c in range(len(a)):
        if a[c] < 0 or np.isnan(end_t[c]):
            continue
        off = off_at[a[c], i[c]]
        past = end_t[c] - off * interval_s
        if off < n and past > 0:
            k = a[c] * (n + 1) + off
            if past > last[k]:
                last[k] = past
    return last


def warm() -> None:
    """Call every pass once on tiny inputs of the types sim.kpi and sim.outcomes pass, so
    numba compiles them (or loads them from its cache) — sim.compiled.warm_up's job."""
    f, i, b = np.zeros(2), np.zeros(2, np.int64), np.zeros(2, np.bool_)
    overlap_passes(f.copy(), f + 1.0, i.copy(), f.copy(), True, i.copy(), 1.0, 2, 4)
    overlap_passes(f.copy(), f + 1.0, i.copy(), np.empty(0), False, i.copy(), 1.0, 2, 4)
    agent_sums(i, np.zeros((2, 2), np.int64), 2, f, b, i, b, f, f, f, f, b, b, b, b, b, b,
               b, b, b, b, b, f, f, 2)
    answered_keys(i, i, i + 1, i + 1, i)
    interval_sums(i, 2, i, i, f, f, i, f, f, f, 2, 1)
    team_counts(2, 0.0, i, i, f, f, i, f, f, b, f, 2, 1, b, b, b, b, b, b, b, b)
    outcome_flags(np.zeros((2, 11)), f, i, i, f, f, f, f, f, f, f, f, f, f, f, f, f, f,
                  6.0, tuple([b.copy() for _ in range(11)]), f.copy())
    overtime_last(np.zeros((2, 2), np.bool_), i, i, f, 1.0)
    contact_intervals(f, f, i, 1.0, 2)
    busy_overlap(f, f, i, i, f, i, 2.0, 1.0, 2, 4)
    queue_overlap(f, f, f, i, i, 2.0, 1.0, 2, 4)
    for m in (np.zeros((2, 2)), np.zeros((2, 2), np.int64), np.zeros((2, 2), np.bool_)):
        count_day_sums(m, 1, 2)
        skilled_column_sums(m, 1.0, b)
    skilled_count(np.zeros((2, 2), np.bool_), b, 1)
    channel_gather(2, 0.0, i, f, f, i, f, f, f)
    channel_interval_counts(i, i, 1, 2)
    bb = np.zeros((2, 2), np.bool_)
    ring_means(bb, np.zeros((2, 2)), 1.0, bb, np.zeros((2, 2)), 0.5)
    outbound_means(bb, 1.0, f, f)
    merge_sorted(f.copy(), np.array([0, 1, 2], np.int64))
    merge_sorted(np.zeros(3), np.array([0, 1, 2, 3], np.int64))
    scale_handle(f.copy(), f, i, f, np.array([0, 2, 4], np.int64), 1.0)


# ---- the agent tables' day sums and the skilled agents' column sums ------------------------
@njit(cache=True)
def skilled_count(duty: np.ndarray, rows: np.ndarray, first: int) -> int:
    """On-duty cells of the selected rows (a boolean mask) from column ``first`` on."""
    na, n = duty.shape
    m = 0
    for g in range(na):
        if rows[g]:
            for j in range(first, n):
                m += duty[g, j]
    return m


@njit(cache=True)
def count_day_sums(mat: np.ndarray, days: int, day_intervals: int
                   ) -> tuple[np.ndarray, int]:
    """Per agent and day the sum of an integer (or boolean) matrix's intervals, in
    integers, and the sum of all the numbers' magnitudes: the integer sums equal numpy's
    float sums of the same numbers (times an integer factor F > 0) whenever F × that total
    is below 2**53 — every partial sum is then an exact integer, whatever the order."""
    na, n = mat.shape
    out = np.empty(na * days, np.int64)
    total = 0
    for g in range(na):
        for d in range(days):
            s = 0
            for j in range(d * day_intervals, min((d + 1) * day_intervals, n)):
                x = np.int64(mat[g, j])
                s += x
                total += x if x >= 0 else -x
            out[g * days + d] = s
    return out, total


@njit(cache=True)
def skilled_column_sums(mat: np.ndarray, scale: float, rows: np.ndarray) -> np.ndarray:
    """``(mat * scale)[rows].sum(0)`` as numpy adds it: the selected rows (a boolean mask)
    added one after the other, column by column, from 0.0."""
    na, n = mat.shape
    out = np.zeros(n)
    for g in range(na):
        if rows[g]:
            for j in range(n):
                out[j] += mat[g, j] * scale
    return out


@njit(cache=True)
def channel_gather(nc: int, warmup_s: float, channel: np.ndarray, arrival_t: np.ndarray,
                   answer_t: np.ndarray, agent: np.ndarray, work_s: np.ndarray,
                   talk_s: np.ndarray, order_value: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """sim.kpi.team_metrics' gathers over the contacts arriving after the warm-up, by
    channel in record order: ``answered`` (3, A) holds the answered contacts' waits, work
    and talk times, channel k's in columns ``a_at[k]:a_at[k + 1]``; ``value`` every
    contact's order value, channel k's in ``v_at[k]:v_at[k + 1]`` — the arrays numpy's
    masked gathers give, so numpy sums them as it sums those."""
    n = len(channel)
    n_after = np.zeros(nc + 1, np.int64)
    n_answered = np.zeros(nc + 1, np.int64)
    for c in range(n):
        if arrival_t[c] >= warmup_s:
            n_after[channel[c] + 1] += 1
            if agent[c] >= 0:
                n_answered[channel[c] + 1] += 1
    v_at = np.cumsum(n_after)
    a_at = np.cumsum(n_answered)
    value = np.empty(v_at[nc])
    answered = np.empty((3, a_at[nc]))
    vi = v_at[:nc].copy()
    ai = a_at[:nc].copy()
    for c in range(n):
        if arrival_t[c] >= warmup_s:
            k = channel[c]
            value[vi[k]] = order_value[c]
            vi[k] += 1
            if agent[c] >= 0:
                j = ai[k]
                answered[0, j] = answer_t[c] - arrival_t[c]  # wait_s of an answered contact
                answered[1, j] = work_s[c]
                answered[2, j] = talk_s[c]
                ai[k] += 1
    return answered, a_at, value, v_at


# ---- the Poisson and binomial means of sim.runner's agent-interval draws ---------------------
@njit(cache=True)
def channel_interval_counts(arrival_iv: np.ndarray, channel: np.ndarray, nc: int,
                            n_intervals: int) -> np.ndarray:
    """Contacts per channel and arrival interval (integers, as floats)."""
    out = np.zeros((nc, n_intervals))
    for c in range(len(channel)):
        out[channel[c], arrival_iv[c]] += 1.0
    return out


@njit(cache=True)
def ring_means(duty: np.ndarray, ready_s: np.ndarray, interval_s: float,
               skilled: np.ndarray, per: np.ndarray, share: float
               ) -> tuple[np.ndarray, np.ndarray]:
    """sim.runner._missed_rings' Poisson means, the non-zero ones only (flat C-order
    positions and values, as ``lam[lam != 0]``): per agent and interval
    ``not_ready × rate × share`` with not_ready = max(duty × interval_s − ready_s, 0) and
    rate = 0.0 + ``per[k]`` of each channel k the agent is ``skilled`` for ([channel,
    agent]), in channel order — numpy's element-wise operations in numpy's order."""
    na, n = ready_s.shape
    nc = skilled.shape[0]
    pos = np.empty(na * n, np.int64)
    val = np.empty(na * n)
    m = 0
    for a in range(na):
        for j in range(n):
            x = (interval_s if duty[a, j] else 0.0) - ready_s[a, j]
            not_ready = x if (x >= 0.0 or np.isnan(x)) else 0.0  # np.maximum(x, 0.0)
            rate = 0.0
            for k in range(nc):
                if skilled[k, a]:
                    rate += per[k, j]
            lam = not_ready * rate * share
            if lam != 0:
                pos[m] = a * n + j
                val[m] = lam
                m += 1
    return pos[:m], val[:m]


@njit(cache=True)
def outbound_means(duty: np.ndarray, interval_s: float, effort: np.ndarray,
                   per: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """sim.runner._outbound's "ready_time" mode: the time on outbound work per agent and
    interval, ``duty × interval_s × effort[agent]``, and the non-zero Poisson means of its
    attempts ``out_s / per[agent]`` (0 where per ≤ 0; flat positions and values)."""
    na, n = duty.shape
    out_s = np.empty((na, n))
    pos = np.empty(na * n, np.int64)
    val = np.empty(na * n)
    m = 0
    for a in range(na):
        for j in range(n):
            v = (interval_s if duty[a, j] else 0.0) * effort[a]
            out_s[a, j] = v
            lam = v / per[a] if per[a] > 0 else 0.0
            if lam != 0:
                pos[m] = a * n + j
                val[m] = lam
                m += 1
    return out_s, pos[:m], val[:m]


# ---- the exogenous draws' finishing passes (sim.arrivals, sim.kernel) -----------------------
@njit(cache=True)
def merge_sorted(times: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Channels' sorted arrival times (concatenated, channel k's from ``starts[k]``) merged
    in time order, with the channel of each: a stable merge — on equal times the lower
    channel first — the same arrays as a stable argsort of the concatenation."""
    k_n = len(starts) - 1
    n = len(times)
    out_t = np.empty(n)
    out_c = np.empty(n, np.int64)
    if k_n == 2:  # two channels: the same choice (the first on equal times) by two cursors
        i, e0, j, e1 = starts[0], starts[1], starts[1], starts[2]
        for q in range(n):
            if i < e0 and (j >= e1 or not times[j] < times[i]):
                out_t[q], out_c[q] = times[i], 0
                i += 1
            else:
                out_t[q], out_c[q] = times[j], 1
                j += 1
        return out_t, out_c
    pos = starts[:-1].copy()
    for j in range(n):
        best = -1
        bt = 0.0
        for k in range(k_n):
            if pos[k] < starts[k + 1]:
                v = times[pos[k]]
                if best < 0 or v < bt:
                    best, bt = k, v
        out_t[j] = bt
        out_c[j] = best
        pos[best] += 1
    return out_t, out_c


@njit(cache=True)
def scale_handle(ht: np.ndarray, t: np.ndarray, ch: np.ndarray, factors: np.ndarray,
                 offsets: np.ndarray, interval_s: float) -> None:
    """sim.kernel's handle-time factor in place: each contact's handle time times its
    channel's factor of the interval it arrives in (``t // interval_s``, numba's floor
    division being CPython's and numpy's algorithm; the last factor past the end)."""
    whole = interval_s > 0 and np.floor(interval_s) == interval_s
    for j in range(len(ht)):
        k = ch[j]
        nf = offsets[k + 1] - offsets[k]
        ht[j] *= factors[offsets[k] + min(_floor_div(t[j], interval_s, whole), nf - 1)]
