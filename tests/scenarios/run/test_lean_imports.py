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


FIRST_STAGE = """
import sys
from scenarios.run.lean_imports import no_scipy_stats_from_pyomo
no_scipy_stats_from_pyomo()
import cli, scenarios.run.runner, scenarios.run.terminal
from scenarios.reading.load import load_scenario
from scenarios.run.stages import default_stages
load_scenario("scenarios/examples/double11.yaml")
stages = default_stages()
print("pyomo.environ" in sys.modules, "scipy.stats" in sys.modules)
print(type(stages[3].stage).__name__, "pyomo.environ" in sys.modules)  # reached
"""


def test_first_stage_without_pyomo() -> None:
    """Up to the first stage the run imports neither Pyomo nor scipy.stats (the stages'
    modules are imported as the run reaches them: scenarios/run/stages/__init__.py)."""
    out = subprocess.run([sys.executable, "-c", FIRST_STAGE], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == ["False", "False", "MixStage", "True"]


def test_the_stages_in_order() -> None:
    from scenarios.run.stages import MixStage, PayStage, default_stages

    stages = default_stages()
    assert [s.name for s in stages] == ["demand", "requirements", "capacity", "mix",
                                        "simulation", "policies", "pay"]
    assert [type(s.stage).__name__ for s in stages] == [
        "DemandStage", "RequirementsStage", "CapacityStage", "MixStage", "SimulationStage",
        "PoliciesStage", "PayStage"]
    assert isinstance(stages[3].stage, MixStage) and isinstance(stages[-1].stage, PayStage)
