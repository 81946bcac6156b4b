"""Located input problems: one message per problem, ``file:line:col field: message``.

Every user-facing loader raises :class:`InputError`; the CLI prints its problems and exits
with status 2 (docs/formats.md §5, exit codes). The cores never raise it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

# Characters that would break "one line per problem" or hide what a file holds: C0/C1
# controls (incl. NUL, CR, LF, NEL U+0085), line/paragraph separators (U+2028/U+2029) and
# format characters (bidirectional overrides, zero-width joiners).
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}


def printable(text: object) -> str:
    """``text`` with every control, separator or format character shown as an escape
    (``\\x00``, ``\\u2028``), so a message is always one visible line."""
    s = str(text)
    if s.isprintable():
        return s
    out = []
    for ch in s:
        if unicodedata.category(ch) in _HIDDEN_CATEGORIES:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else
                       f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(ch)
    return "".join(out)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, with where it is (1-based line and column)."""

    file: str
    line: int | None
    col: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = printable(self.file)
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        field = f" {printable(self.field)}:" if self.field else ""
        return f"{where}:{field} {printable(self.message)}"


class InputError(Exception):
    """All problems found in one or more input files; reported together, exit status 2."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, file: str, message: str, field: str = "", line: int | None = None,
               col: int | None = None) -> InputError:
        return cls([Problem(file, line, col, field, message)])


# YAML 1.2 §5.1's printable set (tab, line breaks, and everything but C0/C1 controls, DEL,
# surrogates and U+FFFE/U+FFFF; NEL U+0085 is allowed); the same rule for CSV inputs.
_FORBIDDEN = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd"
                        "\U00010000-\U0010ffff]")
MAX_INPUT_BYTES = 32 * 1024 * 1024  # CSV inputs; YAML has its own, smaller limit


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of character ``offset`` of ``text`` (lines end at LF)."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def decode_text(raw: bytes, file: str) -> str:
    """UTF-8 text of ``raw`` without a BOM; the first byte that is not UTF-8, or a control
    character no text input may hold (NUL, ESC, ...), is one located problem."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = raw[:exc.start].decode("utf-8", errors="replace")
        line, col = line_col(good, len(good))
        raise InputError.single(file, f"not UTF-8 text: byte 0x{raw[exc.start]:02x} "
                                      f"({exc.reason}); save the file as UTF-8",
                                line=line, col=col) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    bad = _FORBIDDEN.search(text)
    if bad:
        line, col = line_col(text, bad.start())
        raise InputError.single(file, f"control character U+{ord(bad.group()):04X} is not "
                                      f"allowed in a text input", line=line, col=col)
    return text


def read_input_text(path: str | Path, encoding: str = "utf-8-sig",
                    max_bytes: int = MAX_INPUT_BYTES) -> str:
    """The text of an input file; a missing, unreadable, oversized or non-UTF-8 file, or
    one holding control characters, is one problem (with line and column where known).

    ``encoding`` is accepted for compatibility: inputs are UTF-8, with or without a BOM.
    At most ``max_bytes`` are read, so a device or endless file cannot exhaust memory.
    """
    file = str(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError.single(file, "file not found") from None
    except IsADirectoryError:
        raise InputError.single(file, "is a folder, expected a file") from None
    except OSError as exc:
        raise InputError.single(file, f"cannot read file: {exc.strerror or exc}") from None
    if len(raw) > max_bytes:
        raise InputError.single(file, f"file larger than {max_bytes // (1024 * 1024)} MiB: "
                                      f"not a peakdesk input", line=1, col=1)
    return decode_text(raw, file)


class CommandError(Exception):
    """A command cannot do what was asked for a reason that is not a bad input file (a
    solver that finds no plan, an unreachable cluster): a short message, exit status 1."""
