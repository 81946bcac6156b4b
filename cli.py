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


def _policy_and_table(policy_file: str, kpis: str) -> tuple[Any, Any, Any]:
    """Load the KPI table, then the policy with its columns known; check needed columns."""
    from scenarios.kpi_table import read_kpi_table
    from scenarios.policy_file import load_policy_located

    table = read_kpi_table(kpis)
    compiled, root = load_policy_located(policy_file, table.names)
    needed = set(compiled.needed)
    rows = None
    if compiled.policy.applies_to is not None:
        needed.add("pool")
        if "pool" in table.columns:
            import numpy as np

            rows = np.isin(table.columns["pool"], compiled.policy.applies_to)
    table.check(needed, rows, why=f"policy '{compiled.policy.policy}'")
    return compiled, root, table


@main.command()
@click.argument("policy_file", metavar="POLICY", type=click.Path(dir_okay=False))
@click.argument("kpis", metavar="KPIS.csv", type=click.Path(dir_okay=False))
@click.option("--json", "json_path", type=click.Path(dir_okay=False),
              help="Write per-agent pay and warnings as JSON (FORMATS.md §5).")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False),
              help="Write per-agent pay with item scores, rank and components as CSV.")
@click.option("--explain", "explain_ids", multiple=True, metavar="AGENT",
              help="Print the reason for every amount of AGENT (repeatable).")
def pay(policy_file: str, kpis: str, json_path: str | None, csv_path: str | None,
        explain_ids: tuple[str, ...]) -> None:
    """Pay every agent of KPIS.csv under POLICY; print a table and totals."""
    from rich.console import Console
    from rich.table import Table

    from rules.pay import pay as pay_table
    from rules.report import DISPLAY_COLUMNS, display_rows, pay_csv_rows, pay_json, totals_lines
    from scenarios.output import write_csv, write_json
    from scenarios.yamlio import position

    compiled, root, table = _policy_and_table(policy_file, kpis)
    result = pay_table(compiled, table.columns)
    if len(result) == 0:
        line, col = position(root, ("applies_to",))
        raise InputError.single(policy_file, f"no agent of {kpis} is in the pools "
                                f"{', '.join(compiled.policy.applies_to or [])}",
                                field="applies_to", line=line, col=col)
    for agent in explain_ids:
        if agent not in set(result.agent_id.tolist()):
            raise InputError.single(kpis, f"--explain: no agent '{agent}' paid by this policy",
                                    field="agent_id")
    console = Console(highlight=False)
    if not console.is_terminal:
        console.width = 160
    grid = Table(title=f"{compiled.policy.policy} ({compiled.policy.period})")
    for i, name in enumerate(DISPLAY_COLUMNS):
        grid.add_column(name, justify="left" if i < 2 else "right")
    for row in display_rows(result):
        grid.add_row(*row)
    console.print(grid)
    for line in totals_lines(result):
        console.print(line)
    for agent in explain_ids:
        console.print(f"\n[bold]{agent}[/bold]")
        for r in result.explain(agent):
            console.print(f"  {r.component:<16} {r.amount:>12,.2f}  {r.text}")
    for w in result.warnings:
        click.echo(f"warning: {w}", err=True)
    if json_path:
        write_json(json_path, pay_json(result))
    if csv_path:
        header, rows = pay_csv_rows(result)
        write_csv(csv_path, header, rows)


@main.group()
@click.pass_context
def rules(ctx: click.Context) -> None:
    """Check incentive policies and calibrate commission tables."""
    ctx.ensure_object(dict)


@rules.command()
@click.argument("policy_file", metavar="POLICY", type=click.Path(dir_okay=False))
@click.option("--kpis", type=click.Path(dir_okay=False),
              help="Judge targets and events against this KPI table too.")
@click.option("--strict", is_flag=True, help="Exit 1 when there is any finding.")
def lint(policy_file: str, kpis: str | None, strict: bool) -> None:
    """Warn about weights, unreachable targets, tier order and events that never fire."""
    from rules.lint import lint as lint_policy
    from scenarios.policy_file import load_policy_located
    from scenarios.yamlio import position

    if kpis:
        compiled, root, table = _policy_and_table(policy_file, kpis)
        findings = lint_policy(compiled, table.columns)
    else:
        compiled, root = load_policy_located(policy_file)
        findings = lint_policy(compiled)
    for f in findings:
        line, col = position(root, f.loc)
        where = f"{policy_file}:{line}:{col}" if line else policy_file
        click.echo(f"warning: {where}: {'.'.join(map(str, f.loc))}: {f.message}")
    if not findings:
        click.echo(f"ok: {policy_file}: no findings")
    elif strict:
        sys.exit(1)


@rules.command()
@click.option("--pay-range", nargs=2, type=float, required=True, metavar="LOW HIGH",
              help="Lowest and highest monthly pay to offer.")
