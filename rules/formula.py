"""Safe rule formulas: an allow-list over Python's ``ast``, compiled once to numpy closures.

The grammar is docs/formats.md §2 and nothing else: numbers, metric names, ``+ - * / // % **``,
comparisons, ``and``/``or``/``not``, ``x if c else y`` and the functions ``min``, ``max``,
``abs``, ``round``, ``clip``. There are no strings, attributes, subscripts, lambdas,
comprehensions or keyword arguments, and nothing is ever passed to ``eval``/``exec``:
each allowed node becomes a small closure over float64 arrays (one element per agent).
Libraries that tried to police full Python (simpleeval, asteval) kept being escaped; see
docs/sources.md (design choices) for the payloads this design closes.

Size limits stop parser and evaluator denial of service: source length, node count,
nesting depth; numeric literals and constant sub-expressions are bounded in magnitude and
``**`` needs a bounded constant exponent, so no formula can build huge numbers.

Division (``/``, ``//``, ``%``) by zero yields 0; the agents it happened for are reported
so the caller can warn, naming agent and metric (docs/formats.md §2).
"""

from __future__ import annotations

import ast
import math
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

MAX_LENGTH = 2000
MAX_NODES = 400
MAX_DEPTH = 40
MAX_MAGNITUDE = 1e15
MAX_EXPONENT = 10.0
FUNCTIONS = ("min", "max", "abs", "round", "clip")

# A compiled node: (environment of metric arrays, list collecting division-by-zero masks).
Node = Callable[[Mapping[str, np.ndarray], list], "np.ndarray | float"]


class FormulaError(ValueError):
    """A formula outside the grammar, with the 0-based character offset it points at."""

    def __init__(self, message: str, offset: int = 0):
        super().__init__(message)
        self.message = message
        self.offset = offset


@dataclass(frozen=True)
class Formula:
    """A checked, compiled formula: call :meth:`evaluate` on arrays of agents."""

    source: str
    names: frozenset[str]
    _fn: Node = field(repr=False, compare=False)
    constant: float | None = None

    def evaluate(self, env: Mapping[str, np.ndarray], n: int) -> tuple[np.ndarray, np.ndarray | None]:
        """Values for ``n`` agents and the mask of agents that divided by zero (or None).

        Non-finite results (overflow, ``(-1) ** 0.5``) also become 0 and are flagged.
        """
        dz: list = []
        with np.errstate(all="ignore"):
            raw = self._fn(env, dz)
        out = np.array(np.broadcast_to(raw, (n,)), dtype=np.float64)
        bad = None
        for m in dz:
            bad = np.broadcast_to(m, (n,)) if bad is None else (bad | m)
        finite = np.isfinite(out)
        if not finite.all():
            out[~finite] = 0.0
            bad = ~finite if bad is None else (bad | ~finite)
        if bad is not None:
            bad = np.array(np.broadcast_to(bad, (n,)), dtype=bool)
            if not bad.any():
                bad = None
        return out, bad


def _err(node: ast.AST, msg: str) -> FormulaError:
    return FormulaError(msg, max(getattr(node, "col_offset", 0), 0))


def parse(source: str) -> ast.Expression:
    """Parse with size limits; any syntax problem becomes a :class:`FormulaError`."""
    if not isinstance(source, str):
        raise FormulaError("a formula must be text")
    if len(source) > MAX_LENGTH:
        raise FormulaError(f"formula longer than {MAX_LENGTH} characters")
    if not source.strip():
        raise FormulaError("empty formula")
    if "\n" in source or "\r" in source:
        raise FormulaError("a formula must be on one line")
    _check_ascii(source)
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        lead = len(source) - len(source.lstrip())
        offset = (exc.offset - 1 + lead) if exc.offset else len(source.rstrip())
        raise FormulaError(f"not a valid formula: {exc.msg}", offset) from None
    except (RecursionError, MemoryError, ValueError):
        raise FormulaError("formula too deeply nested") from None
    lead = len(source) - len(source.lstrip())
    count = 0
    for node in ast.walk(tree):
        count += 1
        if count > MAX_NODES:
            raise FormulaError(f"formula has more than {MAX_NODES} parts")
        if lead and hasattr(node, "col_offset"):
            node.col_offset += lead
    _check_depth(tree.body, 0)
    return tree


