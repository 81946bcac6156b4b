"""The file layer: scenario and policy files in, the cores' plain inputs out, results written.

The only package that reads or writes files. It may import every core (``sim``,
``planning``, ``rules``); no core imports it. Its map, one room per job:

- :mod:`~scenarios.schema` (with :mod:`~scenarios.bot_schema`) — typed models of the
  scenario file (pydantic; unknown keys are errors);
- :mod:`scenarios.reading` — every input file read once, each problem located as
  ``file:line:col field: message`` (exit status 2): scenarios, policies, KPI tables,
  contact history, erlang batches, plans;
- :mod:`scenarios.adapters` — one per core: the typed scenario in, the core's plain
  inputs out (pure), and the simulator as the mix plan's check;
- :mod:`scenarios.writing` — results written atomically (demand, requirements, plan);
- :mod:`~scenarios.checked_mix` — the sourcing mix checked and corrected by simulation;
- :mod:`scenarios.words` — shared labels, units and sentences (English and Chinese), below
  every output that uses them;
- :mod:`scenarios.commands` (what each ``peakdesk`` command does), :mod:`scenarios.run`
  (``peakdesk run``: stages, results folder, report, history), :mod:`scenarios.sweep`
  (many runs side by side), :mod:`scenarios.capacity` (long-range hiring plan),
  :mod:`scenarios.monitor` (KPI monitoring), :mod:`scenarios.intraday` (on the day);
- :mod:`~scenarios.execution` — ``--scheduler``: replications on a Dask cluster;
- :mod:`~scenarios.heap` — the command's process keeps freed memory for reuse (fewer page
  faults; the same numbers).

Bundled examples live in ``examples/``, named demand profiles in ``profiles/``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scenarios.reading.errors import InputError, Problem

if TYPE_CHECKING:
    from scenarios.reading.load import load_scenario
    from scenarios.schema import Scenario

__all__ = ["InputError", "Problem", "Scenario", "load_scenario"]


def __getattr__(name: str) -> Any:
    """``Scenario`` and ``load_scenario`` imported when first asked for: the schema and
    its validators cost every command's start ~0.5 s CPU, and not every command reads a
    scenario (``peakdesk runs``, ``--help``)."""
    if name == "load_scenario":
        from scenarios.reading.load import load_scenario
        return load_scenario
    if name == "Scenario":
        from scenarios.schema import Scenario
        return Scenario
    raise AttributeError(f"module 'scenarios' has no attribute {name!r}")
