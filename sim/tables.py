"""Result tables (header, rows) for CSV/JSON output; the CLI writes them with
``scenarios.writing.output``. Pure: no file I/O here."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from sim.model import SimModel
from sim.runner import ReplicationOutput, SimResult

# the docs/formats.md §5 minimum, then the rest in this order
JSON_FIRST = ("offered", "answered", "abandoned", "abandon_rate", "service_level", "asa_s",
              "occupancy")


def _num(x: float) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def summary_json(result: SimResult, wall_s: float, extra: dict[str, Any] | None = None
                 ) -> dict[str, Any]:
    """``{"channels": {NAME: {METRIC: {"mean", "ci95": [lo, hi]}}}, "team": ...,
    "replications", "seed", "wall_s"}`` (docs/formats.md §5); NaN → null."""
    def block(stats: dict[str, tuple[float, float, float]]) -> dict[str, Any]:
        order = [m for m in JSON_FIRST if m in stats] + [m for m in stats
                                                         if m not in JSON_FIRST]
        return {m: {"mean": _num(stats[m][0]), "ci95": [_num(stats[m][1]), _num(stats[m][2])]}
                for m in order}

    out: dict[str, Any] = {
        "channels": {ch: block(s) for ch, s in result.channel_summary().items()},
        "team": block(result.team_summary()),
        "replications": result.replications,
        "seed": result.seed,
        "wall_s": round(wall_s, 3),
    }
    bots = result.bot_summary()
    if bots:  # a bot in front of channels (docs/formats.md: simulate --json adds "bot")
        out["bot"] = {ch: block(s) for ch, s in bots.items()}
    out.update(extra or {})
    return out


def summary_rows(result: SimResult) -> tuple[list[str], list[list[Any]]]:
    rows = [[ch, m, *v] for ch, s in result.channel_summary().items() for m, v in s.items()]
    rows += [["team", m, *v] for m, v in result.team_summary().items()]
    return ["channel", "metric", "mean", "ci95_lo", "ci95_hi"], rows


def interval_rows(result: SimResult, model: SimModel, start: datetime
                  ) -> tuple[list[str], list[list[Any]]]:
    """Mean per interval × channel across replications."""
    means = result.interval_means()
    metrics = list(next(iter(means.values())))
    step = timedelta(seconds=model.interval_s)
    rows = []
    for ch, m in means.items():
        for i in range(model.n_intervals):
            rows.append([(start + i * step).isoformat(timespec="minutes"), i, ch]
                        + [_num(float(m[k][i])) for k in metrics])
    return ["timestamp", "interval", "channel", *metrics], rows


def agent_rows(outputs: list[ReplicationOutput], model: SimModel, start: datetime,
               with_replication: bool) -> tuple[list[str], Iterator[list[Any]]]:
    """KPI table (docs/formats.md §3): agent_id, pool, period, then catalogue metrics.
    The rows come one at a time (a 10x flagship's 20 replications make 350,000 rows of 48
    values: as a list of Python objects, about 600 MB)."""
    skip = {"agent", "pool_index", "day"}
    metrics = [k for k in (outputs[0].agents if outputs else {}) if k not in skip]
    head = ["agent_id", "pool", "period", *metrics]
    return ((["replication", *head] if with_replication else head),
            _agent_row_iter(outputs, model, start, with_replication, metrics))


def _agent_row_iter(outputs: list[ReplicationOutput], model: SimModel, start: datetime,
                    with_replication: bool, metrics: list[str]) -> Iterator[list[Any]]:
    pools = [p.name for p in model.pools]
    for o in outputs:
        a = o.agents
        for j in range(len(a["agent"])):
            p = int(a["pool_index"][j])
            aid = model.pools[p].agent_id(int(a["agent"][j]) - _first_agent(model, p))
            period = (start + timedelta(days=int(a["day"][j]))).date().isoformat()
            row = [aid, pools[p], period] + [_num(float(a[k][j])) for k in metrics]
            yield ([o.replication] if with_replication else []) + row


def _first_agent(model: SimModel, pool_index: int) -> int:
    """Index of a pool's first slot in the agent table (slots are numbered pool by pool)."""
    return int(sum(p.size for p in model.pools[:pool_index]))


def contact_rows(o: ReplicationOutput, model: SimModel) -> tuple[list[str], list[list[Any]]]:
    c = o.contacts
    if c is None:
        return [], []
    names = [ch.name for ch in model.channels]
    kinds = ["new", "retrial", "repeat"]
    rows = [[i, names[int(c.channel[i])], kinds[int(c.kind[i])], float(c.arrival_t[i]),
             _num(float(c.answer_t[i])), _num(float(c.abandon_t[i])), int(c.agent[i]),
             _num(float(c.talk_s[i])), _num(float(c.work_s[i])), _num(float(c.end_t[i])),
             bool(c.resolved[i]), int(c.sessions[i])] for i in range(len(c))]
    return ["contact", "channel", "kind", "arrival_s", "answer_s", "abandon_s", "agent",
            "talk_s", "work_s", "end_s", "resolved", "sessions"], rows


def bot_session_rows(o: ReplicationOutput, model: SimModel) -> tuple[list[str], list[list[Any]]]:
    """The bot's contact-level table (one row per bot session of one replication)."""
    from sim.bot import OUTCOMES

    s = o.bot_sessions
    if s is None or model.bot is None:
        return [], []
    names = [ch.name for ch in model.channels]
    rows = []
    for i in range(len(s)):
        ch = names[int(s.channel[i])]
        rows.append([i, ch, "first" if s.first[i] else "return", float(s.start_t[i]),
                     model.bot[ch].reasons[int(s.reason[i])], OUTCOMES[int(s.outcome[i])],
                     float(s.end_t[i]),
                     ("customer" if s.customer_requested[i] else "bot")
                     if OUTCOMES[int(s.outcome[i])] == "handed_off" else "",
                     bool(s.returned[i]), _num(float(s.return_t[i])),
                     _num(float(s.return_delay_s[i])), bool(s.ordered[i])])
    return ["session", "channel", "attempt", "start_s", "reason", "outcome", "end_s",
            "handoff_kind", "returned", "return_s", "return_delay_s", "ordered"], rows


def bot_summary_rows(result: SimResult) -> tuple[list[str], list[list[Any]]]:
    """The bot's KPIs per channel (mean and 95% CI across replications); the count
    columns carry the monitoring history's names (entered, contained, handed_off,
    abandoned, returned)."""
    rows = [[ch, m, *v] for ch, s in result.bot_summary().items() for m, v in s.items()]
    return ["channel", "metric", "mean", "ci95_lo", "ci95_hi"], rows
