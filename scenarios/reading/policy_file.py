"""Load a policy file into a :class:`rules.schema.Policy`, every problem located.

Three layers, all problems reported together: YAML syntax (``read_yaml``), the schema
(pydantic, unknown keys with "did you mean"), then every formula parsed and checked
against the KPI catalogue, the policy's own metrics and the KPI table's columns (when
paying one). A formula error points at the character inside the YAML value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rules.compiled import CompiledPolicy, PolicyFormulaError, check_raw_formulas, compile_policy
from rules.schema import Policy
from scenarios.reading.errors import InputError, Problem
from scenarios.reading.yamlio import position, read_yaml, to_plain, validate


def formula_position(root: Any, loc: tuple[Any, ...], offset: int, file: str) -> tuple[int | None, int | None]:
    """file line/column of character ``offset`` inside the YAML scalar at ``loc``."""
    line, col = position(root, loc)
    if line is None or col is None:
        return line, col
    try:
        lines = Path(file).read_text(encoding="utf-8").splitlines()
        text = lines[line - 1]
    except (OSError, IndexError, UnicodeDecodeError):
        return line, col
    first = text[col - 1] if col - 1 < len(text) else ""
    if first in ">|":  # block scalar: the formula's lines follow, joined by spaces
        return _block_position(lines, line, offset)
    return line, col + offset + (1 if first in "'\"" else 0)


def _block_position(lines: list[str], line: int, offset: int) -> tuple[int, int]:
    """Line/column of ``offset`` in a folded (``>``) or literal (``|``) block scalar."""
    seen = 0
    start = line  # index of the first content line (0-based: line)
    indent = None
    for i in range(start, len(lines)):
        raw = lines[i]
        if not raw.strip():
            continue
        lead = len(raw) - len(raw.lstrip())
        indent = lead if indent is None else indent
        if lead < indent:
            break
        content = raw.strip()
        if offset <= seen + len(content):
            return i + 1, lead + 1 + (offset - seen)
        seen += len(content) + 1
    return line, 1


def formula_problems(exc: PolicyFormulaError, root: Any, file: str) -> list[Problem]:
    problems = []
    for loc, err in exc.errors:
        line, col = formula_position(root, loc, err.offset, file)
        problems.append(Problem(file, line, col, ".".join(map(str, loc)), err.message))
    problems.sort(key=lambda p: (p.line or 0, p.col or 0))
    return problems


def load_policy_located(path: str | Path, columns: Any = ()) -> tuple[CompiledPolicy, Any]:
    """The compiled policy and the YAML tree (for locating later findings, e.g. lint)."""
    file = str(path)
    root = read_yaml(path)
    if not isinstance(root, dict) or "policy" not in root:
        raise InputError.single(file, "not a policy file: it needs a top-level 'policy: NAME'",
                                line=1, col=1)
    try:
        policy = validate(Policy, root, file)
    except InputError as exc:
        # report formula problems together with the schema's
        more = formula_problems(PolicyFormulaError(check_raw_formulas(to_plain(root), columns)),
                                root, file)
        raise InputError(sorted(exc.problems + more, key=lambda p: (p.line or 0, p.col or 0))) \
            from None
    try:
        compiled = compile_policy(policy, columns)
    except PolicyFormulaError as exc:
        raise InputError(formula_problems(exc, root, file)) from None
    return compiled, root


def load_policy(path: str | Path, columns: Any = ()) -> Policy:
    """Read, validate and compile-check a policy file (raises InputError with every problem).

    ``columns``: the KPI table's column names, when the policy is loaded to pay that table
    (its formulas may then use those columns too).
    """
    return load_policy_located(path, columns)[0].policy
