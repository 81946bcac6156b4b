"""``results.xlsx``: one sheet per table, the same cells as the CSV files."""

from __future__ import annotations

import io
from collections.abc import Sequence

from scenarios.run.stage import Table


def workbook_bytes(tables: Sequence[Table]) -> bytes:
    """An .xlsx file with a sheet per table (header bold and frozen)."""
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
            ws.column_dimensions[ws.cell(1, i).column_letter].width = max(10, len(col) + 2)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def sheet_name(table_name: str) -> str:
    """Excel allows 31 characters and no []:*?/\\ in a sheet name."""
    clean = "".join("_" if c in "[]:*?/\\" else c for c in table_name)
    return clean[:31]
