"""Display names and units for every machine key the report shows, in English and Chinese.

The results folder keeps machine names (CSV headers, summary.json keys: ``in_house``,
``abandon_rate``, ``asa_s``); the report and the terminal show these labels instead. KPI
names follow the rules catalogue (``rules.catalogue``: its Chinese word and unit); pools,
channels, plan columns and the flat-pay baseline are listed here. ``tests/scenarios/run/
test_labels.py`` checks both languages cover every key a stage can show and that no raw
key reaches the rendered page.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["en", "zh"]

# ---- KPIs: English display names (Chinese from the rules catalogue, else _KPI_ZH)
_KPI_EN: dict[str, str] = {
    "offered": "offered", "answered": "answered", "abandoned": "abandoned",
    "answer_rate": "answer rate", "abandon_rate": "abandonment", "service_level":
    "service level", "asa_s": "average speed of answer (ASA)", "aht_s":
    "average handle time (AHT)", "acw_s": "after-contact work", "talk_time_s": "talk time",
    "contacts": "contacts handled", "outbound_calls": "outbound calls",
    "outbound_connects": "outbound connects", "outbound_connect_rate": "outbound connect rate",
    "service_volume": "service volume (answered + outbound)", "occupancy": "occupancy",
    "utilization": "utilization", "online_rate": "online rate", "fcr":
    "first-contact resolution (FCR)", "repeat_contacts": "repeat contacts", "complaints":
    "complaints", "satisfaction": "satisfaction", "p_wait": "share that waited",
    "queue_length": "queue length", "retrials": "redials", "agents": "agents on duty",
    "conversion_rate": "conversion rate", "sales_amount": "sales", "waiting_at_end":
    "still waiting at the end", "named_good_reviews": "named good reviews", "bad_reviews":
    "bad reviews", "violations": "violations", "staffed_s": "time on duty", "idle_s":
    "idle time", "missed_rings": "missed rings", "resolved": "resolved at first contact",
}
_KPI_ZH: dict[str, str] = {
    "offered": "呼入量", "answered": "接听量", "abandoned": "放弃量", "answer_rate": "接通率",
    "abandon_rate": "放弃率", "service_level": "服务水平", "asa_s": "平均应答时间",
    "aht_s": "平均处理时长", "acw_s": "平均后续处理时长", "occupancy": "占用率",
    "utilization": "工时利用率", "fcr": "一次解决率", "satisfaction": "满意度",
    "complaints": "投诉量", "repeat_contacts": "重复来电", "outbound_calls": "外呼量",
    "service_volume": "人均服务量", "p_wait": "等待比例", "queue_length": "排队长度",
    "retrials": "重拨次数", "agents": "在岗坐席数", "waiting_at_end": "期末仍在等待",
    "resolved": "一次解决量", "talk_time_s": "通时",
}
# unit of each KPI: share (shown as %), s (seconds), or a count word
_UNIT: dict[str, str] = {
    "answer_rate": "share", "abandon_rate": "share", "service_level": "share",
    "occupancy": "share", "utilization": "share", "online_rate": "share", "fcr": "share",
    "satisfaction": "share", "p_wait": "share", "conversion_rate": "share",
    "outbound_connect_rate": "share", "asa_s": "s", "aht_s": "s", "acw_s": "s",
    "talk_time_s": "s", "staffed_s": "s", "idle_s": "s",
}

# ---- everything else a report can name
LABELS: dict[str, dict[str, str]] = {
    "pool.in_house": {"en": "in-house", "zh": "自有坐席"},
    "pool.outsourced": {"en": "outsourced (contracted seats)", "zh": "外包（签约坐席）"},
    "pool.outsourced_surge": {"en": "outsourced surge seats", "zh": "外包临时加座"},
    "pool.reserve": {"en": "reserve (on call)", "zh": "储备（待命）"},
    "pool.temps": {"en": "temps", "zh": "临时工"},
    "channel.voice": {"en": "voice", "zh": "电话"},
    "channel.phone": {"en": "phone", "zh": "电话"},
    "channel.chat": {"en": "chat", "zh": "在线"},
    "channel.email": {"en": "email", "zh": "邮件"},
    "channel.outbound": {"en": "outbound", "zh": "外呼"},
    "policy.baseline": {"en": "flat pay (baseline)", "zh": "固定工资（基准）"},
    "unit.s": {"en": "s", "zh": "秒"},
    "unit.agents": {"en": "agents", "zh": "人"},
    "model.erlang_a": {"en": "Erlang A: customers may give up", "zh": "Erlang A（含放弃）"},
    "model.erlang_c": {"en": "Erlang C: nobody gives up", "zh": "Erlang C（无放弃）"},
}


def kpi_label(metric: str, lang: Lang) -> str:
    """A KPI's display name (never the raw catalogue key)."""
    if lang == "zh":
        zh = _KPI_ZH.get(metric) or _catalogue_zh(metric)
        if zh:
            return zh
    return _KPI_EN.get(metric) or metric.removesuffix("_s").replace("_", " ")


def kpi_unit(metric: str) -> str:
    """``share``, ``s`` or ``count``."""
    return _UNIT.get(metric, "count")


def label(key: str, lang: Lang) -> str:
    """The label of ``namespace.name`` (KeyError when the table lacks it)."""
    return LABELS[key][lang]


def pool_label(pool: str, lang: Lang) -> str:
    """A pool's display name; an unknown pool name is shown as written in the scenario."""
    entry = LABELS.get(f"pool.{pool}")
    return entry[lang] if entry else pool


def channel_label(channel: str, lang: Lang) -> str:
    """A channel's display name; an unknown channel is shown as written in the scenario."""
    entry = LABELS.get(f"channel.{channel}")
    if entry is None:
        return channel
    return entry[lang]


def model_label(model: str, lang: Lang) -> str:
    """A queueing model's name (``staffing.model``); an unknown one as written."""
    entry = LABELS.get(f"model.{model}")
    return entry[lang] if entry else model


def policy_label(policy: str, lang: Lang) -> str:
    """A policy's display name: the policy file's ``policy:`` name; the built-in flat-pay
    comparison is named in words."""
    entry = LABELS.get(f"policy.{policy}")
    return entry[lang] if entry else policy


def seconds(value: float, lang: Lang, digits: int = 1) -> str:
    """A duration in seconds with its unit: ``11.5 s`` / ``11.5 秒``."""
    return f"{value:,.{digits}f} {LABELS['unit.s'][lang]}"


def kpi_value(metric: str, value: float | None, lang: Lang) -> str:
    """A KPI value with its unit: 84.2%, 11.5 s, 1,234."""
    if value is None or value != value:
        return "—"
    unit = kpi_unit(metric)
    if unit == "share":
        return f"{100 * value:.1f}%"
    if unit == "s":
        return seconds(value, lang)
    return f"{value:,.0f}"


def _catalogue_zh(metric: str) -> str | None:
    try:
        from rules.catalogue import CATALOGUE
    except ImportError:  # pragma: no cover - rules is part of the package
        return None
    entry = CATALOGUE.get(metric)
    return getattr(entry, "zh", None) if entry is not None else None