@click.option("--base", type=float, required=True, help="Base pay per month.")
@click.option("--incentives", type=float, default=0.0, show_default=True,
              help="Other incentives per month (激励).")
@click.option("--benefits", type=float, default=0.0, show_default=True,
              help="Benefits per month (福利).")
@click.option("--kpi-factor", type=float, default=1.0, show_default=True,
              help="KPI factor the seed divides by (rate = commission / sales / KPI).")
@click.option("--kpis", type=click.Path(dir_okay=False),
              help="KPI table with the agents' sales.")
@click.option("--metric", default="sales_amount", show_default=True,
              help="Sales column of the KPI table (and the commission's `per`).")
@click.option("--sales-mean", type=float, help="Mean monthly sales (lognormal), instead of --kpis.")
@click.option("--sales-cv", type=float, help="Coefficient of variation of sales.")
@click.option("--tiers", "n_tiers", type=int, default=4, show_default=True)
@click.option("--quantiles", nargs=2, type=float, default=(0.1, 0.9), show_default=True,
              metavar="LOW HIGH", help="Sales quantiles that earn the lowest / highest pay.")
@click.option("--output", type=click.Path(dir_okay=False), help="Write the policy fragment here.")
def calibrate(pay_range: tuple[float, float], base: float, incentives: float, benefits: float,
              kpi_factor: float, kpis: str | None, metric: str, sales_mean: float | None,
              sales_cv: float | None, n_tiers: int, quantiles: tuple[float, float],
              output: str | None) -> None:
    """Derive commission rates from a pay range (seed 002's method); print a policy fragment."""
    from rules.calibrate import CalibrationError
    from rules.calibrate import calibrate as run
    from scenarios.output import write_atomic

    sales = None
    if kpis:
        from scenarios.kpi_table import read_kpi_table

        table = read_kpi_table(kpis)
        table.check({metric}, why="calibration")
        sales = table.columns[metric]
    elif sales_mean is None or sales_cv is None:
        raise click.UsageError("give --kpis KPIS.csv or both --sales-mean and --sales-cv")
    try:
        cal = run(pay_range[0], pay_range[1], base, sales, incentives=incentives,
                  benefits=benefits, kpi_factor=kpi_factor, n_tiers=n_tiers, low_q=quantiles[0],
                  high_q=quantiles[1], sales_mean=sales_mean, sales_cv=sales_cv, metric=metric)
    except CalibrationError as exc:
        raise InputError.single("calibrate", str(exc)) from None
    text = cal.fragment()
    if output:
        write_atomic(output, text)
    click.echo(text, nl=False)
    if cal.rate_high < cal.rate_low:
        click.echo("warning: the highest-pay rate is below the lowest-pay rate: tiers fall "
                   "as sales rise (widen the pay range or check the sales)", err=True)
@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--plan", "plan", type=click.Path(dir_okay=False), default=None,
              help="Plan CSV: agents per interval and pool (overrides the scenario's pools).")
@click.option("--replications", "-r", type=click.IntRange(1, 100_000), default=None,
              help="Number of replications (default: the scenario's simulation.replications).")
@click.option("--workers", "-w", type=click.IntRange(1, 512), default=None,
              help="Worker processes (default: CPU count; results do not depend on it).")
@click.option("--seed", type=click.IntRange(0), default=None,
              help="Master seed (default: the scenario's simulation.seed).")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), default=None,
              help="Write the summary as JSON (FORMATS.md §5).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Write summary.csv, intervals.csv, agents.csv (and contacts.csv) here.")
@click.option("--contact-log", is_flag=True, help="Also write contacts.csv (first replication).")
@click.option("--scheduler", default=None, metavar="tcp://HOST:8786",
              help="Run the replications on a Dask cluster (extra [dist]) instead of "
                   "local processes.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or table.")
