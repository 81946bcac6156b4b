"""Pay results as plain data: the ``--json`` document (docs/formats.md §5), CSV rows, display rows."""

from __future__ import annotations

from typing import Any

from rules.pay import PayResult

JSON_FIELDS = ("score", "performance_pay", "ranking_pay", "commission", "event_pay",
               "variable_pay", "total_pay")


def pay_json(r: PayResult) -> dict[str, Any]:
    """``{"agents": [{"agent_id", "score", ..., "total_pay"}], "warnings": [..]}``."""
    cols = [getattr(r, f) for f in JSON_FIELDS]
    agents = []
    for i, aid in enumerate(r.agent_id.tolist()):
        row: dict[str, Any] = {"agent_id": aid}
        for f, c in zip(JSON_FIELDS, cols, strict=True):
            row[f] = float(c[i])
        agents.append(row)
    return {"agents": agents, "warnings": list(r.warnings)}


def pay_csv_rows(r: PayResult) -> tuple[list[str], list[list[Any]]]:
    """Per-agent CSV: ids, item scores, score, rank, every pay component."""
    items = list(r.item_scores)
    header = ["agent_id", "pool", *[f"item:{n}" for n in items], "score", "rank", "base_pay",
              "performance_pay", "ranking_pay", "commission", "event_pay", "variable_pay",
              "total_pay"]
    rows = []
    for i in range(len(r)):
        rows.append([str(r.agent_id[i]), str(r.pool[i]),
                     *[float(r.item_scores[n][i]) for n in items], float(r.score[i]),
                     int(r.rank[i]) if r.rank is not None else "",
                     float(r.base_pay[i]), float(r.performance_pay[i]), float(r.ranking_pay[i]),
                     float(r.commission[i]), float(r.event_pay[i]), float(r.variable_pay[i]),
                     float(r.total_pay[i])])
    return header, rows


DISPLAY_COLUMNS = ("agent", "pool", "score", "rank", "performance", "ranking", "commission",
                   "events", "variable", "total")


def display_rows(r: PayResult) -> list[list[str]]:
    """Rows of formatted text for a terminal table, in DISPLAY_COLUMNS order."""
    rows = []
    for i in range(len(r)):
        rows.append([str(r.agent_id[i]), str(r.pool[i]), f"{r.score[i]:.3f}",
                     str(int(r.rank[i])) if r.rank is not None else "",
                     *[f"{float(v[i]):,.2f}" for v in (r.performance_pay, r.ranking_pay,
                                                       r.commission, r.event_pay,
                                                       r.variable_pay, r.total_pay)]])
    return rows


def totals_lines(r: PayResult) -> list[str]:
    """Totals of total pay: sum, mean, p10/p50/p90, share of variable pay."""
    t = r.totals()
    cur = r.policy.currency
    return [f"agents {t['agents']}   total pay {t['sum']:,.2f} {cur}   mean {t['mean']:,.2f}",
            f"p10 {t['p10']:,.2f}   p50 {t['p50']:,.2f}   p90 {t['p90']:,.2f}   "
            f"variable share {t['variable_share']:.1%}"]
