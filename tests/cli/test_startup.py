"""Start-up cost of the command: ``import cli`` and a command that reads no scenario load
neither the scenario schema nor the simulator (about 1.5 s of CPU together, measured in
docs/performance.md); a scenario command still gets both when it needs them.

Reference: ``sys.modules`` of a fresh interpreter after the import / the command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("scenarios.schema", "scenarios.reading.load", "sim", "sim.sizes", "scipy",
         "pyomo", "matplotlib", "openpyxl", "xlsxwriter")


def _loaded(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys, json\n"
                          "print(json.dumps(sorted(sys.modules)))"],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.splitlines()[-1]))


def test_import_cli_loads_no_schema_and_no_simulator() -> None:
    assert not _loaded("import cli") & set(HEAVY)


def test_a_command_without_a_scenario_stays_light() -> None:
    code = ("from cli import main\ntry:\n    main(['runs', '--help'])\n"
            "except SystemExit:\n    pass")
    assert not _loaded(code) & set(HEAVY)


def test_the_package_still_offers_the_scenario_reader() -> None:
    mods = _loaded("from scenarios import Scenario, load_scenario\n"
                   "assert load_scenario.__module__ == 'scenarios.reading.load'\n"
                   "assert Scenario.__module__ == 'scenarios.schema'")
    assert {"scenarios.schema", "scenarios.reading.load"} <= mods
