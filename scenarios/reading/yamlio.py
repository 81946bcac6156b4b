"""YAML loading that keeps positions, and pydantic validation with located errors.

ruamel.yaml's round-trip loader (YAML 1.2) keeps line/column on every mapping and
sequence, leaves ``12:30`` and ``NO`` as strings and rejects duplicate keys
(docs/sources.md, design choices). Validation errors from pydantic carry a ``loc`` path which we
walk back through the loaded tree to a ``file:line:col``; unknown keys get a "did you
mean" from the model's own field names. All problems are reported at once.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from scenarios.reading.errors import InputError, Problem, line_col, read_input_text
from scenarios.reading.limits import MAX_INTERVALS
from scenarios.reading.number_lists import (
    Cut,
    LineMap,
    ListItemError,
    NumberList,
    cut_number_lists,
    shrunk,
    shrunk_unclosed,
)
from scenarios.reading.yaml_guard import MAX_FILE_BYTES, BoundedComposer, CheckedConstructor, short

M = TypeVar("M", bound=BaseModel)
MAX_PROBLEMS = 30  # listed per file, as for CSV inputs


def read_yaml(path: str | Path) -> Any:
    """Parse a YAML file with positions, within the limits of :mod:`scenarios.reading.yaml_guard`;
    any problem (size, encoding, syntax, limits, tags) becomes one located problem."""
    path = Path(path)
    name = str(path)
    text = read_input_text(path, encoding="utf-8", max_bytes=MAX_FILE_BYTES)
    try:
        short_text, cuts = cut_number_lists(text)
    except ListItemError as exc:  # an item of a long list that YAML refuses
        line, col = line_col(text, exc.offset)
        raise InputError.single(name, f"invalid YAML: {exc.message}", line=line,
                                col=col) from None
    same = lambda line: line  # noqa: E731
    if cuts:
        lines = LineMap(cuts)
        data = _load(short_text, name, cuts, lines)
        if all(c.used for c in cuts.values()):
            _map_lines(data, lines, set())
            return data
        # a cut was not a whole value (text of a string, or a list that more text follows):
        # check the file's shape with the lists shortened — an error is found in seconds —
        # and only a valid file is read the ordinary way
        _load(shrunk(text, cuts), name, {}, same)
    else:
        unclosed = shrunk_unclosed(text)  # a file cut off inside a long list
        if unclosed is not None:
            _load(unclosed, name, {}, same)
    return _load(text, name, {}, same)


def _map_lines(node: Any, lines: Callable[[int], int], seen: set[int]) -> None:
    """Move every position of a tree parsed from shortened text to the file's lines."""
    if not isinstance(node, (CommentedMap, CommentedSeq)) or id(node) in seen:
        return
    seen.add(id(node))
    lc = node.lc
    if lc.line is not None:
        lc.line = lines(lc.line)
    for key, where in (lc.data or {}).items():
        where[0] = lines(where[0])
        if len(where) > 2:
            where[2] = lines(where[2])
        value = node.get(key) if isinstance(node, CommentedMap) else node[key]
        if isinstance(value, NumberList):  # where the list is written, not its placeholder
            where[-2:] = list(value.place)
        lc.data[key] = where
    children = node.values() if isinstance(node, CommentedMap) else node
    for child in children:
        _map_lines(child, lines, seen)
    for merged in getattr(node, "merge", None) or ():
        _map_lines(merged[1] if isinstance(merged, tuple) else merged, lines, seen)


def _load(text: str, name: str, cuts: dict[str, Cut], lines: Callable[[int], int]) -> Any:
    """Parse ``text`` (long number lists already cut out into ``cuts``; ``lines`` maps a
    line of ``text`` to the file's, 0-based)."""
    yaml = YAML(typ="rt")
    yaml.Composer = BoundedComposer
    yaml.Constructor = CheckedConstructor
    yaml.constructor.number_cuts = cuts
    yaml.composer.number_sizes = {t: c.size for t, c in cuts.items()}
    try:
        data = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        msg = " ".join(s for s in (exc.context, exc.problem) if s) or "invalid YAML"
        msg = " ".join(msg.split())  # ruamel wraps some messages over lines
        line = lines(mark.line) + 1 if mark else None
        col = mark.column + 1 if mark else None
        raise InputError.single(name, f"invalid YAML: {msg}", line=line, col=col) from None
    except ReaderError as exc:  # characters are checked before; kept as a safety net
        line, col = line_col(text, exc.position)
        raise InputError.single(name, f"invalid YAML: {exc.reason}", line=lines(line - 1) + 1,
                                col=col) from None
    except YAMLError as exc:
        raise InputError.single(name, f"invalid YAML: {' '.join(str(exc).split())}",
                                line=1, col=1) from None
    except RecursionError:  # the depth limit should make this unreachable
        raise InputError.single(name, "invalid YAML: nested too deeply", line=1,
                                col=1) from None
    if data is None:
        raise InputError.single(name, "the file is empty (no YAML content)", line=1, col=1)
    return data


