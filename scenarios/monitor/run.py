"""``peakdesk monitor``: load the spec and history, judge every cell, write the outputs.

The one library call behind the command: spec (validated), history (or simulator KPI
tables laid end to end), the adapter, :func:`rules.monitor.monitor`, then ``--json`` and
the ``--out`` folder (monitor.html, CSVs, monitor.xlsx, monitor.json), each written
atomically.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from rules.monitor import MonitorResult, monitor
from scenarios.monitor.daily import PreviousOutputs, daily_result
from scenarios.monitor.history import history_header, parse_history, read_history
from scenarios.monitor.report_html import render_monitor
from scenarios.monitor.simulated import simulated_history
from scenarios.monitor.spec import MonitorSpec, load_spec, with_bot
from scenarios.monitor.tables import (
    DAY_COLUMNS,
    ROLLUP_COLUMNS,
    Blocks,
    block_texts,
    day_blocks,
    day_table,
    header_text,
    levels,
    monitor_json,
    rollup_blocks,
    rollup_table,
    small_tables,
)
from scenarios.monitor.to_monitor import monitor_inputs, needed_columns
from scenarios.monitor.workbook import monitor_workbook
from scenarios.run.manifest import peakdesk_version
from scenarios.run.stage import Table
from scenarios.words.i18n import Lang
from scenarios.writing.output import csv_text, write_atomic, write_json

XLSX_MAX_ROWS = 2_000       # a longer sheet keeps the team's rows only (the CSV has all)


@dataclass
class MonitorOutcome:
    result: MonitorResult
    lang: Lang
    written: list[str] = field(default_factory=list)
    update: str | None = None       # with --state: how the state was used (a sentence)


def load_result(histories: list[str], spec_file: str, *, simulated: bool = False
                ) -> tuple[MonitorResult, MonitorSpec, str | None]:
    """(result, spec, converted history text or None) for the given files."""
    spec, root = load_spec(spec_file)
    text = None
    if simulated:
        header, rows = simulated_history(list(histories))
        spec = with_bot(spec, header)
        text = csv_text(header, rows)
        hist = parse_history(" + ".join(histories) + " (as a history)", text,
                             needed_columns(spec))
    else:
        spec = with_bot(spec, history_header(histories[0]))
        hist = read_history(histories[0], needed_columns(spec))
    return monitor(monitor_inputs(spec, root, spec_file, hist)), spec, text


def run_monitor(histories: list[str], spec_file: str, *, json_path: str | None = None,
                out: str | None = None, lang: Lang | None = None,
                simulated: bool = False, state_dir: str | None = None) -> MonitorOutcome:
    """Everything ``peakdesk monitor`` does, returning what it wrote. With ``state_dir``
    the charts continue from the state kept there when the history only grew since
    (:mod:`scenarios.monitor.daily`), and the state is saved for tomorrow."""
    daily = None
    if state_dir is not None:
        daily = daily_result(histories[0], spec_file, Path(state_dir),
                             Path(out).resolve() if out else None)
        res, spec, converted = daily.result, daily.spec, None
    else:
        res, spec, converted = load_result(histories, spec_file, simulated=simulated)
    outcome = MonitorOutcome(res, lang or spec.language,
                             update=daily.sentence if daily else None)
    doc = monitor_json(res)
    if json_path:
        write_json(json_path, doc)
        outcome.written.append(json_path)
    previous = daily.previous_outputs if daily else None
    if out:
        names, outputs = write_folder(Path(out), res, spec, outcome.lang, histories,
                                      spec_file, doc, converted, previous)
        outcome.written += names
    else:
        outputs = {}
    if daily is not None:
        daily.save(outputs)
    return outcome


def write_folder(folder: Path, res: MonitorResult, spec: MonitorSpec, lang: Lang,
                 histories: list[str], spec_file: str, doc: dict, converted: str | None,
                 previous: PreviousOutputs | None = None) -> tuple[list[str], dict]:
    """Write the folder; with ``previous`` (a daily update of the same folder) the day,
    week and month tables keep their bytes up to the first period that changed.
    Returns the paths written and the tables' block offsets (kept in the state)."""
    tables = small_tables(res)
    lv = levels(res)
    names = ["days.csv", *(f"{x}s.csv" for x in lv), *(f"{tb.name}.csv" for tb in tables),
             "monitor.xlsx", "monitor.json"]
    if converted is not None:
        names.append("history.csv")
    offsets = {"days": write_blocks(folder / "days.csv", DAY_COLUMNS,
                                    lambda r: day_blocks(res, r), len(res.inputs.dates),
                                    previous, "days")}
    for x in lv:
        count = len(next(iter(res.metrics.values())).rollups[x].starts)
        offsets[f"{x}s"] = write_blocks(
            folder / f"{x}s.csv", [x, *ROLLUP_COLUMNS],
            lambda r, x=x: rollup_blocks(res, x, r), count, previous, f"{x}s")
    for tb in tables:
        write_atomic(folder / f"{tb.name}.csv", _csv_text(tb))
    sheets = [_day_sheet(res), *(_rollup_sheet(res, x) for x in lv), *tables]
    write_atomic(folder / "monitor.xlsx", monitor_workbook([_for_workbook(tb) for tb in sheets]))
    write_json(folder / "monitor.json", doc)
    if converted is not None:
        write_atomic(folder / "history.csv", converted)
    zh = {m.name: m.zh for _, _, m in spec.metrics()}
    html = render_monitor(res, lang=lang, title=Path(spec_file).stem,
                          history=", ".join(Path(h).name for h in histories),
                          spec=Path(spec_file).name, version=peakdesk_version(),
                          zh_names=zh, files=names)
    write_atomic(folder / "monitor.html", html)
    return [str(folder / n) for n in ["monitor.html", *names]], offsets


