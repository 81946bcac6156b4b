"""``results.xlsx``: one sheet per table, the same cells as the CSV files.

Written with XlsxWriter: the flagship's workbook (20 sheets, ~540,000 cells) took openpyxl
most of the run's time outside its stages (see docs/performance.md, Writing the outputs).
The cells, the bold frozen header and the column widths read back the same as openpyxl's
writer gave them; :func:`openpyxl_workbook_bytes` stays as the reference the tests
compare against.
"""

from __future__ import annotations

import io
import itertools
import math
import numbers
import queue
import tempfile
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from typing import Any

from scenarios.run.stage import Table


def column_width(column: str) -> int:
    """A column's width in characters: its header and a little room, at least 10."""
    return max(10, len(column) + 2)


def workbook_bytes(tables: Sequence[Table]) -> bytes:
    """An .xlsx file with a sheet per table (header bold and frozen).

    Cells: text as text (never a formula, even when it starts with ``=``), numbers at
    16 significant digits, ``True``/``False`` as booleans; None, NaN, ±inf and empty text
    leave the cell empty.
    """
    book = WorkbookBuilder()
    for table in tables:
        book.add(table)
    return book.close()


class WorkbookBuilder:
    """results.xlsx sheet by sheet: :meth:`add` each table, then :meth:`close` for the bytes.

    ``tmpdir``: stream each sheet's rows to a file there as they are added (XlsxWriter's
    ``constant_memory``), so ``close`` only packs them (else it writes every cell then).
    Streamed rows are written as XML text a row at a time (:func:`_stream_rows`), the
    same bytes XlsxWriter's cell by cell writer gives (``by_cell=True``, the reference).
    """

    def __init__(self, tmpdir: str | None = None, *, by_cell: bool = False) -> None:
        import xlsxwriter

        self._buf = io.BytesIO()
        opts: dict[str, object] = {"strings_to_numbers": False, "strings_to_formulas": False,
                                   "strings_to_urls": False}
        opts.update({"constant_memory": True, "tmpdir": tmpdir} if tmpdir
                    else {"in_memory": True})
        self._wb = xlsxwriter.Workbook(self._buf, opts)
        self._bold = self._wb.add_format({"bold": True})
        self._stream = bool(tmpdir) and not by_cell

    def add(self, table: Table) -> None:
        ws = self._wb.add_worksheet(sheet_name(table.name))
        for j, col in enumerate(table.columns):
            ws.write_string(0, j, col, self._bold)
            # XlsxWriter keeps widths in pixels (7 a character): 7 n reads back as n
            ws.set_column_pixels(j, j, 7 * column_width(col))
        ws.freeze_panes(1, 0)
        if not (self._stream and _stream_rows(ws, table.rows)):
            _write_rows(ws, table.rows)

    def close(self) -> bytes:
        self._wb.close()
        return self._buf.getvalue()


class BackgroundWorkbook:
    """results.xlsx built beside the stages, while the later stages run.

    The runner hands over each stage's tables as the stage ends (:meth:`add`) and takes
    the bytes at the end (:meth:`result`); the sheets come in the order they were added,
    so the workbook is the one :func:`workbook_bytes` writes from the same tables.
    Tables handed over must not change afterwards (stages never edit an earlier stage's
    tables). :meth:`cancel` drops the work and its temporary files.

    Where the charts are drawn in a forked process (scenarios.run.figures, Linux) the
    workbook is written there too: the tables travel pickled, the rows' XML and the zip
    are made on the core the main process leaves idle, not under its interpreter lock —
    and the CSV text of the tables added with ``csv=True`` is made there as well
    (:meth:`csv`: the same :func:`~scenarios.writing.output.csv_text`). Elsewhere a
    helper thread writes the workbook (most of a run's stages wait on worker processes
    or the solver, and the thread writes then) and :meth:`csv` gives None.
    """

    def __init__(self, *, in_process: bool | None = None) -> None:
        from scenarios.run import figures

        self._tmp = tempfile.TemporaryDirectory(prefix="peakdesk-xlsx-")
        self._in_process = figures.DRAW_IN == "process" if in_process is None else in_process
        self._csv: dict[int, tuple[Table, Future[list[str]], int]] = {}
        self._key = next(_KEYS)
        self._added: Future[Any] | None = None
        if self._in_process:
            return
        self._todo: queue.SimpleQueue[list[Table] | None] = queue.SimpleQueue()
        self._cancelled = False
        self._data: bytes | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._work, name="results.xlsx", daemon=True)
        self._thread.start()

    def add(self, tables: Sequence[Table], *, csv: bool = False) -> None:
        """Write ``tables``' sheets next; ``csv``: make their CSV text there too."""
        if not tables:
            return
        if not self._in_process:
            self._todo.put(list(tables))
            return
        from scenarios.run.figures import beside

        done = beside(_book_add, self._key, self._tmp.name, list(tables), csv)
        self._added = done
        if csv:
            for i, t in enumerate(tables):
                self._csv[id(t)] = (t, done, i)

    def csv(self, table: Table) -> str | None:
        """``table``'s CSV text made beside (waits for it), or None: not asked for."""
        entry = self._csv.get(id(table))
        if entry is None or entry[0] is not table:
            return None
        return entry[1].result()[entry[2]]

    def result(self) -> bytes:
        """The workbook's bytes, once every table added so far is written."""
        if self._in_process:
            from scenarios.run.figures import beside

            try:
                return beside(_book_close, self._key, self._tmp.name).result()
            finally:
                self._tmp.cleanup()
        self._todo.put(None)
        self._thread.join()
        self._tmp.cleanup()
        if self._error is not None:
            raise self._error
        assert self._data is not None
        return self._data

    def cancel(self) -> None:
        if self._in_process:
            if self._added is not None:  # its files are in our folder: drop them after
                from scenarios.run.figures import beside

                beside(_book_drop, self._key)
            self._tmp.cleanup()
            return
        self._cancelled = True
        self._todo.put(None)
        self._thread.join()
        self._tmp.cleanup()

    def _work(self) -> None:
        try:
            book = WorkbookBuilder(self._tmp.name)
            while (tables := self._todo.get()) is not None:
                if not self._cancelled:
                    for table in tables:
                        book.add(table)
            if not self._cancelled:
                self._data = book.close()
        except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
            self._error = exc


