"""The compiled desk (sim.compiled) against the readable one (sim.kernel.Desk).

Reference: sim.kernel.Desk, the readable kernel, run on the same model, demand and seed.
The compiled desk processes the same events in the same order with the same random
numbers, so every contact record, every agent's ready and idle time per interval, the
repeat sources and every KPI must be equal bit for bit — for each feature switched on
alone and for all of them together. The choice between the two is automatic: models
with a feature the compiled desk does not cover, or with recorder hooks, run the readable
one.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import numpy as np
import pytest

from sim import compiled
from sim.kernel import Desk
from sim.model import ChannelModel, Duration, Duty, PoolModel, Quality, SalesModel, SimModel
from sim.recorder import Recorder
from sim.routing import InHouseFirst
from sim.runner import Demand, event_desk, simulate

# one xdist worker runs them all: with an empty numba cache only that worker compiles
pytestmark = [pytest.mark.skipif(not compiled.available(), reason="numba not installed"),
              pytest.mark.xdist_group("compiled-desk")]

N = 8  # half-hour intervals: 4 hours
L = 1800.0


def base(**kw) -> tuple[SimModel, Demand]:
    """One voice channel, one pool of 12 agents, 400 contacts an hour of 95 s: plain."""
    voice = ChannelModel("voice", Duration("exponential", 95.0), within_s=20.0)
    pool = PoolModel("in_house", np.full(N, 12), ("voice",), quality=Quality(fcr=1.0))
    m = SimModel((voice,), (pool,), L, N, contact_log=True, kernel="events")
    return dataclasses.replace(m, **kw), Demand({"voice": np.full(N, 400.0)})


def chat_ch(**kw) -> ChannelModel:
    return ChannelModel("chat", Duration("lognormal", 300.0, 0.8), concurrency=3,
                        slowdown=0.25, **kw)


def feature(name: str) -> tuple[SimModel, Demand]:
    """The plain case with one feature switched on."""
    m, d = base()
    voice, pool = m.channels[0], m.pools[0]
    if name == "time_varying_arrivals":
        return m, Demand({"voice": np.array([100, 300, 700, 900, 600, 300, 200, 100.0])})
    if name == "shifts":
        return dataclasses.replace(m, pools=(dataclasses.replace(
            pool, staffing=np.array([4, 8, 12, 16, 12, 8, 6, 4])),)), d
    if name == "people_rosters":
        duty = Duty(tuple(f"E{i}" for i in range(14)), np.repeat(np.arange(14), 2),
                    np.tile([0.0, 3 * L], 14) + np.repeat(np.arange(14) % 3, 2) * L,
                    np.tile([2 * L, 7 * L], 14) + np.repeat(np.arange(14) % 3, 2) * L)
        staffing = duty.matrix(L, N).sum(axis=0)
        return dataclasses.replace(m, pools=(dataclasses.replace(
            pool, staffing=staffing, duty=duty),)), d
    if name == "productivity_show_up":
        return dataclasses.replace(m, pools=(dataclasses.replace(
            pool, productivity=1.2, show_up=0.8, speed_cv=0.3),)), d
    if name == "aux_windows":
        from sim.levers import Levers
        return dataclasses.replace(m, pools=(dataclasses.replace(
            pool, levers=Levers(availability=0.8)),)), d
    if name == "impatience":
        return dataclasses.replace(m, channels=(dataclasses.replace(
            voice, patience=Duration("gamma", 60.0, 1.5)),)), \
            Demand({"voice": np.full(N, 600.0)})
    if name == "redials":
        return dataclasses.replace(m, channels=(dataclasses.replace(
            voice, patience=Duration("exponential", 60.0), retrial_p=0.6,
            retrial_delay=Duration("lognormal", 300.0, 0.5)),)), \
            Demand({"voice": np.full(N, 600.0)})
    if name == "repeats":
        return dataclasses.replace(m, channels=(dataclasses.replace(
            voice, repeat_p=0.5, repeat_delay=Duration("gamma", 1200.0, 0.7)),),
            pools=(dataclasses.replace(pool, quality=Quality(fcr=0.7, fcr_sd=0.1)),)), d
    if name == "outcomes":
        return dataclasses.replace(m, channels=(dataclasses.replace(
            voice, sales=SalesModel(presale_share=0.4)),), pools=(dataclasses.replace(
                pool, quality=Quality(fcr=0.8)),)), d
    if name == "overtime_after_wrap_up":
        return dataclasses.replace(m, channels=(dataclasses.replace(
            voice, acw_s=30.0, handle=Duration("deterministic", 400.0, 0.0)),)), d
    if name == "no_drain":
        return dataclasses.replace(m, drain=False), Demand({"voice": np.full(N, 700.0)})
    if name == "handle_time_factor":
        f = np.array([1.0, 1.0, 1.3, 1.5, 1.2, 1.0, 0.9, 1.0])
        return m, Demand({"voice": np.full(N, 400.0)}, handle_time_factor={"voice": f})
    if name == "arrival_trace":
        t = np.sort(np.random.default_rng(5).uniform(0, N * L, 2500))
        return m, Demand({"voice": np.zeros(N)}, arrivals={"voice": t})
    if name == "blended_chat":
        pool2 = dataclasses.replace(pool, skills=("voice", "chat"))
        return dataclasses.replace(m, channels=(voice, chat_ch()), pools=(pool2,)), \
            Demand({"voice": np.full(N, 300.0), "chat": np.full(N, 200.0)})
    if name == "priority":
        pool2 = dataclasses.replace(pool, skills=("voice", "chat"))
        return dataclasses.replace(m, channels=(voice, chat_ch()), pools=(pool2,),
                                   priority=("voice", "chat")), \
            Demand({"voice": np.full(N, 300.0), "chat": np.full(N, 200.0)})
    if name == "overflow_after_wait":
        bpo = PoolModel("bpo", np.full(N, 6), ("voice",), productivity=1.3,
                        quality=Quality(fcr=1.0))
        return dataclasses.replace(m, pools=(dataclasses.replace(pool, staffing=np.full(N, 8)),
                                             bpo), router=InHouseFirst(30.0)), \
            Demand({"voice": np.full(N, 500.0)})
    raise KeyError(name)


FEATURES = ["time_varying_arrivals", "shifts", "people_rosters", "productivity_show_up",
            "aux_windows", "impatience", "redials", "repeats", "outcomes",
            "overtime_after_wrap_up", "no_drain", "handle_time_factor", "arrival_trace",
            "blended_chat", "priority", "overflow_after_wait"]


def flagship_like() -> tuple[SimModel, Demand]:
    """Every feature at once: voice + chat blended with priority, in-house people on
    rosters first and two outsourced pools after 30 s, impatience, redials, repeats,
    aux windows, outcomes, time-varying demand and handle time, overtime."""
    from sim.levers import Levers
    voice = ChannelModel("voice", Duration("lognormal", 240.0, 0.9), acw_s=20.0,
                         patience=Duration("exponential", 90.0), retrial_p=0.5,
                         retrial_delay=Duration("exponential", 400.0), repeat_p=0.4,
                         sales=SalesModel(presale_share=0.3))
    chat = chat_ch(patience=Duration("gamma", 200.0, 0.8), repeat_p=0.3,
                   acw_s=10.0)
    people = 16
    duty = Duty(tuple(f"E{i:02d}" for i in range(people)), np.arange(people),
                (np.arange(people) % 4) * L, (np.arange(people) % 4) * L + 4 * L)
    own = PoolModel("in_house", duty.matrix(L, N).sum(axis=0), ("voice", "chat"),
                    show_up=0.95, speed_cv=0.2, quality=Quality(fcr=0.8, fcr_sd=0.05),
                    levers=Levers(availability=0.85), duty=duty)
    bpo = PoolModel("bpo", np.array([3, 4, 6, 8, 8, 6, 4, 3]), ("voice",), productivity=1.2,
                    show_up=0.9, quality=Quality(fcr=0.7))
    crowd = PoolModel("crowd", np.array([2, 2, 4, 6, 6, 4, 2, 2]), ("chat",),
                      productivity=1.1, quality=Quality(fcr=0.75))
    m = SimModel((voice, chat), (own, bpo, crowd), L, N, contact_log=True, kernel="events",
                 router=InHouseFirst(30.0), priority=("voice", "chat"))
    shape = np.array([0.5, 0.8, 1.2, 1.6, 1.5, 1.1, 0.8, 0.6])
    return m, Demand({"voice": 260.0 * shape, "chat": 220.0 * shape},
                     handle_time_factor={"voice": np.linspace(1.0, 1.3, N)})


def both(model: SimModel, demand: Demand, seed: int, rep: int, monkeypatch):
    monkeypatch.setenv("PEAKDESK_KERNEL", "python")
    assert event_desk(model) is Desk
    py = simulate(model, demand, seed, rep)
    monkeypatch.setenv("PEAKDESK_KERNEL", "compiled")
    assert event_desk(model) is compiled.CompiledDesk
    nb = simulate(model, demand, seed, rep)
    return py, nb


def assert_same(py, nb) -> None:
    a, b = py.contacts, nb.contacts
    assert len(a) == len(b) > 0
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        assert x.dtype == y.dtype, f.name
        assert np.array_equal(x, y, equal_nan=x.dtype.kind == "f"), f.name
    assert py.team == nb.team
    assert py.waiting_at_end == nb.waiting_at_end
    for ch in py.channels:
        for k, v in py.channels[ch].items():
            assert np.array_equal(v, nb.channels[ch][k], equal_nan=True), (ch, k)
    for k, v in py.agents.items():
        assert np.array_equal(v, nb.agents[k], equal_nan=True), k


@pytest.mark.parametrize("name", FEATURES)
def test_each_feature_alone_bit_for_bit(name: str, monkeypatch) -> None:
    model, demand = feature(name)
    assert compiled.supports(model)
    for rep in (0, 1):
        assert_same(*both(model, demand, 11, rep, monkeypatch))


def test_all_features_together_bit_for_bit(monkeypatch) -> None:
    model, demand = flagship_like()
    for rep in range(3):
        py, nb = both(model, demand, 7, rep, monkeypatch)
        assert_same(py, nb)
        kinds = np.bincount(py.contacts.kind, minlength=3)
        assert kinds.min() > 0  # new, redialled and repeat contacts all occur
        assert py.team["overtime_hours"] > 0


def test_the_plain_case_under_auto_runs_the_fcfs_recursion_first(monkeypatch) -> None:
    """kernel "auto" keeps the FCFS recursion where it applies (sim.fcfs)."""
    from sim import fcfs
    model, _ = base(kernel="auto")
    monkeypatch.setenv("PEAKDESK_KERNEL", "auto")
    assert fcfs.applies(model, np.ones(12))


def test_a_feature_the_compiled_desk_does_not_know_falls_back(monkeypatch) -> None:
    """A model field the compiled desk does not cover (here: a chatbot stage, as a later
    SimModel field would add) switched on: the readable desk runs; at its default the
    compiled one still does."""

    @dataclasses.dataclass(frozen=True)
    class WithBot(SimModel):
        bot_containment: float = 0.0

    model, demand = base()
    plain = WithBot(**{f.name: getattr(model, f.name) for f in dataclasses.fields(model)})
    monkeypatch.setenv("PEAKDESK_KERNEL", "auto")
    monkeypatch.setattr(compiled, "warm", lambda: True)
    assert event_desk(plain) is compiled.CompiledDesk
    assert event_desk(dataclasses.replace(plain, bot_containment=0.3)) is Desk
    monkeypatch.setenv("PEAKDESK_KERNEL", "compiled")
    assert event_desk(dataclasses.replace(plain, bot_containment=0.3)) is Desk


def test_recorder_hooks_run_the_readable_desk(monkeypatch) -> None:
    model, demand = base()
    monkeypatch.setenv("PEAKDESK_KERNEL", "auto")
    assert event_desk(model, Recorder()) is Desk
    out = simulate(model, demand, 3, 0, recorder=Recorder())
    assert out.team["contacts_simulated"] > 0


def test_idle_deques_compact_without_changing_the_run(monkeypatch) -> None:
    """A long overstaffed horizon with aux windows: agents go idle far more often than
    contacts take them, so the idle deques fill and are compacted many times; the run
    still equals the readable desk's."""
    from sim.levers import Levers
    m, _ = base()
    n = 96
    pool = dataclasses.replace(m.pools[0], staffing=np.full(n, 3),
                               levers=Levers(availability=0.7))
    m = dataclasses.replace(m, pools=(pool,), n_intervals=n)
    d = Demand({"voice": np.full(n, 1.0)})
    assert_same(*both(m, d, 2, 0, monkeypatch))


