"""``peakdesk run``: load, run the stages, write the results folder atomically, record it.

The only function the CLI calls is :func:`run_scenario`; stages, writers and the history
are separate modules so each can be tested alone.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from scenarios.reading.load import load_scenario
from scenarios.run import history
from scenarios.run.manifest import SCENARIO_COPY, build_manifest, peakdesk_version, sha256_bytes
from scenarios.run.pipeline import Observer, run_stages
from scenarios.run.report_html import render_report
from scenarios.run.results_folder import ResultsFolder, check_target
from scenarios.run.stage import RunContext, Stage, StageResult
from scenarios.run.stages import default_stages
from scenarios.run.summary import Decision, decision, summary_json
from scenarios.run.workbook import BackgroundWorkbook
from scenarios.schema import Scenario
from scenarios.words.i18n import Lang
from scenarios.writing.output import csv_text, json_text


@dataclass(frozen=True)
class RunOutcome:
    """What the terminal summary shows."""

    folder: Path
    report: Path
    results: list[StageResult]
    decision: Decision
    lang: Lang
    wall_s: float
    run_id: int | None
    history_db: Path
    history_error: str | None = None


class _HandingOver:
    """Passes the stage callbacks on to ``observer`` and each finished stage's tables to
    the workbook being written in the background."""

    def __init__(self, observer: Observer | None, book: BackgroundWorkbook) -> None:
        self.observer, self.book = observer, book

    def stage_started(self, index: int, total: int, name: str, title: str) -> None:
        if self.observer:
            self.observer.stage_started(index, total, name, title)

    def stage_finished(self, index: int, total: int, result: StageResult) -> None:
        # the CSV text made beside too, but the last stage's: this process makes it while
        # the workbook's last sheets are written
        self.book.add(result.tables, csv=index < total - 1)
        if self.observer:
            self.observer.stage_finished(index, total, result)


def default_out(scenario_path: Path) -> Path:
    """``results/<scenario file stem>`` in the current folder."""
    return Path("results") / Path(scenario_path).stem


def run_scenario(scenario_path: str | Path, *, out: str | Path | None = None,
                 lang: Lang | None = None, quick: bool = False, force: bool = False,
                 command: Sequence[str] = (), stages: Sequence[Stage] | None = None,
                 observer: Observer | None = None, record: bool = True,
                 loaded: Scenario | None = None) -> RunOutcome:
    """Run every stage on the scenario and write the results folder (see docs/report.md).

    ``loaded``: the scenario file already read and checked by the caller (not read twice).
    """
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    t0 = time.perf_counter()
    path = Path(scenario_path)
    sc = loaded if loaded is not None else load_scenario(path)
    raw = path.read_bytes()
    sha = sha256_bytes(raw)
    lang = lang or sc.language
    target = Path(out) if out is not None else default_out(path)
    check_target(target, force)
    ctx = RunContext(sc, path, lang, quick=quick, seed=sc.simulation.seed)
    book = BackgroundWorkbook()  # results.xlsx written while the later stages run
    try:
        return _run_and_write(ctx, stages, observer, book, target=target, force=force,
                              raw=raw, sha=sha, started=started, t0=t0, command=command,
                              record=record)
    except BaseException:
        book.cancel()  # nothing left behind: its thread ends, its temporary files go
        raise


def _run_and_write(ctx: RunContext, stages: Sequence[Stage] | None,
                   observer: Observer | None, book: BackgroundWorkbook, *, target: Path,
                   force: bool, raw: bytes, sha: str, started: str, t0: float,
                   command: Sequence[str], record: bool) -> RunOutcome:
    sc, path, lang, quick = ctx.scenario, ctx.scenario_path, ctx.lang, ctx.quick
    results = run_stages(default_stages() if stages is None else stages, ctx,
                         _HandingOver(observer, book))
    dec = decision(ctx, results)
    summary = summary_json(ctx, sha, results, dec)
    tables = [t for r in results for t in r.tables]
    figures = [g for r in results for f in r.figures for g in (f, f.peak) if g is not None]
    files = ["report.html", "summary.json", "results.xlsx", *[f"{t.name}.csv" for t in tables],
             *[f"figures/{f.name}.svg" for f in figures], SCENARIO_COPY, "manifest.json"]
    if len(set(files)) != len(files):
        raise ValueError(f"two stages produce the same file name: {files}")
    html = render_report(ctx, results, dec, scenario_file=str(path), sha256=sha,
                         version=peakdesk_version(), files=files)
    notify = getattr(observer, "file_written", None)
    with ResultsFolder(target, force) as folder:

        def put(name: str, data: str | bytes) -> None:
            folder.write(name, data)
            if notify:
                notify(name)

        # results.xlsx last: its helper thread writes the last stage's sheets and packs
        # the file (zlib, off the GIL) while this thread writes the others
        for t in tables:
            text = book.csv(t)
            put(f"{t.name}.csv", csv_text(t.columns, t.rows) if text is None else text)
        for f in figures:
            put(f"figures/{f.name}.svg", f.svg + "\n")
        put("summary.json", json_text(summary))
        put(SCENARIO_COPY, raw)
        put("report.html", html)
        put("results.xlsx", book.result())
        wall = time.perf_counter() - t0
        put("manifest.json", json_text(build_manifest(
            scenario_path=path, sha256=sha, scenario_name=sc.name, lang=lang, quick=quick,
            seed=ctx.seed, command=list(command), results=results, started_at=started,
            wall_s=wall)))
        final = folder.commit()
    db = history.db_path(final.parent)
    run_id, err = None, None
    if record:
        try:
            run_id = history.record_run(
                db, started_at=started, wall_s=wall, scenario_name=sc.name,
                scenario_path=str(path.absolute()), sha256=sha,
                scenario_text=raw.decode("utf-8", errors="replace"),
                options={"lang": lang, "quick": quick, "seed": ctx.seed},
                command=list(command), folder=str(final), version=peakdesk_version(),
                headlines=summary["headlines"],
                stages={r.name: r.status for r in results})
        except Exception as exc:  # noqa: BLE001 - the results are written; say why not indexed
            err = f"{type(exc).__name__}: {exc}"
    return RunOutcome(final, final / "report.html", results, dec, lang, wall, run_id, db, err)
