"""Fast path for the plain queue: one FCFS channel, one contact per agent, always ready.

For a single FCFS queue the wait a contact is *offered* depends only on the contacts that
arrived before it, so contacts can be processed one by one in arrival order with the
agents' next-free times in a heap — the Kiefer–Wolfowitz workload recursion for the
multi-server queue (Kiefer & Wolfowitz 1955; with abandonment: a contact whose offered
wait exceeds its patience abandons and leaves the agents untouched). The earliest-free
agent is the longest-idle one, as in :class:`sim.kernel.Desk`, and agents come on and go off
at interval boundaries, finishing the contact in hand. With the same seed the contact
records equal the event-driven desk's (tests/sim/test_fcfs.py); it just skips the
per-event bookkeeping. Used when :func:`applies` holds; everything else runs the desk.
"""

from __future__ import annotations

from heapq import heapify, heappop, heappush, heapreplace
from itertools import count

import numpy as np

from sim.kernel import INF, Desk
from sim.kpi import overlap
from sim.model import SimModel
from sim.recorder import KIND_NEW, KIND_REPEAT, KIND_RETRIAL


def applies(model: SimModel, availability: np.ndarray) -> bool:
    """One channel of concurrency 1, one routing tier, every agent always ready."""
    if len(model.channels) != 1 or model.channels[0].concurrency != 1:
        return False
    ch = model.channels[0].name
    skilled = tuple(p.name for p in model.pools if ch in p.skills)
    tiers = model.router.tiers(ch, skilled)
    return len(tiers) == 1 and bool(np.all(availability >= 1.0))


def duty_spans(duty: np.ndarray, interval_s: float, open_end: bool
               ) -> list[tuple[list[float], list[float]]]:
    """Per agent, the (starts, ends) of its on-duty spans; the last interval's span stays
    open when the run drains the queue after the horizon."""
    n = duty.shape[1]
    out = []
    for row in duty:
        d = np.diff(np.r_[0, row.astype(np.int8), 0])
        on, off = np.flatnonzero(d == 1), np.flatnonzero(d == -1)
        ends = (off * interval_s).astype(float)
        if open_end and len(off) and off[-1] == n:
            ends[-1] = INF
        out.append(((on * interval_s).astype(float).tolist(), ends.tolist()))
    return out


class FcfsDesk(Desk):
    """Same inputs and outputs as :class:`Desk`; runs the recursion instead of events."""

    def run(self) -> None:
        m, rec = self.m, self.rec
        horizon = self.horizon
        spans = duty_spans(self.ag.duty, m.interval_s, m.drain)
        ptr = [0] * len(spans)
        heap = [(s[0][0], a) for a, s in enumerate(spans) if s[0]]
        heapify(heap)
        pace, fcr = self.pace, self.fcr
        acw = self.acw[0]
        repeat_p, retrial_p = self.repeat_p[0], self.retrial_p[0]
        dyn_rep, dyn_ret = self.dyn["repeat"][0], self.dyn["retrial"][0]
        later: list[tuple] = []
        seq = count()
        busy_a, busy_s, busy_f = [], [], []
        waiting = 0
        arr_t, arr_pat, arr_ht, arr_u = self.arr_t, self.arr_pat, self.arr_ht, self.arr_u
        n_arr, i, c = len(arr_t), 0, 0
        while True:
            if i < n_arr and (not later or arr_t[i] <= later[0][0]):
                t, kind, pat, ht, u = arr_t[i], KIND_NEW, arr_pat[i], arr_ht[i], arr_u[i]
                i += 1
            elif later:
                t, _, kind, pat, ht, u = heappop(later)
            else:
                break
            rec.on_arrival(c, t, 0, kind)
            # the agent able to start soonest (longest idle), correcting stale heap keys
            a, start = -1, INF
            while heap:
                e, a = heap[0]
                q = e if e > t else t
                starts, ends = spans[a]
                k = ptr[a]
                while k < len(ends) and ends[k] <= q:
                    k += 1
                ptr[a] = k
                if k == len(ends):
                    heappop(heap)           # no more duty: the agent leaves
                    a = -1
                    continue
                key = e if e >= starts[k] else starts[k]   # idle since, within this span
                if q < starts[k] or key != e:
                    heapreplace(heap, (starts[k] if q < starts[k] else key, a))
                    a = -1
                    continue
                start = q
                break
            deadline = t + pat
            if a >= 0 and start <= deadline:
                talk = ht * pace[a]
                f = start + talk + acw
                rec.on_answer(c, start, a, talk, talk + acw, 1)
                heapreplace(heap, (f, a))
                busy_a.append(a)
                busy_s.append(start)
                busy_f.append(f)
                if f < horizon or m.drain:
                    resolved = u < fcr[a]
                    rec.on_finish(c, f, resolved)
                    if not resolved and repeat_p > 0:
                        p_back, delay, pat2, ht2, u2 = dyn_rep
                        if p_back() < repeat_p:
                            self.repeat_sources.extend((a, f))
                            t2 = f + delay()
                            if t2 < horizon:
                                heappush(later, (t2, next(seq), KIND_REPEAT, pat2(),
                                                 self.handle_at(0, t2, ht2()),
                                                 u2()))
                            else:
                                self.lost_beyond_horizon += 1
            elif deadline < (INF if m.drain else horizon):
                rec.on_abandon(c, deadline)
                if retrial_p > 0:
                    p_back, delay, pat2, ht2, u2 = dyn_ret
                    if p_back() < retrial_p:
                        t2 = deadline + delay()
                        if t2 < horizon:
                            heappush(later, (t2, next(seq), KIND_RETRIAL, pat2(),
                                             self.handle_at(0, t2, ht2()),
                                             u2()))
                        else:
                            self.lost_beyond_horizon += 1
            else:
                waiting += 1
            c += 1
        self._waiting = waiting
        self._accounts(np.asarray(busy_a, np.int64), np.asarray(busy_s), np.asarray(busy_f))

    def _accounts(self, agent: np.ndarray, start: np.ndarray, finish: np.ndarray) -> None:
        """Ready time = on-duty time; idle = on-duty time not spent on a contact."""
        m = self.m
        L = m.interval_s
        duty = self.ag.duty.astype(float)
        busy = overlap(start, finish, agent, max(len(duty), 1), L, m.n_intervals)[:len(duty)]
        self.ready_s = duty * L
        self.idle_s = np.clip(duty * (L - busy), 0.0, None)

    def waiting(self) -> list[int]:
        return [self._waiting]
