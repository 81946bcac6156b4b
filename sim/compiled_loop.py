"""The compiled desk's event loop (numba): flat arrays in, flat arrays out, no objects.

Imported only when a replication runs on the compiled desk (sim.compiled), so commands
that never simulate do not pay numba's import.


:class:`sim.kernel.Desk` is the readable reference; this module runs its event loop as one
numba function over flat arrays (no Python objects inside the loop), the way the fast
codes of this field keep the readable model beside the fast one. Everything that is not
the event loop — routing tiers, search order of the idle deques, the pre-drawn arrivals,
patience, handle times and resolution draws — is prepared by the readable Desk itself
(:class:`CompiledDesk` builds a Desk and reads its arrays), so both kernels start from the
same numbers. The dynamic draws (retrials, repeat contacts) come from the same numpy
Generators in the same 512-number batches: numba's Generator methods give numpy's bits,
so with the same event order the contact records are equal bit for bit
(tests/sim/test_compiled.py).

Data layout (all flat): a contact is an index into per-contact arrays; a channel's FCFS
queue is a linked list through ``c_next`` (lazy deletion as in the Desk); an idle deque is
a ring buffer of (stamp, agent) pairs, compacted (stale entries dropped, order kept) when
full — stale entries are skipped anyway, so compaction changes nothing; the event heap is
a binary heap ordered by (time, sequence number), as the Desk's heapq of tuples.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

INF = math.inf
FINISH, ABANDON, OVERFLOW, LATER, AUX = 0, 1, 2, 3, 4
WAITING, ANSWERED, ABANDONED = 0, 1, 2
KIND_RETRIAL, KIND_REPEAT = 1, 2
BATCH = 512  # sim.kernel.Batch's refill size
# distribution codes for the dynamic draws (sim.model.Duration)
D_NONE, D_EXP, D_FIXED, D_LOGNORMAL, D_GAMMA = 0, 1, 2, 3, 4
RESERVE_BETA = 1.5  # sim.kernel.RESERVE_BETA


# ---- heap of (time, seq) with kind and payload ---------------------------------------------
@njit(cache=True, inline="always")
def _less(ht, hs, i, j):
    return ht[i] < ht[j] or (ht[i] == ht[j] and hs[i] < hs[j])


@njit(cache=True, inline="always")
def _swap(ht, hs, hk, hp, i, j):
    ht[i], ht[j] = ht[j], ht[i]
    hs[i], hs[j] = hs[j], hs[i]
    hk[i], hk[j] = hk[j], hk[i]
    hp[i], hp[j] = hp[j], hp[i]


@njit(cache=True, inline="always")
def _hpush(ht, hs, hk, hp, st, t, kind, pay):
    n = st[S_HEAP]
    ht[n] = t
    hs[n] = st[S_SEQ]
    hk[n] = kind
    hp[n] = pay
    st[S_SEQ] += 1
    st[S_HEAP] = n + 1
    i = n
    while i > 0:
        p = (i - 1) >> 1
        if _less(ht, hs, i, p):
            _swap(ht, hs, hk, hp, i, p)
            i = p
        else:
            break


@njit(cache=True, inline="always")
def _hpop(ht, hs, hk, hp, st):
    n = st[S_HEAP] - 1
    st[S_HEAP] = n
    _swap(ht, hs, hk, hp, 0, n)
    i = 0
    while True:
        lft = 2 * i + 1
        if lft >= n:
            break
        m = lft
        if lft + 1 < n and _less(ht, hs, lft + 1, lft):
            m = lft + 1
        if _less(ht, hs, m, i):
            _swap(ht, hs, hk, hp, i, m)
            i = m
        else:
            break
    return n  # the popped entry now sits at index n


# integer state slots
S_HEAP, S_SEQ, S_NC, S_FREE, S_TOP, S_INTERVAL, S_LOST, S_NLATER, S_NSRC = range(9)
N_STATE = 9


# ---- idle deques: ring buffers of (stamp, agent) ----------------------------------------------
@njit(cache=True, inline="always")
def _dq_append(dqs, dqa, dqh, dql, d, stamp_v, a, stamp):
    cap = dqs.shape[1]
    if dql[d] == cap:  # full: drop stale entries in place, keep order
        h, n, k = dqh[d], dql[d], 0
        for j in range(n):
            e = (h + j) % cap
            if dqs[d, e] == stamp[dqa[d, e]]:
                w = (h + k) % cap
                dqs[d, w] = dqs[d, e]
                dqa[d, w] = dqa[d, e]
                k += 1
        dql[d] = k
    e = (dqh[d] + dql[d]) % cap
    dqs[d, e] = stamp_v
    dqa[d, e] = a
    dql[d] += 1


@njit(cache=True, inline="always")
def _dq_take(dqs, dqa, dqh, dql, d, stamp):
    """Pop from the left until a valid entry: its agent, or -1 (deque emptied)."""
    cap = dqs.shape[1]
    while dql[d] > 0:
        e = dqh[d]
        s, a = dqs[d, e], dqa[d, e]
        dqh[d] = (e + 1) % cap
        dql[d] -= 1
        if s == stamp[a]:
            return a
    return -1


@njit(cache=True, inline="always")
def _reserved(st):
    return st[S_FREE] <= math.ceil(RESERVE_BETA * math.sqrt(st[S_TOP]))


@njit(cache=True)
def _draw(rng, code, p1, p2):
    if code == D_EXP:
        return rng.exponential(p1)
    if code == D_LOGNORMAL:
        return rng.lognormal(p1, p2)
    if code == D_GAMMA:
        return rng.gamma(p1, p2)
    if code == D_FIXED:
        return p1
    return INF


@njit(cache=True, inline="always")
def _batch(buf, idx, rng, src, ch, b, code, p1, p2):
    """Next number of batch (src, ch, b): b 0 and 4 uniforms, 1..3 durations."""
    if idx[src, ch, b] >= BATCH:
        for j in range(BATCH):
            if b == 0 or b == 4:
                buf[src, ch, b, j] = rng.random()
            else:
                buf[src, ch, b, j] = _draw(rng, code, p1, p2)
        idx[src, ch, b] = 0
    v = buf[src, ch, b, idx[src, ch, b]]
    idx[src, ch, b] += 1
    return v


@njit(cache=True)
def run_desk(
        # exogenous contacts, time-sorted
        arr_t, arr_ch, arr_pat, arr_ht, arr_u,
        # channels
        cap, slow, acw, repeat_p, retrial_p, rank, has_yield, top, n_tiers, tier_delay,
        ht_factor,
        # idle deques and each channel's search order (CSR by channel)
        n_dq, srch_off, srch_delay, srch_dq, srch_guard, dq_index,
        # agents
        pace, fcr, tier_of, blended, duty, availability, aux_phase,
        # dynamic draws: rngs, distributions [src, ch, b] (b 1: delay, 2: patience, 3: handle)
        rng_retrial, rng_repeat, dist_code, dist_p1, dist_p2,
        # run
        interval_s, n_intervals, drain):
    """One replication's event loop (sim.kernel.Desk.run, same rules, flat arrays)."""
    nc = cap.shape[0]
    na = pace.shape[0]
    L = interval_s
    horizon = L * n_intervals
    n_exo = arr_t.shape[0]
    st = np.zeros(N_STATE, np.int64)
    # contacts
    ccap = n_exo + 1024
    c_arr = np.empty(ccap)
    c_ch = np.empty(ccap, np.int64)
    c_kind = np.empty(ccap, np.int8)
    c_ans = np.full(ccap, np.nan)
    c_agent = np.full(ccap, -1, np.int64)
    c_talk = np.full(ccap, np.nan)
    c_work = np.full(ccap, np.nan)
    c_end = np.full(ccap, np.nan)
    c_aban = np.full(ccap, np.nan)
    c_res = np.zeros(ccap, np.bool_)
    c_sess = np.zeros(ccap, np.int16)
    c_ht = np.empty(ccap)
    c_u = np.empty(ccap)
    c_state = np.zeros(ccap, np.int8)
    c_next = np.full(ccap, -1, np.int64)
    q_head = np.full(nc, -1, np.int64)
    q_tail = np.full(nc, -1, np.int64)
    # heap
    hcap = 4096
    ht = np.empty(hcap)
    hs = np.empty(hcap, np.int64)
    hk = np.empty(hcap, np.int8)
    hp = np.empty(hcap, np.int64)
    # later contacts (retrials, repeats): ch, kind, patience, handle, u
    lcap = 1024
    l_ch = np.empty(lcap, np.int64)
    l_kind = np.empty(lcap, np.int8)
    l_pat = np.empty(lcap)
    l_ht = np.empty(lcap)
    l_u = np.empty(lcap)
    rcap = 1024
    rep_src = np.empty(rcap)
    # agents
    stamp = np.zeros(na, np.int64)
    sessions = np.zeros(na, np.int64)
    busy_ch = np.full(na, -1, np.int64)
    on_duty = np.zeros(na, np.bool_)
    aux = np.zeros(na, np.bool_)
    ready = np.zeros(na, np.bool_)
    idle_since = np.full(na, -1.0)
    ready_since = np.full(na, -1.0)
    idle_acc = np.zeros(na)
    ready_acc = np.zeros(na)
    idle_s = np.zeros((na, n_intervals))
    ready_s = np.zeros((na, n_intervals))
    dcap = 8 * na + 64  # at most 2 valid entries an agent: compaction frees >= 3/4
    dqs = np.empty((n_dq, dcap), np.int64)
    dqa = np.empty((n_dq, dcap), np.int64)
    dqh = np.zeros(n_dq, np.int64)
    dql = np.zeros(n_dq, np.int64)
    # dynamic batches
    buf = np.empty((2, nc, 5, BATCH))
    bidx = np.full((2, nc, 5), BATCH, np.int64)
    st[S_INTERVAL] = -1
    nxt = 0  # next exogenous arrival
    now = 0.0
    env_now = 0.0
    step = 0  # 0..n_intervals-1: boundaries, n_intervals: horizon, n_intervals+1: drain
    max_cap = 1
    for k in range(nc):
        max_cap = max(max_cap, cap[k])
    room = 4 + nc + max_cap + int(np.max(n_tiers))
    while True:
        # the coarse clock (Desk.shifts): the next boundary, the horizon, or the drain
        if step < n_intervals:
            until = env_now + (step * L - env_now)
        elif step == n_intervals:
            until = env_now + (horizon - env_now)
        else:
            if not drain:
                break
            until = INF
        # ---- advance: every contact event strictly before ``until`` ------------------
        while True:
            # room for what one event can add
            if st[S_HEAP] + room >= hcap:
                hcap *= 2
                ht, hs, hk, hp = _grow_heap(ht, hs, hk, hp, hcap)
            if st[S_NC] + 2 >= ccap:
                ccap *= 2
                c_arr = _grow_f(c_arr, ccap, 0.0)
                c_ch = _grow_i(c_ch, ccap, 0)
                c_kind = _grow_i8(c_kind, ccap, 0)
                c_ans = _grow_f(c_ans, ccap, np.nan)
                c_agent = _grow_i(c_agent, ccap, -1)
                c_talk = _grow_f(c_talk, ccap, np.nan)
                c_work = _grow_f(c_work, ccap, np.nan)
                c_end = _grow_f(c_end, ccap, np.nan)
                c_aban = _grow_f(c_aban, ccap, np.nan)
                c_res = _grow_b(c_res, ccap)
                c_sess = _grow_i16(c_sess, ccap)
                c_ht = _grow_f(c_ht, ccap, 0.0)
                c_u = _grow_f(c_u, ccap, 0.0)
                c_state = _grow_i8(c_state, ccap, 0)
                c_next = _grow_i(c_next, ccap, -1)
            if st[S_NLATER] + 2 >= lcap:
                lcap *= 2
                l_ch = _grow_i(l_ch, lcap, 0)
                l_kind = _grow_i8(l_kind, lcap, 0)
                l_pat = _grow_f(l_pat, lcap, 0.0)
                l_ht = _grow_f(l_ht, lcap, 0.0)
                l_u = _grow_f(l_u, lcap, 0.0)
            if st[S_NSRC] + 4 >= rcap:
                rcap *= 2
                rep_src = _grow_f(rep_src, rcap, 0.0)
            ta = arr_t[nxt] if nxt < n_exo else INF
            th = ht[0] if st[S_HEAP] > 0 else INF
            if ta <= th:
                if ta >= until:
                    break
                now = ta
                _arrive(now, arr_ch[nxt], 0, arr_pat[nxt], arr_ht[nxt], arr_u[nxt], st,
                        c_arr, c_ch, c_kind, c_ht, c_u, c_state, c_next, q_head, q_tail,
                        ht, hs, hk, hp, n_tiers, tier_delay, srch_off, srch_delay, srch_dq,
                        srch_guard, dqs, dqa, dqh, dql, stamp,
                        sessions, busy_ch, ready, idle_since, idle_acc, blended, top, cap,
                        slow, acw, pace, c_ans, c_agent, c_talk, c_work, c_sess, tier_of,
                        dq_index)
                nxt += 1
            else:
                if th >= until:
                    break
                j = _hpop(ht, hs, hk, hp, st)
                now = ht[j]
                kind = hk[j]
                x = hp[j]
                if kind == FINISH:
                    a = c_agent[x]
                    ch = c_ch[x]
                    resolved = c_u[x] < fcr[a]
                    c_end[x] = now
                    c_res[x] = resolved
                    sessions[a] -= 1
                    stamp[a] += 1
                    if sessions[a] == 0:
                        if top[ch]:
                            st[S_TOP] -= 1
                        if blended[a] and ready[a]:
                            st[S_FREE] += 1
                    if (not resolved) and repeat_p[ch] > 0:
                        if _batch(buf, bidx, rng_repeat, 1, ch, 0, 0, 0.0, 0.0) < repeat_p[ch]:
                            n = st[S_NSRC]
                            rep_src[n] = a
                            rep_src[n + 1] = now
                            st[S_NSRC] = n + 2
                            _later(now, ch, KIND_REPEAT, buf, bidx, rng_repeat, 1, dist_code,
                                   dist_p1, dist_p2, horizon, L, ht_factor, st, l_ch, l_kind,
                                   l_pat, l_ht, l_u, ht, hs, hk, hp)
                    if ready[a]:
                        if sessions[a] == 0 and st[S_INTERVAL] >= 0:
                            idle_since[a] = now
                        _pull(now, a, st, c_arr, c_ch, c_state, c_next, q_head, q_tail, ht, hs,
                              hk, hp, tier_delay, dqs, dqa, dqh, dql, stamp, sessions, busy_ch,
                              ready, idle_since, idle_acc, blended, top, cap, slow, acw, pace,
                              c_ht, c_ans, c_agent, c_talk, c_work, c_sess, tier_of, rank,
                              has_yield, dq_index)
                elif kind == ABANDON:
                    if c_state[x] == WAITING:
                        c_state[x] = ABANDONED
                        c_aban[x] = now
                        ch = c_ch[x]
                        if retrial_p[ch] > 0:
                            if _batch(buf, bidx, rng_retrial, 0, ch, 0, 0, 0.0, 0.0) \
                                    < retrial_p[ch]:
                                _later(now, ch, KIND_RETRIAL, buf, bidx, rng_retrial, 0,
                                       dist_code, dist_p1, dist_p2, horizon, L, ht_factor, st,
                                       l_ch, l_kind, l_pat, l_ht, l_u, ht, hs, hk, hp)
                elif kind == OVERFLOW:
                    ch = x
                    head = _head(ch, c_state, c_next, q_head, q_tail)
                    if head >= 0:
                        a = _find_agent(ch, now - c_arr[head], st, srch_off, srch_delay,
                                        srch_dq, srch_guard, dqs, dqa, dqh, dql, stamp)
                        if a >= 0:
                            _popleft(ch, c_next, q_head, q_tail)
                            _start(now, head, a, st, ht, hs, hk, hp, dqs, dqa, dqh, dql,
                                   stamp, sessions, busy_ch, ready, idle_since, idle_acc,
                                   blended, top, cap, slow, acw, pace, c_ch, c_ht, c_state,
                                   c_ans, c_agent, c_talk, c_work, c_sess, tier_of, dq_index)
                elif kind == LATER:
                    _arrive(now, l_ch[x], l_kind[x], l_pat[x], l_ht[x], l_u[x], st,
                            c_arr, c_ch, c_kind, c_ht, c_u, c_state, c_next, q_head, q_tail,
                            ht, hs, hk, hp, n_tiers, tier_delay, srch_off, srch_delay, srch_dq,
                            srch_guard, dqs, dqa, dqh, dql, stamp,
                            sessions, busy_ch, ready, idle_since, idle_acc, blended, top, cap,
                            slow, acw, pace, c_ans, c_agent, c_talk, c_work, c_sess, tier_of,
                            dq_index)
                else:  # AUX
                    if st[S_INTERVAL] >= 0:
                        a = x >> 1
                        aux[a] = (x & 1) == 1
                        _update_ready(now, a, st, on_duty, aux, ready, ready_since,
                                      ready_acc, c_arr, c_ch, c_state, c_next, q_head,
                                      q_tail, ht, hs, hk, hp, tier_delay, dqs, dqa, dqh, dql,
                                      stamp, sessions, busy_ch, idle_since, idle_acc, blended,
                                      top, cap, slow, acw, pace, c_ht, c_ans, c_agent, c_talk,
                                      c_work, c_sess, tier_of, rank, has_yield, dq_index)
        if until < INF:
            now = until
        if step > n_intervals:
            break
        env_now = until
        # ---- the boundary's own work (Desk.shifts) ---------------------------------------
        _book(now, st, idle_since, ready_since, idle_acc, ready_acc, idle_s, ready_s)
        if step < n_intervals:
            i = step
            st[S_INTERVAL] = i
            for a in range(na):
                if duty[a, i] != on_duty[a]:
                    if st[S_HEAP] + room + max_cap >= hcap:
                        hcap *= 2
                        ht, hs, hk, hp = _grow_heap(ht, hs, hk, hp, hcap)
                    on_duty[a] = duty[a, i]
                    _update_ready(now, a, st, on_duty, aux, ready, ready_since,
                                  ready_acc, c_arr, c_ch, c_state, c_next, q_head,
                                  q_tail, ht, hs, hk, hp, tier_delay, dqs, dqa, dqh, dql,
                                  stamp, sessions, busy_ch, idle_since, idle_acc, blended,
                                  top, cap, slow, acw, pace, c_ht, c_ans, c_agent, c_talk,
                                  c_work, c_sess, tier_of, rank, has_yield, dq_index)
            for a in range(na):
                if duty[a, i] and availability[a] < 1.0:
                    if st[S_HEAP] + 4 >= hcap:
                        hcap *= 2
                        ht, hs, hk, hp = _grow_heap(ht, hs, hk, hp, hcap)
                    av = availability[a]
                    start = env_now + aux_phase[a] * av * L
                    _hpush(ht, hs, hk, hp, st, start, AUX, 2 * a + 1)
                    _hpush(ht, hs, hk, hp, st, start + (1.0 - av) * L, AUX, 2 * a)
        else:
            st[S_INTERVAL] = -1
            idle_since[:] = -1.0
            ready_since[:] = -1.0
        step += 1
    n = st[S_NC]
    waiting = np.zeros(nc, np.int64)
    for k in range(nc):
        c = q_head[k]
        while c >= 0:
            if c_state[c] == WAITING:
                waiting[k] += 1
            c = c_next[c]
    return (c_arr[:n].copy(), c_ch[:n].copy(), c_kind[:n].copy(), c_ans[:n].copy(),
            c_agent[:n].copy(), c_talk[:n].copy(), c_work[:n].copy(), c_end[:n].copy(),
            c_aban[:n].copy(), c_res[:n].copy(), c_sess[:n].copy(), idle_s, ready_s,
            rep_src[:st[S_NSRC]].copy(), st[S_LOST], waiting)


