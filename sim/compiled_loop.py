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

Data layout. The state lives in a few packed 2-D arrays, one row per contact, agent,
channel, heap slot or idle deque, one column per field (the column numbers are the
constants below):

- ``cf`` / ``ci``: a contact's floats (arrival, answer, talk, work, end, abandon, handle
  time, resolution draw) and integers (channel, kind, agent, resolved, session, state,
  next waiting contact of its channel);
- ``af`` / ``ai``: an agent's floats (idle/ready since, idle/ready time in the interval,
  pace, resolution rate, availability, aux phase) and integers (stamp, sessions, busy
  channel, on duty, in aux, ready, blended, then its tier on each channel);
- ``hf`` / ``hi``: the event heap — time, and (sequence number, kind, payload) — a binary
  heap ordered by (time, sequence number), as the Desk's heapq of tuples;
- ``chf`` / ``chi``: a channel's parameters, its FCFS queue (a linked list through the
  contacts' "next" column, with lazy deletion as in the Desk), its routing tiers and the
  numbers of its idle deques;
- ``dq`` / ``dqi``: the idle deques, ring buffers of (stamp, agent) with their head and
  length, compacted (stale entries dropped, order kept) when full — stale entries are
  skipped anyway, so compaction changes nothing;
- ``st``: the scalar counters.

