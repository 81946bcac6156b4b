"""``monitor.html``: the monitoring table as seed practice keeps it — core, auxiliary and
floor metrics side by side; day rows, week and month roll-ups — each cell coloured by its
status, the flags with their evidence, the agents' latest week and month, and the ranking
with how much of it the counts support. One self-contained page (inline CSS, no script,
no network), in English or Chinese; jinja2 with autoescape on.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from rules.monitor import STATUSES, MonitorResult
from scenarios.monitor.i18n import metric_label, periods, t
from scenarios.monitor.tables import agent_name, day, evidence, rate_text, sorted_flags
from scenarios.words.i18n import Lang

_TEMPLATES = Path(__file__).with_name("templates")


def _cell(res: MonitorResult, name: str, x: float, n: float, code: int, lang: Lang
          ) -> dict[str, str]:
    model = res.metrics[name].chart.series.model
    status = STATUSES[int(code)]
    text = rate_text(model, x / n) if n > 0 else "—"
    counts = f"{x:,.0f} / {n:,.0f}" if n > 0 else ""
    return {"text": text, "status": status, "title": f"{t('status.' + status, lang)} {counts}"}


def _grid(res: MonitorResult, rows: list[tuple[str, int]], get: Any, lang: Lang
          ) -> list[dict[str, Any]]:
    """Rows of cells: ``get(metric, col)`` → (x, n, status code) for each metric."""
    return [{"label": label, "cells": [_cell(res, name, *get(name, col), lang)
                                       for name in res.metrics]} for label, col in rows]


def _metric_headers(res: MonitorResult, lang: Lang, zh_names: dict[str, str | None]
                    ) -> tuple[list[dict[str, Any]], list[str]]:
    sections: list[dict[str, Any]] = []
    names = []
    for name, m in res.metrics.items():
        sec = m.chart.series.section
        if not sections or sections[-1]["key"] != sec:
            sections.append({"key": sec, "label": t(f"section.{sec}", lang), "span": 0})
        sections[-1]["span"] += 1
        names.append(metric_label(name, zh_names.get(name), lang))
    return sections, names


def _summary(res: MonitorResult, lang: Lang, labels: dict[str, str]) -> list[str]:
    s = res.inputs.settings
    last = len(res.inputs.dates) - 1
    out = []
    for name, m in res.metrics.items():
        if m.chart.series.section != "core":
            continue
        r = res.team_row
        status = STATUSES[int(m.status[r, last])]
        out.append(t("team_today", lang, metric=labels[name], date=day(res.inputs.dates[last]),
                     value=rate_text(m.chart.series.model, float(m.chart.value[r, last])),
                     status=t(f"status.{status}", lang)))
    agents = [f for f in res.flags if f.row is not None]
    if res.flags:
        out.append(t("n_flags", lang, **{k: len({f.row for f in agents if f.kind == k})
                                          for k in ("decline", "improvement")},
                     floor=len({f.row for f in agents if f.kind == "below_floor"})))
        last_day = len(res.inputs.dates) - 1
        new = [f"{agent_name(res, f.row) or t('team', lang)} {labels[f.metric]} "
               f"{t('kind.' + f.kind, lang)}" for f in sorted_flags(res)
               if f.signalled == last_day]
        if new:
            out.append(t("new_flags", lang, names=", ".join(new)))
    else:
        out.append(t("no_flags", lang))
    for name, m in res.metrics.items():
        if m.chart.series.section != "core":
            continue
        window = len(res.inputs.dates) - res.rank_from
        naive = [int(i) for i in np.flatnonzero(m.naive)]
        declining = {f.row for f in agents if f.metric == name and f.kind == "decline"}
        if not naive:
            out.append(t("naive_none", lang, window=periods(window, s.period, lang),
                         metric=labels[name]))
            continue
        names = [res.inputs.agents[i] for i in naive]
        caught = [i for i in naive if i in declining]
        out.append(t("naive", lang, window=periods(window, s.period, lang), n=len(naive),
                     metric=labels[name],
                     names=", ".join(names), steady=len(naive) - len(caught),
                     caught=len(caught)))
        missed = sorted(res.inputs.agents[i] for i in declining if i not in set(naive))
        if missed:
            out.append(t("naive_missed", lang, names=", ".join(missed)))
    return out


def render_monitor(res: MonitorResult, *, lang: Lang, title: str, history: str, spec: str,
                   version: str, zh_names: dict[str, str | None], files: list[str]) -> str:
    """The page's HTML text."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(loader=FileSystemLoader(_TEMPLATES),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined)
    s = res.inputs.settings
    dates = res.inputs.dates
    unit = t(f"unit.{s.period}", lang)
    labels = {n: metric_label(n, zh_names.get(n), lang) for n in res.metrics}
    sections, metric_names = _metric_headers(res, lang, zh_names)
    team = res.team_row

    def day_get(metric: str, i: int) -> tuple[float, float, int]:
        m = res.metrics[metric]
        return m.chart.x[team, i], m.chart.n[team, i], m.status[team, i]

    def roll_get(level: str, row: int) -> Any:
        def get(metric: str, j: int) -> tuple[float, float, int]:
            ro = res.metrics[metric].rollups[level]
            return ro.x[row, j], ro.n[row, j], ro.status[row, j]
        return get

    first = next(iter(res.metrics.values()))
    day_rows = [(day(d), i) for i, d in enumerate(dates)][::-1]
    rollups = []
    for level in first.rollups:
        starts = first.rollups[level].starts
        rows = [(day(d) if level == "week" else str(np.datetime64(d, "M")), j)
                for j, d in enumerate(starts)][::-1]
        rollups.append({"title": t(f"h.{level}", lang), "col": t(f"col.{level}", lang),
                        "rows": _grid(res, rows, roll_get(level, team), lang)})
    latest_level = "week" if s.period == "day" else "month"
    ro0 = first.rollups[latest_level]
    j = len(ro0.starts) - 1
    # the bot's metrics are the team's only: the agents' table leaves them out
    agent_metrics = [n for n, m in res.metrics.items() if m.chart.series.section != "bot"]
    agent_sections = [s for s in sections if s["key"] != "bot"]
    agent_metric_names = [metric_names[k] for k, n in enumerate(res.metrics)
                          if n in agent_metrics]
    agent_rows = []
    for a, aid in enumerate(res.inputs.agents):
        agent_rows.append({"label": aid, "cells": [
            _cell(res, n, *roll_get(latest_level, a)(n, j), lang) for n in agent_metrics]})
    flags = [{"agent": agent_name(res, f.row) or t("team", lang), "metric": labels[f.metric],
              "kind": t(f"kind.{f.kind}", lang), "kind_key": f.kind,
              "since": day(dates[f.since]), "evidence": evidence(res, f, lang)}
             for f in sorted_flags(res)]
    rankings = []
    for name, m in res.metrics.items():
        if m.chart.series.section != "core" or not m.ranking.agents:
            continue
        rk = m.ranking
        rows = [{"rank": a.rank, "agent": res.inputs.agents[a.index],
                 "value": rate_text(m.chart.series.model, a.value),
                 "counts": f"{a.successes:,.0f} / {a.trials:,.0f}",
                 "interval": f"{a.rank_lo}–{a.rank_hi}",
                 "above": "" if a.above_next is None else (
                     f"{t('yes', lang)} ({a.above_next:.0%})" if a.separable
                     else f"{t('maybe', lang)} ({a.above_next:.0%})"),
                 "bottom": a.index in set(rk.bottom)} for a in rk.agents]
        sentence = t("ranking", lang, pairs=rk.pairs, separable=rk.separable_pairs,
                     level=f"{rk.level:.0%}",
                     bottom=", ".join(res.inputs.agents[i] for i in rk.bottom),
                     reliability="—" if math.isnan(rk.bottom_reliability)
                     else f"{rk.bottom_reliability:.0%}", share=f"{rk.bottom_share:.0%}")
        rankings.append({"title": t("h.ranking", lang, metric=labels[name],
                                    first=day(dates[res.rank_from]), last=day(dates[-1])),
                         "sentence": sentence, "rows": rows})
    settings_text = t("settings", lang, baseline=periods(s.baseline_periods, s.period, lang),
                      unit=unit, rate=f"{s.false_alarm_rate:g}", shift=f"{s.shift:.0%}",
                      floor_window=periods(s.floor_window, s.period, lang),
                      confidence=f"{s.floor_confidence:.0%}",
                      judge=t(f"judge.{s.judge_agents}", lang))
    cols = {k: t(f"col.{k}", lang) for k in ("date", "agent", "metric", "kind", "since",
                                             "evidence", "rank", "value", "counts",
                                             "rank_interval", "above_next")}
    return env.get_template("monitor.html.j2").render(
        html_lang="zh-CN" if lang == "zh" else "en", version=version,
        title=t("title", lang, name=title),
        generated=t("generated", lang, history=history, spec=spec, version=version,
                    agents=len(res.inputs.agents), first=day(dates[0]), last=day(dates[-1])),
        settings=settings_text, summary=_summary(res, lang, labels),
        h={"summary": t("h.summary", lang), "flags": t("h.flags", lang, date=day(dates[-1])),
           "team": t("h.team", lang), "method": t("h.method", lang),
           "agents": t("h.agents" if latest_level == "week" else "h.agents_month", lang,
                       first=day(ro0.starts[j]), last=day(dates[-1]))},
        cols=cols, sections=sections, metric_names=metric_names,
        day_rows=_grid(res, day_rows, day_get, lang), rollups=rollups,
        agent_rows=agent_rows, agent_sections=agent_sections,
        agent_metric_names=agent_metric_names, flags=flags, rankings=rankings,
        legend=[{"status": st, "text": t(f"status.{st}", lang)} for st in STATUSES],
        method=t("method", lang), files=t("files", lang, files=", ".join(files)))
