"""The compiled desk: sim.kernel.Desk's interface with its event loop in numba.

:class:`sim.kernel.Desk` is the readable reference; :mod:`sim.compiled_loop` runs the same
event loop as one numba function over flat arrays (no Python objects inside the loop), the
way the fast codes of this field keep the readable model beside the fast one. Everything
that is not the event loop — routing tiers, search order of the idle deques, the pre-drawn
arrivals, patience, handle times and resolution draws — is prepared by the readable Desk
itself (:class:`CompiledDesk` builds a Desk and reads its arrays), so both kernels start
from the same numbers. The dynamic draws (retrials, repeat contacts) come from the same
numpy Generators in the same 512-number batches: numba's Generator methods give numpy's
bits, so with the same event order the contact records are equal bit for bit
(tests/sim/test_compiled.py). :func:`supports` says which models it covers; the runner
chooses (sim.runner.event_desk).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

# distribution codes for the dynamic draws (sim.model.Duration); sim.compiled_loop's
D_NONE, D_EXP, D_FIXED, D_LOGNORMAL, D_GAMMA = 0, 1, 2, 3, 4


#: the compiled KPI passes and outcome formulas (sim.compiled_kpi) in sim.kpi and
#: sim.outcomes: None = where the compiled desk's code is loaded in this process (numba is
#: loaded then, and the machine compiles); True / False force them on or off (tests).
#: Both give the same numbers bit for bit.
PASSES: bool | None = None


def passes() -> bool:
    """True when the KPI passes and outcome formulas run compiled (:data:`PASSES`)."""
    return PASSES if PASSES is not None else "sim.compiled_loop" in sys.modules


def available() -> bool:
    """True when numba is installed (the compiled desk can run)."""
    return importlib.util.find_spec("numba") is not None


def choice() -> str:
    """The event desk asked for by PEAKDESK_KERNEL: "auto" (the default: the compiled desk
    where it covers the model and its compiled code is ready or pays for itself, see
    :func:`use_compiled`), "compiled" (the compiled desk wherever it covers the model,
    compiling it if need be) or "python" (the readable desk always)."""
    v = os.environ.get("PEAKDESK_KERNEL", "auto").strip().lower()
    return v if v in ("auto", "compiled", "python") else "auto"


# ---- when the compiled desk pays: its code is ready, or the job repays the compile --------
# numba compiles the loop once per machine and keeps it on disk (cache=True). A cold
# compile costs COMPILE_CPU_S CPU seconds; each contact on the compiled desk saves
# SAVED_S_PER_CONTACT against the readable one (both measured with
# benchmarks/bench_kernel.py, docs/performance.md). A job that would simulate fewer
# contacts than their ratio runs the readable desk and starts the compile in the
# background for the next jobs; both desks give the same numbers bit for bit, so which
# one ran a replication never changes a result.
COMPILE_CPU_S = 57.0  # 58.7 CPU s for import + compile + a tiny run, less ~1.9 s of load
SAVED_S_PER_CONTACT = 9.8e-6  # 11.84 - 2.05 µs CPU a contact, whole replication
PAYBACK_CONTACTS = COMPILE_CPU_S / SAVED_S_PER_CONTACT  # about 5.8 million contacts
_LOOP = Path(__file__).with_name("compiled_loop.py")


def _marker_dir() -> Path:
    """Where the "compiled code is ready" marker lives: beside numba's cache when the
    package directory is writable, else in the user's cache directory."""
    here = _LOOP.parent / "__pycache__"
    if os.access(_LOOP.parent, os.W_OK):
        return here
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "peakdesk"


def _key() -> str:
    """What numba's cache depends on: numba and Python versions, the loop's source file
    (its path and its content — a file rewritten with the same bytes, as a git checkout
    does, is the same source) and NUMBA_CACHE_DIR."""
    try:
        nb = importlib.metadata.version("numba")
    except importlib.metadata.PackageNotFoundError:
        nb = "none"
    source = hashlib.sha256(_LOOP.read_bytes()).hexdigest()
    raw = "|".join([nb, sys.version.split()[0], str(_LOOP), source,
                    os.environ.get("NUMBA_CACHE_DIR", "")])
    return hashlib.sha1(raw.encode()).hexdigest()[:16]