def test_the_event_loop_stops_to_grow_and_refill_without_changing_the_run(monkeypatch) -> None:
    """A burst far beyond the agents: thousands of contacts wait at once with patience,
    so the heap outgrows its first 4,096 slots, the redials and repeats outgrow the later
    contacts' first 1,024 rows and every batch of dynamic draws is refilled many times —
    each a stop of compiled_loop._events for run_desk to grow or refill. The run equals
    the readable desk's, record for record."""
    m, _ = base()
    voice = dataclasses.replace(
        m.channels[0], patience=Duration("lognormal", 3000.0, 0.5), retrial_p=0.7,
        retrial_delay=Duration("gamma", 900.0, 0.7), repeat_p=0.6,
        repeat_delay=Duration("exponential", 1200.0))
    pool = dataclasses.replace(m.pools[0], staffing=np.full(N, 14),
                               quality=Quality(fcr=0.3))
    m = dataclasses.replace(m, channels=(voice,), pools=(pool,))
    d = Demand({"voice": np.array([9000.0, 300, 200, 100, 100, 100, 100, 100])},
               handle_time_factor={"voice": np.linspace(1.0, 1.5, N)})
    py, nb = both(m, d, 4, 0, monkeypatch)
    assert_same(py, nb)
    kinds = np.bincount(py.contacts.kind, minlength=3)
    assert kinds[1] > 2 * 512 and kinds[2] > 512  # returns past a batch of each draw
    c = py.contacts
    gone = np.fmin(c.answer_t, c.abandon_t)  # NaN where neither happened
    waiting = (c.arrival_t < L) & ~(gone <= L)  # each with its patience timer in the heap
    assert np.count_nonzero(waiting) > 4096


