"""Adapters, one per core: the typed scenario in, the core's plain typed inputs out (pure).

- :mod:`~scenarios.adapters.to_demand` → :mod:`planning.demand`;
  :mod:`~scenarios.adapters.to_staffing` → :mod:`planning.requirements` / :mod:`planning.channel`;
  :mod:`~scenarios.adapters.blending` — which channels share agents, their pooled requirement;
  :mod:`~scenarios.adapters.to_mix` → :mod:`planning.mix`;
  :mod:`~scenarios.adapters.to_roster` → :mod:`planning.roster`;
  :mod:`~scenarios.adapters.to_capacity` → :mod:`planning.capacity`;
  :mod:`~scenarios.adapters.to_bot` → :mod:`planning.bot`;
  :mod:`~scenarios.adapters.to_booking` → :mod:`planning.booking` (the booking sheet);
- :mod:`~scenarios.adapters.to_sim` → :mod:`sim`; :mod:`~scenarios.adapters.to_behavior` →
  :mod:`sim.behavior`; :mod:`~scenarios.adapters.to_compare` → :mod:`sim.compare`;
- :mod:`~scenarios.adapters.plan_check` — the simulator as the mix plan's service check.
"""