def _check_ascii(source: str) -> None:
    """Formulas are ASCII as written. Python's tokenizer NFKC-normalises identifiers, so
    without this check 'ａｎｓｗｅｒｅｄ' (full-width) or '𝐚𝐧𝐬𝐰𝐞𝐫𝐞𝐝' (mathematical bold)
    would silently mean ``answered``: a reviewer reading the policy would not see what
    is paid. The check runs on the raw text, before the tokenizer sees it."""
    for i, ch in enumerate(source):
        if ord(ch) > 0x7F:
            alike = unicodedata.normalize("NFKC", ch)
            hint = (f", a look-alike of '{alike}'" if alike != ch and alike.isascii()
                    and alike.isprintable() else "")
            raise FormulaError(f"character U+{ord(ch):04X}{hint}: formulas use ASCII "
                               f"letters, digits and operators only", i)


def _check_depth(node: ast.AST, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise _err(node, f"formula nested more than {MAX_DEPTH} levels deep")
    for child in ast.iter_child_nodes(node):
        _check_depth(child, depth + 1)


_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//",
           ast.Mod: "%", ast.Pow: "**"}
_CMPOPS = {ast.Eq: np.equal, ast.NotEq: np.not_equal, ast.Lt: np.less, ast.LtE: np.less_equal,
           ast.Gt: np.greater, ast.GtE: np.greater_equal}


def _describe(node: ast.AST) -> str:
    kinds = {ast.Attribute: "attribute access ('.')", ast.Subscript: "subscripts ('[...]')",
             ast.Lambda: "lambda", ast.ListComp: "comprehensions", ast.GeneratorExp: "comprehensions",
             ast.SetComp: "comprehensions", ast.DictComp: "comprehensions",
             ast.List: "lists", ast.Tuple: "tuples", ast.Dict: "dicts", ast.Set: "sets",
             ast.JoinedStr: "strings", ast.NamedExpr: "assignment (':=')",
             ast.Starred: "'*' unpacking", ast.Await: "await", ast.Yield: "yield"}
    for t, text in kinds.items():
        if isinstance(node, t):
            return text
    return type(node).__name__


