"""Sane ranges for the amounts of a policy file (docs/robustness.md gives the reasons).

Bounds no real pay scheme reaches, so that an absurd number (1e308, a typo with ten extra
zeros) is a located input error instead of an overflow later. Money is in the policy's
currency: a limit of a billion covers monthly pay even in currencies with large units
(a month's pay in Vietnamese dong or Indonesian rupiah is in the tens of millions).
"""

from __future__ import annotations

MAX_MONEY = 1e9        # any amount: base pay, a band's pay, pay per unit, caps, floors
MAX_UNITS = 1e9        # a commission tier's first unit
MAX_POINTS = 1e6       # scorecard points per unit
MAX_TARGET = 1e12      # a scorecard target (in the metric's own unit)
MAX_RATIO = 1e6        # an offset's units of `by` per cancelled unit
MAX_MONTHS = 1200      # probation months (a century)
MAX_SAMPLES = 100_000  # QA samples per agent per period
MAX_TEXT = 200         # characters of a name or label
