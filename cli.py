"""The ``peakdesk`` command: parse, call the library, print. Nothing imports this module.

Exit status (FORMATS.md): 0 success; 2 invalid input (one located message per problem, no
traceback); 1 anything else (short message; traceback only with ``--debug``).
"""

from __future__ import annotations

import json
import sys
import traceback
from typing import Any

import click
import numpy as np

from scenarios.errors import InputError


class PeakdeskGroup(click.Group):
    """Maps user errors to exit 2 and bugs to exit 1, in one place."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputError as exc:
            for problem in exc.problems:
                click.echo(f"error: {problem}", err=True)
            ctx.exit(2)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)
        except Exception as exc:  # noqa: BLE001 - the top-level error boundary
            if ctx.obj and ctx.obj.get("debug"):
                traceback.print_exc()
            click.echo(f"error: {type(exc).__name__}: {exc}", err=True)
            if not (ctx.obj and ctx.obj.get("debug")):
                click.echo("(run with --debug for the traceback)", err=True)
            ctx.exit(1)


@click.group(cls=PeakdeskGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks for unexpected errors.")
@click.version_option(package_name="peakdesk")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """peakdesk — staffing, simulation and incentive what-ifs for promotion peaks."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def validate(files: tuple[str, ...]) -> None:
    """Check scenario and policy FILES; report every problem with file:line:col."""
    from scenarios.files import load_any

    problems = []
    for f in files:
        try:
            kind, _ = load_any(f)
            click.echo(f"ok: {f} ({kind})")
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)


@main.command()
@click.argument("kind", type=click.Choice(["scenario", "policy"]), default="scenario")
def schema(kind: str) -> None:
    """Print the JSON Schema of a scenario (or policy) file, for editor autocompletion."""
    from scenarios.files import json_schema

    click.echo(json.dumps(json_schema(kind), indent=2, ensure_ascii=False))



@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False),
              help="Write a plot of the curves and the scenario band (SVG, or PNG by suffix).")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False),
              help="Write rates per hour per interval: point and every demand scenario.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False),
              help="Write the same as JSON.")
@click.option("--intervals", is_flag=True, help="Print every interval, not only daily totals.")
def demand(scenario: str, plot_path: str | None, csv_path: str | None, json_path: str | None,
           intervals: bool) -> None:
    """Print the demand of SCENARIO: point forecast and demand scenarios per channel."""
    from scenarios import demand_io
    from scenarios.demand import arrival_rates, demand_scenarios
    from scenarios.load import load_scenario

    sc = load_scenario(scenario)
    point = arrival_rates(sc)
    scen = demand_scenarios(sc)
    starts = sc.horizon.interval_starts()
    hours = sc.horizon.interval_minutes / 60.0
    click.echo(f"{sc.name}: {sc.horizon.days} day(s) from {sc.horizon.start:%Y-%m-%d %H:%M}, "
               f"{sc.horizon.interval_minutes}-minute intervals")
    click.echo("demand scenarios: " + ", ".join(
        f"{s.name} p={s.probability:.3f} ×{s.multiplier:.3f}" for s in scen))
    for ch, p in point.items():
        band = np.vstack([s.rates[ch] for s in scen])
        k = int(np.argmax(p))
        click.echo(f"\n{ch}: {p.sum() * hours:,.0f} contacts; peak {p[k]:,.0f}/h at "
                   f"{starts[k]:%Y-%m-%d %H:%M} (band {band[:, k].min():,.0f}..{band[:, k].max():,.0f})")
        click.echo(f"  {'day':<10} {'contacts':>10} {'peak/h':>8} "
                   + " ".join(f"{s.name:>8}" for s in scen))
        days = sorted({t.date() for t in starts})
        for d in days:
            m = np.array([t.date() == d for t in starts])
            click.echo(f"  {d.isoformat():<10} {p[m].sum() * hours:>10,.0f} {p[m].max():>8,.0f} "
                       + " ".join(f"{s.rates[ch][m].sum() * hours:>8,.0f}" for s in scen))
        if intervals:
            for i, t in enumerate(starts):
                click.echo(f"  {t:%Y-%m-%d %H:%M} {p[i]:>10,.1f}  [{band[:, i].min():,.1f} .. "
                           f"{band[:, i].max():,.1f}]  aht {scen[0].aht_s[ch][i]:.0f}s")
    if csv_path:
        demand_io.write_demand_csv(csv_path, starts, point, scen)
        click.echo(f"wrote {csv_path}")
    if json_path:
        demand_io.write_demand_json(json_path, starts, point, scen, sc.horizon.interval_minutes)
        click.echo(f"wrote {json_path}")
    if plot_path:
        demand_io.plot_demand(plot_path, starts, point, scen, sc.name)
        click.echo(f"wrote {plot_path}")


