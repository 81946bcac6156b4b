"""The report in plain words, English and Chinese (issue 24): no key of the scenario file
format, no internal term of the models and no iteration count in what a reader sees (they
may stay in summary.json and the CSVs); the terms of the field that are needed get a
glossary line.

Reference: every property name of the scenario file format at every level —
tests/terminal_words.py's ``schema_keys`` (docs/scenario.schema.json, which
tests/scenarios/test_schema_file.py holds equal to the pydantic models of
scenarios/schema.py), shared with the terminal's plain-words test (issue 30) — and the
jargon the issue lists, searched in the visible text of the shared mini-peak reports
(every stage) with tags, plots and the file list removed.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from tests.terminal_words import schema_keys

#: internal terms and counts a planner should not meet (issue 24's list), en and zh
JARGON = [r"\brecourse\b", r"\bVSS\b", r"in-house-equivalent", r"scenario-intervals",
          r"fixed point", r"\biterations?\b", r"\b\d+ rounds\b", r"of the probability;",
          r"\d+% asked", r"--quick", r"first stage", r"不动点", r"迭代",
          r"\d+\s*轮", r"第一阶段", r"追加成本"]


def visible_text(page: str) -> str:
    """What a reader sees: tags, styles and plots removed; the list of files left out
    (file names are what they are)."""
    body = re.sub(r"<(style|script|svg)\b.*?</\1>", " ", page, flags=re.S)
    body = re.sub(r'<section class="files".*?</section>', " ", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def config_keys(text: str) -> list[str]:
    """Keys of the scenario file format in ``text``: any snake_case key as a word, a
    dotted key path, and any key written as in the file (``capacity:`` in lower case)."""
    keys = schema_keys()
    found = [w for w in re.findall(r"(?<![\w.-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w-])", text)
             if w in keys]
    found += [m.group(0) for m in re.finditer(r"\b[a-z_]+(?:\.[a-z_]+)+\b", text)
              if any(part in keys for part in m.group(0).split("."))
              and not re.search(r"\.(csv|md|yaml|json|xlsx|svg|html)$", m.group(0))]
    as_in_file = (r"(?<![\w.-])([a-z][a-z_]*)[:：](?=\s*(?:[)）,，—]|section|$))",  # capacity:)
                  r"(?:'s?|场景|人力池)\s*([a-z][a-z_]*)\s?[:：]")  # the pools' agents:
    found += [m.group(1) for p in as_in_file for m in re.finditer(p, text, re.M)
              if m.group(1) in keys]
    return found


def jargon(text: str) -> list[str]:
    return [m.group(0) for p in JARGON for m in re.finditer(p, text)]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_configuration_key_in_the_report(mini_runs: dict[str, Path], lang: str) -> None:
    text = visible_text((mini_runs[lang] / "report.html").read_text(encoding="utf-8"))
    assert config_keys(text) == []
    assert jargon(text) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_glossary_of_the_fields_terms(mini_runs: dict[str, Path], lang: str) -> None:
    text = visible_text((mini_runs[lang] / "report.html").read_text(encoding="utf-8"))
    words = {"en": ("Service level", "Abandonment", "Occupancy"),
             "zh": ("服务水平", "放弃率", "占用率")}[lang]
    glossary = re.search(r'<section class="glossary".*?</section>',
                         (mini_runs[lang] / "report.html").read_text(encoding="utf-8"), re.S)
    assert glossary is not None
    for w in words:
        assert w in glossary.group(0), w
    assert text


def test_the_checks_catch_keys_and_jargon() -> None:
    assert config_keys("with overflow at once (routing.overflow_after_s: 0)") == [
        "routing.overflow_after_s"]
    assert config_keys("set overflow_after_s to 0") == ["overflow_after_s"]
    assert config_keys("the scenario has no capacity: section") == ["capacity"]
    assert config_keys("see plan.csv; Demand: computed") == []
    assert jargon("fixed point, 7 iterations; 1 rounds; (75% of the probability; 90% "
                  "asked); VSS") == ["VSS", "fixed point", "iterations", "1 rounds",
                                     "of the probability;", "90% asked"]