def simulate(scenario: str, plan: str | None, replications: int | None, workers: int | None,
             seed: int | None, json_path: str | None, out_dir: str | None,
             contact_log: bool, scheduler: str | None, quiet: bool) -> None:
    """Simulate SCENARIO: replications with 95% confidence intervals per channel."""
    import dataclasses
    import os
    import time
    from pathlib import Path

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
    from rich.table import Table

    from scenarios.demand import demand_scenarios
    from scenarios.load import load_scenario
    from scenarios.output import write_csv, write_json
    from scenarios.plan import staffing
    from sim.from_scenario import sim_model
    from sim.runner import Demand, run_replications, sample_demands
    from sim.tables import agent_rows, contact_rows, interval_rows, summary_json, summary_rows

    sc = load_scenario(scenario)
    model = sim_model(sc, staffing(sc, scenario, plan))
    if contact_log and not sc.simulation.contact_log:
        model = dataclasses.replace(model, contact_log=True)
    reps = replications or sc.simulation.replications
    seed = sc.simulation.seed if seed is None else seed
    workers = workers or min(os.cpu_count() or 1, reps)
    options = [(Demand(d.rates, handle_time_factor=d.handle_time_factor, name=d.name,
                       scenario_multiplier=d.multiplier), d.probability)
               for d in demand_scenarios(sc)]
    demand = options[0][0] if len(options) == 1 else sample_demands(options, reps, seed)
    err = Console(stderr=True)
    client = None
    if scheduler:
        try:
            from distributed import Client
        except ImportError:
            raise click.ClickException("--scheduler needs Dask: pip install 'peakdesk[dist]'"
                                       ) from None
        try:
            client = Client(scheduler, timeout=10)
        except OSError as exc:
            raise click.ClickException(f"cannot reach the Dask scheduler {scheduler}: {exc}"
                                       ) from None
    t0 = time.perf_counter()
    try:
        with Progress("[progress.description]{task.description}", BarColumn(),
                      MofNCompleteColumn(), TimeElapsedColumn(), console=err,
                      disable=quiet) as bar:
            task = bar.add_task("simulating", total=reps)
            result = run_replications(
                model, demand, reps, seed, workers=workers,
                executor=client.get_executor() if client else None,
                progress=lambda k: bar.update(task, completed=k))
    finally:
        if client is not None:
            client.close()
    wall = time.perf_counter() - t0
    start = sc.horizon.start
    if json_path:
        demands = [{"replication": o.replication, "scenario": o.demand_name,
                    "multiplier": o.multiplier} for o in result.outputs]
        write_json(json_path, summary_json(result, wall, {"scenario": sc.name,
                                                          "workers": workers,
                                                          "demand": demands}))
    if out_dir:
        d = Path(out_dir)
        write_csv(d / "summary.csv", *summary_rows(result))
        write_csv(d / "intervals.csv", *interval_rows(result, model, start))
        write_csv(d / "agents.csv", *agent_rows(result.outputs[:1], model, start, False))
        write_csv(d / "agents_all.csv", *agent_rows(result.outputs, model, start, True))
        if model.contact_log:
            write_csv(d / "contacts.csv", *contact_rows(result.outputs[0], model))
    if quiet:
        return
    table = Table(title=f"{sc.name} — {reps} replications, seed {seed}, {wall:.1f} s")
    table.add_column("metric")
    summary = result.channel_summary()
    for ch in summary:
        table.add_column(ch, justify="right")
    fmt = {"offered": "{:,.0f}", "answered": "{:,.0f}", "abandoned": "{:,.0f}",
           "asa_s": "{:.1f}", "aht_s": "{:.0f}", "queue_length": "{:.1f}",
           "repeat_contacts": "{:,.0f}", "retrials": "{:,.0f}", "complaints": "{:,.0f}"}
    shown = ["offered", "answered", "abandoned", "abandon_rate", "service_level", "asa_s",
             "aht_s", "occupancy", "queue_length", "fcr", "repeat_contacts", "retrials",
             "complaints"]
    for m in shown:
        cells = []
        for ch in summary:
            mean, lo, hi = summary[ch][m]
            f = fmt.get(m, "{:.3f}")
            cells.append("–" if mean != mean else
                         f"{f.format(mean)} ± {f.format((hi - lo) / 2)}")
        table.add_row(m, *cells)
    Console().print(table)
    team = result.team_summary()
    click.echo(f"outbound calls: {team['outbound_calls'][0]:,.0f}   "
               f"(95% CI ± half-width shown; warm-up {sc.simulation.warmup_minutes:g} min)")




# ------------------------------------------------------------------ staffing math
class RateType(click.ParamType):
    """An arrival rate: ``1200/h``, ``20/min``, ``1200`` (per hour)."""

    name = "rate"

    def convert(self, value: Any, param: Any, ctx: Any) -> float:
        text = str(value).strip().lower().replace(" ", "")
        per = {"/h": 1.0, "/hour": 1.0, "/min": 60.0, "/m": 60.0, "/s": 3600.0}
        factor = 1.0
        for suffix, f in per.items():
            if text.endswith(suffix):
                text, factor = text[: -len(suffix)], f
                break
        try:
            rate = float(text) * factor
        except ValueError:
            self.fail(f"expected a rate such as 1200/h or 20/min, got {value!r}", param, ctx)
        if not rate >= 0 or rate == float("inf"):
            self.fail(f"the rate must be a finite number >= 0, got {value!r}", param, ctx)
        return rate


class TargetType(click.ParamType):
    """A service-level target ``X/Y``: X% answered within Y seconds (e.g. 80/20)."""

    name = "X/Y"

    def convert(self, value: Any, param: Any, ctx: Any) -> tuple[float, float]:
        if isinstance(value, tuple):
            return value
        try:
            x_text, y_text = str(value).split("/")
            x, y = float(x_text.rstrip("%")), float(y_text.rstrip("s"))
        except ValueError:
            self.fail(f"expected X/Y such as 80/20, got {value!r}", param, ctx)
        if x > 1.0:
            x /= 100.0
        if not (0.0 < x < 1.0) or y < 0:
            self.fail(f"X must be in (0, 100) percent and Y >= 0 seconds, got {value!r}",
                      param, ctx)
        return x, y


