"""Hostile policies (issue 17): look-alike identifiers, sign mistakes, absurd amounts.

Reference: the formula text itself — the character offsets below are counted by hand
(``answered > 0`` written in full-width letters starts at offset 0; in `per: "2 * 𝐚..."`
the first non-ASCII character is at offset 4) — and the sign of each amount against the
catalogue's direction for the metric, read from rules/catalogue.py.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from cli import main
from rules import Policy, compile_policy
from rules.formula import FormulaError, compile_formula
from rules.lint import lint


@pytest.mark.parametrize("name", ["ａｎｓｗｅｒｅｄ", "𝐚𝐧𝐬𝐰𝐞𝐫𝐞𝐝", "answ\u0435red"],
                         ids=["full-width", "math-bold", "cyrillic-e"])
def test_look_alike_identifiers_are_refused(name: str) -> None:
    # the first two NFKC-normalise to 'answered': Python alone would accept them
    assert unicodedata.normalize("NFKC", name) == "answered" or "\u0435" in name
    src = f"2 * {name} + 1"
    with pytest.raises(FormulaError) as exc:
        compile_formula(src, {"answered"})
    first = next(i for i, ch in enumerate(src) if ord(ch) > 127)
    assert exc.value.offset == first
    assert f"U+{ord(src[first]):04X}" in exc.value.message
    if unicodedata.normalize("NFKC", src[first]).isascii():
        assert "a look-alike of" in exc.value.message


def test_look_alike_in_a_policy_file_is_located(tmp_path: Path) -> None:
    f = tmp_path / "p.yaml"
    f.write_text("policy: t\nevents:\n  - {per: ａｎｓｗｅｒｅｄ, pay: 5}\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["validate", str(f)])
    assert res.exit_code == 2 and "Traceback" not in res.output
    # line 3, the value starts at column 11; the bad character is its first
    assert (f"error: {f}:3:11: events.0.per: character U+FF41, a look-alike of 'a': formulas "
            f"use ASCII letters, digits and operators only") in res.output


def test_non_ascii_metric_names_are_refused() -> None:
    with pytest.raises(ValidationError, match="use ASCII letters"):
        Policy.model_validate({"policy": "t", "metrics": {"ｓｃｏｒｅ2": "answered"}})


def sign_messages(pol: dict) -> dict[tuple, str]:
    cp = compile_policy(Policy.model_validate({"policy": "t", **pol}))
    return {f.loc: f.message for f in lint(cp)}


def test_negative_commission_rate_is_flagged() -> None:
    got = sign_messages({"commission": {"per": "answered", "rate": -1.0}})
    assert got[("commission", 0, "rate")].startswith("negative commission rate -1 per unit "
                                                     "of 'answered'")
    got = sign_messages({"commission": {"per": "answered",
                                        "tiers": [{"from": 0, "rate": 1}, {"from": 10,
                                                                           "rate": -2}]}})
    assert ("commission", 0, "tiers", 1, "rate") in got


def test_sign_mistakes_against_the_catalogue_direction() -> None:
    got = sign_messages({
        "events": [{"per": "complaints", "pay": 50},            # complaints: lower is better
                   {"per": "named_good_reviews", "pay": -5},    # higher is better
                   {"per": "bad_reviews", "pay": -20},          # right sign: no finding
                   {"per": "answered * 2", "pay": 1}],          # a formula: no direction
        "commission": {"per": "complaints", "rate": 3},
        "scorecard": {"items": [{"metric": "fcr", "weight": 1, "target": 0.8}],
                      "points": [{"per": "violations", "points": 1},
                                 {"per": "complaints", "points": -1}]},
        "ranking": {"by": "score", "bands": [{"top": 0.1, "pay": -100},
                                             {"bottom": 0.1, "pay": 100}]},
    })
    assert got[("events", 0, "pay")].startswith("pays 50 per unit of 'complaints'")
    assert got[("events", 1, "pay")].startswith("deducts 5 per unit of 'named_good_reviews'")
    assert ("events", 2, "pay") not in got and ("events", 3, "pay") not in got
    assert ("commission", 0, "per") in got
    assert ("scorecard", "points", 0, "points") in got
    assert ("scorecard", "points", 1, "points") not in got
    assert got[("ranking", "bands", 0, "pay")] == ("the top 10% band deducts 100: the best "
                                                   "agents lose pay")
    assert got[("ranking", "bands", 1, "pay")] == ("the bottom 10% band pays 100: the worst "
                                                   "agents get a bonus")


@pytest.mark.parametrize("field, value, message", [
    ("base_pay", -100, "greater than or equal to 0"),
    ("base_pay", 1e300, "less than or equal to 1000000000"),
    ("cap_total", -1, "greater than or equal to 0"),
    ("pay_floor", float("inf"), "finite number"),
    ("probation_months", float("nan"), "finite number"),
])
def test_amounts_that_can_never_make_sense_are_validation_errors(field, value, message):
    with pytest.raises(ValidationError, match=message):
        Policy.model_validate({"policy": "t", field: value})


def test_absurd_amounts_in_rules_are_validation_errors() -> None:
    for bad in ({"events": [{"per": "answered", "pay": 1e15}]},
                {"commission": {"per": "answered", "rate": float("-inf")}},
                {"ranking": {"by": "answered", "bands": [{"top": 0.1, "pay": 1e10}]}},
                {"scorecard": {"items": [{"metric": "fcr", "weight": 1, "target": 1e300}]}}):
        with pytest.raises(ValidationError):
            Policy.model_validate({"policy": "t", **bad})
