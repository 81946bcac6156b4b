"""`peakdesk run`'s start-up does not import scipy.stats (scenarios/run/lean_imports.py):
Pyomo's callback that imports it dropped, the run's own t quantiles and distribution
functions from scipy.special (their numbers: tests/planning/test_scipy_stats_free.py).
Checked in a fresh interpreter, as the command starts; Pyomo still solves a model."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

CODE = """
import sys
from scenarios.run.lean_imports import no_scipy_stats_from_pyomo
dropped = no_scipy_stats_from_pyomo()
import cli, scenarios.run.runner, scenarios.run.stages, scenarios.run.stages.policies
import planning.mix, pyomo.environ as pyo
print(dropped, "scipy.stats" in sys.modules)
m = pyo.ConcreteModel()
m.x = pyo.Var(bounds=(0, 4))
m.o = pyo.Objective(expr=-m.x)
from pyomo.common.dependencies import scipy, scipy_available
print(bool(scipy_available), scipy.special.ndtr(0.0))
"""


def test_start_up_without_scipy_stats() -> None:
    out = subprocess.run([sys.executable, "-c", CODE], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == ["True", "False", "True", "0.5"]


def test_nothing_dropped_once_scipy_is_loaded() -> None:
    code = ("import scipy.special\nfrom scenarios.run.lean_imports import "
            "no_scipy_stats_from_pyomo\nprint(no_scipy_stats_from_pyomo())")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == ["False"]
