"""``peakdesk simulate``: replications of a scenario with 95% confidence intervals."""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from scenarios.commands import Echo
from scenarios.execution import execution
from scenarios.reading.errors import CommandError


@dataclass(frozen=True)
class Simulation:
    """A finished ``simulate``: the scenario, the model simulated and its replications."""

    scenario: Any
    model: Any
    result: Any
    replications: int
    seed: int
    workers: int
    wall_s: float
    # a mix plan (plan.csv + recourse.csv) judged by the plan check's rule: JSON-ready
    plan_check: dict | None = None


def simulate_scenario(scenario: str, *, plan: str | None = None,
                      replications: int | None = None, workers: int | None = None,
                      seed: int | None = None, contact_log: bool = False,
                      scheduler: str | None = None,
                      progress: Callable[[int, int], None] | None = None) -> Simulation:
    """Load the scenario (and a plan CSV), run the replications locally or on Dask.

    Demand scenarios are sampled per replication by their probabilities (one scenario:
    every replication uses it). ``progress(done, total)`` is called as replications end.
    """
    from scenarios.adapters.to_demand import demand_scenarios
    from scenarios.adapters.to_sim import sim_model
    from scenarios.reading.load import load_scenario
    from scenarios.reading.plan import is_mix_plan, staffing
    from sim.runner import Demand, run_replications, sample_demands

    sc = load_scenario(scenario)
    if plan is not None and is_mix_plan(plan):
        return simulate_mix_plan(sc, plan, replications=replications, workers=workers,
                                 seed=seed, progress=progress)
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
    t0 = time.perf_counter()
    with execution(scheduler):
        result = run_replications(model, demand, reps, seed, workers=workers,
                                  progress=(lambda k: progress(k, reps)) if progress else None)
    return Simulation(sc, model, result, reps, seed, workers, time.perf_counter() - t0)


def simulate_mix_plan(sc: Any, plan: str, *, replications: int | None = None,
                      workers: int | None = None, seed: int | None = None,
                      progress: Callable[[int, int], None] | None = None) -> Simulation:
    """A plan written by ``peakdesk plan --out`` or ``run`` (plan.csv, recourse.csv), run as
    the plan check runs it: demand scenario s with its first stage plus its own recourse,
    as scheduled agents (shrinkage applied), replication i = scenario i mod S on stream i
    of ``seed``; judged by the check's rule (every target, per ``targets_over`` period)."""
    from planning.iterate import assess
    from scenarios.adapters.plan_check import check_scenario, observed, warmup_intervals
    from scenarios.adapters.to_demand import handle_time_factors
    from scenarios.adapters.to_mix import demand_cases
    from scenarios.adapters.to_sim import sim_model
    from scenarios.checked_mix import CHECK_Z, check_spec
    from scenarios.reading.plan import read_mix_plan, read_roster_duty
    from sim.runner import Demand, run_replications

    cases = demand_cases(sc)
    names = [name for name, _, _ in cases]
    _, per = read_mix_plan(plan, sc, names)
    if per is None:
        raise CommandError(f"{plan}: a mix plan needs its recourse.csv beside it (written "
                           "with plan.csv by `peakdesk plan --out` and `peakdesk run`) to be "
                           "simulated as the plan check ran it")
    chk = check_scenario(sc)
    htf = handle_time_factors(chk)
    duty = read_roster_duty(plan, sc)  # the people the check ran, from roster.csv
    duties = {"in_house": duty} if duty is not None else {}
    models = [sim_model(chk, st, duties) for st in per]
    demands = [Demand(rates, handle_time_factor=htf, name=name) for name, _, rates in cases]
    units = len(cases)
    reps = replications or sc.simulation.replications
    seed = sc.simulation.seed if seed is None else seed
    workers = workers or min(os.cpu_count() or 1, reps)
    t0 = time.perf_counter()
    result = run_replications([models[i % units] for i in range(reps)],
                              [demands[i % units] for i in range(reps)], reps, seed,
                              workers=workers,
                              progress=(lambda k: progress(k, reps)) if progress else None)
    wall = time.perf_counter() - t0
    verdict = None
    if reps >= units:
        spec = check_spec(sc, CHECK_Z["sim"])
        probs = [p for _, p, _ in cases]
        a = assess(observed(result.outputs, units, warmup_intervals(chk)), spec, probs)
        verdict = {"scenarios_held": int(a.holds.sum()), "scenarios": units,
                   "share_held": round(a.share, 6), "share_asked": spec.share,
                   "holds": bool(a.share >= spec.share - 1e-9),
                   "targets_over": sc.planning.targets_over,
                   "replications_per_scenario": a.replications}
    return Simulation(sc, models[0], result, reps, seed, workers, wall, verdict)


def write_simulation(sim: Simulation, *, json_path: str | None = None,
                     out_dir: str | None = None) -> None:
    """The ``--json`` summary and the ``--out`` CSV tables, each written atomically."""
    from scenarios.writing.output import write_csv, write_json
    from sim.tables import (
        agent_rows,
        bot_session_rows,
        bot_summary_rows,
        contact_rows,
        interval_rows,
        summary_json,
        summary_rows,
    )

    result, model, start = sim.result, sim.model, sim.scenario.horizon.start
    if json_path:
        demands = [{"replication": o.replication, "scenario": o.demand_name,
                    "multiplier": o.multiplier} for o in result.outputs]
        extra = {"scenario": sim.scenario.name, "workers": sim.workers, "demand": demands}
        if sim.plan_check is not None:
            extra["plan_check"] = sim.plan_check
        write_json(json_path, summary_json(result, sim.wall_s, extra))
    if out_dir:
        d = Path(out_dir)
        write_csv(d / "summary.csv", *summary_rows(result))
        write_csv(d / "intervals.csv", *interval_rows(result, model, start))
        write_csv(d / "agents.csv", *agent_rows(result.outputs[:1], model, start, False))
        write_csv(d / "agents_all.csv", *agent_rows(result.outputs, model, start, True))
        if model.contact_log:
            write_csv(d / "contacts.csv", *contact_rows(result.outputs[0], model))
            if model.bot is not None:
                write_csv(d / "bot_sessions.csv", *bot_session_rows(result.outputs[0], model))
        if model.bot is not None:
            write_csv(d / "bot.csv", *bot_summary_rows(result))


