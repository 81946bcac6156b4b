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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