_KEYS = itertools.count()
#: the workbooks being written in this (the drawing) process, by key
_BOOKS: dict[int, WorkbookBuilder | BaseException] = {}


def _book_add(key: int, tmpdir: str, tables: list[Table], csv: bool) -> list[str]:
    """In the drawing process: add ``tables``' sheets to workbook ``key`` (streamed to
    files in ``tmpdir``); their CSV texts when ``csv``. A failure is kept and raised by
    the workbook's :func:`_book_close` (the CSV texts are made all the same)."""
    from scenarios.writing.output import csv_text

    book = _BOOKS.get(key)
    if book is None:
        try:
            book = _BOOKS[key] = WorkbookBuilder(tmpdir)
        except BaseException as exc:  # noqa: BLE001 - raised by _book_close
            book = _BOOKS[key] = exc
    if isinstance(book, WorkbookBuilder):
        try:
            for table in tables:
                book.add(table)
        except BaseException as exc:  # noqa: BLE001 - raised by _book_close
            _BOOKS[key] = exc
    return [csv_text(t.columns, t.rows) for t in tables] if csv else []


def _book_close(key: int, tmpdir: str) -> bytes:
    """In the drawing process: workbook ``key``'s bytes (packed now)."""
    book = _BOOKS.pop(key, None)
    if isinstance(book, BaseException):
        raise book
    if book is None:  # nothing was added: an empty workbook, as the thread writes it
        book = WorkbookBuilder(tmpdir)
    return book.close()


def _book_drop(key: int) -> None:
    _BOOKS.pop(key, None)


def _write_rows(ws: object, rows: Sequence[Sequence[object]]) -> None:
    for i, row in enumerate(rows, start=1):
        _write_rows_at(ws, i, row)


def _write_rows_at(ws: object, i: int, row: Sequence[object]) -> None:
    """One row's cells through XlsxWriter's calls (sheet row ``i``, 0 the header)."""
    number, string, boolean = ws.write_number, ws.write_string, ws.write_boolean  # type: ignore[attr-defined]
    isfinite = math.isfinite
    for j, v in enumerate(row):
        kind = type(v)
        if kind is float or kind is int:
            if kind is int or isfinite(v):
                number(i, j, v)
        elif kind is str:
            if v:                          # an empty text is an empty cell
                string(i, j, v)
        elif v is None:
            continue
        elif isinstance(v, bool):          # before Integral: a bool is an int
            boolean(i, j, v)
        elif isinstance(v, numbers.Real) or hasattr(v, "dtype"):  # numpy scalars
            f = float(v)                   # numpy's bool_ a number, as openpyxl wrote it
            if isfinite(f):
                number(i, j, v if isinstance(v, numbers.Integral) else f)
        else:
            string(i, j, str(v))


_INTERNALS = ("xls_rowmax", "xls_colmax", "xls_strmax", "_write_single_row", "fh",
              "_escape_control_characters", "_escape_data", "dim_colmin", "dim_colmax",
              "dim_rowmin", "dim_rowmax", "previous_row")


