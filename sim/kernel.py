"""The contact desk: an event-driven dispatcher under a SimPy clock, no process per customer.

SimPy runs the coarse time line: the ``shifts`` process wakes at every interval boundary
and rosters agents on and off duty. Any process acting at ``env.now`` first calls
:meth:`Desk.sync`, which advances the contact events up to that time from the desk's own
event heap: exogenous arrivals come from one pre-drawn, time-sorted array; answers,
finishes, abandonments, overflows, retrials, repeat contacts and not-ready windows are
heap entries ``(time, seq, kind, payload)``. Keeping the per-contact events out of SimPy's
generic event machinery is what makes the kernel fast (benchmarks/bench_sim.py).

Customers wait in one FCFS deque per channel; an abandoned or answered contact is left
in the deque and skipped when it reaches the head (lazy deletion). Idle agents sit in
deques per (channel, routing tier, sessions held), longest idle at the left; an entry is
valid while its stamp equals the agent's current stamp (lazy deletion again).
Random numbers are drawn in numpy batches before they are needed.

Model rules (docs/simulation.md): agents come on and go off at interval boundaries and
finish the contact in hand before leaving; a chat agent holds up to ``concurrency``
sessions of one chat channel, each session's handle time stretched by
``1 + slowdown × (sessions − 1)`` at the moment it is answered; a voice agent holds one.
"""

from __future__ import annotations

import hashlib
import math
from collections import OrderedDict, deque
from collections.abc import Callable, Generator, Sequence
from heapq import heappop, heappush
from itertools import count

import numpy as np
import simpy

from sim.agents import AgentTable
from sim.arrivals import merged_arrivals
from sim.model import Duration, SimModel
from sim.recorder import KIND_NEW, KIND_REPEAT, KIND_RETRIAL, Recorder
from sim.streams import Streams

INF = math.inf
# free blended agents kept for the priority channel: ⌈β·√(agents on its calls)⌉; β = 1.5
# balanced voice and chat service levels at the pooled requirement in simulation
# (planning/blend.py; tests/planning/test_requirements_sim.py)
RESERVE_BETA = 1.5
FINISH, ABANDON, OVERFLOW, LATER, AUX = range(5)
# a contact is a list: [id, channel, arrival_t, base handle_s, resolve draw, state, agent]
CID, CH, ARR, HT, U, STATE, AGENT = range(7)
WAITING, ANSWERED, ABANDONED = 0, 1, 2


class Batch:
    """Pre-drawn numbers handed out one at a time, refilled ``size`` at a time."""

    def __init__(self, draw: Callable[[int], np.ndarray], size: int = 512):
        self._draw, self._size = draw, size
        self._buf: list[float] = []
        self._i = 0

    def __call__(self) -> float:
        if self._i >= len(self._buf):
            self._buf = self._draw(self._size).tolist()
            self._i = 0
        self._i += 1
        return self._buf[self._i - 1]


def _sampler(d: Duration | None, rng: np.random.Generator) -> Callable[[int], np.ndarray]:
    if d is None:
        return lambda n: np.full(n, INF)
    return lambda n: d.sample(rng, n)


# ---- the exogenous draws, remembered per process ---------------------------------------------
# A replication's exogenous contacts (arrival times, channels, patience, handle times and
# resolution draws) depend only on the demand (rates or trace, handle-time factors), the
# channels' patience and handle-time distributions, the interval length and the
# replication's streams (seed, index) — not on the staffing or the agents' behaviour. The
# plan check's rounds (the same demand scenarios under another staffing) and the policies
# stage (common random numbers: every policy's replication r sees the same customers)
# simulate the same draws again; a worker keeps the last ones it drew (LRU, at most
# EXOGENOUS_CACHE_BYTES) and hands them back, with the four streams set to the state the
# draws left them in. The key holds everything the draws read (the arrays by their bytes),
# so a hit returns exactly what drawing again would (tests/sim/test_exogenous_cache.py).
# The arrays are shared between the desks that use them: both only read them.
EXOGENOUS_CACHE_BYTES = 128 * 2**20
EXOGENOUS_STREAMS = ("arrivals", "patience", "handle", "resolve")
_EXOGENOUS: OrderedDict[tuple, tuple] = OrderedDict()
_exogenous_bytes = 0


