"""``peakdesk erlang`` (one case around its requirement, or a CSV batch) and
``peakdesk requirements`` (agents per interval × channel for a scenario)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from scenarios.commands import Echo


def erlang_table(console: Console, *, rate: float, aht: float, patience: float | None,
                 target: tuple[float, float] | None, max_abandon: float | None,
                 max_asa: float | None, max_occupancy: float | None, concurrency: int,
                 slowdown: float, rows: int) -> None:
    """Service level, ASA, abandonment, occupancy and P(wait) for agent counts either side
    of the requirement (or of the load when no target is given)."""
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
    console.print(table)
    if req is not None:
        console.print(f"required: {int(req.agents[0])} agents (fractional "
                      f"{req.fractional[0]:.2f}); binding: {req.binding[0]}")


def _fmt_s(v: float) -> str:
    return "∞" if math.isinf(v) else ("—" if math.isnan(v) else f"{v:.1f}")


def erlang_batch(input_csv: str, output_csv: str, echo: Echo) -> None:
    """The batch form: metrics per row, plus required_agents where a target is given."""
    from planning.requirements import Targets, queue_metrics, required_servers
    from scenarios.reading.erlang_cases import read_erlang_cases
    from scenarios.writing.output import write_csv

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
    echo(f"wrote {len(out_rows)} rows to {output_csv}")


def scenario_requirements(scenario: str, console: Console, *, csv_path: str | None = None,
                          json_path: str | None = None, all_intervals: bool = False) -> None:
    """Required agents per interval × channel with the binding constraint; table, CSV, JSON."""
    from planning.channel import channel_requirements
    from scenarios.adapters.blending import blended
    from scenarios.adapters.to_bot import agents_rates
    from scenarios.adapters.to_demand import arrival_rates, interval_aht
    from scenarios.adapters.to_staffing import requirement_options, scenario_staffing
    from scenarios.reading.load import load_scenario
    from scenarios.writing.output import write_csv, write_json
    from scenarios.writing.requirements_table import requirements_rows, requirements_summary

    sc = load_scenario(scenario, for_staffing=True)
    specs = scenario_staffing(sc)
    rates, aht = agents_rates(sc, arrival_rates(sc), interval_aht(sc))  # a bot in front
    reqs = channel_requirements({k: rates[k] for k in specs}, specs, sc.staffing.shrinkage,
                                aht_by_interval=aht, **requirement_options(sc))
    header, rows = requirements_rows(sc, specs, rates, aht, reqs)
    summary = requirements_summary(sc, specs, rates, reqs)
    if csv_path:
        write_csv(csv_path, header, rows)
    if json_path:
        pooled = [{"channels": list(b.channels),
                   "peak_required": int(b.agents.max(initial=0)),
                   "agent_hours_scheduled": float(b.scheduled_fractional.sum()
                                                  * sc.horizon.interval_minutes / 60.0)}
                  for b in blended(sc, specs, reqs, aht) if len(b.channels) > 1]
        write_json(json_path, {"scenario": sc.name, "shrinkage": sc.staffing.shrinkage,
                               "method": sc.staffing.method, "channels": summary,
                               "pooled": pooled,
                               "intervals": [dict(zip(header, r, strict=True)) for r in rows]})
    _print_requirements(console, sc, specs, rates, reqs, summary, all_intervals)


def _print_requirements(con: Console, sc: Any, specs: Any, rates: Any, reqs: Any,
                        summary: Any, all_intervals: bool) -> None:
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
    from datetime import datetime

    from scenarios.words.i18n import channel_label, when
    from scenarios.words.labels import model_label

    for ch, s in summary.items():
        peak = when(datetime.fromisoformat(s["peak_interval"]), "en", sc.horizon.days > 1)
        con.print(f"{channel_label(ch, 'en')} ({model_label(s['model'], 'en')}): peak "
                  f"{s['peak_required']} required / {s['peak_scheduled']} scheduled at {peak}; "
                  f"{s['agent_hours_required']:.1f} agent-hours required, "
                  f"{s['agent_hours_scheduled']:.1f} scheduled")
        if s["redials"] or s["repeats"]:
            con.print(f"  load staffed for: {s['contacts']:,.0f} first attempts + "
                      f"{s['redials']:,.0f} redials + {s['repeats']:,.0f} repeat contacts "
                      f"(fixed point, {s['fixed_point_iterations']} iterations)")
