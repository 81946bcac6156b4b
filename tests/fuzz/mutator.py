"""A seeded mutator for peakdesk's input files: hostile edits of a valid file's text.

Each mutant is the bundled file with one to three edits drawn from :data:`YAML_EDITS`,
:data:`CSV_EDITS` or :data:`JSON_EDITS`: absurd numbers and dates, broken structure
(deleted, duplicated, swapped, re-indented or truncated lines), YAML bombs (deep nesting,
aliases), merge keys and anchors (a mapping merged into another, a value anchored and
aliased elsewhere), number lists of up to 600,000 items, tags, duplicate and upper-case
keys, control characters, line separators and bytes that are not UTF-8; JSON manifests
get wrong types (lists, numbers, nested values) and unknown languages. The same
(seed, index) always gives the same mutant.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

HOSTILE_NUMBERS = [".inf", "-.inf", ".nan", "1e308", "-1e308", "1e15", "-1", "0", "-0",
                   "1e-320", "12.5", "9" * 5000, "0x7fffffffffffffff", "1_000_000",
                   "!!float abc", "!!int 12.5", "''", "~", "[]", "{}", "null", "yes",
                   "9999-12-31T00:00", "2026-11-10T00:00+08:00", "1900-01-01", "2026-02-30",
                   "-9223372036854775809", '"' + "x" * 300 + '"']
ODD_CHARS = ["\x00", "\x1b", "\x7f", "\u2028", "\u2029", "\x85", "\ufeff", "\u202e",
             "\t", "\r", "\\", '"', "'", "&", "*", "!", "|", ">", "%", "@", "`"]
BAD_BYTES = [b"\xff", b"\xfe\xff", b"\xc3", b"\xed\xa0\x80", b"\x80"]
CSV_CELLS = ["inf", "-inf", "nan", "1e300", "-1", "", "0", "1e-320", "x", "1,2", '"',
             '"a""b"', "2026-01-01T00:00+08:00", "9999-12-31T00:00", "1900-01-01T00:00",
             "9" * 5000, "x" * 140_000, "12.5", "%", "1e15"]

_NUMBER = re.compile(r"(?<![\w.])-?\d+(\.\d+)?(e[+-]?\d+)?(?![\w.:-])")
_VALUE = re.compile(r":( +)([^#\n]+)")

Edit = Callable[[str, random.Random], str]


def _lines(text: str) -> list[str]:
    return text.split("\n")


def replace_number(text: str, rng: random.Random) -> str:
    hits = list(_NUMBER.finditer(text))
    if not hits:
        return text
    m = rng.choice(hits)
    return text[:m.start()] + rng.choice(HOSTILE_NUMBERS) + text[m.end():]


def replace_value(text: str, rng: random.Random) -> str:
    hits = list(_VALUE.finditer(text))
    if not hits:
        return text
    m = rng.choice(hits)
    return text[:m.start(2)] + rng.choice(HOSTILE_NUMBERS) + text[m.end(2):]


def delete_line(text: str, rng: random.Random) -> str:
    ls = _lines(text)
    del ls[rng.randrange(len(ls))]
    return "\n".join(ls)


def duplicate_line(text: str, rng: random.Random) -> str:
    ls = _lines(text)
    i = rng.randrange(len(ls))
    ls.insert(i, ls[i])
    return "\n".join(ls)


def swap_lines(text: str, rng: random.Random) -> str:
    ls = _lines(text)
    i, j = rng.randrange(len(ls)), rng.randrange(len(ls))
    ls[i], ls[j] = ls[j], ls[i]
    return "\n".join(ls)


def reindent(text: str, rng: random.Random) -> str:
    ls = _lines(text)
    i = rng.randrange(len(ls))
    ls[i] = (" " * rng.choice([1, 2, 3, 8])) + ls[i] if rng.random() < 0.5 else ls[i].lstrip()
    return "\n".join(ls)


def upper_key(text: str, rng: random.Random) -> str:
    ls = _lines(text)
    keyed = [i for i, ln in enumerate(ls) if re.match(r"\s*[a-z_]+:", ln)]
    if not keyed:
        return text
    i = rng.choice(keyed)
    ls[i] = re.sub(r"[a-z_]+", lambda m: m.group().upper(), ls[i], count=1)
    return "\n".join(ls)


def odd_char(text: str, rng: random.Random) -> str:
    i = rng.randrange(len(text) + 1)
    return text[:i] + rng.choice(ODD_CHARS) + text[i:]


def truncate(text: str, rng: random.Random) -> str:
    return text[:rng.randrange(len(text) + 1)]


def deep_nesting(text: str, rng: random.Random) -> str:
    n = rng.choice([60, 500, 5000])
    return replace_value_with(text, rng, "[" * n + "]" * n if rng.random() < 0.5
                              else "{a: " * n + "1" + "}" * n)


def alias_bomb(text: str, rng: random.Random) -> str:
    bomb = 'lol0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    for k in range(1, rng.choice([4, 9])):
        bomb += f"lol{k}: &a{k} [" + ", ".join([f"*a{k - 1}"] * 9) + "]\n"
    return bomb + text if rng.random() < 0.5 else text + "\n" + bomb


def cyclic_alias(text: str, rng: random.Random) -> str:
    return replace_value_with(text, rng, "&c [1, *c]")


def tag(text: str, rng: random.Random) -> str:
    return replace_value_with(text, rng, rng.choice(["!foo x", "!!binary aGk=", "!!set {a}",
                                                     "!!python/object:os.system x",
                                                     "!!omap [a: 1]", "!!timestamp x"]))


def duplicate_key(text: str, rng: random.Random) -> str:
    ls = _lines(text)
    keyed = [i for i, ln in enumerate(ls) if re.match(r"\s*[a-z_]+: \S", ln)]
    if not keyed:
        return text
    i = rng.choice(keyed)
    ls.insert(i + 1, ls[i])
    return "\n".join(ls)


def replace_value_with(text: str, rng: random.Random, value: str) -> str:
    hits = list(_VALUE.finditer(text))
    if not hits:
        return text + "\nx: " + value
    m = rng.choice(hits)
    return text[:m.start(2)] + value + text[m.end(2):]


def replace_cell(text: str, rng: random.Random) -> str:
    ls = _lines(text)
    i = rng.randrange(len(ls))
    cells = ls[i].split(",")
    cells[rng.randrange(len(cells))] = rng.choice(CSV_CELLS)
    ls[i] = ",".join(cells)
    return "\n".join(ls)


_HEADER = re.compile(r"^( *)([a-z_][a-z0-9_]*):[ \t]*$")   # a key whose value follows
_SCALAR = re.compile(r"^( *)([a-z_][a-z0-9_]*): +([^\s#&*!|>\[{][^#\n]*?)[ \t]*$")


def merge_key(text: str, rng: random.Random) -> str:
    """Anchor one block mapping and merge it (``<<: *m``) into a later one — mostly one of
    the same indentation (a sibling: keys of the right kind, maybe with bad values)."""
    ls = _lines(text)
    heads = {i: len(m.group(1)) for i, ln in enumerate(ls) if (m := _HEADER.match(ln))}
    if len(heads) < 2:
        return text
    i, j = sorted(rng.sample(sorted(heads), 2))
    siblings = [k for k in heads if k > i and heads[k] == heads[i]]
    if siblings and rng.random() < 0.7:
        j = rng.choice(siblings)
    ls[i] = ls[i].rstrip() + " &m"
    ls.insert(j + 1, " " * (heads[j] + 2) + rng.choice(["<<: *m", "<<: [*m]", "<<: *m  # x"]))
    return "\n".join(ls)


def anchor_alias(text: str, rng: random.Random) -> str:
    """Anchor one scalar value and use it (``*v``) for a later key's value."""
    ls = _lines(text)
    vals = [i for i, ln in enumerate(ls) if _SCALAR.match(ln)]
    if len(vals) < 2:
        return text
    i, j = sorted(rng.sample(vals, 2))
    m = _SCALAR.match(ls[i])
    assert m is not None
    ls[i] = f"{m.group(1)}{m.group(2)}: &v {m.group(3)}"
    n = _SCALAR.match(ls[j])
    assert n is not None
    ls[j] = f"{n.group(1)}{n.group(2)}: *v"
    return "\n".join(ls)