class _Compiler:
    def __init__(self, known: Callable[[str], bool], suggest: Callable[[str], str]):
        self.known = known
        self.suggest = suggest
        self.names: set[str] = set()

    # Each visit returns (closure, constant value or None).
    def visit(self, node: ast.AST) -> tuple[Node, float | None]:
        if isinstance(node, ast.Constant):
            return self._constant(node)
        if isinstance(node, ast.Name):
            return self._name(node)
        if isinstance(node, ast.BinOp):
            return self._binop(node)
        if isinstance(node, ast.UnaryOp):
            return self._unary(node)
        if isinstance(node, ast.Compare):
            return self._compare(node)
        if isinstance(node, ast.BoolOp):
            return self._boolop(node)
        if isinstance(node, ast.IfExp):
            return self._ifexp(node)
        if isinstance(node, ast.Call):
            return self._call(node)
        raise _err(node, f"{_describe(node)} not allowed in formulas")

    def _fold(self, node: ast.AST, fn: Node, parts: Iterable[float | None]) -> tuple[Node, float | None]:
        """Evaluate constant sub-expressions now and bound their size."""
        if any(p is None for p in parts):
            return fn, None
        dz: list = []
        with np.errstate(all="ignore"):
            value = float(np.asarray(fn({}, dz), dtype=np.float64))
        if dz or not math.isfinite(value):
            return fn, None  # leave it to run time: 0 plus a warning
        if abs(value) > MAX_MAGNITUDE:
            raise _err(node, f"number too large (above {MAX_MAGNITUDE:g})")
        return (lambda env, dz, v=value: v), value

    def _constant(self, node: ast.Constant) -> tuple[Node, float | None]:
        v = node.value
        if isinstance(v, bool):
            value = 1.0 if v else 0.0
        elif isinstance(v, (int, float)):
            if isinstance(v, int) and abs(v) > MAX_MAGNITUDE:
                raise _err(node, f"number too large (above {MAX_MAGNITUDE:g})")
            value = float(v)
            if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
                raise _err(node, f"number too large (above {MAX_MAGNITUDE:g})")
        elif isinstance(v, str):
            raise _err(node, "strings not allowed in formulas")
        else:
            raise _err(node, f"{type(v).__name__} constants not allowed in formulas")
        return (lambda env, dz: value), value

    def _name(self, node: ast.Name) -> tuple[Node, float | None]:
        name = node.id
        if name in FUNCTIONS:
            raise _err(node, f"'{name}' is a function: call it as {name}(...)")
        if not self.known(name):
            raise _err(node, f"unknown metric '{name}'{self.suggest(name)}")
        self.names.add(name)
        return (lambda env, dz: env[name]), None

    def _binop(self, node: ast.BinOp) -> tuple[Node, float | None]:
        op = type(node.op)
        if op not in _BINOPS:
            raise _err(node, f"operator not allowed in formulas: {type(node.op).__name__}")
        left, lc = self.visit(node.left)
        right, rc = self.visit(node.right)
        if op is ast.Add:
            fn: Node = lambda env, dz: left(env, dz) + right(env, dz)  # noqa: E731
        elif op is ast.Sub:
            fn = lambda env, dz: left(env, dz) - right(env, dz)  # noqa: E731
        elif op is ast.Mult:
            fn = lambda env, dz: left(env, dz) * right(env, dz)  # noqa: E731
        elif op is ast.Pow:
            if rc is None:
                raise _err(node.right, "the exponent of '**' must be a number")
            if abs(rc) > MAX_EXPONENT:
                raise _err(node.right, f"exponent too large (at most {MAX_EXPONENT:g})")
            fn = lambda env, dz: np.power(left(env, dz), rc)  # noqa: E731
        else:
            fn = _divide(left, right, op)
        return self._fold(node, fn, (lc, rc))

    def _unary(self, node: ast.UnaryOp) -> tuple[Node, float | None]:
        inner, c = self.visit(node.operand)
        if isinstance(node.op, ast.USub):
            fn: Node = lambda env, dz: -inner(env, dz)  # noqa: E731
        elif isinstance(node.op, ast.UAdd):
            fn = inner
        elif isinstance(node.op, ast.Not):
            fn = lambda env, dz: np.equal(inner(env, dz), 0.0).astype(np.float64)  # noqa: E731
        else:
            raise _err(node, "operator '~' not allowed in formulas")
        return self._fold(node, fn, (c,))

    def _compare(self, node: ast.Compare) -> tuple[Node, float | None]:
        for op in node.ops:
            if type(op) not in _CMPOPS:
                raise _err(node, f"comparison not allowed in formulas: {type(op).__name__}")
        parts = [self.visit(node.left)] + [self.visit(c) for c in node.comparators]
        fns = [p[0] for p in parts]
        ops = [_CMPOPS[type(op)] for op in node.ops]

        def fn(env, dz):  # a < b < c  ==  (a < b) and (b < c), as in Python
            vals = [f(env, dz) for f in fns]
            out = ops[0](vals[0], vals[1])
            for i in range(1, len(ops)):
                out = out & ops[i](vals[i], vals[i + 1])
            return np.asarray(out, dtype=np.float64)

        return self._fold(node, fn, [p[1] for p in parts])

    def _boolop(self, node: ast.BoolOp) -> tuple[Node, float | None]:
        parts = [self.visit(v) for v in node.values]
        fns = [p[0] for p in parts]
        is_and = isinstance(node.op, ast.And)

        def fn(env, dz):
            # Python semantics: `a and b` is b where a is true, else a; `or` the reverse.
            # Division warnings of b count only where b is actually used.
            out = fns[0](env, dz)
            for f in fns[1:]:
                sub: list = []
                val = f(env, sub)
                use = np.not_equal(out, 0.0) if is_and else np.equal(out, 0.0)
                dz.extend(m & use for m in sub)
                out = np.where(use, val, out)
            return out

        return self._fold(node, fn, [p[1] for p in parts])

    def _ifexp(self, node: ast.IfExp) -> tuple[Node, float | None]:
        test, tc = self.visit(node.test)
        body, bc = self.visit(node.body)
        orelse, oc = self.visit(node.orelse)

        def fn(env, dz):
            cond = np.not_equal(test(env, dz), 0.0)
            sub_b: list = []
            sub_o: list = []
            vb = body(env, sub_b)
            vo = orelse(env, sub_o)
            dz.extend(m & cond for m in sub_b)
            dz.extend(m & ~cond for m in sub_o)
            return np.where(cond, vb, vo)

        return self._fold(node, fn, (tc, bc, oc))

    def _call(self, node: ast.Call) -> tuple[Node, float | None]:
        if not isinstance(node.func, ast.Name):
            raise _err(node, f"only the functions {', '.join(FUNCTIONS)} can be called")
        name = node.func.id
        if name not in FUNCTIONS:
            hint = ""
            if self.known(name):
                hint = f" ('{name}' is a metric, not a function)"
            raise _err(node, f"function '{name}' not allowed{hint}; allowed: {', '.join(FUNCTIONS)}")
        if node.keywords:
            raise _err(node, f"{name}() takes no keyword arguments")
        for a in node.args:
            if isinstance(a, ast.Starred):
                raise _err(a, "'*' unpacking not allowed in formulas")
        parts = [self.visit(a) for a in node.args]
        fns = [p[0] for p in parts]
        n = len(fns)
        if name in ("min", "max"):
            if n < 2:
                raise _err(node, f"{name}() needs at least 2 arguments")
            red = np.minimum if name == "min" else np.maximum

            def fn(env, dz):
                out = fns[0](env, dz)
                for f in fns[1:]:
                    out = red(out, f(env, dz))
                return out
        elif name == "abs":
            if n != 1:
                raise _err(node, "abs() takes 1 argument")
            fn = lambda env, dz: np.abs(fns[0](env, dz))  # noqa: E731
        elif name == "round":
            if n not in (1, 2):
                raise _err(node, "round() takes 1 or 2 arguments")
            digits = 0
            if n == 2:
                d = parts[1][1]
                if d is None or d != int(d) or not 0 <= d <= 10:
                    raise _err(node.args[1], "round()'s digits must be a whole number 0..10")
                digits = int(d)
            fn = lambda env, dz: np.round(fns[0](env, dz), digits)  # noqa: E731
        else:  # clip
            if n != 3:
                raise _err(node, "clip() takes 3 arguments: clip(x, lo, hi)")
            fn = lambda env, dz: np.minimum(np.maximum(fns[0](env, dz), fns[1](env, dz)),  # noqa: E731
                                            fns[2](env, dz))
        return self._fold(node, fn, [p[1] for p in parts])


