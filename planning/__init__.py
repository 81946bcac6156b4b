"""Workforce planning: demand, staffing math, the sourcing mix and shift patterns.

A pure core: plain inputs in, plain results out, no files, no printing. It may import
``sim`` (to check a plan by simulation) but never ``scenarios`` or ``cli``.

- :mod:`planning.demand` — where contacts come from: profiles, events, drivers,
  uncertainty scenarios, the forecast from history;
- :mod:`~planning.erlang` — exact Erlang B, C and A; :mod:`~planning.chat` — chat
  concurrency; :mod:`~planning.requirements` — fewest agents meeting every target, with the
  binding one named; :mod:`~planning.channel` — requirements per channel and interval;
  :mod:`~planning.tier` — the in-house tier of in-house-first routing (M/M/n+G) and the
  per-pool requirements it implies; :mod:`~planning.bot` — the contacts a bot in front of a
  channel hands to the agents, and their handle time;
- :mod:`~planning.mix_inputs` (the mix's typed inputs), :mod:`~planning.mix_layout`,
  :mod:`~planning.mix_model` (``build_model``, one ``add_<family>`` per constraint family),
  :mod:`~planning.linear_form` (a linear Pyomo model as arrays),
  :mod:`~planning.solver` (HiGHS fed those arrays, updated in place; its outcomes as
  domain errors), :mod:`~planning.mix`
  (solve, baselines, value of one more agent, value of the stochastic solution),
  :mod:`~planning.shifts` (shift patterns);
- :mod:`~planning.booking` — the plan as orders: what to sign, order, train and call out,
  by when, with each call-out's volume trigger read off the plan's decisions;
- :mod:`~planning.iterate` — check a plan (simulation or Erlang A) and correct its
  requirement both ways; :mod:`~planning.remedy` — the cheapest change when it misses.
- :mod:`planning.intraday` — on the day: the posterior over demand scenarios, the orders
  still open before their notice, the rest of the day replayed.
"""
