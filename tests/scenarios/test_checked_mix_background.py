"""The plan made for overflow at once, solved and judged in a background process
(scenarios.checked_mix ``background``, scenarios.background): the same numbers as in
this process, at_once None when its solve fails, and no process left behind — after a
normal return, after an exception, after the caller is killed.

Reference for the numbers: the same call with ``background=False`` — the sequential path
(this process does every solve and simulation in turn, as before the job existed).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import scenarios.background as bg
import scenarios.checked_mix as cm
from planning.solver import PlanInfeasible
from scenarios.adapters.to_mix import solver_options
from scenarios.reading.load import load_scenario
from tests.cli.test_plan_cli import ROUTED

#: in-house first, overflow after 60 s; the checked plan misses, the routing probe holds:
#: the at-once plan is priced as solved (no correction round)
PROBE_HOLDS = ROUTED
#: fewer vendor seats and temps: the probe misses too, so the at-once plan gets its one
#: correction round (loop streams, a warm re-solve, then its verdict)
PROBE_MISSES = (ROUTED.replace("capacity: 30,", "capacity: 12,")
                .replace("temp_hire: {capacity: 20", "temp_hire: {capacity: 5"))


def _scenario(tmp_path: Path, text: str):
    path = tmp_path / "routed.yaml"
    path.write_text(text)
    return load_scenario(str(path))


def _gone(pid: int) -> bool:
    """No process with this pid any more (or a zombie nobody reaps: none here)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(")")[-1].split()[0] == "Z"


@pytest.fixture
def jobs(monkeypatch: pytest.MonkeyPatch) -> list[bg.Background]:
    """Every background job started during the test."""
    started: list[bg.Background] = []
    real = bg.Background

    class Recorded(real):  # type: ignore[misc,valid-type]
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            started.append(self)

    monkeypatch.setattr(bg, "Background", Recorded)
    return started


def _numbers(m: cm.CheckedMix) -> dict:
    cmp = m.comparison
    return {
        "objective": cmp.plan.objective,
        "baselines": {k: None if p is None else p.objective for k, p in cmp.baselines.items()},
        "rounds": [(r.objective, r.scenarios_held, r.misses) for r in m.checked.rounds],
        "verdict": (m.checked.assessment.share, m.checked.assessment.holds.tolist()),
        "probe": m.probe, "at_once": m.at_once, "limit": m.limit,
        "remedy_check": m.remedy_check,
        # the mean-value plan (solved in the job beside the loop) and its recourse
        "mean_value": (cmp.mean_value.objective, cmp.mean_value.shifts,
                       cmp.mean_value.outsourced_blocks, cmp.mean_value.reserve_pool,
                       cmp.mean_value_expected.objective),
    }


@pytest.mark.parametrize("start", ["fork", "spawn"])
@pytest.mark.parametrize("text,probe_holds", [(PROBE_HOLDS, True), (PROBE_MISSES, False)],
                         ids=["probe-holds", "probe-misses"])