def _console() -> Any:
    from rich.console import Console

    return Console()


@main.command()
@click.option("--rate", type=RateType(), help="Arrivals, e.g. 1200/h or 20/min.")
@click.option("--aht", type=click.FloatRange(min=0, min_open=True),
              help="Mean handle time incl. wrap-up, seconds.")
@click.option("--patience", type=click.FloatRange(min=0), default=None,
              help="Mean patience, seconds (Erlang A); omit for Erlang C.")
@click.option("--target", type=TargetType(), default=None, help="Service level X/Y, e.g. 80/20.")
@click.option("--max-abandon", type=click.FloatRange(0, 1, min_open=True, max_open=True),
              default=None, help="Abandonment ceiling, e.g. 0.05.")
@click.option("--max-asa", type=click.FloatRange(min=0, min_open=True), default=None,
              help="ASA target, seconds.")
@click.option("--max-occupancy", type=click.FloatRange(0, 1, min_open=True), default=None,
              help="Occupancy cap, e.g. 0.9.")
@click.option("--concurrency", type=click.IntRange(1, 20), default=1,
              help="Chat: sessions per agent.")
@click.option("--slowdown", type=click.FloatRange(0, 2), default=0.0,
              help="Chat: extra handle time per extra session (0.15 = +15%).")
@click.option("--rows", type=click.IntRange(1, 50), default=5,
              help="Agent counts shown either side of the requirement.")
@click.option("--input", "input_csv", type=click.Path(dir_okay=False),
              help="Batch mode: cases CSV (FORMATS.md §5).")
@click.option("--output", "output_csv", type=click.Path(dir_okay=False),
              help="Batch mode: results CSV.")
def erlang(rate: float | None, aht: float | None, patience: float | None,
           target: tuple[float, float] | None, max_abandon: float | None,
           max_asa: float | None, max_occupancy: float | None, concurrency: int,
           slowdown: float, rows: int, input_csv: str | None, output_csv: str | None) -> None:
    """Erlang C/A service level, ASA, abandonment and occupancy around the requirement."""
    if input_csv or output_csv:
        if not (input_csv and output_csv):
            raise click.UsageError("batch mode needs both --input and --output")
        _erlang_batch(input_csv, output_csv)
        return
    if rate is None or aht is None:
        raise click.UsageError("give --rate and --aht (or --input/--output for a batch)")
    import math

    import numpy as np

    from planning.chat import chat_capacity
    from planning.requirements import Targets, queue_metrics, requirements

    sl, within = target if target else (None, 20.0)
    targets = Targets(service_level=sl, within_s=within, max_asa_s=max_asa,
                      max_abandon_rate=max_abandon, max_occupancy=max_occupancy)
    pat = math.inf if patience is None else patience
    cap = chat_capacity(aht, concurrency, slowdown)
    session_aht = cap.session_time_s
    load = rate / 3600.0 * aht
    req = None
    if targets.any():
        req = requirements(np.array([rate]), aht, pat, targets, concurrency=concurrency,
                           concurrency_slowdown=slowdown)
        centre = int(req.agents[0])
    else:
        centre = max(1, math.ceil(load / cap.sessions))
    agents = np.arange(max(1, centre - rows), centre + rows + 1)
    m = queue_metrics(agents * float(cap.sessions), np.full(agents.shape, rate),
                      np.full(agents.shape, session_aht), np.full(agents.shape, pat),
                      np.full(agents.shape, within))
    from rich.table import Table

    model = "Erlang C" if math.isinf(pat) else f"Erlang A (patience {pat:g} s)"
    title = f"{model}: {rate:g}/h × {aht:g} s = {load:.2f} erlangs"
    if cap.sessions > 1:
        title += f"; chat {cap.sessions} sessions/agent at {session_aht:.0f} s each"
    table = Table(title=title)
    for col in ("agents", f"SL {within:g}s", "ASA s", "abandon", "occupancy", "P(wait)", ""):
        table.add_column(col, justify="right")
    for i, n in enumerate(agents):
        mark = "◀ required" if req is not None and n == req.agents[0] else ""
        table.add_row(str(n), f"{m.service_level[i]:.2%}", _fmt_s(m.asa_s[i]),
                      f"{m.p_abandon[i]:.2%}", f"{m.occupancy[i]:.1%}", f"{m.p_wait[i]:.2%}",
                      mark)
    con = _console()
    con.print(table)
    if req is not None:
        con.print(f"required: {int(req.agents[0])} agents (fractional {req.fractional[0]:.2f}); "
                  f"binding: {req.binding[0]}")


def _fmt_s(v: float) -> str:
    import math

    return "∞" if math.isinf(v) else ("—" if math.isnan(v) else f"{v:.1f}")