def _digest(arrays: Sequence[object] | None) -> bytes | None:
    """The arrays' shapes and float64 bytes, hashed (a key part; None stays None)."""
    if arrays is None:
        return None
    h = hashlib.blake2b(digest_size=20)
    for a in arrays:
        a = np.ascontiguousarray(a, float)
        h.update(np.int64(a.size).tobytes())
        h.update(a.tobytes())
    return h.digest()


def exogenous_draws(m: SimModel, rates: list[np.ndarray], st: Streams,
                    arrivals: list[np.ndarray] | None,
                    ht_factor: list[list[float]] | None, compiled: bool = False
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The exogenous contacts in time order: (time, channel as int64, patience, handle
    time, resolution draw), drawn from ``st``'s four exogenous streams — or the same
    arrays remembered from an earlier draw with the same inputs (see above). The arrays
    must not be written to. ``compiled``: the draws' finishing passes in numba
    (sim.compiled_kpi; the same arrays)."""
    global _exogenous_bytes
    fresh = not any(st.started(n) for n in EXOGENOUS_STREAMS)
    key = None
    if fresh:  # the streams untouched: the draws depend on the key alone
        key = (st.seed, st.replication, float(m.interval_s),
               tuple((c.patience, c.handle) for c in m.channels), _digest(rates),
               _digest(arrivals), _digest(ht_factor))
        hit = _EXOGENOUS.get(key)
        if hit is not None:
            _EXOGENOUS.move_to_end(key)
            arrays, states = hit
            for n, state in zip(EXOGENOUS_STREAMS, states, strict=True):
                st[n].bit_generator.state = state
            return arrays
    arrays = _draw_exogenous(m, rates, st, arrivals, ht_factor, compiled)
    size = sum(a.nbytes for a in arrays)
    if key is not None and 4 * size <= EXOGENOUS_CACHE_BYTES:
        _EXOGENOUS[key] = (arrays, tuple(st[n].bit_generator.state
                                         for n in EXOGENOUS_STREAMS))
        _exogenous_bytes += size
        while _exogenous_bytes > EXOGENOUS_CACHE_BYTES:
            _, (old, _) = _EXOGENOUS.popitem(last=False)
            _exogenous_bytes -= sum(a.nbytes for a in old)
    return arrays


def forget_exogenous() -> None:
    """Empty the remembered exogenous draws (tests, benchmarks)."""
    global _exogenous_bytes
    _EXOGENOUS.clear()
    _exogenous_bytes = 0


def _draw_exogenous(m: SimModel, rates: list[np.ndarray], st: Streams,
                    arrivals: list[np.ndarray] | None, ht_factor: list[list[float]] | None,
                    compiled: bool = False
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Draw the exogenous contacts (:func:`exogenous_draws`, without remembering)."""
    if arrivals is None:
        t, ch = merged_arrivals(rates, m.interval_s, st["arrivals"], compiled)
    else:
        t = np.concatenate([np.asarray(a, float) for a in arrivals])
        ch = np.concatenate([np.full(len(a), k) for k, a in enumerate(arrivals)])
        order = np.argsort(t, kind="stable")
        t, ch = t[order], ch[order].astype(np.int64)
    n = len(t)
    pat, ht = np.empty(n), np.empty(n)
    scaled = ht_factor is not None and compiled and len(m.channels) > 0
    for k, c in enumerate(m.channels):
        sel = ch == k
        cnt = int(sel.sum())
        pat[sel] = _sampler(c.patience, st["patience"])(cnt)
        ht[sel] = c.handle.sample(st["handle"], cnt)
        if ht_factor is not None and not scaled:
            f = np.asarray(ht_factor[k])
            ht[sel] *= f[np.minimum((t[sel] // m.interval_s).astype(np.int64), len(f) - 1)]
    if scaled:  # the same products in one compiled pass (sim.compiled_kpi)
        from sim.compiled_kpi import scale_handle

        fs = [np.asarray(f, float) for f in ht_factor]
        scale_handle(ht, t, np.asarray(ch, np.int64), np.concatenate(fs),
                     np.cumsum([0] + [len(f) for f in fs]), float(m.interval_s))
    u = st["resolve"].random(n)
    return t, ch.astype(np.int64), pat, ht, u


class Desk:
    """One replication's contact desk: build, then :meth:`run`."""

    def __init__(self, model: SimModel, rates: list[np.ndarray], agents: AgentTable,
                 streams: Streams, recorder: Recorder,
                 arrivals: list[np.ndarray] | None = None,
                 handle_factor: list[np.ndarray] | None = None, as_lists: bool = True,
                 compiled_passes: bool = False):
        self.m, self.ag, self.rec = model, agents, recorder
        self._as_lists = as_lists  # False: only prepare arrays (sim.compiled runs the loop)
        self._compiled_passes = compiled_passes  # the draws' passes in numba (loaded)
        self.env = simpy.Environment()
        self.horizon = model.horizon_s
        self.now = 0.0
        chans = model.channels
        nc, na = len(chans), len(agents)
        self.cap = [c.concurrency for c in chans]
        self.slow = [c.slowdown for c in chans]
        self.acw = [c.acw_s for c in chans]
        self.repeat_p = [c.repeat_p for c in chans]
        self.retrial_p = [c.retrial_p for c in chans]
        self.pace = agents.pace.tolist()
        self.fcr = agents.fcr.tolist()
        self.stamp = [0] * na
        self.sessions = [0] * na
        self.busy_ch = [-1] * na
        self.duty = [False] * na
        self.aux = [False] * na
        self.ready = [False] * na
        names = [c.name for c in chans]
        # priority rank per channel (lower first); None: oldest contact across channels
        self.rank = None if model.priority is None else [
            model.priority.index(n) if n in model.priority else len(model.priority)
            for n in names]
        self._routing(model, agents)
        self.queue: list[deque[list]] = [deque() for _ in range(nc)]
        self.n_contacts = 0
        self.lost_beyond_horizon = 0
        self.repeat_sources: list[float] = []  # agent, time: unresolved contacts that return
        self.heap: list[tuple] = []
        self.seq = count()
        # time ready with no session, and time ready, per agent and interval
        self.idle_since = [-1.0] * na
        self.ready_since = [-1.0] * na
        self.idle_s = np.zeros((na, model.n_intervals))
        self.ready_s = np.zeros((na, model.n_intervals))
        self.idle_acc = [0.0] * na
        self.ready_acc = [0.0] * na
        self._interval = -1
        # handle-time multiplier per channel and interval (events with an aht_factor)
        self.ht_factor = None if handle_factor is None else [
            np.asarray(f, float).tolist() for f in handle_factor]
        self._draw_exogenous(rates, streams, arrivals)
        self._draw_dynamic(streams)

    def _routing(self, model: SimModel, agents: AgentTable) -> None:
        """Tiers per channel from the router; each agent's tier per channel (-1: not skilled)."""
        nc = len(model.channels)
        pool_names = [p.name for p in model.pools]
        self.tier_delay: list[list[float]] = []
        # agents of one pool share their tiers, skills and blending: worked out per pool
        tier_of_pool = [[-1] * nc for _ in pool_names]
        for k, ch in enumerate(model.channels):
            skilled = tuple(p.name for p in model.pools if ch.name in p.skills)
            tiers = model.router.tiers(ch.name, skilled)
            self.tier_delay.append([t.delay_s for t in tiers])
            for q, name in enumerate(pool_names):
                for ti, t in enumerate(tiers):
                    if name in t.pools:
                        tier_of_pool[q][k] = ti
        skills_of_pool = [[k for k in range(nc) if row[k] >= 0] for row in tier_of_pool]
        pool_of = agents.pool.tolist()
        self.tier_of = [list(tier_of_pool[q]) for q in pool_of]
        self.skills = [list(skills_of_pool[q]) for q in pool_of]
        present = sorted(set(pool_of))  # pools with at least one agent
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
                above = sorted({j for q in present if tier_of_pool[q][k] >= 0
                                for j in skills_of_pool[q] if self.rank[j] < self.rank[k]})
                if self.cap[k] > 1 and above:
                    levels[k] = list(range(self.cap[k] - 1, 0, -1)) + [0]
                    self.yields[k] = above
        self.top = [False] * nc  # channels some low channel yields to
        for k in range(nc):
            for j in self.yields[k]:
                self.top[j] = True
        # blended: the agent serves a low channel and a channel above it
        blended = [any(self.yields[k] and any(tier_of_pool[q][j] >= 0 for j in self.yields[k])
                       for k in skills_of_pool[q]) for q in range(len(pool_names))]
        self.blended = [blended[q] for q in pool_of]
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

    def _reserved(self) -> bool:
        """True while the free blended agents are kept for the channels ranked above."""
        return self.n_free <= math.ceil(RESERVE_BETA * math.sqrt(self.n_top))

    # ---- random numbers -------------------------------------------------------------------
    def _draw_exogenous(self, rates: list[np.ndarray], st: Streams,
                        arrivals: list[np.ndarray] | None) -> None:
        """Arrival times (drawn, or given as a trace) and each contact's draws."""
        t, ch, pat, ht, u = exogenous_draws(self.m, rates, st, arrivals, self.ht_factor,
                                            self._compiled_passes)
        # the same draws as flat arrays, for the compiled kernel (sim.compiled); the
        # readable loop keeps only its lists (memory: docs/performance.md)
        self.exogenous = None if self._as_lists else (t, ch, pat, ht, u)
        if self._as_lists:
            self.arr_t, self.arr_ch = t.tolist(), ch.tolist()
            self.arr_pat, self.arr_ht = pat.tolist(), ht.tolist()
            self.arr_u = u.tolist()
        self.next_arrival = 0

    def _draw_dynamic(self, st: Streams) -> None:
        """Batches for contacts created during the run (retrials, repeat contacts)."""
        self.dyn: dict[str, list[tuple[Batch, ...]]] = {}
        for src in ("retrial", "repeat"):
            rng = st[src]
            self.dyn[src] = [
                (Batch(rng.random), Batch(_sampler(getattr(c, f"{src}_delay"), rng)),
                 Batch(_sampler(c.patience, rng)), Batch(_sampler(c.handle, rng)),
                 Batch(rng.random))
                for c in self.m.channels]

    # ---- SimPy processes ------------------------------------------------------------------
    def shifts(self) -> Generator[simpy.Timeout, None, None]:
        """Interval clock: rosters on and off duty, not-ready windows, time accounting."""
        env, m, ag = self.env, self.m, self.ag
        L = m.interval_s
        for i in range(m.n_intervals):
            yield env.timeout(i * L - env.now)
            self.sync()
            self._book_open_spans()
            self._interval = i
            on = ag.duty[:, i]
            for a in np.flatnonzero(on != np.asarray(self.duty)).tolist():
                self.duty[a] = bool(on[a])
                self._update_ready(a)
            for a in np.flatnonzero(on & (ag.availability < 1.0)).tolist():
                av = float(ag.availability[a])
                start = env.now + float(ag.aux_phase[a]) * av * L
                self._push(start, AUX, (a, True))
                self._push(start + (1.0 - av) * L, AUX, (a, False))
        yield env.timeout(self.horizon - env.now)
        self.sync()
        self._book_open_spans()
        self._interval = -1
        self.idle_since = [-1.0] * len(self.stamp)
        self.ready_since = [-1.0] * len(self.stamp)
        if m.drain:
            self.advance(INF)

    def sync(self) -> None:
        """Bring the contact events up to SimPy's clock (call before acting at env.now)."""
        self.advance(self.env.now)

    # ---- the dispatcher -------------------------------------------------------------------
    def _push(self, t: float, kind: int, payload: object) -> None:
        heappush(self.heap, (t, next(self.seq), kind, payload))

    def advance(self, until: float) -> None:
        """Process every contact event strictly before ``until``, in time order."""
        heap = self.heap
        arr_t = self.arr_t
        n_arr = len(arr_t)
        i = self.next_arrival
        ta = arr_t[i] if i < n_arr else INF
        arrive, finish, abandon = self._arrive, self._finish, self._abandon
        while True:
            th = heap[0][0] if heap else INF
            if ta <= th:
                if ta >= until:
                    break
                self.now = ta
                arrive(self.arr_ch[i], KIND_NEW, self.arr_pat[i], self.arr_ht[i],
                       self.arr_u[i])
                i += 1
                ta = arr_t[i] if i < n_arr else INF
            else:
                if th >= until:
                    break
                t, _, kind, x = heappop(heap)
                self.now = t
                if kind == FINISH:
                    finish(x)
                elif kind == ABANDON:
                    if x[STATE] == WAITING:
                        abandon(x)
                elif kind == OVERFLOW:
                    self._overflow(x)
                elif kind == LATER:
                    arrive(*x)
                else:
                    self._set_aux(*x)
        self.next_arrival = i
        if until < INF:
            self.now = until

    # ---- contacts -------------------------------------------------------------------------
    def _arrive(self, ch: int, kind: int, patience: float, ht: float, u: float) -> None:
        now = self.now
        c = [self.n_contacts, ch, now, ht, u, WAITING, -1]
        self.n_contacts += 1
        self.rec.on_arrival(c[CID], now, ch, kind)
        stamp = self.stamp
        for delay, dq, guarded in self.idle_flat[ch]:
            if delay > 0.0:
                break
            if guarded and self._reserved():
                continue
            while dq:
                st, a = dq.popleft()
                if st == stamp[a]:
                    self._start(c, a)
                    return
        self.queue[ch].append(c)
        heap, seq = self.heap, self.seq
        if patience < INF:
            heappush(heap, (now + patience, next(seq), ABANDON, c))
        delays = self.tier_delay[ch]
        for ti in range(1, len(delays)):
            heappush(heap, (now + delays[ti], next(seq), OVERFLOW, ch))

    def _find_agent(self, ch: int, waited: float) -> int:
        """Longest-idle ready agent (least busy first) of the tiers open after ``waited``."""
        stamp = self.stamp
        for delay, dq, guarded in self.idle_flat[ch]:
            if delay > waited:
                break
            if guarded and self._reserved():
                continue
            while dq:
                st, a = dq.popleft()
                if st == stamp[a]:
                    return a
        return -1

    def _start(self, c: list, a: int) -> None:
        now = self.now
        ch = c[CH]
        s = self.sessions[a]
        if s == 0:
            since = self.idle_since[a]
            if since >= 0:
                self.idle_acc[a] += now - since
                self.idle_since[a] = -1.0
            if self.blended[a]:
                self.n_free -= 1
            if self.top[ch]:
                self.n_top += 1
        self.sessions[a] = s + 1
        self.busy_ch[a] = ch
        self.stamp[a] += 1
        c[STATE] = ANSWERED
        c[AGENT] = a
        talk = c[HT] * self.pace[a] * (1.0 + self.slow[ch] * s) if s else c[HT] * self.pace[a]
        work = talk + self.acw[ch]
        self.rec.on_answer(c[CID], now, a, talk, work, s + 1)
        heappush(self.heap, (now + work, next(self.seq), FINISH, c))
        if s + 1 < self.cap[ch] and self.ready[a]:
            self.idle[ch][self.tier_of[a][ch]][s + 1].append((self.stamp[a], a))

    def _finish(self, c: list) -> None:
        a, ch = c[AGENT], c[CH]
        resolved = c[U] < self.fcr[a]
        self.rec.on_finish(c[CID], self.now, resolved)
        self.sessions[a] -= 1
        self.stamp[a] += 1
        if self.sessions[a] == 0:
            if self.top[ch]:
                self.n_top -= 1
            if self.blended[a] and self.ready[a]:
                self.n_free += 1
        if not resolved and self.repeat_p[ch] > 0:
            p_back, delay, pat, ht, u = self.dyn["repeat"][ch]
            if p_back() < self.repeat_p[ch]:
                self.repeat_sources.extend((a, self.now))
                self._later(ch, KIND_REPEAT, delay(), pat(), ht(), u())
        if self.ready[a]:
            if self.sessions[a] == 0 and self._interval >= 0:
                self.idle_since[a] = self.now
            self._pull(a)

    def _abandon(self, c: list) -> None:
        c[STATE] = ABANDONED
        self.rec.on_abandon(c[CID], self.now)
        ch = c[CH]
        if self.retrial_p[ch] > 0:
            p_back, delay, pat, ht, u = self.dyn["retrial"][ch]
            if p_back() < self.retrial_p[ch]:
                self._later(ch, KIND_RETRIAL, delay(), pat(), ht(), u())

    def _overflow(self, ch: int) -> None:
        """A contact has waited long enough for the next tier: serve the queue's head."""
        head = self._head(ch)
        if head is None:
            return
        a = self._find_agent(ch, self.now - head[ARR])
        if a >= 0:
            self.queue[ch].popleft()
            self._start(head, a)

    def _later(self, ch: int, kind: int, delay: float, pat: float, ht: float,
               u: float) -> None:
        """A retrial or repeat contact ``delay`` from now, if it falls inside the horizon."""
        t = self.now + delay
        if t >= self.horizon:
            self.lost_beyond_horizon += 1
            return
        self._push(t, LATER, (ch, kind, pat, self.handle_at(ch, t, ht), u))

    def handle_at(self, ch: int, t: float, ht: float) -> float:
        """A handle-time draw scaled by the factor of the interval the contact arrives in."""
        if self.ht_factor is None:
            return ht
        f = self.ht_factor[ch]
        return ht * f[min(int(t // self.m.interval_s), len(f) - 1)]

    def _head(self, ch: int) -> list | None:
        """The oldest waiting contact of ``ch`` (dropping answered/abandoned ones)."""
        q = self.queue[ch]
        while q and q[0][STATE] != WAITING:
            q.popleft()
        return q[0] if q else None

    # ---- agents ---------------------------------------------------------------------------
    def _pull(self, a: int) -> None:
        """A ready agent with spare capacity takes eligible contacts — of the channel first
        in the routing priority, else the longest-waiting — then waits in the idle deques."""
        now = self.now
        rank = self.rank
        while True:
            s = self.sessions[a]
            held = s == 0 and self.blended[a] and self._reserved()
            best, best_t, best_r = -1, INF, INF
            for ch in (self.skills[a] if s == 0 else (self.busy_ch[a],)):
                if s >= self.cap[ch] or not self.queue[ch] or (held and self.yields[ch]):
                    continue
                head = self._head(ch)
                if head is not None:
                    t0 = head[ARR]
                    if now - t0 < self.tier_delay[ch][self.tier_of[a][ch]]:
                        continue
                    r = 0 if rank is None else rank[ch]
                    if r < best_r or (r == best_r and t0 < best_t):
                        best, best_t, best_r = ch, t0, r
            if best < 0:
                break
            self._start(self.queue[best].popleft(), a)
        s = self.sessions[a]
        st = self.stamp[a]
        if s == 0:
            for ch in self.skills[a]:
                lv = self.cap[ch] if self.blended[a] and self.yields[ch] else 0
                self.idle[ch][self.tier_of[a][ch]][lv].append((st, a))
        else:
            ch = self.busy_ch[a]
            if s < self.cap[ch]:
                self.idle[ch][self.tier_of[a][ch]][s].append((st, a))

    def _set_aux(self, a: int, on: bool) -> None:
        if self._interval < 0:
            return
        self.aux[a] = on
        self._update_ready(a)

    def _update_ready(self, a: int) -> None:
        ready = self.duty[a] and not self.aux[a]
        if ready == self.ready[a]:
            return
        now = self.now
        self.ready[a] = ready
        self.stamp[a] += 1
        if self.blended[a] and self.sessions[a] == 0:
            self.n_free += 1 if ready else -1
        if ready:
            self.ready_since[a] = now
            if self.sessions[a] == 0:
                self.idle_since[a] = now
            self._pull(a)
        else:
            self.ready_acc[a] += now - self.ready_since[a]
            self.ready_since[a] = -1.0
            if self.idle_since[a] >= 0:
                self.idle_acc[a] += now - self.idle_since[a]
                self.idle_since[a] = -1.0

    def _book_open_spans(self) -> None:
        """At an interval boundary: close the interval's ready/idle time per agent."""
        now = self.now
        if self._interval >= 0:
            for since, acc in ((self.idle_since, self.idle_acc),
                               (self.ready_since, self.ready_acc)):
                for a, t0 in enumerate(since):
                    if t0 >= 0:
                        acc[a] += now - t0
                        since[a] = now
            self.idle_s[:, self._interval] = self.idle_acc
            self.ready_s[:, self._interval] = self.ready_acc
        na = len(self.stamp)
        self.idle_acc = [0.0] * na
        self.ready_acc = [0.0] * na

    # ---- run ------------------------------------------------------------------------------
    def run(self) -> None:
        self.env.process(self.shifts())
        self.env.run()

    def waiting(self) -> list[int]:
        """Number of contacts still waiting, per channel (after the run)."""
        return [sum(1 for c in q if c[STATE] == WAITING) for q in self.queue]
