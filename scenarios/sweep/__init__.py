"""``peakdesk sweep``: one scenario run over a grid (or a list) of values.

- :mod:`~scenarios.sweep.keys` — what may be varied: dotted paths checked against the
  schema, and the shortcuts table (peak, reserve, policies, bot);
- :mod:`~scenarios.sweep.points` — the points, each point's resolved scenario checked and
  keyed by a hash (the key names its results folder, so ``--resume`` can skip it);
- :mod:`~scenarios.sweep.run` — running the points (locally, one after another) and the
  sweep folder; :mod:`~scenarios.sweep.remote` — the points as tasks on a Dask cluster;
- :mod:`~scenarios.sweep.table` — the sweep table (CSV, XLSX, HTML with plots, JSON);
- :mod:`~scenarios.sweep.terminal` — progress and the closing table on the terminal.

May import ``scenarios.run`` (each point is a run) and the cores; never ``cli``.
"""
