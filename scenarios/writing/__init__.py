"""Writing results, every file atomically (:mod:`~scenarios.writing.output`).

:mod:`~scenarios.writing.demand_io` (demand scenarios, fitted demand YAML, plots),
:mod:`~scenarios.writing.requirements_table` (interval × channel requirements),
:mod:`~scenarios.writing.plan_output` (the mix plan as JSON, CSV tables and a plot).
"""
