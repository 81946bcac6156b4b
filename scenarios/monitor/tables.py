"""The monitoring result as the ``--json`` document and as tables (CSV files and sheets).

JSON: ``{"team": [{"date", "metric", "value", "status"}], "flags": [{"agent_id" (null for
the team), "metric", "kind", "since", "evidence"}]}`` — team rows for every date and
metric, flags standing at the last date.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from rules.monitor import STATUSES, Flag, MonitorResult
from scenarios.monitor.i18n import periods, t
from scenarios.run.stage import Table
from scenarios.words.i18n import Lang


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


DAY_COLUMNS = ["date", "agent_id", "metric", "successes", "trials", "value", "lcl", "ucl",
               "cusum_decline", "cusum_improvement", "status"]
ROLLUP_COLUMNS = ["agent_id", "metric", "section", "successes", "trials", "value", "status"]


@dataclass(frozen=True)
class Blocks:
    """A table whose rows come in blocks, one per period (date, week or month) in order:
    ``rows[bounds[k]:bounds[k + 1]]`` are period ``first + k``'s. A daily update rewrites
    a CSV from its first changed period on and keeps the bytes before it."""

    name: str
    columns: list[str]
    rows: list[tuple[Any, ...]]
    bounds: np.ndarray
    first: int


def _ordered(parts: list[tuple[np.ndarray, np.ndarray]], periods: range
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(period, metric, row) of the kept cells of every metric, period-major; and the
    block bounds."""
    t = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, int)
    r = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, int)
    m = np.concatenate([np.full(len(p[0]), k) for k, p in enumerate(parts)]) if parts \
        else np.zeros(0, int)
    order = np.lexsort((r, m, t))
    t, r, m = t[order], r[order], m[order]
    bounds = np.searchsorted(t, np.arange(periods.start, periods.stop + 1))
    return t, m, r, bounds


def day_blocks(res: MonitorResult, periods: range | None = None, team_only: bool = False
               ) -> Blocks:
    """Every cell: date × metric × row (agents, then the team), with the charts behind
    its status; date-major, so a new day's rows go at the end. Built with numpy: a year of
    a thousand agents is a million rows."""
    periods = periods if periods is not None else range(len(res.inputs.dates))
    names = np.array(_row_names(res), dtype=object)
    dates = np.datetime_as_string(res.inputs.dates).astype(object)
    codes = np.array(STATUSES, dtype=object)
    metrics = list(res.metrics.values())
    parts = []
    for m in metrics:
        ch = m.chart
        cols = np.arange(periods.start, periods.stop)
        keep = cols[None, :] >= ch.first[:, None]
        if team_only:
            keep[:-1] = False
        r_idx, j = np.nonzero(keep)
        parts.append((cols[j], r_idx))
    t, mk, r, bounds = _ordered(parts, periods)
    cols = {}
    for k, m in enumerate(metrics):
        ch = m.chart
        sel = mk == k
        tt, rr = t[sel], r[sel]
        cols[k] = (sel, [ch.x[rr, tt], ch.n[rr, tt], ch.value[rr, tt], ch.lcl[rr, tt],
                         ch.ucl[rr, tt], ch.worse.value[rr, tt], ch.better.value[rr, tt]],
                   codes[m.status[rr, tt]])
    columns: list[list[Any]] = [dates[t].tolist(), names[r].tolist(),
                                np.array([m.chart.series.name for m in metrics],
                                         dtype=object)[mk].tolist()]
    for f in range(7):
        a = np.empty(len(t))
        for k in cols:
            a[cols[k][0]] = cols[k][1][f]
        columns.append(a.tolist() if f < 2 else _cells(a))
    status = np.empty(len(t), dtype=object)
    for k in cols:
        status[cols[k][0]] = cols[k][2]
    columns.append(status.tolist())
    return Blocks("days", DAY_COLUMNS, list(zip(*columns, strict=True)), bounds,
                  periods.start)