def _erlang_batch(input_csv: str, output_csv: str) -> None:
    """FORMATS.md §5 batch: metrics per row, plus required_agents where a target is given."""
    import numpy as np

    from planning.requirements import Targets, queue_metrics, required_servers
    from scenarios.erlang_cases import read_erlang_cases
    from scenarios.output import write_csv

    cases = read_erlang_cases(input_csv)
    n = cases.agents.copy()
    required = np.full(n.shape, np.nan)
    for i in np.flatnonzero(~np.isnan(cases.target)):
        tg = Targets(service_level=float(cases.target[i]), within_s=float(cases.within_s[i]))
        req, _, _, _ = required_servers(cases.rate_per_hour[i:i + 1], cases.aht_s[i:i + 1],
                                        cases.patience_s[i:i + 1], tg, with_asa=False)
        required[i] = req[0]
        n[i] = req[0]
    m = queue_metrics(n, cases.rate_per_hour, cases.aht_s, cases.patience_s, cases.within_s)
    extra = ["p_wait", "service_level", "asa_s", "abandon_rate", "occupancy"]
    has_target = "target" in cases.header
    header = cases.header + extra + (["required_agents"] if has_target else [])
    out_rows = []
    for i, row in enumerate(cases.rows):
        row = row + [""] * (len(cases.header) - len(row))
        vals = [m.p_wait[i], m.service_level[i], m.asa_s[i], m.p_abandon[i], m.occupancy[i]]
        cells = [repr(float(v)) if np.isfinite(v) else ("inf" if np.isinf(v) else "")
                 for v in vals]
        if has_target:
            cells.append("" if np.isnan(required[i]) else str(int(required[i])))
        out_rows.append(row + cells)
    write_csv(output_csv, header, out_rows)
    click.echo(f"wrote {len(out_rows)} rows to {output_csv}")


@main.command(name="requirements")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False),
              help="Write the interval × channel table as CSV.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False),
              help="Write the table and totals as JSON.")
@click.option("--all-intervals", is_flag=True, help="Print every interval, not only busy ones.")
def requirements_cmd(scenario: str, csv_path: str | None, json_path: str | None,
                     all_intervals: bool) -> None:
    """Required agents per interval × channel, with the binding constraint named."""
    from planning.channel import channel_requirements
    from scenarios import load_scenario
    from scenarios.demand import arrival_rates, interval_aht
    from scenarios.requirements_table import requirements_rows, requirements_summary
    from scenarios.staffing import scenario_staffing

    sc = load_scenario(scenario, for_staffing=True)
    specs = scenario_staffing(sc)
    rates = arrival_rates(sc)
    aht = interval_aht(sc)
    reqs = channel_requirements({k: rates[k] for k in specs}, specs, sc.staffing.shrinkage,
                                aht_by_interval=aht)
    header, rows = requirements_rows(sc, specs, rates, aht, reqs)
    summary = requirements_summary(sc, specs, rates, reqs)
    if csv_path:
        from scenarios.output import write_csv

        write_csv(csv_path, header, rows)
    if json_path:
        from scenarios.output import write_json

        write_json(json_path, {"scenario": sc.name, "shrinkage": sc.staffing.shrinkage,
                               "channels": summary,
                               "intervals": [dict(zip(header, r, strict=True)) for r in rows]})
    _print_requirements(sc, specs, rates, reqs, summary, all_intervals)


def _print_requirements(sc: Any, specs: Any, rates: Any, reqs: Any, summary: Any,
                        all_intervals: bool) -> None:
    from rich.table import Table

    con = _console()
    starts = sc.horizon.interval_starts()
    table = Table(title=f"{sc.name}: required agents per interval "
                        f"(shrinkage {sc.staffing.shrinkage:.0%})")
    table.add_column("interval", no_wrap=True)
    for ch in specs:
        table.add_column(f"{ch}\n/h", justify="right")
        table.add_column(f"{ch}\nreq", justify="right")
        table.add_column(f"{ch}\nsched", justify="right")
        table.add_column("bind")
    short = {"service_level": "SL", "asa": "ASA", "abandon_rate": "ABN", "occupancy": "OCC",
             "stability": "STB", "none": "-"}
    for i, start in enumerate(starts):
        if not all_intervals and all(rates[ch][i] == 0 for ch in specs):
            continue
        row = [start.strftime("%d %H:%M" if sc.horizon.days > 1 else "%H:%M")]
        for ch, r in reqs.items():
            row += [f"{rates[ch][i]:.0f}", str(r.agents[i]), str(r.scheduled[i]),
                    short[str(r.binding[i])]]
        table.add_row(*row)
    con.print(table)
    con.print("bind: the target that needs the last agent — SL service level, ASA, "
              "ABN abandon rate, OCC occupancy cap, STB stability (Erlang C needs agents > load)")
    for ch, s in summary.items():
        con.print(f"{ch} ({s['model']}): peak {s['peak_required']} required / "
                  f"{s['peak_scheduled']} scheduled at {s['peak_interval']}; "
                  f"{s['agent_hours_required']:.1f} agent-hours required, "
                  f"{s['agent_hours_scheduled']:.1f} scheduled")


