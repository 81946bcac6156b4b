"""Demand models: where the contacts of a horizon come from (numpy in, numpy out).

- :mod:`~planning.demand.shapes` — profile, event-window and lag arithmetic;
- :mod:`~planning.demand.compose` — arrival rates per interval × channel from plain inputs
  (base volume × weekly × intraday, promotion events, order drivers) and the weighted
  demand scenarios;
- :mod:`~planning.demand.uncertainty` — the uncertain peak multiplier as a few weighted
  scenarios;
- :mod:`~planning.demand.history`, :mod:`~planning.demand.glm`,
  :mod:`~planning.demand.forecast` — contact history on a grid, the Poisson GLM and the
  forecast with its back-test;
- :mod:`~planning.demand.synth` — synthetic history with known parameters.

Imports numpy only (and each other): no files, no scenario schema. The scenario file meets
these models in :mod:`scenarios.adapters.to_demand` and :mod:`scenarios.reading.history`.
"""
