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

    from scenarios.demand import arrival_rates
    from scenarios.load import load_scenario
    from scenarios.output import write_csv, write_json
    from scenarios.plan import staffing
    from sim.from_scenario import sim_model
    from sim.runner import Demand, run_replications
    from sim.tables import agent_rows, contact_rows, interval_rows, summary_json, summary_rows

    sc = load_scenario(scenario)
    model = sim_model(sc, staffing(sc, scenario, plan))
    if contact_log and not sc.simulation.contact_log:
        model = dataclasses.replace(model, contact_log=True)
    reps = replications or sc.simulation.replications
    seed = sc.simulation.seed if seed is None else seed
    workers = workers or min(os.cpu_count() or 1, reps)
    demand = Demand(arrival_rates(sc))
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
        write_json(json_path, summary_json(result, wall, {"scenario": sc.name,
                                                          "workers": workers}))
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
