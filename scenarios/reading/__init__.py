"""Reading the input files, each problem located as ``file:line:col field: message``.

- :mod:`~scenarios.reading.load` — a scenario file: YAML → schema → cross-checks
  (:mod:`~scenarios.reading.demand_checks`, :mod:`~scenarios.reading.planning_checks`,
  :mod:`~scenarios.reading.volume_bounds`, sane ranges in :mod:`~scenarios.reading.limits`);
- :mod:`~scenarios.reading.yamlio` — YAML with positions and located pydantic errors
  (:mod:`~scenarios.reading.yaml_guard` its hard limits, :mod:`~scenarios.reading.number_lists`
  long number lists at numpy speed); :mod:`~scenarios.reading.errors` — the error types;
  :mod:`~scenarios.reading.files` — which kind of file is this;
- the other inputs: :mod:`~scenarios.reading.policy_file` (policies),
  :mod:`~scenarios.reading.kpi_table` (KPI tables), :mod:`~scenarios.reading.history`
  (contact history), :mod:`~scenarios.reading.erlang_cases` (erlang batch),
  :mod:`~scenarios.reading.plan` (staffing per pool: scenario, plan CSV or ``--plan``),
  :mod:`~scenarios.reading.csv_input` (CSV records with their lines),
  :mod:`~scenarios.reading.profile_library` (bundled demand profiles).

Nothing here imports an adapter, a writer, a command or the run.
"""