@main.command()
@click.argument("history", type=click.Path(dir_okay=False))
@click.option("--holdout", type=click.IntRange(min=0), default=0, show_default=True,
              help="Fit on all but the last DAYS days and back-test on them (WAPE, bias).")
@click.option("--out", "out_path", type=click.Path(dir_okay=False),
              help="Write the fitted demand (profiles, demand, events) as scenario YAML.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False),
              help="Write the fit and the back-test as JSON (FORMATS.md §5).")
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False),
              help="Write a plot of fit and forecast vs actual (SVG, or PNG by suffix).")
@click.option("--fill-gaps", is_flag=True,
              help="Accept missing intervals: leave them out of the fit and the back-test.")
def forecast(history: str, holdout: int, out_path: str | None, json_path: str | None,
             plot_path: str | None, fill_gaps: bool) -> None:
    """Fit a Poisson GLM per channel to HISTORY.csv (FORMATS.md §4) and forecast."""
    from scenarios import demand_io
    from scenarios.forecast import demand_section, forecast_json
    from scenarios.forecast import forecast as run_forecast
    from scenarios.history import read_history

    hist = read_history(history, fill_gaps=fill_gaps)
    per_day = 1440 // hist.interval_minutes
    days = hist.n // per_day
    if holdout and days - holdout < 7:
        raise InputError.single(history, f"--holdout {holdout} leaves {days - holdout} day(s) "
                                         "to fit; at least 7 are needed", field="holdout")
    res = run_forecast(hist, holdout)
    click.echo(f"{history}: {hist.n} intervals of {hist.interval_minutes} min, "
               f"{len(hist.channels)} channel(s)" + (f", {hist.filled} gap interval(s) left out"
                                                      if hist.filled else ""))
    for ch, f in res.channels.items():
        tw = f.typical_week
        click.echo(f"\n{ch}: {tw.get('daily_volume', float('nan')):,.0f} contacts/day, "
                   f"trend {f.trend_per_year:+.1%}/year (log), dispersion "
                   f"{f.pearson_dispersion:.2f}, {f.iterations} IRLS iterations")
        click.echo("  weekly Mon..Sun: " + " ".join(f"{w:.3f}" for w in f.weekly))
        if f.event_uplifts:
            click.echo("  event uplifts: " + ", ".join(f"{k} ×{v:.2f}"
                                                      for k, v in f.event_uplifts.items()))
        if f.orders_elasticity is not None:
            click.echo(f"  orders elasticity {f.orders_elasticity:.3f}, "
                       f"contacts per order {f.contacts_per_order or 0:.4f}")
    if res.backtest:
        b = res.backtest
        click.echo(f"\nback-test on the last {b['holdout_days']} day(s): WAPE {b['wape']:.3f}, "
                   f"bias {b['bias']:+.3f}")
    for w in res.warnings:
        click.echo(f"warning: {w}", err=True)
    if out_path:
        demand_io.write_demand_yaml(out_path, demand_section(hist, res),
                                    f"demand fitted by `peakdesk forecast {history}`\n"
                                    "paste into a scenario (see docs/demand.md)")
        click.echo(f"wrote {out_path}")
    if json_path:
        from scenarios.output import write_json

        write_json(json_path, forecast_json(res, history))
        click.echo(f"wrote {json_path}")
    if plot_path:
        actual = {ch: h.contacts for ch, h in hist.channels.items()}
        fitted = {ch: np.concatenate([f.fitted, f.forecast]) for ch, f in res.channels.items()}
        demand_io.plot_forecast(plot_path, hist.timestamps(), actual, fitted, res.n_fit,
                                f"{history}: fit and forecast")
        click.echo(f"wrote {plot_path}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
