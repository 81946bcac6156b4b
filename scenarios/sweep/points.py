"""The points of a sweep: the grid (or listed set) of values, each point's resolved
scenario checked like a loaded file, and the key that names its results.

A point's scenario is the base file with the point's values set; files it refers to
(policies, plan CSVs: the schema's relative paths) are made absolute, so the point's
scenario runs from anywhere — the sweep folder keeps it (``scenarios/<point>.yaml``) and
``peakdesk run`` on it alone gives the same numbers. The key is the SHA-256 of the
resolved scenario, the contents of the files it refers to, the seed and the run options
(stages, quick): the same key means the same results, so ``--resume`` reuses a point
whose folder exists and a changed input gives a new point.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import itertools
import json
import re
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from scenarios.reading.errors import InputError, Problem
from scenarios.reading.limits import RelPath
from scenarios.reading.yamlio import _unwrap, read_yaml, to_plain, validate
from scenarios.schema import Scenario
from scenarios.sweep.keys import Key, KeyError_, parse_value, resolve_key


@dataclass(frozen=True)
class Point:
    """One run of the sweep."""

    values: dict[str, Any]  # KEY -> value, in the order of the --vary options
    data: dict[str, Any]  # the resolved scenario (plain, absolute paths)
    key: str  # SHA-256 hex of the resolved inputs
    name: str  # folder name: the values and the key's start

    def label(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self.values.items())


def parse_vary(texts: Sequence[str], file: str) -> list[tuple[str, list[Any]]]:
    """``KEY=V1,V2,...`` options as (KEY, values); a malformed one is a located problem."""
    out, problems = [], []
    for text in texts:
        key, sep, vals = text.partition("=")
        try:
            if not sep or not key.strip():
                raise KeyError_("expected KEY=V1,V2,... such as reserve=100,200")
            values = [parse_value(v) for v in vals.split(",")]
            if len(set(map(repr, values))) != len(values):
                raise KeyError_("a value is listed twice")
            out.append((key.strip(), values))
        except KeyError_ as exc:
            problems.append(Problem(file, None, None, f"--vary {text}", str(exc)))
    keys = [k for k, _ in out]
    for k in {k for k in keys if keys.count(k) > 1}:
        problems.append(Problem(file, None, None, f"--vary {k}", "is given twice"))
    if problems:
        raise InputError(problems)
    return out


def grid(varies: Sequence[tuple[str, list[Any]]]) -> list[dict[str, Any]]:
    """Every combination of the values (the first key changes slowest)."""
    keys = [k for k, _ in varies]
    return [dict(zip(keys, combo, strict=True))
            for combo in itertools.product(*[v for _, v in varies])]


def read_points(path: str | Path) -> list[dict[str, Any]]:
    """A points CSV: one column per KEY, one row per point (a listed set, not a grid)."""
    from scenarios.reading.errors import read_input_text

    text = read_input_text(Path(path), encoding="utf-8", max_bytes=10_000_000)
    rows = list(csv.reader(text.splitlines()))
    if len(rows) < 2 or not rows[0]:
        raise InputError.single(str(path), "expected a header of KEYs and one row per point",
                                line=1, col=1)
    header = [h.strip() for h in rows[0]]
    out = []
    for n, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise InputError.single(str(path), f"has {len(row)} cells; the header has "
                                               f"{len(header)}", line=n, col=1)
        try:
            out.append({k: parse_value(v) for k, v in zip(header, row, strict=True)})
        except KeyError_ as exc:
            raise InputError.single(str(path), str(exc), line=n, col=1) from None
    return out


# ---------------------------------------------------------------- resolved scenarios
def _is_rel(tp: Any) -> str | None:
    """"one" / "list" when the annotation holds a path relative to the scenario file."""
    for t in _unwrap_keep(tp):
        if t == RelPath:
            return "one"
        if typing.get_origin(t) is list and typing.get_args(t)[0] == RelPath:
            return "list"
    return None


def _unwrap_keep(tp: Any) -> list[Any]:
    """A union's members as written (``Annotated`` kept, so a RelPath stays recognisable)."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return list(typing.get_args(tp))
    return [tp]


def absolute_paths(model: type[BaseModel], node: Any, base: Path,
                   found: list[Path]) -> None:
    """Make every relative path of the schema in ``node`` absolute against ``base``
    (the base scenario's folder); collect them in ``found``."""
    if not isinstance(node, dict):
        return
    for name, f in model.model_fields.items():
        key = f.alias or name
        if key not in node or node[key] is None:
            continue
        kind = _is_rel(f.annotation)
        if kind == "one" and isinstance(node[key], str):
            node[key] = str((base / node[key]).resolve())
            found.append(Path(node[key]))
        elif kind == "list" and isinstance(node[key], list):
            node[key] = [str((base / p).resolve()) for p in node[key]]
            found.extend(Path(p) for p in node[key])
        else:
            _descend(f.annotation, node[key], base, found)


