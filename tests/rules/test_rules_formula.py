"""Safe formula evaluator: grammar, Python semantics, division by zero, attack payloads.

References: Python's own ``eval`` on the same expression (for the arithmetic and logic
semantics, on inputs where Python does not raise), hand-computed values, and the payload
corpus of payloads that broke other Python evaluators (docs/sources.md; every payload must be rejected at compile time).
"""

from __future__ import annotations

import math
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rules.formula import FormulaError, compile_formula

NAMES = ["answered", "offered", "aht_s", "fcr", "x"]


def run(src: str, **cols: float | list[float]):
    arrays = {k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in cols.items()}
    n = max((len(v) for v in arrays.values()), default=1)
    f = compile_formula(src, NAMES)
    return f.evaluate(arrays, n)


@pytest.mark.parametrize("src, cols, expected", [
    ("answered + 1", {"answered": 2}, 3.0),                    # hand-computed
    ("answered / offered", {"answered": 9, "offered": 10}, 0.9),
    ("7 // 2 + 7 % 2", {}, 4.0),
    ("2 ** 3 ** 2", {}, 512.0),                                # right-associative, as Python
    ("-2 ** 2", {}, -4.0),
    ("min(answered, 5, 3)", {"answered": 4}, 3.0),
    ("max(answered, 5)", {"answered": 4}, 5.0),
    ("abs(-answered)", {"answered": 4}, 4.0),
    ("round(2.5) + round(3.5)", {}, 6.0),                      # banker's rounding, as Python
    ("round(fcr, 2)", {"fcr": 0.12345}, 0.12),
    ("clip(answered, 0, 10)", {"answered": 12}, 10.0),
    ("1 if answered > 3 else 2", {"answered": 4}, 1.0),
    ("answered > 3 and fcr", {"answered": 4, "fcr": 0.7}, 0.7),
    ("answered > 5 or fcr", {"answered": 4, "fcr": 0.7}, 0.7),
    ("not answered", {"answered": 0}, 1.0),
    ("1 < answered <= 4", {"answered": 4}, 1.0),
    ("True + False", {}, 1.0),
])
def test_values(src, cols, expected):
    vals, bad = run(src, **cols)
    assert vals[0] == pytest.approx(expected)
    assert bad is None


def test_vectorised_over_agents():
    vals, _ = run("answered * 2", answered=[1, 2, 3])
    assert vals.tolist() == [2.0, 4.0, 6.0]


def test_division_by_zero_gives_zero_and_flags_the_agent():
    # docs/formats.md §2: division by zero yields 0 and is reported for that agent only
    vals, bad = run("answered / offered", answered=[5, 6, 7], offered=[1, 0, 2])
    assert vals.tolist() == [5.0, 0.0, 3.5]
    assert bad.tolist() == [False, True, False]
    vals, bad = run("answered % offered + answered // offered", answered=[5, 6], offered=[0, 4])
    assert vals.tolist() == [0.0, 2.0 + 1.0]
    assert bad.tolist() == [True, False]


def test_guarded_division_does_not_warn():
    # the branch not taken must not report a division by zero
    vals, bad = run("answered / offered if offered > 0 else 0", answered=[5, 6], offered=[0, 2])
    assert vals.tolist() == [0.0, 3.0]
    assert bad is None
    vals, bad = run("offered > 0 and answered / offered", answered=[5, 6], offered=[0, 2])
    assert vals.tolist() == [0.0, 3.0]
    assert bad is None


def test_non_finite_results_become_zero_and_are_flagged():
    vals, bad = run("x ** 0.5", x=[-1.0, 4.0])    # complex in Python: not a number here
    assert vals.tolist() == [0.0, 2.0]
    assert bad.tolist() == [True, False]


@pytest.mark.parametrize("src, fragment, offset", [
    ("answerd + 1", "unknown metric 'answerd' (did you mean 'answered'?)", 0),
    ("1 + ansered", "did you mean 'answered'", 4),
    ("answered.real", "attribute access", 0),
    ("'a' * 3", "strings not allowed", 0),
    ("fcr[0]", "subscripts", 0),
    ("lambda: 1", "lambda", 0),
    ("[x for x in fcr]", "comprehensions", 0),
    ("sum(fcr)", "function 'sum' not allowed", 0),
    ("min(fcr)", "at least 2 arguments", 0),
    ("max(fcr, key=fcr)", "no keyword arguments", 0),
    ("min", "is a function", 0),
    ("x ** fcr", "exponent of '**' must be a number", 5),
    ("x ** 11", "exponent too large", 5),
    ("1 << 3", "operator not allowed", 0),
    ("1e16", "number too large", 0),
    ("10 ** 10 * 10 ** 10", "number too large", 0),
    ("answered +", "not a valid formula", 10),
    ("", "empty formula", 0),
    ("x @ x", "operator not allowed", 0),
    ("x := 1", "not a valid formula", 2),
])
def test_rejected_with_offset(src, fragment, offset):
    with pytest.raises(FormulaError) as exc:
        compile_formula(src, NAMES)
    assert fragment in exc.value.message
    assert exc.value.offset == offset


