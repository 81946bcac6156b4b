"""How big a simulation may be: refused before any work when it cannot fit in memory.

One replication keeps every contact's record until its KPIs are computed: about 900
bytes per contact at peak (measured on promo_day with 500,000 contacts in one interval:
441 MB), so :data:`MAX_CONTACTS_PER_REPLICATION` keeps one replication near 2 GB. The
scenario's fields are bounded one by one (scenarios.limits); this bounds their product.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.demand import Demand
    from sim.model import SimModel

MAX_CONTACTS_PER_REPLICATION = 2_000_000  # ~900 bytes each at peak: about 2 GB


class SimulationTooLarge(ValueError):
    """The demand asks for more contacts per replication than memory allows."""


def expected_contacts(model: SimModel, demand: Demand) -> float:
    """Mean number of first-attempt arrivals one replication draws (or replays)."""
    if demand.arrivals is not None:
        return float(sum(len(a) for a in demand.arrivals.values()))
    hours = model.interval_s / 3600.0
    return float(sum(np.sum(r) for r in demand.rates.values())) * demand.multiplier * hours


def check_size(model: SimModel, demands: Sequence[Demand]) -> None:
    """Refuse, before any work, a simulation whose replications cannot fit in memory."""
    worst = max((expected_contacts(model, d) for d in demands), default=0.0)
    if not worst <= MAX_CONTACTS_PER_REPLICATION:
        raise SimulationTooLarge(
            f"the simulation would draw about {worst:,.0f} contacts in one replication; at "
            f"most {MAX_CONTACTS_PER_REPLICATION:,} fit in memory (about 2 GB): simulate a "
            f"shorter horizon or part of the demand")