def position(root: Any, loc: tuple[Any, ...], *, key: bool = False) -> tuple[int | None, int | None]:
    """1-based (line, col) of the node at ``loc`` in a ruamel tree.

    Path parts that are not keys of the YAML (pydantic's union tags, ``[key]``) are skipped.
    With ``key=True`` the position of the last key itself is returned (for unknown keys).
    A path that leaves the tree (a missing field) points at the deepest mapping reached.
    """
    node = root
    best: tuple[int | None, int | None] = (1, 1)
    if isinstance(root, (CommentedMap, CommentedSeq)) and root.lc.line is not None:
        best = (root.lc.line + 1, root.lc.col + 1)
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, CommentedMap) and part in node:
            holder = _holder(node, part)
            if holder is not None:
                ln, col = holder.lc.key(part) if (key and last) else holder.lc.value(part)
                best = (ln + 1, col + 1)
            node = node[part]
        elif isinstance(node, NumberList) and isinstance(part, int) and 0 <= part < len(node):
            best = node.item_position(part)
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            ln, col = node.lc.item(part)
            best = (ln + 1, col + 1)
            node = node[part]
        else:
            continue
    return best


def _holder(node: CommentedMap, key: Any) -> CommentedMap | None:
    """The mapping whose own text holds ``key``: ``node`` itself, or — for a key merged in
    with ``<<: *anchor`` — the anchored mapping it came from (the first merged mapping that
    has it wins, as in YAML's merge rule), followed through merges of merges."""
    if key in (node.lc.data or {}):
        return node
    for merged in getattr(node, "merge", None) or ():
        m = merged[1] if isinstance(merged, tuple) else merged  # (index, map) before 0.18.7
        if isinstance(m, CommentedMap):
            found = _holder(m, key)
            if found is not None:
                return found
    return None


def _unwrap(tp: Any) -> list[Any]:
    """The concrete types an annotation may hold (Optional/Union/Annotated flattened)."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        out: list[Any] = []
        for arg in typing.get_args(tp):
            out.extend(_unwrap(arg))
        return out
    return [tp]


def allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names (and aliases) accepted by the mapping at ``loc`` of ``model``'s data."""
    candidates: list[Any] = [model]
    for part in loc:
        nxt: list[Any] = []
        for tp in candidates:
            for t in _unwrap(tp):
                origin = typing.get_origin(t)
                if isinstance(t, type) and issubclass(t, BaseModel):
                    if part in t.model_fields:
                        nxt.append(t.model_fields[part].annotation)
                    else:
                        for f in t.model_fields.values():
                            if f.alias == part:
                                nxt.append(f.annotation)
                elif origin is dict and not isinstance(part, int):
                    nxt.append(typing.get_args(t)[1])
                elif origin in (list, tuple) and isinstance(part, int):
                    nxt.append(typing.get_args(t)[0])
        candidates = nxt or candidates  # a union tag: stay where we are
    names: list[str] = []
    for tp in candidates:
        for t in _unwrap(tp):
            if isinstance(t, type) and issubclass(t, BaseModel):
                for n, f in t.model_fields.items():
                    names.append(f.alias or n)
            elif typing.get_origin(t) is dict:
                key_t = typing.get_args(t)[0]
                if typing.get_origin(key_t) is typing.Literal:
                    names.extend(str(a) for a in typing.get_args(key_t))
    return sorted(set(names))


