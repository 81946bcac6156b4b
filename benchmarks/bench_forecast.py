"""Forecast fitting speed: two years of 30-minute history (35,040 rows, one channel).

Run:  python benchmarks/bench_forecast.py
Times peakdesk's numpy IRLS Poisson GLM (design matrix + fit, and read CSV + fit) against
statsmodels' GLM(Poisson) on the same design matrix, in the same run; prints the ratio and
the largest coefficient difference. Target: peakdesk fit under 2 s.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from planning.demand.forecast import design, fit_channel  # noqa: E402
from planning.demand.glm import fit_poisson  # noqa: E402
from planning.demand.synth import (  # noqa: E402
    Campaign,
    ChannelTruth,
    OrdersTruth,
    SynthParams,
    synthetic_history,
)
from scenarios.reading.history import read_history, write_history  # noqa: E402


def params() -> SynthParams:
    start = datetime(2024, 11, 4)
    camps = []
    for year in (2024, 2025, 2026):
        camps.append(Campaign("double11", datetime(year, 11, 10, 20), 28))
        camps.append(Campaign("618", datetime(year, 6, 17, 20), 28))
    for k in range(0, 730, 14):
        camps.append(Campaign("flash_sale", datetime(2024, 11, 13, 20) + timedelta(days=k), 4))
    return SynthParams(start=start, days=730, interval_minutes=30, seed=7,
                       campaigns=tuple(camps),
                       orders=OrdersTruth(per_day=40000, uplift={"double11": 6, "618": 3,
                                                                 "flash_sale": 2}, daily_cv=0.2),
                       channels={"voice": ChannelTruth(level=1.2, trend_per_year=0.2,
                                                       orders_elasticity=0.6,
                                                       uplift={"double11": 2.5, "618": 1.8,
                                                               "flash_sale": 1.4})})


def best_of(fn, repeat: int = 5) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def main() -> None:
    h = synthetic_history(params())
    print(f"history: {h.n} intervals × {len(h.channels)} channel = "
          f"{h.n * len(h.channels)} rows, mean {np.mean(h.channels['voice'].contacts):.1f} "
          "contacts / interval")
    t_fit, fit = best_of(lambda: fit_channel(h, "voice", h.n))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "h.csv"
        write_history(path, h)
        t_read, _ = best_of(lambda: read_history(path))
    events = sorted(fit.event_uplifts)
    d = design(h, "voice", events)
    y = h.channels["voice"].contacts
    t_irls, ours = best_of(lambda: fit_poisson(d.X, y))

    t0 = time.perf_counter()
    import statsmodels.api as sm
    t_import = time.perf_counter() - t0
    t_sm, ref = best_of(lambda: sm.GLM(y, d.X, family=sm.families.Poisson()).fit(tol=1e-12))
    dcoef = float(np.max(np.abs(ours.coef - ref.params)))
    print(f"design matrix: {d.X.shape[0]} × {d.X.shape[1]}; IRLS iterations {ours.iterations}")
    print(f"peakdesk fit_channel (design + IRLS): {t_fit:.3f} s   (target < 2 s)")
    print(f"peakdesk IRLS only:                   {t_irls:.3f} s")
    print(f"peakdesk read CSV (35k rows):         {t_read:.3f} s")
    print(f"statsmodels GLM(Poisson).fit:         {t_sm:.3f} s   (+ {t_import:.1f} s import)")
    print(f"ratio statsmodels / peakdesk IRLS:    {t_sm / t_irls:.1f}×  "
          f"(vs design + IRLS: {t_sm / t_fit:.1f}×)")
    print(f"max |Δcoef| vs statsmodels:           {dcoef:.1e}")
    print(f"fitted elasticity {fit.orders_elasticity:.3f} (true 0.6), uplifts "
          + ", ".join(f"{k} ×{v:.2f}" for k, v in fit.event_uplifts.items())
          + " (true double11 ×2.5, 618 ×1.8, flash_sale ×1.4)")


if __name__ == "__main__":
    main()
