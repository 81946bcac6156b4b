"""``peakdesk monitor``'s file side: the monitoring spec and the KPI history CSV read with
located errors, the adapter to :mod:`rules.monitor`, and the outputs.

- :mod:`~scenarios.monitor.spec` — the spec file's typed model (core, auxiliary, floor);
- :mod:`~scenarios.monitor.history` — the history CSV; :mod:`~scenarios.monitor.simulated`
  — simulator KPI tables laid end to end (rehearsing a scheme before it goes live);
- :mod:`~scenarios.monitor.to_monitor` — spec + history → the core's count arrays;
- :mod:`~scenarios.monitor.run` — the command; :mod:`~scenarios.monitor.tables`,
  :mod:`~scenarios.monitor.report_html` (``templates/``), :mod:`~scenarios.monitor.i18n`,
  :mod:`~scenarios.monitor.terminal` — JSON, CSV, XLSX, the zh/en page and the terminal;
- :mod:`~scenarios.monitor.example` — the bundled example history's generator.
"""