def did_you_mean(word: str, options: list[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest option, or empty."""
    close = difflib.get_close_matches(str(word), options, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _dotted(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc if p != "[key]")


def _is_union_tag(part: Any) -> bool:
    """pydantic's name for a union member in an error loc (a class or function name)."""
    return isinstance(part, str) and (part[:1].isupper() or part.startswith("function-")
                                      or part in {"list[...]", "constrained-float"}
                                      or "[" in part and part != "[key]")


def _field_loc(root: Any, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop pydantic's union-member tags from an error loc, walking the data alongside so
    that a key the file really holds (``Name``, ``Str[x]``) is never mistaken for one."""
    out: list[Any] = []
    node = root
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif part != "[key]" and _is_union_tag(part):
            continue
        else:
            node = None
        out.append(part)
    return tuple(out)


def problems_from_validation(exc: ValidationError, root: Any, file: str,
                             model: type[BaseModel], prefix: tuple[Any, ...] = ()) -> list[Problem]:
    """Translate pydantic's errors into located :class:`Problem` s (de-duplicated): the
    first :data:`MAX_PROBLEMS`, then one line saying how many more (a list of 600,000 bad
    values gives 600,000 errors; listing them all took minutes)."""
    seen: set[tuple[Any, ...]] = set()
    problems: list[Problem] = []
    errors = exc.errors(include_url=False)
    for n, err in enumerate(errors):
        if len(problems) >= MAX_PROBLEMS:
            last = max(problems, key=lambda p: (p.line or 0, p.col or 0))
            problems.append(Problem(file, last.line, last.col, "",
                                    f"… and up to {len(errors) - n:,} more problems like "
                                    f"these (the first {MAX_PROBLEMS} are listed)"))
            break
        loc = _field_loc(root, tuple(prefix) + tuple(err["loc"]))[len(prefix):]
        kind = err["type"]
        msg = err["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, "):]
        is_key = kind == "extra_forbidden" or (loc and loc[-1] == "[key]")
        path = tuple(p for p in loc if p != "[key]")
        if kind == "extra_forbidden":
            parent = path[:-1]
            options = allowed_keys(model, parent)
            name = path[-1] if path else ""
            msg = f"unknown key '{name}'{did_you_mean(name, options)}"
            if options:
                msg += f"; expected one of: {', '.join(options)}"
        elif loc and loc[-1] == "[key]":
            options = allowed_keys(model, path[:-1])
            name = path[-1] if path else ""
            msg = f"unknown name '{name}'{did_you_mean(name, options)}"
            if options:
                msg += f"; expected one of: {', '.join(options)}"
        elif kind == "missing":
            msg = f"missing required field '{path[-1]}'" if path else "missing required field"
        elif "input" in err and kind not in ("model_type", "dict_type") and not isinstance(
            err["input"], (dict, list)
        ):
            got = err["input"]
            msg = f"{msg} (got {got.isoformat() if hasattr(got, 'isoformat') else short(got)})"
        line, col = position(root, prefix + path, key=bool(is_key))
        key = (line, col, _dotted(path), msg)
        if key in seen:
            continue
        seen.add(key)
        problems.append(Problem(file, line, col, _dotted(prefix + path), msg))
    problems.sort(key=lambda p: (p.line or 0, p.col or 0))
    return problems


def to_plain(node: Any) -> Any:
    """Convert a ruamel tree to plain dicts/lists/scalars (ScalarFloat → float etc.)."""
    if isinstance(node, NumberList) and node.plain:
        return list(node)  # plain ints and floats already
    if isinstance(node, dict):
        return {str(k): to_plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [to_plain(v) for v in node]
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return node


def validate(model: type[M], data: Any, file: str, *, context: dict[str, Any] | None = None) -> M:
    """Validate loaded YAML ``data`` against ``model``; raise one InputError with all problems."""
    if not isinstance(data, dict):
        what = "a list" if isinstance(data, list) else f"a single value ({short(data)})"
        raise InputError.single(file, f"expected keys and values at the top level (such as "
                                      f"'name: ...'), got {what}", line=1, col=1)
    too_long = list(_long_lists(data, ()))
    if too_long:  # before pydantic, which would list each of 600,000 bad values
        raise InputError([Problem(file, *position(data, loc), _dotted(loc),
                                  f"a list of {n:,} values: at most {MAX_INTERVALS:,} (a year "
                                  f"of 15-minute intervals) fit any field")
                          for loc, n in too_long])
    try:
        return model.model_validate(to_plain(data), context=context)
    except ValidationError as exc:
        raise InputError(problems_from_validation(exc, data, file, model)) from None


def _long_lists(node: Any, loc: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], int]]:
    """(path, length) of every list longer than any field of a peakdesk file takes."""
    if isinstance(node, list):
        if len(node) > MAX_INTERVALS:
            yield loc, len(node)
        elif not isinstance(node, NumberList):
            for k, v in enumerate(node):
                yield from _long_lists(v, (*loc, k))
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _long_lists(v, (*loc, k))


def load_model(path: str | Path, model: type[M], *, context: dict[str, Any] | None = None) -> M:
    """Read ``path`` and validate it as ``model`` (the one way files become typed objects)."""
    data = read_yaml(path)
    return validate(model, data, str(path), context=context)


def locate_problems(problems: list[Problem]) -> list[Problem]:
    """``problems`` with a line and column for each YAML problem that names a field but no
    line (checks made after loading, e.g. a pool with no staffing for ``simulate``): the
    file is read again and the field's path walked to where its value is written."""
    roots: dict[str, Any] = {}
    out: list[Problem] = []
    for p in problems:
        if p.line is None and p.field and Path(p.file).suffix.lower() in (".yaml", ".yml"):
            if p.file not in roots:
                try:
                    roots[p.file] = read_yaml(p.file)
                except (InputError, OSError):
                    roots[p.file] = None
            root = roots[p.file]
            if root is not None:
                loc = tuple(int(s) if s.isdigit() else s for s in p.field.split("."))
                line, col = position(root, loc)
                p = Problem(p.file, line, col, p.field, p.message)
        out.append(p)
    return out
