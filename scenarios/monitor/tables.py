"""The monitoring result as the ``--json`` document and as tables (CSV files and sheets).

JSON: ``{"team": [{"date", "metric", "value", "status"}], "flags": [{"agent_id" (null for
the team), "metric", "kind", "since", "evidence"}]}`` — team rows for every date and
metric, flags standing at the last date.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from rules.monitor import STATUSES, Flag, MonitorResult
from scenarios.monitor.i18n import t
from scenarios.run.i18n import Lang
from scenarios.run.stage import Table


def _num(v: float) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)


def day(d: np.datetime64) -> str:
    return str(np.datetime64(d, "D"))


def rate_text(model: str, v: float) -> str:
    """A share as a percentage, a rate per unit of exposure with 3 significant digits."""
    if v != v:
        return "—"
    return f"{v:.1%}" if model == "binomial" else f"{v:.3g}"


def count_text(v: float) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"


def evidence(res: MonitorResult, f: Flag, lang: Lang) -> str:
    """The sentence behind a flag, in ``lang``."""
    series = res.metrics[f.metric].chart.series
    dates = res.inputs.dates
    unit = t(f"unit.{res.inputs.settings.period}", lang)
    if f.kind == "below_floor":
        return t("ev.floor", lang, x=count_text(f.x), n=count_text(f.n),
                 value=rate_text(series.model, f.x / f.n), floor=rate_text(series.model, f.floor),
                 window=min(res.inputs.settings.floor_window, len(dates)), unit=unit,
                 p=f"{f.statistic:.3g}")
    whose = t("whose.team" if f.row is None else "whose.agent", lang)
    params = dict(value=rate_text(series.model, f.x / f.n if f.n else math.nan),
                  x=count_text(f.x), n=count_text(f.n), since=day(dates[f.since]),
                  whose=whose, baseline=rate_text(series.model, f.baseline),
                  bx=count_text(f.baseline_x), bn=count_text(f.baseline_n),
                  signalled=day(dates[f.signalled]))
    if f.by_cusum:
        return t("ev.shift", lang, h=f"{f.threshold:.2f}", stat=f"{f.statistic:.2f}", **params)
    return t("ev.single", lang, **params)


def agent_name(res: MonitorResult, row: int | None) -> str | None:
    return None if row is None or row == res.team_row else res.inputs.agents[row]


def monitor_json(res: MonitorResult) -> dict[str, Any]:
    """The ``--json`` document (English evidence)."""
    team_rows = []
    r = res.team_row
    for i, d in enumerate(res.inputs.dates):
        for name, m in res.metrics.items():
            team_rows.append({"date": day(d), "metric": name,
                              "value": _num(float(m.chart.value[r, i])),
                              "status": STATUSES[int(m.status[r, i])]})
    flags = [{"agent_id": agent_name(res, f.row), "metric": f.metric, "kind": f.kind,
              "since": day(res.inputs.dates[f.since]), "evidence": evidence(res, f, "en")}
             for f in sorted_flags(res)]
    return {"team": team_rows, "flags": flags}


def sorted_flags(res: MonitorResult) -> list[Flag]:
    """Team first, then declines and floors before improvements, then by metric order."""
    order = {name: k for k, name in enumerate(res.metrics)}
    kind = {"below_floor": 0, "decline": 1, "improvement": 2}
    return sorted(res.flags, key=lambda f: (f.row is not None, kind[f.kind], order[f.metric],
                                            res.inputs.agents[f.row] if f.row is not None
                                            else ""))


def _row_names(res: MonitorResult) -> list[str]:
    return [*res.inputs.agents, "team"]


def day_table(res: MonitorResult) -> Table:
    """Every cell: row (agent or team) × date × metric, with the charts behind its status."""
    rows = []
    names = _row_names(res)
    for name, m in res.metrics.items():
        ch = m.chart
        value = ch.value
        for c, who in enumerate(names):
            for i, d in enumerate(res.inputs.dates):
                if i < ch.first[c]:
                    continue
                rows.append([day(d), who, name, ch.series.section, ch.x[c, i], ch.n[c, i],
                             _num(value[c, i]), _num(ch.baseline[c]),
                             _num(ch.lcl[c, i]), _num(ch.ucl[c, i]),
                             _num(ch.worse.path.value[c, i]), _num(ch.better.path.value[c, i]),
                             "baseline" if i < ch.start[c] else "monitored",
                             STATUSES[int(m.status[c, i])]])
    return Table("days", "days", ["date", "agent_id", "metric", "section", "successes",
                                  "trials", "value", "baseline", "lcl", "ucl", "cusum_decline",
                                  "cusum_improvement", "phase", "status"], rows)


def rollup_table(res: MonitorResult, level: str) -> Table:
    rows = []
    names = _row_names(res)
    for name, m in res.metrics.items():
        if level not in m.rollups:
            continue
        ro = m.rollups[level]
        for c, who in enumerate(names):
            for j, s in enumerate(ro.starts):
                if ro.n[c, j] <= 0 and c != res.team_row:
                    continue
                v = ro.x[c, j] / ro.n[c, j] if ro.n[c, j] > 0 else math.nan
                rows.append([day(s), who, name, m.chart.series.section, ro.x[c, j], ro.n[c, j],
                             _num(v), STATUSES[int(ro.status[c, j])]])
    return Table(f"{level}s", f"{level}s", [level, "agent_id", "metric", "section",
                                            "successes", "trials", "value", "status"], rows)


def flag_table(res: MonitorResult) -> Table:
    rows = [[agent_name(res, f.row) or "team", f.metric, f.kind,
             day(res.inputs.dates[f.since]), day(res.inputs.dates[f.signalled]),
             evidence(res, f, "en")] for f in sorted_flags(res)]
    return Table("flags", "flags", ["agent_id", "metric", "kind", "since", "signalled",
                                    "evidence"], rows)


def ranking_table(res: MonitorResult) -> Table:
    rows = []
    for name, m in res.metrics.items():
        rk = m.ranking
        bottom = set(rk.bottom)
        for a in rk.agents:
            rows.append([name, a.rank, res.inputs.agents[a.index], a.value, a.successes,
                         a.trials, a.rank_lo, a.rank_hi, _num(a.above_next)
                         if a.above_next is not None else None,
                         None if a.separable is None else bool(a.separable),
                         a.index in bottom, bool(m.naive[a.index])])
    return Table("ranking", "ranking", ["metric", "rank", "agent_id", "value", "successes",
                                        "trials", "rank_lo", "rank_hi", "p_above_next",
                                        "separable_from_next", "bottom_band", "naive_flag"],
                 rows)


def chart_table(res: MonitorResult) -> Table:
    """Per row and metric: the baseline and the charts' design (what a flag rests on)."""
    rows = []
    names = _row_names(res)
    for name, m in res.metrics.items():
        ch = m.chart
        for c, who in enumerate(names):
            if ch.first[c] >= len(res.inputs.dates):
                continue
            start = day(res.inputs.dates[ch.start[c]]) if ch.start[c] < len(
                res.inputs.dates) else None
            rows.append([who, name, ch.series.model, ch.baseline_x[c], ch.baseline_n[c],
                         _num(ch.baseline[c]), _num(ch.design_trials[c]), start,
                         _num(ch.worse.h[c]), _num(ch.better.h[c]), _num(ch.dispersion[c])])
    return Table("charts", "charts", ["agent_id", "metric", "model", "baseline_successes",
                                      "baseline_trials", "baseline", "trials_per_period",
                                      "monitored_from", "threshold_decline",
                                      "threshold_improvement", "dispersion"], rows)


def all_tables(res: MonitorResult) -> list[Table]:
    levels = ["week", "month"] if res.inputs.settings.period == "day" else ["month"]
    return [day_table(res), *(rollup_table(res, lv) for lv in levels), flag_table(res),
            ranking_table(res), chart_table(res)]
