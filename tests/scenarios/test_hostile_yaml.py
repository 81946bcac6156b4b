"""Hostile YAML (issue 17): every bad file is one located problem, exit 2, no traceback,
in bounded work.

Reference: the exact file:line:col of the offending byte or node, worked out by hand from
each file's text below; bounded work is shown by where the reader stops (the alias bomb is
refused on the line of the first alias that crosses the limit, not after expanding the
document) and by tracemalloc's peak, not by the clock.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from scenarios.reading.errors import InputError
from scenarios.reading.yaml_guard import MAX_ALIAS_NODES, MAX_ALIASES, MAX_DEPTH, MAX_FILE_BYTES
from scenarios.reading.yamlio import read_yaml

EXAMPLES = Path(__file__).parents[2] / "scenarios" / "examples"
PROMO = (EXAMPLES / "promo_day.yaml").read_text(encoding="utf-8")


def one_problem(tmp_path: Path, content: str | bytes, name: str = "f.yaml") -> str:
    """The single problem ``peakdesk validate`` prints, file name shortened; exit 2."""
    f = tmp_path / name
    if isinstance(content, bytes):
        f.write_bytes(content)
    else:
        f.write_text(content, encoding="utf-8")
    res = CliRunner().invoke(main, ["validate", str(f)])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    lines = [ln for ln in res.output.splitlines() if ln.startswith("error:")]
    return "\n".join(lines).replace(str(f), name)


def billion_laughs(levels: int = 9) -> str:
    text = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    prev = "a"
    for i in range(1, levels):
        name = chr(ord("a") + i)
        text += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]\n"
        prev = name
    return text


def test_billion_laughs_is_refused_before_expansion(tmp_path: Path) -> None:
    # level k's anchor expands to 1 + 9 * size(k-1) nodes: 10, 91, 820, 7381, 66430, ...
    # the aliases of level f (each 7381 nodes) cross 100,000 after 14 of them: line 6.
    assert MAX_ALIAS_NODES == 100_000
    f = tmp_path / "lol.yaml"
    f.write_text(billion_laughs(), encoding="utf-8")
    tracemalloc.start()
    with pytest.raises(InputError) as exc:
        read_yaml(f)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    (p,) = exc.value.problems
    assert (p.line, p.message) == (6, "invalid YAML: aliases expand to more than 100,000 "
                                      "values")
    assert peak < 20 * 1024 * 1024  # the 9**9-leaf document would need tens of GB


def test_cyclic_alias_and_alias_count(tmp_path: Path) -> None:
    assert one_problem(tmp_path, "a: &a [1, *a]\n") == (
        "error: f.yaml:1:11: invalid YAML: alias *a refers to the collection that "
        "contains it (a cycle)")
    many = "x: &x 1\ny: [" + ", ".join(["*x"] * (MAX_ALIASES + 1)) + "]\n"
    # alias k starts at column 5 + 4 (k - 1): the 1001st at 4005
    assert one_problem(tmp_path, many) == (
        "error: f.yaml:2:4005: invalid YAML: more than 1,000 aliases")


@pytest.mark.parametrize("flow", [True, False], ids=["flow", "block"])
def test_deep_nesting(tmp_path: Path, flow: bool) -> None:
    depth = 5000 if flow else 400
    if flow:
        text = "a: " + "[" * depth + "]" * depth + "\n"
        # the mapping is level 1, its value's brackets levels 2..: the 50th '[' (col 53)
        # opens level 51
        where = "1:53"
    else:
        text = "".join("  " * i + "k:\n" for i in range(depth)) + "  " * depth + "v\n"
        where = f"{MAX_DEPTH}:{2 * (MAX_DEPTH - 1) + 1}"  # the 50th nested mapping
    assert MAX_DEPTH == 50
    assert one_problem(tmp_path, text) == (
        f"error: f.yaml:{where}: invalid YAML: nested more than 50 levels deep")


def test_huge_integer_and_number_tags(tmp_path: Path) -> None:
    big = PROMO.replace("seed: 7", "seed: " + "9" * 5000)
    line = PROMO[:PROMO.index("seed: 7")].count("\n") + 1
    assert one_problem(tmp_path, big) == (
        f"error: f.yaml:{line}:9: invalid YAML: a number of 5,000 characters: at most 50 "
        f"(quote it if it is text)")
    text = PROMO.replace("max_occupancy: 0.90", "max_occupancy: !!float abc")
    line = PROMO[:PROMO.index("max_occupancy")].count("\n") + 1
    assert one_problem(tmp_path, text) == (
        f"error: f.yaml:{line}:20: invalid YAML: cannot read 'abc' as float (could not "
        f"convert string to float: 'abc')")
    text = PROMO.replace("days: 1", "days: !!int 12.5")
    line = PROMO[:PROMO.index("days: 1")].count("\n") + 1
    assert one_problem(tmp_path, text) == (
        f"error: f.yaml:{line}:9: invalid YAML: cannot read '12.5' as int (invalid literal "
        f"for int() with base 10: '12.5')")


@pytest.mark.parametrize("text, expected", [
    ("a: !foo x\n", "1:4: invalid YAML: YAML tag '!foo' is not supported here: remove it "
                    "(plain values only)"),
    ("a: !!binary aGk=\n", "1:4: invalid YAML: YAML tag '!!binary' is not supported here: "
                           "remove it (plain values only)"),
    ("a: !!python/object:os.system x\n", "1:4: invalid YAML: YAML tag "
                                         "'!!python/object:os.system' is not supported "
                                         "here: remove it (plain values only)"),
    ("a: 1\na: 2\n", "2:1: invalid YAML: while constructing a mapping found duplicate key "
                     "\"a\" with value \"2\" (original value: \"1\")"),
    ("a: 1\n---\nb: 2\n", "2:1: invalid YAML: expected a single document in the stream but "
                          "found another document"),
    ("a: b\n c\n  d: [\n", "3:4: invalid YAML: mapping values are not allowed here"),
    ("", "1:1: the file is empty (no YAML content)"),
    ("# just a comment\n", "1:1: the file is empty (no YAML content)"),
    ("- a\n", "1:1: expected keys and values at the top level (such as 'name: ...'), got "
              "a list"),
    ("name: t\nhorizon: {start: 2026-02-30}\n",
     "2:18: invalid YAML: cannot read '2026-02-30' as timestamp (day is out of range for "
     "month)"),
], ids=["local-tag", "binary", "python-tag", "duplicate-key", "two-documents", "syntax",
        "empty", "comment-only", "top-level-list", "impossible-date"])
def test_yaml_errors_are_located(tmp_path: Path, text: str, expected: str) -> None:
    got = one_problem(tmp_path, text)
    assert got.splitlines()[0] == f"error: f.yaml:{expected}" or \
        f"error: f.yaml:{expected}" in got.splitlines(), got


@pytest.mark.parametrize("content, expected", [
    (b"name: ok\nb: \xff\xfe\n", "2:4: not UTF-8 text: byte 0xff (invalid start byte); save "
                                  "the file as UTF-8"),
    (b"name: a\x00b\n", "1:8: control character U+0000 is not allowed in a text input"),
    (b"a: 1\nb: \x1b[31m\n", "2:4: control character U+001B is not allowed in a text input"),
], ids=["non-utf8", "nul", "escape"])
def test_bytes_are_located(tmp_path: Path, content: bytes, expected: str) -> None:
    assert one_problem(tmp_path, content) == f"error: f.yaml:{expected}"


def test_oversized_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    big = "a: [" + "1, " * (MAX_FILE_BYTES // 3) + "1]\n"
    assert one_problem(tmp_path, big) == (
        "error: f.yaml:1:1: file larger than 4 MiB: not a peakdesk input")


def test_upper_case_key_is_located(tmp_path: Path) -> None:
    """An upper-case key looked like a pydantic union tag to the locator (IndexError)."""
    out = one_problem(tmp_path, PROMO.replace("name:", "Name:", 1))
    line = PROMO[:PROMO.index("name:")].count("\n") + 1
    assert f"error: f.yaml:{line}:1: Name: unknown key 'Name' (did you mean 'name'?)" in out


@pytest.mark.parametrize("char, shown", [("\u2028", "\\u2028"), ("\u2029", "\\u2029"),
                                          ("\u202e", "\\u202e")])
def test_odd_characters_in_keys_stay_on_one_line(tmp_path: Path, char: str, shown: str
                                                 ) -> None:
    out = one_problem(tmp_path, PROMO.replace("currency:", f"curr{char}ency:", 1))
    line = PROMO[:PROMO.index("currency:")].count("\n") + 1
    expected = f"error: f.yaml:{line}:1: curr{shown}ency: unknown key 'curr{shown}ency'"
    assert any(ln.startswith(expected) for ln in out.splitlines()), out
    assert char not in out
