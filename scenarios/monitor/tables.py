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
from scenarios.monitor.i18n import periods, t
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
    period = res.inputs.settings.period
    if f.kind == "below_floor":
        return t("ev.floor", lang, x=count_text(f.x), n=count_text(f.n),
                 value=rate_text(series.model, f.x / f.n), floor=rate_text(series.model, f.floor),
                 window=periods(min(res.inputs.settings.floor_window, len(dates)), period, lang),
                 p=f"{f.statistic:.3g}")
    whose = t("whose.team" if f.row is None else "whose.agent", lang)
    when = (t("ev.when_day", lang) if f.since_low == f.since_high else
            t("ev.when_range", lang, low=day(dates[f.since_low]), high=day(dates[f.since_high])))
    params = dict(value=rate_text(series.model, f.x / f.n if f.n else math.nan),
                  x=count_text(f.x), n=count_text(f.n), since=day(dates[f.since]), when=when,
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


def _cells(a: np.ndarray) -> list[Any]:
    """Values for a table column: floats, "" for NaN (an empty cell)."""
    a = np.asarray(a, dtype=float)
    return np.where(np.isnan(a), "", a.astype(object)).tolist()


def day_table(res: MonitorResult) -> Table:
    """Every cell: row (agent or team) × date × metric, with the charts behind its status
    (columns built with numpy: a year of a thousand agents is a million rows)."""
    names = np.array(_row_names(res), dtype=object)
    dates = np.datetime_as_string(res.inputs.dates).astype(object)
    codes = np.array(STATUSES, dtype=object)
    parts: list[list[list[Any]]] = []
    for name, m in res.metrics.items():
        ch = m.chart
        rows, periods = ch.x.shape
        t = np.arange(periods)[None, :]
        keep = t >= ch.first[:, None]
        r_idx, t_idx = np.nonzero(keep)
        parts.append([
            dates[t_idx].tolist(), names[r_idx].tolist(), [name] * len(r_idx),
            ch.x[keep].tolist(), ch.n[keep].tolist(), _cells(ch.value[keep]),
            _cells(ch.lcl[keep]), _cells(ch.ucl[keep]), _cells(ch.worse.value[keep]),
            _cells(ch.better.value[keep]), codes[m.status[keep]].tolist()])
    columns = [sum((p[k] for p in parts), []) for k in range(11)]
    # baseline, threshold and the first monitored date of each row: charts.csv
    return Table("days", "days", ["date", "agent_id", "metric", "successes", "trials", "value",
                                  "lcl", "ucl", "cusum_decline", "cusum_improvement",
                                  "status"], list(zip(*columns, strict=True)))


def rollup_table(res: MonitorResult, level: str) -> Table:
    names = np.array(_row_names(res), dtype=object)
    codes = np.array(STATUSES, dtype=object)
    parts: list[list[list[Any]]] = []
    for name, m in res.metrics.items():
        if level not in m.rollups:
            continue
        ro = m.rollups[level]
        keep = ro.n > 0
        keep[res.team_row] = True
        r_idx, j_idx = np.nonzero(keep)
        with np.errstate(invalid="ignore", divide="ignore"):
            value = np.where(ro.n > 0, ro.x / np.where(ro.n > 0, ro.n, 1.0), np.nan)
        starts = np.datetime_as_string(ro.starts).astype(object)
        parts.append([starts[j_idx].tolist(), names[r_idx].tolist(), [name] * len(r_idx),
                      [m.chart.series.section] * len(r_idx), ro.x[keep].tolist(),
                      ro.n[keep].tolist(), _cells(value[keep]), codes[ro.status[keep]].tolist()])
    columns = [sum((p[k] for p in parts), []) for k in range(8)]
    return Table(f"{level}s", f"{level}s", [level, "agent_id", "metric", "section",
                                            "successes", "trials", "value", "status"],
                 list(zip(*columns, strict=True)))


def flag_table(res: MonitorResult) -> Table:
    dates = res.inputs.dates

    def when(i: int) -> str | None:
        return day(dates[i]) if i >= 0 else None

    rows = [[agent_name(res, f.row) or "team", f.metric, f.kind, day(dates[f.since]),
             when(f.since_low), when(f.since_high), when(f.since_page),
             day(dates[f.signalled]), evidence(res, f, "en")] for f in sorted_flags(res)]
    return Table("flags", "flags", ["agent_id", "metric", "kind", "since", "since_earliest",
                                    "since_latest", "since_last_zero", "signalled",
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
