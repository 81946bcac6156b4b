"""Located input problems: one message per problem, ``file:line:col field: message``.

Every user-facing loader raises :class:`InputError`; the CLI prints its problems and exits
with status 2 (docs/formats.md §5, exit codes). The cores never raise it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, with where it is (1-based line and column)."""

    file: str
    line: int | None
    col: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class InputError(Exception):
    """All problems found in one or more input files; reported together, exit status 2."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, file: str, message: str, field: str = "", line: int | None = None,
               col: int | None = None) -> InputError:
        return cls([Problem(file, line, col, field, message)])


def read_input_text(path: str | Path, encoding: str = "utf-8-sig") -> str:
    """The text of an input file; a missing, unreadable or non-UTF-8 file is one problem."""
    file = str(path)
    try:
        return Path(path).read_text(encoding=encoding)
    except FileNotFoundError:
        raise InputError.single(file, "file not found") from None
    except UnicodeDecodeError as exc:
        raise InputError.single(file, f"not UTF-8 text ({exc.reason})") from None
    except IsADirectoryError:
        raise InputError.single(file, "is a folder, expected a file") from None
    except OSError as exc:
        raise InputError.single(file, f"cannot read file: {exc.strerror}") from None


class CommandError(Exception):
    """A command cannot do what was asked for a reason that is not a bad input file (a
    solver that finds no plan, an unreachable cluster): a short message, exit status 1."""