# ------------------------------------------------------------------ run, runs, diff
@main.command(name="run")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--out", "out", type=click.Path(file_okay=False),
              help="Results folder (default: results/<scenario name>).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
              help="Report language (default: the scenario's `language`).")
@click.option("--quick", is_flag=True, help="Fewer replications, for a first look.")
@click.option("--force", is_flag=True, help="Replace the results folder if it exists.")
def run_cmd(scenario: str, out: str | None, lang: str | None, quick: bool,
            force: bool) -> None:
    """Run the whole what-if on SCENARIO and write a results folder with report.html."""
    _run(scenario, out, lang, quick, force)


@main.command(name="rerun")
@click.argument("manifest", type=click.Path(dir_okay=False, exists=True))
@click.option("--out", "out", type=click.Path(file_okay=False), required=True,
              help="Results folder for the rerun.")
@click.option("--force", is_flag=True, help="Replace the results folder if it exists.")
def rerun_cmd(manifest: str, out: str, force: bool) -> None:
    """Run again exactly as recorded in a results folder's MANIFEST (manifest.json)."""
    from pathlib import Path

    from scenarios.run.manifest import rerun_inputs

    scenario, opts = rerun_inputs(Path(manifest))
    _run(str(scenario), out, opts.get("lang"), bool(opts.get("quick")), force)


def _run(scenario: str, out: str | None, lang: str | None, quick: bool, force: bool) -> None:
    from rich.console import Console

    from scenarios.load import load_scenario
    from scenarios.run.runner import run_scenario
    from scenarios.run.terminal import ProgressDisplay, print_outcome

    shown = lang or load_scenario(scenario).language
    with ProgressDisplay(Console(stderr=True), shown) as progress:  # type: ignore[arg-type]
        outcome = run_scenario(scenario, out=out, lang=lang, quick=quick,  # type: ignore[arg-type]
                               force=force, command=["peakdesk", *sys.argv[1:]],
                               observer=progress)
    print_outcome(_console(), outcome)


@main.command(name="runs")
@click.option("--dir", "results_dir", type=click.Path(file_okay=False), default="results",
              show_default=True, help="Folder holding the results folders and the history.")
def runs_cmd(results_dir: str) -> None:
    """List the runs recorded in the history beside the results folders."""
    from pathlib import Path

    from scenarios.run.history import db_path, list_runs
    from scenarios.run.terminal import print_runs

    runs = list_runs(db_path(Path(results_dir)))
    if not runs:
        click.echo(f"no runs recorded in {db_path(Path(results_dir))}")
        return
    print_runs(_console(), runs)


@main.command(name="diff")
@click.argument("run_a", type=int)
@click.argument("run_b", type=int)
@click.option("--dir", "results_dir", type=click.Path(file_okay=False), default="results",
              show_default=True, help="Folder holding the results folders and the history.")
def diff_cmd(run_a: int, run_b: int, results_dir: str) -> None:
    """What changed between two runs: inputs and headline outputs."""
    from pathlib import Path

    from scenarios.run.history import db_path, diff_runs, get_run
    from scenarios.run.terminal import print_diff

    db = db_path(Path(results_dir))
    print_diff(_console(), diff_runs(get_run(db, run_a), get_run(db, run_b)))



@main.command(name="compare")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--policy", "policies", multiple=True,
              type=click.Path(dir_okay=False),
              help="A policy file (repeat for each scheme; default: the scenario's "
                   "'policies:').")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), default=None,
              help="Write the comparison as JSON.")
@click.option("--no-baseline", is_flag=True, help="Leave out the flat-pay baseline.")
@click.option("--replications", type=click.IntRange(1, 10_000), default=None,
              help="Final replications per policy (default: simulation.replications).")
@click.option("--workers", type=click.IntRange(1, 256), default=None,
              help="Processes for the replications (default: 1).")
@click.option("--plan", type=click.Path(dir_okay=False), default=None,
              help="Staffing plan CSV instead of the scenario's pools.")
def compare_cmd(scenario: str, policies: tuple[str, ...], json_path: str | None,
                no_baseline: bool, replications: int | None, workers: int | None,
                plan: str | None) -> None:
    """Compare incentive schemes on SCENARIO: how agents react, and what it does to
    service, quality, pay and cost (paired with the flat-pay baseline)."""
    from scenarios.compare_setup import compare_inputs, run_compare
    from scenarios.output import write_json
    from sim.compare import comparison_json

    inputs = compare_inputs(scenario, policies, plan=plan, replications=replications,
                            workers=workers, baseline=not no_baseline)
    err = _console_err()
    result = run_compare(inputs, progress=lambda name: err.print(f"solving {name} …"))
    if json_path:
        write_json(json_path, comparison_json(result))
    _print_comparison(_console(), inputs.scenario.name, result)