def _numba_stamps_by_content() -> bool:
    """Whether the installed numba keys its cache on the source file's content (newer
    numba: a sha256 of the file) rather than its modification time and size (numba 0.59:
    a file touched without a change invalidates the cache). Read from numba's own source,
    without importing numba (the choice of desk must stay cheap)."""
    spec = importlib.util.find_spec("numba")
    if spec is None or not spec.submodule_search_locations:
        return False
    caching = Path(next(iter(spec.submodule_search_locations))) / "core" / "caching.py"
    try:
        return "_hash_source_file" in caching.read_text(errors="replace")
    except OSError:
        return False


def _marker() -> Path:
    return _marker_dir() / f"peakdesk-kernel-{_key()}.ready"


def warm() -> bool:
    """True when the compiled loop is in numba's cache for this numba, Python and source:
    using it costs a load of a few seconds, not a compile."""
    try:
        index = Path(_marker().read_text().strip())
        if not index.is_file():
            return False
        # numba keeping the cache by modification time: a loop file touched after the
        # cache was written (same content) makes numba compile again
        return _numba_stamps_by_content() or index.stat().st_mtime >= _LOOP.stat().st_mtime
    except (OSError, ValueError):
        return False


def _mark_warm() -> None:
    """Record, after the compiled loop ran in this process, that numba's cache holds it."""
    global _MARKED
    if _MARKED:
        return
    _MARKED = True
    try:
        from sim.compiled_loop import run_desk

        index = run_desk._cache._cache_file._index_path  # numba's index of the cached code
        m = _marker()
        m.parent.mkdir(parents=True, exist_ok=True)
        tmp = m.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(str(index))
        os.replace(tmp, m)
    except (OSError, AttributeError):  # no cache on disk: nothing to record
        pass


_MARKED = False


def use_compiled(job_contacts: float) -> bool:
    """PEAKDESK_KERNEL=auto: the compiled desk when its code is ready or the job (contacts
    over all its replications) repays a compile; otherwise the readable desk, with the
    compile started in the background for the next jobs."""
    if warm():
        return True
    if job_contacts >= PAYBACK_CONTACTS:
        return True
    start_warmup()
    return False


WARMUP_STALE_S = 1800.0  # a warm-up lock older than this is from a process that died


def start_warmup() -> bool:
    """Compile the loop in a background process (one per machine at a time, by a lock
    file) so the next jobs find it ready; True when one was started."""
    if not available():
        return False
    lock = _marker().with_suffix(".lock")
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            if time.time() - lock.stat().st_mtime < WARMUP_STALE_S:
                return False
            lock.unlink(missing_ok=True)
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        os.close(fd)
        _spawn([sys.executable, "-c", WARM_UP_CODE, str(lock)])
    except OSError:
        return False
    return True


WARM_UP_CODE = "import sys; from sim.compiled import warm_up; warm_up(sys.argv[1])"


def _spawn(cmd: list[str]) -> None:
    env = dict(os.environ, PEAKDESK_KERNEL="compiled")
    subprocess.Popen(cmd, env=env, cwd=str(_LOOP.parent.parent), stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True)


def warm_up(lock: str | None = None) -> None:
    """Compile (or load) the loop by running a tiny replication on it, and mark it ready;
    then remove ``lock`` (the background warm-up's, :func:`start_warmup`)."""
    try:
        _tiny_run()
    finally:
        if lock is not None:
            Path(lock).unlink(missing_ok=True)