# the payloads that broke other evaluators (simpleeval, asteval, rule-engine, cel-python)
PAYLOADS = [
    "().__class__.__bases__[0].__subclasses__()",
    "open('/etc/passwd').read()",
    "fromfile('/etc/passwd', dtype='uint8')",
    "'{0.__class__.__mro__}'.format(1)",
    "__import__('os').system('touch /tmp/peakdesk_pwned')",
    "eval('1')",
    "getattr(x, '__class__')",
    "x.__init__.__globals__",
    "x.method().gi_frame.f_globals",
    "9**9**9",
    "4000000**4000000 > 1",
    "9**4000000 * 9**4000000 > 1",
    "'a'*10**10",
    "'ab'*50000*50000",
    "[1]*10**9",
    "1<<10**10",
    "max(range(10**10))",
    "[x for x in range(10**8)]",
    "(lambda: 1)()",
    "-" * 50000 + "1",
    "+".join(["1"] * 200000),
    "x" + "*x" * 500,
    "exec('import os')",
    "__builtins__",
    "{1: 2}",
    "x if x else __import__('os')",
]


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_attack_payloads_rejected_at_compile(payload):
    with pytest.raises(FormulaError):
        compile_formula(payload, NAMES)
    assert not os.path.exists("/tmp/peakdesk_pwned")


def test_deep_parentheses_are_harmless():
    # from the same corpus: 150 nested parentheses is a valid formula equal to 1
    vals, bad = run("(" * 150 + "1" + ")" * 150)
    assert vals[0] == 1.0 and bad is None


# ---- hypothesis: generated formulas agree with Python's eval -----------------------------

LEAVES = st.one_of(st.sampled_from(["answered", "offered", "fcr"]),
                   st.integers(-9, 9).map(str), st.sampled_from(["0.5", "2.25", "True"]))


def _combine(children):
    bin_ops = st.sampled_from(["+", "-", "*", "/", "//", "%"])
    return st.one_of(
        st.tuples(children, bin_ops, children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(children, st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), children)
        .map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(children, st.sampled_from(["and", "or"]), children)
        .map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        children.map(lambda c: f"(not {c})"),
        children.map(lambda c: f"(-{c})"),
        children.map(lambda c: f"abs({c})"),
        st.tuples(children, children).map(lambda t: f"min({t[0]}, {t[1]})"),
        st.tuples(children, children).map(lambda t: f"max({t[0]}, {t[1]})"),
        st.tuples(children, children, children).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
        children.map(lambda c: f"({c} ** 2)"),
    )


FORMULAS = st.recursive(LEAVES, _combine, max_leaves=12)
VALUES = st.one_of(st.integers(-50, 50).map(float),
                   st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FORMULAS, VALUES, VALUES, VALUES)
def test_matches_python_eval(src, answered, offered, fcr):
    env = {"answered": answered, "offered": offered, "fcr": fcr}
    try:
        expected = eval(src, {"__builtins__": {"min": min, "max": max, "abs": abs}}, env)  # noqa: S307
        expected = float(expected)
    except (ZeroDivisionError, OverflowError, TypeError):
        expected = None  # Python raises (or goes complex): ours gives 0 and flags the agent
    vals, bad = compile_formula(src, ["answered", "offered", "fcr"]).evaluate(
        {k: np.array([v]) for k, v in env.items()}, 1)
    if expected is None or not math.isfinite(expected):
        assert math.isfinite(vals[0])
        return
    if bad is None:
        assert vals[0] == pytest.approx(expected, rel=1e-9, abs=1e-9)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_any_text_compiles_or_raises_formula_error(src):
    try:
        f = compile_formula(src, NAMES)
    except FormulaError as exc:
        assert isinstance(exc.offset, int)
        return
    vals, _ = f.evaluate({n: np.array([1.0, 0.0, -2.5]) for n in NAMES}, 3)
    assert vals.shape == (3,) and np.isfinite(vals).all()
