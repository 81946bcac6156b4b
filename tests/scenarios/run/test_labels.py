"""The label table: every machine key a report shows has a name in both languages, and no
raw key reaches the rendered page.

References: the stages' own vocabularies (the simulator's team KPIs, the behaviour
comparison's metrics, the plan's pools, the pools and channels of the bundled scenarios)
and the text of the reports (both languages) with every tag removed."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from scenarios.run.stages.policies import TABLE_ROWS
from scenarios.run.stages.simulation import TEAM_METRICS
from scenarios.words import labels

POOLS = ("in_house", "outsourced", "outsourced_surge", "reserve", "temps")
CHANNELS = ("voice", "chat")
# machine keys that must never be visible (snake_case identifiers of the model)
RAW = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
# snake_case words a reader may see: file names, the scenario's own key names quoted in
# sentences (agents:, policies:, planning terms) and policy files' names
ALLOWED = {"on_call", "temp_hire", "agents_", "validation_rounds", "apply_shrinkage",
           "overflow_after_s"}  # config keys named as the change to make


def test_every_key_has_both_languages() -> None:
    for key, texts in labels.LABELS.items():
        assert set(texts) == {"en", "zh"}, key
        assert re.search(r"[\u4e00-\u9fff]", texts["zh"]), key
    metrics = set(TEAM_METRICS) | {m for _, m in TABLE_ROWS} | {"abandon_rate", "asa_s"}
    for m in metrics:
        for lang in ("en", "zh"):
            name = labels.kpi_label(m, lang)
            assert not RAW.search(name) and (name != m or "_" not in m), (m, lang, name)
        assert re.search(r"[\u4e00-\u9fff]", labels.kpi_label(m, "zh")), m
    for p in POOLS:
        assert "_" not in labels.pool_label(p, "en")
        assert re.search(r"[\u4e00-\u9fff]", labels.pool_label(p, "zh"))
    for c in CHANNELS:
        assert re.search(r"[\u4e00-\u9fff]", labels.channel_label(c, "zh"))
    assert labels.policy_label("baseline", "zh") == "固定工资（基准）"
    assert labels.policy_label("commission-phase-2", "zh") == "commission-phase-2"


def test_values_carry_units() -> None:
    assert labels.kpi_value("asa_s", 11.46, "en") == "11.5 s"
    assert labels.kpi_value("asa_s", 11.46, "zh") == "11.5 秒"
    assert labels.kpi_value("service_level", 0.8424, "en") == "84.2%"
    assert labels.kpi_value("answered", 37453.2, "en") == "37,453"
    assert labels.kpi_value("fcr", None, "en") == "—"


def _visible_text(page: str) -> str:
    body = re.sub(r"<svg.*?</svg>", " ", page, flags=re.S)  # plots: checked below
    body = re.sub(r"<(style|script)\b.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r'<section class="files".*?</section>', " ", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def raw_keys(text: str) -> list[str]:
    """snake_case tokens in ``text`` that are not file names or allowed words."""
    found = []
    for m in re.finditer(r"[\w<>.\-/]+", text):
        token = m.group(0).rstrip(".")
        if token.endswith((".csv", ".md", ".yaml", ".svg", ".json", ".xlsx")):
            continue  # a file name
        if re.fullmatch(r"[a-z_]+-\d+", token):
            continue  # an agent id (pool-number), a value the reader looks up, not a key
        found += [w for w in RAW.findall(token) if w not in ALLOWED]
    return found


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_raw_key_in_the_report(mini_runs: dict[str, Path], lang: str) -> None:
    page = (mini_runs[lang] / "report.html").read_text(encoding="utf-8")
    text = _visible_text(page)
    assert raw_keys(text) == []
    svg_text = " ".join(html.unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>",
                                                             page, re.S))
    assert raw_keys(svg_text) == []
    if lang == "zh":
        for word in ("baseline", "in-house", "outsourced", "abandonment", "service level"):
            assert word not in text, word


def test_the_check_catches_a_raw_key() -> None:
    assert raw_keys("cost by pool: outsourced_surge 53,718 CNY") == ["outsourced_surge"]
    assert raw_keys("see roster.csv and agents_commission-phase-2.csv") == []
