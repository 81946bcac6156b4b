"""Individual rosters (tour scheduling): every employee's shifts and days off over the
horizon, under rest rules, keeping the mix plan's coverage exactly (docs/roster.md).

- :mod:`planning.roster.inputs` — typed inputs: the rules, the people, the planned shifts;
- :mod:`planning.roster.mix_rules` — the rules in aggregate inside the mix MILP, so that
  the mix's shift counts can be given to people;
- :mod:`planning.roster.assign` — each planned shift to exactly as many people as the plan
  counts, every rule per person: built and evened out day by day, the assignment MILP
  (HiGHS through highspy, under work limits) where that cannot fill a day;
- :mod:`planning.roster.ahead` — the day-by-day build in time order that looks ahead (the
  days ahead priced by dynamic programming, tomorrow's rest);
- :mod:`planning.roster.days` — one day's shifts given out exactly (a linear assignment,
  every other day fixed): the day-by-day build and the fairness descent;
- :mod:`planning.roster.check` — every rule checked on a finished roster (violations by
  rule, person and day).
"""

from planning.roster.assign import RosterResult, assign
from planning.roster.check import Violation, violations
from planning.roster.inputs import Person, PlannedShift, RosterInputs, RosterRules

__all__ = ["Person", "PlannedShift", "RosterInputs", "RosterResult", "RosterRules",
           "Violation", "assign", "violations"]