def _console_err() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def _print_comparison(con: Any, name: str, c: Any) -> None:
    """Side-by-side table (mean ± CI half-width, * = differs from the baseline at 95%),
    then the why, pay distributions and ranking-noise diagnostics per policy."""
    from rich.table import Table

    from sim.compare import equilibrium_text

    pols = list(c.policies.values())
    t = Table(title=f"{name} — {c.replications} replications, seed {c.seed}; per agent: "
                    f"{', '.join(c.focus_pools)} ({c.n_agents} agents, per simulated "
                    f"horizon); pay and cost per pay period; * = differs from baseline (95%)")
    t.add_column("metric")
    for o in pols:
        t.add_column(o.name, justify="right")

    def num(x: float) -> str:
        if x != x:
            return "—"
        ax = abs(x)
        return f"{x:,.0f}" if ax >= 100 else f"{x:.1f}" if ax >= 10 else (
            f"{x:.2f}" if ax >= 1 else f"{x:.3f}")

    def cell(st: Any) -> str:
        half = (st.ci95[1] - st.ci95[0]) / 2 if st.ci95[0] == st.ci95[0] else 0.0
        mark = ""
        if st.significant:
            mark = " ↑*" if st.diff[0] > 0 else " ↓*"
        return f"{num(st.mean)} ±{num(half)}{mark}"

    for block, label in (("team", "team"), ("per_agent", "per agent"), ("pay", "pay"),
                         ("cost", "cost")):
        keys = list(getattr(pols[0], block))
        for k in keys:
            t.add_row(f"{label} {k}", *[cell(getattr(o, block)[k]) if k in getattr(o, block)
                                        else "" for o in pols])
    for k in pols[0].levers:
        t.add_row(f"lever {k}", *[f"{o.levers[k]:.3f}" for o in pols])
    t.add_row("equilibrium", *[equilibrium_text(o.equilibrium) for o in pols])
    con.print(t)
    for o in pols:
        con.print(f"[bold]{o.name}[/bold] (period {o.period}; "
                  f"{equilibrium_text(o.equilibrium)}; rounds per simulation round "
                  f"{list(o.equilibrium_rounds)})")
        for lever, comps in o.why.items():
            main = o.why_main.get(lever)
            if main is None:
                continue
            con.print(f"  why {lever}: marginal pay {comps['total']:+.1f} per unit, mostly "
                      f"{main} ({comps.get(main, 0.0):+.1f}); marginal effort cost "
                      f"{comps['cost']:+.1f}")
        d = o.pay_distribution
        if d:
            con.print(f"  pay: mean {d['mean']:,.0f}, p10 {d['p10']:,.0f}, p50 {d['p50']:,.0f}, "
                      f"p90 {d['p90']:,.0f}, Gini {d['gini']:.3f}")
        if o.ranking_noise:
            r = o.ranking_noise
            con.print(f"  ranking noise: skill-pay rank corr {r['skill_pay_rank_corr']:.2f}; "
                      f"bottom band truly below median {r['bottom_below_median']:.0%}; "
                      f"same agent in the bottom band again {r['bottom_repeat']:.0%} "
                      f"(pure noise: {r['bottom_share']:.0%})")
    con.print(f"behaviour solving {c.solve_s:.1f} s, simulation {c.simulate_s:.1f} s")

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


# ------------------------------------------------------------------ sourcing mix
@main.command(name="plan")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--json", "json_path", type=click.Path(dir_okay=False),
              help="Write status, cost, plan rows, baselines and timings as JSON.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False),
              help="Write plan.csv, scenarios.csv, shifts.csv and plan.png here.")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=None,
              help="HiGHS wall-clock limit per solve, seconds (default: the scenario's).")
@click.option("--gap", type=click.FloatRange(0, 1, max_open=True), default=None,
              help="Relative MIP gap to stop at, e.g. 0.005 (default: the scenario's).")
@click.option("--rounds", type=click.IntRange(0, 10), default=None,
              help="Validate-and-tighten rounds (default: planning.validation_rounds).")
@click.option("--check", type=click.Choice(["sim", "erlang"]), default="sim", show_default=True,
              help="Service-level check of the plan: the simulator, or stationary Erlang A.")
@click.option("--check-replications", type=click.IntRange(1, 1000), default=2,
              show_default=True, help="Simulation replications per demand scenario.")
@click.option("--check-tolerance", type=click.FloatRange(0, 1), default=None,
              help="Service-level shortfall ignored as noise (default 0.03 for sim, 0.001 "
                   "for erlang).")
