"""The file layer: scenario and policy files in, the cores' plain inputs out, results written.

The only package that reads or writes files. It may import every core (``sim``,
``planning``, ``rules``); no core imports it.

Reading, each problem located as ``file:line:col field: message`` (exit status 2):
- :mod:`~scenarios.schema` — typed models of the scenario file (pydantic, unknown keys are
  errors); :mod:`~scenarios.load` — YAML → schema → cross-checks
  (:mod:`~scenarios.demand_checks`, :mod:`~scenarios.planning_checks`);
  :mod:`~scenarios.yamlio` — YAML with positions (:mod:`~scenarios.yaml_guard` its limits,
  :mod:`~scenarios.number_lists` long number lists at numpy speed);
  :mod:`~scenarios.errors` — the error types;
  :mod:`~scenarios.files` — which kind of file is this;
- :mod:`~scenarios.policy_file` (policies), :mod:`~scenarios.kpi_table` (KPI tables),
  :mod:`~scenarios.history` (contact history), :mod:`~scenarios.erlang_cases` (erlang
  batch), :mod:`~scenarios.plan` (staffing per pool: scenario, plan CSV or ``--plan``),
  :mod:`~scenarios.profile_library` (bundled demand profiles under ``profiles/``).

Adapters, one per core — typed scenario in, the core's plain inputs out:
- :mod:`~scenarios.to_demand` → :mod:`planning.demand`;
  :mod:`~scenarios.to_staffing` → :mod:`planning.requirements` / :mod:`planning.channel`;
  :mod:`~scenarios.to_mix` → :mod:`planning.mix`;
- :mod:`~scenarios.to_sim` → :mod:`sim`; :mod:`~scenarios.to_behavior` → :mod:`sim.behavior`;
  :mod:`~scenarios.to_compare` → :mod:`sim.compare`;
  :mod:`~scenarios.to_capacity` → :mod:`planning.capacity` (its section's schema, derived
  weekly requirement, wording and files in :mod:`scenarios.capacity`);
- :mod:`~scenarios.plan_check` — the simulator as the mix plan's service check.

Writing (atomically, :mod:`~scenarios.output`): :mod:`~scenarios.demand_io`,
:mod:`~scenarios.requirements_table`, :mod:`~scenarios.plan_output`.

KPI monitoring's file side (spec, history CSV, adapter, page): :mod:`scenarios.monitor`.

Shared words (labels, units and sentences in English and Chinese, below every output that
uses them): :mod:`scenarios.words`.

Commands and the run: :mod:`scenarios.commands` (what each ``peakdesk`` command does) and
:mod:`scenarios.run` (``peakdesk run``: stages, results folder, report, history);
:mod:`scenarios.sweep` (``peakdesk sweep``: many runs side by side) and
:mod:`~scenarios.execution` (``--scheduler``: replications on a Dask cluster). Bundled
examples live in ``examples/``.
"""

from scenarios.errors import InputError, Problem
from scenarios.load import load_scenario
from scenarios.schema import Scenario

__all__ = ["InputError", "Problem", "Scenario", "load_scenario"]
