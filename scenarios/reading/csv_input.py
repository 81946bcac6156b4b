"""CSV records with the file line of each, for the CSV readers (erlang cases, history,
plans): a malformed record (a field over Python's 128 KiB field limit, a stray quote in
strict mode) is one located problem instead of a ``csv.Error`` traceback."""

from __future__ import annotations

import csv
import io

from scenarios.reading.errors import InputError, Problem

FIELD_LIMIT = csv.field_size_limit()  # 131,072 characters: no value of ours comes near


def csv_error_problem(exc: csv.Error, file: str, line: int, text_lines: list[str],
                      header: list[str] | None = None) -> Problem:
    """One located problem for a ``csv.Error`` raised while reading ``line`` (1-based):
    a value over the field limit is named by its column (the header's name, where the
    line is plain comma-separated) and its character column."""
    msg = str(exc)
    if "field larger than field limit" not in msg:
        return Problem(file, line, 1, "", f"invalid CSV: {msg}")
    raw = text_lines[line - 1] if 0 < line <= len(text_lines) else ""
    col, field = 1, ""
    pos = 1
    for j, cell in enumerate(raw.split(",")):
        if len(cell) > FIELD_LIMIT:
            col = pos
            field = header[j] if header and j < len(header) else f"column {j + 1}"
            break
        pos += len(cell) + 1
    return Problem(file, line, col, field,
                   f"a value longer than {FIELD_LIMIT:,} characters: expected one short "
                   f"value per cell")


def read_records(text: str, file: str) -> list[tuple[int, list[str]]]:
    """(first file line of the record, fields) for every record of ``text``."""
    reader = csv.reader(io.StringIO(text, newline=""))
    out: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for rec in reader:
            out.append((start, rec))
            start = reader.line_num + 1
    except csv.Error as exc:
        line = reader.line_num if "field larger" in str(exc) else start
        header = out[0][1] if out else None
        raise InputError([csv_error_problem(exc, file, line, text.split("\n"),
                                            header)]) from None
    return out
