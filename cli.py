"""The ``peakdesk`` command: parse, call the library, print. Nothing imports this module.

Exit status (docs/formats.md §5): 0 success; 2 invalid input (one located message per problem, no
traceback); 1 anything else (short message; traceback only with ``--debug``).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import traceback
from typing import Any

import click

from scenarios.reading.errors import CommandError, InputError


class FiniteRange(click.FloatRange):
    """click's FloatRange without NaN (every comparison with NaN is false, so click's own
    bounds let it through)."""

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        v = super().convert(value, param, ctx)
        if v != v:
            self.fail(f"{value!r} is not a number", param, ctx)
        return v


_SCHEDULER_HELP = ("Run the replications on the Dask cluster at this address (extra "
                   "[dist]) instead of local processes; the numbers are the same.")


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread so that every clean-up of Ctrl-C runs (the
    temporary results folder is removed, process pools are terminated)."""


def _terminated(signum: int, frame: Any) -> None:
    raise Terminated()


def _exit_without_teardown(code: Any) -> None:
    """``sys.exit(code)`` but for the interpreter's teardown: the exit handlers run
    (atexit: temporary files, pools, the figures' thread), the output is flushed, then
    the process ends. A thread still working that is not a daemon is waited for as at
    any exit (the normal exit then)."""
    import atexit

    if any(t.is_alive() and not t.daemon for t in threading.enumerate()
           if t is not threading.main_thread()):
        sys.exit(code)
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # closed or a broken pipe: nothing more to say
            pass
    os._exit(code & 0xFF)


def _too_large(exc: BaseException) -> bool:
    """A simulation refused for its size (looked up, not imported: importing the simulator
    costs every command about a second, and only a command that imported it can raise it)."""
    sizes = sys.modules.get("sim.sizes")
    return sizes is not None and isinstance(exc, sizes.SimulationTooLarge)


class PeakdeskGroup(click.Group):
    """Maps user errors to exit 2 and bugs to exit 1, in one place; SIGTERM to 143."""

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        """Run as the program (arguments from the command line): once the command is done
        and every exit handler has run, end the process without freeing its objects one
        by one — a run's main process holds millions of them (tables, models), and the
        interpreter's teardown took ~1 s of the flagship run's end. Called with
        arguments (tests, other programs): click's own ``main``."""
        if args is not None or os.environ.get("PEAKDESK_EXIT") == "interpreter":
            return super().main(args, *rest, **kwargs)
        try:
            super().main(args, *rest, **kwargs)
            code: Any = 0
        except SystemExit as exc:
            code = exc.code
        _exit_without_teardown(code)

    def invoke(self, ctx: click.Context) -> Any:
        main_thread = threading.current_thread() is threading.main_thread()
        old = signal.signal(signal.SIGTERM, _terminated) if main_thread else None
        try:
            return self._invoke(ctx)
        finally:
            if old is not None:
                signal.signal(signal.SIGTERM, old)

    def _invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputError as exc:
            from scenarios.reading.yamlio import locate_problems

            for problem in locate_problems(exc.problems):
                click.echo(f"error: {problem}", err=True)
            ctx.exit(2)
        except CommandError as exc:
            raise click.ClickException(str(exc)) from None
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt as exc:
            term = isinstance(exc, Terminated)
            click.echo("terminated" if term else "interrupted", err=True)
            ctx.exit(143 if term else 130)
        except Exception as exc:  # noqa: BLE001 - the top-level error boundary
            if _too_large(exc):
                click.echo(f"error: {exc}", err=True)
                ctx.exit(2)
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
    from scenarios.heap import collect_less, keep_freed_memory

    keep_freed_memory()  # before any array: fewer page faults, same numbers
    collect_less()  # fewer full passes of the cyclic collector over long-lived objects
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def validate(files: tuple[str, ...]) -> None:
    """Check scenario, policy and monitoring-spec FILES; report every problem with
    file:line:col."""
    from scenarios.reading.files import load_any

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
@click.argument("kind", type=click.Choice(["scenario", "policy", "monitor"]),
                default="scenario")
def schema(kind: str) -> None:
    """Print the JSON Schema of a scenario, policy or monitoring-spec file (editors)."""
    from scenarios.reading.files import json_schema

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
    from scenarios.commands.demand import show_demand

    show_demand(scenario, click.echo, plot_path=plot_path, csv_path=csv_path,
                json_path=json_path, intervals=intervals)


