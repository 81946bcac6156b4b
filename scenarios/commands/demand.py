"""``peakdesk demand`` and ``peakdesk forecast``: the demand of a scenario, and demand fitted
from a contact history."""

from __future__ import annotations

import numpy as np

from scenarios.commands import Echo
from scenarios.reading.errors import InputError
from scenarios.writing import demand_io


def show_demand(scenario: str, echo: Echo, *, plot_path: str | None = None,
                csv_path: str | None = None, json_path: str | None = None,
                intervals: bool = False) -> None:
    """Print the point forecast and the demand scenarios per channel; write what is asked."""
    from scenarios.adapters.to_demand import arrival_rates, demand_scenarios
    from scenarios.reading.load import load_scenario

    sc = load_scenario(scenario)
    point = arrival_rates(sc)
    scen = demand_scenarios(sc)
    starts = sc.horizon.interval_starts()
    hours = sc.horizon.interval_minutes / 60.0
    echo(f"{sc.name}: {sc.horizon.days} day(s) from {sc.horizon.start:%Y-%m-%d %H:%M}, "
         f"{sc.horizon.interval_minutes}-minute intervals")
    echo("demand scenarios: " + ", ".join(
        f"{s.name} p={s.probability:.3f} ×{s.multiplier:.3f}" for s in scen))
    for ch, p in point.items():
        band = np.vstack([s.rates[ch] for s in scen])
        k = int(np.argmax(p))
        echo(f"\n{ch}: {p.sum() * hours:,.0f} contacts; peak {p[k]:,.0f}/h at "
             f"{starts[k]:%Y-%m-%d %H:%M} (band {band[:, k].min():,.0f}..{band[:, k].max():,.0f})")
        echo(f"  {'day':<10} {'contacts':>10} {'peak/h':>8} "
             + " ".join(f"{s.name:>8}" for s in scen))
        days = sorted({t.date() for t in starts})
        for d in days:
            m = np.array([t.date() == d for t in starts])
            echo(f"  {d.isoformat():<10} {p[m].sum() * hours:>10,.0f} {p[m].max():>8,.0f} "
                 + " ".join(f"{s.rates[ch][m].sum() * hours:>8,.0f}" for s in scen))
        if intervals:
            for i, t in enumerate(starts):
                echo(f"  {t:%Y-%m-%d %H:%M} {p[i]:>10,.1f}  [{band[:, i].min():,.1f} .. "
                     f"{band[:, i].max():,.1f}]  aht {scen[0].aht_s[ch][i]:.0f}s")
    if csv_path:
        demand_io.write_demand_csv(csv_path, starts, point, scen)
        echo(f"wrote {csv_path}")
    if json_path:
        demand_io.write_demand_json(json_path, starts, point, scen, sc.horizon.interval_minutes)
        echo(f"wrote {json_path}")
    if plot_path:
        demand_io.plot_demand(plot_path, starts, point, scen, sc.name)
        echo(f"wrote {plot_path}")


def run_forecast(history: str, echo: Echo, *, holdout: int = 0, out_path: str | None = None,
                 json_path: str | None = None, plot_path: str | None = None,
                 fill_gaps: bool = False) -> None:
    """Fit the Poisson GLM per channel, back-test on the last ``holdout`` days, print and
    write the fitted demand section / JSON / plot."""
    from planning.demand.forecast import demand_section, forecast_json
    from planning.demand.forecast import forecast as fit_forecast
    from scenarios.reading.history import read_history

    hist = read_history(history, fill_gaps=fill_gaps)
    per_day = 1440 // hist.interval_minutes
    days = hist.n // per_day
    if holdout and days - holdout < 7:
        raise InputError.single(history, f"--holdout {holdout} leaves {days - holdout} day(s) "
                                         "to fit; at least 7 are needed", field="holdout")
    res = fit_forecast(hist, holdout)
    echo(f"{history}: {hist.n} intervals of {hist.interval_minutes} min, "
         f"{len(hist.channels)} channel(s)" + (f", {hist.filled} gap interval(s) left out"
                                                if hist.filled else ""))
    for ch, f in res.channels.items():
        tw = f.typical_week
        echo(f"\n{ch}: {tw.get('daily_volume', float('nan')):,.0f} contacts/day, "
             f"trend {f.trend_per_year:+.1%}/year (log), dispersion "
             f"{f.pearson_dispersion:.2f}, {f.iterations} IRLS iterations")
        echo("  weekly Mon..Sun: " + " ".join(f"{w:.3f}" for w in f.weekly))
        if f.event_uplifts:
            echo("  event uplifts: " + ", ".join(f"{k} ×{v:.2f}"
                                                for k, v in f.event_uplifts.items()))
        if f.orders_elasticity is not None:
            echo(f"  orders elasticity {f.orders_elasticity:.3f}, "
                 f"contacts per order {f.contacts_per_order or 0:.4f}")
    if res.backtest:
        b = res.backtest
        echo(f"\nback-test on the last {b['holdout_days']} day(s): WAPE {b['wape']:.3f}, "
             f"bias {b['bias']:+.3f}")
    for w in res.warnings:
        echo(f"warning: {w}", err=True)
    if out_path:
        demand_io.write_demand_yaml(out_path, demand_section(hist, res),
                                    f"demand fitted by `peakdesk forecast {history}`\n"
                                    "paste into a scenario (see docs/demand.md)")
        echo(f"wrote {out_path}")
    if json_path:
        from scenarios.writing.output import write_json

        write_json(json_path, forecast_json(res, history))
        echo(f"wrote {json_path}")
    if plot_path:
        actual = {ch: h.contacts for ch, h in hist.channels.items()}
        fitted = {ch: np.concatenate([f.fitted, f.forecast]) for ch, f in res.channels.items()}
        demand_io.plot_forecast(plot_path, hist.timestamps(), actual, fitted, res.n_fit,
                                f"{history}: fit and forecast")
        echo(f"wrote {plot_path}")
