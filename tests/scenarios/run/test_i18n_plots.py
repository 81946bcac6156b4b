"""Message catalogue consistency and the SVG plots' properties.

References: the catalogue itself (every key in both languages with the same placeholders);
the SVG text (CJK labels kept as <text>, not glyph outlines; ids unique per figure;
byte-identical output for identical input)."""

from __future__ import annotations

import re
import sys
import types
from datetime import datetime, timedelta

import numpy as np
import pytest

from scenarios.run.plots import Series, step_chart
from scenarios.words import i18n


def test_every_message_has_both_languages_with_the_same_placeholders() -> None:
    for key, texts in i18n.MESSAGES.items():
        assert set(texts) == set(i18n.LANGS), key
        assert i18n.placeholders(texts["en"]) == i18n.placeholders(texts["zh"]), key
        words = re.sub(r"\{\w+\}", "", texts["en"]).strip(" :：，,;；()（）—-|")
        if key != "list.sep" and words:  # not punctuation and placeholders only
            assert re.search(r"[\u4e00-\u9fff]", texts["zh"]), f"{key} is not translated"


def test_kpi_names_from_the_label_table_then_the_rules_catalogue(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Names come from scenarios.words.labels; a KPI it lacks takes the rules catalogue's
    Chinese name, and English names are words, not keys."""
    fake = types.ModuleType("rules.catalogue")
    fake.CATALOGUE = {"qa_score": types.SimpleNamespace(zh="监听成绩(目录)")}  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "rules.catalogue", fake)
    assert i18n.kpi_name("qa_score", "zh") == "监听成绩(目录)"
    assert i18n.kpi_name("aht_s", "zh") == "平均处理时长"
    assert i18n.kpi_name("fcr", "en") == "first-contact resolution (FCR)"
    assert i18n.kpi_name("asa_s", "en") == "average speed of answer (ASA)"


def test_kpi_names_fall_back_without_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rules.catalogue", None)  # import raises ImportError
    assert i18n.kpi_name("answer_rate", "zh") == "接通率"
    assert i18n.kpi_name("unknown_metric", "zh") == "unknown metric"


def test_dates_in_both_languages() -> None:
    d = datetime(2026, 11, 11, 20, 30)
    assert i18n.when(d, "en", True) == "11 Nov 20:30"
    assert i18n.when(d, "zh", True) == "11月11日 20:30"
    assert i18n.when(d, "zh", False) == "20:30"


def _chart(name: str, label: str) -> str:
    starts = [datetime(2026, 11, 11) + timedelta(minutes=30 * i) for i in range(48)]
    v = np.arange(48, dtype=float)
    return step_chart(name, starts, timedelta(minutes=30),
                      [Series(label, v), Series("cap", v + 2, dashed=True,
                                                band=(v, v + 5))], "坐席数")


def test_svg_keeps_cjk_text_as_text_and_is_deterministic() -> None:
    a = _chart("one", "接通率")
    assert a.startswith("<svg") and "<?xml" not in a and "<!DOCTYPE" not in a
    assert "接通率" in a and "坐席数" in a  # as characters in <text>, not outlines
    assert "DejaVuSans-" not in a  # no embedded glyph paths (svg.fonttype none)
    assert _chart("one", "接通率") == a


def test_svg_ids_are_prefixed_and_do_not_clash() -> None:
    a, b = _chart("one", "x"), _chart("two", "x")
    ids_a = set(re.findall(r'id="([^"]+)"', a))
    ids_b = set(re.findall(r'id="([^"]+)"', b))
    assert ids_a and all(i.startswith("one-") for i in ids_a)
    assert not ids_a & ids_b
    for ref in re.findall(r'url\(#([^)]+)\)|href="#([^"]+)"', a):
        target = ref[0] or ref[1]
        assert target in ids_a  # every internal reference resolves inside its own SVG


def test_every_pool_and_binding_constraint_has_a_label() -> None:
    """Reference: the schema's PoolName literal and planning.requirements.CONSTRAINTS."""
    from typing import get_args

    from planning.requirements import CONSTRAINTS
    from scenarios.schema import PoolName

    for pool in get_args(PoolName):
        assert f"pool.{pool}" in i18n.MESSAGES
    for c in (*CONSTRAINTS, "none"):
        assert f"binding.{c}" in i18n.MESSAGES
