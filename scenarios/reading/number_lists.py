"""Long number lists read at numpy speed, with each number's place kept.

A year of 15-minute rates is 35,136 numbers per channel. ruamel.yaml builds tokens,
events, a node and position records for each number (about 1 kB and 100 µs apiece), so a
3.5 MB scenario took minutes and about 1 GB to read. Here, before ruamel sees the text,
every flow sequence of at least :data:`MIN_ITEMS` plain items, nearly all plain decimal
numbers (``rates_per_hour: [40, 41, ...]``, over any number of lines, also inside a flow
mapping), and every block sequence of such numbers that is a key's whole value (``- 40``
lines, PyYAML's default dump) is cut out and replaced by a placeholder scalar; the lines
the list spanned are mapped back after parsing (:class:`LineMap`), so every place reported
is the file's. The
constructor puts a :class:`NumberList` in the placeholder's place: the numbers (parsed in
one numpy call) and the place of the list, from which the line and column of any number
are worked out only when a problem needs them.

The few items of a flow list that are not plain decimal numbers (``.inf``, ``x``,
``1_000``; at most :data:`MAX_ODD`) are read by ruamel itself, in one small document, so
they mean what they always mean and the schema reports them at their place. Anything else
takes ruamel's ordinary path with all its checks: a shorter list, a comment, alias, tag,
quote, bracket or colon inside the list, an anchor on it. If a placeholder ends up
anywhere but as a whole plain value (inside a block scalar or a string, say), the whole
file is read again the ordinary way.
"""

from __future__ import annotations

import bisect
import re
import secrets
from dataclasses import dataclass
from typing import Any

import numpy as np

MIN_ITEMS = 256  # shorter lists cost ruamel little; only long ones take this path
MAX_ODD = 1000   # items of a long flow list that ruamel reads one by one
_NUM = r"-?\d{1,18}(?:\.\d{1,18})?(?:[eE][-+]?\d{1,3})?"
_WS = r"[ \t\r\n]*+"
_NUMBERS = re.compile(rf"{_WS}{_NUM}(?:{_WS},{_WS}{_NUM})*+{_WS},?{_WS}")
_IS_NUM = re.compile(_NUM)
# inside a list the fast path reads: plain scalars only (no nesting, quotes, comments,
# anchors, aliases, tags or block indicators), so its commas are its item boundaries
_NOT_PLAIN = re.compile(r"[\[\]{}#&*!'\"|>%@`]")
# after the closing bracket: the end of the line, a comment, or the enclosing flow's next
_AFTER = re.compile(r"[ \t]*+(?:[,}\]]|#|\r?\n|$)")
_FLOW_STARTS = re.compile(r"(?:^|,)[ \t\r\n]*+([^,\s])")
_BLOCK_STARTS = re.compile(r"^[ \t]*+-[ \t]++(\S)", re.M)


class NumberList(list):
    """A list of numbers read from a long flow sequence, knowing where each was written."""

    def __init__(self, values: list, body: str, line: int, col: int) -> None:
        super().__init__(values)
        self._body = body            # the text between the brackets
        self._line, self._col = line, col  # 0-based place of the first character of body
        self._starts: list[int] | None = None
        self._breaks: list[int] | None = None
        self.place = (line, col)  # 0-based place of the list itself, set by its Cut
        self.block = False        # "- n" lines, not a flow list
        self.plain = True         # only int and float (no item ruamel has read)

    def item_position(self, k: int) -> tuple[int, int]:
        """1-based (line, col) of item ``k`` (the list is scanned once, on first use)."""
        if self._starts is None:
            starts = _BLOCK_STARTS if self.block else _FLOW_STARTS
            self._starts = [m.start(1) for m in starts.finditer(self._body)]
            self._breaks = [m.start() for m in re.finditer("\n", self._body)]
        assert self._breaks is not None
        off = self._starts[k]
        n = bisect.bisect_left(self._breaks, off)  # line breaks before the item
        if n == 0:
            return self._line + 1, self._col + off + 1
        return self._line + n + 1, off - self._breaks[n - 1]