# ---- the automatic choice (sim.compiled.use_compiled, sim.runner.event_desk) ----------------
@pytest.fixture
def cold(monkeypatch, tmp_path):
    """The compiled code not ready: markers in an empty directory, background compiles
    recorded instead of started."""
    monkeypatch.setattr(compiled, "_marker_dir", lambda: tmp_path)
    spawned: list[list[str]] = []
    monkeypatch.setattr(compiled, "_spawn", spawned.append)
    return spawned


def test_auto_runs_the_readable_desk_on_a_small_job_while_cold_and_starts_one_compile(
        cold, monkeypatch) -> None:
    model, _ = base()
    monkeypatch.setenv("PEAKDESK_KERNEL", "auto")
    assert not compiled.warm()
    assert event_desk(model, job_contacts=10_000) is Desk
    assert len(cold) == 1 and cold[0][1:3] == ["-c", compiled.WARM_UP_CODE]
    # a second small job while that compile runs: still readable, no second compile
    assert event_desk(model, job_contacts=10_000) is Desk
    assert len(cold) == 1


def test_auto_compiles_for_a_job_that_repays_it(cold, monkeypatch) -> None:
    model, _ = base()
    monkeypatch.setenv("PEAKDESK_KERNEL", "auto")
    big = compiled.PAYBACK_CONTACTS
    assert event_desk(model, job_contacts=big) is compiled.CompiledDesk
    assert event_desk(model, job_contacts=big * 0.99) is Desk
    assert compiled.PAYBACK_CONTACTS == pytest.approx(
        compiled.COMPILE_CPU_S / compiled.SAVED_S_PER_CONTACT)