def _tiny_run() -> None:
    """A tiny replication on the compiled desk, then the KPI passes on tiny inputs: numba
    compiles (or loads) the loop and the passes (sim.compiled_kpi)."""
    from sim.agents import build_agents
    from sim.compiled_kpi import warm as warm_passes
    from sim.model import ChannelModel, Duration, PoolModel, SimModel
    from sim.recorder import Recorder
    from sim.streams import Streams

    n = 2
    model = SimModel((ChannelModel("voice", Duration("exponential", 100.0)),),
                     (PoolModel("team", np.full(n, 2), ("voice",)),), 1800.0, n,
                     kernel="events")
    st = Streams(0, 0)
    agents = build_agents(model, st["agents"])
    CompiledDesk(model, [np.full(n, 30.0)], agents, st, Recorder()).run()
    warm_passes()


# ---- flat arrays in, the Desk's results out
def _dist(d) -> tuple[int, float, float]:
    """A Duration as (code, p1, p2) with the parameters sim.model.Duration.sample uses."""
    if d is None:
        return D_NONE, 0.0, 0.0
    m = d.mean_s
    if d.dist == "exponential":
        return D_EXP, float(m), 0.0
    if d.dist == "deterministic" or d.cv == 0:
        return D_FIXED, float(m), 0.0
    if d.dist == "lognormal":
        s2 = np.log1p(d.cv ** 2)
        return D_LOGNORMAL, float(np.log(m) - s2 / 2), float(np.sqrt(s2))
    if d.dist == "gamma":
        k = 1.0 / d.cv ** 2
        return D_GAMMA, float(k), float(m / k)
    raise ValueError(f"unknown distribution {d.dist!r}")


# Model fields the compiled kernel covers, with everything else at its default. A field
# added later (e.g. a chatbot stage in front of the agents) is not in these sets, so a
# model using it runs the readable kernel until this one covers it.
SIM_FIELDS = {"channels", "pools", "interval_s", "n_intervals", "warmup_s", "drain",
              "contact_log", "router", "effects", "outbound", "ring_unready_share", "kernel",
              "priority"}
CHANNEL_FIELDS = {"name", "handle", "acw_s", "patience", "within_s", "concurrency",
                  "slowdown", "retrial_p", "retrial_delay", "repeat_p", "repeat_delay",
                  "sales"}
POOL_FIELDS = {"name", "staffing", "skills", "productivity", "show_up", "speed_cv",
               "quality", "levers", "natural_pace", "natural_fcr", "duty"}
DISTS = ("exponential", "deterministic", "lognormal", "gamma")


def _only_known(obj, known: set[str]) -> bool:
    import dataclasses

    for f in dataclasses.fields(obj):
        if f.name in known:
            continue
        default = f.default if f.default is not dataclasses.MISSING else (
            f.default_factory() if f.default_factory is not dataclasses.MISSING else None)
        value = getattr(obj, f.name)
        try:
            same = bool(value == default)
        except Exception:  # arrays and the like: not a default
            same = False
        if not same:
            return False
    return True


def supports(model) -> bool:
    """True when the compiled kernel covers every feature ``model`` uses."""
    if not _only_known(model, SIM_FIELDS):
        return False
    for c in model.channels:
        if not _only_known(c, CHANNEL_FIELDS):
            return False
        for d in (c.handle, c.patience, c.retrial_delay, c.repeat_delay):
            if d is not None and d.dist not in DISTS:
                return False
    return all(_only_known(p, POOL_FIELDS) for p in model.pools)