@dataclass
class Cut:
    """One list cut out of the text: its placeholder and what to put back."""

    token: str
    body: str            # the numbers' text: inside the brackets, or the "- n" lines
    line: int            # 0-based place of the body's first character in the file
    col: int
    open_line: int       # 0-based place of the list itself ("[" or the first "-")
    open_col: int
    size: int            # how many numbers
    short_line: int = 0  # the placeholder's line in the shortened text
    breaks: int = 0      # line breaks cut out with the list
    used: bool = False
    block: bool = False
    odd: dict[int, Any] | None = None  # item index -> value, items ruamel has read
    span: tuple[int, int] = (0, 0)     # where the list is in the file's text

    def number_list(self) -> NumberList:
        self.used = True
        if self.odd:
            out = NumberList(self._with_odd(), self.body, self.line, self.col)
            out.place = (self.open_line, self.open_col)
            out.plain = False
            return out
        words = [w for w in self.body.replace(",", " ").split() if w != "-"]
        if not any(c in self.body for c in ".eE"):
            values = np.array(words, dtype=np.int64).tolist()
        else:
            values = np.array(words, dtype=np.float64).tolist()
            text = np.array(words)
            written_int = ((np.char.find(text, ".") < 0) & (np.char.find(text, "e") < 0)
                           & (np.char.find(text, "E") < 0))
            for k in np.flatnonzero(written_int).tolist():  # YAML: "12" is an int, "12.0" not
                values[k] = int(words[k])
        out = NumberList(values, self.body, self.line, self.col)
        out.place = (self.open_line, self.open_col)
        out.block = self.block
        return out

    def _with_odd(self) -> list[Any]:
        """The items, numbers parsed here and the others as ruamel read them."""
        assert self.odd is not None
        items = [w.strip() for w in self.body.split(",")]
        if items and not items[-1]:
            items.pop()  # a trailing comma
        values: list[Any] = []
        for k, w in enumerate(items):
            if k in self.odd:
                values.append(self.odd[k])
            elif any(c in w for c in ".eE"):
                values.append(float(w))
            else:
                values.append(int(w))
        return values


_BLOCK = re.compile(rf"^([ \t]*+)-[ \t]++{_NUM}[ \t]*+(?:\n\1-[ \t]++{_NUM}[ \t]*+)*+"
                    r"(?=\n|$)", re.M)
_KEY_LINE = re.compile(r"[ \t]*+(?:-[ \t]++)*+[A-Za-z_][\w-]*+[ \t]*+:[ \t]*+(?:#.*)?")
_ITEM_LINE = re.compile(r"[ \t]*+-(?:[ \t]|$)")


def _flow_lists(text: str) -> list[tuple[int, int, int, int, dict[int, Any] | None]]:
    """(start, end, body start, body end, odd items) of each long flow list of numbers."""
    found = []
    for m in re.finditer(r"\[", text):
        start = m.start()
        close = text.find("]", start)
        if close < 0 or close - start < 2 * MIN_ITEMS:  # too short to be worth it
            continue
        inner = text[start + 1:close]
        if _NOT_PLAIN.search(inner) or not _AFTER.match(text, close + 1):
            continue
        if inner.count(",") + 1 < MIN_ITEMS:
            continue
        odd: dict[int, Any] | None = None
        if not _NUMBERS.fullmatch(inner):
            odd = _odd_items(inner, start + 1)
            if odd is None:
                continue
        found.append((start, close + 1, start + 1, close, odd))
    return found


class ListItemError(Exception):
    """An item of a long list that ruamel refuses (``2026-02-30``, a 60-digit number):
    ``offset`` is its place in the file's text, ``message`` ruamel's words."""

    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset, self.message = offset, message


