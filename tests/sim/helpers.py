"""Small builders of simulator inputs for the tests."""

from __future__ import annotations

import numpy as np

from sim.model import ChannelModel, Duration, PoolModel, Quality, SimModel
from sim.runner import Demand, SimResult, run_replications


def steady(n: int | list[int], rate_per_hour: float, aht_s: float, patience_s: float | None,
           hours: int = 6, warmup_h: float = 1.0, within_s: float = 20.0,
           interval_s: float = 3600.0, **model_kw) -> tuple[SimModel, Demand]:
    """One voice channel, one in-house pool, exponential handle time and patience."""
    n_int = int(hours * 3600 / interval_s)
    ch = ChannelModel("voice", Duration("exponential", aht_s),
                      patience=None if patience_s is None else Duration("exponential",
                                                                        patience_s),
                      within_s=within_s)
    staffing = np.full(n_int, n) if isinstance(n, int) else np.asarray(n)
    pool = PoolModel("in_house", staffing, ("voice",), quality=Quality(fcr=1.0))
    model = SimModel((ch,), (pool,), interval_s, n_int, warmup_s=warmup_h * 3600, **model_kw)
    return model, Demand({"voice": np.full(n_int, float(rate_per_hour))})


def run(model: SimModel, demand: Demand, reps: int, seed: int = 1, workers: int = 1
        ) -> SimResult:
    return run_replications(model, demand, reps, seed, workers=workers)