class CompiledDesk:
    """sim.kernel.Desk's interface (run, idle_s, ready_s, repeat_sources,
    lost_beyond_horizon, waiting) with the event loop compiled; ``records`` after run."""

    def __init__(self, model, rates, agents, streams, recorder=None, arrivals=None,
                 handle_factor=None):
        import sim.compiled_loop  # noqa: F401  (numba loaded: the compiled passes run)
        from sim.kernel import Desk

        d = Desk(model, rates, agents, streams, recorder, arrivals, handle_factor,
                 as_lists=False, compiled_passes=passes())
        self.m, self.desk, self.streams, self.agents = model, d, streams, agents
        nc, na = len(model.channels), len(agents)
        self.n_agents = na
        # idle deques numbered (channel, tier, level); each channel's search order
        ids: dict[int, int] = {}
        n_t = max((len(t) for t in d.tier_delay), default=1)
        n_lv = max(c.concurrency for c in model.channels) + 1
        self.dq_index = np.full((nc, n_t, n_lv), -1, np.int64)
        for k in range(nc):
            for ti, tier in enumerate(d.idle[k]):
                for lv, dq in enumerate(tier):
                    ids[id(dq)] = len(ids)
                    self.dq_index[k, ti, lv] = ids[id(dq)]
        self.n_dq = len(ids)
        off, delay, dqi, guard = [0], [], [], []
        for k in range(nc):
            for dl, dq, g in d.idle_flat[k]:
                delay.append(dl)
                dqi.append(ids[id(dq)])
                guard.append(g)
            off.append(len(delay))
        self.srch = (np.array(off, np.int64), np.array(delay, float),
                     np.array(dqi, np.int64), np.array(guard, np.bool_))
        self.tier_delay = np.zeros((nc, n_t))
        for k, t in enumerate(d.tier_delay):
            self.tier_delay[k, :len(t)] = t
        self.n_tiers = np.array([len(t) for t in d.tier_delay], np.int64)
        self.tier_of = np.array(d.tier_of, np.int64).reshape(na, nc)
        codes = np.zeros((2, nc, 5), np.int64)
        p1, p2 = np.zeros((2, nc, 5)), np.zeros((2, nc, 5))
        for s, src in enumerate(("retrial", "repeat")):
            for k, c in enumerate(model.channels):
                for b, dist in ((1, getattr(c, f"{src}_delay")), (2, c.patience),
                                (3, c.handle)):
                    codes[s, k, b], p1[s, k, b], p2[s, k, b] = _dist(dist)
        self.dists = (codes, p1, p2)
        self.ht_factor = (np.zeros((nc, 0)) if d.ht_factor is None else
                          np.array(d.ht_factor, float).reshape(nc, -1))

    def run(self) -> None:
        from sim.compiled_loop import run_desk
        from sim.recorder import ContactRecords

        m, d, ag = self.m, self.desk, self.agents
        chans = m.channels
        t, ch, pat, ht, u = d.exogenous
        out = run_desk(
            np.ascontiguousarray(t, float), np.ascontiguousarray(ch, np.int64),
            np.ascontiguousarray(pat, float), np.ascontiguousarray(ht, float),
            np.ascontiguousarray(u, float),
            np.array([c.concurrency for c in chans], np.int64),
            np.array([c.slowdown for c in chans], float),
            np.array([c.acw_s for c in chans], float),
            np.array([c.repeat_p for c in chans], float),
            np.array([c.retrial_p for c in chans], float),
            np.array(d.rank if d.rank is not None else [0] * len(chans), np.int64),
            np.array([bool(y) for y in d.yields], np.bool_), np.array(d.top, np.bool_),
            self.n_tiers, self.tier_delay, self.ht_factor,
            self.n_dq, *self.srch, self.dq_index,
            np.ascontiguousarray(ag.pace, float), np.ascontiguousarray(ag.fcr, float),
            self.tier_of, np.array(d.blended, np.bool_),
            np.ascontiguousarray(ag.duty, np.bool_).reshape(self.n_agents, m.n_intervals),
            np.ascontiguousarray(ag.availability, float),
            np.ascontiguousarray(ag.aux_phase, float),
            self.streams["retrial"], self.streams["repeat"], *self.dists,
            float(m.interval_s), int(m.n_intervals), bool(m.drain))
        (arr, chn, kind, ans, agent, talk, work, end, aban, res, sess, self.idle_s,
         self.ready_s, src, lost, waiting) = out
        self.records = ContactRecords(arr, chn, kind, ans, agent, talk, work, end, aban, res,
                                      sess)
        self.repeat_sources = src
        self.lost_beyond_horizon = int(lost)
        self._waiting = [int(w) for w in waiting]
        _mark_warm()

    def waiting(self) -> list[int]:
        """Number of contacts still waiting, per channel (after the run)."""
        return self._waiting