@main.command()
@click.argument("history", type=click.Path(dir_okay=False))
@click.option("--holdout", type=click.IntRange(min=0), default=0, show_default=True,
              help="Fit on all but the last DAYS days and back-test on them (WAPE, bias).")
@click.option("--out", "out_path", type=click.Path(dir_okay=False),
              help="Write the fitted demand (profiles, demand, events) as scenario YAML.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False),
              help="Write the fit and the back-test as JSON (docs/formats.md §5).")
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False),
              help="Write a plot of fit and forecast vs actual (SVG, or PNG by suffix).")
@click.option("--fill-gaps", is_flag=True,
              help="Accept missing intervals: leave them out of the fit and the back-test.")
def forecast(history: str, holdout: int, out_path: str | None, json_path: str | None,
             plot_path: str | None, fill_gaps: bool) -> None:
    """Fit a Poisson GLM per channel to HISTORY.csv (docs/formats.md §4) and forecast."""
    from scenarios.commands.demand import run_forecast

    run_forecast(history, click.echo, holdout=holdout, out_path=out_path, json_path=json_path,
                 plot_path=plot_path, fill_gaps=fill_gaps)


@main.command()
@click.argument("policy_file", metavar="POLICY", type=click.Path(dir_okay=False))
@click.argument("kpis", metavar="KPIS.csv", type=click.Path(dir_okay=False))
@click.option("--json", "json_path", type=click.Path(dir_okay=False),
              help="Write per-agent pay and warnings as JSON (docs/formats.md §5).")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False),
              help="Write per-agent pay with item scores, rank and components as CSV.")
@click.option("--explain", "explain_ids", multiple=True, metavar="AGENT",
              help="Print the reason for every amount of AGENT (repeatable).")
def pay(policy_file: str, kpis: str, json_path: str | None, csv_path: str | None,
        explain_ids: tuple[str, ...]) -> None:
    """Pay every agent of KPIS.csv under POLICY; print a table and totals."""
    from scenarios.commands.pay import pay_agents

    pay_agents(policy_file, kpis, click.echo, json_path=json_path, csv_path=csv_path,
               explain_ids=explain_ids)


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
    from scenarios.commands.pay import lint_policy_file

    if lint_policy_file(policy_file, kpis, click.echo) and strict:
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
    from scenarios.commands.pay import calibrate_commission

    if not kpis and (sales_mean is None or sales_cv is None):
        raise click.UsageError("give --kpis KPIS.csv or both --sales-mean and --sales-cv")
    calibrate_commission(click.echo, pay_range=pay_range, base=base, incentives=incentives,
                         benefits=benefits, kpi_factor=kpi_factor, kpis=kpis, metric=metric,
                         sales_mean=sales_mean, sales_cv=sales_cv, n_tiers=n_tiers,
                         quantiles=quantiles, output=output)
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
              help="Write the summary as JSON (docs/formats.md §5).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Write summary.csv, intervals.csv, agents.csv (and contacts.csv) here.")
