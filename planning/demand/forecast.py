"""Forecast contacts from history with a Poisson GLM per channel, and back-test it.

log E[contacts(t)] = β₀ + β_trend·τ + w[weekday] + s[slot] + Σ_e u_e·1{event(t) = e}
                     + γ·log(1 + orders(t))           (γ only when the history has orders)

τ = years since the first interval; Monday, slot 0 and "no event" are the reference levels.
Fitted by :func:`planning.demand.glm.fit_poisson` (numpy IRLS). Least squares on
log counts is biased at low counts, the Poisson GLM is not (docs/sources.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

import numpy as np

from planning.demand.glm import fit_poisson
from planning.demand.history import ChannelHistory, History

YEAR_MIN = 1440.0 * 365.25


@dataclass(frozen=True)
class Design:
    """Design matrix columns and names for one channel."""

    X: np.ndarray
    names: list[str]


@dataclass(frozen=True)
class ChannelFit:
    """The fitted model of one channel, in planner's terms and as raw coefficients."""

    coef: dict[str, float]
    weekly: list[float]               # Monday..Sunday, mean 1
    intraday: list[float]             # shares of the day per slot, sum 1
    trend_per_year: float             # log growth per year
    event_uplifts: dict[str, float]   # multiplier per event name
    orders_elasticity: float | None
    contacts_per_order: float | None  # Σ fitted / Σ orders over the fit period
    pearson_dispersion: float
    iterations: int
    fitted: np.ndarray                # expected contacts per interval, fit period
    forecast: np.ndarray              # expected contacts per interval, holdout period
    typical_week: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class ForecastResult:
    interval_minutes: int
    start: datetime
    n_fit: int
    n_holdout: int
    holdout_days: int
    channels: dict[str, ChannelFit]
    backtest: dict[str, float] | None
    warnings: list[str]


