"""The KPI catalogue: the metric names rule files, KPI tables and outputs use
(docs/formats.md §3 lists them; a test keeps that table equal to this one).

Each metric has a Chinese name (the practice cases' word), a direction (``higher`` or
``lower`` is better), a unit and a one-line description. ``sim`` and ``reports`` import
this table; ``rules`` checks policy formulas against it when a policy loads.

Metrics marked "(seed NNN)" come from practice case NNN (docs/sources.md): they are what
its schemes score or pay on (tenure, supervisor ratings, 加减分 counts, returned orders).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Direction = Literal["higher", "lower"]


@dataclass(frozen=True)
class Metric:
    """One catalogue entry."""

    name: str
    zh: str
    direction: Direction
    unit: str
    description: str


def _m(name: str, zh: str, direction: Direction, unit: str, description: str) -> Metric:
    return Metric(name, zh, direction, unit, description)


_ENTRIES: tuple[Metric, ...] = (
    _m("offered", "呼入量", "higher", "contacts", "contacts offered to the agent / team"),
    _m("answered", "接听量", "higher", "contacts", "contacts answered"),
    _m("abandoned", "放弃量", "lower", "contacts", "contacts abandoned while waiting"),
    _m("answer_rate", "接通率", "higher", "share",
       "team: answered / offered; agent: answered / contacts rung at the agent"),
    _m("abandon_rate", "放弃率", "lower", "share", "abandoned / offered"),
    _m("service_level", "服务水平", "higher", "share", "answered within the target time / offered"),
    _m("asa_s", "平均应答时间", "lower", "s", "mean wait of answered contacts"),
    _m("aht_s", "平均通话时长", "lower", "s", "average handle time per contact"),
    _m("acw_s", "平均后续处理时长", "lower", "s", "average after-contact work per contact"),
    _m("talk_time_s", "通时", "higher", "s", "total talk time in the period"),
    _m("contacts", "通次", "higher", "contacts", "contacts handled (in and out)"),
    _m("outbound_calls", "外呼量", "higher", "calls",
       "outbound calls dialled, connected or not (seed 001)"),
    _m("outbound_connect_rate", "成功拨打率", "higher", "share", "effective outbound calls / dialled"),
    _m("service_volume", "人均服务量", "higher", "contacts", "answered + outbound_calls"),
    _m("occupancy", "占用率", "higher", "share",
       "busy time / staffed time; busy = handling contacts (inbound talk + after-contact "
       "work, a chat session as 1/concurrency of an agent, outbound work), staffed = time "
       "on duty (rostered and present; breaks, aux and other shrinkage included). Agent "
       "KPI tables, the simulator and the behaviour model all use this one definition"),
    _m("utilization", "工时利用率", "higher", "share",
       "online handling time / total working time (as computed here: = occupancy)"),
    _m("online_rate", "在线率", "higher", "share",
       "online time / (last online − first online); in the simulator: time ready for "
       "contacts or on outbound work / time on duty"),
    _m("fcr", "一次解决率", "higher", "share", "contacts resolved without callback or escalation"),
    _m("repeat_contacts", "重复来电", "lower", "contacts", "contacts that come back unresolved"),
    _m("qa_score", "监听成绩", "higher", "points",
       "quality monitoring score, mean of the sampled contacts (seed 001: 12 a month)"),
    _m("qa_samples", "监听抽查次数", "higher", "contacts",
       "contacts sampled for quality monitoring in the period (seed 001)"),
    _m("satisfaction", "满意度", "higher", "share", "satisfied ratings / ratings received"),
    _m("complaints", "投诉", "lower", "contacts", "complaints about the agent"),
    _m("violations", "违规用语", "lower", "count", "forbidden-phrase violations (seed 004: ≤5 a month)"),
    _m("named_good_reviews", "指名好评", "higher", "reviews", "5-star reviews naming the agent"),
    _m("named_good_review_rate", "指名好评率", "higher", "share",
       "named good reviews / customers served (seed 002)"),
    _m("bad_reviews", "差评", "lower", "reviews", "bad reviews caused by the agent's service"),
    _m("disputes", "纠纷单", "lower", "orders", "dispute orders caused by the agent (seed 002, JD)"),
    _m("first_response_s", "首次响应时间", "lower", "s", "chat: time to the first reply"),
    _m("avg_response_s", "平均响应时间", "lower", "s", "chat: mean time to reply"),
    _m("reply_rate", "回复率", "higher", "share", "chat: customers replied to / customers served"),
    _m("answer_ratio", "答问比", "higher", "ratio", "chat: agent messages / customer messages"),
    _m("received_uv", "询单UV", "higher", "customers", "pre-sale customers served"),
    _m("paid_uv", "付款UV", "higher", "customers", "served customers who paid"),
    _m("conversion_rate", "咨询转化率", "higher", "share", "paid_uv / received_uv"),
    _m("sales_amount", "销售额", "higher", "money", "sales closed by the agent"),
    _m("orders", "订单量", "higher", "orders", "orders closed by the agent (seed 002)"),
    _m("returned_orders", "退货单量", "lower", "orders",
       "orders closed by the agent and later returned or refunded (seed 002/004)"),
    _m("return_rate", "退货率", "lower", "share", "returned / converted orders (seed 004)"),
    _m("exchange_rate", "换货率", "lower", "share", "exchanged / converted orders (seed 004)"),
    _m("refund_rate", "退款率", "lower", "share", "refunded UV / paid UV (seed 004)"),
    _m("workload_deviation", "预算工作量偏差", "lower", "share",
       "|budgeted − actual workload| / budgeted (seed 004)"),
    _m("cost", "成本", "lower", "money", "cost of the agent in the period"),
    _m("tenure_months", "司龄", "higher", "months",
       "months since hiring; below the policy's probation_months = probation (seed 002)"),
    _m("supervisor_rating", "主管评分", "higher", "points",
       "soft metric rated by the supervisor, e.g. out of 10 (seed 002/004)"),
    _m("exam_score", "业务考试", "higher", "points", "business knowledge exam score (seed 001/004)"),
    _m("ticket_audit_score", "工单抽查", "higher", "points",
       "ticket spot-check score: entry, dispatch, linking (seed 001)"),
    _m("timely_answer_rate", "接听及时率", "higher", "share",
       "contacts answered within 2 rings / answered (seed 001)"),
    _m("missed_activities", "活动未执行", "lower", "count", "announced activities not executed (seed 002)"),
    _m("missed_trainings", "拒绝培训", "lower", "count", "trainings refused without leave (seed 002)"),
    _m("ignored_notices", "未看公告", "lower", "count", "group notices ignored (seed 002)"),
    _m("missed_team_events", "拒绝团队活动", "lower", "count", "team activities refused (seed 002)"),
    _m("conduct_lapses", "执行力不到位", "lower", "count",
       "not logged in / not in uniform / 5S lapses (seed 002)"),
)

CATALOGUE: dict[str, Metric] = {m.name: m for m in _ENTRIES}


def metric_names() -> list[str]:
    """All catalogue metric names, in catalogue order."""
    return list(CATALOGUE)


def direction(name: str, default: Direction = "higher") -> Direction:
    """The catalogue's better direction of ``name`` (``default`` for unknown names)."""
    m = CATALOGUE.get(name)
    return m.direction if m else default


def label(name: str, language: str = "en") -> str:
    """Display name of a metric: the Chinese name for ``zh`` reports, else the metric name."""
    m = CATALOGUE.get(name)
    if m is None or language != "zh":
        return name
    return m.zh
