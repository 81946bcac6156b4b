"""``peakdesk plan``: the cost-optimal sourcing mix, checked by simulation (or Erlang A)
against every target and tightened where the check finds a miss; prints and writes the
checked plan."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from scenarios.reading.errors import CommandError, InputError


def plan_scenario(scenario: str, *, time_limit: float | None = None, gap: float | None = None,
                  rounds: int | None = None, check: str = "sim",
                  check_replications: int | None = None, check_z: float | None = None,
                  on_round: Any = None) -> tuple[Any, dict, Any]:
    """Solve the mix, check it and tighten it where a target misses (scenarios.checked_mix),
    compare the final plan with the single-source baselines.

    Returns (scenario, the plan document for ``--json``, the final comparison). ``rounds``
    defaults to the scenario's ``planning.validation_rounds``, ``check_replications`` to
    ``planning.check_replications``; ``check_z`` (noise allowance in standard errors) to
    the checker's (scenarios.checked_mix.CHECK_Z).
    """
    from planning.solver import PlanError
    from scenarios.adapters.to_mix import solver_options
    from scenarios.checked_mix import checked_mix
    from scenarios.reading.load import load_scenario
    from scenarios.reading.planning_checks import plan_ready_problems
    from scenarios.reading.yamlio import read_yaml
    from scenarios.writing.plan_output import plan_json

    sc = load_scenario(scenario)
    problems = plan_ready_problems(sc, read_yaml(scenario), scenario)
    if problems:
        raise InputError(problems)
    opts = solver_options(sc, time_limit, gap)
    try:
        mixed = checked_mix(sc, opts, rounds=rounds, check=check,
                            replications=check_replications, z=check_z, on_round=on_round)
    except PlanError as exc:
        raise CommandError(str(exc)) from None
    doc = plan_json(sc, mixed.comparison, mixed.checked, mixed.remedy, mixed.check,
                    mixed.probe, mixed)
    doc["solver"] = {"time_limit_s": opts.time_limit_s, "mip_gap": opts.mip_gap,
                     "threads": opts.threads}
    return sc, doc, mixed.comparison


def write_plan(sc: Any, doc: dict, cmp: Any, *, json_path: str | None = None,
               out_dir: str | None = None, scenario_path: str | None = None) -> list:
    """The ``--json`` document and the ``--out`` folder (plan, scenarios, shifts, plot; and,
    for ``peakdesk intraday``, recourse_orders.csv — the recourse orders per scenario — and plan.json —
    the document with the scenario file's path)."""
    from pathlib import Path

    from scenarios.writing.output import write_json
    from scenarios.writing.plan_output import write_plan_dir

    if json_path:
        write_json(json_path, doc)
    if not out_dir:
        return []
    written = write_plan_dir(out_dir, sc, cmp)
    from scenarios.intraday.recourse_table import write_recourse

    written.append(write_recourse(out_dir, cmp.plan, sc.horizon.interval_starts()))
    if scenario_path is not None:
        write_json(Path(out_dir) / "plan.json",
                   {**doc, "scenario_file": str(Path(scenario_path).absolute())})
        written.append(Path(out_dir) / "plan.json")
    return written


def value_of_one_more_line(values: dict[str, float | None], currency: str, days: int) -> str:
    """The plan's value of one more agent as one sentence with units: the expected cost
    over the horizon that one more in-house headcount, or one more reserve agent (net of
    its retainer and training), would save (docs/planning.md)."""
    def amount(v: float | None) -> str:
        return "not computed" if v is None else f"{v:,.0f} {currency}"

    return (f"value of one more agent (expected cost saved over the {days}-day horizon): "
            f"in-house headcount {amount(values.get('in_house_agent'))}; reserve agent "
            f"{amount(values.get('reserve_agent'))}, net of its retainer and training")


def words(key: str, **params: Any) -> str:
    """A label or sentence of the shared message table (scenarios.words), in English."""
    from scenarios.words.i18n import t

    return t(key, "en", **params)


def check_round_line(r: dict, val: dict, cur: str) -> str:
    """One check round in words and units: cost, scenarios held, the targets missed (KPI
    names, not keys), what the round changed and how much staffing it raised."""
    from scenarios.words.i18n import MESSAGES, kpi_name

    def kpi(key: str) -> str:  # the report's short name when it has one
        return words(f"mix.kpi.{key}") if f"mix.kpi.{key}" in MESSAGES else kpi_name(key, "en")

    missed = ", ".join(f"{kpi(k)} {v}" for k, v in r["missed_periods"].items() if v)
    changed = ", ".join(words(f"plan.change.{k}", value=f"{v:+,.1f}", currency=cur)
                        for k, v in r["changes"].items() if abs(v) > 0.05)
    period = words("sim.period." + val.get("targets_over", "day"))
    return (f"check round {r['round']}: cost {r['objective']:,.0f} {cur}, targets hold in "
            f"{r['scenarios_held']} of {val['scenarios']} demand scenarios "
            f"({r['share_held']:.0%} of the probability); "
            + words("plan.missed", period=period, missed=missed or "none")
            + (f"; changed: {changed}" if changed else "")
            + ("; " + words("plan.raised", n=f"{r['raised']:,}",
                            hours=f"{r['raised_agent_hours']:,.1f}") if r["raised"] else "")
            + ("; " + words("plan.lowered", n=f"{r['lowered']:,}",
                            hours=f"{r['lowered_agent_hours']:,.1f}")
               if r.get("lowered") else ""))


def print_plan(con: Console, sc: Any, doc: dict, written: list) -> None:
    """Whether the plan meets the targets, then the mix against the baselines, its cost
    split, the check's rounds, files written."""
    from rich.markup import escape

    from scenarios.words.labels import pool_label
    from scenarios.words.plan_check import check_verdict, english

    cur = doc["currency"]
    verdict = check_verdict(english(), doc)  # the same sentence as the run report's
    con.print(("[bold green]" if doc.get("meets_targets") else "[bold red]")
              + escape(verdict) + "[/]")
    t = Table(title=f"{sc.name}: sourcing mix ({doc['status']}, gap {doc['gap']:.2%})")
    t.add_column(words("mix.col.plan"))
    t.add_column(f"{words('mix.col.cost')}, {cur}", justify="right")
    t.add_column(words("mix.col.shortfall"), justify="right")
    t.add_row(words("mix.this_plan"), f"{doc['objective']:,.0f}",
              f"{doc['expected_shortfall_agent_hours']:,.1f}")
    for name, det in doc["baseline_details"].items():
        label = words(f"mix.baseline.{name}")
        if det is None:
            t.add_row(label, words("mix.no_plan"), "")
        else:
            t.add_row(label, f"{det['cost']['total']:,.0f}",
                      f"{det['expected_shortfall_agent_hours']:,.1f}")
    con.print(t)
    if doc["status"] == "time_limit":
        con.print(f"time limit reached ({doc['solver']['time_limit_s']:g} s): this is the best "
                  f"plan found, within {doc['gap']:.2%} of the optimum (target "
                  f"{doc['solver']['mip_gap']:.2%}); allow more time with --time-limit")
    c = doc["cost"]
    con.print(f"first stage {c['first_stage']:,.0f} {cur} + expected recourse "
              f"{c['expected_recourse']:,.0f} {cur} (shortfall penalty "
              f"{c['shortfall_penalty']:,.0f} {cur}); by pool: "
              + ", ".join(f"{pool_label(k, 'en')} {v:,.0f} {cur}"
                          for k, v in c["by_pool"].items()))
    mv = doc.get("mean_value_plan")
    if mv:
        con.print(f"planning for the mean demand instead: planned "
                  f"{mv['planned_cost']:,.0f} {cur}, expected {mv['expected_cost']:,.0f} "
                  f"{cur} under the demand scenarios → the plan for all scenarios saves "
                  f"{mv['value_of_stochastic_solution']:,.0f} {cur} in expectation")
    con.print(f"reserve pool {doc['reserve_pool']} agents; hires {doc['hires']} agents")
    con.print(value_of_one_more_line(doc["value_of_one_more"], cur, sc.horizon.days))
    val = doc.get("validation")
    if val:
        for r in val["rounds"]:
            con.print(check_round_line(r, val, cur))
        b = val["before_check"]
        kept = (words("plan.kept", round=val["kept_round"],
                      why=words(f"plan.stopped.{val.get('stopped', 'rounds')}"))
                if val.get("kept_round") is not None else "")
        con.print(f"before the check: cost {b['objective']:,.0f} {cur}, reserve pool "
                  f"{b['reserve_pool']} agents, hires {b['hires']} — the plan above and the "
                  f"files are the checked plan{kept}")
    con.print(f"build {doc['build_s']:.2f} s, HiGHS {doc['solve_s']:.2f} s")
    for f in written:
        con.print(f"wrote {f}")
