"""On the day (``peakdesk intraday``): the plan's recourse rule turned into a command.

A pure core (numbers in, numbers out; no files, no printing):

- :mod:`~planning.intraday.posterior` — the demand scenario behind the contacts seen so far
  (Poisson likelihood with each scenario's own spread integrated out), the re-forecast of
  the rest of the day as the posterior mixture beside the run-rate re-forecast, and the
  flag for counts no scenario explains;
- :mod:`~planning.intraday.decide` — the recourse still orderable before each lever's
  notice runs out, at least expected cost against the posterior: the mix model
  (planning.mix_model) with the first stage fixed, the decisions already due fixed, and
  the scenario probabilities replaced by the posterior;
- :mod:`~planning.intraday.replay` — the rest of the day simulated from the floor as it is,
  with and without the actions.

It imports ``planning`` and ``sim``, never ``scenarios`` or ``cli``.
"""
