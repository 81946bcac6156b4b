"""Ctrl-C inside a HiGHS solve (issue 31): the solve stops and KeyboardInterrupt reaches the
caller, instead of HiGHS swallowing it (the stage used to end with "HiGHS stopped without
a plan (error)" or run to its time limit, and the run went on).

Reference: a market-split MILP (Cornuéjols & Dahl 1998, 4 rows × 30 binaries), which
branch and bound cannot close in its 120 s budget on any machine, so the solve is still
running when the signal comes; the process must end with KeyboardInterrupt long before
that budget — not with a HiGHS status. Timing bounds are hang detectors, not speed checks.
"""

from __future__ import annotations

import _thread
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pyomo.environ as pyo
import pytest

from planning.mix_inputs import SolverOptions
from planning.solver import HighsSession

ROOT = Path(__file__).parents[2]
BUDGET_S = 120.0


def market_split(m: int = 4, n: int = 30, seed: int = 1) -> pyo.ConcreteModel:
    """min Σ|slack| s.t. a·x + s⁺ − s⁻ = ⌊Σa/2⌋ per row, x binary (a in 0..99)."""
    a = np.random.default_rng(seed).integers(0, 100, size=(m, n))
    b = a.sum(1) // 2
    M = pyo.ConcreteModel()
    M.x = pyo.Var(range(n), domain=pyo.Binary)
    M.up = pyo.Var(range(m), domain=pyo.NonNegativeReals)
    M.down = pyo.Var(range(m), domain=pyo.NonNegativeReals)
    M.rows = pyo.Constraint(range(m), rule=lambda M, i: sum(
        int(a[i, j]) * M.x[j] for j in range(n)) + M.up[i] - M.down[i] == int(b[i]))
    M.obj = pyo.Objective(expr=sum(M.up[i] + M.down[i] for i in range(m)))
    return M


def test_interrupt_stops_the_solve_and_the_session_solves_again() -> None:
    """KeyboardInterrupt in the main thread (what Ctrl-C raises) while HiGHS runs; then the
    same session solves again (the stop request does not stick)."""
    s = HighsSession(market_split(), SolverOptions(time_limit_s=BUDGET_S, mip_gap=0.0,
                                                   threads=1))
    timer = threading.Timer(1.0, _thread.interrupt_main)
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            s.solve()
    finally:
        timer.cancel()
    s.set_time_limit(1.0)
    assert s.solve().status == "time_limit"  # ran its second to the limit: not interrupted


CHILD = """
import sys, time
from tests.planning.test_solver_interrupt import market_split
from planning.mix_inputs import SolverOptions
from planning.solver import HighsSession
s = HighsSession(market_split(), SolverOptions(time_limit_s=BUDGET, mip_gap=0.0, threads=1))
print("SOLVING", flush=True)
t0 = time.perf_counter()
try:
    out = s.solve()
    print("FINISHED", out.status, flush=True)
except KeyboardInterrupt:
    print("INTERRUPTED", round(time.perf_counter() - t0, 2), flush=True)
    sys.exit(130)
""".replace("BUDGET", repr(BUDGET_S))


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("to_group", [True, False], ids=["process-group", "process"])
def test_ctrl_c_to_the_process_group_stops_a_solve(to_group: bool) -> None:
    """SIGINT to the whole process group, as a terminal sends it (and to the process
    alone); the child exits 130 — a clean exit, no abort from a solver thread left
    running while Python shuts down."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", CHILD], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True, preexec_fn=_default_sigint)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "SOLVING"
    threading.Event().wait(1.5)  # into branch and bound
    if to_group:
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=BUDGET_S / 2)
    assert proc.returncode == 130, (out, err[-2000:])
    assert out.startswith("INTERRUPTED"), out
    assert float(out.split()[1]) < BUDGET_S / 2
    assert "Traceback" not in err and "kInterrupt" not in err