def test_the_environment_forces_either_desk(cold, monkeypatch) -> None:
    model, _ = base()
    monkeypatch.setenv("PEAKDESK_KERNEL", "compiled")
    assert event_desk(model, job_contacts=1) is compiled.CompiledDesk
    monkeypatch.setattr(compiled, "warm", lambda: True)
    monkeypatch.setenv("PEAKDESK_KERNEL", "python")
    assert event_desk(model, job_contacts=1e12) is Desk
    assert event_desk(model, job_contacts=1, kernel="compiled") is compiled.CompiledDesk
    monkeypatch.setenv("PEAKDESK_KERNEL", "auto")
    assert event_desk(model, job_contacts=1) is compiled.CompiledDesk
    assert event_desk(model, job_contacts=1, kernel="python") is Desk
    assert cold == []  # forced or warm: no background compile


def test_a_run_on_the_compiled_desk_marks_its_code_ready(cold, monkeypatch, tmp_path) -> None:
    """warm_up (what the background compile runs) leaves the marker; a changed loop
    source (its content is in numba's cache key) makes it cold again."""
    monkeypatch.setattr(compiled, "_MARKED", False)
    lock = tmp_path / "warm-up.lock"
    lock.touch()
    compiled.warm_up(str(lock))
    assert compiled.warm() and not lock.exists()
    monkeypatch.setattr(compiled, "_key", lambda: "another-source")
    assert not compiled.warm()