def calendar(history: History) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(weekday, slot of day, τ in years) per interval of the history grid."""
    ts = history.timestamps()
    dow = np.array([t.weekday() for t in ts], dtype=np.int64)
    slot = np.array([(t.hour * 60 + t.minute) // history.interval_minutes for t in ts],
                    dtype=np.int64)
    tau = np.arange(history.n) * history.interval_minutes / YEAR_MIN
    return dow, slot, tau


def design(history: History, channel: str, event_names: list[str]) -> Design:
    """The full design matrix over the whole grid (fit and holdout rows)."""
    dow, slot, tau = calendar(history)
    per_day = 1440 // history.interval_minutes
    h = history.channels[channel]
    cols = [np.ones(history.n), tau]
    names = ["intercept", "trend"]
    for d in range(1, 7):
        cols.append((dow == d).astype(np.float64))
        names.append(f"weekday[{d}]")
    for s in range(1, per_day):
        cols.append((slot == s).astype(np.float64))
        names.append(f"slot[{s}]")
    for e in event_names:
        cols.append((h.events == e).astype(np.float64))
        names.append(f"event[{e}]")
    if h.orders is not None:
        cols.append(np.log1p(np.nan_to_num(h.orders)))
        names.append("log1p_orders")
    return Design(np.column_stack(cols), names)


def _events_in(h: ChannelHistory, rows: slice) -> list[str]:
    return sorted({str(e) for e in h.events[rows] if e})


def fit_channel(history: History, channel: str, n_fit: int) -> ChannelFit:
    """Fit one channel on the first ``n_fit`` intervals and forecast the rest."""
    h = history.channels[channel]
    per_day = 1440 // history.interval_minutes
    fit_rows = slice(0, n_fit)
    events = _events_in(h, fit_rows)
    d = design(history, channel, events)
    X_fit = d.X[fit_rows]
    obs = h.observed[fit_rows]
    # Columns that are all zero on the observed fit rows cannot be estimated: drop them.
    keep = np.flatnonzero(np.any(X_fit[obs] != 0, axis=0))
    y = np.nan_to_num(h.contacts[fit_rows])
    res = fit_poisson(X_fit[:, keep], y, weights=obs.astype(np.float64))
    coef = np.zeros(len(d.names))
    coef[keep] = res.coef
    c = dict(zip(d.names, coef.tolist(), strict=True))
    w = np.exp([0.0] + [c[f"weekday[{i}]"] for i in range(1, 7)])
    s = np.exp([0.0] + [c[f"slot[{i}]"] for i in range(1, per_day)])
    fitted = np.exp(X_fit @ coef)
    forecast = np.exp(d.X[n_fit:] @ coef)
    has_orders = h.orders is not None
    cpo = None
    if has_orders:
        o = np.nan_to_num(h.orders[fit_rows])
        cpo = float(fitted[obs].sum() / o[obs].sum()) if o[obs].sum() > 0 else None
    fit = ChannelFit(
        coef=c, weekly=(w / w.mean()).tolist(), intraday=(s / s.sum()).tolist(),
        trend_per_year=c["trend"], event_uplifts={e: float(np.exp(c[f"event[{e}]"]))
                                                  for e in events},
        orders_elasticity=c.get("log1p_orders") if has_orders else None,
        contacts_per_order=cpo, pearson_dispersion=res.pearson_dispersion,
        iterations=res.iterations, fitted=fitted, forecast=forecast)
    return _with_typical_week(fit, d, n_fit, history)


def _with_typical_week(fit: ChannelFit, d: Design, n_fit: int, history: History) -> ChannelFit:
    """Daily volume, weekly and intraday shapes of the fitted model without events, at the
    end of the fit period (trend carried to the forecast start), over the last 4 fit weeks.

    Equal to the closed-form shapes when the history has no orders; with orders it folds
    the orders' own shape into the profiles (for a scenario's profile form).
    """
    per_day = 1440 // history.interval_minutes
    coef = np.array([fit.coef[nm] for nm in d.names])
    ev = np.array([nm.startswith("event[") for nm in d.names])
    X = d.X[:n_fit].copy()
    X[:, ev] = 0.0
    X[:, 1] = n_fit * history.interval_minutes / YEAR_MIN
    slot0 = (history.start.hour * 60 + history.start.minute) // history.interval_minutes
    first_midnight = (per_day - slot0) % per_day
    days = (n_fit - first_midnight) // per_day
    use = min(days, 28) * per_day
    if use <= 0:
        return fit
    start = n_fit - use
    start -= (slot0 + start) % per_day          # back to a midnight (still inside the fit)
    end = start + use
    mu = np.exp(X[start:end] @ coef)
    first = history.start + timedelta(minutes=history.interval_minutes * start)
    daily = mu.reshape(-1, per_day)
    totals = daily.sum(axis=1)
    dows = np.array([(first + timedelta(days=i)).weekday() for i in range(len(totals))])
    by_dow = np.array([totals[dows == k].mean() if np.any(dows == k) else np.nan
                       for k in range(7)])
    if np.isnan(by_dow).any():
        by_dow = np.where(np.isnan(by_dow), np.nanmean(by_dow), by_dow)
    shares = (daily / totals[:, None]).mean(axis=0)
    typical = {"daily_volume": float(by_dow.mean()),
               "weekly": (by_dow / by_dow.mean()).tolist(),
               "intraday": (shares / shares.sum()).tolist()}
    return replace(fit, typical_week=typical)


def forecast(history: History, holdout_days: int = 0) -> ForecastResult:
    """Fit every channel on all but the last ``holdout_days`` days; back-test on those."""
    per_day = 1440 // history.interval_minutes
    n_holdout = holdout_days * per_day
    n_fit = history.n - n_holdout
    warnings: list[str] = []
    fits = {ch: fit_channel(history, ch, n_fit) for ch in history.channels}
    backtest = None
    if n_holdout:
        actual_sum = abs_err = err = 0.0
        for ch, f in fits.items():
            h = history.channels[ch]
            obs = h.observed[n_fit:]
            a = h.contacts[n_fit:][obs]
            fc = f.forecast[obs]
            actual_sum += float(a.sum())
            abs_err += float(np.abs(a - fc).sum())
            err += float((fc - a).sum())
            unseen = sorted(set(_events_in(h, slice(n_fit, None))) - set(f.event_uplifts))
            if unseen:
                warnings.append(f"{ch}: event(s) {', '.join(unseen)} not in the fit period; "
                                "forecast without uplift")
        wape = abs_err / actual_sum if actual_sum > 0 else float("nan")
        bias = err / actual_sum if actual_sum > 0 else float("nan")
        backtest = {"wape": wape, "bias": bias, "holdout_days": holdout_days}
    for ch, f in fits.items():
        if f.pearson_dispersion > 1.5:
            warnings.append(f"{ch}: overdispersed (Pearson χ²/df = {f.pearson_dispersion:.2f}); "
                            "uncertainty is larger than Poisson")
    return ForecastResult(history.interval_minutes, history.start, n_fit, n_holdout,
                          holdout_days, fits, backtest, warnings)


def holdout_events(history: History, result: ForecastResult) -> list[dict[str, object]]:
    """Event windows of the holdout, one per contiguous run, with each channel's uplift."""
    out: list[dict[str, object]] = []
    step = history.interval_minutes
    for ch, f in result.channels.items():
        ev = history.channels[ch].events[result.n_fit:]
        i = 0
        while i < len(ev):
            name = ev[i]
            if name and name in f.event_uplifts:
                j = i
                while j < len(ev) and ev[j] == name:
                    j += 1
                start = history.start + timedelta(minutes=step * (result.n_fit + i))
                out.append({"name": str(name), "start": start, "peak_minutes": step * (j - i),
                            "uplift": round(f.event_uplifts[str(name)], 4), "channels": [ch]})
                i = j
            else:
                i += 1
    return out


def demand_section(history: History, result: ForecastResult) -> dict[str, object]:
    """``profiles``, ``demand`` and ``events`` of a scenario from the fit (plain data)."""
    profiles: dict[str, dict[str, list[float]]] = {"weekly": {}, "intraday": {}}
    demand: dict[str, dict[str, object]] = {}
    for ch, f in result.channels.items():
        tw = f.typical_week
        name = f"fitted_{ch}"
        profiles["weekly"][name] = [round(x, 6) for x in tw["weekly"]]
        profiles["intraday"][name] = [round(x, 8) for x in tw["intraday"]]
        demand[ch] = {"daily_volume": round(float(tw["daily_volume"]), 3), "weekly": name,
                      "intraday": name}
    return {"profiles": profiles, "demand": demand, "events": holdout_events(history, result)}


def forecast_json(result: ForecastResult, source: str) -> dict[str, object]:
    """The ``--json`` document (docs/formats.md §5): backtest plus each channel's fit."""
    return {
        "source": source,
        "interval_minutes": result.interval_minutes,
        "fit_intervals": result.n_fit,
        "backtest": result.backtest,
        "channels": {ch: {
            "daily_volume": f.typical_week.get("daily_volume"),
            "weekly": f.weekly, "intraday": f.intraday,
            "trend_per_year": f.trend_per_year, "event_uplifts": f.event_uplifts,
            "orders_elasticity": f.orders_elasticity,
            "contacts_per_order": f.contacts_per_order,
            "pearson_dispersion": f.pearson_dispersion, "iterations": f.iterations,
            "coefficients": f.coef,
        } for ch, f in result.channels.items()},
        "warnings": result.warnings,
    }