@njit(cache=True)
def _grow_heap(ht, hs, hk, hp, n):
    m = ht.shape[0]
    ht2 = np.empty(n)
    hs2 = np.empty(n, np.int64)
    hk2 = np.empty(n, np.int8)
    hp2 = np.empty(n, np.int64)
    ht2[:m] = ht
    hs2[:m] = hs
    hk2[:m] = hk
    hp2[:m] = hp
    return ht2, hs2, hk2, hp2


@njit(cache=True)
def _grow_f(x, n, fill):
    y = np.full(n, fill)
    y[:x.shape[0]] = x
    return y


@njit(cache=True)
def _grow_i(x, n, fill):
    y = np.full(n, fill, np.int64)
    y[:x.shape[0]] = x
    return y


@njit(cache=True)
def _grow_i8(x, n, fill):
    y = np.full(n, fill, np.int8)
    y[:x.shape[0]] = x
    return y


@njit(cache=True)
def _grow_i16(x, n):
    y = np.zeros(n, np.int16)
    y[:x.shape[0]] = x
    return y


@njit(cache=True)
def _grow_b(x, n):
    y = np.zeros(n, np.bool_)
    y[:x.shape[0]] = x
    return y


@njit(cache=True)
def _book(now, st, idle_since, ready_since, idle_acc, ready_acc, idle_s, ready_s):
    """At an interval boundary: close the interval's ready/idle time per agent."""
    i = st[S_INTERVAL]
    if i >= 0:
        for a in range(idle_since.shape[0]):
            if idle_since[a] >= 0:
                idle_acc[a] += now - idle_since[a]
                idle_since[a] = now
            if ready_since[a] >= 0:
                ready_acc[a] += now - ready_since[a]
                ready_since[a] = now
            idle_s[a, i] = idle_acc[a]
            ready_s[a, i] = ready_acc[a]
    idle_acc[:] = 0.0
    ready_acc[:] = 0.0


