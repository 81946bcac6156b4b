"""results.xlsx written with XlsxWriter reads back as the openpyxl writer's workbook did.

Reference: the openpyxl writer (``openpyxl_workbook_bytes``, the code results.xlsx was
written with before) and the CSV text of the same tables (``csv_text``); both workbooks
are read back with openpyxl (an independent reader) and compared cell by cell: value,
type, bold, number format; per sheet: name, frozen panes, column widths."""

from __future__ import annotations

import csv
import io
import math
import os
import signal
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

from scenarios.run.stage import Table
from scenarios.run.workbook import (
    BackgroundWorkbook,
    openpyxl_workbook_bytes,
    sheet_name,
    workbook_bytes,
)
from scenarios.writing.output import csv_text

TABLES = [
    Table("demand", "Demand", ["interval_start", "channel", "contacts", "rate_per_hour"],
          [["2026-11-11T00:00", "voice", 12, 0.1 + 0.2],
           ["2026-11-11T00:30", "chat", 0, 1e-300],
           ["2026-11-11T01:00", "语音", -3, 123456789.123456789],
           ["2026-11-11T01:30", "voice", 12345678901234567890, 2.5e17]]),
    Table("odd:cells/[all]*?kinds\\and a long name", "Odd",
          ["a_very_long_column_name_for_its_width", "b", "c", "d", "e", "f"],
          [[None, float("nan"), float("inf"), -float("inf"), True, False],
           [np.float64(1.25), np.int64(7), np.float32(0.5), np.int32(-2), np.bool_(True), ""],
           ["text, with \"quotes\"", "line\nbreak", " spaced ", "1.5", "00123", None]]),
    Table("empty", "Empty", ["only_header"], []),
]


def _read(data: bytes):
    return load_workbook(io.BytesIO(data))


def _cells(ws) -> list[list[tuple[object, str, bool, str]]]:
    """Value, type (of a cell that holds one), bold, number format."""
    return [[(c.value, c.data_type if c.value is not None else None, bool(c.font.b),
              c.number_format) for c in row] for row in ws.iter_rows()]


def test_new_workbook_reads_back_as_the_openpyxl_one() -> None:
    new, old = _read(workbook_bytes(TABLES)), _read(openpyxl_workbook_bytes(TABLES))
    assert new.sheetnames == old.sheetnames == [sheet_name(t.name) for t in TABLES]
    assert new.sheetnames[1] == "odd_cells__all___kinds_and a lo"  # 31 characters, no []:*?/\
    for name in old.sheetnames:
        a, b = new[name], old[name]
        assert a.freeze_panes == b.freeze_panes == "A2"
        assert a.max_row == b.max_row and a.max_column == b.max_column
        assert _cells(a) == _cells(b), name
        assert _widths(a) == _widths(b), name
        assert len(_widths(b)) == b.max_column
    assert _widths(new["demand"]) == {1: 16, 2: 10, 3: 10, 4: 15}  # header + 2, at least 10


def _widths(ws) -> dict[int, float]:
    """Column number -> custom width (a <col> element may cover a range of columns)."""
    return {i: d.width for d in ws.column_dimensions.values() if d.customWidth
            for i in range(d.min, d.max + 1)}


def test_every_cell_equals_its_csv_text() -> None:
    """The CSV (floats as repr) and the sheet hold the same numbers to the 16 significant
    digits both xlsx writers keep; text is text (a NaN / inf cell is empty in the sheet)."""
    wb = _read(workbook_bytes(TABLES))
    for t in TABLES:
        want = list(csv.reader(io.StringIO(csv_text(t.columns, t.rows))))
        got = [list(r) for r in wb[sheet_name(t.name)].iter_rows(values_only=True)]
        assert len(got) == len(want)
        for w_row, g_row in zip(want, got, strict=True):
            g_row += [None] * (len(w_row) - len(g_row))
            for w, g in zip(w_row, g_row, strict=True):
                if g is None:
                    assert w == "" or not math.isfinite(float(w))
                elif isinstance(g, bool):
                    assert w == str(g)
                elif isinstance(g, (int, float)):  # numpy's bool_ a number, as before
                    assert float(f"{float({'True': 1}.get(w, w)):.16g}") == g
                else:
                    assert w == g


def test_text_never_becomes_a_formula() -> None:
    """A name typed as ``=1+1`` stays text (openpyxl's append made it a formula)."""
    wb = _read(workbook_bytes([Table("t", "t", ["name"], [["=1+1"], ["http://x.cn"]])]))
    assert [(c.value, c.data_type) for c in wb["t"]["A"][1:]] == \
        [("=1+1", "s"), ("http://x.cn", "s")]
    assert not wb["t"]._hyperlinks


@pytest.mark.parametrize("in_process", [False, True])
def test_background_workbook_is_the_same_workbook(in_process: bool) -> None:
    """Tables handed over stage by stage (the run's helper thread, or the drawing process,
    rows streamed to temporary files) give the workbook written from all of them at once;
    the CSV texts made beside are csv_text's."""
    book = BackgroundWorkbook(in_process=in_process)
    book.add(TABLES[:1], csv=True)
    book.add([])                              # a skipped stage
    book.add(TABLES[1:])
    tmp = Path(book._tmp.name)
    want_csv = csv_text(TABLES[0].columns, TABLES[0].rows)
    assert book.csv(TABLES[0]) == (want_csv if in_process else None)
    assert book.csv(TABLES[1]) is None        # not asked for: the caller makes it
    data = book.result()
    assert not tmp.exists()                   # the streamed rows' files are gone
    a, b = _read(data), _read(workbook_bytes(TABLES))
    assert a.sheetnames == b.sheetnames
    for name in b.sheetnames:
        assert _cells(a[name]) == _cells(b[name]) and _widths(a[name]) == _widths(b[name])
        assert a[name].freeze_panes == "A2"


