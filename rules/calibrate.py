"""Commission-rate calibration, seed 002's 售前提成点位测算方法.

The seed's steps: (1) pick the pay range to offer (lowest and highest monthly pay, from
regional peers and the company's expectation); (2) commission = expected pay − base pay −
incentives − benefits; (3) highest rate = commission / agent sales / KPI factor; (4) the
lowest rate the same way; (5) set tiered rates between the lowest and the highest.

Here the "agent sales" for the lowest pay is a low quantile of the agents' sales (default
p10) and for the highest pay a high quantile (default p90), from a KPI table or a sales
distribution. Tiers start at evenly spaced sales quantiles between the two with rates
interpolated linearly; mode ``whole`` (the reached tier's rate on all sales, the usual
阶梯提点) so that an agent at the low quantile earns exactly the lowest pay and one at the
high quantile exactly the highest.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np


class CalibrationError(ValueError):
    """Inputs that cannot give a commission table (e.g. fixed pay above the range)."""


@dataclass(frozen=True)
class Calibration:
    """Result: the lowest and highest commission rate and the tier table between them."""

    pay_low: float
    pay_high: float
    fixed: float                 # base + incentives + benefits
    sales_low: float
    sales_high: float
    commission_low: float
    commission_high: float
    rate_low: float
    rate_high: float
    tiers: list[tuple[float, float]]
    mode: str
    metric: str

    def fragment(self) -> str:
        """A policy fragment (YAML text) holding the commission table."""
        lines = [
            "# commission calibrated by seed 002's method (售前提成点位测算):",
            f"#   pay range {self.pay_low:g}..{self.pay_high:g}, fixed pay {self.fixed:g} "
            f"(base + incentives + benefits)",
            f"#   {self.metric} at the low / high quantile: {self.sales_low:.6g} / "
            f"{self.sales_high:.6g}",
            f"#   commission {self.commission_low:.6g} / {self.commission_high:.6g} -> rates "
            f"{self.rate_low:.6g} / {self.rate_high:.6g}",
            "commission:",
            f"  - per: {self.metric}",
            f"    mode: {self.mode}",
            "    tiers:",
        ]
        for start, rate in self.tiers:
            lines.append(f"      - {{from: {_num(start)}, rate: {_num(rate)}}}")
        return "\n".join(lines) + "\n"


def _num(x: float) -> str:
    return f"{x:.6g}" if not float(x).is_integer() else f"{int(x)}"


def lognormal_quantiles(mean: float, cv: float, qs: list[float]) -> list[float]:
    """Quantiles of a lognormal sales distribution given its mean and coefficient of variation."""
    if mean <= 0 or cv < 0:
        raise CalibrationError("sales mean must be > 0 and cv >= 0")
    sigma = math.sqrt(math.log1p(cv * cv))
    mu = math.log(mean) - sigma * sigma / 2
    nd = NormalDist()
    return [math.exp(mu + sigma * nd.inv_cdf(q)) for q in qs]


def calibrate(pay_low: float, pay_high: float, base: float, sales: np.ndarray | None = None, *,
              incentives: float = 0.0, benefits: float = 0.0, kpi_factor: float = 1.0,
              n_tiers: int = 4, low_q: float = 0.10, high_q: float = 0.90,
              sales_mean: float | None = None, sales_cv: float | None = None,
              metric: str = "sales_amount", round_to: float = 1000.0) -> Calibration:
    """Derive the lowest and highest commission rate and ``n_tiers`` tiers between them.

    Give agents' ``sales`` (one value per agent) or a lognormal ``sales_mean``/``sales_cv``.
    Tier starts are rounded down to ``round_to`` (the first tier starts at 0).
    """
    if pay_high < pay_low:
        raise CalibrationError(f"the pay range is reversed: {pay_low:g} > {pay_high:g}")
    if not 0 < low_q < high_q < 1:
        raise CalibrationError("need 0 < low quantile < high quantile < 1")
    if n_tiers < 2:
        raise CalibrationError("need at least 2 tiers")
    if kpi_factor <= 0:
        raise CalibrationError("the KPI factor must be > 0")
    fixed = base + incentives + benefits
    c_low, c_high = pay_low - fixed, pay_high - fixed
    if c_low <= 0:
        raise CalibrationError(f"fixed pay {fixed:g} (base + incentives + benefits) already "
                               f"reaches the lowest pay {pay_low:g}: no room for commission")
    qs = list(np.linspace(low_q, high_q, n_tiers))
    if sales is not None:
        s = np.asarray(sales, dtype=np.float64)
        s = s[np.isfinite(s)]
        if len(s) < 2:
            raise CalibrationError("need the sales of at least 2 agents")
        points = [float(np.quantile(s, q)) for q in qs]
    elif sales_mean is not None and sales_cv is not None:
        points = lognormal_quantiles(sales_mean, sales_cv, qs)
    else:
        raise CalibrationError("give agents' sales or a sales distribution (mean and cv)")
    s_low, s_high = points[0], points[-1]
    if s_low <= 0:
        raise CalibrationError(f"the low sales quantile is {s_low:g}: rates need sales > 0")
    r_low = c_low / s_low / kpi_factor
    r_high = c_high / s_high / kpi_factor
    rates = list(np.linspace(r_low, r_high, n_tiers))
    starts = [0.0] + [math.floor(p / round_to) * round_to if round_to > 0 else p
                      for p in points[1:]]
    tiers: list[tuple[float, float]] = []
    for st, rt in zip(starts, rates, strict=True):
        if tiers and st <= tiers[-1][0]:
            continue  # quantiles too close after rounding: merge
        tiers.append((float(st), float(rt)))
    return Calibration(pay_low, pay_high, fixed, s_low, s_high, c_low, c_high, r_low, r_high,
                       tiers, "whole", metric)