def test_a_loop_file_rewritten_with_the_same_bytes_stays_ready(cold, monkeypatch,
                                                               tmp_path) -> None:
    """A git checkout rewrites the loop's file (new modification time, same bytes). Numba
    keeping its cache by content loads it as is, so the desk stays ready; numba keeping
    it by modification time (0.59) compiles again, so it is not. Changed bytes: not
    ready either way. (Before, the file's time was compared with the cache's alone: a
    rewritten file left the desk cold for good and every job ran the readable desk.)"""
    loop = tmp_path / "compiled_loop.py"
    loop.write_bytes(compiled._LOOP.read_bytes())
    monkeypatch.setattr(compiled, "_LOOP", loop)
    monkeypatch.setattr(compiled, "_MARKED", False)
    compiled.warm_up()
    index = Path(compiled._marker().read_text().strip())
    later = index.stat().st_mtime + 60
    os.utime(loop, (later, later))  # rewritten after numba's cache was written
    monkeypatch.setattr(compiled, "_numba_stamps_by_content", lambda: True)
    assert compiled.warm()
    monkeypatch.setattr(compiled, "_numba_stamps_by_content", lambda: False)
    assert not compiled.warm()
    monkeypatch.setattr(compiled, "_numba_stamps_by_content", lambda: True)
    loop.write_bytes(loop.read_bytes() + b"\n# changed\n")
    assert not compiled.warm()


def test_the_installed_numba_is_read_right() -> None:
    """The check reads numba's own source: the installed numba's cache stamp is what it
    says (a content hash where numba.core.caching hashes the file)."""
    import numba.core.caching as caching

    assert compiled._numba_stamps_by_content() == hasattr(caching, "_hash_source_file")


def test_replications_are_the_same_whichever_desk_runs_each(monkeypatch) -> None:
    """A job that switches desk mid-way (its background compile finished) gives the numbers
    of a job run on one desk: the choice never changes a result."""
    from sim.runner import run_replications
    model, demand = flagship_like()
    monkeypatch.setenv("PEAKDESK_KERNEL", "python")
    ref = run_replications(model, demand, 3, 5)
    calls = iter([False, True, True])
    monkeypatch.setenv("PEAKDESK_KERNEL", "auto")
    monkeypatch.setattr(compiled, "use_compiled", lambda job: next(calls))
    mixed = run_replications(model, demand, 3, 5)
    for a, b in zip(ref.outputs, mixed.outputs, strict=True):
        assert_same(a, b)


def test_a_parallel_job_that_repays_the_compile_compiles_once_before_its_workers(
        cold, monkeypatch) -> None:
    from sim.runner import prepare_kernel
    model, _ = base()
    calls: list[None] = []
    monkeypatch.setattr(compiled, "warm_up", lambda lock=None: calls.append(None))
    monkeypatch.setenv("PEAKDESK_KERNEL", "auto")
    big = compiled.PAYBACK_CONTACTS
    prepare_kernel([model], big, parallel=False)  # one process: its first replication compiles
    prepare_kernel([model], big / 2, parallel=True)  # small: readable desk, no compile
    assert calls == []
    prepare_kernel([model], big, parallel=True)
    assert len(calls) == 1
    monkeypatch.setenv("PEAKDESK_KERNEL", "python")
    prepare_kernel([model], big, parallel=True)
    monkeypatch.setenv("PEAKDESK_KERNEL", "compiled")
    prepare_kernel([model], 1, parallel=True)
    assert len(calls) == 2