def _stream_rows(ws: Any, rows: Sequence[Sequence[object]]) -> bool:
    """Write ``rows`` (sheet rows 2, 3, ...) of a ``constant_memory`` worksheet straight to
    its row file: the XML XlsxWriter writes for the same cells (``_write_rows``), built a
    row at a time instead of through its per-cell calls (~5 µs a cell; see
    docs/performance.md). A row holding a cell outside the common kinds (a text XlsxWriter
    would cut or write as rich text) goes through XlsxWriter's own calls. False (nothing
    written) when the rows do not fit a sheet: XlsxWriter's calls decide then.
    """
    # XlsxWriter's internals this reads: another XlsxWriter without one of them gets its
    # own calls (the same file, only slower), never a half-written sheet
    if not all(hasattr(ws, n) for n in _INTERNALS):
        return False
    try:
        from xlsxwriter.utility import _preserve_whitespace, xl_col_to_name
    except ImportError:
        return False
    if len(rows) >= ws.xls_rowmax or max(map(len, rows), default=0) > ws.xls_colmax:
        return False

    ws._write_single_row(1)  # the header row (still held in memory) to the file first
    fh = ws.fh
    letters: list[str] = []
    control, escape = ws._escape_control_characters, ws._escape_data
    longest = ws.xls_strmax // 2  # XlsxWriter measures (and may cut) texts longer than this
    isfinite = math.isfinite
    lo, hi = ws.dim_colmin, ws.dim_colmax
    for i, row in enumerate(rows, start=1):
        while len(letters) < len(row):
            letters.append(xl_col_to_name(len(letters)))
        r = str(i + 1)
        cells: list[str] = []
        first = last = -1
        for j, v in enumerate(row):
            kind = type(v)
            if kind is float or kind is int:
                if kind is int or isfinite(v):
                    cells.append(f'<c r="{letters[j]}{r}"><v>{v:.16G}</v></c>')
                else:
                    continue
            elif kind is str or not (v is None or isinstance(v, bool | numbers.Real)
                                     or hasattr(v, "dtype")):
                text = v if kind is str else str(v)
                if not text:
                    continue
                if len(text) > longest:
                    break
                text = control(text)
                if text.startswith("<r>") and text.endswith("</r>"):
                    break
                space = ' xml:space="preserve"' if _preserve_whitespace(text) else ""
                cells.append(f'<c r="{letters[j]}{r}" t="inlineStr"><is><t{space}>'
                             f'{escape(text)}</t></is></c>')
            elif v is None:
                continue
            elif isinstance(v, bool):
                cells.append(f'<c r="{letters[j]}{r}" t="b"><v>{1 if v else 0}</v></c>')
            else:  # numpy scalars, other reals: as _write_rows hands them to XlsxWriter
                f = float(v)  # type: ignore[arg-type]
                if not isfinite(f):
                    continue
                n = v if isinstance(v, numbers.Integral) else f
                cells.append(f'<c r="{letters[j]}{r}"><v>{n:.16G}</v></c>')
            if first < 0:
                first = j
            last = j
        else:
            if cells:
                fh.write(f'<row r="{r}">{"".join(cells)}</row>')
                if ws.dim_rowmin is None:
                    ws.dim_rowmin = i
                ws.dim_rowmax = i
                lo = first if lo is None else min(lo, first)
                hi = last if hi is None else max(hi, last)
            continue
        # a row for XlsxWriter's own calls: held in memory, written when the next row comes
        ws.dim_colmin, ws.dim_colmax = lo, hi
        ws.previous_row = i
        _write_rows_at(ws, i, row)
        ws._write_single_row(i + 1)
        lo, hi = ws.dim_colmin, ws.dim_colmax
    ws.dim_colmin, ws.dim_colmax = lo, hi
    ws.previous_row = len(rows) + 1  # nothing held: the workbook's last flush writes nothing
    return True


def openpyxl_workbook_bytes(tables: Sequence[Table]) -> bytes:
    """The same workbook written with openpyxl (the reference; ~10x slower)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    for table in tables:
        ws = wb.create_sheet(sheet_name(table.name))
        ws.append(table.columns)
        for cell in ws[1]:
            cell.font = bold
        for row in table.rows:
            ws.append(row)
        ws.freeze_panes = "A2"
        for i, col in enumerate(table.columns, start=1):
            ws.column_dimensions[ws.cell(1, i).column_letter].width = column_width(col)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def sheet_name(table_name: str) -> str:
    """Excel allows 31 characters and no []:*?/\\ in a sheet name."""
    clean = "".join("_" if c in "[]:*?/\\" else c for c in table_name)
    return clean[:31]
