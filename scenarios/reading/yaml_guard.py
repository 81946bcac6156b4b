"""Hard limits for reading YAML that may be hostile: every bad file becomes one located
problem, in bounded time and memory (docs/robustness.md).

The limits act before anything large is built:

- the file (:func:`scenarios.reading.errors.read_input_text`): at most :data:`MAX_FILE_BYTES`,
  UTF-8, no control characters (NUL and friends), each refused with the line and column
  of the first bad byte;
- the composer (the stage that turns parser events into nodes, before any Python object
  is constructed): nesting depth, number of aliases, and the number of nodes aliases
  would add when expanded — a "billion laughs" file is refused after a few hundred nodes,
  never expanded; an alias inside the collection it names (a cycle) is refused too;
- tags: only YAML's core tags (str, int, float, bool, null, timestamp, seq, map, merge);
- numbers: a plain int/float scalar of more than :data:`MAX_NUMBER_CHARS` characters is
  refused (Python's int() is quadratic in the digits and refuses 4,300 of them);
- the constructor: a scalar that cannot become its tagged type (``!!float abc``,
  ``!!int 12.5``, ``2026-02-30``) is a located problem instead of a ValueError.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

MAX_FILE_BYTES = 4 * 1024 * 1024  # a year of 15-minute rates for 20 channels is ~4 MiB
MAX_DEPTH = 50                     # the deepest bundled file nests 6 levels
MAX_ALIASES = 1_000                # aliases per document
MAX_ALIAS_NODES = 100_000          # nodes added by expanding every alias, in total
MAX_NUMBER_CHARS = 50              # characters of one plain int/float scalar

CORE = "tag:yaml.org,2002:"
ALLOWED_TAGS = {CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq",
                                   "map", "merge")}

class YamlLimitError(MarkedYAMLError):
    """A limit of this module was exceeded, at a place in the file."""


class BoundedComposer(Composer):
    """ruamel's composer with depth, alias and number limits (see the module docstring)."""

    def __init__(self, loader: Any = None) -> None:
        super().__init__(loader)
        self._level = 0
        self._aliases = 0
        self._alias_nodes = 0
        self._sizes: dict[int, int] = {}  # id(node) -> nodes when fully expanded
        self.number_sizes: dict[str, int] = {}  # placeholder -> numbers it stands for

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        mark = event.start_mark
        if isinstance(event, AliasEvent):
            node = super().compose_node(parent, index)
            size = self._sizes.get(id(node))
            if size is None:
                raise YamlLimitError(None, None, f"alias *{event.anchor} refers to the "
                                                 f"collection that contains it (a cycle)", mark)
            self._aliases += 1
            self._alias_nodes += size
            if self._aliases > MAX_ALIASES:
                raise YamlLimitError(None, None, f"more than {MAX_ALIASES:,} aliases", mark)
            if self._alias_nodes > MAX_ALIAS_NODES:
                raise YamlLimitError(None, None, f"aliases expand to more than "
                                                 f"{MAX_ALIAS_NODES:,} values", mark)
            return node
        self._level += 1
        if self._level > MAX_DEPTH:
            raise YamlLimitError(None, None, f"nested more than {MAX_DEPTH} levels deep", mark)
        node = super().compose_node(parent, index)
        self._level -= 1
        if isinstance(node, ScalarNode):
            _check_scalar(node)
            # a placeholder for a long number list (scenarios.reading.number_lists) counts its items
            size = 1 + (self.number_sizes.get(node.value, 0) if node.style is None else 0)
        elif isinstance(node, SequenceNode):
            size = 1 + sum(self._sizes[id(c)] for c in node.value)
        else:
            assert isinstance(node, MappingNode)
            size = 1 + sum(self._sizes[id(k)] + self._sizes[id(v)] for k, v in node.value)
        if str(node.tag) not in ALLOWED_TAGS:
            tag = str(node.tag)
            tag = "!!" + tag.removeprefix(CORE) if tag.startswith(CORE) else tag
            raise YamlLimitError(None, None, f"YAML tag '{tag}' is not supported here: "
                                             f"remove it (plain values only)", node.start_mark)
        self._sizes[id(node)] = size
        return node


def _check_scalar(node: ScalarNode) -> None:
    if str(node.tag) in (CORE + "int", CORE + "float") and len(node.value) > MAX_NUMBER_CHARS:
        raise YamlLimitError(None, None, f"a number of {len(node.value):,} characters: at most "
                                         f"{MAX_NUMBER_CHARS} (quote it if it is text)",
                             node.start_mark)


class CheckedConstructor(RoundTripConstructor):
    """Round-trip constructor whose scalar conversion errors carry the scalar's place; a
    placeholder of :mod:`scenarios.reading.number_lists` becomes its list of numbers."""

    number_cuts: dict[str, Any] = {}  # placeholder -> Cut, set per file by the reader

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        if (self.number_cuts and isinstance(node, ScalarNode) and node.style is None
                and node.value in self.number_cuts):
            return self.number_cuts[node.value].number_list()
        try:
            return super().construct_object(node, deep)
        except MarkedYAMLError:
            raise
        except (ValueError, TypeError, OverflowError, ArithmeticError) as exc:
            kind = str(node.tag).removeprefix(CORE)
            value = node.value if isinstance(node, ScalarNode) else ""
            raise YamlLimitError(None, None, f"cannot read {short(value)} as {kind} "
                                             f"({short(exc, 80, quote=False)})",
                                 node.start_mark) from None


def short(value: object, limit: int = 40, quote: bool = True) -> str:
    """``repr``/``str`` of ``value`` cut to about ``limit`` characters."""
    text = repr(value) if quote else str(value)
    return text if len(text) <= limit else text[:limit] + "…"