def plan_cmd(scenario: str, json_path: str | None, out_dir: str | None,
             time_limit: float | None, gap: float | None, rounds: int | None, check: str,
             check_replications: int, check_tolerance: float | None) -> None:
    """Cost-optimal mix of in-house shifts, outsourced blocks and a reserve (two-stage MILP)."""
    from planning.iterate import erlang_validator, tighten
    from planning.mix import compare_mix
    from planning.solver import PlanError
    from scenarios import load_scenario
    from scenarios.mix_inputs import (
        demand_cases,
        mean_case,
        mix_inputs,
        requirement_cases,
        solver_options,
    )
    from scenarios.planning_checks import plan_ready_problems
    from scenarios.staffing import scenario_staffing
    from scenarios.yamlio import read_yaml

    sc = load_scenario(scenario)
    problems = plan_ready_problems(sc, read_yaml(scenario), scenario)
    if problems:
        raise InputError(problems)
    rates = demand_cases(sc)
    cases = requirement_cases(sc, rates)
    inp = mix_inputs(sc, cases)
    opts = solver_options(sc, time_limit, gap)
    try:
        cmp = compare_mix(inp, opts, mean_case=mean_case(sc, rates))
        n_rounds = sc.planning.validation_rounds if rounds is None else rounds
        validated = None
        if n_rounds > 0:
            specs = scenario_staffing(sc)
            targets = {c: (s.targets.service_level or 0.0) for c, s in specs.items()}
            if check == "sim":
                from scenarios.plan_sim import sim_validator

                validator = sim_validator(sc, rates, check_replications, sc.simulation.seed)
            else:
                validator = erlang_validator([r for _, _, r in rates], cases, specs,
                                             sc.staffing.shrinkage)
            tol = check_tolerance if check_tolerance is not None else (
                0.03 if check == "sim" else 1e-3)
            validated = tighten(inp, opts, validator, targets, rounds=n_rounds,
                                tolerance=tol, first=cmp.plan)
    except PlanError as exc:
        raise click.ClickException(str(exc)) from None
    from scenarios.plan_output import plan_json, write_plan_dir

    doc = plan_json(sc, cmp, validated)
    doc["solver"] = {"time_limit_s": opts.time_limit_s, "mip_gap": opts.mip_gap,
                     "threads": opts.threads}
    if validated is not None:
        doc["validation"]["check"] = check
    if json_path:
        from scenarios.output import write_json

        write_json(json_path, doc)
    written = write_plan_dir(out_dir, sc, cmp) if out_dir else []
    _print_plan(sc, doc, written)


def _print_plan(sc: Any, doc: dict, written: list) -> None:
    from rich.table import Table

    con = _console()
    cur = doc["currency"]
    t = Table(title=f"{sc.name}: sourcing mix ({doc['status']}, gap {doc['gap']:.2%})")
    t.add_column("plan")
    t.add_column(f"cost {cur}", justify="right")
    t.add_column("exp. shortfall agent-h", justify="right")
    t.add_row("mix (this plan)", f"{doc['objective']:,.0f}", f"{doc['expected_shortfall_agent_hours']:,.1f}")
    for name, det in doc["baseline_details"].items():
        if det is None:
            t.add_row(name.replace("_", " "), "no plan", "")
        else:
            t.add_row(name.replace("_", " "), f"{det['cost']['total']:,.0f}",
                      f"{det['expected_shortfall_agent_hours']:,.1f}")
    con.print(t)
    if doc["status"] == "time_limit":
        con.print(f"time limit reached ({doc['solver']['time_limit_s']:g} s): this is the best "
                  f"plan found, within {doc['gap']:.2%} of the optimum (target "
                  f"{doc['solver']['mip_gap']:.2%}); allow more time with --time-limit")
    c = doc["cost"]
    con.print(f"first stage {c['first_stage']:,.0f} + expected recourse "
              f"{c['expected_recourse']:,.0f} (shortfall penalty {c['shortfall_penalty']:,.0f}); "
              "by pool: " + ", ".join(f"{k} {v:,.0f}" for k, v in c["by_pool"].items()))
    mv = doc.get("mean_value_plan")
    if mv:
        con.print(f"planning for the mean demand instead: planned {mv['planned_cost']:,.0f}, "
                  f"expected {mv['expected_cost']:,.0f} under the scenarios → the stochastic "
                  f"plan saves {mv['value_of_stochastic_solution']:,.0f} in expectation")
    con.print(f"reserve pool {doc['reserve_pool']} agents; hires {doc['hires']}; "
              f"value of one more: {doc['value_of_one_more']}")
    val = doc.get("validation")
    if val:
        for r in val["rounds"]:
            con.print(f"service-level check round {r['round']}: cost {r['objective']:,.0f}, "
                      f"{r['misses']} scenario-interval-channel cells below target (worst SL "
                      f"{r['worst_service_level']:.1%}); requirements raised: {r['raised']}")
        con.print(f"after the check: cost {val['final']['objective']:,.0f}, reserve pool "
                  f"{val['final']['reserve_pool']} (before: {doc['objective']:,.0f}, "
                  f"{doc['reserve_pool']})")
    con.print(f"build {doc['build_s']:.2f} s, HiGHS {doc['solve_s']:.2f} s")
    for f in written:
        con.print(f"wrote {f}")
