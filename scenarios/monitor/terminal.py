"""What ``peakdesk monitor`` prints: the team's latest day, the flags, the ranking's
reliability and the files written (rich; plain text when not a terminal)."""

from __future__ import annotations

from typing import Any

from rules.monitor import STATUSES
from scenarios.monitor.run import MonitorOutcome
from scenarios.monitor.tables import agent_name, day, evidence, rate_text, sorted_flags

MAX_FLAGS_SHOWN = 30        # the terminal is the morning's summary; the files have all


def print_monitor(con: Any, outcome: MonitorOutcome) -> None:
    from rich.table import Table

    res = outcome.result
    dates = res.inputs.dates
    last = len(dates) - 1
    t = Table(title=f"team on {day(dates[last])} ({len(res.inputs.agents)} agents, "
                    f"{day(dates[0])} to {day(dates[last])})")
    for col in ("metric", "section", "value", "own baseline", "status"):
        t.add_column(col, justify="left" if col in ("metric", "section", "status") else "right")
    r = res.team_row
    for name, m in res.metrics.items():
        ch = m.chart
        t.add_row(name, ch.series.section, rate_text(ch.series.model, float(ch.value[r, last])),
                  rate_text(ch.series.model, float(ch.baseline[r])),
                  STATUSES[int(m.status[r, last])].replace("_", " "))
    con.print(t)
    flags = sorted_flags(res)
    if flags:
        ft = Table(title=f"{len(flags)} flag(s) standing on {day(dates[last])}")
        for col in ("agent", "metric", "flag", "since", "evidence"):
            ft.add_column(col, overflow="fold")
        for f in flags[:MAX_FLAGS_SHOWN]:
            kind = f.kind.replace("_", " ") + (" (new today)" if f.signalled == last else "")
            ft.add_row(agent_name(res, f.row) or "team", f.metric, kind,
                       day(dates[f.since]), evidence(res, f, "en"))
        con.print(ft)
        if len(flags) > MAX_FLAGS_SHOWN:
            con.print(f"... {len(flags) - MAX_FLAGS_SHOWN} more flag(s): all of them in "
                      f"monitor.html and flags.csv (--out) or --json")
    else:
        con.print("no flag stands: every movement is within what the counts explain")
    for name, m in res.metrics.items():
        if m.chart.series.section != "core" or not m.ranking.agents:
            continue
        rk = m.ranking
        naive = [res.inputs.agents[i] for i in range(len(res.inputs.agents)) if m.naive[i]]
        con.print(f"ranking on {name} ({day(dates[res.rank_from])} to {day(dates[last])}): "
                  f"{rk.separable_pairs} of {rk.pairs} neighbouring ranks separable at "
                  f"{rk.level:.0%}; the bottom band truly belongs there with probability "
                  f"{rk.bottom_reliability:.0%} (pure noise {rk.bottom_share:.0%})")
        con.print(f"the usual rule (last {len(dates) - res.rank_from} periods below 90% of the "
                  f"team median) would flag on {name}: {', '.join(naive) or 'nobody'}")
    if outcome.update:
        con.print(f"state: {outcome.update}")
    for f in outcome.written:
        con.print(f"wrote {f}")
