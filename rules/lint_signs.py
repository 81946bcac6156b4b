"""Lint: amounts whose sign contradicts what the rule is for (a likely typo or mix-up).

- a commission rate below zero (pay per unit of work that takes money away; a deduction
  per unit is an event with negative pay);
- a commission, event or bonus points that reward a metric the catalogue says should be
  low (pay per complaint), or punish one that should be high (a deduction per named good
  review);
- a top ranking band that deducts pay, a bottom band that pays a bonus.

Amounts that can never be negative (base pay, the scorecard's pay base, caps, floors) are
refused by the schema instead; these rules stay warnings because a deliberate scheme may
want them (a "bonus" per resolved complaint).
"""

from __future__ import annotations

from typing import Any

from rules.catalogue import CATALOGUE
from rules.schema import Policy


def _direction(pol: Policy, formula: str) -> str | None:
    """The catalogue direction of a formula that is one plain catalogue metric name."""
    name = formula.strip()
    if name in pol.metrics or name not in CATALOGUE:
        return None
    return CATALOGUE[name].direction


def sign_findings(pol: Policy) -> list[tuple[tuple[Any, ...], str]]:
    """(location in the policy file, message) for every sign mistake found."""
    out: list[tuple[tuple[Any, ...], str]] = []
    for i, c in enumerate(pol.commission):
        sites = ([(("commission", i, "rate"), float(c.rate))] if c.tiers is None else
                 [(("commission", i, "tiers", k, "rate"), t.rate) for k, t in enumerate(c.tiers)])
        for loc, rate in sites:
            if rate < 0:
                out.append((loc, f"negative commission rate {rate:g} per unit of '{c.per}': "
                                 f"more work, less pay; a deduction per unit is an event "
                                 f"with negative pay"))
        if _direction(pol, c.per) == "lower" and any(r > 0 for _, r in sites):
            out.append((("commission", i, "per"), f"commission pays per unit of '{c.per}', "
                                                  f"which the catalogue says should be low"))
    for i, e in enumerate(pol.events):
        d = _direction(pol, e.per)
        if d == "lower" and e.pay > 0:
            out.append((("events", i, "pay"), f"pays {e.pay:g} per unit of '{e.per}', which "
                                              f"the catalogue says should be low (a "
                                              f"deduction needs a negative pay)"))
        elif d == "higher" and e.pay < 0:
            out.append((("events", i, "pay"), f"deducts {-e.pay:g} per unit of '{e.per}', "
                                              f"which the catalogue says should be high"))
    if pol.scorecard is not None:
        for i, p in enumerate(pol.scorecard.points):
            d = _direction(pol, p.per)
            if d == "lower" and p.points > 0:
                out.append((("scorecard", "points", i, "points"),
                            f"adds {p.points:g} points per unit of '{p.per}', which the "
                            f"catalogue says should be low"))
            elif d == "higher" and p.points < 0:
                out.append((("scorecard", "points", i, "points"),
                            f"takes {-p.points:g} points per unit of '{p.per}', which the "
                            f"catalogue says should be high"))
    if pol.ranking is not None:
        for k, b in enumerate(pol.ranking.bands):
            if b.side == "top" and b.pay < 0:
                out.append((("ranking", "bands", k, "pay"),
                            f"the top {b.share:.0%} band deducts {-b.pay:g}: the best agents "
                            f"lose pay"))
            elif b.side == "bottom" and b.pay > 0:
                out.append((("ranking", "bands", k, "pay"),
                            f"the bottom {b.share:.0%} band pays {b.pay:g}: the worst agents "
                            f"get a bonus"))
    return out
