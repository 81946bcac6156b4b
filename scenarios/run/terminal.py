"""The terminal side of ``peakdesk run``: a live progress display across stages and the
closing summary with the report's path (rich; written to the given consoles)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scenarios.run.history import RunDiff, RunRecord
from scenarios.run.runner import RunOutcome
from scenarios.run.stage import StageResult
from scenarios.words.i18n import Lang, t


class ProgressDisplay:
    """Observer of the pipeline: a spinner and bar per run, one line per finished stage."""

    def __init__(self, console: Any, lang: Lang) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        self.lang = lang
        self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}"),
                                 BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                 console=console, transient=True)
        self.task: Any = None
        self.title = ""
        self.replications = 0

    def __enter__(self) -> ProgressDisplay:
        self.progress.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.progress.__exit__(*exc)

    def stage_started(self, index: int, total: int, name: str, title: str) -> None:
        if self.task is None:
            self.task = self.progress.add_task(title, total=total + 1)
        self.title = title
        self.progress.update(self.task, description=title, completed=index)

    def replication_done(self) -> None:
        """One more replication finished (sim.execution observer): shown beside the stage."""
        self.replications += 1
        if self.task is not None:
            self.progress.update(self.task, description=t(
                "term.replications", self.lang, title=self.title, n=self.replications))

    def stage_finished(self, index: int, total: int, result: StageResult) -> None:
        if result.status == "ok":
            line = f"[green]✓[/] {result.title} [dim]{result.seconds:.2f} s[/]"
        else:
            line = (f"[yellow]–[/] {result.title}: "
                    f"{t('term.skipped', self.lang, reason=result.reason)}")
        self.progress.console.print(line, highlight=False)
        self.progress.update(self.task, completed=index + 1)

    def file_written(self, name: str) -> None:
        if self.task is not None:
            self.progress.update(self.task, description=f"{t('term.writing', self.lang)}: {name}")


def print_outcome(console: Any, outcome: RunOutcome) -> None:
    """Decision sentences, key figures, warnings and where the report is."""
    from rich.panel import Panel
    from rich.table import Table

    lang, dec = outcome.lang, outcome.decision
    body = "\n".join(f"• {s}" for s in dec.sentences)
    console.print(Panel(body, title=t("report.decision", lang), expand=False), highlight=False)
    if dec.headlines:
        table = Table(show_header=False, box=None)
        for h in dec.headlines:
            table.add_row(h.label, h.text)
        console.print(table)
    for w in dec.warnings:
        console.print(f"[yellow]{t('report.warnings', lang)}:[/] {w}", highlight=False)
    console.print(t("term.folder", lang, path=outcome.folder), highlight=False)
    console.print(f"[bold]{t('term.report', lang, path=outcome.report)}[/]", highlight=False)
    if outcome.run_id is not None:
        console.print(t("term.run_id", lang, id=outcome.run_id, db=outcome.history_db),
                      highlight=False)
    if outcome.history_error:
        console.print(f"[yellow]run not recorded in the history: {outcome.history_error}[/]",
                      highlight=False)


def print_runs(console: Any, runs: list[RunRecord]) -> None:
    from rich.table import Table

    table = Table(title="peakdesk runs")
    for col in ("id", "started (UTC)", "scenario", "lang", "quick", "seed", "wall s", "folder"):
        table.add_column(col, no_wrap=col in ("id", "started (UTC)", "folder"))
    for r in runs:
        table.add_row(str(r.id), r.started_at[:16].replace("T", " "), r.scenario_name,
                      str(r.options.get("lang")), "yes" if r.options.get("quick") else "",
                      str(r.options.get("seed")), f"{r.wall_s:.1f}", Path(r.folder).name)
    console.print(table)


def print_diff(console: Any, d: RunDiff) -> None:
    from rich.table import Table

    console.print(f"[bold]run {d.a.id}[/] ({d.a.scenario_name}, {d.a.started_at}) → "
                  f"[bold]run {d.b.id}[/] ({d.b.scenario_name}, {d.b.started_at})",
                  highlight=False)
    console.print("[bold]inputs[/]")
    if not d.options and not d.scenario_diff:
        console.print("  same scenario file and options")
    for k, (a, b) in d.options.items():
        console.print(f"  {k}: {a} → {b}", highlight=False)
    for line in d.scenario_diff:
        style = "green" if line.startswith("+") else "red" if line.startswith("-") else "dim"
        console.print(f"  {line}", style=style, highlight=False, markup=False)
    for n, (a, b) in d.stages.items():
        console.print(f"  stage {n}: {a or 'absent'} → {b or 'absent'}", highlight=False)
    console.print("[bold]headline outputs[/]")
    if not d.headlines:
        console.print("  no headline number changed")
        return
    table = Table(box=None)
    for col in ("figure", f"run {d.a.id}", f"run {d.b.id}", "change"):
        table.add_column(col, justify="left" if col == "figure" else "right")
    for h in d.headlines:
        delta = h.delta
        table.add_row(h.key, _fmt(h.before), _fmt(h.after),
                      "" if delta is None else f"{delta:+,.4g}")
    console.print(table)


def _fmt(v: float | None) -> str:
    return "—" if v is None else f"{v:,.6g}"
