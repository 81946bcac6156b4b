"""The terminal side of ``peakdesk sweep``: progress (points done, replications done,
time left) on stderr — a live bar on a terminal, one plain line per point when piped —
and the closing table."""

from __future__ import annotations

import sys
import time
from typing import Any

from scenarios.sweep.run import PointOutcome, SweepObserver, SweepOutcome

WORDS = {
    "points": {"en": "sweep: {n} points", "zh": "参数扫描：共 {n} 个点"},
    "reused": {"en": ", {n} already done (--resume)", "zh": "，其中 {n} 个已完成（--resume）"},
    "point": {"en": "point {done}/{total} {label}: {state} ({secs}; {reps}{left})",
              "zh": "点 {done}/{total} {label}：{state}（{secs}；{reps}{left}）"},
    "ok": {"en": "ok", "zh": "完成"},
    "failed": {"en": "FAILED: {error}", "zh": "失败：{error}"},
    "reps": {"en": "{n} replications so far; ", "zh": "已完成 {n} 次重复；"},
    "reps_bar": {"en": "{n} replications done", "zh": "已完成 {n} 次重复"},
    "left": {"en": "about {t} left", "zh": "约剩 {t}"},
    "done": {"en": "done", "zh": "全部完成"},
    "table": {"en": "sweep: {n} points, {s:.0f} s", "zh": "参数扫描：{n} 个点，{s:.0f} 秒"},
    "where": {"en": "Sweep table: {path} (and sweep.csv, sweep.xlsx, sweep.json)",
              "zh": "扫描结果表：{path}（另有 sweep.csv、sweep.xlsx、sweep.json）"},
    "point_failed": {"en": "failed: {label}: {error}", "zh": "失败：{label}：{error}"},
}


def w(key: str, lang: str, **kw: Any) -> str:
    """A terminal line in the sweep's language."""
    return WORDS[key]["zh" if lang == "zh" else "en"].format(**kw)


def _duration(s: float) -> str:
    s = max(0, int(round(s)))
    return f"{s // 3600} h {s % 3600 // 60:02d} min" if s >= 3600 else (
        f"{s // 60} min {s % 60:02d} s" if s >= 60 else f"{s} s")


class SweepProgress(SweepObserver):
    """Points done of the total, replications done, and time left from the mean time of
    the points run so far (reused points are not counted)."""

    def __init__(self, stream: Any = None, live: bool | None = None, lang: str = "en") -> None:
        self.lang = lang
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty() if live is None else live
        self.t0 = time.perf_counter()
        self.total = self.reused = self.run_done = self.replications = 0
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self) -> SweepProgress:
        if self.live:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self.bar = Progress(TextColumn("{task.description}"), BarColumn(),
                                MofNCompleteColumn(), TextColumn("{task.fields[info]}"),
                                console=Console(file=self.stream), transient=False)
            self.bar.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)

    def _left(self, done: int) -> str:
        runs = done - self.reused
        if runs <= 0:
            return ""
        per = (time.perf_counter() - self.t0) / runs
        return w("left", self.lang, t=_duration(per * (self.total - done)))

    def started(self, total: int, reused: int) -> None:
        self.total, self.reused, self.t0 = total, reused, time.perf_counter()
        msg = w("points", self.lang, n=total) + (w("reused", self.lang, n=reused)
                                                  if reused else "")
        if self.bar is not None:
            self.task = self.bar.add_task("", total=total, completed=reused, info=msg)
        else:
            print(msg, file=self.stream, flush=True)

    def replication_done(self) -> None:
        self.replications += 1
        if self.bar is not None and self.task is not None:
            self.bar.update(self.task, info=w("reps_bar", self.lang, n=self.replications))

    def point_done(self, outcome: PointOutcome, done: int, total: int) -> None:
        lang = self.lang
        left = self._left(done) if done < total else w("done", lang)
        state = w("ok", lang) if outcome.status == "ok" else w("failed", lang,
                                                                error=outcome.error)
        reps = w("reps", lang, n=self.replications) if self.replications else ""
        line = w("point", lang, done=done, total=total, label=outcome.point.label(),
                 state=state, secs=f"{outcome.seconds:.1f} s", reps=reps, left=left)
        if self.bar is not None:
            self.bar.console.print(line, highlight=False, markup=False)
            self.bar.update(self.task, completed=done, info=left)
        else:
            print(line, file=self.stream, flush=True)


SHORT = {"cost_total": "cost", "cost_cash": "in cash", "reserve_trained": "reserve",
         "targets_held": "held", "targets_units": "of", "status": "status"}


def _short(column: str) -> str:
    """A narrow header for the terminal (the CSV keeps the full names)."""
    for prefix, short in (("service_level_", "SL "), ("abandon_rate_", "aband. "),
                          ("pay_cost_", "pay ")):
        if column.startswith(prefix):
            return short + column.removeprefix(prefix)
    return SHORT.get(column, column.split(".")[-1])


def print_sweep(console: Any, outcome: SweepOutcome) -> None:
    """The sweep table's main columns and where the files are."""
    from rich.table import Table

    from scenarios.sweep.table import _cell, table

    header, rows = table(outcome.keys, outcome.outcomes)
    shown = [c for c in header if c not in ("key", "results", "error", "point")
             and any(r[header.index(c)] is not None for r in rows)]
    t = Table(title=w("table", outcome.lang, n=len(rows), s=outcome.wall_s))
    for c in shown:
        t.add_column(_short(c), justify="right")
    for r in rows:
        t.add_row(*[_cell(r[header.index(c)], c) for c in shown])
    console.print(t)
    for o in outcome.outcomes:
        if o.status != "ok":
            console.print(w("point_failed", outcome.lang, label=o.point.label(),
                            error=o.error), highlight=False, markup=False, style="red")
    from scenarios.sweep.table import skip_notes

    for note in skip_notes(outcome.outcomes):
        console.print(note, style="yellow", highlight=False, markup=False)
    console.print(w("where", outcome.lang, path=outcome.folder / "sweep.html"),
                  highlight=False, markup=False)
