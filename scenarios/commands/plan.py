"""``peakdesk plan``: the cost-optimal sourcing mix, checked by simulation (or Erlang A) and
tightened where the check finds service below target."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from scenarios.errors import CommandError, InputError

#: service-level shortfall the check ignores, per checker: simulation noise vs round-off
CHECK_TOLERANCE = {"sim": 0.03, "erlang": 1e-3}


def plan_scenario(scenario: str, *, time_limit: float | None = None, gap: float | None = None,
                  rounds: int | None = None, check: str = "sim", check_replications: int = 2,
                  check_tolerance: float | None = None) -> tuple[Any, dict, Any]:
    """Solve the mix, compare it with the single-source baselines, then check and tighten.

    Returns (scenario, the plan document for ``--json``, the mix comparison). ``rounds``
    defaults to the scenario's ``planning.validation_rounds``; ``check_tolerance`` to
    :data:`CHECK_TOLERANCE` of the checker.
    """
    from planning.iterate import erlang_validator, tighten
    from planning.mix import compare_mix
    from planning.solver import PlanError
    from scenarios.load import load_scenario
    from scenarios.plan_output import plan_json
    from scenarios.planning_checks import plan_ready_problems
    from scenarios.to_mix import (
        demand_cases,
        mean_case,
        mix_inputs,
        requirement_cases,
        solver_options,
    )
    from scenarios.to_staffing import scenario_staffing
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
                from scenarios.plan_check import sim_validator

                validator = sim_validator(sc, rates, check_replications, sc.simulation.seed)
            else:
                validator = erlang_validator([r for _, _, r in rates], cases, specs,
                                             sc.staffing.shrinkage)
            tol = check_tolerance if check_tolerance is not None else CHECK_TOLERANCE[check]
            validated = tighten(inp, opts, validator, targets, rounds=n_rounds,
                                tolerance=tol, first=cmp.plan)
    except PlanError as exc:
        raise CommandError(str(exc)) from None
    doc = plan_json(sc, cmp, validated)
    doc["solver"] = {"time_limit_s": opts.time_limit_s, "mip_gap": opts.mip_gap,
                     "threads": opts.threads}
    if validated is not None:
        doc["validation"]["check"] = check
    return sc, doc, cmp


def write_plan(sc: Any, doc: dict, cmp: Any, *, json_path: str | None = None,
               out_dir: str | None = None) -> list:
    """The ``--json`` document and the ``--out`` folder (plan, scenarios, shifts, plot)."""
    from scenarios.output import write_json
    from scenarios.plan_output import write_plan_dir

    if json_path:
        write_json(json_path, doc)
    return write_plan_dir(out_dir, sc, cmp) if out_dir else []


def value_of_one_more_line(values: dict[str, float | None], currency: str, days: int) -> str:
    """The plan's value of one more agent as one sentence with units: the expected cost
    over the horizon that one more in-house headcount, or one more reserve agent (net of
    its retainer and training), would save (docs/planning.md)."""
    def amount(v: float | None) -> str:
        return "not computed" if v is None else f"{v:,.0f} {currency}"

    return (f"value of one more agent (expected cost saved over the {days}-day horizon): "
            f"in-house headcount {amount(values.get('in_house_agent'))}; reserve agent "
            f"{amount(values.get('reserve_agent'))}, net of its retainer and training")


def print_plan(con: Console, sc: Any, doc: dict, written: list) -> None:
    """The mix against the baselines, its cost split, the check's rounds, files written."""
    cur = doc["currency"]
    t = Table(title=f"{sc.name}: sourcing mix ({doc['status']}, gap {doc['gap']:.2%})")
    t.add_column("plan")
    t.add_column(f"cost {cur}", justify="right")
    t.add_column("exp. shortfall agent-h", justify="right")
    t.add_row("mix (this plan)", f"{doc['objective']:,.0f}",
              f"{doc['expected_shortfall_agent_hours']:,.1f}")
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
    con.print(f"reserve pool {doc['reserve_pool']} agents; hires {doc['hires']} agents")
    con.print(value_of_one_more_line(doc["value_of_one_more"], cur, sc.horizon.days))
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
