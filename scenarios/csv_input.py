"""CSV records with the file line of each, for the CSV readers (erlang cases, history,
plans): a malformed record (a field over Python's 128 KiB field limit, a stray quote in
strict mode) is one located problem instead of a ``csv.Error`` traceback."""

from __future__ import annotations

import csv
import io

from scenarios.errors import InputError

FIELD_LIMIT = csv.field_size_limit()  # 131,072 characters: no value of ours comes near


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
        msg = str(exc)
        if "field larger than field limit" in msg:
            msg = f"a value longer than {FIELD_LIMIT:,} characters"
        raise InputError.single(file, f"invalid CSV: {msg}", line=start) from None
    return out