def _divide(left: Node, right: Node, op: type) -> Node:
    ufunc = {ast.Div: np.true_divide, ast.FloorDiv: np.floor_divide, ast.Mod: np.remainder}[op]

    def fn(env, dz):
        a = left(env, dz)
        b = right(env, dz)
        zero = np.equal(b, 0.0)
        if not np.any(zero):
            return ufunc(a, b)
        dz.append(zero)
        return np.where(zero, 0.0, ufunc(a, np.where(zero, 1.0, b)))

    return fn


def compile_formula(source: str, known: Callable[[str], bool] | Iterable[str],
                    suggest: Callable[[str], str] | None = None) -> Formula:
    """Check ``source`` against the grammar and the known metric names; compile it.

    ``known`` is a predicate or a collection of names; ``suggest(name)`` returns a
    " (did you mean ...)" hint for unknown names. Raises :class:`FormulaError`.
    """
    if not callable(known):
        pool = frozenset(known)
        known_fn: Callable[[str], bool] = pool.__contains__
        if suggest is None:
            import difflib

            def suggest(name: str) -> str:
                close = difflib.get_close_matches(name, sorted(pool), n=1, cutoff=0.6)
                return f" (did you mean '{close[0]}'?)" if close else ""
    else:
        known_fn = known
    tree = parse(source)
    comp = _Compiler(known_fn, suggest or (lambda name: ""))
    fn, const = comp.visit(tree.body)
    return Formula(source, frozenset(comp.names), fn, const)
