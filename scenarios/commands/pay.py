"""``peakdesk pay``, ``peakdesk rules lint`` and ``peakdesk rules calibrate``."""

from __future__ import annotations

from typing import Any

import numpy as np

from rules.explain import explain
from scenarios.commands import Echo
from scenarios.reading.errors import InputError


def policy_and_table(policy_file: str, kpis: str) -> tuple[Any, Any, Any]:
    """Load the KPI table, then the policy with its columns known; check needed columns."""
    from scenarios.reading.kpi_table import read_kpi_table
    from scenarios.reading.policy_file import load_policy_located

    table = read_kpi_table(kpis)
    compiled, root = load_policy_located(policy_file, table.names)
    needed = set(compiled.needed)
    rows = None
    if compiled.policy.applies_to is not None:
        needed.add("pool")
        if "pool" in table.columns:
            rows = np.isin(table.columns["pool"], compiled.policy.applies_to)
    table.check(needed, rows, why=f"policy '{compiled.policy.policy}'")
    return compiled, root, table


def pay_agents(policy_file: str, kpis: str, echo: Echo, *, json_path: str | None = None,
               csv_path: str | None = None, explain_ids: tuple[str, ...] = ()) -> None:
    """Pay every agent of the KPI table under the policy; print a table, totals, reasons."""
    from rich.console import Console
    from rich.table import Table

    from rules.pay import pay as pay_table
    from rules.report import DISPLAY_COLUMNS, display_rows, pay_csv_rows, pay_json, totals_lines
    from scenarios.reading.yamlio import position
    from scenarios.writing.output import write_csv, write_json

    compiled, root, table = policy_and_table(policy_file, kpis)
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
        for r in explain(result, agent):
            console.print(f"  {r.component:<16} {r.amount:>12,.2f}  {r.text}")
    for w in result.warnings:
        echo(f"warning: {w}", err=True)
    if json_path:
        write_json(json_path, pay_json(result))
    if csv_path:
        header, rows = pay_csv_rows(result)
        write_csv(csv_path, header, rows)


def lint_policy_file(policy_file: str, kpis: str | None, echo: Echo) -> int:
    """Print the lint findings (located in the policy file); return how many there were."""
    from rules.lint import lint
    from scenarios.reading.policy_file import load_policy_located
    from scenarios.reading.yamlio import position

    if kpis:
        compiled, root, table = policy_and_table(policy_file, kpis)
        findings = lint(compiled, table.columns)
    else:
        compiled, root = load_policy_located(policy_file)
        findings = lint(compiled)
    for f in findings:
        line, col = position(root, f.loc)
        where = f"{policy_file}:{line}:{col}" if line else policy_file
        echo(f"warning: {where}: {'.'.join(map(str, f.loc))}: {f.message}")
    if not findings:
        echo(f"ok: {policy_file}: no findings")
    return len(findings)


def calibrate_commission(echo: Echo, *, pay_range: tuple[float, float], base: float,
                         incentives: float, benefits: float, kpi_factor: float,
                         kpis: str | None, metric: str, sales_mean: float | None,
                         sales_cv: float | None, n_tiers: int, quantiles: tuple[float, float],
                         output: str | None) -> None:
    """Derive commission tiers from a pay range (seed 002's method) and print the fragment.

    Sales come from a KPI table's ``metric`` column, or a lognormal (mean, cv) when no
    table is given (the CLI makes sure one of the two is there)."""
    from rules.calibrate import CalibrationError, calibrate
    from scenarios.writing.output import write_atomic

    sales = None
    if kpis:
        from scenarios.reading.kpi_table import read_kpi_table

        table = read_kpi_table(kpis)
        table.check({metric}, why="calibration")
        sales = table.columns[metric]
    try:
        cal = calibrate(pay_range[0], pay_range[1], base, sales, incentives=incentives,
                        benefits=benefits, kpi_factor=kpi_factor, n_tiers=n_tiers,
                        low_q=quantiles[0], high_q=quantiles[1], sales_mean=sales_mean,
                        sales_cv=sales_cv, metric=metric)
    except CalibrationError as exc:
        raise InputError.single("calibrate", str(exc)) from None
    text = cal.fragment()
    if output:
        write_atomic(output, text)
    echo(text, nl=False)
    if cal.rate_high < cal.rate_low:
        echo("warning: the highest-pay rate is below the lowest-pay rate: tiers fall "
             "as sales rise (widen the pay range or check the sales)", err=True)