def test_background_gives_the_same_numbers(tmp_path: Path, jobs: list, text: str,
                                           probe_holds: bool, start: str,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The job forked from this process or started as a fresh interpreter; reference:
    everything in this process (one worker)."""
    sc = _scenario(tmp_path, text)
    opts = solver_options(sc, 30, 0.001)
    monkeypatch.setenv(cm.BACKGROUND_ENV, "1")  # this model is below the size that asks
    monkeypatch.setenv(bg.START_ENV, start)
    here = cm.checked_mix(sc, opts, workers=1)
    assert not jobs  # one worker: everything in this process
    away = cm.checked_mix(sc, opts, workers=2)
    assert len(jobs) == 1 and _gone(jobs[0].pid)
    assert not here.checked.holds and here.probe is not None and here.at_once is not None
    assert here.probe.holds is probe_holds
    assert _numbers(away) == _numbers(here)


def _infeasible(*_a, **_k):
    raise PlanInfeasible("no plan meets the constraints with the pools' limits")


_AT_ONCE_JOB = cm.at_once_job  # the real one (a forked job inherits the test's patches)


def _failing_job(link, *args) -> None:
    """at_once_job whose solve finds no plan (runs in the background process)."""
    import scenarios.checked_mix as mix

    mix.solve_at_once = _infeasible
    _AT_ONCE_JOB(link, *args)


def test_a_failed_solve_in_the_background_gives_no_at_once_plan(
        tmp_path: Path, jobs: list, monkeypatch: pytest.MonkeyPatch) -> None:
    sc = _scenario(tmp_path, PROBE_HOLDS)
    opts = solver_options(sc, 30, 0.001)
    monkeypatch.setattr(cm, "at_once_job", _failing_job)
    away = cm.checked_mix(sc, opts, workers=2, background=True)
    assert len(jobs) == 1 and _gone(jobs[0].pid)
    # today's path with the same failure, in this process
    monkeypatch.setattr(cm, "solve_at_once", _infeasible)
    here = cm.checked_mix(sc, opts, workers=1)
    assert away.at_once is None and here.at_once is None
    assert away.probe == here.probe and away.probe is not None


def test_the_job_is_gone_after_an_exception(tmp_path: Path, jobs: list,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    sc = _scenario(tmp_path, PROBE_HOLDS)
    opts = solver_options(sc, 30, 0.001)

    def broken(*_a, **_k):
        raise KeyboardInterrupt  # as Ctrl-C (or the CLI's SIGTERM) during the baselines

    monkeypatch.setattr(cm, "compare_mix", broken)
    with pytest.raises(KeyboardInterrupt):
        cm.checked_mix(sc, opts, workers=2, background=True)
    assert len(jobs) == 1 and _gone(jobs[0].pid)


def _sleeper(link) -> None:
    link.send("started")
    time.sleep(600)


def _raiser(link) -> None:
    raise PlanInfeasible("no plan")


def test_a_job_ignores_ctrl_c_stops_at_once_and_passes_errors_back() -> None:
    job = bg.Background(_sleeper)
    try:
        assert job.receive() == "started"
        os.kill(job.pid, signal.SIGINT)  # the terminal's Ctrl-C reaches the whole group
        time.sleep(0.3)
        assert not _gone(job.pid)  # the caller alone handles it
    finally:
        job.stop()  # not waited for: SIGTERM ends the sleep
    assert _gone(job.pid)
    with bg.Background(_raiser) as job, pytest.raises(PlanInfeasible, match="no plan"):
        job.receive()
    assert _gone(job.pid)


def test_a_job_dies_with_its_caller(tmp_path: Path) -> None:
    """The caller killed outright (SIGKILL: no clean-up runs): the job goes too
    (PR_SET_PDEATHSIG on Linux, a watchdog elsewhere)."""
    code = ("import sys, time; sys.path[:0] = sys.argv[1:]; import scenarios.background as bg; "
            "from tests.scenarios.test_checked_mix_background import _sleeper; "
            "job = bg.Background(_sleeper); job.receive(); print(job.pid, flush=True); "
            "time.sleep(600)")
    root = str(Path(__file__).resolve().parents[2])
    caller = subprocess.Popen([sys.executable, "-c", code, root], stdout=subprocess.PIPE,
                              text=True)
    try:
        pid = int(caller.stdout.readline())
        assert not _gone(pid)
    finally:
        caller.kill()
        caller.wait()
    for _ in range(100):  # the kernel delivers the job's SIGKILL right away
        if _gone(pid):
            break
        time.sleep(0.05)
    assert _gone(pid)


def test_a_small_model_runs_in_one_process(tmp_path: Path, jobs: list,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Below BACKGROUND_MIN_CELLS scenario-intervals (here 3 × 24) no job is started: its
    start would cost more than the solves it moves."""
    monkeypatch.delenv(cm.BACKGROUND_ENV, raising=False)
    sc = _scenario(tmp_path, PROBE_HOLDS)
    m = cm.checked_mix(sc, solver_options(sc, 30, 0.001), workers=2)
    assert m.at_once is not None and not jobs


def test_the_jobs_replications_reach_the_callers_counter(tmp_path: Path, jobs: list,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    """The run's progress counter (a sim.execution observer) counts every replication,
    the background job's too: the same count as the one-process path (reference)."""
    from sim.execution import executing

    sc = _scenario(tmp_path, PROBE_HOLDS)
    opts = solver_options(sc, 30, 0.001)
    monkeypatch.setenv(cm.BACKGROUND_ENV, "1")
    counts = []
    for workers in (1, 2):
        seen = []
        with executing(None, on_replication=lambda seen=seen: seen.append(1)):
            cm.checked_mix(sc, opts, workers=workers)
        counts.append(len(seen))
    assert len(jobs) == 1  # the second call ran the job
    assert counts[0] == counts[1] > 0


def _noter(link) -> None:
    for _ in range(3):
        link.note()
    link.send("done")


def test_notes_reach_the_caller_in_its_context() -> None:
    """Link.note → on_note in the caller, run in the context the job was started in (the
    caller's sim.execution observers are per context)."""
    import contextvars

    where = contextvars.ContextVar("where", default="elsewhere")
    where.set("caller")
    heard = []
    with bg.Background(_noter, on_note=lambda: heard.append(where.get())) as job:
        assert job.receive() == "done"
    assert heard == ["caller"] * 3


def _tiny_mip(threads: int) -> float:
    """min x + 2y, x + y ≥ 1, x, y ≥ 0 integer (optimum 1) on HiGHS with ``threads``."""
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    highspy.Highs.resetGlobalScheduler(True)  # as planning.solver before every solve
    h.setOptionValue("threads", threads)
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = 2, 1
    lp.col_cost_ = np.array([1.0, 2.0])
    lp.col_lower_, lp.col_upper_ = np.zeros(2), np.array([inf, inf])
    lp.row_lower_, lp.row_upper_ = np.array([1.0]), np.array([inf])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.array([0, 1, 2])
    lp.a_matrix_.index_ = np.array([0, 0])
    lp.a_matrix_.value_ = np.array([1.0, 1.0])
    lp.integrality_ = [highspy.HighsVarType.kInteger] * 2
    h.passModel(lp)
    h.run()
    return h.getInfo().objective_function_value


def _solver_job(link) -> None:
    link.send(_tiny_mip(2))


def test_a_forked_job_solves_after_this_process_ran_highs_threads() -> None:
    """This process ran HiGHS with 4 threads (its global pool has worker threads), then
    forks the job, which solves with HiGHS: it answers (the pool is shut down before the
    fork; without that the job died with SIGSEGV at its solve, measured on HiGHS 1.16).
    Reference: the MIP's optimum by hand, 1."""
    assert _tiny_mip(4) == 1.0
    with bg.Background(_solver_job, start="fork") as job:
        assert job.receive() == 1.0
    assert _tiny_mip(4) == 1.0  # and this process solves again after the fork


def test_the_fork_waits_for_another_threads_import(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A thread importing a module holds its import lock; a job forked then would
    inherit the lock held for ever. The fork waits for the import to end (reference: the
    module's body sleeps 1 s; the job starts after it has run)."""
    (tmp_path / "slow_body.py").write_text("import time\ntime.sleep(1.0)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    importer = threading.Thread(target=__import__, args=("slow_body",))
    importer.start()
    time.sleep(0.2)
    assert bg._importing_elsewhere()
    t0 = time.monotonic()
    with bg.Background(_sleeper, start="fork") as job:
        # the fork waited for the import's remaining ~0.8 s (a lower bound: load-proof)
        assert time.monotonic() - t0 >= 0.7
        assert job.receive() == "started"
    importer.join()