def long_number_list(text: str, rng: random.Random) -> str:
    """A flow list of numbers (a horizon of rates, or 600,000 items: a 1.8 MB file) in
    place of a value, maybe with one bad item, maybe over many lines."""
    n = rng.choice([300, 35_136, 600_000])
    items = [str(rng.randrange(0, 100)) for _ in range(min(n, 1000))] * (n // min(n, 1000))
    if rng.random() < 0.3:
        items[rng.randrange(len(items))] = rng.choice(["-1", "1e400", ".inf", "x", "1.5",
                                                       "99999999999"])
    sep = ",\n      " if rng.random() < 0.5 else ", "
    return replace_value_with(text, rng, "[" + sep.join(items) + "]")


def json_value(text: str, rng: random.Random) -> str:
    """A JSON value replaced by a wrong type or an absurd one (manifests)."""
    hits = list(re.finditer(r'(": )("[^"\n]*"|-?\d[\d.e+-]*|true|false|null)', text))
    if not hits:
        return text
    m = rng.choice(hits)
    new = rng.choice(['["x"]', "{}", "5", '"xx"', '"yes"', "null", "1e400", '"' + "a" * 300 +
                      '"', '"../../etc"', '"' + "0" * 64 + '"', "[" * 60 + "]" * 60, "-1"])
    return text[:m.start(2)] + new + text[m.end(2):]


YAML_EDITS: list[Edit] = [replace_number, replace_number, replace_value, replace_value,
                          delete_line, duplicate_line, swap_lines, reindent, upper_key,
                          odd_char, truncate, deep_nesting, alias_bomb, cyclic_alias, tag,
                          duplicate_key, merge_key, merge_key, anchor_alias,
                          long_number_list]
CSV_EDITS: list[Edit] = [replace_cell, replace_cell, replace_cell, delete_line,
                         duplicate_line, swap_lines, odd_char, truncate]


JSON_EDITS: list[Edit] = [json_value, json_value, json_value, delete_line, duplicate_line,
                          swap_lines, odd_char, truncate, deep_nesting]


def mutate(text: str, seed: int, index: int, csv: bool = False, json: bool = False) -> bytes:
    """The ``index``-th mutant of ``text`` under ``seed`` (bytes: some are not UTF-8)."""
    rng = random.Random(f"{seed}:{index}")
    edits = JSON_EDITS if json else CSV_EDITS if csv else YAML_EDITS
    for _ in range(rng.choice([1, 1, 2, 3])):
        text = rng.choice(edits)(text, rng)
    data = text.encode("utf-8", "surrogatepass")
    if rng.random() < 0.05:
        i = rng.randrange(len(data) + 1)
        data = data[:i] + rng.choice(BAD_BYTES) + data[i:]
    return data
