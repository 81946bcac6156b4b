"""The file side of ``peakdesk intraday`` (docs/intraday.md).

- :mod:`~scenarios.intraday.actuals` — ACTUALS.csv read and checked, every problem located;
- :mod:`~scenarios.intraday.folder` — the results folder of ``run`` or ``plan --out``: the
  scenario, the plan's first stage (one function reads the staffing, whatever the roster's
  shape), the requirement as the plan's check left it;
- :mod:`~scenarios.intraday.recourse_table` — recourse_orders.csv, the plan's recourse per
  scenario (written by ``plan --out``, read here);
- :mod:`~scenarios.intraday.adapter` — scenario, folder and actuals → the typed inputs of
  planning.intraday and the simulator for the rest of the day;
- :mod:`~scenarios.intraday.labels` (en / zh words) and :mod:`~scenarios.intraday.output`
  (the one-page HTML and the terminal's action list).

The command itself is scenarios.commands.intraday.
"""