def test_background_workbook_process_and_thread_same_files() -> None:
    """The workbook written in the drawing process is the helper thread's, file by file
    inside the zip (but its creation time)."""
    got = []
    for in_process in (False, True):
        book = BackgroundWorkbook(in_process=in_process)
        book.add(TABLES[:1], csv=True)
        book.add(TABLES[1:])
        got.append(_members(book.result()))
    assert got[0] == got[1]


@pytest.mark.parametrize("in_process", [False, True])
def test_background_workbook_cancel_and_errors(in_process: bool) -> None:
    book = BackgroundWorkbook(in_process=in_process)
    book.add(TABLES)
    tmp = Path(book._tmp.name)
    book.cancel()                             # a stage failed or Ctrl-C: nothing is left
    assert not tmp.exists()
    assert in_process or not book._thread.is_alive()
    bad = BackgroundWorkbook(in_process=in_process)
    bad.add([Table("t", "t", ["a"], [[object()], [1]]), Table("t", "t", ["a"], [])])
    with pytest.raises(Exception, match="(?i)sheet|name|duplicate"):
        bad.result()                          # raised in the caller's thread
    empty = BackgroundWorkbook(in_process=in_process)
    assert _read(empty.result()).sheetnames == ["Sheet1"]  # XlsxWriter's default sheet


def test_background_workbook_process_gone() -> None:
    """The drawing process killed (out of memory, say): the workbook raises, the run
    fails with it instead of waiting."""
    from scenarios.run import figures

    book = BackgroundWorkbook(in_process=True)
    book.add(TABLES[:1], csv=True)
    book.csv(TABLES[0])
    os.kill(figures._drawer._proc.pid, signal.SIGKILL)
    with pytest.raises(RuntimeError, match="process ended"):
        book.result()
    figures.stop_drawing()


ODD_TEXTS = ["_x0000_ stays", "ctrl\x01char", "<r>rich-looking</r>", "a & b < c > d",
             "tab\tend\t", "\nlead", "x" * 16_384, "长" * 9_000, "=SUM(A1)", "\ufffe"]


class _Named(str):
    """A text subclass (written through ``str(v)`` as XlsxWriter's calls get it)."""


def _members(data: bytes) -> dict[str, bytes]:
    """Every file of an .xlsx but its creation time's (docProps/core.xml)."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


@pytest.mark.parametrize("tables", [
    TABLES,
    [Table("odd", "Odd", ["a", "b", "c"],
           [[t, i, None] for i, t in enumerate(ODD_TEXTS)]
           + [[], [None, None, None], ["", float("nan"), None], [_Named("n"), 1.5, object()],
              [np.float64("nan"), np.int64(2**62), np.bool_(False)],
              [1e-320, -0.0, 2**70], [True, 10**25, float("-inf")]]
           + [[k * 0.1, f"r{k}", k] for k in range(300)]),
     Table("ragged", "Ragged", ["a"], [[1, 2, 3], [None], ["x", None, None, None, 4.5]]),
     Table("no columns", "None", [], [[1, "a"], []])],
])
def test_streamed_rows_are_the_bytes_xlsxwriter_writes(tmp_path: Path, tables) -> None:
    """Rows written as XML text a row at a time (the run's path) give the same workbook,
    byte for byte, as XlsxWriter's own cell by cell calls (the reference), odd cells
    included: control characters, rich-text look-alikes and over-long texts (those rows
    go through XlsxWriter's calls), NaN / inf, numpy scalars, ragged rows."""
    from scenarios.run.workbook import WorkbookBuilder

    built = {}
    for by_cell in (False, True):
        book = WorkbookBuilder(str(tmp_path), by_cell=by_cell)
        for t in tables:
            book.add(t)
        built[by_cell] = _members(book.close())
    assert built[False].keys() == built[True].keys()
    for name, want in built[True].items():
        assert built[False][name] == want, name


def test_rows_streamed_with_this_xlsxwriter_else_its_own_calls(tmp_path: Path,
                                                              monkeypatch) -> None:
    """The installed XlsxWriter has every internal the streamed rows use (so the test
    above compares the two paths); one without them gets its own cell calls — the same
    workbook, nothing half-written."""
    from scenarios.run import workbook

    calls = []
    real = workbook._stream_rows
    monkeypatch.setattr(workbook, "_stream_rows",
                        lambda ws, rows: calls.append(real(ws, rows)) or calls[-1])
    streamed = workbook.WorkbookBuilder(str(tmp_path))
    for t in TABLES:
        streamed.add(t)
    assert calls and all(calls)  # streamed here
    monkeypatch.setattr(workbook, "_INTERNALS", (*workbook._INTERNALS, "gone_in_a_release"))
    calls.clear()
    fallback = workbook.WorkbookBuilder(str(tmp_path))
    for t in TABLES:
        fallback.add(t)
    assert calls and not any(calls)  # each sheet through XlsxWriter's calls
    assert _members(fallback.close()) == _members(streamed.close())