@click.option("--contact-log", is_flag=True, help="Also write contacts.csv (first replication).")
@click.option("--scheduler", default=None, metavar="tcp://HOST:8786", help=_SCHEDULER_HELP)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or table.")
def simulate(scenario: str, plan: str | None, replications: int | None, workers: int | None,
             seed: int | None, json_path: str | None, out_dir: str | None,
             contact_log: bool, scheduler: str | None, quiet: bool) -> None:
    """Simulate SCENARIO: replications with 95% confidence intervals per channel."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from scenarios.commands.simulate import print_simulation, simulate_scenario, write_simulation

    with Progress("[progress.description]{task.description}", BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), console=_console_err(),
                  disable=quiet) as bar:
        task = bar.add_task("simulating", total=None)
        sim = simulate_scenario(scenario, plan=plan, replications=replications,
                                workers=workers, seed=seed, contact_log=contact_log,
                                scheduler=scheduler,
                                progress=lambda k, n: bar.update(task, completed=k, total=n))
    write_simulation(sim, json_path=json_path, out_dir=out_dir)
    if not quiet:
        print_simulation(_console(), sim, click.echo)


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
        if not 0 <= rate <= 1e6:  # scenarios.reading.limits.MAX_RATE_PER_HOUR; NaN fails too
            self.fail(f"the rate must be between 0 and 1,000,000 per hour, got {value!r}",
                      param, ctx)
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
        if not (0.0 < x < 1.0) or not 0 <= y <= 86_400:
            self.fail(f"X must be in (0, 100) percent and Y in 0..86400 seconds, got {value!r}",
                      param, ctx)
        return x, y


def _console() -> Any:
    from rich.console import Console

    return Console()


@main.command()
@click.option("--rate", type=RateType(), help="Arrivals, e.g. 1200/h or 20/min.")
@click.option("--aht", type=FiniteRange(min=0, min_open=True, max=86_400),
              help="Mean handle time incl. wrap-up, seconds.")
@click.option("--patience", type=FiniteRange(min=0, max=86_400), default=None,
              help="Mean patience, seconds (Erlang A); omit for Erlang C.")
@click.option("--target", type=TargetType(), default=None, help="Service level X/Y, e.g. 80/20.")
@click.option("--max-abandon", type=FiniteRange(0, 1, min_open=True, max_open=True),
              default=None, help="Abandonment ceiling, e.g. 0.05.")
@click.option("--max-asa", type=FiniteRange(min=0, min_open=True, max=86_400),
              default=None,
              help="ASA target, seconds.")
@click.option("--max-occupancy", type=FiniteRange(0, 1, min_open=True), default=None,
              help="Occupancy cap, e.g. 0.9.")
@click.option("--concurrency", type=click.IntRange(1, 20), default=1,
              help="Chat: sessions per agent.")
@click.option("--slowdown", type=FiniteRange(0, 2), default=0.0,
              help="Chat: extra handle time per extra session (0.15 = +15%).")
@click.option("--rows", type=click.IntRange(1, 50), default=5,
              help="Agent counts shown either side of the requirement.")
@click.option("--input", "input_csv", type=click.Path(dir_okay=False),
              help="Batch mode: cases CSV (docs/formats.md §5).")
@click.option("--output", "output_csv", type=click.Path(dir_okay=False),
              help="Batch mode: results CSV.")
def erlang(rate: float | None, aht: float | None, patience: float | None,
           target: tuple[float, float] | None, max_abandon: float | None,
           max_asa: float | None, max_occupancy: float | None, concurrency: int,
           slowdown: float, rows: int, input_csv: str | None, output_csv: str | None) -> None:
    """Erlang C/A service level, ASA, abandonment and occupancy around the requirement."""
    from scenarios.commands.staffing import erlang_batch, erlang_table

    if input_csv or output_csv:
        if not (input_csv and output_csv):
            raise click.UsageError("batch mode needs both --input and --output")
        erlang_batch(input_csv, output_csv, click.echo)
        return
    if rate is None or aht is None:
        raise click.UsageError("give --rate and --aht (or --input/--output for a batch)")
    erlang_table(_console(), rate=rate, aht=aht, patience=patience, target=target,
                 max_abandon=max_abandon, max_asa=max_asa, max_occupancy=max_occupancy,
                 concurrency=concurrency, slowdown=slowdown, rows=rows)


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
    from scenarios.commands.staffing import scenario_requirements

    scenario_requirements(scenario, _console(), csv_path=csv_path, json_path=json_path,
                          all_intervals=all_intervals)


# ------------------------------------------------------------------ run, runs, diff
@main.command(name="run")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--out", "out", type=click.Path(file_okay=False),
              help="Results folder (default: results/<scenario name>).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
              help="Report language (default: the scenario's `language`).")
@click.option("--quick", is_flag=True, help="Fewer replications, for a first look.")
@click.option("--force", is_flag=True, help="Replace the results folder if it exists.")
@click.option("--scheduler", default=None, metavar="tcp://HOST:8786", help=_SCHEDULER_HELP)
def run_cmd(scenario: str, out: str | None, lang: str | None, quick: bool,
            force: bool, scheduler: str | None) -> None:
    """Run the whole what-if on SCENARIO and write a results folder with report.html."""
    _run(scenario, out, lang, quick, force, scheduler)


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


def _run(scenario: str, out: str | None, lang: str | None, quick: bool, force: bool,
         scheduler: str | None = None) -> None:
    from scenarios.run.lean_imports import no_scipy_stats_from_pyomo

    no_scipy_stats_from_pyomo()  # before anything imports scipy: ~0.45 CPU s of start-up
    from rich.console import Console

    from scenarios.execution import execution
    from scenarios.reading.load import load_scenario
    from scenarios.run.runner import run_scenario
    from scenarios.run.terminal import ProgressDisplay, print_outcome

    loaded = load_scenario(scenario)  # read once: the run takes it as it is
    with ProgressDisplay(Console(stderr=True), lang or loaded.language) as progress, \
            execution(scheduler, on_replication=progress.replication_done):  # type: ignore[arg-type]
        outcome = run_scenario(scenario, out=out, lang=lang, quick=quick,  # type: ignore[arg-type]
                               force=force, command=["peakdesk", *sys.argv[1:]],
                               observer=progress, loaded=loaded)
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
    """What changed between two runs: inputs and headline outputs.

    RUN_A and RUN_B are the ids `peakdesk runs` lists (numbers, e.g. `peakdesk diff 1 2`).
    """
    from pathlib import Path

    from scenarios.run.history import db_path, diff_runs, get_run
    from scenarios.run.terminal import print_diff

    db = db_path(Path(results_dir))
    print_diff(_console(), diff_runs(get_run(db, run_a, "RUN_A"), get_run(db, run_b, "RUN_B")))


@main.command(name="compare")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--policy", "policies", multiple=True,
              type=click.Path(dir_okay=False),
              help="A policy file (repeat for each scheme; default: the scenario's "
                   "'policies:').")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), default=None,
              help="Write the comparison as JSON.")
@click.option("--no-baseline", is_flag=True, help="Leave out the flat-pay baseline.")
@click.option("--replications", "-r", type=click.IntRange(1, 10_000), default=None,
              help="Final replications per policy (default: simulation.replications).")
@click.option("--workers", "-w", type=click.IntRange(1, 256), default=None,
              help="Processes for the replications (default: 1).")
@click.option("--plan", type=click.Path(dir_okay=False), default=None,
              help="Staffing plan CSV instead of the scenario's pools.")
@click.option("--scheduler", default=None, metavar="tcp://HOST:8786", help=_SCHEDULER_HELP)
def compare_cmd(scenario: str, policies: tuple[str, ...], json_path: str | None,
                no_baseline: bool, replications: int | None, workers: int | None,
                plan: str | None, scheduler: str | None) -> None:
    """Compare incentive schemes on SCENARIO: how agents react, and what it does to
    service, quality, pay and cost (paired with the flat-pay baseline)."""
    from scenarios.adapters.to_compare import compare_inputs, run_compare
    from scenarios.commands.compare import print_comparison
    from scenarios.writing.output import write_json
    from sim.compare import comparison_json

    inputs = compare_inputs(scenario, policies, plan=plan, replications=replications,
                            workers=workers, baseline=not no_baseline)
    from scenarios.execution import execution

    err = _console_err()
    with execution(scheduler):
        result = run_compare(inputs, progress=lambda name: err.print(f"solving {name} …"))
    if json_path:
        write_json(json_path, comparison_json(result))
    print_comparison(_console(), inputs.scenario.name, result)


def _console_err() -> Any:
    from rich.console import Console

    return Console(stderr=True)


# ------------------------------------------------------------------ sourcing mix
@main.command(name="plan")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--json", "json_path", type=click.Path(dir_okay=False),
              help="Write status, cost, plan rows, baselines and timings as JSON.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False),
              help="Write plan.csv, scenarios.csv, shifts.csv, plan.png and roster.csv here.")
@click.option("--time-limit", type=FiniteRange(min=0, min_open=True), default=None,
              help="HiGHS wall-clock limit per solve, seconds (default: the scenario's).")
@click.option("--gap", type=FiniteRange(0, 1, max_open=True), default=None,
              help="Relative MIP gap to stop at, e.g. 0.005 (default: the scenario's).")
@click.option("--rounds", type=click.IntRange(0, 10), default=None,
              help="Check-and-tighten rounds (default: planning.validation_rounds).")
@click.option("--check", type=click.Choice(["sim", "erlang"]), default="sim", show_default=True,
              help="Check of the plan against every target: the simulator, or Erlang A.")
@click.option("--check-replications", type=click.IntRange(1, 1000), default=None,
              help="Replications per demand scenario (default: planning.check_replications).")
@click.option("--check-z", type=FiniteRange(0, 10), default=None,
              help="Noise allowance: a period misses when worse than its target by more "
                   "than this many standard errors (default 1.645 for sim, 0 for erlang).")
@click.option("--scheduler", default=None, metavar="tcp://HOST:8786", help=_SCHEDULER_HELP)
def plan_cmd(scenario: str, json_path: str | None, out_dir: str | None,
             time_limit: float | None, gap: float | None, rounds: int | None, check: str,
             check_replications: int | None, check_z: float | None,
             scheduler: str | None) -> None:
    """Cost-optimal mix of in-house shifts, outsourced blocks and a reserve (two-stage MILP)."""
    from scenarios.commands.plan import plan_scenario, print_plan, write_plan
    from scenarios.execution import execution

    with execution(scheduler):
        sc, doc, cmp = plan_scenario(scenario, time_limit=time_limit, gap=gap, rounds=rounds,
                                     check=check, check_replications=check_replications,
                                     check_z=check_z)
    written = write_plan(sc, doc, cmp, json_path=json_path, out_dir=out_dir,
                         scenario_path=scenario)
    print_plan(_console(), sc, doc, written)


# ------------------------------------------------------------------ capacity plan
@main.command(name="capacity")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--json", "json_path", type=click.Path(dir_okay=False),
              help="Write the weekly plan, totals and the planner's answers as JSON.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False),
              help="Write capacity.csv, capacity.json and capacity.png here.")
def capacity_cmd(scenario: str, json_path: str | None, out_dir: str | None) -> None:
    """Weekly hiring, overtime and outsourcing plan for the weeks before the peak (MILP)."""
    from scenarios.commands.capacity import print_capacity, run_capacity

    print_capacity(_console(), run_capacity(scenario, json_path, out_dir))


# ------------------------------------------------------------------ on the day
@main.command(name="intraday")
@click.argument("results_dir", metavar="RESULTS_DIR", type=click.Path(file_okay=False))
@click.option("--actuals", required=True, type=click.Path(dir_okay=False),
              metavar="ACTUALS.csv", help="Contacts per interval and channel so far "
                                           "(docs/formats.md §10).")
@click.option("--now", "now", required=True, metavar="ISO",
              help="The time now, e.g. 2026-11-11T01:30 (intervals before it are seen).")
@click.option("--json", "json_path", type=click.Path(dir_okay=False),
              help="Write posterior, actions and replay as JSON.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False),
              help="Write intraday.json, actions.csv, forecast.csv and intraday.html here.")
@click.option("--scenario", type=click.Path(dir_okay=False), default=None,
              help="The scenario file, when the results folder does not name it.")
@click.option("--lang", type=click.Choice(["en", "zh"]), default=None,
              help="Language of the page and the terminal (default: the scenario's).")
@click.option("--replications", "-r", type=click.IntRange(1, 1000), default=None,
              help="Replications of the replay (default 4).")
def intraday_cmd(results_dir: str, actuals: str, now: str, json_path: str | None,
                 out_dir: str | None, scenario: str | None, lang: str | None,
                 replications: int | None) -> None:
    """On the day: which demand scenario the contacts so far point to, the call-outs, surge
    seats and temps to order before their notice runs out, and the rest of the day
    replayed with and without them."""
    from scenarios.commands.intraday import parse_now, run_intraday, write_intraday
    from scenarios.intraday.output import print_intraday

    outcome = run_intraday(results_dir, actuals, parse_now(now), scenario=scenario,
                           replications=replications)
    shown = lang or outcome.doc["language"]
    written = write_intraday(outcome, json_path=json_path, out_dir=out_dir, lang=shown)
    print_intraday(_console(), outcome.doc, written, shown)


# ------------------------------------------------------------------ KPI monitoring
@main.command(name="monitor")
@click.argument("history", nargs=-1, required=True, metavar="HISTORY.csv",
                type=click.Path(dir_okay=False))
@click.option("--spec", "spec_file", required=True, type=click.Path(dir_okay=False),
              metavar="MONITOR.yaml", help="Which ratios make the table, and how hard to look.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False),
              help="Write the team rows and the flags as JSON.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False),
              help="Write monitor.html, CSVs, monitor.xlsx and monitor.json here.")
@click.option("--lang", type=click.Choice(["en", "zh"]), default=None,
              help="Language of monitor.html (default: the spec's `language`).")
@click.option("--simulated", is_flag=True,
              help="HISTORY files are daily simulator KPI tables (agents_all.csv of "
                   "peakdesk simulate --out): lay their replications end to end as one "
                   "history.")
@click.option("--state", "state_dir", type=click.Path(file_okay=False), metavar="DIR",
              help="Keep the charts' state here: tomorrow, with rows appended to HISTORY, "
                   "only the new rows are read (same result as a full run).")
def monitor_cmd(history: tuple[str, ...], spec_file: str, json_path: str | None,
                out_dir: str | None, lang: str | None, simulated: bool,
                state_dir: str | None) -> None:
    """Tell a real decline from noise in a KPI history: each agent against their own
    baseline, flags with the date a shift started, the table with day, week and month."""
    from scenarios.monitor.run import run_monitor
    from scenarios.monitor.terminal import print_monitor

    if len(history) > 1 and not simulated:
        raise click.UsageError("several HISTORY files need --simulated (tables laid end to "
                               "end); otherwise give one history")
    if state_dir and simulated:
        raise click.UsageError("--state keeps a growing history's charts; simulated tables "
                               "are laid end to end afresh each run (drop --state)")
    outcome = run_monitor(list(history), spec_file, json_path=json_path, out=out_dir,
                          lang=lang, simulated=simulated,  # type: ignore[arg-type]
                          state_dir=state_dir)
    print_monitor(_console(), outcome)


# ------------------------------------------------------------------ sweeps
@main.command(name="sweep")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--vary", "vary", multiple=True, metavar="KEY=V1,V2,...",
              help="A scenario field by dotted path (pools.reserve.on_call.max_size) or a "
                   "shortcut (peak, reserve, policies, bot) and its values; several make "
                   "a grid.")
@click.option("--points", "points_csv", type=click.Path(dir_okay=False), default=None,
              help="A CSV with one column per KEY and one row per point (instead of a grid).")
@click.option("--stages", "stages", multiple=True, metavar="NAME[,NAME]",
              help="Run only these stages of each point, and the stages they need "
                   "(demand, requirements, capacity, mix, simulation, policies, pay).")
@click.option("--out", "out", type=click.Path(file_okay=False), default=None,
              help="Sweep folder (default: results/<scenario file name>-sweep).")
@click.option("--quick", is_flag=True, help="Fewer replications per point, for a first look.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
              help="Report language (default: the scenario's `language`).")
@click.option("--scheduler", default=None, metavar="tcp://HOST:8786",
              help="Run the points and their replications on this Dask cluster (extra "
                   "[dist]); the numbers are the same.")
@click.option("--resume", is_flag=True, help="Continue a sweep: skip points already done.")
@click.option("--force", is_flag=True, help="Start again in an existing sweep folder.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), default=None,
              help="Write the points, their status and headlines as JSON "
                   "(docs/formats.md §11).")
def sweep_cmd(scenario: str, vary: tuple[str, ...], points_csv: str | None,
              stages: tuple[str, ...], out: str | None, quick: bool, lang: str | None,
              scheduler: str | None, resume: bool, force: bool, json_path: str | None) -> None:
    """Run SCENARIO over a grid of values (peak size × reserve × policies ...); each point
    is a full run with its results folder; a table, plots and JSON side by side."""
    from pathlib import Path

    from scenarios.reading.load import load_scenario
    from scenarios.sweep.run import run_sweep
    from scenarios.sweep.terminal import SweepProgress, print_sweep

    target = out or str(Path("results") / f"{Path(scenario).stem}-sweep")
    with SweepProgress(lang=lang or load_scenario(scenario).language) as progress:
        outcome = run_sweep(scenario, target, vary=vary, points_csv=points_csv,
                            stages=stages, quick=quick, lang=lang, scheduler=scheduler,
                            resume=resume, force=force, json_path=json_path,
                            observer=progress)
    print_sweep(_console(), outcome)
    if any(o.status != "ok" for o in outcome.outcomes):
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
