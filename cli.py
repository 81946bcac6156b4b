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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


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
    from scenarios.demand import arrival_rates
    from scenarios.requirements_table import requirements_rows, requirements_summary
    from scenarios.staffing import scenario_staffing

    sc = load_scenario(scenario)
    specs = scenario_staffing(sc)
    rates = arrival_rates(sc)
    reqs = channel_requirements({k: rates[k] for k in specs}, specs, sc.staffing.shrinkage)
    header, rows = requirements_rows(sc, specs, rates, reqs)
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
def plan_cmd(scenario: str, json_path: str | None, out_dir: str | None,
             time_limit: float | None, gap: float | None, rounds: int | None) -> None:
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
            check = erlang_validator([r for _, _, r in rates], cases, specs,
                                     sc.staffing.shrinkage)
            validated = tighten(inp, opts, check, targets, rounds=n_rounds, first=cmp.plan)
    except PlanError as exc:
        raise click.ClickException(str(exc)) from None
    from scenarios.plan_output import plan_json, write_plan_dir

    doc = plan_json(sc, cmp, validated)
    doc["solver"] = {"time_limit_s": opts.time_limit_s, "mip_gap": opts.mip_gap,
                     "threads": opts.threads}
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