def _descend(tp: Any, value: Any, base: Path, found: list[Path]) -> None:
    for t in _unwrap(tp):
        if isinstance(t, type) and issubclass(t, BaseModel):
            absolute_paths(t, value, base, found)
        elif typing.get_origin(t) is dict and isinstance(value, dict):
            for v in value.values():
                _descend(typing.get_args(t)[1], v, base, found)
        elif typing.get_origin(t) is list and isinstance(value, list):
            for v in value:
                _descend(typing.get_args(t)[0], v, base, found)


def _file_hash(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "missing"


def point_key(data: dict[str, Any], files: Sequence[Path], options: dict[str, Any]) -> str:
    """SHA-256 of the resolved scenario (the validated model: every default filled in,
    40 and 40.0 alike), its files' contents and the run options."""
    blob = json.dumps({"scenario": data, "files": {str(p): _file_hash(p) for p in files},
                       "seed": (data.get("simulation") or {}).get("seed"),
                       "options": options}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def _short_names(keys: Sequence[str]) -> dict[str, str]:
    """Each key's shortest dotted ending that no other key shares (for folder names)."""
    out = {}
    for k in keys:
        parts = k.split(".")
        for n in range(1, len(parts) + 1):
            tail = ".".join(parts[-n:])
            if n == len(parts) or sum(o.split(".")[-n:] == parts[-n:] for o in keys) == 1:
                out[k] = tail
                break
    return out


def _slug(values: dict[str, Any]) -> str:
    names = _short_names(list(values))
    parts = []
    for k, v in values.items():
        v = Path(str(v)).stem if isinstance(v, str) and "/" in v else v
        parts.append(f"{names[k]}-{v}")
    text = re.sub(r"[^A-Za-z0-9._=+-]+", "_", "_".join(parts)).strip("._") or "point"
    return text[:80]


def _located(problems: list[Problem], label: str) -> list[Problem]:
    return [Problem(p.file, p.line, p.col, p.field, f"{p.message} (in the point {label})")
            for p in problems]


def _locate_new_keys(node: Any) -> None:
    """Keys a point added to the file's mappings are placed at their mapping (so a
    problem with them is reported there)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        here = [node.lc.line or 0, node.lc.col or 0] * 2
        for k, v in node.items():
            if k not in node.lc.data:
                node.lc.data[k] = list(here)
            _locate_new_keys(v)
    elif isinstance(node, (CommentedSeq, list)):
        for v in node:
            _locate_new_keys(v)
    elif isinstance(node, dict):
        for v in node.values():
            _locate_new_keys(v)


def check_point(data: Any, file: str) -> list[Problem]:
    """The problems ``peakdesk run`` would find in the point's scenario (schema, cross
    references, policy files), located in the base file where the key is written there."""
    from scenarios.reading.load import cross_check, policy_problems

    try:
        sc: Scenario = validate(Scenario, data, file)
    except InputError as exc:
        return exc.problems
    return cross_check(sc, data, file) + policy_problems(sc, data, file)


def build_points(scenario: str | Path, combos: Sequence[dict[str, Any]],
                 options: dict[str, Any]) -> list[Point]:
    """Resolve, check and key every point; all problems are raised together (exit 2)
    before anything runs."""
    path = Path(scenario)
    file = str(path)
    base = read_yaml(path)
    problems: list[Problem] = []
    keys: dict[str, Key] = {}
    for k in dict.fromkeys(k for c in combos for k in c):
        try:
            keys[k] = resolve_key(k, base)
        except KeyError_ as exc:
            problems.append(Problem(file, None, None, f"--vary {k}", str(exc)))
    if problems:
        raise InputError(problems)
    points, seen = [], set()
    for values in combos:
        data = copy.deepcopy(base)
        label = ", ".join(f"{k}={v}" for k, v in values.items())
        try:
            for k, v in values.items():
                keys[k].apply(data, v)
        except KeyError_ as exc:
            problems.append(Problem(file, None, None, f"--vary {label}", str(exc)))
            continue
        _locate_new_keys(data)
        found = check_point(data, file)
        if found:
            problems.extend(_located(found, label))
            continue
        plain = to_plain(data)
        files: list[Path] = []
        absolute_paths(Scenario, plain, path.absolute().parent, files)
        resolved = Scenario.model_validate(plain).model_dump(mode="json")  # 40 == 40.0
        key = point_key(resolved, files, options)
        if key in seen:
            problems.append(Problem(file, None, None, f"--vary {label}",
                                    "gives the same scenario as an earlier point"))
            continue
        seen.add(key)
        points.append(Point(dict(values), plain, key, f"{_slug(values)}-{key[:10]}"))
    if problems:
        raise InputError(problems)
    return points


def scenario_text(point: Point, base: str | Path) -> str:
    """The point's scenario as a YAML file (a header says where it comes from)."""
    import io

    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = None
    yaml.allow_unicode = True
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[attr-defined]
    buf = io.StringIO()
    yaml.dump(point.data, buf)
    head = (f"# peakdesk sweep point {point.label()}\n# base scenario: {Path(base).absolute()}"
            f"\n# key: {point.key}\n")
    return head + buf.getvalue()
