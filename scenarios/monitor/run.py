"""``peakdesk monitor``: load the spec and history, judge every cell, write the outputs.

The one library call behind the command: spec (validated), history (or simulator KPI
tables laid end to end), the adapter, :func:`rules.monitor.monitor`, then ``--json`` and
the ``--out`` folder (monitor.html, CSVs, monitor.xlsx, monitor.json), each written
atomically.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from rules.monitor import MonitorResult, monitor
from scenarios.monitor.history import parse_history, read_history
from scenarios.monitor.report_html import render_monitor
from scenarios.monitor.simulated import simulated_history
from scenarios.monitor.spec import MonitorSpec, load_spec
from scenarios.monitor.tables import all_tables, monitor_json
from scenarios.monitor.to_monitor import monitor_inputs, needed_columns
from scenarios.output import csv_text, write_atomic, write_json
from scenarios.run.manifest import peakdesk_version
from scenarios.run.stage import Table
from scenarios.run.workbook import workbook_bytes
from scenarios.words.i18n import Lang

XLSX_MAX_ROWS = 20_000      # a longer sheet keeps the team's rows only (the CSV has all)


@dataclass
class MonitorOutcome:
    result: MonitorResult
    lang: Lang
    written: list[str] = field(default_factory=list)


def load_result(histories: list[str], spec_file: str, *, simulated: bool = False
                ) -> tuple[MonitorResult, MonitorSpec, str | None]:
    """(result, spec, converted history text or None) for the given files."""
    spec, root = load_spec(spec_file)
    needed = needed_columns(spec)
    text = None
    if simulated:
        header, rows = simulated_history(list(histories))
        text = csv_text(header, rows)
        hist = parse_history(" + ".join(histories) + " (as a history)", text, needed)
    else:
        hist = read_history(histories[0], needed)
    return monitor(monitor_inputs(spec, root, spec_file, hist)), spec, text


def run_monitor(histories: list[str], spec_file: str, *, json_path: str | None = None,
                out: str | None = None, lang: Lang | None = None,
                simulated: bool = False) -> MonitorOutcome:
    """Everything ``peakdesk monitor`` does, returning what it wrote."""
    res, spec, converted = load_result(histories, spec_file, simulated=simulated)
    outcome = MonitorOutcome(res, lang or spec.language)
    doc = monitor_json(res)
    if json_path:
        write_json(json_path, doc)
        outcome.written.append(json_path)
    if out:
        outcome.written += write_folder(Path(out), res, spec, outcome.lang, histories,
                                        spec_file, doc, converted)
    return outcome


def write_folder(folder: Path, res: MonitorResult, spec: MonitorSpec, lang: Lang,
                 histories: list[str], spec_file: str, doc: dict, converted: str | None
                 ) -> list[str]:
    tables = all_tables(res)
    names = [f"{tb.name}.csv" for tb in tables] + ["monitor.xlsx", "monitor.json"]
    if converted is not None:
        names.append("history.csv")
    for tb in tables:
        write_atomic(folder / f"{tb.name}.csv", _csv_text(tb))
    write_atomic(folder / "monitor.xlsx", workbook_bytes([_for_workbook(tb) for tb in tables]))
    write_json(folder / "monitor.json", doc)
    if converted is not None:
        write_atomic(folder / "history.csv", converted)
    zh = {m.name: m.zh for _, _, m in spec.metrics()}
    html = render_monitor(res, lang=lang, title=Path(spec_file).stem,
                          history=", ".join(Path(h).name for h in histories),
                          spec=Path(spec_file).name, version=peakdesk_version(),
                          zh_names=zh, files=names)
    write_atomic(folder / "monitor.html", html)
    return [str(folder / n) for n in ["monitor.html", *names]]


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