Why packed: a compiled helper that is not inlined takes and releases a reference on every
array argument at every call (numba's reference counting); with one array per field the
helpers took ~40 arrays each, and that bookkeeping, not the simulation, was most of a
contact's cost (docs/performance.md). Packed, they take a dozen, and the helpers of the
per-contact path (_arrive, _find_agent, _start, _pull, _update_ready, _later) are inlined
by numba (``inline="always"``), so that path makes no call at all.

Why two functions: even inlined, each helper's array arguments still took and dropped a
reference (an atomic add on the array's counter) at every use — over half of the loop's
CPU time on the flagship's models, measured with perf. The events therefore run in
:func:`_events`, compiled without numba's runtime (``_nrt=False``: no reference counts
at all), which allocates nothing; :func:`run_desk` owns the arrays, grows them and refills
the batches of dynamic draws when :func:`_events` stops to ask, and does the interval
boundaries' work. The events, their order and the draws are those of one loop.
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

# scalar state slots (st)
S_HEAP, S_SEQ, S_NC, S_FREE, S_TOP, S_INTERVAL, S_LOST, S_NLATER, S_NSRC, S_NLV, S_NXT, \
    S_AHEAD, S_ALEN, S_REFILL = range(14)
N_STATE = 14
# what _events returns: every event before ``until`` done, an array to grow first, or a
# batch of dynamic draws to refill first (its number src * 1024 + ch * 8 + b in S_REFILL)
EV_DONE, EV_GROW, EV_REFILL = 0, 1, 2
# contact columns: floats (cf), integers (ci)
CF_ARR, CF_ANS, CF_TALK, CF_WORK, CF_END, CF_ABAN, CF_HT, CF_U = range(8)
N_CF = 8
CI_CH, CI_KIND, CI_AGENT, CI_RES, CI_SESS, CI_STATE, CI_NEXT = range(7)
N_CI = 7
# agent columns: floats (af), integers (ai; the agent's tier on channel k at AI_TIER + k)
AF_IDLE_SINCE, AF_READY_SINCE, AF_IDLE_ACC, AF_READY_ACC, AF_PACE, AF_FCR, AF_AVAIL, \
    AF_AUX_PHASE = range(8)
N_AF = 8
AI_STAMP, AI_SESS, AI_BUSY, AI_ON_DUTY, AI_AUX, AI_READY, AI_BLENDED, AI_TIER = range(8)
# channel columns: floats (chf; tier ti's delay at CHF_DELAY + ti), integers (chi; the idle
# deque of tier ti, level lv at CHI_DQ + ti * n_levels + lv)
CHF_SLOW, CHF_ACW, CHF_REPEAT, CHF_RETRIAL, CHF_DELAY = range(5)
CHI_CAP, CHI_RANK, CHI_YIELD, CHI_TOP, CHI_TIERS, CHI_QHEAD, CHI_QTAIL, CHI_SRCH0, \
    CHI_SRCH1, CHI_DQ = range(10)
# heap integer columns (hi)
H_SEQ, H_KIND, H_PAY = range(3)


# ---- heap of (time, seq) with kind and payload: sift with a hole -----------------------------
@njit(cache=True, inline="always")
def _hmove(hf, hi, dst, src):
    """Move the heap entry at ``src`` into the hole at ``dst``."""
    hf[dst] = hf[src]
    hi[dst, H_SEQ] = hi[src, H_SEQ]
    hi[dst, H_KIND] = hi[src, H_KIND]
    hi[dst, H_PAY] = hi[src, H_PAY]


@njit(cache=True, inline="always")
def _hset(hf, hi, i, t, seq, kind, pay):
    """Put the entry (t, seq, kind, pay) into the hole at ``i``."""
    hf[i] = t
    hi[i, H_SEQ] = seq
    hi[i, H_KIND] = kind
    hi[i, H_PAY] = pay


@njit(cache=True, inline="always")
def _hpush(hf, hi, st, t, kind, pay):
    n = st[S_HEAP]
    seq = st[S_SEQ]
    st[S_SEQ] = seq + 1
    st[S_HEAP] = n + 1
    i = n
    while i > 0:
        p = (i - 1) >> 1
        tp = hf[p]
        if t < tp or (t == tp and seq < hi[p, H_SEQ]):
            _hmove(hf, hi, i, p)
            i = p
        else:
            break
    _hset(hf, hi, i, t, seq, kind, pay)


@njit(cache=True, inline="always")
def _hpop(hf, hi, st):
    """Remove the earliest event: (time, kind, payload). The pop order is the (time,
    sequence) order whatever the heap's layout, as with heapq."""
    t0, k0, p0 = hf[0], hi[0, H_KIND], hi[0, H_PAY]
    n = st[S_HEAP] - 1
    st[S_HEAP] = n
    if n > 0:
        t, s, k, p = hf[n], hi[n, H_SEQ], hi[n, H_KIND], hi[n, H_PAY]
        i = 0
        while True:
            m = 2 * i + 1
            if m >= n:
                break
            r = m + 1
            if r < n and (hf[r] < hf[m] or (hf[r] == hf[m] and hi[r, H_SEQ] < hi[m, H_SEQ])):
                m = r
            tm = hf[m]
            if tm < t or (tm == t and hi[m, H_SEQ] < s):
                _hmove(hf, hi, i, m)
                i = m
            else:
                break
        _hset(hf, hi, i, t, s, k, p)
    return t0, k0, p0


# ---- idle deques: ring buffers of (stamp, agent) ----------------------------------------------
@njit(cache=True, inline="always")
def _dq_append(dq, dqi, d, stamp_v, a, ai):
    cap = dq.shape[1]
    if dqi[d, 1] == cap:  # full: drop stale entries in place, keep order
        h, n, k = dqi[d, 0], dqi[d, 1], 0
        for j in range(n):
            e = (h + j) % cap
            if dq[d, e, 0] == ai[dq[d, e, 1], AI_STAMP]:
                w = (h + k) % cap
                dq[d, w, 0] = dq[d, e, 0]
                dq[d, w, 1] = dq[d, e, 1]
                k += 1
        dqi[d, 1] = k
    e = (dqi[d, 0] + dqi[d, 1]) % cap
    dq[d, e, 0] = stamp_v
    dq[d, e, 1] = a
    dqi[d, 1] += 1


@njit(cache=True, inline="always")
def _dq_take(dq, dqi, d, ai):
    """Pop from the left until a valid entry: its agent, or -1 (deque emptied)."""
    cap = dq.shape[1]
    while dqi[d, 1] > 0:
        e = dqi[d, 0]
        s, a = dq[d, e, 0], dq[d, e, 1]
        dqi[d, 0] = (e + 1) % cap
        dqi[d, 1] -= 1
        if s == ai[a, AI_STAMP]:
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


@njit(cache=True)
def _refill(buf, idx, rng, src, ch, b, code, p1, p2):
    """Refill batch (src, ch, b) — b 0 and 4 uniforms, 1..3 durations — with the next
    BATCH numbers of ``rng`` (sim.kernel.Batch's refill)."""
    for j in range(BATCH):
        if b == 0 or b == 4:
            buf[src, ch, b, j] = rng.random()
        else:
            buf[src, ch, b, j] = _draw(rng, code, p1, p2)
    idx[src, ch, b] = 0


@njit(cache=True, inline="always")
def _take(buf, idx, src, ch, b):
    """Next number of batch (src, ch, b), which _events made sure is there."""
    v = buf[src, ch, b, idx[src, ch, b]]
    idx[src, ch, b] += 1
    return v


@njit(cache=True, inline="always")
def _short(bidx, src, ch, b):
    """Batch (src, ch, b)'s number for S_REFILL when it is empty, else -1."""
    return src * 1024 + ch * 8 + b if bidx[src, ch, b] >= BATCH else -1


@njit(cache=True, inline="always")
def _needs(buf, bidx, src, ch, p):
    """The first empty batch among those a return of channel ``ch`` (retrial src 0,
    repeat src 1, probability ``p``) draws from next — the return draw, then, when it
    comes back, its delay, patience, handle time and resolution — or -1: the batches
    are refilled in the order the readable desk draws them."""
    r = _short(bidx, src, ch, 0)
    if r >= 0 or buf[src, ch, 0, bidx[src, ch, 0]] >= p:
        return r
    for b in range(1, 5):
        r = _short(bidx, src, ch, b)
        if r >= 0:
            return r
    return -1


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
    """One replication's event loop (sim.kernel.Desk.run, same rules, packed arrays)."""
    nc = cap.shape[0]
    na = pace.shape[0]
    L = interval_s
    horizon = L * n_intervals
    n_exo = arr_t.shape[0]
    st = np.zeros(N_STATE, np.int64)
    # channels: parameters, queues, tiers, deque numbers, search ranges
    n_t = tier_delay.shape[1]
    n_lv = dq_index.shape[2]
    st[S_NLV] = n_lv
    chf = np.zeros((nc, CHF_DELAY + n_t))
    chi = np.zeros((nc, CHI_DQ + n_t * n_lv), np.int64)
    for k in range(nc):
        chf[k, CHF_SLOW] = slow[k]
        chf[k, CHF_ACW] = acw[k]
        chf[k, CHF_REPEAT] = repeat_p[k]
        chf[k, CHF_RETRIAL] = retrial_p[k]
        for ti in range(n_t):
            chf[k, CHF_DELAY + ti] = tier_delay[k, ti]
        chi[k, CHI_CAP] = cap[k]
        chi[k, CHI_RANK] = rank[k]
        chi[k, CHI_YIELD] = has_yield[k]
        chi[k, CHI_TOP] = top[k]
        chi[k, CHI_TIERS] = n_tiers[k]
        chi[k, CHI_QHEAD] = -1
        chi[k, CHI_QTAIL] = -1
        chi[k, CHI_SRCH0] = srch_off[k]
        chi[k, CHI_SRCH1] = srch_off[k + 1]
        for ti in range(n_t):
            for lv in range(n_lv):
                chi[k, CHI_DQ + ti * n_lv + lv] = dq_index[k, ti, lv]
    ne = srch_delay.shape[0]
    srf = srch_delay.copy()
    sri = np.empty((ne, 2), np.int64)
    for e in range(ne):
        sri[e, 0] = srch_dq[e]
        sri[e, 1] = srch_guard[e]
    # contacts
    ccap = n_exo + 1024
    cf, ci = _contacts(ccap)
    # heap
    hcap = 4096
    hf = np.empty(hcap)
    hi = np.empty((hcap, 3), np.int64)
    # later contacts (retrials, repeats): patience, handle, u | channel, kind
    lcap = 1024
    lf = np.empty((lcap, 3))
    li = np.empty((lcap, 2), np.int64)
    rcap = 1024
    rep_src = np.empty(rcap)
    # agents
    af = np.zeros((na, N_AF))
    ai = np.zeros((na, AI_TIER + nc), np.int64)
    for a in range(na):
        af[a, AF_IDLE_SINCE] = -1.0
        af[a, AF_READY_SINCE] = -1.0
        af[a, AF_PACE] = pace[a]
        af[a, AF_FCR] = fcr[a]
        af[a, AF_AVAIL] = availability[a]
        af[a, AF_AUX_PHASE] = aux_phase[a]
        ai[a, AI_BUSY] = -1
        ai[a, AI_BLENDED] = blended[a]
        for k in range(nc):
            ai[a, AI_TIER + k] = tier_of[a, k]
    idle_s = np.zeros((na, n_intervals))
    ready_s = np.zeros((na, n_intervals))
    dcap = 8 * na + 64  # at most 2 valid entries an agent: compaction frees >= 3/4
    dq = np.empty((n_dq, dcap, 2), np.int64)
    dqi = np.zeros((n_dq, 2), np.int64)
    # dynamic batches
    buf = np.empty((2, nc, 5, BATCH))
    bidx = np.full((2, nc, 5), BATCH, np.int64)
    st[S_INTERVAL] = -1
    tf = np.zeros(1)  # the clock between calls of _events
    nxt = 0  # next exogenous arrival
    now = 0.0
    env_now = 0.0
    step = 0  # 0..n_intervals-1: boundaries, n_intervals: horizon, n_intervals+1: drain
    max_cap = 1
    for k in range(nc):
        max_cap = max(max_cap, cap[k])
    room = 4 + nc + max_cap + int(np.max(n_tiers))
    # The not-ready windows' events wait in a queue of their own, kept in the heap's
    # (time, sequence number) order and merged with the heap at each pop: the same events
    # in the same order as one heap holding them all (the sequence numbers are taken as
    # the heap would), without a heap push and pop each (docs/performance.md).
    acap = 4 * na + 16
    axf = np.empty(acap)                 # time
    axi = np.empty((acap, 2), np.int64)  # sequence number, payload
    ahead = 0                            # entries ahead..alen-1 are pending
    alen = 0
    aseq = np.empty(na, np.int64)
    # each agent's window start and end offsets in an interval: the order the events are
    # written in, so that the insertion below mostly appends (exact order: the insertion)
    aoff = np.empty(2 * na)
    for a in range(na):
        aoff[2 * a] = aux_phase[a] * availability[a] * L
        aoff[2 * a + 1] = aoff[2 * a] + (1.0 - availability[a]) * L
    aorder = np.argsort(aoff)
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
        # (_events, compiled without numba's reference counting; it stops early when an
        # array must grow or a batch of draws must be refilled, which happen here)
        st[S_NXT], st[S_AHEAD], st[S_ALEN] = nxt, ahead, alen
        tf[0] = now
        while True:
            # room for what one event can add
            if st[S_HEAP] + room >= hcap:
                hcap *= 2
                hf, hi = _grow_heap(hf, hi, hcap)
            if st[S_NC] + 2 >= ccap:
                ccap *= 2
                cf, ci = _grow_contacts(cf, ci, ccap)
            if st[S_NLATER] + 2 >= lcap:
                lcap *= 2
                lf, li = _grow_later(lf, li, lcap)
            if st[S_NSRC] + 4 >= rcap:
                rcap *= 2
                rep_src = _grow_f(rep_src, rcap)
            code = _events(until, room, arr_t, arr_ch, arr_pat, arr_ht, arr_u, st, tf, cf, ci,
                           af, ai, chf, chi, hf, hi, dq, dqi, srf, sri, lf, li, rep_src, buf,
                           bidx, axf, axi, ht_factor, horizon, L)
            if code == EV_DONE:
                break
            if code == EV_REFILL:
                r = st[S_REFILL]
                src, ch, b = r // 1024, (r % 1024) // 8, r % 8
                _refill(buf, bidx, rng_retrial if src == 0 else rng_repeat, src, ch, b,
                        dist_code[src, ch, b], dist_p1[src, ch, b], dist_p2[src, ch, b])
        nxt, ahead, alen = st[S_NXT], st[S_AHEAD], st[S_ALEN]
        now = tf[0]
        if until < INF:
            now = until
        if step > n_intervals:
            break
        env_now = until
        # ---- the boundary's own work (Desk.shifts) ---------------------------------------
        _book(now, st, af, idle_s, ready_s)
        if step < n_intervals:
            i = step
            st[S_INTERVAL] = i
            # room first (_boundary allocates nothing): each agent coming on duty takes at
            # most max_cap contacts, a finish pushed for each
            while st[S_HEAP] + room + na * max_cap >= hcap:
                hcap *= 2
                hf, hi = _grow_heap(hf, hi, hcap)
            for j in range(ahead, alen):  # not-ready events still pending go to the front
                axf[j - ahead] = axf[j]
                axi[j - ahead, 0] = axi[j, 0]
                axi[j - ahead, 1] = axi[j, 1]
            alen -= ahead
            ahead = 0
            if alen + 2 * na > acap:
                acap = 2 * (alen + 2 * na)
                axf2 = np.empty(acap)
                axi2 = np.empty((acap, 2), np.int64)
                axf2[:alen] = axf[:alen]
                axi2[:alen] = axi[:alen]
                axf, axi = axf2, axi2
            st[S_ALEN] = alen
            _boundary(now, env_now, i, L, st, cf, ci, af, ai, chf, chi, hf, hi, dq, dqi, duty,
                      availability, aux_phase, aseq, aorder, axf, axi)
            alen = st[S_ALEN]
        else:
            st[S_INTERVAL] = -1
            af[:, AF_IDLE_SINCE] = -1.0
            af[:, AF_READY_SINCE] = -1.0
        step += 1
    n = st[S_NC]
    waiting = np.zeros(nc, np.int64)
    for k in range(nc):
        c = chi[k, CHI_QHEAD]
        while c >= 0:
            if ci[c, CI_STATE] == WAITING:
                waiting[k] += 1
            c = ci[c, CI_NEXT]
    return (cf[:n, CF_ARR].copy(), ci[:n, CI_CH].copy(), ci[:n, CI_KIND].astype(np.int8),
            cf[:n, CF_ANS].copy(), ci[:n, CI_AGENT].copy(), cf[:n, CF_TALK].copy(),
            cf[:n, CF_WORK].copy(), cf[:n, CF_END].copy(), cf[:n, CF_ABAN].copy(),
            ci[:n, CI_RES] != 0, ci[:n, CI_SESS].astype(np.int16), idle_s, ready_s,
            rep_src[:st[S_NSRC]].copy(), st[S_LOST], waiting)


@njit(cache=True, _nrt=False)
def _events(until, room, arr_t, arr_ch, arr_pat, arr_ht, arr_u, st, tf, cf, ci, af, ai, chf,
            chi, hf, hi, dq, dqi, srf, sri, lf, li, rep_src, buf, bidx, axf, axi, ht_factor,
            horizon, L):
    """Every contact event strictly before ``until``, in (time, sequence) order (Desk.advance).
    Compiled without numba's runtime (``_nrt=False``): nothing is allocated here, so no
    array needs numba's atomic reference counts, which the inlined helpers' array
    arguments otherwise take and drop at every call — measured as over half the loop's
    CPU time (docs/performance.md). Stops before an event when an array lacks room for
    what it can add (EV_GROW) or a batch it draws from is empty (EV_REFILL, the batch in
    S_REFILL): run_desk grows or refills and calls again, so the draws and the order are
    those of one uninterrupted loop. The clock (``tf[0]``) and the positions in the
    arrivals and the not-ready queue live in ``tf`` and ``st`` between calls."""
    n_exo = arr_t.shape[0]
    hcap, ccap, lcap, rcap = hf.shape[0], cf.shape[0], lf.shape[0], rep_src.shape[0]
    nxt, ahead, alen = st[S_NXT], st[S_AHEAD], st[S_ALEN]
    now = tf[0]
    code = EV_DONE
    while True:
        if (st[S_HEAP] + room >= hcap or st[S_NC] + 2 >= ccap or st[S_NLATER] + 2 >= lcap
                or st[S_NSRC] + 4 >= rcap):
            code = EV_GROW
            break
        ta = arr_t[nxt] if nxt < n_exo else INF
        th = hf[0] if st[S_HEAP] > 0 else INF
        from_aux = False
        if ahead < alen:
            tx = axf[ahead]
            if st[S_HEAP] == 0 or tx < th or (tx == th and axi[ahead, 0] < hi[0, H_SEQ]):
                th = tx
                from_aux = True
        if ta <= th:
            if ta >= until:
                break
            now = ta
            _arrive(now, arr_ch[nxt], 0, arr_pat[nxt], arr_ht[nxt], arr_u[nxt], st,
                    cf, ci, af, ai, chf, chi, hf, hi, dq, dqi, srf, sri)
            nxt += 1
            continue
        if th >= until:
            break
        if not from_aux:  # the draws the event will take: their batches refilled first
            x = hi[0, H_PAY]
            need = -1
            if hi[0, H_KIND] == FINISH:
                ch = ci[x, CI_CH]
                rp = chf[ch, CHF_REPEAT]
                if rp > 0 and not cf[x, CF_U] < af[ci[x, CI_AGENT], AF_FCR]:
                    need = _needs(buf, bidx, 1, ch, rp)
            elif hi[0, H_KIND] == ABANDON and ci[x, CI_STATE] == WAITING:
                ch = ci[x, CI_CH]
                rp = chf[ch, CHF_RETRIAL]
                if rp > 0:
                    need = _needs(buf, bidx, 0, ch, rp)
            if need >= 0:
                st[S_REFILL] = need
                code = EV_REFILL
                break
        if from_aux:
            now, kind, x = th, AUX, axi[ahead, 1]
            ahead += 1
        else:
            now, kind, x = _hpop(hf, hi, st)
        if kind == FINISH:
            a = ci[x, CI_AGENT]
            ch = ci[x, CI_CH]
            resolved = cf[x, CF_U] < af[a, AF_FCR]
            cf[x, CF_END] = now
            ci[x, CI_RES] = resolved
            ai[a, AI_SESS] -= 1
            ai[a, AI_STAMP] += 1
            if ai[a, AI_SESS] == 0:
                if chi[ch, CHI_TOP]:
                    st[S_TOP] -= 1
                if ai[a, AI_BLENDED] and ai[a, AI_READY]:
                    st[S_FREE] += 1
            rp = chf[ch, CHF_REPEAT]
            if (not resolved) and rp > 0:
                if _take(buf, bidx, 1, ch, 0) < rp:
                    n = st[S_NSRC]
                    rep_src[n] = a
                    rep_src[n + 1] = now
                    st[S_NSRC] = n + 2
                    _later(now, ch, KIND_REPEAT, buf, bidx, 1, horizon, L, ht_factor, st,
                           lf, li, hf, hi)
            if ai[a, AI_READY]:
                if ai[a, AI_SESS] == 0 and st[S_INTERVAL] >= 0:
                    af[a, AF_IDLE_SINCE] = now
                _pull(now, a, st, cf, ci, af, ai, chf, chi, hf, hi, dq, dqi)
        elif kind == ABANDON:
            if ci[x, CI_STATE] == WAITING:
                ci[x, CI_STATE] = ABANDONED
                cf[x, CF_ABAN] = now
                ch = ci[x, CI_CH]
                rp = chf[ch, CHF_RETRIAL]
                if rp > 0:
                    if _take(buf, bidx, 0, ch, 0) < rp:
                        _later(now, ch, KIND_RETRIAL, buf, bidx, 0, horizon, L, ht_factor,
                               st, lf, li, hf, hi)
        elif kind == OVERFLOW:
            ch = x
            head = _head(ch, ci, chi)
            if head >= 0:
                a = _find_agent(ch, now - cf[head, CF_ARR], st, chi, srf, sri, dq, dqi, ai)
                if a >= 0:
                    _popleft(ch, ci, chi)
                    _start(now, head, a, st, cf, ci, af, ai, chf, chi, hf, hi, dq, dqi)
        elif kind == LATER:
            _arrive(now, li[x, 0], li[x, 1], lf[x, 0], lf[x, 1], lf[x, 2], st,
                    cf, ci, af, ai, chf, chi, hf, hi, dq, dqi, srf, sri)
        else:  # AUX
            if st[S_INTERVAL] >= 0:
                a = x >> 1
                ai[a, AI_AUX] = x & 1
                _update_ready(now, a, st, cf, ci, af, ai, chf, chi, hf, hi, dq, dqi)
    st[S_NXT], st[S_AHEAD], st[S_ALEN] = nxt, ahead, alen
    tf[0] = now
    return code


@njit(cache=True, _nrt=False)
def _boundary(now, env_now, i, L, st, cf, ci, af, ai, chf, chi, hf, hi, dq, dqi, duty,
              availability, aux_phase, aseq, aorder, axf, axi):
    """Interval ``i`` starts (Desk.shifts): agents come on and go off duty, then the
    interval's not-ready windows join their queue (the pending ones are at its front, its
    length in S_ALEN; room made by run_desk). Without numba's runtime, as _events."""
    na = ai.shape[0]
    for a in range(na):
        if duty[a, i] != ai[a, AI_ON_DUTY]:
            ai[a, AI_ON_DUTY] = duty[a, i]
            _update_ready(now, a, st, cf, ci, af, ai, chf, chi, hf, hi, dq, dqi)
    # the not-ready windows: agent by agent, the window's start then its end take the next
    # sequence numbers (as the Desk pushes them)
    seq = st[S_SEQ]
    for a in range(na):
        if duty[a, i] and availability[a] < 1.0:
            aseq[a] = seq
            seq += 2
    st[S_SEQ] = seq
    alen = st[S_ALEN]
    for e in aorder:
        a = e >> 1
        if duty[a, i] and availability[a] < 1.0:
            av = availability[a]
            start = env_now + aux_phase[a] * av * L
            if e & 1:
                t, sq, pay = start + (1.0 - av) * L, aseq[a] + 1, 2 * a
            else:
                t, sq, pay = start, aseq[a], 2 * a + 1
            j = alen  # insert in (time, sequence) order
            while j > 0 and (axf[j - 1] > t or (axf[j - 1] == t and axi[j - 1, 0] > sq)):
                axf[j] = axf[j - 1]
                axi[j, 0] = axi[j - 1, 0]
                axi[j, 1] = axi[j - 1, 1]
                j -= 1
            axf[j] = t
            axi[j, 0] = sq
            axi[j, 1] = pay
            alen += 1
    st[S_ALEN] = alen


@njit(cache=True)
def _contacts(n):
    """Contact rows with the records' empty values (NaN times, no agent, no next)."""
    cf = np.empty((n, N_CF))
    ci = np.zeros((n, N_CI), np.int64)
    _blank(cf, ci, 0)
    return cf, ci


@njit(cache=True)
def _blank(cf, ci, start):
    for c in range(start, cf.shape[0]):
        for j in range(N_CF):
            cf[c, j] = np.nan
        ci[c, CI_AGENT] = -1
        ci[c, CI_NEXT] = -1


@njit(cache=True)
def _grow_contacts(cf, ci, n):
    m = cf.shape[0]
    cf2, ci2 = np.empty((n, N_CF)), np.zeros((n, N_CI), np.int64)
    cf2[:m] = cf
    ci2[:m] = ci
    _blank(cf2, ci2, m)
    return cf2, ci2


@njit(cache=True)
def _grow_heap(hf, hi, n):
    m = hf.shape[0]
    hf2 = np.empty(n)
    hi2 = np.empty((n, 3), np.int64)
    hf2[:m] = hf
    hi2[:m] = hi
    return hf2, hi2


@njit(cache=True)
def _grow_later(lf, li, n):
    m = lf.shape[0]
    lf2 = np.empty((n, 3))
    li2 = np.empty((n, 2), np.int64)
    lf2[:m] = lf
    li2[:m] = li
    return lf2, li2


@njit(cache=True)
def _grow_f(x, n):
    y = np.zeros(n)
    y[:x.shape[0]] = x
    return y


@njit(cache=True)
def _book(now, st, af, idle_s, ready_s):
    """At an interval boundary: close the interval's ready/idle time per agent."""
    i = st[S_INTERVAL]
    if i >= 0:
        for a in range(af.shape[0]):
            if af[a, AF_IDLE_SINCE] >= 0:
                af[a, AF_IDLE_ACC] += now - af[a, AF_IDLE_SINCE]
                af[a, AF_IDLE_SINCE] = now
            if af[a, AF_READY_SINCE] >= 0:
                af[a, AF_READY_ACC] += now - af[a, AF_READY_SINCE]
                af[a, AF_READY_SINCE] = now
            idle_s[a, i] = af[a, AF_IDLE_ACC]
            ready_s[a, i] = af[a, AF_READY_ACC]
    af[:, AF_IDLE_ACC] = 0.0
    af[:, AF_READY_ACC] = 0.0


@njit(cache=True, inline="always")
def _later(now, ch, kind, buf, bidx, src, horizon, L, ht_factor, st, lf, li, hf, hi):
    """A retrial or repeat contact after its delay, if inside the horizon (Desk._later)."""
    delay = _take(buf, bidx, src, ch, 1)
    pat = _take(buf, bidx, src, ch, 2)
    h = _take(buf, bidx, src, ch, 3)
    u = _take(buf, bidx, src, ch, 4)
    t = now + delay
    if t >= horizon:
        st[S_LOST] += 1
        return
    nf = ht_factor.shape[1]
    if nf > 0:
        h = h * ht_factor[ch, min(int(t // L), nf - 1)]
    n = st[S_NLATER]
    lf[n, 0], lf[n, 1], lf[n, 2] = pat, h, u
    li[n, 0], li[n, 1] = ch, kind
    st[S_NLATER] = n + 1
    _hpush(hf, hi, st, t, LATER, n)


@njit(cache=True, inline="always")
def _head(ch, ci, chi):
    """The oldest waiting contact of ``ch`` (dropping answered/abandoned ones), or -1."""
    c = chi[ch, CHI_QHEAD]
    while c >= 0 and ci[c, CI_STATE] != WAITING:
        c = ci[c, CI_NEXT]
        chi[ch, CHI_QHEAD] = c
    if c < 0:
        chi[ch, CHI_QTAIL] = -1
    return c


@njit(cache=True, inline="always")
def _popleft(ch, ci, chi):
    c = chi[ch, CHI_QHEAD]
    chi[ch, CHI_QHEAD] = ci[c, CI_NEXT]
    if chi[ch, CHI_QHEAD] < 0:
        chi[ch, CHI_QTAIL] = -1
    return c


@njit(cache=True, inline="always")
def _find_agent(ch, waited, st, chi, srf, sri, dq, dqi, ai):
    for e in range(chi[ch, CHI_SRCH0], chi[ch, CHI_SRCH1]):
        if srf[e] > waited:
            break
        if sri[e, 1] and _reserved(st):
            continue
        a = _dq_take(dq, dqi, sri[e, 0], ai)
        if a >= 0:
            return a
    return -1


@njit(cache=True, inline="always")
def _arrive(now, ch, kind, patience, h, u, st, cf, ci, af, ai, chf, chi, hf, hi, dq, dqi,
            srf, sri):
    c = st[S_NC]
    st[S_NC] = c + 1
    cf[c, CF_ARR], cf[c, CF_HT], cf[c, CF_U] = now, h, u
    ci[c, CI_CH], ci[c, CI_KIND] = ch, kind
    ci[c, CI_STATE] = WAITING
    ci[c, CI_NEXT] = -1
    a = _find_agent(ch, 0.0, st, chi, srf, sri, dq, dqi, ai)
    if a >= 0:
        _start(now, c, a, st, cf, ci, af, ai, chf, chi, hf, hi, dq, dqi)
        return
    tail = chi[ch, CHI_QTAIL]
    if tail >= 0:
        ci[tail, CI_NEXT] = c
    else:
        chi[ch, CHI_QHEAD] = c
    chi[ch, CHI_QTAIL] = c
    if patience < INF:
        _hpush(hf, hi, st, now + patience, ABANDON, c)
    for ti in range(1, chi[ch, CHI_TIERS]):
        _hpush(hf, hi, st, now + chf[ch, CHF_DELAY + ti], OVERFLOW, ch)


@njit(cache=True, inline="always")
def _start(now, c, a, st, cf, ci, af, ai, chf, chi, hf, hi, dq, dqi):
    ch = ci[c, CI_CH]
    s = ai[a, AI_SESS]
    if s == 0:
        since = af[a, AF_IDLE_SINCE]
        if since >= 0:
            af[a, AF_IDLE_ACC] += now - since
            af[a, AF_IDLE_SINCE] = -1.0
        if ai[a, AI_BLENDED]:
            st[S_FREE] -= 1
        if chi[ch, CHI_TOP]:
            st[S_TOP] += 1
    ai[a, AI_SESS] = s + 1
    ai[a, AI_BUSY] = ch
    ai[a, AI_STAMP] += 1
    ci[c, CI_STATE] = ANSWERED
    if s:
        talk = cf[c, CF_HT] * af[a, AF_PACE] * (1.0 + chf[ch, CHF_SLOW] * s)
    else:
        talk = cf[c, CF_HT] * af[a, AF_PACE]
    work = talk + chf[ch, CHF_ACW]
    cf[c, CF_ANS], cf[c, CF_TALK], cf[c, CF_WORK] = now, talk, work
    ci[c, CI_AGENT], ci[c, CI_SESS] = a, s + 1
    _hpush(hf, hi, st, now + work, FINISH, c)
    if s + 1 < chi[ch, CHI_CAP] and ai[a, AI_READY]:
        d = chi[ch, CHI_DQ + ai[a, AI_TIER + ch] * st[S_NLV] + s + 1]
        _dq_append(dq, dqi, d, ai[a, AI_STAMP], a, ai)


@njit(cache=True, inline="always")
def _pull(now, a, st, cf, ci, af, ai, chf, chi, hf, hi, dq, dqi):
    """A ready agent with spare capacity takes eligible contacts, then waits idle."""
    nc = chi.shape[0]
    while True:
        s = ai[a, AI_SESS]
        held = s == 0 and ai[a, AI_BLENDED] != 0 and _reserved(st)
        best, best_t, best_r = -1, INF, INF
        for k in range(nc):
            if s == 0:
                if ai[a, AI_TIER + k] < 0:
                    continue
                ch = k
            else:
                if k > 0:
                    break
                ch = ai[a, AI_BUSY]
            if s >= chi[ch, CHI_CAP] or chi[ch, CHI_QHEAD] < 0 or (held and chi[ch, CHI_YIELD] != 0):
                continue
            head = _head(ch, ci, chi)
            if head >= 0:
                t0 = cf[head, CF_ARR]
                if now - t0 < chf[ch, CHF_DELAY + ai[a, AI_TIER + ch]]:
                    continue
                r = chi[ch, CHI_RANK]
                if r < best_r or (r == best_r and t0 < best_t):
                    best, best_t, best_r = ch, t0, r
        if best < 0:
            break
        c = _popleft(best, ci, chi)
        _start(now, c, a, st, cf, ci, af, ai, chf, chi, hf, hi, dq, dqi)
    s = ai[a, AI_SESS]
    sv = ai[a, AI_STAMP]
    n_lv = st[S_NLV]
    if s == 0:
        for k in range(nc):
            ti = ai[a, AI_TIER + k]
            if ti >= 0:
                lv = chi[k, CHI_CAP] if ai[a, AI_BLENDED] and chi[k, CHI_YIELD] else 0
                _dq_append(dq, dqi, chi[k, CHI_DQ + ti * n_lv + lv], sv, a, ai)
    else:
        ch = ai[a, AI_BUSY]
        if s < chi[ch, CHI_CAP]:
            _dq_append(dq, dqi, chi[ch, CHI_DQ + ai[a, AI_TIER + ch] * n_lv + s], sv, a, ai)


@njit(cache=True, inline="always")
def _update_ready(now, a, st, cf, ci, af, ai, chf, chi, hf, hi, dq, dqi):
    r = 1 if ai[a, AI_ON_DUTY] and not ai[a, AI_AUX] else 0
    if r == ai[a, AI_READY]:
        return
    ai[a, AI_READY] = r
    ai[a, AI_STAMP] += 1
    if ai[a, AI_BLENDED] and ai[a, AI_SESS] == 0:
        st[S_FREE] += 1 if r else -1
    if r:
        af[a, AF_READY_SINCE] = now
        if ai[a, AI_SESS] == 0:
            af[a, AF_IDLE_SINCE] = now
        _pull(now, a, st, cf, ci, af, ai, chf, chi, hf, hi, dq, dqi)
    else:
        af[a, AF_READY_ACC] += now - af[a, AF_READY_SINCE]
        af[a, AF_READY_SINCE] = -1.0
        if af[a, AF_IDLE_SINCE] >= 0:
            af[a, AF_IDLE_ACC] += now - af[a, AF_IDLE_SINCE]
            af[a, AF_IDLE_SINCE] = -1.0