SHOWN = ["offered", "answered", "abandoned", "abandon_rate", "service_level", "asa_s",
         "aht_s", "occupancy", "queue_length", "fcr", "repeat_contacts", "retrials",
         "complaints"]
FORMAT = {"offered": "{:,.0f}", "answered": "{:,.0f}", "abandoned": "{:,.0f}",
          "asa_s": "{:.1f}", "aht_s": "{:.0f}", "queue_length": "{:.1f}",
          "repeat_contacts": "{:,.0f}", "retrials": "{:,.0f}", "complaints": "{:,.0f}"}


def shown_value(metric: str, value: float) -> str:
    """A KPI value for the terminal with its unit (scenarios.words.labels): shares in %,
    times in seconds, counts with thousands separators."""
    from scenarios.words.labels import kpi_unit

    unit = kpi_unit(metric)
    if unit == "share":
        return f"{100 * value:.1f}%"
    if unit == "s":
        return f"{value:,.0f} s" if metric == "aht_s" else f"{value:,.1f} s"
    return FORMAT.get(metric, "{:,.1f}").format(value)


def print_simulation(console: Console, sim: Simulation, echo: Echo) -> None:
    """Per-channel means ± 95% CI half-widths, then the team's outbound calls."""
    from scenarios.words.labels import channel_label, kpi_label, pool_label

    sc = sim.scenario
    table = Table(title=f"{sc.name} — {sim.replications} replications, seed {sim.seed}, "
                        f"{sim.wall_s:.1f} s")
    table.add_column("metric")
    summary = sim.result.channel_summary()
    for ch in summary:
        table.add_column(channel_label(ch, "en"), justify="right")
    for m in SHOWN:
        cells = []
        for ch in summary:
            mean, lo, hi = summary[ch][m]
            cells.append("–" if mean != mean else
                         f"{shown_value(m, mean)} ± {shown_value(m, (hi - lo) / 2)}")
        table.add_row(kpi_label(m, "en"), *cells)
    console.print(table)
    print_bot(console, sim)
    team = sim.result.team_summary()
    echo(f"outbound calls: {team['outbound_calls'][0]:,.0f}   "
         f"(95% CI ± half-width shown; warm-up {sc.simulation.warmup_minutes:g} min)")
    pc = sim.plan_check
    if pc is not None:
        echo(f"the mix plan as the plan check runs it: every target met every "
             f"{pc['targets_over']} in {pc['scenarios_held']} of {pc['scenarios']} demand "
             f"scenarios ({pc['share_held']:.0%}; {pc['share_asked']:.0%} asked; "
             f"{pc['replications_per_scenario']} replication(s) per scenario, seed {sim.seed})")
    pools = [(k.removeprefix("overtime_hours_"), v[0]) for k, v in team.items()
             if k.startswith("overtime_hours_")]
    by_pool = ", ".join(f"{pool_label(p, 'en')} {h:,.1f}" for p, h in pools)
    echo(f"overtime past shift end (finishing the contact in hand): "
         f"{team['overtime_hours'][0]:,.1f} agent-hours" + (f" ({by_pool})" if pools else ""))


BOT_SHOWN = ["entered", "contained", "handed_off", "handed_off_customer", "handed_off_bot",
             "abandoned", "returned", "containment", "handoff_rate", "bot_abandon_rate",
             "return_rate_24h", "escalated_aht_s", "bot_orders", "bot_degraded"]
BOT_WORDS = {"entered": "entered the bot", "contained": "contained (solved by the bot)",
             "handed_off": "handed off to agents", "handed_off_customer": "  asked by customer",
             "handed_off_bot": "  triggered by the bot", "abandoned": "left the bot",
             "returned": "came back later", "containment": "containment",
             "handoff_rate": "hand-off rate", "bot_abandon_rate": "bot abandonment",
             "return_rate_24h": "contained, back within 24 h",
             "escalated_aht_s": "handle time of hand-offs (s)",
             "bot_orders": "orders placed in the bot",
             "bot_degraded": "replications with the bot degraded"}


def print_bot(console: Console, sim: Simulation) -> None:
    """The bot's own KPIs per channel with a bot (means ± 95% CI half-widths)."""
    from scenarios.words.labels import channel_label

    bots = sim.result.bot_summary()
    if not bots:
        return
    table = Table(title="the bot in front of the agents")
    table.add_column("bot")
    for ch in bots:
        table.add_column(channel_label(ch, "en"), justify="right")
    for m in BOT_SHOWN:
        cells = []
        for ch in bots:
            mean, lo, hi = bots[ch][m]
            if mean != mean:
                cells.append("–")
            elif m in ("containment", "handoff_rate", "bot_abandon_rate", "return_rate_24h",
                       "bot_degraded"):
                cells.append(f"{100 * mean:.1f}% ± {50 * (hi - lo):.1f}%")
            else:
                cells.append(f"{mean:,.0f} ± {(hi - lo) / 2:,.0f}")
        table.add_row(BOT_WORDS[m], *cells)
    console.print(table)