def rollup_blocks(res: MonitorResult, level: str, groups: range | None = None,
                  team_only: bool = False) -> Blocks:
    """Week or month cells, period-major (team rows always, agents with trials)."""
    names = np.array(_row_names(res), dtype=object)
    codes = np.array(STATUSES, dtype=object)
    metrics = [m for m in res.metrics.values() if level in m.rollups]
    starts = metrics[0].rollups[level].starts if metrics else np.zeros(0, "datetime64[D]")
    groups = groups if groups is not None else range(len(starts))
    parts = []
    for m in metrics:
        ro = m.rollups[level]
        g = np.arange(groups.start, groups.stop)
        keep = ro.n[:, g] > 0
        keep[res.team_row] = True
        if team_only:
            keep[:-1] = False
        r_idx, j = np.nonzero(keep)
        parts.append((g[j], r_idx))
    t, mk, r, bounds = _ordered(parts, groups)
    label = np.datetime_as_string(starts).astype(object)
    out_x, out_n = np.empty(len(t)), np.empty(len(t))
    status = np.empty(len(t), dtype=object)
    metric, section = np.empty(len(t), dtype=object), np.empty(len(t), dtype=object)
    for k, m in enumerate(metrics):
        ro = m.rollups[level]
        sel = mk == k
        out_x[sel], out_n[sel] = ro.x[r[sel], t[sel]], ro.n[r[sel], t[sel]]
        status[sel] = codes[ro.status[r[sel], t[sel]]]
        metric[sel], section[sel] = m.chart.series.name, m.chart.series.section
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(out_n > 0, out_x / np.where(out_n > 0, out_n, 1.0), np.nan)
    columns = [label[t].tolist(), names[r].tolist(), metric.tolist(), section.tolist(),
               out_x.tolist(), out_n.tolist(), _cells(value), status.tolist()]
    return Blocks(f"{level}s", [level, *ROLLUP_COLUMNS],
                  list(zip(*columns, strict=True)), bounds, groups.start)


def block_texts(b: Blocks) -> list[str]:
    """The CSV text of each block (no header)."""
    out = []
    for k in range(len(b.bounds) - 1):
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(b.rows[b.bounds[k]:b.bounds[k + 1]])
        out.append(buf.getvalue())
    return out


def header_text(columns: list[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(columns)
    return buf.getvalue()


def day_table(res: MonitorResult, team_only: bool = False) -> Table:
    b = day_blocks(res, team_only=team_only)
    return Table("days", "days", b.columns, b.rows)


def rollup_table(res: MonitorResult, level: str, team_only: bool = False) -> Table:
    b = rollup_blocks(res, level, team_only=team_only)
    return Table(b.name, b.name, b.columns, b.rows)


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
        if rk is None:
            continue
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


def levels(res: MonitorResult) -> list[str]:
    return ["week", "month"] if res.inputs.settings.period == "day" else ["month"]


def episode_table(res: MonitorResult) -> Table:
    """Every shift episode of every row and metric, closed or standing, with its dated
    start: what the table's decline / improvement cells were about."""
    dates = res.inputs.dates
    rows = []
    for name, m in res.metrics.items():
        for side, kind in ((m.chart.worse, "decline"), (m.chart.better, "improvement")):
            for e in side.episodes:
                rows.append([_row_names(res)[e.chart], name, kind, day(dates[e.since]),
                             day(dates[e.since_low]), day(dates[e.since_high]),
                             day(dates[e.since_page]), day(dates[e.signalled]),
                             day(dates[e.until]), e.ongoing, e.by_cusum])
    rows.sort(key=lambda r: (r[7], r[1], r[0], r[2]))
    return Table("episodes", "episodes", ["agent_id", "metric", "kind", "since",
                                          "since_earliest", "since_latest",
                                          "since_last_zero", "signalled", "until",
                                          "standing", "by_cusum"], rows)


def small_tables(res: MonitorResult) -> list[Table]:
    """The tables rewritten whole every run: flags, episodes, ranking, charts."""
    return [flag_table(res), episode_table(res), ranking_table(res), chart_table(res)]


def all_tables(res: MonitorResult) -> list[Table]:
    return [day_table(res), *(rollup_table(res, lv) for lv in levels(res)),
            *small_tables(res)]