@njit(cache=True)
def _later(now, ch, kind, buf, bidx, rng, src, dist_code, p1, p2, horizon, L, ht_factor,
           st, l_ch, l_kind, l_pat, l_ht, l_u, ht, hs, hk, hp):
    """A retrial or repeat contact after its delay, if inside the horizon (Desk._later)."""
    delay = _batch(buf, bidx, rng, src, ch, 1, dist_code[src, ch, 1], p1[src, ch, 1],
                   p2[src, ch, 1])
    pat = _batch(buf, bidx, rng, src, ch, 2, dist_code[src, ch, 2], p1[src, ch, 2],
                 p2[src, ch, 2])
    h = _batch(buf, bidx, rng, src, ch, 3, dist_code[src, ch, 3], p1[src, ch, 3],
               p2[src, ch, 3])
    u = _batch(buf, bidx, rng, src, ch, 4, 0, 0.0, 0.0)
    t = now + delay
    if t >= horizon:
        st[S_LOST] += 1
        return
    nf = ht_factor.shape[1]
    if nf > 0:
        h = h * ht_factor[ch, min(int(t // L), nf - 1)]
    n = st[S_NLATER]
    l_ch[n], l_kind[n], l_pat[n], l_ht[n], l_u[n] = ch, kind, pat, h, u
    st[S_NLATER] = n + 1
    _hpush(ht, hs, hk, hp, st, t, LATER, n)


@njit(cache=True, inline="always")
def _head(ch, c_state, c_next, q_head, q_tail):
    """The oldest waiting contact of ``ch`` (dropping answered/abandoned ones), or -1."""
    c = q_head[ch]
    while c >= 0 and c_state[c] != WAITING:
        c = c_next[c]
        q_head[ch] = c
    if c < 0:
        q_tail[ch] = -1
    return c


@njit(cache=True, inline="always")
def _popleft(ch, c_next, q_head, q_tail):
    c = q_head[ch]
    q_head[ch] = c_next[c]
    if q_head[ch] < 0:
        q_tail[ch] = -1
    return c


@njit(cache=True)
def _find_agent(ch, waited, st, srch_off, srch_delay, srch_dq, srch_guard, dqs, dqa, dqh,
                dql, stamp):
    for e in range(srch_off[ch], srch_off[ch + 1]):
        if srch_delay[e] > waited:
            break
        if srch_guard[e] and _reserved(st):
            continue
        a = _dq_take(dqs, dqa, dqh, dql, srch_dq[e], stamp)
        if a >= 0:
            return a
    return -1


@njit(cache=True)
def _arrive(now, ch, kind, patience, h, u, st, c_arr, c_ch, c_kind, c_ht, c_u, c_state,
            c_next, q_head, q_tail, ht, hs, hk, hp, n_tiers, tier_delay, srch_off, srch_delay,
            srch_dq, srch_guard, dqs, dqa, dqh, dql, stamp, sessions, busy_ch, ready,
            idle_since, idle_acc, blended, top, cap, slow, acw, pace, c_ans, c_agent, c_talk,
            c_work, c_sess, tier_of, dq_index):
    c = st[S_NC]
    st[S_NC] = c + 1
    c_arr[c], c_ch[c], c_kind[c], c_ht[c], c_u[c] = now, ch, kind, h, u
    c_state[c] = WAITING
    c_next[c] = -1
    a = _find_agent(ch, 0.0, st, srch_off, srch_delay, srch_dq, srch_guard, dqs, dqa, dqh,
                    dql, stamp)
    if a >= 0:
        _start(now, c, a, st, ht, hs, hk, hp, dqs, dqa, dqh, dql, stamp, sessions, busy_ch,
               ready, idle_since, idle_acc, blended, top, cap, slow, acw, pace, c_ch, c_ht,
               c_state, c_ans, c_agent, c_talk, c_work, c_sess, tier_of, dq_index)
        return
    if q_tail[ch] >= 0:
        c_next[q_tail[ch]] = c
    else:
        q_head[ch] = c
    q_tail[ch] = c
    if patience < INF:
        _hpush(ht, hs, hk, hp, st, now + patience, ABANDON, c)
    for ti in range(1, n_tiers[ch]):
        _hpush(ht, hs, hk, hp, st, now + tier_delay[ch, ti], OVERFLOW, ch)


@njit(cache=True)
def _start(now, c, a, st, ht, hs, hk, hp, dqs, dqa, dqh, dql, stamp, sessions, busy_ch, ready,
           idle_since, idle_acc, blended, top, cap, slow, acw, pace, c_ch, c_ht, c_state,
           c_ans, c_agent, c_talk, c_work, c_sess, tier_of, dq_index):
    ch = c_ch[c]
    s = sessions[a]
    if s == 0:
        since = idle_since[a]
        if since >= 0:
            idle_acc[a] += now - since
            idle_since[a] = -1.0
        if blended[a]:
            st[S_FREE] -= 1
        if top[ch]:
            st[S_TOP] += 1
    sessions[a] = s + 1
    busy_ch[a] = ch
    stamp[a] += 1
    c_state[c] = ANSWERED
    if s:
        talk = c_ht[c] * pace[a] * (1.0 + slow[ch] * s)
    else:
        talk = c_ht[c] * pace[a]
    work = talk + acw[ch]
    c_ans[c], c_agent[c], c_talk[c], c_work[c], c_sess[c] = now, a, talk, work, s + 1
    _hpush(ht, hs, hk, hp, st, now + work, FINISH, c)
    if s + 1 < cap[ch] and ready[a]:
        _dq_append(dqs, dqa, dqh, dql, dq_index[ch, tier_of[a, ch], s + 1], stamp[a], a, stamp)


@njit(cache=True)
def _pull(now, a, st, c_arr, c_ch, c_state, c_next, q_head, q_tail, ht, hs, hk, hp,
          tier_delay, dqs, dqa, dqh, dql, stamp, sessions, busy_ch, ready, idle_since,
          idle_acc, blended, top, cap, slow, acw, pace, c_ht, c_ans, c_agent, c_talk, c_work,
          c_sess, tier_of, rank, has_yield, dq_index):
    """A ready agent with spare capacity takes eligible contacts, then waits idle."""
    nc = cap.shape[0]
    while True:
        s = sessions[a]
        held = s == 0 and blended[a] and _reserved(st)
        best, best_t, best_r = -1, INF, INF
        for k in range(nc):
            if s == 0:
                if tier_of[a, k] < 0:
                    continue
                ch = k
            else:
                if k > 0:
                    break
                ch = busy_ch[a]
            if s >= cap[ch] or q_head[ch] < 0 or (held and has_yield[ch]):
                continue
            head = _head(ch, c_state, c_next, q_head, q_tail)
            if head >= 0:
                t0 = c_arr[head]
                if now - t0 < tier_delay[ch, tier_of[a, ch]]:
                    continue
                r = rank[ch]
                if r < best_r or (r == best_r and t0 < best_t):
                    best, best_t, best_r = ch, t0, r
        if best < 0:
            break
        c = _popleft(best, c_next, q_head, q_tail)
        _start(now, c, a, st, ht, hs, hk, hp, dqs, dqa, dqh, dql, stamp, sessions, busy_ch,
               ready, idle_since, idle_acc, blended, top, cap, slow, acw, pace, c_ch, c_ht,
               c_state, c_ans, c_agent, c_talk, c_work, c_sess, tier_of, dq_index)
    s = sessions[a]
    sv = stamp[a]
    if s == 0:
        for k in range(nc):
            if tier_of[a, k] >= 0:
                lv = cap[k] if blended[a] and has_yield[k] else 0
                _dq_append(dqs, dqa, dqh, dql, dq_index[k, tier_of[a, k], lv], sv, a, stamp)
    else:
        ch = busy_ch[a]
        if s < cap[ch]:
            _dq_append(dqs, dqa, dqh, dql, dq_index[ch, tier_of[a, ch], s], sv, a, stamp)


@njit(cache=True)
def _update_ready(now, a, st, on_duty, aux, ready, ready_since, ready_acc, c_arr, c_ch,
                  c_state, c_next, q_head, q_tail, ht, hs, hk, hp, tier_delay, dqs, dqa, dqh,
                  dql, stamp, sessions, busy_ch, idle_since, idle_acc, blended, top, cap, slow,
                  acw, pace, c_ht, c_ans, c_agent, c_talk, c_work, c_sess, tier_of, rank,
                  has_yield, dq_index):
    r = on_duty[a] and not aux[a]
    if r == ready[a]:
        return
    ready[a] = r
    stamp[a] += 1
    if blended[a] and sessions[a] == 0:
        st[S_FREE] += 1 if r else -1
    if r:
        ready_since[a] = now
        if sessions[a] == 0:
            idle_since[a] = now
        _pull(now, a, st, c_arr, c_ch, c_state, c_next, q_head, q_tail, ht, hs, hk, hp,
              tier_delay, dqs, dqa, dqh, dql, stamp, sessions, busy_ch, ready, idle_since,
              idle_acc, blended, top, cap, slow, acw, pace, c_ht, c_ans, c_agent, c_talk,
              c_work, c_sess, tier_of, rank, has_yield, dq_index)
    else:
        ready_acc[a] += now - ready_since[a]
        ready_since[a] = -1.0
        if idle_since[a] >= 0:
            idle_acc[a] += now - idle_since[a]
            idle_since[a] = -1.0