def _odd_items(inner: str, at: int) -> dict[int, Any] | None:
    """The items of a flow list's text (``inner``, at offset ``at`` of the file) that are
    not plain decimal numbers, read by ruamel in one small document — the same flow
    context, so each means what it means in the file (index -> value); None when there
    are too many or one is empty (the list then takes the ordinary path). An item ruamel
    refuses raises :class:`ListItemError` at its place in the file."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    from scenarios.reading.yaml_guard import BoundedComposer, CheckedConstructor

    segments = inner.split(",")
    starts, pos = [], 0
    for seg in segments:
        starts.append(pos + len(seg) - len(seg.lstrip()))
        pos += len(seg) + 1
    items = [seg.strip() for seg in segments]
    if items and not items[-1]:
        items.pop()  # a trailing comma
    odd = [k for k, w in enumerate(items) if not _IS_NUM.fullmatch(w)]
    if len(odd) > MAX_ODD or any(not items[k] for k in odd):
        return None
    mini_starts, text = [], "["
    for k in odd:
        mini_starts.append(len(text))
        text += items[k] + ", "
    yaml = YAML(typ="rt")
    yaml.Composer = BoundedComposer
    yaml.Constructor = CheckedConstructor
    try:
        values = yaml.load(text + "]")
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if mark is None:
            return None
        j = max(bisect.bisect_right(mini_starts, mark.index) - 1, 0)
        offset = at + starts[odd[j]] + max(mark.index - mini_starts[j], 0)
        msg = " ".join(x for x in (exc.context, exc.problem) if x) or "invalid YAML"
        raise ListItemError(offset, " ".join(msg.split())) from None
    except (YAMLError, ValueError, TypeError, RecursionError):
        return None
    if not isinstance(values, list) or len(values) != len(odd):
        return None
    return dict(zip(odd, values, strict=True))


def _block_lists(text: str) -> list[tuple[int, int, int, int, dict[int, Any] | None]]:
    """(start, end, start, end) of each long block list of numbers ("- 40" lines) that is
    a whole sequence: the value of the key on the line before, nothing more after it."""
    found = []
    for m in _BLOCK.finditer(text):
        if text.count("\n", m.start(), m.end()) + 1 < MIN_ITEMS:
            continue
        before = text.rfind("\n", 0, max(m.start() - 1, 0))
        key_line = text[before + 1:max(m.start() - 1, 0)]
        if m.start() == 0 or not _KEY_LINE.fullmatch(key_line):
            continue
        key_indent = len(key_line) - len(key_line.lstrip(" \t"))
        if len(m.group(1)) < key_indent:
            continue
        rest = (ln for ln in text[m.end():m.end() + 4096].split("\n")[1:]
                if ln.strip() and not ln.lstrip().startswith("#"))
        nxt = next(rest, "")
        if _ITEM_LINE.match(nxt) and len(nxt) - len(nxt.lstrip(" \t")) == len(m.group(1)):
            continue  # more items of the same sequence follow (after a comment, or not numbers)
        found.append((m.start(), m.end(), m.start(), m.end(), None))
    return found


def cut_number_lists(text: str) -> tuple[str, dict[str, Cut]]:
    """``text`` with each long number list replaced by a placeholder, and the cuts by
    placeholder (an empty dict when the file has none)."""
    cuts: dict[str, Cut] = {}
    out: list[str] = []
    nonce = secrets.token_hex(6)
    pos = 0
    line = 0   # line of the file at ``pos``
    shift = 0  # line breaks cut out so far
    spans = sorted(_flow_lists(text) + _block_lists(text), key=lambda span: span[0])
    for start, end, first, last, odd in spans:
        if start < pos:
            continue
        block = text[start] != "["
        line += text.count("\n", pos, start)
        if block:  # the span starts at its line's start; the list, at its first dash
            open_col = len(text[start:end]) - len(text[start:end].lstrip(" \t"))
        else:
            open_col = start - (text.rfind("\n", 0, start) + 1)
        token = f"pdnumbers_{nonce}_{len(cuts)}"
        body = text[first:last]
        breaks = text.count("\n", start, end)
        cuts[token] = Cut(token, body, line + text.count("\n", start, first),
                          first - (text.rfind("\n", 0, first) + 1), line, open_col,
                          size=body.count(",") + 1 if not block else breaks + 1,
                          short_line=line - shift, breaks=breaks, block=block, odd=odd,
                          span=(start, end))
        out.append(text[pos:start])
        # a block list's placeholder goes one column right of its dash: still the key's
        # value when the dashes are at the key's own indentation (YAML allows that)
        out.append(text[start:start + open_col] + " " + token if block else
                   token + (" " if text[end:end + 1] == "#" else ""))  # "]#" starts a comment
        shift += breaks
        line += breaks
        pos = end
    if not cuts:
        return text, {}
    out.append(text[pos:])
    return "".join(out), cuts


def shrunk(text: str, cuts: dict[str, Cut]) -> str:
    """``text`` with each cut list shortened to one number, its line breaks kept: the same
    document shape and lines, quick for ruamel to check (a syntax error after a list is
    found without reading the list)."""
    out: list[str] = []
    pos = 0
    for cut in sorted(cuts.values(), key=lambda c: c.span):
        start, end = cut.span
        out.append(text[pos:start])
        if cut.block:
            out.append(" " * cut.open_col + "- 0" + "\n" * cut.breaks)
        else:
            out.append("[0" + "\n" * cut.breaks + "]")
        pos = end
    out.append(text[pos:])
    return "".join(out)


_OPEN_TO_END = re.compile(rf"\[({_NUMBERS.pattern})\Z")


def shrunk_unclosed(text: str) -> str | None:
    """A file cut off inside a long flow list of numbers (no "]" to the end), with that list
    shortened to one number and its line breaks kept — the parser then finds the missing
    "]" at once; None when the file does not end so."""
    if text.count(",") < MIN_ITEMS:
        return None
    m = _OPEN_TO_END.search(text, max(0, text.rfind("[")))
    if m is None or m.group(1).count(",") + 1 < MIN_ITEMS:
        return None
    comma = "," if m.group(1).rstrip().endswith(",") else ""  # the parser's words differ
    return text[:m.start()] + "[0" + comma + "\n" * m.group(1).count("\n")


class LineMap:
    """From a line of the shortened text (0-based) to the same line of the file: a list cut
    out over k lines moves every later line up by k."""

    def __init__(self, cuts: dict[str, Cut]) -> None:
        marks = sorted((c.short_line, c.breaks) for c in cuts.values() if c.breaks)
        self._lines = [m[0] for m in marks]
        self._shift = np.cumsum([m[1] for m in marks]).tolist()

    def __call__(self, line: int) -> int:
        k = bisect.bisect_left(self._lines, line)  # cuts on earlier lines (not this one)
        return line + (self._shift[k - 1] if k else 0)