def write_blocks(path: Path, columns: list[str], make: Callable[[range], Blocks], count: int,
                 previous: PreviousOutputs | None, key: str) -> list[int]:
    """Write a period-major table. With the previous run's offsets still describing the
    file (its size is the one recorded), only the periods from the first changed one are
    written, in place: the file is cut there and the new blocks appended (a 100 MB day
    table is not copied each morning). A run stopped half-way leaves a size the state does
    not know, and the next run rewrites the file whole. Otherwise the file is written
    whole, atomically. Returns the block offsets (offset k: where period k starts; the
    last: the file's size)."""
    first = previous.first_changed.get(key) if previous else None
    old = previous.offsets.get(key) if previous else None
    if first is not None and old and len(old) > first and path.is_file() \
            and path.stat().st_size == old[-1]:
        texts = [t.encode("utf-8") for t in block_texts(make(range(first, count)))]
        offsets = list(old[:first + 1])
        for t in texts:
            offsets.append(offsets[-1] + len(t))
        with path.open("r+b") as fh:
            fh.seek(old[first])
            fh.write(b"".join(texts))
            fh.truncate()
            fh.flush()
            os.fsync(fh.fileno())
        return offsets
    header = header_text(columns).encode("utf-8")
    texts = [t.encode("utf-8") for t in block_texts(make(range(0, count)))]
    offsets = [len(header)]
    for t in texts:
        offsets.append(offsets[-1] + len(t))
    write_atomic(path, header + b"".join(texts))
    return offsets


def _day_sheet(res: MonitorResult) -> Table:
    cells = sum(int(np.maximum(0, len(res.inputs.dates) - m.chart.first).sum())
                for m in res.metrics.values())
    return day_table(res, team_only=cells > XLSX_MAX_ROWS)


def _rollup_sheet(res: MonitorResult, level: str) -> Table:
    cells = sum(int((m.rollups[level].n > 0).sum()) + m.rollups[level].n.shape[1]
                for m in res.metrics.values())
    return rollup_table(res, level, team_only=cells > XLSX_MAX_ROWS)


def _for_workbook(tb: Table) -> Table:
    """The workbook is for reading: a sheet longer than XLSX_MAX_ROWS (a large team's
    day or week cells) keeps the team's rows; the CSV keeps every row."""
    if len(tb.rows) <= XLSX_MAX_ROWS or "agent_id" not in tb.columns:
        return tb
    k = tb.columns.index("agent_id")
    return Table(tb.name, tb.title, tb.columns, [r for r in tb.rows if r[k] == "team"])


def _csv_text(tb: Table) -> str:
    """CSV of a table whose empty cells are already "" (one C-level call for all rows)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(tb.columns)
    w.writerows(tb.rows)
    return buf.getvalue()
